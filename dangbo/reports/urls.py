from django.urls import path

from dangbo.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
