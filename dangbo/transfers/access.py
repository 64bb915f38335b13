"""Who may see and act on transfers. Out of scope is a 404.

Both sides see a transfer: staff covering the sending unit and staff covering the receiving unit.
The sending side (write roles over ``from_unit``) requests, issues the letter, hands the record over
and cancels; only the receiving side (write roles over ``to_unit``) confirms receipt. A temporary
stay may be ended by either side.
"""

from django.db.models import Q
from django.http import Http404

from dangbo.accounts.access import WRITE_ROLES, covers, path_q, scope_paths
from dangbo.members.models import Member
from dangbo.org.models import OrgUnit
from dangbo.transfers.models import Transfer

SENDER_STEPS = {"issue", "send", "cancel"}
RECEIVER_STEPS = {"receive"}
EITHER_STEPS = {"end"}
STEPS = SENDER_STEPS | RECEIVER_STEPS | EITHER_STEPS


def transfers_visible_to(user):
    paths = scope_paths(user)
    if not paths:
        return Transfer.objects.none()
    return Transfer.objects.filter(path_q("from_unit__path", paths) | path_q("to_unit__path", paths))


def is_sender(user, transfer):
    return transfer.from_unit_id is not None and covers(user, transfer.from_unit.path, roles=WRITE_ROLES)


def is_receiver(user, transfer):
    return transfer.to_unit_id is not None and covers(user, transfer.to_unit.path, roles=WRITE_ROLES)


def can_act(user, transfer, step):
    if step in SENDER_STEPS:
        return is_sender(user, transfer)
    if step in RECEIVER_STEPS:
        return is_receiver(user, transfer)
    if step in EITHER_STEPS:
        return is_sender(user, transfer) or is_receiver(user, transfer)
    return False


def get_transfer_for_user(user, pk, *, step=None):
    try:
        transfer = Transfer.objects.select_related("member", "from_unit", "to_unit", "created_by").get(pk=pk)
    except (Transfer.DoesNotExist, ValueError, TypeError):
        raise Http404
    sides = [u.path for u in (transfer.from_unit, transfer.to_unit) if u is not None]
    if not any(covers(user, p) for p in sides):
        raise Http404
    if step is not None and not can_act(user, transfer, step):
        raise Http404
    return transfer


def write_paths(user):
    return scope_paths(user, roles=WRITE_ROLES)


def transferable_members(user):
    """Members on the books whose official unit the user may write in (who they may send away)."""
    paths = write_paths(user)
    if not paths:
        return Member.objects.none()
    return Member.objects.filter(path_q("unit__path", paths), status__in=Member.CURRENT_STATUSES)


def receiving_cells(user):
    """Cells in which the user may register a member transferred in from outside the system."""
    paths = write_paths(user)
    if not paths:
        return OrgUnit.objects.none()
    return OrgUnit.objects.active().filter(path_q("path", paths), kind__in=OrgUnit.CELL_KINDS).order_by("path")


def pending_q(paths, side):
    """Open transfers whose ``side`` ("from_unit" or "to_unit") lies in ``paths``."""
    open_q = Q(state__in=Transfer.OPEN_STATES) & ~Q(kind=Transfer.Kind.OFFICIAL_OUT, state=Transfer.State.RECORD_SENT)
    open_q |= Q(kind=Transfer.Kind.TEMPORARY, state=Transfer.State.RECEIVED)
    return open_q & path_q(f"{side}__path", paths)
