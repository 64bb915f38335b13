"""Home-page card: overdue tasks and reports due (or overdue) in the staff user's scope."""

import datetime

from django.utils import timezone

from dangbo.accounts.access import is_staff_user, path_q, scope_paths
from dangbo.programmes import services
from dangbo.programmes.models import Programme

SOON_DAYS = 15


def home_panels(request):
    user = request.user
    if not is_staff_user(user):
        return []
    today = timezone.localdate()
    mine = Programme.objects.filter(path_q("unit__path", scope_paths(user)))
    overdue = services.overdue_tasks(mine, today).count()
    missing = services.missing_reports(mine, today)
    soon = services.reports_due_between(mine, today, today + datetime.timedelta(days=SOON_DAYS))
    if not (overdue or missing or soon):
        return []
    return [
        {
            "template": "programmes/_panel.html",
            "overdue": overdue,
            "missing": len(missing),
            "soon": soon[:5],
            "soon_count": len(soon),
        }
    ]
