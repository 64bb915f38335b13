from django.urls import path

from dangbo.committees import views

app_name = "committees"
urlpatterns = [
    path("", views.home, name="home"),
    path("unit/<int:pk>/", views.unit, name="unit"),
    path("unit/<int:pk>/congress/", views.congress, name="congress"),
    path("unit/<int:pk>/seat/", views.seat_new, name="seat_new"),
    path("seat/<int:pk>/end/", views.seat_end, name="seat_end"),
    path("seat/<int:pk>/delete/", views.seat_delete, name="seat_delete"),
    path("reinforcement/", views.reinforcement, name="reinforcement"),
    path("appraisals/", views.appraisals, name="appraisals"),
    path("appraisals/new/", views.appraisal_new, name="appraisal_new"),
    path("appraisals/<int:pk>/", views.appraisal, name="appraisal"),
    path("appraisals/<int:pk>/conclude/", views.appraisal_conclude, name="appraisal_conclude"),
    path("consultations/", views.consultations, name="consultations"),
    path("consultations/new/", views.proposal_new, name="proposal_new"),
    path("proposals/<int:pk>/", views.proposal, name="proposal"),
    path("proposals/<int:pk>/<slug:step>/", views.proposal_step, name="proposal_step"),
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/new/", views.session_new, name="session_new"),
    path("sessions/<int:pk>/", views.session, name="session"),
    path("models/", views.models, name="models"),
    path("models/new/", views.model_new, name="model_new"),
    path("models/<int:pk>/", views.model, name="model"),
    path("models/<int:pk>/review/", views.model_review, name="model_review"),
]
