"""The fee book of a cell (Mẫu sổ S01/ĐP, research/fees-forms-interop.md §3.3) and the same figures for a
subtree (a grassroots unit or the bloc).

Part I, per member per month: income base, exempt mark, due this month, arrears of earlier months still to
collect, their total, what was collected in the month, what is still owed at the month's end.
Part II, per month: members on the books at the month's end, exempt members, unpaid, collected, retained,
owed upward, remitted, not remitted; with quarter and year rows.

Reading of the columns (the official guidance to the form was not read, the layout is secondary):

* a due is the ``FeeDue`` of the month; a month is paid when a payment covering it (``from_month`` ..
  ``to_month``) was made on or before the day considered (the same reading as ``services.unpaid_months``);
* "arrears" of month M: dues of months before M not paid by the first day of M; "still owed": dues of months
  up to M not paid by the last day of M; "collected": the payments made (``paid_on``) in M, whatever months
  they cover (an advance payment is collected in the month it is made);
* the retained share comes from the rule registry (``fee.subordinate_cell_retained_percent``, dated, for a
  subordinate cell): where no version is in force (under 01-QĐ/TW none is known) the share, the amount owed
  upward and the balance not remitted are unknown (None), never invented;
* a remittance counts in the month its period ends; "not remitted" is the balance owed upward less remitted
  since the first month of the book.

Members on the books in a month are those of the unit's subtree (the tree of the month's last day,
``org.dated``) whose recorded membership (``MemberInterval``) covers that day, plus members of whom nothing
is recorded, with today's unit. Every figure is read in a fixed number of queries (a handful per book; the
subtree page: a handful plus one per month when the tree changed), the members are counted in Python.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum

from dangbo.core.dates import month_end
from dangbo.fees.models import FeeDeclaration, FeeDue, FeeExemption, FeePayment, FeeRemittance, first_of_month
from dangbo.members.models import Member, MemberInterval
from dangbo.org.dated import parents_on, subtree_ids_on, tree_changed_since
from dangbo.org.models import OrgUnit

RETAINED_KEY = "fee.subordinate_cell_retained_percent"


def vnd(value):
    """An amount as Vietnamese writes it: 1.234.567 ("" for None)."""
    if value is None:
        return ""
    return f"{int(value):,}".replace(",", ".")


def next_month(month):
    return datetime.date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def month_range(start, end):
    """The first days of the months from ``start`` to ``end`` (both included)."""
    months, m = [], first_of_month(start)
    end = first_of_month(end)
    while m <= end:
        months.append(m)
        m = next_month(m)
    return months


# ---- the units and members of each month ------------------------------------------------------------------
def _subtrees(unit, months):
    """{month: set of unit ids of ``unit``'s subtree on the month's last day}."""
    if not tree_changed_since(months[0]):
        ids = set(OrgUnit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))
        return dict.fromkeys(months, ids)
    return {m: set(subtree_ids_on(unit, month_end(m))) for m in months}


def rosters(unit, months):
    """{month: {member id: unit id}} of the members on the books of ``unit``'s subtree at each month's end."""
    subs = _subtrees(unit, months)
    all_ids = set().union(*subs.values())
    first_day, last_day = month_end(months[0]), month_end(months[-1])
    rows = (
        MemberInterval.objects.filter(unit_id__in=all_ids, status__in=Member.CURRENT_STATUSES, valid_from__lte=last_day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=first_day))
        .values_list("member_id", "unit_id", "valid_from", "valid_to")
    )
    rows = list(rows)
    unrecorded = list(
        Member.objects.filter(unit_id__in=subs[months[-1]], status__in=Member.CURRENT_STATUSES)
        .exclude(pk__in=MemberInterval.objects.values("member_id"))
        .values_list("pk", "unit_id")
    )
    result = {}
    for m in months:
        day, sub = month_end(m), subs[m]
        on = {mid: uid for mid, uid, vf, vt in rows if uid in sub and vf <= day and (vt is None or vt > day)}
        on.update(unrecorded)
        result[m] = on
    return result


# ---- the retained share -----------------------------------------------------------------------------------
@dataclass
class Share:
    """The retained share of a month: ``version`` (a RuleVersion) or None when none is known."""

    percent: Decimal | None
    version: object = None
    reason: str = ""

    @property
    def known(self):
        return self.percent is not None


def _versions():
    from dangbo.rules.models import RuleVersion

    return list(RuleVersion.objects.filter(rule__key=RETAINED_KEY).select_related("rule"))


def _share(versions, kind, chain, month):
    from django.utils.translation import gettext as _

    if kind != OrgUnit.Kind.SUBORDINATE_CELL:
        return Share(None, reason=_("No rule in the registry gives the share this kind of organization retains."))
    rank = {pk: i + 1 for i, pk in enumerate(chain)}
    in_force = [v for v in versions if v.covers(month) and (v.scope_unit_id is None or v.scope_unit_id in rank)]
    if not in_force:
        return Share(None, reason=_("No version of the retained share is in force for this month."))
    best = max(in_force, key=lambda v: (rank.get(v.scope_unit_id, 0), v.effective_from, v.pk))
    return Share(Decimal(str(best.value)), best)


def shares(unit, months, versions=None):
    """{month: Share} for ``unit`` (the chain above it of that month for a committee's override)."""
    versions = _versions() if versions is None else versions
    if not tree_changed_since(months[0]):
        chain = unit.ancestor_ids(include_self=True)
        return {m: _share(versions, unit.kind, chain, m) for m in months}
    out = {}
    for m in months:
        parents, ids, pk = parents_on(month_end(m)), [], unit.pk
        while pk is not None and pk not in ids:
            ids.append(pk)
            pk = parents.get(pk)
        out[m] = _share(versions, unit.kind, list(reversed(ids)), m)
    return out


def retained_amount(collected, share):
    if not share.known:
        return None
    return int((Decimal(collected) * share.percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


# ---- Part I ----------------------------------------------------------------------------------------------
@dataclass
class Line:
    """One member's row of a month (Part I), or the month's total (``member`` None)."""

    member: object = None
    income: int | None = None
    exempt: bool = False
    reduction: int = 0
    due: int | None = None
    arrears: int = 0
    paid: int = 0
    owed: int = 0

    @property
    def total(self):
        return (self.due or 0) + self.arrears


@dataclass
class MonthBlock:
    month: object
    lines: list
    total: Line


@dataclass
class SummaryRow:
    """One row of Part II: a month, a quarter (``kind`` "quarter") or the whole book ("year")."""

    label: str
    kind: str
    months: list
    members: int = 0
    exempt: int = 0
    unpaid: int = 0
    collected: int = 0
    retained: int | None = 0
    owed_up: int | None = 0
    remitted: int = 0
    not_remitted: int | None = 0
    remitted_on: list = field(default_factory=list)
    share: Share | None = None


@dataclass
class FeeBook:
    unit: object
    months: list
    blocks: list
    summary: list
    shares: dict

    @property
    def start(self):
        return self.months[0]

    @property
    def end(self):
        return self.months[-1]

    def notes(self):
        """The distinct retained shares used (or unknown), with the months each applies to."""
        seen = {}
        for m in self.months:
            s = self.shares[m]
            key = (s.version.pk if s.version else None, s.reason)
            seen.setdefault(key, (s, []))[1].append(m)
        return list(seen.values())


def _covered(payments, month, by_day):
    return any(f <= month <= t and paid_on <= by_day for f, t, _a, paid_on in payments)


def book(unit, start, end):
    """The fee book (``FeeBook``) of ``unit`` for the months ``start`` .. ``end``."""
    months = month_range(start, end)
    roster = rosters(unit, months)
    member_ids = set().union(*(r.keys() for r in roster.values()))
    last = months[-1]

    dues = defaultdict(dict)  # member -> {month: (amount, exemption percent)}
    for mid, month, amount, pct in FeeDue.objects.filter(member_id__in=member_ids, month__lte=last).values_list(
        "member_id", "month", "amount", "exemption_percent"
    ):
        dues[mid][month] = (amount, pct)
    payments = defaultdict(list)
    for mid, f, t, amount, paid_on in FeePayment.objects.filter(
        member_id__in=member_ids, from_month__lte=last
    ).values_list("member_id", "from_month", "to_month", "amount", "paid_on"):
        payments[mid].append((f, t, amount, paid_on))
    decls = defaultdict(list)
    for mid, f, income in (
        FeeDeclaration.objects.filter(
            member_id__in=member_ids, state=FeeDeclaration.State.CONFIRMED, from_month__lte=month_end(last)
        )
        .order_by("from_month", "id")
        .values_list("member_id", "from_month", "base_income")
    ):
        decls[mid].append((f, income))
    exemptions = defaultdict(list)
    for mid, pct, f, t in FeeExemption.objects.filter(member_id__in=member_ids, from_month__lte=last).values_list(
        "member_id", "percent", "from_month", "to_month"
    ):
        exemptions[mid].append((pct, f, t))
    members = {
        m.pk: m for m in Member.objects.filter(pk__in=member_ids).only("pk", "full_name", "sort_name", "card_number")
    }
    remittances = defaultdict(list)
    for amount, p_end, day in FeeRemittance.objects.filter(
        from_unit=unit, period_end__gte=months[0], period_end__lte=last
    ).values_list("amount", "period_end", "remitted_on"):
        remittances[first_of_month(p_end)].append((amount, day))
    share_of = shares(unit, months)

    blocks = []
    for m in months:
        lines = []
        for mid in sorted(roster[m], key=lambda pk: (members[pk].sort_name, pk)):
            own = dues.get(mid, {})
            pays = payments.get(mid, [])
            amount, pct = own.get(m, (None, None))
            if pct is None:  # no due computed: the exemption decision of the month, if any
                pct = max((p for p, f, t in exemptions.get(mid, ()) if f <= m and (t is None or m <= t)), default=0)
            income = None
            for f, value in decls.get(mid, ()):
                if f <= m:
                    income = value
            exempt = pct == FeeExemption.Percent.FULL
            arrears = sum(
                a
                for month, (a, _p) in own.items()
                if month < m and a and not _covered(pays, month, m - datetime.timedelta(1))
            )
            owed = sum(
                a for month, (a, _p) in own.items() if month <= m and a and not _covered(pays, month, month_end(m))
            )
            paid = sum(a for f, t, a, paid_on in pays if m <= paid_on <= month_end(m))
            lines.append(
                Line(
                    member=members[mid],
                    income=None if exempt else (income or None),
                    exempt=exempt,
                    reduction=0 if exempt else pct,
                    due=None if exempt else amount,
                    arrears=arrears,
                    paid=paid,
                    owed=owed,
                )
            )
        total = Line(
            due=sum(x.due or 0 for x in lines),
            income=sum(x.income or 0 for x in lines),
            arrears=sum(x.arrears for x in lines),
            paid=sum(x.paid for x in lines),
            owed=sum(x.owed for x in lines),
            exempt=False,
        )
        blocks.append(MonthBlock(m, lines, total))

    summary = _summary(blocks, share_of, remittances)
    return FeeBook(unit=unit, months=months, blocks=blocks, summary=summary, shares=share_of)


def _summary(blocks, share_of, remittances):
    from django.utils.translation import gettext as _

    rows = []
    balance = 0  # owed upward less remitted, from the first month of the book
    for b in blocks:
        share = share_of[b.month]
        collected = b.total.paid
        retained = retained_amount(collected, share)
        owed_up = None if retained is None else collected - retained
        remitted = sum(a for a, _d in remittances.get(b.month, ()))
        if balance is not None and owed_up is not None:
            balance += owed_up - remitted
        else:
            balance = None
        rows.append(
            SummaryRow(
                label=f"{b.month:%m/%Y}",
                kind="month",
                months=[b.month],
                members=len(b.lines),
                exempt=sum(1 for x in b.lines if x.exempt),
                unpaid=b.total.owed,
                collected=collected,
                retained=retained,
                owed_up=owed_up,
                remitted=remitted,
                not_remitted=balance,
                remitted_on=sorted(d for _a, d in remittances.get(b.month, ())),
                share=share,
            )
        )
    out = []
    by_quarter = defaultdict(list)
    for r in rows:
        by_quarter[(r.months[0].year, (r.months[0].month - 1) // 3 + 1)].append(r)
    roman = {1: "I", 2: "II", 3: "III", 4: "IV"}
    for (year, q), group in by_quarter.items():
        out.extend(group)
        out.append(_total(group, _("Quarter %(q)s/%(year)s") % {"q": roman[q], "year": year}, "quarter"))
    out.append(
        _total(rows, _("Whole period") if len({r.months[0].year for r in rows}) > 1 else _("Whole year"), "year")
    )
    return out


def _sum(values):
    values = list(values)
    return None if any(v is None for v in values) else sum(values)


def _total(group, label, kind):
    last = group[-1]
    return SummaryRow(
        label=label,
        kind=kind,
        months=[m for r in group for m in r.months],
        members=last.members,  # stocks: as at the end of the last month
        exempt=last.exempt,
        unpaid=last.unpaid,
        not_remitted=last.not_remitted,
        collected=sum(r.collected for r in group),  # flows: summed
        retained=_sum(r.retained for r in group),
        owed_up=_sum(r.owed_up for r in group),
        remitted=sum(r.remitted for r in group),
        remitted_on=[d for r in group for d in r.remitted_on],
    )


# ---- the same figures for a subtree ------------------------------------------------------------------------
@dataclass
class UnitRow:
    unit: object
    collected: int = 0
    retained: int | None = 0
    owed_up: int | None = 0
    remitted: int = 0
    members: int = 0
    late_months: list = field(default_factory=list)  # months ended with collections and no remittance

    @property
    def late(self):
        return bool(self.late_months)


def subtree_summary(unit, start, end, *, today=None):
    """Per unit directly below ``unit`` (the tree of ``end``'s month end), and ``unit`` itself when it
    holds members: collected, retained, owed upward, remitted to ``unit``, months not remitted; and the total.

    Collections are counted where the member was on the books on the day of payment (``MemberInterval``;
    today's unit for a member of whom nothing is recorded); the retained share is that of the unit of the
    row. A fixed number of queries (one more per month when the tree changed is not needed: the tree of
    the last month is used)."""
    from django.db.models import BigIntegerField, F, OuterRef, Subquery
    from django.db.models.functions import Coalesce, TruncMonth
    from django.utils import timezone

    today = today or timezone.localdate()
    months = month_range(start, end)
    day = month_end(months[-1])
    if tree_changed_since(months[0]):
        parents = parents_on(day)
    else:
        parents = dict(OrgUnit.objects.filter(path__startswith=unit.path).values_list("pk", "parent_id"))
    children = defaultdict(list)
    for child, parent in parents.items():
        children[parent].append(child)
    # Every unit of the subtree mapped to the row it counts in (a child of ``unit``, or ``unit`` itself).
    row_of, stack = {unit.pk: unit.pk}, [(c, c) for c in children.get(unit.pk, ())]
    while stack:
        pk, top = stack.pop()
        if pk in row_of:
            continue
        row_of[pk] = top
        stack.extend((c, top) for c in children.get(pk, ()))
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=row_of)}

    unit_at = Subquery(
        MemberInterval.objects.filter(
            member_id=OuterRef("member_id"), valid_from__lte=OuterRef("paid_on"), status__in=Member.CURRENT_STATUSES
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=OuterRef("paid_on")))
        .order_by("-valid_from")
        .values("unit_id")[:1]
    )
    flows = (
        FeePayment.objects.filter(paid_on__gte=months[0], paid_on__lte=day)
        .annotate(at=Coalesce(unit_at, F("member__unit_id"), output_field=BigIntegerField()), m=TruncMonth("paid_on"))
        .filter(at__in=list(row_of))
        .values("at", "m")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    versions = _versions()
    share_cache = {}
    rows = {pk: UnitRow(unit=units[pk]) for pk in {unit.pk, *children.get(unit.pk, ())} if pk in units}
    collected_months = defaultdict(set)
    for r in flows:
        leaf, month, amount = r["at"], first_of_month(r["m"]), r["s"] or 0
        row = rows[row_of[leaf]]
        row.collected += amount
        collected_months[row.unit.pk].add(month)
        # The share of the unit of the row (a cell below keeps its share; a committee's own share is not
        # in the registry, so what a subtree keeps is unknown rather than the sum of its cells' shares).
        key = (row.unit.pk, month)
        if key not in share_cache:
            chain, pk = [], row.unit.pk
            while pk is not None and pk not in chain:
                chain.append(pk)
                pk = parents.get(pk)
            share_cache[key] = _share(versions, row.unit.kind, list(reversed(chain)), month)
        kept = retained_amount(amount, share_cache[key])
        row.retained = None if kept is None or row.retained is None else row.retained + kept
        row.owed_up = None if row.retained is None else row.collected - row.retained
    remitted_months = defaultdict(set)
    for from_id, amount, p_start, p_end in FeeRemittance.objects.filter(
        from_unit_id__in=list(rows), to_unit=unit, period_end__gte=months[0], period_start__lte=months[-1]
    ).values_list("from_unit_id", "amount", "period_start", "period_end"):
        if p_end <= months[-1]:
            rows[from_id].remitted += amount
        for m in month_range(p_start, p_end):
            remitted_months[from_id].add(m)
    for pk, row in rows.items():
        if pk == unit.pk:
            continue  # the unit itself remits to the level above, not to itself
        row.late_months = sorted(
            m for m in collected_months[pk] if month_end(m) < today and m not in remitted_months[pk]
        )
    ordered = sorted((r for pk, r in rows.items() if pk != unit.pk), key=lambda r: r.unit.path)
    own = rows.get(unit.pk)
    if own is not None and own.collected:
        ordered.insert(0, own)
    total = UnitRow(
        unit=None,
        collected=sum(r.collected for r in ordered),
        retained=_sum(r.retained for r in ordered),
        owed_up=_sum(r.owed_up for r in ordered),
        remitted=sum(r.remitted for r in ordered),
        late_months=sorted({m for r in ordered for m in r.late_months}),
    )
    return ordered, total, months
