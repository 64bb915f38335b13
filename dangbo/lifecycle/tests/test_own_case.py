"""Nobody acts on their own case (issue 12, finding 3): a member never exempts themself, never proposes or
decides their own removal (DOMAIN.md §2: removal is proposed by the cell, decided by the competent level)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from dangbo.lifecycle.models import Exemption, RemovalProposal
from dangbo.testing import make_member
from tests.test_write_matrix import fingerprint

TODAY = timezone.localdate()


def fmt(days):
    return (TODAY - datetime.timedelta(days=days)).strftime("%d/%m/%Y")


def _action(client, member, action, **data):
    return client.post(
        reverse("lifecycle:member_action", args=[member.pk, action]), {f"{action}-{k}": v for k, v in data.items()}
    )


EXEMPT = {"reason": "old_age", "starts_on": fmt(1), "decision_no": "05-QĐ/CB"}
PROPOSE = {"ground": "missed_meetings", "count": 3, "evidence": "Vắng 3 kỳ", "raised_on": fmt(1)}


def test_the_secretary_neither_exempts_herself_nor_proposes_her_own_removal(cast, login):
    me = make_member("Hoàng Văn Bình", cast.cell_a1, user=cast.secretary_a1)
    client = login(cast.secretary_a1)
    page = client.get(reverse("lifecycle:member", args=[me.pk]))
    assert page.status_code == 200 and not page.context["action_forms"]  # she reads her record, no action offered
    before = fingerprint()
    for action, data in (("exempt", EXEMPT), ("propose_removal", PROPOSE)):
        resp = _action(client, me, action, **data)
        assert resp.status_code == 403 and "chính mình" in resp.content.decode(), action
    assert fingerprint() == before
    # Another member of her cell: her ordinary work.
    assert _action(client, cast.m_a1_other, "exempt", **EXEMPT).status_code == 302
    assert Exemption.objects.filter(member=cast.m_a1_other).exists()


def test_the_competent_level_does_not_decide_its_own_removal(cast, login):
    me = make_member("Phạm Thị An", cast.cell_a1, user=cast.staff_a)
    resp = _action(login(cast.secretary_a1), me, "propose_removal", **PROPOSE)
    assert resp.status_code == 302
    p = RemovalProposal.objects.get(member=me)
    url = reverse("lifecycle:proposal_decide", args=[p.pk])
    data = {"decide-outcome": "remove", "decide-day": fmt(0), "decide-decision_no": "9-QĐ/ĐU"}
    client = login(cast.staff_a)
    assert client.get(reverse("lifecycle:proposal", args=[p.pk])).context["form"] is None
    before = fingerprint()
    resp = client.post(url, data)
    assert resp.status_code == 403 and "chính mình" in resp.content.decode()
    assert fingerprint() == before
    assert login(cast.bloc_user).post(url, data).status_code == 302
    p.refresh_from_db()
    assert p.state == RemovalProposal.State.REMOVED and p.decided_by == cast.bloc_user
