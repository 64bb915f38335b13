"""Fee figures for periodic reports (see ``dangbo.core.figures``; found by name through ``core.plugins``).

For ``unit``'s subtree over ``start`` .. ``end``:

* ``fees.members_due`` / ``fees.due``: members with a due above 0 for a month of the period in a unit of the
  subtree (the due keeps the unit of its month), and the sum of those dues;
* ``fees.members_paid`` / ``fees.collected``: members who paid during the period while on the books of the
  subtree (``MemberInterval``, the tree of ``end``), and what they paid;
* ``fees.remitted``: what ``unit`` itself remitted upward during the period; ``fees.received``: what it
  received from the units below;
* ``fees.arrears_members``: members of the subtree with at least the rule's number of months
  (``removal.unpaid_fee_months_per_year``) of the year of ``end``, up to ``end``, due and not paid.

Every figure is one query (two for the arrears: the rule, then the count).
"""

from django.db.models import Count, Exists, OuterRef, Sum
from django.utils.translation import gettext as _

from dangbo.core.figures import Figure
from dangbo.fees.models import FeeDue, FeePayment, FeeRemittance, first_of_month
from dangbo.org.dated import subtree_on
from dangbo.reports.labels import was_in

ARREARS_KEY = "removal.unpaid_fee_months_per_year"


def arrears_threshold(day, unit):
    from dangbo.rules.registry import RuleMissing, rule

    try:
        return rule(ARREARS_KEY, on=day, unit=unit)
    except RuleMissing:
        return None


def arrears_members(unit, end):
    """Members of ``unit``'s subtree with unpaid months of ``end``'s year up to ``end`` at the threshold, or
    None when no rule gives the threshold on ``end``."""
    threshold = arrears_threshold(end, unit)
    if threshold is None:
        return None
    paid = FeePayment.objects.filter(
        member_id=OuterRef("member_id"), from_month__lte=OuterRef("month"), to_month__gte=OuterRef("month")
    )
    return (
        FeeDue.objects.filter(
            unit_id__in=subtree_on(unit, end), month__year=end.year, month__lte=first_of_month(end), amount__gt=0
        )
        .filter(~Exists(paid))
        .values("member_id")
        .annotate(n=Count("id"))
        .filter(n__gte=threshold)
        .count()
    )


def period_figures(unit, start, end):
    section = _("Party fees")
    dues = FeeDue.objects.filter(
        unit_id__in=subtree_on(unit, end), month__gte=first_of_month(start), month__lte=end, amount__gt=0
    ).aggregate(n=Count("member_id", distinct=True), s=Sum("amount"))
    paid = (
        FeePayment.objects.filter(paid_on__gte=start, paid_on__lte=end)
        .filter(was_in(unit, "paid_on", on=end))
        .aggregate(n=Count("member_id", distinct=True), s=Sum("amount"))
    )
    remitted = FeeRemittance.objects.filter(from_unit=unit, remitted_on__gte=start, remitted_on__lte=end).aggregate(
        s=Sum("amount")
    )["s"]
    received = FeeRemittance.objects.filter(to_unit=unit, remitted_on__gte=start, remitted_on__lte=end).aggregate(
        s=Sum("amount")
    )["s"]
    return [
        Figure("fees.members_due", _("Members owing party fees"), dues["n"], section),
        Figure("fees.due", _("Party fees due"), dues["s"] or 0, section, _("VND")),
        Figure("fees.members_paid", _("Members who paid party fees"), paid["n"], section),
        Figure("fees.collected", _("Party fees collected"), paid["s"] or 0, section, _("VND")),
        Figure("fees.remitted", _("Party fees remitted to the level above"), remitted or 0, section, _("VND")),
        Figure("fees.received", _("Party fees received from the units below"), received or 0, section, _("VND")),
        Figure(
            "fees.arrears_members",
            _("Members with three or more months of party fees unpaid in the year"),
            arrears_members(unit, end),
            section,
        ),
    ]
