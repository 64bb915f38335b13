from django.urls import path

from dangbo.stattables import views

app_name = "stattables"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/units/", views.search_units, name="search_units"),
    path("export.xlsx", views.export, name="export"),
    path("files/", views.files, name="files"),
    path("files/download.json", views.file_download, name="file_download"),
    path("files/<int:pk>/withdraw/", views.file_withdraw, name="file_withdraw"),
]
