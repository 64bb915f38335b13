"""Demo data of party fees for the demo committee (Sở Tài chính): a confirmed declaration for every member
on its books, the dues of every month of the current year up to this month (the months before 02/2026
under 342-QĐ/TW), portal and cash payments with receipts, a few members three months or more in arrears,
a few declarations waiting for the cell, and the remittances of its cells (one cell late). Bulk inserts:
the cost is a few queries per month, whatever the number of members."""

import datetime

from django.utils import timezone

from dangbo.fees import services
from dangbo.fees.models import Category, FeeDeclaration, FeeDue, FeePayment, FeeRemittance
from dangbo.members.models import Member
from dangbo.org.models import OrgUnit

MONTHS = 12
IN_ARREARS = 3


def _months(today):
    first = datetime.date(today.year, 1, 1)
    months, m = [], first
    while m <= today and len(months) < MONTHS:
        months.append(m)
        m = datetime.date(m.year + (m.month == 12), m.month % 12 + 1, 1)
    return months


def _retained(month):
    """The share a subordinate cell keeps, from the rule registry; none known under 01-QĐ/TW: 0 here."""
    from dangbo.rules.registry import RuleMissing, rule

    try:
        return int(rule("fee.subordinate_cell_retained_percent", on=month))
    except RuleMissing:
        return 0


def build(builder):
    rng = builder.rng
    today = timezone.localdate()
    finance = builder.units["finance"]
    members = list(
        Member.objects.filter(
            unit__path__startswith=finance.path,
            status__in=[Member.Status.OFFICIAL, Member.Status.PROBATIONARY, Member.Status.EXEMPTED],
        )
        .select_related("unit")
        .order_by("pk")
    )
    if not members:
        return
    months = _months(today)
    start = months[0]
    decls = []
    for m in members:
        roll = rng.random()
        if m.status == Member.Status.EXEMPTED or roll < 0.08:
            decls.append(
                FeeDeclaration(member=m, category=Category.PENSION, base_income=rng.randint(60, 120) * 100_000)
            )
        elif roll < 0.11:
            decls.append(FeeDeclaration(member=m, category=Category.STUDENT, base_income=0))
        else:
            decls.append(
                FeeDeclaration(member=m, category=Category.INSURED, base_income=rng.randint(55, 220) * 100_000)
            )
    for d in decls:
        d.from_month = start
        d.state = FeeDeclaration.State.CONFIRMED
        d.confirmed_at = timezone.now()
    FeeDeclaration.objects.bulk_create(decls)

    # Dues: one amount per (category, base, month) from the rule registry, bulk inserted.
    cache, dues = {}, []
    for month in months:
        for d in decls:
            key = (d.category, d.base_income, month)
            if key not in cache:
                cache[key] = services.monthly_amount(d.category, d.base_income, month, unit=d.member.unit)
            amount, version = cache[key]
            dues.append(
                FeeDue(
                    member=d.member,
                    month=month,
                    unit=d.member.unit,
                    category=d.category,
                    base_amount=amount,
                    amount=amount,
                    rule_version=f"{version.pk}: {version.legal_basis}"[:64],
                )
            )
    FeeDue.objects.bulk_create(dues, batch_size=2000)

    # Payments: the last month still open for many; a few members in arrears; some cash with receipts.
    late = set(rng.sample(range(len(members)), min(IN_ARREARS, len(members))))
    payments, receipt = [], 0
    for i, d in enumerate(decls):
        for month in months:
            key = (d.category, d.base_income, month)
            amount = cache[key][0]
            if i in late and month >= months[max(0, len(months) - 4)]:
                continue  # three or four months unpaid in the year
            if month == months[-1] and rng.random() < 0.4:
                continue  # this month not paid yet
            cash = rng.random() < 0.15
            receipt += cash
            payments.append(
                FeePayment(
                    member=d.member,
                    from_month=month,
                    to_month=month,
                    amount=amount,
                    paid_on=min(today, month + datetime.timedelta(days=rng.randint(2, 20))),
                    source=FeePayment.Source.CASH if cash else FeePayment.Source.PORTAL,
                    receipt_number=f"BL-{month:%Y%m}-{receipt:04d}" if cash else "",
                )
            )
    FeePayment.objects.bulk_create(payments, batch_size=2000)

    # Declarations waiting for the cell: a rise in salary of a few members from this month.
    waiting = [d for d in decls if d.category == Category.INSURED][:3]
    FeeDeclaration.objects.bulk_create(
        FeeDeclaration(
            member=d.member,
            category=Category.INSURED,
            base_income=d.base_income + 1_000_000,
            from_month=months[-1],
        )
        for d in waiting
    )

    # Remittances of the cells to the committee, each month after it ended; the last cell is late.
    cells = list(OrgUnit.objects.filter(parent=finance, valid_to__isnull=True).order_by("path"))
    collected = {}
    for p in payments:
        cell_pk = next((c.pk for c in cells if p.member.unit.path.startswith(c.path)), None)
        if cell_pk:
            collected[(cell_pk, p.from_month)] = collected.get((cell_pk, p.from_month), 0) + p.amount
    remittances = []
    for n, cell in enumerate(cells):
        for month in months[:-1]:
            if n == len(cells) - 1 and len(cells) > 1 and month >= months[-3]:
                continue
            amount = collected.get((cell.pk, month), 0)
            if amount:
                remittances.append(
                    FeeRemittance(
                        from_unit=cell,
                        to_unit=finance,
                        period_start=month,
                        period_end=month,
                        amount=amount - amount * _retained(month) // 100,
                        remitted_on=min(today, month + datetime.timedelta(days=40)),
                    )
                )
    FeeRemittance.objects.bulk_create(remittances)
    builder.say(f"Đảng phí: {len(decls)} bản kê khai, {len(dues)} kỳ phải nộp, {len(payments)} khoản đã nộp.")
