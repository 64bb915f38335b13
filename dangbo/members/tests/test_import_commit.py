"""The import's commit: checked again outside the write transaction, then written in one short transaction,
all or nothing, even when the registry changes in between."""

import time

import pytest
from django.urls import reverse

from dangbo.members import importer
from dangbo.members.models import Member, MemberEvent, MemberImport, MemberInterval
from dangbo.members.tests.test_import import upload
from dangbo.members.tests.xlsx import row, workbook
from dangbo.testing_locks import InThread, Writer, run_in_thread, sqlite_file

GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Khoa", "Long", "Minh", "Nam", "Phúc", "Quang"]


def rows(n):
    """``n`` good rows for gr_a's cells, as ``read_workbook`` gives them."""
    out = []
    for i in range(n):
        values = {
            "full_name": f"Nguyễn {GIVEN[i % 12]} {GIVEN[i // 12 % 12]} {GIVEN[i // 144 % 12]}",
            "sex": "Nam",
            "birth_date": "15/03/1985",
            "national_id": f"0010859{i:05d}",
            "unit": "Chi bộ Phòng Tin học" if i % 2 else "Chi bộ Phòng Ngân sách",
            "admission_date": "19/05/2010",
            "official_date": "19/05/2011" if i % 3 else "",
            "card_number": f"47.{i:06d}" if i % 3 else "",
        }
        out.append({"row": i + 2, "values": values, "numeric": []})
    return out


def ready_import(cast, n):
    imp = MemberImport.objects.create(
        unit=cast.gr_a, created_by=cast.staff_a, file_name="ds.xlsx", total=n, rows=rows(n)
    )
    while imp.state == MemberImport.State.CHECKING:
        importer.check_step(imp)
    assert imp.state == MemberImport.State.READY, imp.issues[:3]
    return imp


def test_a_number_taken_while_importing_rolls_everything_back(cast, login, monkeypatch):
    """Another request takes a citizen ID number of the file after the commit's check and before its
    transaction: the unique constraint refuses the insert, nothing of the file is saved, the import says why."""
    client = login(cast.staff_a)
    upload(client, workbook([row("Nguyễn Văn An", cccd="001085000002"), row("Lê Văn Bình")]), cast.gr_a)
    imp = MemberImport.objects.get()
    build_rows = importer._build_rows

    def meanwhile(*args):
        built = build_rows(*args)
        Member.objects.filter(pk=cast.m_b1.pk).update(national_id="001085000002")
        return built

    monkeypatch.setattr(importer, "_build_rows", meanwhile)
    before = (Member.objects.count(), MemberEvent.objects.count(), MemberInterval.objects.count())
    client.post(reverse("members:import_commit", args=[imp.pk]))
    imp.refresh_from_db()
    assert imp.state == MemberImport.State.INVALID and imp.imported == 0
    assert (Member.objects.count(), MemberEvent.objects.count(), MemberInterval.objects.count()) == before
    assert [(i["row"], i["column"]) for i in imp.errors] == [(2, "Số CCCD")]
    assert "001085000002 đã thuộc về một đảng viên trong hệ thống." in imp.errors[0]["message"]


def test_the_rows_written_in_bulk_are_those_of_the_file(cast):
    imp = importer.commit_import(ready_import(cast, 30), actor=cast.staff_a)
    assert imp.state == MemberImport.State.IMPORTED and imp.imported == 30
    members = Member.objects.filter(national_id__startswith="0010859").order_by("national_id")
    assert members.count() == 30
    for i, m in enumerate(members):
        kinds = list(m.events.order_by("date").values_list("kind", flat=True))
        intervals = list(m.intervals.order_by("valid_from").values_list("status", "valid_to"))
        if i % 3:
            assert kinds == ["admitted", "made_official"] and m.card_number == f"47.{i:06d}"
            assert [s for s, _to in intervals] == ["probationary", "official"] and intervals[1][1] is None
        else:
            assert kinds == ["admitted"] and intervals == [("probationary", None)]
    assert MemberEvent.objects.filter(member__in=members, actor=cast.staff_a, note__endswith=" ds.xlsx").count() == 50


