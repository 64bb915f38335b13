"""Who may see and act on periodic reports and reconciliations. Out of scope is a 404.

Staff covering a grassroots organization see its reports and reconciliations. The unit's own side
(write roles over the unit that do not also cover the level above) fills in and submits its report and
signs a reconciliation for the unit; the level above (write roles over the unit's parent) accepts or
returns the report and signs for the level above.
"""

from django.http import Http404

from dangbo.accounts.access import STAFF_ROLES, WRITE_ROLES, covers, is_staff_user, path_q, scope_paths
from dangbo.org.models import OrgUnit
from dangbo.reports.models import PeriodicReport, Reconciliation


def reports_visible_to(user):
    return PeriodicReport.objects.filter(path_q("unit__path", scope_paths(user, roles=STAFF_ROLES)))


def reconciliations_visible_to(user):
    return Reconciliation.objects.filter(path_q("unit__path", scope_paths(user, roles=STAFF_ROLES)))


def _parent_path(unit):
    return unit.path[: unit.path.rstrip("/").rfind("/") + 1] if unit.parent_id else None


def is_unit_side(user, unit):
    parent = _parent_path(unit)
    return covers(user, unit.path, roles=WRITE_ROLES) and not (parent and covers(user, parent, roles=WRITE_ROLES))


def is_upper_side(user, unit):
    parent = _parent_path(unit)
    return bool(parent) and covers(user, parent, roles=WRITE_ROLES)


def get_reporting_unit(user, pk, *, submit=False):
    """A grassroots organization the user sees (``submit``: whose report the user fills in), else 404."""
    try:
        unit = OrgUnit.objects.select_related("parent").get(pk=pk, kind__in=OrgUnit.GRASSROOTS_KINDS)
    except (OrgUnit.DoesNotExist, ValueError, TypeError):
        raise Http404
    if not covers(user, unit.path, roles=STAFF_ROLES):
        raise Http404
    if submit and not is_unit_side(user, unit):
        raise Http404
    return unit


def get_report_for_user(user, pk, *, decide=False):
    try:
        report = reports_visible_to(user).select_related("unit", "submitted_by", "decided_by").get(pk=pk)
    except (PeriodicReport.DoesNotExist, ValueError, TypeError):
        raise Http404
    if decide and not is_upper_side(user, report.unit):
        raise Http404
    return report


def get_reconciliation_for_user(user, pk):
    try:
        return reconciliations_visible_to(user).select_related("unit", "unit_signed_by", "upper_signed_by").get(pk=pk)
    except (Reconciliation.DoesNotExist, ValueError, TypeError):
        raise Http404


def require_staff(user):
    if not is_staff_user(user):
        raise Http404


def reconcilable_units(user):
    """Grassroots organizations whose reconciliation the user may record (either side)."""
    paths = scope_paths(user, roles=WRITE_ROLES)
    return OrgUnit.objects.active().filter(path_q("path", paths), kind__in=OrgUnit.GRASSROOTS_KINDS).order_by("path")
