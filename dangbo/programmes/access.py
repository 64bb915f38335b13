"""Who may see and act on programmes, reports and events. Out of scope is a 404.

A programme is seen by staff covering its unit (its subtree's staff) and by staff below that unit (a
bloc programme is what the grassroots adopt, so they read it); a report only by staff covering the
reporting unit and by the level above. Programme members (plain members) see nothing here.

- edit a programme (indicators, tasks): write roles over its unit;
- adopt a programme: write roles over a unit strictly below the programme's unit;
- write and submit a report: write roles over the reporting programme's unit;
- accept or return a report: write roles over the parent programme's unit (the level above);
- see the progress of the adopting units: staff covering the programme's unit (each row scoped again).

Events follow the same shape: everyone in the organizer's subtree (and its staff) sees the event;
registrations are seen by the organizer's staff and by staff covering the registering unit.
"""

from django.db.models import Q
from django.http import Http404

from dangbo.accounts.access import WRITE_ROLES, covers, is_staff_user, path_q, scope_paths
from dangbo.org.models import OrgUnit
from dangbo.programmes.models import Event, Programme, Registration, Report


def _ancestor_ids(paths):
    return {int(x) for p in paths for x in p.strip("/").split("/") if x}


def _around_scope_q(field, paths):
    """Rows whose ``field`` unit lies in one of ``paths`` or above one of them."""
    if not paths:
        return Q(pk__in=[])
    return path_q(f"{field}__path", paths) | Q(**{f"{field}_id__in": _ancestor_ids(paths)})


def programmes_visible_to(user):
    return Programme.objects.filter(_around_scope_q("unit", scope_paths(user)))


def get_programme_for_user(user, pk, *, edit=False):
    try:
        programme = Programme.objects.select_related("unit", "parent__unit", "document").get(pk=pk)
    except (Programme.DoesNotExist, ValueError, TypeError):
        raise Http404
    if not programmes_visible_to(user).filter(pk=programme.pk).exists():
        raise Http404
    if edit and not can_edit(user, programme):
        raise Http404
    return programme


def can_edit(user, programme):
    return covers(user, programme.unit.path, roles=WRITE_ROLES)


def sees_subtree(user, programme):
    """Staff covering the programme's unit see the adopting units below it (progress, reports)."""
    return covers(user, programme.unit.path)


def adopting_units(user, programme):
    """Units the user may adopt ``programme`` for: in their write scope, directly under its unit (the grassroots
    adopt the bloc's programme; a cell adopts its grassroots' action programme), not yet adopted."""
    paths = scope_paths(user, roles=WRITE_ROLES)
    if not paths:
        return OrgUnit.objects.none()
    return (
        OrgUnit.objects.active()
        .filter(path_q("path", paths), parent_id=programme.unit_id)
        .exclude(programmes__parent=programme)
        .order_by("path")
    )


def reports_visible_to(user):
    """Reports of programmes whose unit lies in the user's subtrees."""
    return Report.objects.filter(path_q("programme__unit__path", scope_paths(user)))


def get_report_for_user(user, pk):
    try:
        report = Report.objects.select_related("programme__unit", "programme__parent__unit").get(pk=pk)
    except (Report.DoesNotExist, ValueError, TypeError):
        raise Http404
    if not covers(user, report.programme.unit.path):
        raise Http404
    return report


def can_write_report(user, programme):
    return covers(user, programme.unit.path, roles=WRITE_ROLES)


def can_review(user, report):
    parent = report.programme.parent
    return parent is not None and covers(user, parent.unit.path, roles=WRITE_ROLES)


def events_visible_to(user):
    if not is_staff_user(user):
        return Event.objects.none()
    return Event.objects.filter(_around_scope_q("unit", scope_paths(user)))


def get_event_for_user(user, pk, *, manage=False):
    try:
        event = Event.objects.select_related("unit").get(pk=pk)
    except (Event.DoesNotExist, ValueError, TypeError):
        raise Http404
    if not events_visible_to(user).filter(pk=event.pk).exists():
        raise Http404
    if manage and not can_manage_event(user, event):
        raise Http404
    return event


def can_manage_event(user, event):
    return covers(user, event.unit.path, roles=WRITE_ROLES)


def registrations_visible_to(user, event):
    qs = event.registrations.all()
    if covers(user, event.unit.path):
        return qs
    return qs.filter(path_q("unit__path", scope_paths(user)))


def registering_units(user, event):
    """Units directly under the organizer (the grassroots organizations under the bloc) the user may register for."""
    paths = scope_paths(user, roles=WRITE_ROLES)
    if not paths:
        return OrgUnit.objects.none()
    units = OrgUnit.objects.active().filter(path__startswith=event.unit.path).exclude(pk=event.unit_id)
    return units.filter(path_q("path", paths), parent_id=event.unit_id).order_by("path")


def get_registration_for_user(user, event, pk):
    try:
        reg = Registration.objects.select_related("unit", "member").get(pk=pk, event=event)
    except (Registration.DoesNotExist, ValueError, TypeError):
        raise Http404
    if not (can_manage_event(user, event) or covers(user, reg.unit.path, roles=WRITE_ROLES)):
        raise Http404
    return reg
