from django.urls import path

from dangbo.core import views, views_audit, views_notifications, views_personal

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz", views.healthz, name="healthz"),
    *views_audit.urlpatterns,
    *views_notifications.urlpatterns,
    *views_personal.urlpatterns,
]
