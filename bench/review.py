"""Benchmark the review results of the whole tree against one hand-written SQL query computing the same
answer, in the same run.

    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python bench/review.py [--repeat 7]

The scale database holds the demo's 2025 review of the whole bloc when it was built with the review app's
demo; otherwise the first run adds it in bulk (the demo's own ``build_2025``: one review per member, every
organization announced). Then it times, for each operation, the product's own code path and one SQL statement,
compares their answers and fails when they differ:

1. results by level per grassroots organization for 2025, whole bloc (``review.results.by_grassroots``);
2. members by level, year on year 2021–2025, whole bloc (``review.results.by_year``, members part);
3. the period figures of the bloc for 2025 (``review.figures.period_figures``) against their members part.
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

from dangbo.org.models import OrgUnit  # noqa: E402
from dangbo.review import demo, results  # noqa: E402
from dangbo.review.figures import period_figures  # noqa: E402
from dangbo.review.models import Level, MemberReview, ReviewPeriod  # noqa: E402

YEAR = 2025


def median_time(fn, repeat):
    result = fn()  # warm-up, and the answer to compare
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def sql(query, params):
    with connection.cursor() as c:
        c.execute(query, params)
        return c.fetchall()


bloc = OrgUnit.objects.get(kind="bloc")


@transaction.atomic
def ensure_data():
    if ReviewPeriod.objects.filter(unit=bloc, kind="year", year=YEAR).exists():
        return
    t = time.perf_counter()
    demo.build_2025(SimpleNamespace(rng=random.Random(366), bloc=bloc))
    n = MemberReview.objects.filter(period__year=YEAR).count()
    print(f"created the {YEAR} review of the bloc: {n:,} member reviews in {time.perf_counter() - t:.1f} s")


ANNOUNCED_JOIN = """
    FROM review_memberreview mr
    JOIN review_reviewperiod p ON p.id = mr.period_id
    JOIN org_orgunit c ON c.id = mr.unit_id
    JOIN review_unitreview ur ON ur.period_id = mr.period_id AND ur.unit_id = mr.grassroots_id
    WHERE p.kind = 'year' AND ur.state = 'announced' AND c.path LIKE %s
"""


def op_by_grassroots():
    def product():
        return sorted(
            (u.pk, lv, n) for u, counts in results.by_grassroots([bloc.path], YEAR) for lv, n in counts.items() if n
        )

    def raw():
        rows = sql(
            "SELECT mr.grassroots_id, mr.level, COUNT(*)"
            + ANNOUNCED_JOIN
            + " AND p.year = %s GROUP BY mr.grassroots_id, mr.level",
            [bloc.path + "%", YEAR],
        )
        return sorted((g, lv, n) for g, lv, n in rows)

    return "results by level per grassroots organization, 2025, whole bloc", product, raw


def op_by_year():
    years = list(range(YEAR - 4, YEAR + 1))

    def product():
        members, _orgs = results.by_year([bloc.path], years)
        return sorted((y, lv, n) for y, counts in members.items() for lv, n in counts.items() if n)

    def raw():
        rows = sql(
            "SELECT p.year, mr.level, COUNT(*)"
            + ANNOUNCED_JOIN
            + " AND p.year BETWEEN %s AND %s GROUP BY p.year, mr.level",
            [bloc.path + "%", years[0], years[-1]],
        )
        return sorted((y, lv, n) for y, lv, n in rows)

    return "members by level, year on year 2021–2025, whole bloc", product, raw


def op_figures():
    keys = {
        "review.members_excellent": Level.EXCELLENT,
        "review.members_good": Level.GOOD,
        "review.members_complete": Level.COMPLETE,
        "review.members_not_complete": Level.NOT_COMPLETE,
        "review.members_not_classified": Level.NOT_CLASSIFIED,
    }

    def product():
        figures = {f.key: f.value for f in period_figures(bloc, datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31))}
        return sorted((str(keys[k]), figures[k]) for k in keys if figures[k])

    def raw():
        rows = sql(
            "SELECT mr.level, COUNT(*)" + ANNOUNCED_JOIN + " AND p.year = %s GROUP BY mr.level",
            [bloc.path + "%", YEAR],
        )
        return sorted((lv, n) for lv, n in rows)

    return "period figures of the bloc for 2025 (members by level)", product, raw


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    ensure_data()
    members = MemberReview.objects.filter(period__year=YEAR).count()
    print(f"{connection.vendor}: {members:,} member reviews of {YEAR}, median of {args.repeat} runs")
    failed = False
    for label, product, raw in (op_by_grassroots(), op_by_year(), op_figures()):
        tp, rp = median_time(product, args.repeat)
        ts, rs = median_time(raw, args.repeat)
        same = rp == rs
        failed |= not same
        ratio = tp / ts if ts else float("inf")
        verdict = "ok" if same else "DIFFER"
        print(f"{label:56} product {tp * 1000:8.1f} ms  sql {ts * 1000:8.1f} ms  ×{ratio:5.2f}  {verdict}")
    if failed:
        sys.exit("answers differ")


if __name__ == "__main__":
    main()
