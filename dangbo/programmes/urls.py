from django.urls import path

from dangbo.programmes import views

app_name = "programmes"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.programme_new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/indicators/", views.indicator_add, name="indicator_add"),
    path("<int:pk>/indicators/<int:ipk>/", views.indicator_edit, name="indicator_edit"),
    path("<int:pk>/tasks/", views.task_add, name="task_add"),
    path("<int:pk>/tasks/<int:tpk>/", views.task_edit, name="task_edit"),
    path("<int:pk>/adopt/", views.adopt, name="adopt"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/report/", views.report_new, name="report_new"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("reports/<int:pk>/evidence/", views.report_evidence, name="report_evidence"),
    path("events/", views.events, name="events"),
    path("events/new/", views.event_new, name="event_new"),
    path("events/<int:pk>/", views.event, name="event"),
    path("events/<int:pk>/register/", views.event_register, name="event_register"),
    path("events/<int:pk>/registrations/<int:rpk>/withdraw/", views.registration_withdraw, name="withdraw"),
    path("events/<int:pk>/setup/<slug:what>/", views.event_setup, name="event_setup"),
    path("events/<int:pk>/rounds/<int:rpk>/scores/", views.event_scores, name="event_scores"),
    path("events/<int:pk>/results/", views.event_results, name="event_results"),
    path("events/<int:pk>/publish/", views.event_publish, name="event_publish"),
]
