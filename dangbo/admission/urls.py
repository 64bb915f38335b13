from django.urls import path

from dangbo.admission import views

app_name = "admission"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.candidate_new, name="candidate_new"),
    path("overdue/", views.overdue, name="overdue"),
    path("targets/", views.targets, name="targets"),
    path("search/helpers/", views.search_helpers, name="search_helpers"),
    path("search/cells/", views.search_cells, name="search_cells"),
    path("search/units/", views.search_units, name="search_units"),
    path("search/target-units/", views.search_target_units, name="search_target_units"),
    path("<int:pk>/search/introducers/", views.search_introducers, name="search_introducers"),
    path("<int:pk>/", views.candidate, name="candidate"),
    path("<int:pk>/<slug:step>/", views.step, name="step"),
    path("<int:pk>/form/<slug:code>.docx", views.document, name="document"),
]
