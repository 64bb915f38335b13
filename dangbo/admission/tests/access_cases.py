"""Access-matrix rows of this app (tests/test_access_matrix.py): one Case per URL."""

import datetime

from dangbo.testing import STAFF, Case

CELL_WRITERS = {"bloc", "staff_a", "secretary_a1"}  # may keep the dossier of a cell_a1 candidate
SEE_A = {"bloc", "inspector", "staff_a", "secretary_a1"}


def _candidate(stage="candidate"):
    def make(cast):
        from dangbo.admission.models import Candidate

        c = Candidate(cell=cast.cell_a1, sex="M", birth_date=datetime.date(1999, 1, 1), stage=stage)
        c.set_name("Phan Văn Ứng")
        c.save()
        return c

    return make


def _kwargs(stage="candidate", **extra):
    return lambda cast: {"pk": _candidate(stage)(cast).pk, **extra}


def _voted(stage, level, **extra):
    """A candidate at ``stage`` whose ``level`` vote passed on 03/09/2025."""

    def make(cast):
        from dangbo.admission.models import Vote

        c = _candidate(stage)(cast)
        Vote.objects.create(
            candidate=c, level=level, date=datetime.date(2025, 9, 3), denominator=2, in_favour=2, threshold=[2, 3],
            passed=True,
        )  # fmt: skip
        return {"pk": c.pk, **extra}

    return make


_with_cell_vote = _voted("cell_approved", "cell", code="6")


def _with_committee_vote(cast):
    """A candidate both resolutions passed: the admission decision may be signed."""
    from dangbo.admission.models import Vote

    c = _candidate("committee_approved")(cast)
    for level, day in (("cell", datetime.date(2025, 9, 3)), ("committee", datetime.date(2025, 9, 10))):
        Vote.objects.create(
            candidate=c, level=level, date=day, denominator=3, in_favour=3, threshold=[2, 3], passed=True
        )
    return {"pk": c.pk, "step": "decide"}


def _own_probation(cast):
    """staff_a herself on probation in cell_a1 (her member record linked to her login)."""
    from dangbo.admission.models import Candidate
    from dangbo.members.models import Member
    from dangbo.testing import make_member

    me = make_member("Phạm Thị An", cast.cell_a1, status=Member.Status.PROBATIONARY, user=cast.staff_a)
    c = Candidate(
        cell=cast.cell_a1,
        sex="F",
        birth_date=datetime.date(1995, 3, 1),
        stage="probation",
        decision_no="12-QĐ/ĐU",
        decision_date=datetime.date(2025, 9, 1),
        ceremony_date=datetime.date(2025, 9, 20),
        member=me,
    )
    c.set_name(me.full_name)
    c.save()
    return {"pk": c.pk, "step": "declaration"}


CASES = [
    Case("admission:home", allowed=STAFF),
    Case("admission:candidate_new", allowed=CELL_WRITERS | {"staff_b"}),
    Case("admission:overdue", allowed=STAFF),
    Case("admission:targets", allowed=STAFF),
    # The search boxes of the candidate form (helper) and of the introducer step: JSON, scoped like the form.
    Case("admission:search_helpers", allowed=CELL_WRITERS | {"staff_b"}, query="?q=duc"),
    Case("admission:search_introducers", kwargs=_kwargs(), allowed=CELL_WRITERS, query="?q=duc"),
    Case("admission:search_cells", allowed=CELL_WRITERS | {"staff_b"}, query="?q=chi+bo"),
    Case("admission:search_units", allowed=STAFF, query="?q=chi+bo"),
    Case("admission:search_target_units", allowed={"bloc", "staff_a", "staff_b"}, query="?q=chi+bo"),
    Case("admission:candidate", kwargs=_kwargs(), allowed=SEE_A),
    Case(
        "admission:step",
        kwargs=_kwargs(step="paper"),
        method="post",
        allowed=CELL_WRITERS,
        data=lambda cast: {"paper-kind": "application", "paper-received_on": "05/08/2025"},
    ),
    # A committee step: the cell secretary may not sign it.
    Case(
        "admission:step",
        kwargs=_with_committee_vote,
        method="post",
        allowed={"bloc", "staff_a"},
        data=lambda cast: {"decide-number": "1-QĐ", "decide-day": "15/09/2025"},
    ),
    # Nobody acts on their own dossier: staff_a records nothing of her own probation (403).
    Case(
        "admission:step",
        kwargs=_own_probation,
        method="post",
        allowed=CELL_WRITERS - {"staff_a"},
        data=lambda cast: {"declaration-day": "01/10/2025"},
    ),
    Case("admission:document", kwargs=_with_cell_vote, allowed=SEE_A),
    Case(
        "admission:candidate_new",
        method="post",
        data=lambda cast: {
            "cell": cast.cell_a1.pk,
            "full_name": "Trịnh Văn Mới",
            "sex": "M",
            "birth_date": "01/01/1999",
            "ethnicity": "Kinh",
        },
        allowed=CELL_WRITERS,
        form_error={"staff_b"},  # may add candidates to gr_b's cells: cell_a1 is an error on the field
    ),
    # Targets are set by the grassroots committees (and the bloc office) for their units.
    Case(
        "admission:targets",
        method="post",
        data=lambda cast: {"unit": cast.gr_a.pk, "year": 2027, "count": 5, "students": 0},
        allowed={"bloc", "staff_a"},
        form_error={"staff_b"},  # sets gr_b's targets: gr_a is an error on the field
    ),
]
