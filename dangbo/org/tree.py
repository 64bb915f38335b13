"""Building the tree shown on the tree page: the user's units, today or as of
a past date, with subtree member counts, in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from dangbo.core.text import fold
from dangbo.org.models import OrgUnit
from dangbo.org.services import versions_on
from dangbo.rules.registry import RuleMissing, rule

DEFAULT_MIN_OFFICIAL = 3  # Điều lệ Điều 21; used when the rule registry has no value


@dataclass
class Node:
    unit: OrgUnit
    name: str
    kind: str
    kind_label: str
    parent_id: int | None
    children: list = field(default_factory=list)
    members: int = 0
    official: int = 0
    subtree_members: int = 0
    match: bool = False
    open: bool = False

    @property
    def below_minimum(self):
        return self.unit.kind in OrgUnit.CELL_KINDS and self.official < self.min_official

    min_official = DEFAULT_MIN_OFFICIAL


def member_counts(unit_ids):
    """{unit id: (current members, official members)} in one grouped query."""
    from dangbo.members.models import Member

    counts = defaultdict(lambda: [0, 0])
    rows = (
        Member.objects.current()
        .filter(unit_id__in=unit_ids)
        .values("unit_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[row["unit_id"]][0] += row["n"]
        if row["status"] == Member.Status.OFFICIAL:
            counts[row["unit_id"]][1] += row["n"]
    return counts


def min_official_members(unit):
    try:
        return int(rule("org.cell_min_official_members", unit=unit))
    except (RuleMissing, TypeError, ValueError):
        return DEFAULT_MIN_OFFICIAL


def build_tree(units_qs, *, on=None, query="", cluster=None):
    """Roots of the forest of ``units_qs`` as it stood on ``on`` (today when None)."""
    today = timezone.localdate()
    past = on is not None and on != today
    units = {u.pk: u for u in units_qs.select_related("cluster")}
    if past:
        versions = versions_on(on, unit_ids=list(units))
        nodes = {pk: Node(units[pk], v.name, v.kind, v.get_kind_display(), v.parent_id) for pk, v in versions.items()}
    else:
        nodes = {
            pk: Node(u, u.name, u.kind, u.get_kind_display(), u.parent_id)
            for pk, u in units.items()
            if u.is_active_on(today)
        }
        counts = member_counts(list(nodes))
        for pk, (total, official) in counts.items():
            nodes[pk].members, nodes[pk].official = total, official
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.parent_id)
        (parent.children if parent else roots).append(node)
    minimum = min_official_members(roots[0].unit) if roots else DEFAULT_MIN_OFFICIAL

    def finish(node):
        node.min_official = minimum
        node.children.sort(key=lambda n: (n.kind != OrgUnit.Kind.GRASSROOTS_COMMITTEE, n.kind, fold(n.name)))
        node.subtree_members = node.members + sum(finish(c) for c in node.children)
        return node.subtree_members

    roots.sort(key=lambda n: fold(n.name))
    for r in roots:
        finish(r)
    if query or cluster:
        roots = _filter(roots, fold(query), cluster)
    return roots


def _filter(nodes, folded_query, cluster):
    """Keep matching nodes with their ancestors (opened) and their subtrees."""
    kept = []
    for node in nodes:
        hit = (not folded_query or folded_query in fold(node.name) or folded_query == fold(node.unit.code)) and (
            not cluster or node.unit.cluster_id == cluster.pk
        )
        if hit:
            node.match = bool(folded_query)
            kept.append(node)
            continue
        node.children = _filter(node.children, folded_query, cluster)
        if node.children:
            node.open = True
            kept.append(node)
    return kept


def count_nodes(roots):
    return sum(1 + count_nodes(n.children) for n in roots)
