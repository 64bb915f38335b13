from django.urls import path

from dangbo.transfers import views

app_name = "transfers"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.new, name="new"),
    path("search/members/", views.search_members, name="search_members"),
    path("search/cells/", views.search_cells, name="search_cells"),
    path("register-in/", views.register_in, name="register_in"),
    path("report/", views.report, name="report"),
    path("movements/", views.movements, name="movements"),
    path("movements.xlsx", views.movements_export, name="movements_export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/letter/", views.letter, name="letter"),
    path("<int:pk>/<slug:step>/", views.step, name="step"),
]
