from django.urls import path

from dangbo.members import views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
]
