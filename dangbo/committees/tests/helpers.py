import datetime

from dangbo.committees import services
from dangbo.members.models import Member
from dangbo.testing import make_member

D = datetime.date
CONGRESS = D(2025, 6, 15)


def members(unit, n, *, status=Member.Status.OFFICIAL, prefix="Đảng viên"):
    return [make_member(f"{prefix} {unit.pk} {i}", unit, status=status) for i in range(n)]


def seat(unit, member, position="member", *, method="congress", start=CONGRESS, decision_no="", **extra):
    if method != "congress" and not decision_no:
        decision_no = "01-QĐ/ĐUK"
    return services.add_seat(
        unit=unit,
        member=member,
        position=position,
        method=method,
        start_date=start,
        decision_no=decision_no,
        actor=None,
        **extra,
    )


def committee(unit, people, start=CONGRESS):
    """A congress on ``start`` electing ``people``: the first secretary, the second deputy, the rest members."""
    services.record_congress(unit=unit, congress_date=start, actor=None)
    positions = ["secretary", "deputy_secretary"] + ["member"] * (len(people) - 2)
    return [seat(unit, m, p, start=start) for m, p in zip(people, positions, strict=True)]
