"""Events and contests: registration within quotas and deadlines, scores, ranking with ties, prizes."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from dangbo.programmes import services
from dangbo.programmes.models import Event, Registration
from dangbo.programmes.tests.helpers import DEADLINE, contest
from dangbo.testing import make_member

D = datetime.date


def test_bloc_creates_a_contest(cast, login):
    client = login(cast.bloc_user)
    data = {
        "unit": cast.bloc.pk,
        "kind": "contest",
        "title": "Hội thi báo cáo viên giỏi",
        "starts_on": "01/02/2027",
        "ends_on": "02/02/2027",
        "registration_deadline": "05/02/2027",
        "quota_per_unit": "2",
    }
    resp = client.post(reverse("programmes:event_new"), data)
    assert resp.status_code == 200 and not Event.objects.exists()  # registration must close before it starts
    data["registration_deadline"] = "15/01/2027"
    resp = client.post(reverse("programmes:event_new"), data)
    e = Event.objects.get()
    assert resp.status_code == 302 and e.quota_per_unit == 2 and e.unit == cast.bloc


def test_registration_quota_per_unit(cast, login):
    e = contest(cast, quota=2)
    extra = make_member("Trịnh Văn Ba", cast.cell_a2)
    client = login(cast.staff_a)
    url = reverse("programmes:event_register", args=[e.pk])
    for m in (cast.m_a1, cast.m_a2):
        assert client.post(url, {"unit": cast.gr_a.pk, "member": m.pk}).status_code == 302
    resp = client.post(url, {"unit": cast.gr_a.pk, "member": extra.pk, "topic": "Nghị quyết 57"})
    assert resp.status_code == 200 and 'data-testid="form-error"' in resp.content.decode()
    assert e.registrations.count() == 2 and not e.registrations.filter(member=extra).exists()
    # staff_a cannot register for gr_b, nor a member of gr_b for gr_a.
    resp = client.post(url, {"unit": cast.gr_b.pk, "member": cast.m_b1.pk})
    assert resp.status_code == 404 and e.registrations.count() == 2
    with pytest.raises(ValidationError):
        services.register_participant(event=e, unit=cast.gr_b, member=cast.m_a1_other, actor=None)
    # A withdrawal frees the place.
    reg = e.registrations.get(member=cast.m_a2)
    assert client.post(reverse("programmes:withdraw", args=[e.pk, reg.pk])).status_code == 302
    assert client.post(url, {"unit": cast.gr_a.pk, "member": extra.pk}).status_code == 302
    assert set(e.registrations.values_list("member", flat=True)) == {cast.m_a1.pk, extra.pk}


def test_registration_closes_after_the_deadline_day(cast):
    e = contest(cast)
    services.register_participant(event=e, unit=cast.gr_a, member=cast.m_a1, actor=None, today=DEADLINE)
    with pytest.raises(ValidationError):
        services.register_participant(
            event=e, unit=cast.gr_a, member=cast.m_a2, actor=None, today=DEADLINE + datetime.timedelta(days=1)
        )
    with pytest.raises(ValidationError):
        services.register_participant(event=e, unit=cast.gr_a, member=cast.m_a1, actor=None)  # already in


def test_staff_see_only_their_units_registrations(cast, login):
    e = contest(cast)
    services.register_participant(event=e, unit=cast.gr_a, member=cast.m_a1, actor=None)
    services.register_participant(event=e, unit=cast.gr_b, member=cast.m_b1, actor=None)
    resp = login(cast.staff_b).get(reverse("programmes:event", args=[e.pk]))
    assert [r.member for r in resp.context["regs"]] == [cast.m_b1]
    assert (resp.context["n"], resp.context["n_units"]) == (2, 2)
    resp = login(cast.bloc_user).get(reverse("programmes:event", args=[e.pk]))
    assert len(resp.context["regs"]) == 2


def _scored_contest(cast, points):
    """A contest with one registration per member in ``points`` ({member: [[round1 judges], [round2 judges]]})."""
    e = contest(cast, quota=3)
    rounds = [services.add_round(event=e, name=f"Vòng {k}", max_score=Decimal(100), actor=None) for k in (1, 2)]
    judges = [services.add_judge(event=e, name=f"Giám khảo {k}", actor=None) for k in (1, 2)]
    services.add_prize(event=e, name="Giải Nhất", count=1, actor=None)
    services.add_prize(event=e, name="Giải Nhì", count=1, actor=None)
    regs = {}
    for member in points:
        unit = cast.gr_a if member.unit.path.startswith(cast.gr_a.path) else cast.gr_b
        if member.unit == cast.cell_c:
            unit = cast.cell_c
        regs[member] = services.register_participant(event=e, unit=unit, member=member, actor=None)
    for r_idx, rnd in enumerate(rounds):
        for j_idx, judge in enumerate(judges):
            services.record_scores(
                event=e,
                round=rnd,
                judge=judge,
                scores={regs[m]: Decimal(p[r_idx][j_idx]) for m, p in points.items()},
                actor=None,
            )
    return e, regs, rounds, judges


def test_ranking_with_ties_and_prizes(cast, login):
    # Totals: m_a1 80+90=170; m_b1 (85+75)/2 + 90 = 170; m_c 85+80=165; m_a2 60+70=130.
    e, regs, rounds, judges = _scored_contest(
        cast,
        {
            cast.m_a1: [[80, 80], [90, 90]],
            cast.m_b1: [[85, 75], [90, 90]],
            cast.m_c: [[85, 85], [80, 80]],
            cast.m_a2: [[60, 60], [70, 70]],
        },
    )
    client = login(cast.bloc_user)
    resp = client.post(reverse("programmes:event_publish", args=[e.pk]))
    assert resp.status_code == 302
    got = {r.member: (r.total, r.rank, r.prize) for r in Registration.objects.filter(event=e)}
    # Two first places (the tie on the last first prize gives it to both); no second place; then 3rd and 4th.
    assert got == {
        cast.m_a1: (Decimal(170), 1, "Giải Nhất"),
        cast.m_b1: (Decimal(170), 1, "Giải Nhất"),
        cast.m_c: (Decimal(165), 3, ""),
        cast.m_a2: (Decimal(130), 4, ""),
    }
    e.refresh_from_db()
    assert e.results_published_on is not None
    page = client.get(reverse("programmes:event_results", args=[e.pk]))
    assert [s.rank for s in page.context["standings"]] == [1, 1, 3, 4]
    assert (page.context["n"], page.context["n_units"]) == (4, 3)
    # Published results are frozen.
    with pytest.raises(ValidationError):
        services.record_scores(
            event=e, round=rounds[0], judge=judges[0], scores={regs[cast.m_a2]: Decimal(99)}, actor=None
        )


def test_results_need_every_score_and_scores_within_the_maximum(cast, login):
    e = contest(cast)
    rnd = services.add_round(event=e, name="Chung khảo", max_score=Decimal(50), actor=None)
    judge = services.add_judge(event=e, name="Giám khảo 1", actor=None)
    reg = services.register_participant(event=e, unit=cast.gr_a, member=cast.m_a1, actor=None)
    reg2 = services.register_participant(event=e, unit=cast.gr_b, member=cast.m_b1, actor=None)
    client = login(cast.bloc_user)
    url = reverse("programmes:event_scores", args=[e.pk, rnd.pk])
    resp = client.post(url, {"judge": judge.pk, f"p_{reg.pk}": "50.5", f"p_{reg2.pk}": "40"})
    assert resp.status_code == 200 and not reg.scores.exists() and not reg2.scores.exists()
    resp = client.post(url, {"judge": judge.pk, f"p_{reg.pk}": "50", f"p_{reg2.pk}": ""})
    assert resp.status_code == 302 and reg.scores.get().points == 50
    client.post(reverse("programmes:event_publish", args=[e.pk]))
    e.refresh_from_db()
    assert e.results_published_on is None  # one score missing
    client.post(url, {"judge": judge.pk, f"p_{reg.pk}": "50", f"p_{reg2.pk}": "45"})
    client.post(reverse("programmes:event_publish", args=[e.pk]))
    e.refresh_from_db()
    assert e.results_published_on is not None
    assert list(e.registrations.order_by("rank").values_list("member", "rank")) == [
        (cast.m_a1.pk, 1),
        (cast.m_b1.pk, 2),
    ]


def test_provisional_ranking_is_the_organizers_only(cast, login):
    e, *_ = _scored_contest(cast, {cast.m_a1: [[80, 80], [90, 90]], cast.m_b1: [[85, 75], [90, 90]]})
    assert login(cast.staff_a).get(reverse("programmes:event_results", args=[e.pk])).context["standings"] == []
    assert len(login(cast.bloc_user).get(reverse("programmes:event_results", args=[e.pk])).context["standings"]) == 2


def test_summary_sentence_counts_contestants_and_units(cast, login):
    e = contest(cast)
    services.register_participant(event=e, unit=cast.gr_a, member=cast.m_a1, actor=None)
    services.register_participant(event=e, unit=cast.gr_a, member=cast.m_a2, actor=None)
    services.register_participant(event=e, unit=cast.cell_c, member=cast.m_c, actor=None)
    summary = services.event_summary(e.registrations.all())
    assert summary == (3, 2)
    page = login(cast.bloc_user).get(reverse("programmes:event", args=[e.pk])).content.decode()
    assert "3" in page and 'data-testid="summary"' in page


def test_event_list_queries_are_bounded(cast, login, django_assert_max_num_queries):
    for k in range(6):
        e = contest(cast)
        services.register_participant(event=e, unit=cast.gr_a, member=cast.m_a1, actor=None)
        e.title = f"Hội nghị {k}"
        e.save(update_fields=["title"])
    client = login(cast.bloc_user)
    with django_assert_max_num_queries(10):
        resp = client.get(reverse("programmes:events"))
    assert len(resp.context["page"]) == 6
    with django_assert_max_num_queries(22):  # constant: rounds, judges, prizes, quotas, the members to choose
        client.get(reverse("programmes:event", args=[e.pk]))


@given(st.lists(st.integers(min_value=0, max_value=20), max_size=30), st.integers(min_value=0, max_value=8))
def test_competition_ranks_property(scores, n_prizes):
    totals = sorted((Decimal(x) for x in scores), reverse=True)
    prizes = [f"P{k}" for k in range(n_prizes)]
    ranked = services.competition_ranks(totals, prizes)
    for total, rank, prize in ranked:
        assert rank == 1 + sum(t > total for t in totals)  # one more than the number strictly ahead
        assert prize == (prizes[rank - 1] if rank <= n_prizes else "")
    # Every place up to the prizes' number is covered: ties only add winners, never drop one.
    assert sum(1 for _t, _r, p in ranked if p) >= min(n_prizes, len(totals))


def test_a_past_contest_registration_takes_the_day_it_was_made(cast, login):
    """Issue on history §3: the bloc enters the 2021 contest (seed 004) in 2026; a registration made on
    20/06/2021, before the deadline, is held with that date; one dated after the deadline, or in the future,
    is refused and nothing is saved."""
    e = contest(cast, deadline=datetime.date(2021, 6, 30))
    client = login(cast.staff_a)
    url = reverse("programmes:event_register", args=[e.pk])
    late = client.post(url, {"unit": cast.gr_a.pk, "member": cast.m_a1.pk, "registered_on": "05/07/2021"})
    assert late.status_code == 200 and "Đã hết hạn đăng ký (ngày 30/06/2021)." in late.content.decode()
    future = (timezone.localdate() + datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    ahead = client.post(url, {"unit": cast.gr_a.pk, "member": cast.m_a1.pk, "registered_on": future})
    assert ahead.status_code == 200 and "trong tương lai" in ahead.content.decode()
    assert not e.registrations.exists()
    ok = client.post(url, {"unit": cast.gr_a.pk, "member": cast.m_a1.pk, "registered_on": "20/06/2021"})
    assert ok.status_code == 302
    assert e.registrations.get().registered_on == datetime.date(2021, 6, 20)
