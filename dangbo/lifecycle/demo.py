"""Demo data of exemptions, removals, cards and badges: exemption records for the members the demo already
exempted, the badge register of past occasions (so that the eligibility list for the next occasion holds
only the members newly due), two seriously ill members near a milestone, an open removal proposal in the demo
committee, and a few newly official members of the demo committee due a card or awaiting its hand-over."""

import datetime

from django.utils import timezone

from dangbo.core.dates import add_months, years_before
from dangbo.lifecycle.models import BadgeAward, BadgeDecision, BadgeFlag, CardRecord, Exemption, RemovalProposal
from dangbo.members.models import Member
from dangbo.org.models import OrgUnit

# Small demos (the demo's own tests count its ADMITTED events) keep the builder's members as they are.
FULL_SIZE = 2000
OCCASIONS = [(3, 2), (19, 5), (2, 9), (7, 11)]
MILESTONES = [30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90]


def _next_occasion(day):
    for year in (day.year, day.year + 1):
        for d, m in OCCASIONS:
            occasion = datetime.date(year, m, d)
            if occasion >= day:
                return occasion
    raise AssertionError


def _veterans(builder, today):
    """The demo's cells date from 2010, so nobody has 30 years of party age. Some older members are
    turned into veterans admitted elsewhere in 1984–1996 who transferred in on the date the builder admitted
    them (their first event becomes a transfer in, as official members); a few reach 30 years just before
    the next 2/9, two more within a year after it (for the early award of seriously ill members).
    Only in a full-size demo (``FULL_SIZE``)."""
    from dangbo.members.models import MemberEvent

    rng = builder.rng
    sept_2 = datetime.date(today.year if today <= datetime.date(today.year, 9, 2) else today.year + 1, 9, 2)
    old = list(
        Member.objects.filter(
            status__in=[Member.Status.OFFICIAL, Member.Status.EXEMPTED],
            birth_date__lte=datetime.date(1972, 12, 31),
            admission_date__lt=datetime.date(2025, 1, 1),
            user__isnull=True,
        ).order_by("pk")
    )
    rng.shuffle(old)
    old = old[:160]
    for i, m in enumerate(old):
        if i < 8:  # 30 years in the months before the next 2/9
            start = years_before(sept_2, 30) - datetime.timedelta(days=rng.randint(0, 250))
        elif i < 10:  # 30 years within 11 months after it
            start = add_months(years_before(sept_2, 30), rng.randint(2, 10))
        else:
            start = datetime.date(m.birth_date.year + rng.randint(19, 26), rng.randint(1, 12), rng.randint(1, 28))
            start = min(start, datetime.date(1996, 12, 31))
        first = m.events.filter(kind=MemberEvent.Kind.ADMITTED).order_by("date").first()
        if first is None:
            continue
        first.kind = MemberEvent.Kind.TRANSFERRED_IN
        first.status_after = Member.Status.OFFICIAL
        first.note = "Kết nạp ngày {} ở đảng bộ khác".format(start.strftime("%d/%m/%Y"))
        first.save(update_fields=["kind", "status_after", "note"])
        m.events.filter(kind=MemberEvent.Kind.MADE_OFFICIAL).delete()
        Member.objects.filter(pk=m.pk).update(
            admission_date=start + datetime.timedelta(days=14),
            admission_decision_date=start,
            official_date=start + datetime.timedelta(days=365),
        )
        if 8 <= i < 10:
            BadgeFlag.objects.create(member=m, seriously_ill=True)


def build(builder):
    rng = builder.rng
    today = timezone.localdate()
    finance = builder.units["finance"]

    exempted = Member.objects.filter(status=Member.Status.EXEMPTED)
    Exemption.objects.bulk_create(
        Exemption(
            member=m,
            reason=Exemption.Reason.OLD_AGE,
            starts_on=datetime.date(2024, 1, 15),
            decision_no=f"{rng.randint(1, 99)}-QĐ/CB",
            status_before=Member.Status.OFFICIAL,
        )
        for m in exempted
    )

    if builder.total_members >= FULL_SIZE:
        _veterans(builder, today)

    # The badge register: every milestone reached before the last occasion, awarded on the next occasion after.
    last = _next_occasion(today)
    decisions, awards = {}, []
    on_books = Member.objects.filter(status__in=[Member.Status.OFFICIAL, Member.Status.EXEMPTED])
    candidates = on_books.filter(admission_decision_date__lte=years_before(today, 29)).order_by("pk")
    for m in candidates:
        start = m.party_age_from
        for years in MILESTONES:
            reached = years_before(start, -years)
            occasion = _next_occasion(reached)
            if occasion >= last or occasion > today:
                break
            if occasion not in decisions:
                decisions[occasion] = BadgeDecision(
                    unit=builder.bloc,
                    number=f"{rng.randint(100, 999)}-QĐ/TU",
                    signed_on=occasion - datetime.timedelta(days=10),
                    occasion=occasion,
                )
            awards.append((m, years, occasion, reached))
    BadgeDecision.objects.bulk_create(decisions.values())
    BadgeAward.objects.bulk_create(
        [BadgeAward(member=m, decision=decisions[o], years=y, occasion=o, reached_on=r) for m, y, o, r in awards],
        batch_size=2000,
    )
    cells = list(OrgUnit.objects.active().in_subtree(finance).filter(kind__in=OrgUnit.CELL_KINDS).order_by("path"))
    # An open removal proposal raised by the demo cell secretary.
    from dangbo.accounts.models import User

    secretary = User.objects.filter(username="chibo").first()
    cell = cells[0] if cells else None
    if cell is not None:
        target = Member.objects.filter(unit=cell, status=Member.Status.OFFICIAL, user__isnull=True).order_by("-pk")
        target = target.first()
        if target is not None:
            RemovalProposal.objects.create(
                member=target,
                ground=RemovalProposal.Ground.MISSED_MEETINGS,
                count=3,
                evidence="Vắng sinh hoạt chi bộ không lý do các tháng 3, 5 và 8/2026; chi bộ đã nhắc nhở bằng văn bản.",
                raised_by_unit=cell,
                raised_by=secretary,
                raised_on=today - datetime.timedelta(days=6),
                rule_value=3,
            )
    # Newly official members of the demo committee: three due a card, two with a card to hand over.
    recent = list(
        Member.objects.filter(unit__in=cells, status=Member.Status.OFFICIAL, official_date__isnull=False).order_by(
            "-official_date", "pk"
        )[:5]
    )
    Member.objects.filter(pk__in=[m.pk for m in recent]).update(card_number=None)
    prefix = (Member.objects.exclude(card_number=None).values_list("card_number", flat=True).first() or "83.")[:2]
    for m in recent[:2]:
        number = f"{prefix}.99{m.pk % 10000:04d}"
        if not Member.objects.filter(card_number=number).exists():
            CardRecord.objects.create(
                member=m, number=number, issued_on=today - datetime.timedelta(days=12), decision_no="45-QĐ/ĐU"
            )
            Member.objects.filter(pk=m.pk).update(card_number=number)
