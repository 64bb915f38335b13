from django.urls import path

from dangbo.rules import views

app_name = "rules"
urlpatterns = [
    path("", views.rule_list, name="list"),
    path("search/units/", views.search_units, name="search_units"),
    path("versions/<int:pk>/end/", views.end_version, name="end_version"),
    path("<str:key>/", views.rule_detail, name="detail"),
    path("<str:key>/add/", views.add_version, name="add_version"),
]
