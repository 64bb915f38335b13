"""Access-matrix rows of this app (tests/test_access_matrix.py): one Case per URL."""

import datetime

from django.utils import timezone

from dangbo.testing import STAFF, Case

SEE_A = {"bloc", "inspector", "staff_a", "secretary_a1"}  # the subtree of cell_a1 and above
WRITE_GR_A = {"bloc", "inspector", "staff_a"}
TODAY = timezone.localdate


def _day(days=0):
    return (TODAY() - datetime.timedelta(days=days)).strftime("%d/%m/%Y")


def _plan(cast):
    from dangbo.inspection.models import Plan

    return {"pk": Plan.objects.create(unit=cast.gr_a, subject="commission", year=2026).pk}


def _case(concluded=False):
    def make(cast):
        from dangbo.inspection.models import Case as InspectionCase
        from dangbo.inspection.models import Target

        c = InspectionCase.objects.create(
            subject_unit=cast.gr_a,
            subject="committee",
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


def _discipline(decided=False):
    def make(cast):
        from dangbo.inspection.models import DisciplineCase

        day = TODAY() - datetime.timedelta(days=5)
        c = DisciplineCase.objects.create(
            member=cast.m_a1_other,
            unit=cast.cell_a1,
            violation="Vi phạm",
            violation_on=TODAY() - datetime.timedelta(days=60),
            proposed_form="reprimand",
            deciding_unit=cast.cell_a1,
            deciding_body="cell",
            state="decided" if decided else "open",
            form="reprimand" if decided else "",
            decided_on=day if decided else None,
            effective_on=day if decided else None,
            decision_no="1-QĐ/CB" if decided else "",
        )
        return {"pk": c.pk}

    return make


def _notice(cast):
    from dangbo.inspection.models import StateDiscipline

    day = TODAY() - datetime.timedelta(days=3)
    n = StateDiscipline.objects.create(
        member=cast.m_a1_other, authority="Sở", form="Khiển trách", decision_no="1", decided_on=day, due_on=day
    )
    return {"pk": n.pk}


CASES = [
    Case("inspection:home", allowed=STAFF),
    Case("inspection:plans", allowed=STAFF),
    Case("inspection:plan_new", allowed=STAFF),
    Case("inspection:plan", kwargs=_plan, allowed={"bloc", "inspector", "staff_a"}),
    Case("inspection:cases", allowed=STAFF),
    Case("inspection:case_new", allowed=STAFF),
    Case("inspection:case", kwargs=_case(), allowed=SEE_A),
    Case(
        "inspection:case_action",
        kwargs=lambda cast: {**_case()(cast), "action": "step"},
        method="post",
        allowed=WRITE_GR_A,
        data=lambda cast: {"step-title": "Làm việc với chi bộ", "step-due_on": _day()},
    ),
    Case("inspection:case_docx", kwargs=_case(concluded=True), allowed=SEE_A),
    Case("inspection:disciplines", allowed=STAFF),
    Case("inspection:discipline_new", allowed=STAFF),
    Case("inspection:discipline", kwargs=_discipline(), allowed=SEE_A),
    Case(
        "inspection:discipline_action",
        kwargs=lambda cast: {**_discipline()(cast), "action": "hearing"},
        method="post",
        allowed=SEE_A,
        data=lambda cast: {"hearing-day": _day(1), "hearing-attended": "yes"},
    ),
    Case("inspection:discipline_docx", kwargs=_discipline(decided=True), allowed=SEE_A),
    Case("inspection:notices", allowed=STAFF),
    Case(
        "inspection:notice_notified",
        kwargs=_notice,
        method="post",
        allowed=SEE_A,
        data=lambda cast: {"notified-day": _day()},
    ),
]
