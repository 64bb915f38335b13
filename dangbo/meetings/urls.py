from django.urls import path

from dangbo.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.home, name="home"),
    path("compliance/", views.compliance_view, name="compliance"),
    path("venues/", views.venues, name="venues"),
    path("score-sheets/", views.templates, name="templates"),
    path("cell/<int:pk>/", views.cell, name="cell"),
    path("cell/<int:pk>/plan/", views.plan, name="plan"),
    path("cell/<int:pk>/new/", views.new, name="new"),
    path("cell/<int:pk>/supervisor/", views.supervisor, name="supervisor"),
    path("cell/<int:pk>/propose-removal/", views.propose_removal, name="propose_removal"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/notice/", views.notice, name="notice"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/document/", views.document, name="document"),
    path("document/<int:pk>/", views.document_file, name="document_file"),
    path("<int:pk>/excuse/", views.excuse, name="excuse"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/held/", views.held, name="held"),
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
    path("<int:pk>/minutes/speech/<int:speech_pk>/delete/", views.speech_delete, name="speech_delete"),
    path("<int:pk>/lock/", views.lock, name="lock"),
    path("<int:pk>/amend/", views.amend, name="amend"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/minutes.docx", views.minutes_docx, name="minutes_docx"),
    path("<int:pk>/quality/", views.quality, name="quality"),
    path("<int:pk>/quality/review/", views.quality_review, name="quality_review"),
]
