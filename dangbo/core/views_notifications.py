# URL patterns for these views are listed here and included by core/urls.py.
urlpatterns = []
