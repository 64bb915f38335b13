"""Benchmark the write lock held by the two bulk writes, on SQLite, against one hand-written bulk INSERT of the
same rows in the same run.

    .venv/bin/python bench/bulk_writes.py [--members 200000] [--rows 20000]

    (DATABASE_URL=sqlite:///var/bulk_writes.sqlite3 by default; the first run builds it.)

1. the member import's commit of a 20,000-row file (``members.importer.commit_import``);
2. opening the bloc's annual review for 200,000 members (``review.services.open_period`` and the batches of
   its background task, run here in this process by the immediate backend, as the worker would run them).

While each runs, a second process watches the database file: a *probe* tries ``BEGIN IMMEDIATE`` without
waiting every 2 ms and keeps the longest stretch during which the write lock was taken by someone else (the
longest write-lock hold), and a *writer* makes one small write every 20 ms with a 20 s busy timeout, as a user's
request would, and keeps the longest it waited. The baseline is one ``INSERT … SELECT`` of the same number of
rows into the same table, in one transaction.

The data is built on the first run (a few minutes): a bloc of 90 grassroots committees of 3 cells each, N
members on the books with their admission event and interval. The import goes into a committee of its own,
its rows naming the cells by code; the imported members are deleted at the end, and so are the periods the run
opened, so that a second run measures the same database.
"""

import argparse
import datetime
import json
import os
import random
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def probe(path):
    """The watching process: see the module's docstring. Stops at the end of its standard input."""
    stop = threading.Event()
    found = {"longest_hold": 0.0, "longest_wait": 0.0, "writes": 0, "locked_errors": 0}

    def watch():
        con = sqlite3.connect(path, timeout=0, isolation_level=None)
        busy_since = None
        while not stop.is_set():
            now = time.perf_counter()
            try:
                con.execute("BEGIN IMMEDIATE")
                con.execute("ROLLBACK")
                if busy_since is not None:
                    found["longest_hold"] = max(found["longest_hold"], now - busy_since)
                    busy_since = None
            except sqlite3.OperationalError:
                busy_since = busy_since or now
            time.sleep(0.002)

    def write():
        con = sqlite3.connect(path, timeout=20, isolation_level=None)
        while not stop.is_set():
            started = time.perf_counter()
            try:
                con.execute("BEGIN IMMEDIATE")
                con.execute("UPDATE bench_probe SET n = n + 1")
                con.execute("COMMIT")
            except sqlite3.OperationalError:
                found["locked_errors"] += 1
                continue
            found["longest_wait"] = max(found["longest_wait"], time.perf_counter() - started)
            found["writes"] += 1
            time.sleep(0.02)

    threads = [threading.Thread(target=watch, daemon=True), threading.Thread(target=write, daemon=True)]
    for t in threads:
        t.start()
    sys.stdin.read()
    stop.set()
    for t in threads:
        t.join()
    print(json.dumps(found))


if len(sys.argv) == 3 and sys.argv[1] == "--probe":
    probe(sys.argv[2])
    sys.exit(0)

sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bulk_writes.sqlite3'}")
# The opening's batches run in this process, one after the other as the worker runs them.
os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from dangbo.accounts.models import User  # noqa: E402
from dangbo.members import importer  # noqa: E402
from dangbo.members.models import Member, MemberEvent, MemberImport, MemberInterval  # noqa: E402
from dangbo.org.models import OrgUnit  # noqa: E402
from dangbo.review import services  # noqa: E402
from dangbo.review.models import MemberReview, ReviewPeriod  # noqa: E402
from dangbo.testing import make_unit  # noqa: E402

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thanh", "Quốc", "Ngọc", "Hữu", "Xuân", "Thu"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Khoa", "Lan", "Mai", "Nam", "Phúc", "Quang", "Sơn", "Tâm"]
POSITIONS = ["Chuyên viên", "Chuyên viên chính", "Trưởng phòng", "Phó Giám đốc", "Kế toán", "Nhân viên"]
IMPORT_ID_PREFIX = "0990"  # the imported members' citizen ID numbers: none of the built ones start so


def name(rng):
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def sql(query, params=()):
    with connection.cursor() as c:
        c.execute(query, params)
        return c.fetchall()


