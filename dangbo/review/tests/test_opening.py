"""Opening a review writes its member reviews in short batches (a background task): other users' writes go on
meanwhile, nothing of the period is seen or acted on until every member has a review, an interrupted opening
resumes where it stopped."""

import datetime
import time

import pytest
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from dangbo.members.models import Member
from dangbo.org.models import OrgUnit
from dangbo.review import services
from dangbo.review.models import MemberReview, ReviewPeriod, UnitReview
from dangbo.testing_locks import InThread, Writer, run_in_thread, sqlite_file

D = datetime.date
OPEN_FORM = {
    "unit": None,
    "kind": "year",
    "year": 2026,
    "starts_on": "01/01/2026",
    "ends_on": "31/12/2026",
    "self_deadline": "30/11/2026",
}


def open_year(cast):
    return services.open_period(
        unit=cast.bloc,
        kind="year",
        year=2026,
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 12, 31),
        self_deadline=D(2026, 11, 30),
        actor=cast.bloc_user,
    )


def current_members(cast):
    return Member.objects.current().filter(unit__kind__in=OrgUnit.CELL_KINDS, unit__valid_to__isnull=True)


class Interrupted(Exception):
    pass


def test_an_interrupted_opening_shows_only_its_progress_and_resumes_where_it_stopped(cast, login, monkeypatch):
    """The worker dies after the first batch of 2: the period stays OPENING, its reviews are out of reach (the
    member's card, the member and unit pages, the list update), the page shows 2/5; resuming writes the rest,
    each member once, and the period opens."""
    monkeypatch.setattr(services, "OPEN_BATCH", 2)
    batches = []

    def dying_sleep(seconds):
        batches.append(MemberReview.objects.count())
        raise Interrupted  # the worker is killed between two batches

    monkeypatch.setattr(services.time, "sleep", dying_sleep)
    client = login(cast.bloc_user)
    resp = client.post(reverse("review:period_open"), {**OPEN_FORM, "unit": cast.bloc.pk})
    period = ReviewPeriod.objects.get()
    assert resp.status_code == 302 and resp["Location"] == reverse("review:period", args=[period.pk])
    assert batches == [2]
    assert period.state == ReviewPeriod.State.OPENING and period.opening_total == 5
    written = list(MemberReview.objects.filter(period=period))
    assert len(written) == 2 and period.opening_cursor == max(r.member_id for r in written)
    assert UnitReview.objects.filter(period=period, unit=cast.cell_a1).exists()

    page = client.get(resp["Location"]).content.decode()
    assert "Đang mở kỳ kiểm điểm: 2/5" in page
    assert 'data-testid="opening-stalled"' not in page  # the last batch is recent
    home = client.get(reverse("review:home")).content.decode()
    assert 'data-testid="period-opening"' in home
    ur = UnitReview.objects.get(period=period, unit=cast.cell_a1)
    assert client.get(reverse("review:unit", args=[ur.pk])).status_code == 404
    assert client.post(reverse("review:unit_action", args=[ur.pk, "vote"])).status_code == 404
    assert client.post(reverse("review:period_sync", args=[period.pk])).status_code == 404
    for r in written:
        assert client.get(reverse("review:member", args=[r.pk])).status_code == 404
    # The member whose review may already be written sees no card and no review yet.
    member = login(cast.member_a1)
    assert 'data-testid="review-panel"' not in member.get(reverse("core:home")).content.decode()
    assert 'data-testid="my-reviews"' not in member.get(reverse("review:home")).content.decode()
    own = MemberReview.objects.filter(period=period, member=cast.m_a1).first()
    if own:
        assert member.post(reverse("review:member_action", args=[own.pk, "self"])).status_code == 404

    # No batch for two minutes: the committee is offered to continue; the rest is written.
    ReviewPeriod.objects.filter(pk=period.pk).update(opening_heartbeat=timezone.now() - datetime.timedelta(hours=1))
    client = login(cast.bloc_user)
    assert 'data-testid="opening-resume"' in client.get(resp["Location"]).content.decode()
    monkeypatch.setattr(services.time, "sleep", lambda seconds: batches.append(MemberReview.objects.count()))
    assert client.post(reverse("review:period_resume", args=[period.pk])).status_code == 302
    period.refresh_from_db()
    assert period.state == ReviewPeriod.State.OPEN
    assert batches == [2, 4]
    reviews = MemberReview.objects.filter(period=period)
    expected = sorted(current_members(cast).values_list("pk", flat=True))
    assert sorted(reviews.values_list("member_id", flat=True)) == expected
    page = client.get(resp["Location"]).content.decode()
    assert 'data-testid="progress"' in page and 'data-testid="opening-progress"' not in page
    ur = UnitReview.objects.get(period=period, unit=cast.cell_a1)
    assert client.get(reverse("review:unit", args=[ur.pk])).status_code == 200
    member = login(cast.member_a1)
    assert 'data-testid="review-panel"' in member.get(reverse("core:home")).content.decode()


def test_running_the_batches_again_writes_nothing_twice(cast):
    period = open_year(cast)
    assert period.state == ReviewPeriod.State.OPEN
    n = MemberReview.objects.filter(period=period).count()
    assert n == current_members(cast).count() == 5
    # A second runner (a resumed task racing the first one) starting from scratch finds every member done.
    ReviewPeriod.objects.filter(pk=period.pk).update(state=ReviewPeriod.State.OPENING, opening_cursor=0)
    assert services.fill_members(period.pk, batch=2, pause=0) == 0
    period.refresh_from_db()
    assert period.state == ReviewPeriod.State.OPEN and MemberReview.objects.filter(period=period).count() == n


