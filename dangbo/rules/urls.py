from django.urls import path

from dangbo.rules import views, views_unknown

app_name = "rules"
urlpatterns = [
    path("", views.rule_list, name="list"),
    path("unknown/", views_unknown.unknown_list, name="unknown"),
    path("unknown/<int:pk>/confirm/", views_unknown.unknown_confirm, name="unknown_confirm"),
    path("search/units/", views.search_units, name="search_units"),
    path("search/list-units/", views.search_list_units, name="search_list_units"),
    path("versions/<int:pk>/end/", views.end_version, name="end_version"),
    path("<str:key>/", views.rule_detail, name="detail"),
    path("<str:key>/add/", views.add_version, name="add_version"),
]
