"""The committee structure a unit may have, and the warnings when it breaks the rules (DOMAIN.md §1).

Every number comes from the rule registry, resolved for each unit on the day asked (a committee's
override beats the national value). ``structure_warnings`` checks a whole subtree in a fixed number
of queries, whatever its size (bench/committees.py measures it against one SQL query).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from dangbo.committees.models import Seat, Term
from dangbo.core.dates import add_months
from dangbo.members.models import Member
from dangbo.org.models import OrgUnit
from dangbo.rules.models import RuleVersion

RULE_KEYS = (
    "org.cell_min_official_members",
    "org.chi_uy_threshold",
    "org.chi_uy_max_size",
    "org.standing_committee_threshold",
    "org.congress_window_months",
    "org.cell_congress_per_5_years",
    "org.grassroots_term_years",
)
P = Seat.Position
K = OrgUnit.Kind
# Units that have a committee of their own (a party group has a leader, the bloc is above the app).
COMMITTEE_KINDS = (K.GRASSROOTS_COMMITTEE, K.GRASSROOTS_CELL, K.SUB_COMMITTEE, K.SUBORDINATE_CELL)
# Inspection commissions exist from đảng ủy cơ sở upward (296-QĐ/TW Điều 7).
INSPECTION_KINDS = (K.BLOC, K.GRASSROOTS_COMMITTEE)


class RuleBook:
    """The versions of several rules read in one query, resolved per unit and day as the registry does."""

    def __init__(self, keys=RULE_KEYS):
        self.versions = defaultdict(list)
        for v in RuleVersion.objects.filter(rule__key__in=keys).select_related("rule", "scope_unit"):
            self.versions[v.rule.key].append(v)

        self._ancestors = {}

    def value(self, key, *, unit, on):
        ancestors = set()
        if unit is not None:
            ancestors = self._ancestors.get(unit.path)
            if ancestors is None:
                ancestors = self._ancestors[unit.path] = set(unit.ancestor_ids(include_self=True))
        best = None
        for v in self.versions.get(key, ()):
            if not v.covers(on) or (v.scope_unit_id and v.scope_unit_id not in ancestors):
                continue
            rank = (len(v.scope_unit.path) if v.scope_unit_id else 0, v.effective_from, v.pk)
            if best is None or rank > best[0]:
                best = (rank, v.value)
        return None if best is None else best[1]


def term_months(unit, congress_date, book=None):
    """Length of a term opened on ``congress_date``: cells hold ``org.cell_congress_per_5_years`` congresses
    in 5 years; committees serve ``org.grassroots_term_years``."""
    book = book or RuleBook()
    if unit.kind in OrgUnit.CELL_KINDS:
        per5 = book.value("org.cell_congress_per_5_years", unit=unit, on=congress_date)
        return 60 // per5 if per5 else None
    years = book.value("org.grassroots_term_years", unit=unit, on=congress_date)
    return years * 12 if years else None


def term_end(unit, congress_date, book=None):
    months = term_months(unit, congress_date, book)
    return add_months(congress_date, months) if months else None


@dataclass(frozen=True)
class Warning:
    code: str
    message: str
    level: str = "warning"  # "danger", "warning" or "info"


MESSAGES = {
    "below_min": _("Only %(n)s official members: a cell needs at least %(min)s."),
    "too_large": _("A committee of %(size)s: at most %(max)s members for a cell of %(n)s official members."),
    "no_chi_uy": _(
        "%(n)s official members (fewer than %(threshold)s): only a secretary and possibly a deputy, no cell committee."
    ),
    "many_deputies": _("%(count)s deputy secretaries: a cell has one."),
    "no_secretary": _("No secretary in office."),
    "many_secretaries": _("%(count)s secretaries in office."),
    "standing_not_allowed": _(
        "A standing committee needs a committee of at least %(threshold)s members (now %(size)s)."
    ),
    "inspection_not_allowed": _("Inspection commissions exist only from the grassroots party committee upward."),
    "congress_due": _("Congress due: the term ends on %(end)s (allowed from %(early)s to %(late)s)."),
    "congress_overdue": _("Congress overdue: the term ended on %(end)s, the latest allowed was %(late)s."),
    "no_term": _("No congress recorded."),
    "appointed_secretary": _("The secretary was appointed, not elected."),
}
TITLES = {
    "below_min": _("Cell below the minimum"),
    "too_large": _("Committee too large"),
    "no_chi_uy": _("No cell committee allowed"),
    "many_deputies": _("More than one deputy"),
    "no_secretary": _("No secretary"),
    "many_secretaries": _("Several secretaries"),
    "standing_not_allowed": _("Standing committee not allowed"),
    "inspection_not_allowed": _("Inspection commission not allowed"),
    "congress_due": _("Congress due"),
    "congress_overdue": _("Congress overdue"),
    "no_term": _("No congress recorded"),
    "appointed_secretary": _("Appointed secretary"),
}
LEVELS = {"below_min": "danger", "congress_overdue": "danger", "no_secretary": "danger", "appointed_secretary": "info"}


def _w(code, **params):
    for k, v in params.items():
        if hasattr(v, "strftime"):
            params[k] = v.strftime("%d/%m/%Y")
    return Warning(code, MESSAGES[code] % params, LEVELS.get(code, "warning"))


@dataclass
class Facts:
    """What the checks need to know about one unit on a day."""

    official: int = 0
    secretaries: int = 0
    deputies: int = 0
    standing: int = 0
    committee_size: int = 0  # distinct members on the committee (secretary, deputy, standing, member)
    inspection: int = 0
    appointed_secretary: bool = False
    term_end: object = None


def gather(units, on):
    """{unit_id: Facts} for ``units`` on ``on``, in three queries whatever their number."""
    ids = [u.pk for u in units]
    facts = {pk: Facts() for pk in ids}
    official = (
        Member.objects.filter(unit_id__in=ids, status=Member.Status.OFFICIAL)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in official:
        facts[row["unit_id"]].official = row["n"]
    seats = (
        Seat.objects.filter(unit_id__in=ids, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
        .values_list("unit_id", "member_id", "position", "method")
    )
    committee = defaultdict(set)
    for unit_id, member_id, position, method in seats:
        f = facts[unit_id]
        if position in Seat.COMMITTEE_POSITIONS:
            committee[unit_id].add(member_id)
        if position == P.SECRETARY:
            f.secretaries += 1
            f.appointed_secretary |= method == Seat.Method.APPOINTED
        elif position == P.DEPUTY_SECRETARY:
            f.deputies += 1
        elif position == P.STANDING:
            f.standing += 1
        elif position in Seat.INSPECTION_POSITIONS:
            f.inspection += 1
    for unit_id, members in committee.items():
        facts[unit_id].committee_size = len(members)
    terms = Term.objects.filter(unit_id__in=ids, congress_date__lte=on).values_list(
        "unit_id", "congress_date", "ends_on"
    )
    latest = {}
    for unit_id, congress, ends in terms:
        if unit_id not in latest or congress > latest[unit_id][0]:
            latest[unit_id] = (congress, ends)
    for unit_id, (_congress, ends) in latest.items():
        facts[unit_id].term_end = ends
    return facts


def check(unit, f, *, on, book):
    """The warnings of one unit from its facts (no query)."""

    def rule(key):
        return book.value(key, unit=unit, on=on)

    out = []
    if unit.kind not in COMMITTEE_KINDS:
        if f.inspection and unit.kind not in INSPECTION_KINDS:
            out.append(_w("inspection_not_allowed"))
        return out
    if unit.kind in OrgUnit.CELL_KINDS:
        minimum, threshold, max_size = (
            rule("org.cell_min_official_members"),
            rule("org.chi_uy_threshold"),
            rule("org.chi_uy_max_size"),
        )
        if minimum is not None and f.official < minimum:
            out.append(_w("below_min", n=f.official, min=minimum))
        if threshold is not None and f.official >= threshold:
            if max_size is not None and f.committee_size > max_size:
                out.append(_w("too_large", size=f.committee_size, max=max_size, n=f.official))
        elif threshold is not None and (f.committee_size > f.secretaries + f.deputies or f.standing):
            out.append(_w("no_chi_uy", n=f.official, threshold=threshold))
        if f.deputies > 1:
            out.append(_w("many_deputies", count=f.deputies))
    if f.standing and unit.kind not in OrgUnit.CELL_KINDS:
        threshold = rule("org.standing_committee_threshold")
        if threshold is not None and f.committee_size < threshold:
            out.append(_w("standing_not_allowed", threshold=threshold, size=f.committee_size))
    if f.inspection and unit.kind not in INSPECTION_KINDS:
        out.append(_w("inspection_not_allowed"))
    if f.secretaries == 0:
        out.append(_w("no_secretary"))
    elif f.secretaries > 1:
        out.append(_w("many_secretaries", count=f.secretaries))
    if f.appointed_secretary:
        out.append(_w("appointed_secretary"))
    if f.term_end is None:
        out.append(_w("no_term"))
    else:
        window = rule("org.congress_window_months") or 0
        early, late = add_months(f.term_end, -window), add_months(f.term_end, window)
        if on > late:
            out.append(_w("congress_overdue", end=f.term_end, late=late))
        elif on >= early:
            out.append(_w("congress_due", end=f.term_end, early=early, late=late))
    return out


def structure_warnings(units, *, on, book=None):
    """{unit: [Warning]} for the active ``units`` (an iterable of OrgUnit) on ``on``; units without warnings
    are left out."""
    units = [u for u in units if u.is_active_on(on)]
    book = book or RuleBook()
    facts = gather(units, on)
    result = {}
    for u in units:
        found = check(u, facts[u.pk], on=on, book=book)
        if found:
            result[u] = found
    return result


def allowed_structure(unit, official, *, on, book=None):
    """A sentence saying what committee the unit may elect with ``official`` official members."""
    book = book or RuleBook()
    if unit.kind in OrgUnit.CELL_KINDS:
        threshold = book.value("org.chi_uy_threshold", unit=unit, on=on)
        max_size = book.value("org.chi_uy_max_size", unit=unit, on=on)
        if threshold is not None and official >= threshold:
            return _("A cell committee of at most %(max)s members, with a secretary and a deputy.") % {"max": max_size}
        return _("A secretary and, if needed, a deputy secretary.")
    if unit.kind in COMMITTEE_KINDS:
        threshold = book.value("org.standing_committee_threshold", unit=unit, on=on)
        return _("A party committee; with %(threshold)s or more committee members, a standing committee.") % {
            "threshold": threshold
        }
    return ""
