"""Fee computation (DOMAIN.md §10): the rate comes from the rule registry for the month."""

import datetime
import logging
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from dangbo.core.audit import record
from dangbo.fees.models import ZONE_INDEX, Category, FeeExemption, first_of_month
from dangbo.rules.registry import RuleMissing, lookups_once, rule, rule_version

logger = logging.getLogger("dangbo.ops")

QD01_FROM = datetime.date(2026, 2, 1)

# The rule key of each category's rate (the rules app's ``fee.*`` keys). A percent applies to the
# declared base (salary, allowance, pension); the no-pension categories apply it to the regional
# minimum wage of the member's zone; students pay a fixed amount.
PERCENT_KEYS = {
    Category.INSURED: "fee.rate_insured_percent",
    Category.ALLOWANCE: "fee.rate_sick_leave_percent",
    Category.PENSION: "fee.rate_pension_percent",
}
MIN_WAGE_KEYS = {
    Category.NO_PENSION: "fee.rate_no_pension_below_retirement_percent",
    Category.RETIRED_NO_PENSION: "fee.rate_no_pension_retirement_age_percent",
}


def _zone_value(values, zone):
    if not zone:
        raise ValueError("zone")
    return Decimal(str(values[ZONE_INDEX[zone]]))


def rate_versions(category, month, *, zone="", unit=None):
    """The rule versions the amount of ``category`` in ``month`` is computed from, the rate first."""
    category = Category(category)
    month = first_of_month(month)
    if category in PERCENT_KEYS:
        return [rule_version(PERCENT_KEYS[category], on=month, unit=unit)]
    if category == Category.STUDENT:
        return [rule_version("fee.student_vnd", on=month, unit=unit)]
    if month < QD01_FROM:  # 342-QĐ/TW: a fixed amount by area, half of it beyond working age
        found = [rule_version("fee.other_member_vnd", on=month, unit=unit)]
        if category == Category.RETIRED_NO_PENSION:
            found.append(rule_version("fee.other_member_retirement_age_share_percent", on=month, unit=unit))
        return found
    return [
        rule_version(MIN_WAGE_KEYS[category], on=month, unit=unit),
        rule_version("fee.regional_min_wage_vnd", on=month, unit=unit),
    ]


def monthly_amount(category, base_income, month, *, unit=None, zone=""):
    """(amount in VND before exemption, RuleVersion of the rate) for a member of ``category`` in ``month``.

    ``zone`` (I–IV) is needed for the categories outside insurance without a pension.
    """
    category = Category(category)
    month = first_of_month(month)
    versions = rate_versions(category, month, zone=zone, unit=unit)
    first = versions[0]
    if category in PERCENT_KEYS:
        amount = Decimal(base_income) * Decimal(str(first.value)) / 100
    elif category == Category.STUDENT:
        amount = Decimal(str(first.value))
    elif month < QD01_FROM:
        amount = _zone_value(first.value, zone)
        if len(versions) > 1:
            amount = amount * Decimal(str(versions[1].value)) / 100
    else:
        amount = _zone_value(versions[1].value, zone) * Decimal(str(first.value)) / 100
    return _round(amount, month, unit), first


def legal_basis(category, month, *, zone="", unit=None):
    """The legal basis of the amount, as people read it; and whether every version used is verified."""
    versions = rate_versions(category, month, zone=zone, unit=unit)
    return "; ".join(dict.fromkeys(v.legal_basis for v in versions)), all(v.verified for v in versions)