def test_the_progress_fragment_redirects_when_the_period_is_open(cast, login):
    period = open_year(cast)
    resp = login(cast.bloc_user).get(
        reverse("review:period", args=[period.pk]) + "?opening=1", headers={"HX-Request": "true"}
    )
    assert resp.status_code == 204 and resp["HX-Redirect"].endswith(reverse("review:period", args=[period.pk]))


def test_resuming_an_open_period_changes_nothing(cast, login):
    period = open_year(cast)
    before = MemberReview.objects.filter(period=period).count()
    resp = login(cast.bloc_user).post(reverse("review:period_resume", args=[period.pk]))
    assert resp.status_code == 302 and MemberReview.objects.filter(period=period).count() == before


@pytest.mark.django_db(transaction=True)  # the worker closes its database connection when it stops
def test_the_database_backend_queues_the_opening_for_the_worker(cast, settings):
    """With the production backend the request only queues the task; `manage.py db_worker` writes the reviews."""
    from django.core.management import call_command

    from dangbo.testing import seed_all_rules

    seed_all_rules()  # a transactional test before this one may have flushed the migrations' rules
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    period = open_year(cast)
    assert period.state == ReviewPeriod.State.OPENING
    assert not MemberReview.objects.filter(period=period).exists()
    call_command("db_worker", batch=True, interval=0, verbosity=0)
    period.refresh_from_db()
    assert period.state == ReviewPeriod.State.OPEN
    assert MemberReview.objects.filter(period=period).count() == 5


@pytest.mark.django_db(transaction=True)
def test_other_users_write_within_a_second_while_a_large_review_opens(cast, tmp_path, monkeypatch):
    """On an SQLite file, as in production: 4,000 members, each inserted review made slow (0.4 ms, ~1.6 s of
    inserts). While the opening runs in one thread, another user's small writes in another thread never wait a
    second, and some of them land between two batches (they see a part of the reviews written)."""
    cell = cast.cell_b1
    Member.objects.bulk_create(
        [Member(unit=cell, sex="M", full_name=f"Đảng viên {i}", search_name=f"dang vien {i}") for i in range(4000)]
    )
    total = current_members(cast).count()
    bulk_create = QuerySet.bulk_create

    def slow_bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        if self.model is MemberReview:
            time.sleep(0.0004 * len(objs))  # a slower disk: the lock is held that much longer
        return bulk_create(self, objs, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "bulk_create", slow_bulk_create)
    try:
        from dangbo.core.bulk import PreparedInsert
    except ImportError:  # the code before dangbo.core.bulk
        PreparedInsert = None
    if PreparedInsert:
        run = PreparedInsert.run

        def slow_run(self, **kwargs):
            if self.model is MemberReview:
                time.sleep(0.0004 * len(self.objs))
            return run(self, **kwargs)

        monkeypatch.setattr(PreparedInsert, "run", slow_run)
    monkeypatch.setattr(services, "OPEN_BATCH", 500, raising=False)
    other = cast.m_a2.pk

    def write():
        Member.objects.filter(pk=other).update(position=str(time.perf_counter()))
        return MemberReview.objects.count()

    with sqlite_file(tmp_path):
        writer = Writer(write)
        writer.start()
        time.sleep(0.1)
        opener = InThread(lambda: open_year(cast).pk)
        opener.start()
        pk = opener.result()
        longest = writer.finish()
        state, written = run_in_thread(
            lambda: (ReviewPeriod.objects.get(pk=pk).state, MemberReview.objects.filter(period_id=pk).count())
        )
    assert state == ReviewPeriod.State.OPEN and written == total
    assert opener.seconds > 1.6
    assert not writer.errors
    assert longest < 1.0, f"a write waited {longest:.2f} s"
    assert any(0 < n < total for n in writer.seen), "no write landed between two batches"


def test_members_asked_to_assess_themselves_are_told_once_when_the_period_opens(
    cast, login, django_capture_on_commit_callbacks
):
    """Issue 14 §4: opening a review tells each member with a login (their bell and e-mail), once."""
    from dangbo.core.models import Notification

    cast.member_a1.email = "hoa@example.org"
    cast.member_a1.save()
    client = login(cast.bloc_user)
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("review:period_open"), {**OPEN_FORM, "unit": cast.bloc.pk})
    period = ReviewPeriod.objects.get()
    assert resp.status_code == 302 and period.state == ReviewPeriod.State.OPEN
    told = Notification.objects.filter(kind="review.self_assessment")
    assert list(told.values_list("user__username", flat=True)) == ["member_a1"]
    assert told.get().url == reverse("review:home") + f"?period={period.pk}"
    from django.core import mail

    assert [m.to for m in mail.outbox] == [["hoa@example.org"]] and "30/11/2026" in mail.outbox[0].subject
    # Running it again (a resumed opening) tells nobody twice.
    assert services.notify_self_assessment(period) == 0 and told.count() == 1
    bell = login(cast.member_a1).get(reverse("core:notifications")).content.decode()
    assert "tự đánh giá, xếp loại trước ngày" in bell and "30/11/2026" in bell
