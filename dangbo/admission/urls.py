from django.urls import path

from dangbo.admission import views

app_name = "admission"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.candidate_new, name="candidate_new"),
    path("overdue/", views.overdue, name="overdue"),
    path("targets/", views.targets, name="targets"),
    path("<int:pk>/", views.candidate, name="candidate"),
    path("<int:pk>/<slug:step>/", views.step, name="step"),
    path("<int:pk>/form/<slug:code>.docx", views.document, name="document"),
]
