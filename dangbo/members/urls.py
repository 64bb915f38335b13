from django.urls import path

from dangbo.members import views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("export.xlsx", views.export, name="export"),
    path("import/", views.import_start, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("import/<int:pk>/", views.import_detail, name="import_detail"),
    path("import/<int:pk>/step/", views.import_step, name="import_step"),
    path("import/<int:pk>/commit/", views.import_commit, name="import_commit"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/correct/", views.correct, name="correct"),
    path("<int:pk>/photo.jpg", views.photo, name="photo"),
    path("<int:pk>/photo/", views.photo_upload, name="photo_upload"),
    path("wards/", views.wards, name="wards"),
]
