from django.urls import path

from dangbo.review import views

app_name = "review"
urlpatterns = [
    path("", views.home, name="home"),
    path("open/", views.period_open, name="period_open"),
    path("period/<int:pk>/", views.period, name="period"),
    path("period/<int:pk>/sync/", views.period_sync, name="period_sync"),
    path("period/<int:pk>/resume/", views.period_resume, name="period_resume"),
    path("period/<int:pk>/criteria/", views.criteria, name="criteria"),
    path("criterion/<int:pk>/delete/", views.criterion_delete, name="criterion_delete"),
    path("unit/<int:pk>/", views.unit, name="unit"),
    path("unit/<int:pk>/<slug:action>/", views.unit_action, name="unit_action"),
    path("member/<int:pk>/", views.member, name="member"),
    path("member/<int:pk>/<slug:action>/", views.member_action, name="member_action"),
    path("results/", views.results_view, name="results"),
    path("results/export.xlsx", views.export, name="export"),
]
