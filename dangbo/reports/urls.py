from django.urls import path

from dangbo.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("periodic/", views.periodic, name="periodic"),
    path("periodic/summary.docx", views.summary_docx, name="summary_docx"),
    path("periodic/summary.xlsx", views.summary_xlsx, name="summary_xlsx"),
    path("periodic/<int:unit_pk>/<str:period>/<int:year>/<int:number>/", views.report_edit, name="report_edit"),
    path("report/<int:pk>/", views.report_detail, name="report_detail"),
    path("report/<int:pk>/return/", views.report_return, name="report_return"),
    path("report/<int:pk>/accept/", views.report_accept, name="report_accept"),
    path("reconciliations/", views.reconciliations, name="reconciliations"),
    path("reconciliations/new/", views.reconciliation_new, name="reconciliation_new"),
    path("reconciliations/<int:pk>/", views.reconciliation_detail, name="reconciliation_detail"),
    path("reconciliations/<int:pk>/sign/", views.reconciliation_sign, name="reconciliation_sign"),
]
