from django.urls import path

from dangbo.org import views

app_name = "org"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("clusters/", views.clusters, name="clusters"),
    path("clusters/new/", views.cluster_create, name="cluster_create"),
    path("clusters/<int:pk>/assign/", views.cluster_assign, name="cluster_assign"),
    path("<int:pk>/", views.unit_detail, name="unit"),
    path("<int:pk>/create/", views.create, name="create"),
    path("<int:pk>/rename/", views.rename, name="rename"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/merge/", views.merge, name="merge"),
    path("<int:pk>/split/", views.split, name="split"),
    path("<int:pk>/dissolve/", views.dissolve, name="dissolve"),
]
