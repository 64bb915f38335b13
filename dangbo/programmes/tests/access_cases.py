"""Access-matrix rows of this app (tests/test_access_matrix.py): one Case per URL.

A bloc programme (seen by every staff user) adopted by gr_a: gr_a's action programme and its reports are
seen by the bloc and inspection, by staff_a, and (the programme, not the reports) by secretary_a1 below
it; staff_b gets 404. Reports are reviewed by the level above (the bloc office).
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from dangbo.testing import STAFF, Case

WRITERS = {"bloc", "staff_a", "secretary_a1", "staff_b"}
A_SEES = {"bloc", "inspector", "staff_a", "secretary_a1"}
A_WRITES = {"bloc", "staff_a"}
A_REPORTS = {"bloc", "inspector", "staff_a"}


def _bloc(cast):
    from dangbo.programmes.tests.helpers import bloc_programme

    return {"pk": bloc_programme(cast).pk}


def _child(cast):
    from dangbo.programmes.tests.helpers import adopted

    return adopted(cast)


def _a(cast):
    return {"pk": _child(cast).pk}


def _a_indicator(cast):
    c = _child(cast)
    return {"pk": c.pk, "ipk": c.indicators.first().pk}


def _a_task(cast):
    c = _child(cast)
    return {"pk": c.pk, "tpk": c.tasks.first().pk}


def _report(state="draft", evidence=False):
    def kwargs(cast):
        from dangbo.programmes.tests.helpers import report

        extra = {"evidence": SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 test")} if evidence else {}
        return {"pk": report(_child(cast), state=state, **extra).pk}

    return kwargs


def _event(cast):
    from dangbo.programmes.tests.helpers import contest

    return contest(cast)


def _e(cast):
    return {"pk": _event(cast).pk}


def _e_a(cast):
    from dangbo.programmes.tests.helpers import contest

    return {"pk": contest(cast, cast.gr_a).pk}


def _registration(cast):
    from dangbo.programmes import services

    e = _event(cast)
    reg = services.register_participant(event=e, unit=cast.gr_a, member=cast.m_a1, actor=None)
    return {"pk": e.pk, "rpk": reg.pk}


def _round(cast):
    from decimal import Decimal

    from dangbo.programmes import services

    e = _event(cast)
    r = services.add_round(event=e, name="Vòng sơ khảo", max_score=Decimal(100), actor=None)
    services.add_judge(event=e, name="Giám khảo 1", actor=None)
    return {"pk": e.pk, "rpk": r.pk}


CASES = [
    Case("programmes:home", STAFF),
    Case("programmes:new", WRITERS),
    Case("programmes:detail", STAFF, kwargs=_bloc),
    Case("programmes:detail", A_SEES, kwargs=_a),
    Case("programmes:indicator_add", A_WRITES, kwargs=_a, method="post"),
    Case("programmes:indicator_edit", A_WRITES, kwargs=_a_indicator, method="post"),
    Case("programmes:task_add", A_WRITES, kwargs=_a, method="post"),
    Case("programmes:task_edit", A_WRITES, kwargs=_a_task),
    Case("programmes:adopt", {"bloc", "staff_a", "staff_b"}, kwargs=_bloc),
    Case("programmes:adopt", {"bloc", "staff_a", "secretary_a1"}, kwargs=_a),
    Case("programmes:progress", {"bloc", "inspector"}, kwargs=_bloc),
    Case("programmes:progress", {"bloc", "inspector", "staff_a"}, kwargs=_a),
    Case("programmes:report_new", A_WRITES, kwargs=_a),
    Case("programmes:report", A_REPORTS, kwargs=_report()),
    Case("programmes:report_submit", A_WRITES, kwargs=_report(), method="post"),
    Case("programmes:report_review", {"bloc"}, kwargs=_report("submitted"), method="post"),
    Case("programmes:report_evidence", A_REPORTS, kwargs=_report(evidence=True)),
    Case("programmes:events", STAFF),
    Case("programmes:event_new", WRITERS),
    Case("programmes:event", STAFF, kwargs=_e),
    Case("programmes:event", A_SEES, kwargs=_e_a),
    Case("programmes:event_register", {"bloc", "staff_a", "staff_b"}, kwargs=_e, method="post"),
    Case("programmes:withdraw", {"bloc", "staff_a"}, kwargs=_registration, method="post"),
    Case("programmes:event_setup", {"bloc"}, kwargs=lambda cast: {**_e(cast), "what": "judge"}, method="post"),
    Case("programmes:event_scores", {"bloc"}, kwargs=_round),
    Case("programmes:event_results", STAFF, kwargs=_e),
    Case("programmes:event_publish", {"bloc"}, kwargs=_e, method="post"),
]
