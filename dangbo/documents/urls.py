from django.urls import path

from dangbo.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.home, name="home"),
    path("library/", views.library, name="library"),
    path("news/", views.news, name="news"),
    path("new/", views.new, name="new"),
    path("news/new/", views.new_news, name="new_news"),
    path("secret-log/", views.secret_log, name="secret_log"),
    path("templates/", views.templates, name="templates"),
    path("templates/upload/", views.template_upload, name="template_upload"),
    path("templates/<slug:key>/", views.template_fill, name="template_fill"),
    path("files/<int:pk>/", views.attachment, name="attachment"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/read/", views.mark_read, name="mark_read"),
    path("<int:pk>/distribute/", views.distribute, name="distribute"),
    path("<int:pk>/readers/", views.readers, name="readers"),
    path("<int:pk>/remind/", views.remind, name="remind"),
    path("<int:pk>/convey/", views.convey, name="convey"),
]
