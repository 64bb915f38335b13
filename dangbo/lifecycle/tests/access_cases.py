"""Access-matrix rows of this app (tests/test_access_matrix.py): one Case per URL."""

import datetime

from django.utils import timezone

from dangbo.testing import STAFF, Case

CELL_WRITERS = {"bloc", "staff_a", "secretary_a1"}  # the cell level of cell_a1 and above
DECIDERS_A = {"bloc", "staff_a"}  # the competent level for cell_a1
SEE_A = {"bloc", "inspector", "staff_a", "secretary_a1"}
TODAY = timezone.localdate


def _member(cast):
    return {"pk": cast.m_a1_other.pk}


def _own(cast):
    """The cell secretary's own member record (Member.user), made once."""
    from dangbo.members.models import Member
    from dangbo.testing import make_member

    me = Member.objects.filter(user=cast.secretary_a1).first()
    return {"pk": (me or make_member("Hoàng Văn Bình", cast.cell_a1, user=cast.secretary_a1)).pk}


def _proposal(cast):
    from dangbo.lifecycle.models import RemovalProposal

    p = RemovalProposal.objects.create(
        member=cast.m_a1_other,
        ground="missed_meetings",
        count=3,
        evidence="Vắng 3 kỳ sinh hoạt",
        raised_by_unit=cast.cell_a1,
        raised_by=cast.secretary_a1,
        raised_on=TODAY() - datetime.timedelta(days=5),
    )
    return {"pk": p.pk}


def _card(action, *, lost=False):
    def make(cast):
        from dangbo.lifecycle.models import CardRecord

        card = CardRecord.objects.create(
            member=cast.m_a1_other,
            number="83.000111",
            issued_on=TODAY() - datetime.timedelta(days=30),
            lost_on=TODAY() - datetime.timedelta(days=3) if lost else None,
        )
        return {"pk": card.pk, "action": action}

    return make


def _day(days=0):
    return (TODAY() - datetime.timedelta(days=days)).strftime("%d/%m/%Y")


def _badge_award(cast):
    """A member of cell_a1 who reaches 30 years in the Party on the next 2/9, and the decision for them."""
    from dangbo.lifecycle import badges
    from dangbo.members.models import MemberEvent
    from dangbo.testing import make_member

    occasion = badges.next_occasion((2, 9), TODAY())
    start = occasion.replace(year=occasion.year - 30)
    m = make_member("Nguyễn Văn Ba Mươi", cast.cell_a1, admission_date=start, admission_decision_date=start)
    MemberEvent.objects.create(member=m, kind="admitted", date=start, to_unit=cast.cell_a1, status_after="probationary")
    return {
        "occasion": occasion.isoformat(),
        "member": [m.pk],
        "decision-number": "120-QĐ/TU",
        "decision-signed_on": _day(),
    }


CASES = [
    Case("lifecycle:home", allowed=STAFF),
    Case("lifecycle:exemptions", allowed=STAFF),
    Case("lifecycle:removals", allowed=STAFF),
    Case("lifecycle:cards", allowed=STAFF),
    Case("lifecycle:badges", allowed=STAFF),
    Case("lifecycle:badge_export", allowed=STAFF),
    Case("lifecycle:register", allowed=STAFF),
    Case("lifecycle:proposal", kwargs=_proposal, allowed=SEE_A),
    Case(
        "lifecycle:proposal_decide",
        kwargs=_proposal,
        method="post",
        allowed=DECIDERS_A,
        data=lambda cast: {"decide-outcome": "reject", "decide-day": _day(), "decide-note": "Có lý do chính đáng"},
    ),
    Case("lifecycle:member", kwargs=_member, allowed=SEE_A),
    Case(
        "lifecycle:member_action",
        kwargs=lambda cast: {**_member(cast), "action": "exempt"},
        method="post",
        allowed=CELL_WRITERS,
        data=lambda cast: {
            "exempt-reason": "old_age",
            "exempt-starts_on": _day(1),
            "exempt-decision_no": "05-QĐ/CB",
        },
    ),
    # Nobody acts on their own case: the secretary, a member of her cell, does not exempt herself (403).
    Case(
        "lifecycle:member_action",
        kwargs=lambda cast: {**_own(cast), "action": "exempt"},
        method="post",
        allowed=CELL_WRITERS - {"secretary_a1"},
        data=lambda cast: {
            "exempt-reason": "old_age",
            "exempt-starts_on": _day(1),
            "exempt-decision_no": "05-QĐ/CB",
        },
    ),
    # The competent level only: the cell secretary may not record an expulsion.
    Case(
        "lifecycle:member_action",
        kwargs=lambda cast: {**_member(cast), "action": "expel"},
        method="post",
        allowed=DECIDERS_A,
        data=lambda cast: {"expel-day": _day(1), "expel-decision_no": "12-QĐ/ĐU"},
    ),
    Case(
        "lifecycle:card_action",
        kwargs=_card("hand_over"),
        method="post",
        allowed=CELL_WRITERS,
        data=lambda cast: {"hand_over-day": _day()},
    ),
    Case(
        "lifecycle:card_action",
        kwargs=_card("reissue_card", lost=True),
        method="post",
        allowed=DECIDERS_A,
        data=lambda cast: {"reissue_card-issued_on": _day(), "reissue_card-decision_no": "7-QĐ/ĐU"},
    ),
    # The competent level of the veteran's cell: staff_b is refused a member of gr_a.
    Case("lifecycle:badge_award", method="post", allowed=DECIDERS_A, data=_badge_award),
]
