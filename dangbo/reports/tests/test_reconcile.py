import pytest
from django.urls import reverse

from dangbo.reports import services
from dangbo.reports.models import Reconciliation
from dangbo.reports.tests.helpers import D, build_story


@pytest.fixture
def story(cast):
    build_story(cast)
    return cast


def test_reconciliation_lists_differences_and_is_signed_by_both_sides(story, login):
    c = story
    client = login(c.staff_a)
    url = reverse("reports:reconciliation_new")
    # On 30/09/2026 gr_a had Hoa and Minh (official) and Đức (probationary); the register says 3 official.
    resp = client.post(
        url,
        {
            "unit": c.gr_a.pk,
            "on": "30/09/2026",
            "n_official": 3,
            "n_probationary": 0,
            "n_exempted": 0,
            "n_suspended": 0,
        },
    )
    rec = Reconciliation.objects.get()
    assert resp.status_code == 302
    assert rec.system == {"official": 2, "probationary": 1, "exempted": 0, "suspended": 0}
    assert rec.differences() == [("official", 3, 2), ("probationary", 0, 1)]
    page = client.get(reverse("reports:reconciliation_detail", args=[rec.pk]))
    assert [r[3] for r in page.context["rows"]] == [1, -1, 0, 0]
    assert page.context["can_sign_unit"] and not page.context["can_sign_upper"]
    # A later move (Hoa left on 10/10) does not change the counts as of 30/09.
    assert services.register_counts(c.gr_a, D(2026, 9, 30))["official"] == 2
    assert services.register_counts(c.gr_a, D(2026, 10, 31))["official"] == 1
    # The unit signs for itself only; the bloc signs for the level above.
    sign = reverse("reports:reconciliation_sign", args=[rec.pk])
    assert client.post(sign, {"side": "upper"}).status_code == 404
    client.post(sign, {"side": "unit"})
    bloc = login(c.bloc_user)
    assert bloc.post(sign, {"side": "unit"}).status_code == 404
    bloc.post(sign, {"side": "upper"})
    rec.refresh_from_db()
    assert rec.signed and rec.unit_signed_by == c.staff_a and rec.upper_signed_by == c.bloc_user
    resp = bloc.post(sign, {"side": "upper"}, follow=True)
    assert "Bên này đã ký" in resp.content.decode()
    # Another grassroots sees nothing of it.
    assert login(c.staff_b).get(reverse("reports:reconciliation_detail", args=[rec.pk])).status_code == 404


def test_reconciliation_refuses_a_future_date_or_a_second_one_on_a_day(story, login):
    c = story
    client = login(c.staff_a)
    url = reverse("reports:reconciliation_new")
    data = {
        "unit": c.gr_a.pk,
        "on": "30/09/2099",
        "n_official": 1,
        "n_probationary": 0,
        "n_exempted": 0,
        "n_suspended": 0,
    }
    resp = client.post(url, data)
    assert "không được sau ngày hôm nay" in resp.content.decode() and not Reconciliation.objects.exists()
    data["on"] = "30/09/2026"
    client.post(url, data)
    resp = client.post(url, data)
    assert "đã có biên bản đối chiếu" in resp.content.decode() and Reconciliation.objects.count() == 1
    # staff_a may not pick another grassroots.
    data["unit"] = c.gr_b.pk
    data["on"] = "29/09/2026"
    assert client.post(url, data).status_code == 404


def test_next_reconciliation_from_the_rule(story, login):
    c = story
    services.create_reconciliation(unit=c.gr_a, on=D(2026, 6, 30), declared={}, actor=None, today=D(2026, 7, 1))
    assert services.next_reconciliation(c.gr_a, D(2026, 6, 30)) == D(2026, 9, 30)
    resp = login(c.staff_a).get(reverse("reports:reconciliations"))
    due = {u: (last, nxt) for u, last, nxt, _late in resp.context["units"]}
    assert due[c.gr_a] == (D(2026, 6, 30), D(2026, 9, 30))
