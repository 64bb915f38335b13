"""Home page card: the periodic reports a grassroots staff user still owes (due or returned), and for the
level above, the submitted reports waiting to be accepted or returned."""

from django.utils import timezone

from dangbo.accounts.access import WRITE_ROLES, is_staff_user, path_q, scope_paths
from dangbo.org.models import OrgUnit
from dangbo.reports import access, services
from dangbo.reports.models import PeriodicReport, period_label


def home_panels(request):
    user = request.user
    if not is_staff_user(user):
        return []
    today = timezone.localdate()
    paths = scope_paths(user, roles=WRITE_ROLES)
    if not paths:
        return []
    units = [
        u
        for u in OrgUnit.objects.active().filter(path_q("path", paths), kind__in=OrgUnit.GRASSROOTS_KINDS)
        if access.is_unit_side(user, u)
    ][:20]
    due = []
    periods = services.current_periods(today)
    if units:
        reports = {
            (r.unit_id, r.period, r.year, r.number): r
            for r in PeriodicReport.objects.filter(unit__in=units, year__gte=today.year - 1)
        }
        for u in units:
            for kind, year, number in periods:
                r = reports.get((u.pk, kind, year, number))
                if r is None or r.state in (PeriodicReport.State.DRAFT, PeriodicReport.State.RETURNED):
                    due.append(
                        {
                            "unit": u,
                            "period": (kind, year, number),
                            "label": period_label(kind, year, number),
                            "due": services.due_date(u, kind, year, number),
                            "returned": r is not None and r.state == PeriodicReport.State.RETURNED,
                        }
                    )
    waiting = (
        PeriodicReport.objects.filter(path_q("unit__path", paths), state=PeriodicReport.State.SUBMITTED)
        .select_related("unit")
        .order_by("submitted_on")
    )
    waiting = [r for r in waiting[:50] if access.is_upper_side(user, r.unit)][:10]
    if not due and not waiting:
        return []
    return [{"template": "reports/panel.html", "due": due, "waiting": waiting, "today": today}]
