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
    """A contest with one participant of gr_a, a round and a judge: ready for scores."""
    from decimal import Decimal

    from dangbo.programmes import services

    e = _event(cast)
    services.register_participant(event=e, unit=cast.gr_a, member=cast.m_a1, actor=None)
    r = services.add_round(event=e, name="Vòng sơ khảo", max_score=Decimal(100), actor=None)
    services.add_judge(event=e, name="Giám khảo 1", actor=None)
    return {"pk": e.pk, "rpk": r.pk}


def _scored(cast):
    """The contest of ``_round`` with every score given: its results may be published."""
    from decimal import Decimal

    from dangbo.programmes import services
    from dangbo.programmes.models import Event

    kwargs = _round(cast)
    e = Event.objects.get(pk=kwargs["pk"])
    reg = e.registrations.get()
    services.record_scores(event=e, round=e.rounds.get(), judge=e.judges.get(), scores={reg: Decimal(80)}, actor=None)
    return {"pk": e.pk}


# The data of a post reads the objects its kwargs just made (the newest of their kind).
def _latest_child(cast):
    from dangbo.programmes.models import Programme

    return Programme.objects.filter(unit=cast.gr_a).latest("pk")


def _latest_event():
    from dangbo.programmes.models import Event

    return Event.objects.latest("pk")


def _report_body(cast):
    """Q1 2026 of gr_a's action programme: a value per indicator, a status per task."""
    child = _latest_child(cast)
    body = {"period": "2026-01-01", "narrative": "Đã triển khai"}
    body.update({f"v_{i.pk}": 60 for i in child.indicators.all()})
    body.update({f"s_{t.pk}": "in_progress" for t in child.tasks.all()})
    return body


def _scores_body(cast):
    e = _latest_event()
    return {"judge": e.judges.get().pk, **{f"p_{r.pk}": 85 for r in e.registrations.all()}}


CASES = [
    Case("programmes:home", STAFF),
    Case("programmes:new", WRITERS),
    Case("programmes:detail", STAFF, kwargs=_bloc),
    Case("programmes:detail", A_SEES, kwargs=_a),
    Case(
        "programmes:indicator_add",
        A_WRITES,
        kwargs=_a,
        method="post",
        data=lambda c: {
            "ind-name": "Chi bộ họp trực tuyến",
            "ind-measure": "chi bộ",
            "ind-baseline": 0,
            "ind-target": 5,
            "ind-direction": "increase",
        },  # fmt: skip
    ),
    Case(
        "programmes:indicator_edit",
        A_WRITES,
        kwargs=_a_indicator,
        method="post",
        data=lambda c: {
            f"i{_latest_child(c).indicators.first().pk}-{k}": v for k, v in (("baseline", 40), ("target", 95))
        },  # fmt: skip
    ),
    Case(
        "programmes:task_add",
        A_WRITES,
        kwargs=_a,
        method="post",
        data=lambda c: {"task-title": "Tập huấn sổ tay", "task-owner_unit": c.cell_a1.pk, "task-due_on": "30/06/2026"},
    ),
    Case("programmes:task_edit", A_WRITES, kwargs=_a_task),
    Case("programmes:adopt", {"bloc", "staff_a", "staff_b"}, kwargs=_bloc),
    Case("programmes:adopt", {"bloc", "staff_a", "secretary_a1"}, kwargs=_a),
    Case("programmes:progress", {"bloc", "inspector"}, kwargs=_bloc),
    Case("programmes:progress", {"bloc", "inspector", "staff_a"}, kwargs=_a),
    Case("programmes:report_new", A_WRITES, kwargs=_a),
    Case("programmes:report", A_REPORTS, kwargs=_report()),
    Case("programmes:report_submit", A_WRITES, kwargs=_report(), method="post"),
    Case(
        "programmes:report_review",
        {"bloc"},
        kwargs=_report("submitted"),
        method="post",
        data=lambda c: {"decision": "accept", "note": "Đạt"},
    ),
    Case("programmes:report_evidence", A_REPORTS, kwargs=_report(evidence=True)),
    Case("programmes:events", STAFF),
    Case("programmes:event_new", WRITERS),
    Case("programmes:event", STAFF, kwargs=_e),
    Case("programmes:event", A_SEES, kwargs=_e_a),
    # For gr_a: staff_b registers for gr_b only.
    Case(
        "programmes:event_register",
        {"bloc", "staff_a"},
        kwargs=_e,
        method="post",
        data=lambda c: {"unit": c.gr_a.pk, "member": c.m_a1.pk, "topic": "Nghị quyết 57"},
    ),
    Case("programmes:withdraw", {"bloc", "staff_a"}, kwargs=_registration, method="post"),
    Case(
        "programmes:event_setup",
        {"bloc"},
        kwargs=lambda cast: {**_e(cast), "what": "judge"},
        method="post",
        data=lambda c: {"judge-name": "Giám khảo 2"},
    ),
    Case("programmes:event_scores", {"bloc"}, kwargs=_round),
    Case("programmes:event_results", STAFF, kwargs=_e),
    Case("programmes:event_publish", {"bloc"}, kwargs=_scored, method="post"),
    # The forms posted for real.
    Case(
        "programmes:new",
        {"bloc", "staff_a"},
        method="post",
        data=lambda c: {
            "unit": c.gr_a.pk,
            "title": "Chương trình chuyển đổi số",
            "adopted_on": "10/01/2026",
            "starts_on": "01/01/2026",
            "ends_on": "31/12/2026",
            "frequency": "quarterly",
            "report_due_days": 10,
        },  # fmt: skip
    ),
    Case(
        "programmes:task_edit",
        A_WRITES,
        kwargs=_a_task,
        method="post",
        data=lambda c: {"owner_unit": c.cell_a1.pk, "due_on": "31/03/2026", "responsible": "Đ/c Hoa"},
    ),
    Case(
        "programmes:adopt",
        {"bloc", "staff_a"},
        kwargs=_bloc,
        method="post",
        data=lambda c: {"unit": c.gr_a.pk, "adopted_on": "10/01/2026"},
    ),
    Case("programmes:report_new", A_WRITES, kwargs=_a, method="post", data=_report_body),
    Case("programmes:report", A_WRITES, kwargs=_report(), method="post", data=_report_body),
    Case(
        "programmes:event_new",
        {"bloc", "staff_a", "secretary_a1"},
        method="post",
        data=lambda c: {
            "unit": c.cell_a1.pk,
            "kind": "contest",
            "title": "Hội thi chi bộ",
            "starts_on": "01/02/2027",
            "ends_on": "02/02/2027",
            "registration_deadline": "15/01/2027",
            "quota_per_unit": 2,
        },  # fmt: skip
    ),
    Case("programmes:event_scores", {"bloc"}, kwargs=_round, method="post", data=_scores_body),
]
