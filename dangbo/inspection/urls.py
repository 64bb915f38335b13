app_name = "inspection"
urlpatterns = []