def build(n):
    """The bloc, its organizations and ``n`` members on the books, their admission events and intervals."""
    started = time.monotonic()
    rng = random.Random(6)
    founded = datetime.date(2000, 1, 1)
    bloc = make_unit("Đảng bộ Khối Đo tải", OrgUnit.Kind.BLOC, valid_from=founded)
    cells = []
    for g in range(91):
        gr = make_unit(f"Đảng bộ Cơ quan {g + 1}", OrgUnit.Kind.GRASSROOTS_COMMITTEE, bloc, valid_from=founded)
        for c in range(3):
            cell = make_unit(f"Chi bộ {c + 1} – {gr.name}", OrgUnit.Kind.SUBORDINATE_CELL, gr, valid_from=founded)
            OrgUnit.objects.filter(pk=cell.pk).update(code=f"CB{g + 1:03d}{c + 1}")
            if g < 90:  # the last committee receives the import
                cells.append(cell)
    for start in range(0, n, 5000):
        members = []
        for i in range(start, min(n, start + 5000)):
            admitted = datetime.date(1990 + i % 34, 1 + i % 12, 1 + i % 28)
            m = Member(
                unit=cells[i % len(cells)],
                sex="M" if i % 2 else "F",
                birth_date=admitted.replace(year=admitted.year - 25),
                status=Member.Status.EXEMPTED if i % 50 == 0 else Member.Status.OFFICIAL,
                admission_date=admitted,
                official_date=admitted.replace(year=admitted.year + 1),
                card_number=f"{10 + i // 1_000_000:02d}.{i % 1_000_000:06d}",
                national_id=f"001{i:09d}",
                ethnicity="Kinh",
                position=rng.choice(POSITIONS),
            )
            m.set_name(name(rng))
            members.append(m)
        with transaction.atomic():
            Member.objects.bulk_create(members)
            MemberEvent.objects.bulk_create(
                MemberEvent(
                    member=m,
                    kind=MemberEvent.Kind.ADMITTED,
                    date=m.admission_date,
                    to_unit_id=m.unit_id,
                    status_after=m.status,
                )
                for m in members
            )
            MemberInterval.objects.bulk_create(
                MemberInterval(member=m, unit_id=m.unit_id, status=m.status, valid_from=m.admission_date)
                for m in members
            )
    User.objects.create_user(username="bench_office", password="not-used-bench-only")
    sql("CREATE TABLE IF NOT EXISTS bench_probe (n integer NOT NULL)")
    sql("INSERT INTO bench_probe VALUES (0)")
    sql("ANALYZE")
    print(f"built {n:,} members in {time.monotonic() - started:.0f} s")


