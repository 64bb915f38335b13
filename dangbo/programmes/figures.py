"""This app's figures for periodic reports (core.figures)."""

from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from dangbo.core.figures import Figure
from dangbo.org.dated import subtree_on
from dangbo.programmes import services
from dangbo.programmes.models import Programme, Registration, Report, Task


def period_figures(unit, start, end):
    section = _("Implementation of resolutions")
    within = subtree_on(unit, end)  # the tree at the end of the period (org.dated)
    tasks = Task.objects.filter(owner_unit_id__in=within, due_on__gte=start, due_on__lte=end)
    # Done on time: reported done on or before the deadline (which lies inside the period).
    on_time = Q(status=Task.Status.DONE, done_on__lte=F("due_on"))
    agg = tasks.aggregate(due=Count("pk"), on_time=Count("pk", filter=on_time))
    missing = 0
    progs = Programme.objects.filter(parent__isnull=False, unit_id__in=within)
    counted = set(
        Report.objects.filter(programme__in=progs, state__in=Report.COUNTED, submitted_on__lte=end).values_list(
            "programme_id", "period_start"
        )
    )
    for p in progs.filter(starts_on__lte=end, ends_on__gte=start - _year()):
        for period in services.periods(p):
            if start <= period.due <= end and (p.pk, period.start) not in counted:
                missing += 1
    regs = Registration.objects.filter(
        unit_id__in=within, event__starts_on__gte=start, event__starts_on__lte=end
    ).aggregate(n=Count("pk"), units=Count("unit", distinct=True))
    contests = _("Events and contests")
    return [
        Figure("programmes.tasks_due", _("Programme tasks due in the period"), agg["due"], section),
        Figure("programmes.tasks_done_on_time", _("Tasks done by their deadline"), agg["on_time"], section),
        Figure("programmes.tasks_overdue", _("Tasks not done by their deadline"), agg["due"] - agg["on_time"], section),
        Figure("programmes.reports_missing", _("Progress reports due and not submitted"), missing, section),
        Figure("contests.participants", _("Participants registered in events and contests"), regs["n"], contests),
        Figure("contests.units", _("Units with participants in events and contests"), regs["units"], contests),
    ]


def _year():
    import datetime

    return datetime.timedelta(days=366)
