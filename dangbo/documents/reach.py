"""Who a document reaches and who has read it, computed by query from its targets.

A distribution to a whole tree of a million members writes a handful of Target rows; recipients are
the current members of the targeted units (``member_reach``) plus the holders of targeted roles and
named persons (``extra_users``). A Receipt is written when someone opens the document, so "unread by
unit" is the members reached minus those with a receipt, grouped by unit.
"""

from collections import defaultdict

from django.db.models import Count, Exists, FilteredRelation, OuterRef, Q

from dangbo.accounts.access import path_q
from dangbo.accounts.models import RoleAssignment, User
from dangbo.documents.models import Receipt, Target
from dangbo.members.models import Member
from dangbo.org.models import OrgUnit

TK = Target.Kind


def _targets(document, distributions=None):
    qs = Target.objects.filter(distribution__document=document).select_related("unit")
    if distributions is not None:
        qs = qs.filter(distribution__in=distributions)
    return list(qs)


def member_reach(document, *, within=None, targets=None):
    """Current members reached through unit and subtree targets (optionally only inside the ``within``
    subtree paths). ``None`` when the document has no unit target."""
    targets = _targets(document) if targets is None else targets
    subtree_paths = sorted({t.unit.path for t in targets if t.kind == TK.SUBTREE})
    unit_ids = sorted({t.unit_id for t in targets if t.kind == TK.UNIT})
    if not subtree_paths and not unit_ids:
        return None
    # Drop subtrees nested in another targeted subtree.
    subtree_paths = [p for p in subtree_paths if not any(p != o and p.startswith(o) for o in subtree_paths)]
    units = OrgUnit.objects.filter(path_q("path", subtree_paths) | Q(pk__in=unit_ids))
    if within is not None:
        units = units.filter(path_q("path", within))
    return Member.objects.current().filter(unit_id__in=units.values("pk"))


def unit_counts(document, *, within=None, targets=None):
    """{unit_id: [members reached, members who read]} for every unit with reached members: one GROUP BY
    over the members reached, LEFT JOIN their receipt of this document."""
    members = member_reach(document, within=within, targets=targets)
    if members is None:
        return {}
    rows = (
        members.annotate(
            receipt=FilteredRelation("document_receipts", condition=Q(document_receipts__document=document))
        )
        .values_list("unit_id")
        .annotate(total=Count("id"), read=Count("receipt__id"))
        .order_by()
    )
    return {unit_id: [total, read] for unit_id, total, read in rows}


def rollup(counts, parent):
    """Rows (unit, reached, read) for the children of ``parent`` (and ``parent`` itself for its own
    members), each summing its subtree, from ``unit_counts``."""
    if not counts:
        return []
    paths = dict(OrgUnit.objects.filter(pk__in=list(counts)).values_list("pk", "path"))
    depth = parent.path.count("/") - 1  # index of the child id in the split path
    per_child = defaultdict(lambda: [0, 0])
    for unit_id, (total, read) in counts.items():
        path = paths.get(unit_id, "")
        if not path.startswith(parent.path):
            continue
        ids = path.strip("/").split("/")
        key = int(ids[depth]) if len(ids) > depth else parent.pk
        per_child[key][0] += total
        per_child[key][1] += read
    units = OrgUnit.objects.in_bulk(list(per_child))
    rows = [(units[pk], total, read) for pk, (total, read) in per_child.items() if pk in units]
    rows.sort(key=lambda r: (r[0].pk != parent.pk, r[0].path))
    return rows


def extra_users(document, *, targets=None):
    """Users reached through role and named targets who are not already counted as members reached."""
    targets = _targets(document) if targets is None else targets
    q = Q(pk__in=[t.user_id for t in targets if t.kind == TK.USER])
    for t in targets:
        if t.kind == TK.ROLE:
            q |= Q(
                pk__in=RoleAssignment.objects.filter(role=t.role, unit__path__startswith=t.unit.path).values("user_id")
            )
    users = User.objects.filter(q, is_active=True)
    members = member_reach(document, targets=targets)
    if members is not None:
        users = users.exclude(Exists(members.filter(user_id=OuterRef("pk"))))
    return users


def summary(document, *, within=None):
    """(reached, read) over everyone the document reaches; with ``within`` (subtree paths), only the
    members of those subtrees."""
    targets = _targets(document)
    counts = unit_counts(document, within=within, targets=targets)
    reached = sum(c[0] for c in counts.values())
    read = sum(c[1] for c in counts.values())
    if within is None:  # role holders and named persons have no unit to scope them by
        extras = extra_users(document, targets=targets)
        reached += extras.count()
        read += Receipt.objects.filter(document=document, user_id__in=extras.values("pk")).count()
    return reached, read


def unread_users(document, *, within=None):
    """Users reached who have not opened the document (members with a login, role holders, named)."""
    targets = _targets(document)
    has_read = Receipt.objects.filter(document=document, user_id=OuterRef("pk"))
    q = Q(pk__in=extra_users(document, targets=targets).values("pk"))
    members = member_reach(document, within=within, targets=targets)
    if members is not None:
        q |= Q(pk__in=members.filter(user__isnull=False).values("user_id"))
    return User.objects.filter(q, is_active=True).exclude(Exists(has_read))
