"""Home page card for the bloc office: when ``manage.py daily`` last ran and what each command found."""

from django.utils.translation import gettext_lazy as _

from dangbo.accounts.access import is_bloc_office
from dangbo.core.models import DailyRun

LABELS = {
    "apply_org_changes": _("Scheduled moves of units"),
    "end_exemptions": _("Ending exemptions"),
    "admission_reminders": _("Admission reminders"),
    "transfer_reminders": _("Transfer reminders"),
    "meeting_reminders": _("Meeting reminders"),
    "document_reminders": _("Document reminders"),
    "study_reminders": _("Study reminders"),
    "programme_reminders": _("Programme reminders"),
    "inspection_reminders": _("Inspection reminders"),
    "review_reminders": _("Review reminders"),
    "committee_reminders": _("Committee reminders"),
    "report_reminders": _("Periodic report reminders"),
    "prune_db_task_results": _("Old background task results"),
    "retention": _("Retention of the read and audit logs"),
}


def home_panels(request):
    if not is_bloc_office(request.user):
        return []
    run = DailyRun.objects.first()
    if run is not None:
        for r in run.results:
            r["label"] = LABELS.get(r["command"], r["command"])
    return [{"template": "core/daily_panel.html", "run": run}]