def _round(amount, month, unit):
    step = Decimal(rule("fee.rounding_vnd", on=month, unit=unit) or 1)
    return int((amount / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step)


def apply_exemption(amount, percent):
    """The amount left after an exemption (100) or a reduction (70/50/30) of ``percent``."""
    if percent not in FeeExemption.Percent.values and percent != 0:
        raise ValueError(percent)
    return int((Decimal(amount) * (100 - percent) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def exemption_percent(member, month):
    """The highest exemption or reduction of ``member`` covering ``month``; 100 from the party age of
    ``fee.exempt_party_years`` (50 years, 01-QĐ/TW) where that rule is in force."""
    month = first_of_month(month)
    best = 0
    for e in member.fee_exemptions.all():
        if e.covers(month):
            best = max(best, e.percent)
    if best < 100 and long_membership(member, month):
        best = 100
    return best


def long_membership(member, month):
    """Whether the member's party age reaches ``fee.exempt_party_years`` in ``month`` (no rule: False)."""
    start = member.party_age_from
    if start is None:
        return False
    try:
        years = int(rule("fee.exempt_party_years", on=first_of_month(month), unit=member.unit))
    except RuleMissing:
        return False
    try:
        reached = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        reached = start.replace(year=start.year + years, day=28)
    return reached <= first_of_month(month)


# --- dues, payments, declarations, arrears -------------------------------------------------------

BATCH = 500


def declaration_for(member, month):
    """The confirmed declaration in force for ``member`` in ``month`` (latest ``from_month``), or None."""
    from dangbo.fees.models import FeeDeclaration

    return (
        FeeDeclaration.objects.filter(member=member, state=FeeDeclaration.State.CONFIRMED, from_month__lte=month)
        .order_by("-from_month", "-id")
        .first()
    )


def compute_due(member, month):
    """Create or update the FeeDue of ``member`` for ``month``; None when no confirmed declaration."""
    from dangbo.fees.models import FeeDue

    month = first_of_month(month)
    decl = declaration_for(member, month)
    if decl is None:
        return None
    unit = member.unit
    base, version = monthly_amount(decl.category, decl.base_income, month, unit=unit, zone=decl.zone)
    percent = exemption_percent(member, month)
    due, _ = FeeDue.objects.update_or_create(
        member=member,
        month=month,
        defaults={
            "unit": unit,
            "category": decl.category,
            "base_amount": base,
            "exemption_percent": percent,
            "amount": apply_exemption(base, percent),
            "rule_version": f"{version.pk}: {version.legal_basis}"[:64],
        },
    )
    return due


def compute_dues(unit, month):
    """Dues of every member in ``unit``'s subtree for ``month``, in batches of BATCH; the number computed."""
    from dangbo.members.models import Member

    ids = list(Member.objects.filter(unit__path__startswith=unit.path).order_by("pk").values_list("pk", flat=True))
    done = 0
    with lookups_once():  # the rules read once per (key, unit), not per member
        for start in range(0, len(ids), BATCH):
            done += _compute_batch(ids[start : start + BATCH], month)
    return done


def _compute_batch(ids, month):
    """One transaction per batch: a failing batch leaves the others computed."""
    from dangbo.members.models import Member

    done = 0
    with transaction.atomic():
        for member in Member.objects.filter(pk__in=ids).select_related("unit").prefetch_related("fee_exemptions"):
            try:
                due = compute_due(member, month)
            except (RuleMissing, ValueError):  # no rule for that month, or a declaration without its zone
                logger.warning("fees: no due for member %s in %s", member.pk, month)
                continue
            if due is not None:
                done += 1
    return done


def due_total(member, from_month, to_month):
    from django.db.models import Sum

    from dangbo.fees.models import FeeDue

    qs = FeeDue.objects.filter(member=member, month__gte=from_month, month__lte=to_month)
    return qs.aggregate(s=Sum("amount"))["s"] or 0


def record_cash_payment(*, member, from_month, to_month, amount, paid_on, receipt_number, actor, accept_mismatch=False):
    """Record a cash payment. Returns (payment or None, warning or "").

    An amount that does not match the dues of those months is refused with a warning unless the
    caller confirms it (``accept_mismatch``) — never accepted silently.
    """
    from django.utils.translation import gettext as _

    from dangbo.fees.models import FeePayment

    expected = due_total(member, first_of_month(from_month), first_of_month(to_month))
    warning = ""
    if amount != expected:
        warning = _("The amount %(amount)s VND does not match the %(expected)s VND due for those months.") % {
            "amount": f"{amount:,}".replace(",", "."),
            "expected": f"{expected:,}".replace(",", "."),
        }
        if not accept_mismatch:
            return None, warning
    payment = FeePayment(
        member=member,
        from_month=first_of_month(from_month),
        to_month=first_of_month(to_month),
        amount=amount,
        paid_on=paid_on,
        source=FeePayment.Source.CASH,
        receipt_number=receipt_number.strip(),
        recorded_by=actor,
    )
    payment.full_clean()
    with transaction.atomic():
        payment.save()
        record(
            actor=actor,
            action="fees.cash_payment",
            obj=payment,
            unit=member.unit,
            changes={"amount": [None, amount], "receipt_number": [None, payment.receipt_number]},
            note=warning,
        )
    return payment, warning


def confirm_declarations(declarations, *, actor):
    """Confirm one or many declared declarations; the number confirmed.

    Nobody confirms their own declaration: those are skipped (the view refuses them first).
    """
    from django.utils import timezone

    from dangbo.accounts.access import own_member_id
    from dangbo.fees.models import FeeDeclaration

    now = timezone.now()
    own = own_member_id(actor)
    n = 0
    with transaction.atomic():
        for decl in declarations:
            if decl.state != FeeDeclaration.State.DECLARED or decl.member_id == own:
                continue
            decl.state = FeeDeclaration.State.CONFIRMED
            decl.confirmed_by = actor
            decl.confirmed_at = now
            decl.save(update_fields=["state", "confirmed_by", "confirmed_at"])
            record(
                actor=actor,
                action="fees.confirm_declaration",
                obj=decl,
                unit=decl.member.unit,
                changes={"state": [FeeDeclaration.State.DECLARED, FeeDeclaration.State.CONFIRMED]},
            )
            n += 1
    return n


def declare(*, member, category, base_income, zone, from_month, actor):
    """A member's declaration of category and income from a month, for the cell to confirm."""
    from dangbo.fees.models import ZONE_CATEGORIES, FeeDeclaration

    decl = FeeDeclaration(
        member=member,
        category=category,
        base_income=base_income or 0,
        zone=zone if category in ZONE_CATEGORIES else "",
        from_month=first_of_month(from_month),
    )
    decl.full_clean()
    with transaction.atomic():
        # A newer declaration replaces one the cell has not confirmed yet.
        FeeDeclaration.objects.filter(member=member, state=FeeDeclaration.State.DECLARED).update(
            state=FeeDeclaration.State.REJECTED
        )
        decl.save()
        record(
            actor=actor,
            action="fees.declare",
            obj=decl,
            unit=member.unit,
            changes={"category": [None, category], "base_income": [None, decl.base_income]},
        )
    return decl


def record_remittance(*, from_unit, to_unit, period_start, period_end, amount, remitted_on, actor):
    from dangbo.fees.models import FeeRemittance

    remittance = FeeRemittance(
        from_unit=from_unit,
        to_unit=to_unit,
        period_start=first_of_month(period_start),
        period_end=first_of_month(period_end),
        amount=amount,
        remitted_on=remitted_on,
        recorded_by=actor,
    )
    remittance.full_clean()
    with transaction.atomic():
        remittance.save()
        record(
            actor=actor, action="fees.remittance", obj=remittance, unit=from_unit, changes={"amount": [None, amount]}
        )
    return remittance


def request_dues(unit, month, *, actor):
    """Start the background computation of ``month``'s dues for ``unit``'s subtree (the task), audited."""
    from dangbo.fees.tasks import compute_month_dues

    month = first_of_month(month)
    with transaction.atomic():
        record(actor=actor, action="fees.compute_dues", obj=unit, unit=unit, note=f"{month:%m/%Y}")
        transaction.on_commit(lambda: compute_month_dues.enqueue(unit.pk, month.isoformat()))


def arrears(unit, year, until, *, minimum=None):
    """[(member, [unpaid months])] of ``unit``'s subtree with at least ``minimum`` (3) unpaid months in
    ``year`` up to ``until``: a constant number of queries."""
    from dangbo.fees.models import FeeDue, FeePayment
    from dangbo.members.models import Member

    minimum = ARREARS_MONTHS if minimum is None else minimum
    dues = FeeDue.objects.filter(
        unit__path__startswith=unit.path, month__year=year, month__lte=until, amount__gt=0
    ).values_list("member_id", "month")
    paid = {}
    for member_id, start, end in FeePayment.objects.filter(
        member__unit__path__startswith=unit.path, from_month__year__lte=year, to_month__year__gte=year
    ).values_list("member_id", "from_month", "to_month"):
        paid.setdefault(member_id, []).append((start, end))
    unpaid = {}
    for member_id, month in dues:
        if not any(a <= month <= b for a, b in paid.get(member_id, ())):
            unpaid.setdefault(member_id, []).append(month)
    ids = [m for m, months in unpaid.items() if len(months) >= minimum]
    members = Member.objects.filter(pk__in=ids).select_related("unit").order_by("unit__path", "full_name")
    return [(m, sorted(unpaid[m.pk])) for m in members]


def paid_months(member, year):
    """The first-of-month dates of ``year`` covered by the member's payments."""
    import datetime

    months = set()
    for p in member.fee_payments.filter(from_month__year__lte=year, to_month__year__gte=year):
        m = p.from_month
        while m <= p.to_month:
            if m.year == year:
                months.add(m)
            m = datetime.date(m.year + (m.month == 12), m.month % 12 + 1, 1)
    return months


def unpaid_months(member, year, until):
    """Months of ``year`` up to ``until`` with a due above 0 and no payment."""
    from dangbo.fees.models import FeeDue

    paid = paid_months(member, year)
    dues = FeeDue.objects.filter(member=member, month__year=year, month__lte=until, amount__gt=0)
    return sorted(d.month for d in dues if d.month not in paid)


ARREARS_MONTHS = 3


def check_arrears(unit, year, until):
    """Members of ``unit``'s subtree with ≥ 3 unpaid months in ``year``; notifies the cell secretaries.

    The removal (xóa tên) proposal itself is left to the cell (lifecycle app): the alert says so.
    Returns a list of (member, unpaid months).
    """
    from django.utils.translation import gettext as _

    from dangbo.accounts.models import Role, RoleAssignment
    from dangbo.core.notify import notify
    from dangbo.members.models import Member

    found = []
    for member in Member.objects.filter(unit__path__startswith=unit.path).select_related("unit"):
        months = unpaid_months(member, year, until)
        if len(months) >= ARREARS_MONTHS:
            found.append((member, months))
            cell = member.unit
            users = [
                ra.user
                for ra in RoleAssignment.objects.filter(
                    role=Role.CELL_SECRETARY, unit__in=[cell, *cell.ancestors()]
                ).select_related("user")
            ]
            notify(
                users=users,
                title=_("Party fees: %(name)s has %(n)d unpaid months in %(year)d")
                % {"name": str(member), "n": len(months), "year": year},
                body=_("Three months unpaid in a year without good reason: the cell considers a removal proposal."),
                kind="fees.arrears",
                once_per_day=True,
            )
    return found
