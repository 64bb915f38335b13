from django.urls import path

from dangbo.inspection import views

app_name = "inspection"
urlpatterns = [
    path("", views.home, name="home"),
    path("plans/", views.plans, name="plans"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("cases/", views.cases, name="cases"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<int:pk>/", views.case, name="case"),
    path("cases/<int:pk>/conclusion.docx", views.case_docx, name="case_docx"),
    path("cases/<int:pk>/<slug:action>/", views.case_action, name="case_action"),
    path("discipline/", views.disciplines, name="disciplines"),
    path("discipline/new/", views.discipline_new, name="discipline_new"),
    path("discipline/<int:pk>/", views.discipline, name="discipline"),
    path("discipline/<int:pk>/decision.docx", views.discipline_docx, name="discipline_docx"),
    path("discipline/<int:pk>/<slug:action>/", views.discipline_action, name="discipline_action"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/notified/", views.notice_notified, name="notice_notified"),
]
