"""Who may see and act on cell meetings. Out of scope is a 404.

Staff see the meetings of the cells in their subtrees; write roles over the cell (its secretary, the
grassroots staff above, the bloc office) plan, notice, record and lock. A plain member sees the
meetings of their own cell and sends excuses. The quality sheet a cell fills is reviewed by the
committee above: write roles over the cell's parent.
"""

from django.db.models import Q
from django.http import Http404

from dangbo.accounts.access import WRITE_ROLES, admin_paths, covers, is_staff_user, path_q, scope_paths
from dangbo.meetings.models import Meeting, MeetingDocument, QualityTemplate, Venue
from dangbo.org.models import OrgUnit


def own_member(user):
    return getattr(user, "member", None) if user.is_authenticated else None


def meetings_visible_to(user):
    paths = scope_paths(user)
    if paths:
        return Meeting.objects.filter(unit_id__in=OrgUnit.objects.filter(path_q("path", paths)).values("pk"))
    member = own_member(user)
    if member is not None:
        return Meeting.objects.filter(unit_id=member.unit_id)
    return Meeting.objects.none()


def can_write(user, meeting_or_unit):
    unit = getattr(meeting_or_unit, "unit", meeting_or_unit)
    return covers(user, unit.path, roles=WRITE_ROLES)


def can_review(user, meeting):
    parent = meeting.unit.parent
    return parent is not None and covers(user, parent.path, roles=WRITE_ROLES)


def get_meeting_for_user(user, pk, *, write=False, review=False):
    try:
        meeting = Meeting.objects.select_related("unit", "unit__parent", "venue", "chair", "recorder").get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404
    if write and not can_write(user, meeting):
        raise Http404
    if review and not can_review(user, meeting):
        raise Http404
    if not (covers(user, meeting.unit.path) or _own_cell(user, meeting.unit_id)):
        raise Http404
    return meeting


def _own_cell(user, unit_id):
    member = own_member(user)
    return member is not None and member.unit_id == unit_id


def get_document_for_user(user, pk):
    try:
        doc = MeetingDocument.objects.select_related("meeting__unit").get(pk=pk)
    except (MeetingDocument.DoesNotExist, ValueError, TypeError):
        raise Http404
    get_meeting_for_user(user, doc.meeting_id)
    return doc


def get_cell_for_user(user, pk, *, write=False):
    """A cell (a unit that holds meetings) the staff user covers."""
    try:
        unit = OrgUnit.objects.select_related("parent").get(pk=pk, kind__in=OrgUnit.CELL_KINDS)
    except (OrgUnit.DoesNotExist, ValueError, TypeError):
        raise Http404
    roles = WRITE_ROLES if write else None
    if not (covers(user, unit.path, roles=roles) if roles else covers(user, unit.path)):
        raise Http404
    return unit


def writable_cells(user):
    paths = scope_paths(user, roles=WRITE_ROLES)
    return OrgUnit.objects.active().filter(path_q("path", paths), kind__in=OrgUnit.CELL_KINDS).order_by("path")


def require_staff(user):
    if not is_staff_user(user):
        raise Http404


def venues_visible_to(user):
    """Shared venues managed by a unit in the user's subtrees or above it (a cell books its committee's hall)."""
    paths = scope_paths(user)
    if not paths:
        return Venue.objects.none()
    ancestors = {int(x) for p in paths for x in p.strip("/").split("/") if x}
    return Venue.objects.filter(path_q("owner_unit__path", paths) | Q(owner_unit_id__in=ancestors))


def venue_owner_units(user):
    """Units for which the user may register a venue: committees (not cells) where they administer."""
    paths = admin_paths(user)
    return OrgUnit.objects.active().filter(path_q("path", paths)).exclude(kind__in=OrgUnit.CELL_KINDS).order_by("path")


def templates_visible_to(user):
    paths = admin_paths(user)
    return QualityTemplate.objects.filter(path_q("unit__path", paths)).select_related("unit")


def template_for(unit):
    """The quality template of the nearest committee above ``unit`` that configured one (None: the default)."""
    ids = unit.ancestor_ids(include_self=True)
    found = {t.unit_id: t for t in QualityTemplate.objects.filter(unit_id__in=ids).order_by("pk")}
    for uid in reversed(ids):
        if uid in found:
            return found[uid]
    return None
