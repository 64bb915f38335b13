from django.urls import path

from dangbo.core import views, views_audit, views_notifications

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    *views_audit.urlpatterns,
    *views_notifications.urlpatterns,
]
