"""Benchmark the meeting compliance of the whole tree over a year against one hand-written SQL query
computing the same answer, in the same run.

    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python bench/meetings.py [--repeat 7]

The scale database holds the demo's 2026 meetings when it was built with the meetings app's demo;
otherwise the first run adds them in bulk (the demo's own ``_light``: for every cell of the bloc a
held meeting each month from January to November, a thematic slot each quarter, their stored
judgement). Then it times ``meetings.compliance.compute`` for the bloc over 2026 as of 01/12/2026 — what
the compliance page and the figures compute — and one SQL statement listing the same breaches: cell-months
without a regular meeting, quarters without a thematic one, meetings too short, combined with a work
meeting, poorly attended, minutes published late. Answers are compared as sets of (cell, rule, month or
meeting) and the run fails when they differ. The SQL reads the low-attendance threshold in force for the
bloc (the bench refuses to run when a committee overrides it or it changes within the year).
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from dangbo.meetings import compliance, demo  # noqa: E402
from dangbo.meetings.models import Meeting  # noqa: E402
from dangbo.org.models import OrgUnit  # noqa: E402
from dangbo.rules.models import RuleVersion  # noqa: E402

TODAY = datetime.date(2026, 12, 1)
START, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)


def ensure_data(bloc):
    if Meeting.objects.filter(held_on__year=2026).exists():
        return
    t = time.perf_counter()
    with transaction.atomic():
        demo._light(SimpleNamespace(rng=random.Random(2026), bloc=bloc), SimpleNamespace(path="/none/"))
    print(f"added {Meeting.objects.count():,} meetings in {time.perf_counter() - t:.1f} s")


def product(bloc):
    report = compliance.compute(bloc, START, END, today=TODAY)
    return {(b.unit_id, b.kind, b.meeting_id or b.month.isoformat()) for b in report.breaches if not b.pending}


def threshold(bloc):
    versions = RuleVersion.objects.filter(rule__key="meeting.low_attendance_percent")
    if versions.exclude(scope_unit__isnull=True).exists() or versions.filter(effective_from__gt=START).exists():
        sys.exit("the low-attendance threshold is overridden or changes in 2026: the SQL below assumes one value")
    return versions.get(effective_to__isnull=True).value


def month_rows():
    """(start, end, is a quarter's last month, quarter start) of the months that have ended by TODAY."""
    rows = []
    for m in compliance.month_starts(START, END):
        end = compliance._month_end(m)
        if end >= TODAY:
            continue
        rows.append(
            (
                m.isoformat(),
                end.isoformat(),
                int(m.month % 3 == 0),
                m.replace(month=m.month - 2).isoformat() if m.month % 3 == 0 else m.isoformat(),
            )
        )
    return rows


def hand_sql(bloc):
    pg = connection.vendor == "postgresql"
    local_day = "(x.published_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date" if pg else "date(x.published_at, '+7 hours')"
    cast_date = "::date" if pg else ""
    months = month_rows()
    values = ", ".join(f"(%s{cast_date}, %s{cast_date}, %s, %s{cast_date})" for _ in months)
    params = [v for row in months for v in row]
    query = f"""
    WITH cells AS (
        SELECT id, valid_from, valid_to FROM org_orgunit
        WHERE path LIKE %s AND kind IN ('grassroots_cell', 'subordinate_cell')
          AND valid_from <= %s AND (valid_to IS NULL OR valid_to > %s)
    ), months(ms, me, qlast, qs) AS (VALUES {values}),
    alive AS (
        SELECT c.id, m.ms, m.me, m.qlast, m.qs FROM cells c CROSS JOIN months m
        WHERE c.valid_from <= m.me AND (c.valid_to IS NULL OR c.valid_to > m.ms)
    ),
    held AS (
        SELECT x.* FROM meetings_meeting x JOIN cells c ON c.id = x.unit_id
        WHERE x.state = 'held' AND x.held_on BETWEEN %s AND %s
    )
    SELECT a.id, 'no_regular', CAST(a.ms AS TEXT) FROM alive a WHERE NOT EXISTS (
        SELECT 1 FROM held x WHERE x.unit_id = a.id AND x.kind IN ('regular', 'combined')
          AND x.held_on BETWEEN a.ms AND a.me)
    UNION ALL
    SELECT a.id, 'no_thematic', CAST(a.ms AS TEXT) FROM alive a WHERE a.qlast = 1 AND NOT EXISTS (
        SELECT 1 FROM held x WHERE x.unit_id = a.id AND x.kind IN ('thematic', 'combined')
          AND x.held_on BETWEEN a.qs AND a.me)
    UNION ALL
    SELECT x.unit_id, 'too_short', CAST(x.id AS TEXT) FROM held x WHERE x.too_short
    UNION ALL
    SELECT x.unit_id, 'with_work', CAST(x.id AS TEXT) FROM held x WHERE x.with_work_meeting
    UNION ALL
    SELECT x.unit_id, 'low_attendance', CAST(x.id AS TEXT) FROM held x
    WHERE x.denominator > 0 AND x.present_count * 100 < %s * x.denominator
    UNION ALL
    SELECT x.unit_id, 'not_published', CAST(x.id AS TEXT) FROM held x WHERE x.publish_due IS NOT NULL AND (
        (x.published_at IS NULL AND x.publish_due < %s) OR (x.published_at IS NOT NULL AND {local_day} > x.publish_due))
    """
    args = [bloc.path + "%", END, START] + params + [START, END, threshold(bloc), TODAY]
    with connection.cursor() as c:
        c.execute(query, args)
        rows = c.fetchall()
    out = set()
    for unit_id, kind, what in rows:
        # Every third column is text (a UNION needs one type): a month's first day, or a meeting's id.
        out.add((unit_id, kind, what[:10] if kind in ("no_regular", "no_thematic") else int(what)))
    return out


def median_time(fn, repeat):
    result = fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    bloc = OrgUnit.objects.filter(kind=OrgUnit.Kind.BLOC).order_by("pk").first()
    if bloc is None:
        sys.exit("no bloc: build the scale database first (bench/build_scale.py)")
    ensure_data(bloc)
    held = Meeting.objects.filter(state="held", held_on__year=2026).count()
    cells = OrgUnit.objects.filter(path__startswith=bloc.path, kind__in=OrgUnit.CELL_KINDS).count()
    print(f"{connection.vendor}: {cells:,} cells, {held:,} meetings held in 2026")
    p_time, p_answer = median_time(lambda: product(bloc), args.repeat)
    s_time, s_answer = median_time(lambda: hand_sql(bloc), args.repeat)
    ok = p_answer == s_answer
    print(
        f"compliance of the whole tree, 2026   product {p_time * 1000:8.1f} ms   SQL {s_time * 1000:8.1f} ms   "
        f"ratio {p_time / s_time:5.2f}   {len(p_answer):,} breaches   {'same answer' if ok else 'DIFFERENT ANSWER'}"
    )
    if not ok:
        print("only product:", sorted(p_answer - s_answer)[:10])
        print("only SQL:", sorted(s_answer - p_answer)[:10])
        sys.exit(1)


if __name__ == "__main__":
    main()
