"""Access-matrix rows of this app (tests/test_access_matrix.py): one Case per URL.

gr_a's report for Q3 2026 is filled in by its own staff (staff_a) and decided by the level above (the
bloc office); it is seen by the staff covering gr_a. The same for gr_a's register reconciliation.
"""

import datetime

from dangbo.testing import STAFF, Case

D = datetime.date
OVER_GR_A = {"bloc", "inspector", "staff_a"}


def _report(cast):
    from dangbo.reports import services

    r = services.save_report(
        unit=cast.gr_a,
        period="quarter",
        year=2026,
        number=3,
        declared={"members.total": 3},
        narrative={"results": "Hoàn thành nhiệm vụ."},
        submit=True,
        actor=None,
        today=D(2026, 10, 2),
    )
    return {"pk": r.pk}


def _reconciliation(cast):
    from dangbo.reports import services

    rec = services.create_reconciliation(
        unit=cast.gr_a, on=D(2026, 9, 30), declared={"official": 2}, actor=None, today=D(2026, 10, 2)
    )
    return {"pk": rec.pk}


def _report_body(cast):
    """gr_a's Q3 2026 report form as the system pre-fills it, with a narrative: a draft is saved."""
    from dangbo.reports import services
    from dangbo.reports.models import period_bounds

    start, end = period_bounds("quarter", 2026, 3)
    figures = services.countable(services.collect(cast.gr_a, start, end))
    body = {"f_" + key.replace(".", "__"): f.value or 0 for key, f in figures.items()}
    return {**body, "results": "Hoàn thành nhiệm vụ quý."}


def _reconciliation_body(cast):
    from dangbo.reports.models import RECONCILED_STATUSES

    return {"unit": cast.gr_a.pk, "on": "30/09/2026", **{f"n_{s}": 1 for s in RECONCILED_STATUSES}}


CASES = [
    Case("reports:dashboard", allowed=STAFF),
    Case("reports:dashboard", query="?unit=0", allowed=set()),
    Case("reports:periodic", allowed=STAFF),
    Case("reports:periodic", query="?unit=0", allowed=set()),
    Case("reports:summary_docx", allowed=STAFF, query="?period=quarter&year=2026&number=3"),
    Case("reports:summary_xlsx", allowed=STAFF, query="?period=year&year=2025&number=1"),
    Case(
        "reports:report_edit",
        allowed={"staff_a"},
        kwargs=lambda c: {"unit_pk": c.gr_a.pk, "period": "quarter", "year": 2026, "number": 3},
    ),
    Case(
        "reports:report_edit",
        allowed=set(),
        kwargs=lambda c: {"unit_pk": c.cell_a1.pk, "period": "quarter", "year": 2026, "number": 3},
    ),
    Case("reports:report_detail", allowed=OVER_GR_A, kwargs=_report),
    Case(
        "reports:report_return",
        allowed={"bloc"},
        kwargs=_report,
        method="post",
        data=lambda c: {"reason": "Thiếu số liệu."},
    ),
    Case("reports:report_accept", allowed={"bloc"}, kwargs=_report, method="post"),
    Case("reports:reconciliations", allowed=STAFF),
    Case("reports:reconciliation_new", allowed={"bloc", "staff_a", "staff_b"}),
    Case("reports:reconciliation_detail", allowed=OVER_GR_A, kwargs=_reconciliation),
    Case(
        "reports:reconciliation_sign",
        allowed={"bloc"},
        kwargs=_reconciliation,
        method="post",
        data=lambda c: {"side": "upper"},
    ),
    Case(
        "reports:report_edit",
        allowed={"staff_a"},
        kwargs=lambda c: {"unit_pk": c.gr_a.pk, "period": "quarter", "year": 2026, "number": 3},
        method="post",
        data=_report_body,
    ),
    Case("reports:reconciliation_new", allowed={"bloc", "staff_a"}, method="post", data=_reconciliation_body),
]
