"""The transfer lists cost the same whatever the number of transfers (issue 15: a test per list page at two
data sizes)."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangbo.testing import make_member
from dangbo.transfers import services
from dangbo.transfers.models import Transfer

D = datetime.date
PAGES = ("transfers:home", "transfers:report", "transfers:movements")


def _transfers(cast, n, prefix):
    for i in range(n):
        m = make_member(f"{prefix} Văn {i}", cast.cell_a1 if i % 2 else cast.cell_a2)
        t = services.request_transfer(
            member=m, kind="official_internal", to_unit=cast.cell_b1, requested_on=D(2026, 9, 2), actor=None,
            decision_date=D(2026, 9, 1),
        )  # fmt: skip
        if i % 3 == 0:
            services.issue_letter(transfer=t, letter_no=f"{i}-GGT", letter_date=D(2026, 9, 3), actor=None)


def _counts(client):
    out = []
    for name in PAGES:
        with CaptureQueriesContext(connection) as q:
            resp = client.get(reverse(name) + "?from=01/01/2026&to=31/12/2026")
        assert resp.status_code == 200, name
        out.append(len(q))
    return out


def test_transfer_lists_cost_the_same_for_3_and_30_transfers(cast, login):
    client = login(cast.bloc_user)
    _transfers(cast, 3, "Lê")
    small = _counts(client)
    _transfers(cast, 27, "Vũ")
    assert Transfer.objects.count() == 30
    assert _counts(client) == small