def watched(fn):
    """``fn()`` with the probe process watching: (its result, seconds, what the probe found)."""
    watcher = subprocess.Popen(
        [sys.executable, __file__, "--probe", connection.settings_dict["NAME"]],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    time.sleep(0.3)
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    time.sleep(0.1)
    out, _err = watcher.communicate("")
    return result, seconds, json.loads(out)


def import_rows(n, cells):
    rng = random.Random(12)
    rows = []
    for i in range(n):
        values = {
            "full_name": name(rng),
            "sex": "Nam" if i % 2 else "Nữ",
            "birth_date": "15/03/1985",
            "national_id": f"{IMPORT_ID_PREFIX}{i:08d}",
            "unit": cells[i % len(cells)].code,
            "admission_date": "19/05/2010",
            "official_date": "19/05/2011" if i % 4 else "",
            "card_number": f"99.{i:06d}" if i % 4 else "",
            "ethnicity": "Kinh",
            "religion": "Không",
            "hometown": "Nghệ An",
            "general_education": "12/12",
            "qualification": "Đại học",
            "theory_level": "Trung cấp",
            "position": rng.choice(POSITIONS),
        }
        rows.append({"row": i + 2, "values": values, "numeric": []})
    return rows


MEMBER_COLUMNS = (
    "full_name, search_name, sort_name, sex, birth_date, unit_id, status, admission_date, official_date, position, "
    "hometown, ethnicity, religion, general_education, qualification, theory_level, other_names, birth_place, "
    "occupation, residence_address, photo"
)


def bench_import(n, actor):
    gr = OrgUnit.objects.filter(kind=OrgUnit.Kind.GRASSROOTS_COMMITTEE).order_by("-path").first()
    cells = list(OrgUnit.objects.filter(parent=gr).order_by("path"))
    imp = MemberImport.objects.create(
        unit=gr, created_by=actor, file_name="bench.xlsx", total=n, rows=import_rows(n, cells)
    )
    started = time.perf_counter()
    while imp.state == MemberImport.State.CHECKING:
        importer.check_step(imp)
    assert imp.state == MemberImport.State.READY, imp.issues[:3]
    checked = time.perf_counter() - started
    imp, seconds, found = watched(lambda: importer.commit_import(imp, actor=actor))
    assert imp.state == MemberImport.State.IMPORTED and imp.imported == n, (imp.state, imp.issues[:3])
    print(f"import of {n:,} rows: checked step by step in {checked:.1f} s (not measured below)")
    report("import commit", n, seconds, found)

    ids = [pk for (pk,) in sql("SELECT id FROM members_member WHERE national_id LIKE %s", [IMPORT_ID_PREFIX + "%"])]
    id_list = ",".join(str(pk) for pk in ids)

    def baseline():
        with transaction.atomic():
            sql(
                f"INSERT INTO members_member ({MEMBER_COLUMNS}) "
                f"SELECT {MEMBER_COLUMNS} FROM members_member WHERE id IN ({id_list})"
            )

    _r, seconds, found = watched(baseline)
    report(f"baseline: one INSERT … SELECT of {len(ids):,} members", len(ids), seconds, found)
    with transaction.atomic():
        copies = f"SELECT id FROM members_member WHERE id > {max(ids)}"
        sql(f"DELETE FROM members_memberinterval WHERE member_id IN ({id_list}) OR member_id IN ({copies})")
        sql(f"DELETE FROM members_memberevent WHERE member_id IN ({id_list}) OR member_id IN ({copies})")
        sql(f"DELETE FROM members_member WHERE id IN ({id_list}) OR id > {max(ids)}")
        MemberImport.objects.filter(pk=imp.pk).delete()


def bench_review(actor, members):
    bloc = OrgUnit.objects.get(kind=OrgUnit.Kind.BLOC)
    # The bench user opens as the bloc office.
    from dangbo.accounts.models import Role, RoleAssignment

    RoleAssignment.objects.get_or_create(user=actor, unit=bloc, role=Role.BLOC_OFFICE)
    year = 2026

    def product():
        return services.open_period(
            unit=bloc,
            kind="year",
            year=year,
            starts_on=datetime.date(year, 1, 1),
            ends_on=datetime.date(year, 12, 31),
            self_deadline=datetime.date(year, 11, 30),
            actor=actor,
        )

    period, seconds, found = watched(product)
    written = MemberReview.objects.filter(period=period).count()
    assert getattr(period, "state", "open") == "open" and written == members, (written, members)
    batch = getattr(services, "OPEN_BATCH", None)
    how = f"{-(-written // batch)} batches of {batch:,}" if batch else "one transaction"
    report(f"review opening ({how})", written, seconds, found)

    other = ReviewPeriod.objects.create(
        unit=bloc,
        kind="year",
        year=year + 1,
        starts_on=datetime.date(year + 1, 1, 1),
        ends_on=datetime.date(year + 1, 12, 31),
        self_deadline=datetime.date(year + 1, 11, 30),
    )
    columns = (
        'member_id, unit_id, grassroots_id, "group", self_scores, self_comment, disqualifier, disqualifier_note, '
        "appraisal_note, level, level_reasons"
    )

    def baseline():
        with transaction.atomic():
            sql(
                f"INSERT INTO review_memberreview (period_id, {columns}) SELECT %s, {columns} "
                "FROM review_memberreview WHERE period_id = %s",
                [other.pk, period.pk],
            )

    _r, seconds, found = watched(baseline)
    report(f"baseline: one INSERT … SELECT of {written:,} member reviews", written, seconds, found)
    with transaction.atomic():
        for p in (period.pk, other.pk):
            sql("DELETE FROM review_memberreview WHERE period_id = %s", [p])
        ReviewPeriod.objects.filter(pk__in=[period.pk, other.pk]).delete()


def report(what, rows, seconds, found):
    print(
        f"{what:<58} {rows:>8,} rows {seconds:>7.2f} s  longest lock hold {found['longest_hold']:>6.2f} s  "
        f"longest wait of another writer {found['longest_wait']:>6.2f} s ({found['writes']} writes, "
        f"{found['locked_errors']} 'database is locked')"
    )


parser = argparse.ArgumentParser()
parser.add_argument("--members", type=int, default=200_000)
parser.add_argument("--rows", type=int, default=20_000)
args = parser.parse_args()
if connection.vendor != "sqlite":
    sys.exit("SQLite only: PostgreSQL locks rows, not the database.")
call_command("migrate", verbosity=0)
if not OrgUnit.objects.exists():
    build(args.members)
on_books = Member.objects.current().count()
if on_books != args.members:
    sys.exit(
        f"The database holds {on_books:,} members on the books, not {args.members:,}: point DATABASE_URL at a new one."
    )
actor = User.objects.get(username="bench_office")
print(f"{connection.settings_dict['NAME']}: {Member.objects.count():,} members, sqlite {sqlite3.sqlite_version}")
bench_import(args.rows, actor)
bench_review(actor, Member.objects.current().filter(unit__kind=OrgUnit.Kind.SUBORDINATE_CELL).count())
