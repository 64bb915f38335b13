"""Access-matrix rows of this app (tests/test_access_matrix.py): one Case per URL."""

import datetime

from django.utils import timezone

from dangbo.testing import STAFF, Case

SEE_A = {"bloc", "inspector", "staff_a", "secretary_a1"}  # the subtree of cell_a1 and above
# The write matrix (inspection/access.py): a body's cases are written by its own staff (and the bloc office
# above, on its behalf); the inspection commission writes only its own; appeals go to the level above.
WRITE_GR_A = {"bloc", "staff_a"}  # a case of the grassroots committee gr_a
WRITE_CELL_A1 = {"bloc", "staff_a", "secretary_a1"}  # a case of the cell cell_a1 (decided by it)
ABOVE_CELL_A1 = {"bloc", "inspector", "staff_a"}  # the levels above cell_a1: they answer its appeals
COMMISSION = {"inspector"}  # a case of the bloc's inspection commission
TODAY = timezone.localdate


def _day(days=0):
    return (TODAY() - datetime.timedelta(days=days)).strftime("%d/%m/%Y")


def _plan(cast):
    from dangbo.inspection.models import Plan

    return {"pk": Plan.objects.create(unit=cast.gr_a, subject="commission", year=2026).pk}


def _case(concluded=False, commission=False):
    def make(cast):
        from dangbo.inspection.models import Case as InspectionCase
        from dangbo.inspection.models import Target

        c = InspectionCase.objects.create(
            subject_unit=cast.bloc if commission else cast.gr_a,
            subject="commission" if commission else "committee",
            kind="regular",
            unit=cast.cell_a1,
            title="Giám sát thường xuyên",
            state="concluded" if concluded else "running",
            started_on=TODAY() - datetime.timedelta(days=30),
            concluded_on=TODAY() - datetime.timedelta(days=2) if concluded else None,
            conclusion="Tốt" if concluded else "",
        )
        Target.objects.create(case=c, org=cast.cell_a1)
        return {"pk": c.pk}

    return make


def _own_member(cast):
    from dangbo.members.models import Member
    from dangbo.testing import make_member

    return Member.objects.filter(user=cast.secretary_a1).first() or make_member(
        "Hoàng Văn Bình", cast.cell_a1, user=cast.secretary_a1
    )


def _discipline(decided=False, appealed=False, commission=False, own=False):
    def make(cast):
        from dangbo.inspection.models import Appeal, DisciplineCase

        day = TODAY() - datetime.timedelta(days=5)
        decided_ = decided or appealed
        c = DisciplineCase.objects.create(
            member=cast.m_b1 if commission else _own_member(cast) if own else cast.m_a1_other,
            unit=cast.cell_b1 if commission else cast.cell_a1,
            violation="Vi phạm",
            violation_on=TODAY() - datetime.timedelta(days=60),
            proposed_form="reprimand",
            deciding_unit=cast.bloc if commission else cast.cell_a1,
            deciding_body="commission" if commission else "cell",
            state="decided" if decided_ else "open",
            form="reprimand" if decided_ else "",
            decided_on=day if decided_ else None,
            effective_on=day if decided_ else None,
            decision_no="1-QĐ/CB" if decided_ else "",
        )
        if appealed:
            Appeal.objects.create(case=c, filed_on=TODAY() - datetime.timedelta(days=2), content="Xem xét lại")
        return {"pk": c.pk}

    return make


def _notice(cast):
    from dangbo.inspection.models import StateDiscipline

    day = TODAY() - datetime.timedelta(days=3)
    n = StateDiscipline.objects.create(
        member=cast.m_a1_other, authority="Sở", form="Khiển trách", decision_no="1", decided_on=day, due_on=day
    )
    return {"pk": n.pk}


def _appeal_answer(cast):
    from dangbo.inspection.models import Appeal

    return {
        "answer-appeal": Appeal.objects.latest("pk").pk,
        "answer-outcome": "upheld",
        "answer-decided_on": _day(),
        "answer-answer": "Giữ nguyên quyết định",
    }


