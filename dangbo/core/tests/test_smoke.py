from django.urls import reverse


def test_healthz_answers_without_login(client, db):
    resp = client.get("/healthz")
    # A fresh database has no worker heartbeat and no daily run yet: 503 naming them (test_ops.py).
    assert resp.status_code == 503
    assert resp.json()["checks"]["database"]["ok"] is True


def test_home_requires_login(client, db):
    resp = client.get(reverse("core:home"))
    assert resp.status_code == 302
    assert resp["Location"].startswith(reverse("accounts:login"))


def test_home_summary_is_scoped(cast, login):
    resp = login(cast.bloc_user).get(reverse("core:home"))
    assert resp.status_code == 200
    # bloc sees gr_a, gr_b, cell_c (3 grassroots) and all 5 members
    assert resp.context["grassroots_count"] == 3
    assert resp.context["member_count"] == 5
    resp = login(cast.staff_a).get(reverse("core:home"))
    assert resp.context["member_count"] == 3
    assert resp.context["grassroots_count"] == 1
