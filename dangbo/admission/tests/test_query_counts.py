"""Pages of the offices above whose cost must not grow with the number of candidates (issue 15)."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangbo.admission.models import Candidate, Vote

D = datetime.date


def _on_probation(cast, n, prefix):
    for i in range(n):
        cell = cast.cell_a1 if i % 2 else cast.cell_a2
        c = Candidate(
            cell=cell, sex="M", birth_date=D(1990, 1, 1), stage="probation", decision_no="1",
            decision_date=D(2024, 1, 1), ceremony_date=D(2024, 2, 1),
        )  # fmt: skip
        c.set_name(f"{prefix} Văn {i}")
        c.save()
        if i % 3 == 0:
            Vote.objects.create(
                candidate=c, level="recognition", date=D(2025, 2, 10), denominator=3, in_favour=3, threshold=[2, 3],
                passed=True,
            )  # fmt: skip


def _count(client, url):
    with CaptureQueriesContext(connection) as q:
        resp = client.get(url)
    assert resp.status_code == 200
    return len(q), resp


def test_overdue_and_targets_cost_the_same_for_5_and_40_candidates(cast, login):
    client = login(cast.staff_a)
    _on_probation(cast, 5, "Lê")
    small = [_count(client, reverse(name))[0] for name in ("admission:overdue", "admission:targets")]
    _on_probation(cast, 35, "Vũ")
    large = [_count(client, reverse(name))[0] for name in ("admission:overdue", "admission:targets")]
    assert small == large
    _n, resp = _count(client, reverse("admission:overdue"))
    assert len(resp.context["rows"]) == 40  # all late: probation ended in 2025, nobody recognized