CASES = [
    Case("inspection:home", allowed=STAFF),
    Case("inspection:plans", allowed=STAFF),
    Case("inspection:plan_new", allowed=STAFF),
    Case(
        "inspection:plan_new",
        method="post",
        allowed=WRITE_GR_A,
        data=lambda cast: {"unit": cast.gr_a.pk, "subject": "committee", "year": 2026},
    ),
    Case("inspection:plan", kwargs=_plan, allowed={"bloc", "inspector", "staff_a"}),
    Case("inspection:cases", allowed=STAFF),
    Case("inspection:case_new", allowed=STAFF),
    Case(
        "inspection:case_new",
        method="post",
        allowed=WRITE_GR_A,
        data=lambda cast: {
            "subject_unit": cast.gr_a.pk,
            "subject": "committee",
            "kind": "regular",
            "unit": cast.cell_a1.pk,
            "title": "Giám sát chi bộ",
        },
    ),
    Case("inspection:case", kwargs=_case(), allowed=SEE_A),
    Case(
        "inspection:case_action",
        kwargs=lambda cast: {**_case()(cast), "action": "step"},
        method="post",
        allowed=WRITE_GR_A,
        data=lambda cast: {"step-title": "Làm việc với chi bộ", "step-due_on": _day()},
    ),
    Case(
        "inspection:case_action",
        kwargs=lambda cast: {**_case()(cast), "action": "cancel"},
        method="post",
        allowed=WRITE_GR_A,
    ),
    Case(
        "inspection:case_action",
        kwargs=lambda cast: {**_case(commission=True)(cast), "action": "step"},
        method="post",
        allowed=COMMISSION,
        data=lambda cast: {"step-title": "Làm việc với đảng ủy", "step-due_on": _day()},
    ),
    Case("inspection:case_docx", kwargs=_case(concluded=True), allowed=SEE_A),
    Case("inspection:disciplines", allowed=STAFF),
    Case("inspection:discipline_new", allowed=STAFF),
    Case(
        "inspection:discipline_new",
        query="?org=1",
        method="post",
        allowed=WRITE_GR_A,
        data=lambda cast: {
            "org": cast.cell_a2.pk,
            "violation": "Buông lỏng lãnh đạo",
            "violation_on": _day(30),
            "category": "ordinary",
            "proposed_form": "reprimand",
            "deciding_unit": cast.gr_a.pk,
            "deciding_body": "committee",
        },
    ),
    Case("inspection:discipline", kwargs=_discipline(), allowed=SEE_A),
    Case(
        "inspection:discipline_action",
        kwargs=lambda cast: {**_discipline()(cast), "action": "hearing"},
        method="post",
        allowed=WRITE_CELL_A1,
        data=lambda cast: {"hearing-day": _day(1), "hearing-attended": "yes"},
    ),
    Case(
        "inspection:discipline_action",
        kwargs=lambda cast: {**_discipline(decided=True)(cast), "action": "appeal"},
        method="post",
        allowed=WRITE_CELL_A1,
        data=lambda cast: {"appeal-filed_on": _day(1), "appeal-content": "Đề nghị xem xét lại"},
    ),
    Case(
        "inspection:discipline_action",
        kwargs=lambda cast: {**_discipline(appealed=True)(cast), "action": "answer"},
        method="post",
        allowed=ABOVE_CELL_A1,
        data=_appeal_answer,
    ),
    Case(
        "inspection:discipline_action",
        kwargs=lambda cast: {**_discipline(commission=True)(cast), "action": "hearing"},
        method="post",
        allowed=COMMISSION,
        data=lambda cast: {"hearing-day": _day(1), "hearing-attended": "yes"},
    ),
    # Nobody acts on their own case: the secretary, disciplined by her own cell, records nothing (403).
    Case(
        "inspection:discipline_action",
        kwargs=lambda cast: {**_discipline(own=True)(cast), "action": "hearing"},
        method="post",
        allowed=WRITE_CELL_A1 - {"secretary_a1"},
        data=lambda cast: {"hearing-day": _day(1), "hearing-attended": "yes"},
    ),
    Case("inspection:discipline_docx", kwargs=_discipline(decided=True), allowed=SEE_A),
    Case("inspection:notices", allowed=STAFF),
    Case(
        "inspection:notices",
        method="post",
        allowed=WRITE_CELL_A1,
        data=lambda cast: {
            "member": cast.m_a1_other.pk,
            "authority_name": "Giám đốc Sở",
            "form": "Khiển trách",
            "decision_no": "12/QĐ",
            "decided_on": _day(3),
        },
    ),
    Case(
        "inspection:notice_notified",
        kwargs=_notice,
        method="post",
        allowed=WRITE_CELL_A1,
        data=lambda cast: {"notified-day": _day()},
    ),
]
