from django.urls import include, path

from dangbo.fees import views

app_name = "fees"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("declare/", views.declare, name="declare"),
    path("units/", views.home, name="home"),
    path("units/<int:pk>/", views.unit, name="unit"),
    path("units/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("units/<int:pk>/compute/", views.compute, name="compute"),
    path("units/<int:pk>/members/<int:member_pk>/cash/", views.cash, name="cash"),
    path("units/<int:pk>/import/", views.import_upload, name="import"),
    path("units/<int:pk>/import/<int:import_pk>/", views.import_preview, name="import_preview"),
    path("units/<int:pk>/import/<int:import_pk>/commit/", views.import_commit, name="import_commit"),
    path("units/<int:pk>/arrears/", views.arrears, name="arrears"),
    path("units/<int:pk>/remittances/", views.remittances, name="remittances"),
    path("units/<int:pk>/remittances/record/", views.remit, name="remit"),
    # The S01/ĐP book and the subtree summary.
    path("", include("dangbo.fees.urls_book")),
]
