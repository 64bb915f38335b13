"""Benchmark the supervision and inspection figures of the whole tree against one hand-written SQL query
computing the same answer, in the same run.

    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python bench/inspection.py [--repeat 7]

The scale database holds the inspection demo (a few hundred cases); the first run adds, in bulk, the work of
a whole year at that scale: every quarter of 2026, each cell supervises about a third of its members, each
grassroots committee supervises two of its cells and its inspection commission three cells and ten members,
and the bloc's commission inspects one organization in ten. Then it times, for each operation, the product's
own code path and one SQL statement, compares their answers and fails when they differ:

1. the seeds' figures of the bloc for a quarter (``inspection.figures.counts``: supervised and inspected
   organizations and members by subject group, members and organizations disciplined);
2. the same for the whole year;
3. the table by subject and kind for the year (``inspection.figures.breakdown``).
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from dangbo.inspection import figures  # noqa: E402
from dangbo.inspection.models import (  # noqa: E402
    COMMISSION_SUBJECTS,
    COMMITTEE_SUBJECTS,
    Case,
    Target,
)
from dangbo.members.models import Member  # noqa: E402
from dangbo.org.models import OrgUnit  # noqa: E402

D = datetime.date
YEAR = 2026
QUARTERS = [
    (D(YEAR, 1, 1), D(YEAR, 3, 31)),
    (D(YEAR, 4, 1), D(YEAR, 6, 30)),
    (D(YEAR, 7, 1), D(YEAR, 9, 30)),
    (D(YEAR, 10, 1), D(YEAR, 11, 30)),
]
MARK = "bench: "


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
    if Case.objects.filter(title__startswith=MARK).exists():
        return
    t = time.perf_counter()
    rng = random.Random(296)
    units = list(OrgUnit.objects.active().in_subtree(bloc).order_by("path"))
    cells = [u for u in units if u.kind in OrgUnit.CELL_KINDS]
    committees = [u for u in units if u.kind == OrgUnit.Kind.GRASSROOTS_COMMITTEE]
    by_unit = {}
    for pk, unit_id in Member.objects.current().values_list("pk", "unit_id").iterator(chunk_size=20000):
        by_unit.setdefault(unit_id, []).append(pk)
    n_cases = n_targets = 0
    for qs, qe in QUARTERS:
        cases, wanted = [], []

        def add(subject_unit, subject, kind, unit, orgs=(), members=(), qs=qs, qe=qe, cases=cases, wanted=wanted):
            start = qs + datetime.timedelta(days=rng.randint(0, (qe - qs).days))
            cases.append(
                Case(
                    subject_unit=subject_unit,
                    subject=subject,
                    kind=kind,
                    unit=unit,
                    title=MARK + kind,
                    started_on=start,
                    state=Case.State.RUNNING,
                )
            )
            wanted.append((orgs, members))

        for cell in cells:
            members = by_unit.get(cell.pk, [])
            if members:
                add(cell, "cell", "regular", cell, members=rng.sample(members, max(1, len(members) // 3)))
        for top in committees:
            own = [c for c in cells if c.path.startswith(top.path)]
            if not own:
                continue
            add(top, "committee", "regular", top, orgs=[c.pk for c in rng.sample(own, min(2, len(own)))])
            pool = [m for c in own for m in by_unit.get(c.pk, [])]
            add(
                top,
                "commission",
                rng.choice(["regular", "thematic"]),
                top,
                orgs=[c.pk for c in rng.sample(own, min(3, len(own)))],
                members=rng.sample(pool, min(10, len(pool))),
            )
        for unit in rng.sample(units[1:], max(1, len(units) // 10)):
            add(
                bloc,
                "commission",
                rng.choice(["thematic_inspection", "implementation", "violation"]),
                unit,
                orgs=[unit.pk],
            )
        Case.objects.bulk_create(cases, batch_size=5000)
        rows = []
        for case, (orgs, members) in zip(cases, wanted, strict=True):
            rows += [Target(case_id=case.pk, org_id=o) for o in orgs]
            rows += [Target(case_id=case.pk, member_id=m) for m in members]
        Target.objects.bulk_create(rows, batch_size=20000)
        n_cases += len(cases)
        n_targets += len(rows)
    with connection.cursor() as c:
        c.execute("ANALYZE")
    print(f"created {n_cases:,} cases with {n_targets:,} objects in {time.perf_counter() - t:.1f} s")


def _in(values):
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def raw_counts(start, end):
    """One statement: the conditional distinct counts over the objects, and the discipline counts."""
    parts, keys = [], []
    for prefix, subjects in (("", None), ("committee_", COMMITTEE_SUBJECTS), ("commission_", COMMISSION_SUBJECTS)):
        for act, kinds in (("supervised", Case.SUPERVISION_KINDS), ("inspected", Case.INSPECTION_KINDS)):
            cond = f"c.kind IN {_in(kinds)}" + (f" AND c.subject IN {_in(subjects)}" if subjects else "")
            parts.append(f"COUNT(DISTINCT CASE WHEN {cond} THEN t.org_id END)")
            parts.append(f"COUNT(DISTINCT CASE WHEN {cond} THEN t.member_id END)")
            keys += [f"{prefix}{act}_orgs", f"{prefix}{act}_members"]
    query = (
        "SELECT " + ", ".join(parts) + ", "
        "(SELECT COUNT(DISTINCT d.member_id) FROM inspection_disciplinecase d JOIN org_orgunit du ON du.id = d.unit_id"
        "  WHERE d.state = 'decided' AND d.effective_on BETWEEN %s AND %s AND du.path LIKE %s), "
        "(SELECT COUNT(DISTINCT d.org_id) FROM inspection_disciplinecase d JOIN org_orgunit du ON du.id = d.unit_id"
        "  WHERE d.state = 'decided' AND d.effective_on BETWEEN %s AND %s AND du.path LIKE %s) "
        "FROM inspection_target t JOIN inspection_case c ON c.id = t.case_id "
        "JOIN org_orgunit s ON s.id = c.subject_unit_id "
        "WHERE c.started_on BETWEEN %s AND %s AND s.path LIKE %s AND c.state <> 'cancelled'"
    )
    like = bloc.path + "%"
    row = sql(query, [start, end, like, start, end, like, start, end, like])[0]
    return dict(zip([*keys, "discipline_members", "discipline_orgs"], row, strict=True))


def op_counts(label, start, end):
    def product():
        return figures.counts(bloc, start, end)

    return label, product, lambda: raw_counts(start, end)


def op_breakdown():
    start, end = D(YEAR, 1, 1), D(YEAR, 12, 31)

    def product():
        return sorted(figures.breakdown(bloc, start, end))

    def raw():
        rows = sql(
            "SELECT c.subject, c.kind, COUNT(DISTINCT t.org_id), COUNT(DISTINCT t.member_id) "
            "FROM inspection_target t JOIN inspection_case c ON c.id = t.case_id "
            "JOIN org_orgunit s ON s.id = c.subject_unit_id "
            "WHERE c.started_on BETWEEN %s AND %s AND s.path LIKE %s AND c.state <> 'cancelled' "
            "GROUP BY c.subject, c.kind",
            [start, end, bloc.path + "%"],
        )
        return sorted(tuple(r) for r in rows)

    return "organizations and members by subject and kind, 2026", product, raw


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    ensure_data()
    members = Member.objects.current().count()
    targets = Target.objects.count()
    print(
        f"{connection.vendor}: {members:,} members, {targets:,} supervised or inspected objects, "
        f"median of {args.repeat} runs"
    )
    failed = False
    ops = (
        op_counts("the seeds' figures of the bloc, Q1 2026", *QUARTERS[0]),
        op_counts("the seeds' figures of the bloc, year 2026", D(YEAR, 1, 1), D(YEAR, 12, 31)),
        op_breakdown(),
    )
    for label, product, raw in ops:
        tp, rp = median_time(product, args.repeat)
        ts, rs = median_time(raw, args.repeat)
        same = rp == rs
        failed |= not same
        ratio = tp / ts if ts else float("inf")
        verdict = "ok" if same else "DIFFER"
        print(f"{label:56} product {tp * 1000:8.1f} ms  sql {ts * 1000:8.1f} ms  ×{ratio:5.2f}  {verdict}")
        if not same:
            print("  product:", rp, "\n  sql:    ", rs)
    if failed:
        sys.exit("answers differ")


if __name__ == "__main__":
    main()
