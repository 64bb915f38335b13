from django.urls import path

from dangbo.study import views

app_name = "study"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/questions/", views.questions, name="questions"),
    path("<int:pk>/questions/<int:qid>/delete/", views.question_delete, name="question_delete"),
    path("<int:pk>/sessions/", views.sessions, name="sessions"),
    path("<int:pk>/sessions/<int:sid>/", views.attendance, name="attendance"),
    path("<int:pk>/study/", views.study, name="study"),
    path("<int:pk>/read/", views.read, name="read"),
    path("<int:pk>/quiz/", views.quiz, name="quiz"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/reports/", views.reports, name="reports"),
    path("<int:pk>/reports/<int:rid>/", views.review, name="review"),
    path("<int:pk>/completion/", views.completion, name="completion"),
    path("<int:pk>/completion.xlsx", views.export, name="export"),
    path("<int:pk>/remind/", views.remind, name="remind"),
]
