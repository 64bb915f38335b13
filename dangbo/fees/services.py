"""Fee computation (DOMAIN.md §10): the rate comes from the rule registry for the month."""

from decimal import ROUND_HALF_UP, Decimal

from dangbo.fees.models import Category, FeeExemption, first_of_month
from dangbo.rules.registry import rule, rule_version


def monthly_amount(category, base_income, month, *, unit=None):
    """(amount in VND before exemption, RuleVersion) for a member of ``category`` in ``month``."""
    month = first_of_month(month)
    version = rule_version("fees.rates", on=month, unit=unit)
    rate = version.value[Category(category).value]
    if "fixed" in rate:
        amount = Decimal(rate["fixed"])
    else:
        amount = Decimal(base_income) * Decimal(rate["percent"]) / 100
    return _round(amount, month, unit), version


def _round(amount, month, unit):
    step = Decimal(rule("fees.rounding_vnd", on=month, unit=unit) or 1)
    return int((amount / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step)


def apply_exemption(amount, percent):
    """The amount left after an exemption (100) or a reduction (70/50/30) of ``percent``."""
    if percent not in FeeExemption.Percent.values and percent != 0:
        raise ValueError(percent)
    return int((Decimal(amount) * (100 - percent) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def exemption_percent(member, month):
    month = first_of_month(month)
    best = 0
    for e in member.fee_exemptions.all():
        if e.covers(month):
            best = max(best, e.percent)
    return best


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
    base, version = monthly_amount(decl.category, decl.base_income, month, unit=unit)
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
    from django.db import transaction

    from dangbo.members.models import Member

    ids = list(Member.objects.filter(unit__path__startswith=unit.path).order_by("pk").values_list("pk", flat=True))
    done = 0
    for start in range(0, len(ids), BATCH):
        with transaction.atomic():
            for member in Member.objects.filter(pk__in=ids[start : start + BATCH]).prefetch_related("fee_exemptions"):
                if compute_due(member, month) is not None:
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
    payment.save()
    return payment, warning


def confirm_declarations(declarations, *, actor):
    """Confirm one or many declared declarations; the number confirmed."""
    from django.utils import timezone

    from dangbo.fees.models import FeeDeclaration

    now = timezone.now()
    n = 0
    for decl in declarations:
        if decl.state != FeeDeclaration.State.DECLARED:
            continue
        decl.state = FeeDeclaration.State.CONFIRMED
        decl.confirmed_by = actor
        decl.confirmed_at = now
        decl.save(update_fields=["state", "confirmed_by", "confirmed_at"])
        n += 1
    return n


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