@pytest.mark.django_db(transaction=True)
def test_other_users_write_while_a_large_import_is_checked_again(cast, tmp_path, monkeypatch):
    """On an SQLite file, as in production: the commit's second check of the file (made to take 1.5 s) holds no
    write lock, so another user's writes meanwhile wait well under a second."""
    imp = ready_import(cast, 400)
    check = importer.Checker.check

    def slow_check(self, chunk):
        time.sleep(1.5)
        return check(self, chunk)

    monkeypatch.setattr(importer.Checker, "check", slow_check)
    other = cast.m_b1.pk

    def write():
        Member.objects.filter(pk=other).update(position=str(time.perf_counter()))

    with sqlite_file(tmp_path):
        writer = Writer(write)
        writer.start()
        time.sleep(0.1)
        committer = InThread(lambda: importer.commit_import(imp, actor=cast.staff_a).state)
        committer.start()
        state = committer.result()
        longest = writer.finish()
        imported = run_in_thread(lambda: Member.objects.filter(national_id__startswith="0010859").count())
    assert state == MemberImport.State.IMPORTED and imported == 400
    assert not writer.errors
    assert longest < 1.0, f"a write waited {longest:.2f} s"


# --- the commit runs in the background worker (issue 12 §6: no bulk write in a request) ------------------


@pytest.mark.django_db(transaction=True)  # the worker closes its database connection when it stops
def test_the_commit_is_queued_for_the_worker_and_shows_nothing_until_written(cast, login, settings):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from dangbo.testing import seed_all_rules

    seed_all_rules()  # a transactional test before this one may have flushed the migrations' rules
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    imp = ready_import(cast, 30)
    client = login(cast.staff_a)
    url = reverse("members:import_commit", args=[imp.pk])
    resp = client.post(url)
    imp.refresh_from_db()
    assert resp.status_code == 302 and imp.state == MemberImport.State.COMMITTING
    assert imp.commit_requested_by == cast.staff_a and imp.commit_requested_at is not None
    assert not Member.objects.filter(national_id__startswith="0010859").exists()  # nothing written in the request
    page = client.get(imp.get_absolute_url()).content.decode()
    assert 'data-testid="import-committing"' in page and "Đang ghi 30 đảng viên" in page
    assert 'data-testid="commit-retry"' not in page  # not stalled
    client.post(url)  # a second click queues nothing
    assert DBTaskResult.objects.filter(task_path__endswith="commit_member_import").count() == 1
    poll = client.get(imp.get_absolute_url(), {"committing": 1}, headers={"HX-Request": "true"})
    assert poll.status_code == 200 and 'hx-trigger="every 2s"' in poll.content.decode()

    call_command("db_worker", batch=True, interval=0, verbosity=0)
    imp.refresh_from_db()
    assert imp.state == MemberImport.State.IMPORTED and imp.imported == 30
    assert Member.objects.filter(national_id__startswith="0010859").count() == 30
    assert MemberEvent.objects.filter(member__national_id__startswith="0010859", actor=cast.staff_a).exists()
    poll = client.get(imp.get_absolute_url(), {"committing": 1}, headers={"HX-Request": "true"})
    assert poll.status_code == 204 and poll["HX-Redirect"].endswith(imp.get_absolute_url())


def test_a_stalled_commit_is_offered_again_and_written_once(cast, login):
    import datetime

    from django.utils import timezone

    imp = ready_import(cast, 4)
    old = timezone.now() - datetime.timedelta(seconds=importer.COMMIT_STALE_SECONDS + 60)
    MemberImport.objects.filter(pk=imp.pk).update(state=MemberImport.State.COMMITTING, commit_requested_at=old)
    client = login(cast.staff_a)
    assert 'data-testid="commit-retry"' in client.get(imp.get_absolute_url()).content.decode()
    assert client.post(reverse("members:import_commit", args=[imp.pk])).status_code == 302
    imp.refresh_from_db()
    assert imp.state == MemberImport.State.IMPORTED
    assert Member.objects.filter(national_id__startswith="0010859").count() == 4
    client.post(reverse("members:import_commit", args=[imp.pk]))  # done: refused, nothing twice
    assert Member.objects.filter(national_id__startswith="0010859").count() == 4


def test_a_commit_that_cannot_be_queued_leaves_the_import_ready(cast, login, monkeypatch):
    from django.db import DatabaseError

    from dangbo.members import tasks

    def broken(*args, **kwargs):
        raise DatabaseError("queue table missing")

    from types import SimpleNamespace

    monkeypatch.setattr(tasks, "commit_member_import", SimpleNamespace(enqueue=broken))
    imp = ready_import(cast, 2)
    resp = login(cast.staff_a).post(reverse("members:import_commit", args=[imp.pk]), follow=True)
    imp.refresh_from_db()
    assert imp.state == MemberImport.State.READY and "Chưa bắt đầu nhập được" in resp.content.decode()
    assert not Member.objects.filter(national_id__startswith="0010859").exists()
