"""The tree of a given day: which units were under which, from the units' history (OrgUnitVersion).

``OrgUnit.path`` is today's tree, a cache that restructuring keeps in step. A figure, a report or a
rule lookup for a past day must use the tree *of that day*: after a cell moved from G01 to G02 in
April 2021, G01's first quarter of 2021 still counts it. Every such question goes through here:

- ``subtree_on(unit, day)``: the units of ``unit``'s subtree on ``day`` (``unit__in=`` ready);
- ``ancestor_ids_on(unit, day)``: the chain above ``unit`` on ``day`` (for rule overrides).

Both answer from today's paths when no unit changed parent since ``day`` (the common case: one
indexed query to know it), and otherwise from the versions in force on ``day`` — a query over the
units' history, whose size grows with the units, never with the members.
"""

from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from dangbo.org.models import OrgUnit, OrgUnitVersion

# Changes that give a unit another parent than the one it had.
PARENT_CHANGES = (OrgUnitVersion.Change.MOVED,)


def _moves_after(day, unit_ids=None):
    """Whether a unit (of ``unit_ids``) changed parent on or after ``day`` or today, whichever is first:
    only then can today's paths differ from the tree of ``day`` (a move dated in the future is in the
    history before the daily job applies it to the paths on its date)."""
    day = min(day, timezone.localdate())
    qs = OrgUnitVersion.objects.filter(change__in=PARENT_CHANGES, valid_from__gte=day)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    return qs.exists()


def tree_changed_since(day):
    """Whether any unit changed parent from ``day`` on: a figure over a period can then use one tree for
    the whole period only if not."""
    return _moves_after(day)


def parents_on(day):
    """{unit id: parent id} for every unit as it stood on ``day`` (units not existing then are absent)."""
    qs = OrgUnitVersion.objects.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
    parents = {}
    for unit_id, parent_id in qs.order_by("valid_from", "id").values_list("unit_id", "parent_id"):
        parents[unit_id] = parent_id
    return parents


def subtree_ids_on(unit, day):
    """Ids of ``unit`` and every unit under it on ``day``, from the history."""
    children = defaultdict(list)
    for child, parent in parents_on(day).items():
        children[parent].append(child)
    ids, stack = [], [unit.pk]
    seen = set()
    while stack:
        pk = stack.pop()
        if pk in seen:
            continue
        seen.add(pk)
        ids.append(pk)
        stack.extend(children.get(pk, ()))
    return ids


def subtree_on(unit, day=None):
    """The units of ``unit``'s subtree on ``day``, for ``unit__in=``/``unit_id__in=`` filters: a
    sub-select on today's paths when nothing moved since, else the ids from the history."""
    day = day or timezone.localdate()
    if not _moves_after(day):
        return OrgUnit.objects.filter(path__startswith=unit.path).values("pk")
    return subtree_ids_on(unit, day)


def ancestor_ids_on(unit, day=None, *, include_self=False):
    """The ids above ``unit`` on ``day``, top first (as ``OrgUnit.ancestor_ids``)."""
    day = day or timezone.localdate()
    chain = unit.ancestor_ids(include_self=True)
    if not _moves_after(day, chain):
        return chain if include_self else chain[:-1]
    parents = parents_on(day)
    ids, pk = [], unit.pk
    while pk is not None and pk not in ids:
        ids.append(pk)
        pk = parents.get(pk)
    ids.reverse()
    return ids if include_self else ids[:-1]
