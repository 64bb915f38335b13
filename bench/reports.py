"""Benchmark the figures of the bloc's quarterly summary report and the consolidation of the grassroots
reports against hand-written SQL computing the same answers, in the same run.

    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python bench/reports.py [--repeat 7]

On first use it adds, in bulk, an accepted report for the third quarter of 2026 from every grassroots
organization (declared figures as the system computes them, a few off by one). Then it times, for each
operation, the product's own code path (the ``period_figures`` of org, members, admission, transfers,
lifecycle; ``reports.services.consolidate``) and one SQL statement, compares their answers and fails
when they differ.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from dangbo.admission.figures import period_figures as admission_figures  # noqa: E402
from dangbo.lifecycle.figures import period_figures as lifecycle_figures  # noqa: E402
from dangbo.members.figures import period_figures as member_figures  # noqa: E402
from dangbo.members.models import Member  # noqa: E402
from dangbo.org.figures import period_figures as org_figures  # noqa: E402
from dangbo.org.models import OrgUnit  # noqa: E402
from dangbo.reports.models import PeriodicReport  # noqa: E402
from dangbo.reports.services import consolidate  # noqa: E402
from dangbo.transfers.figures import period_figures as transfer_figures  # noqa: E402

START, END = datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)
Q3 = ("quarter", 2026, 3)
DECLARED = ["members.total", "members.official", "members.probationary", "admission.admitted"]


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
    if PeriodicReport.objects.filter(period="quarter", year=2026, number=3, state="accepted").count() > 20:
        return
    t = time.perf_counter()
    PeriodicReport.objects.filter(period="quarter", year=2026, number=3).delete()
    units = list(OrgUnit.objects.active(END).filter(kind__in=OrgUnit.GRASSROOTS_KINDS).order_by("path"))
    reports = []
    for i, unit in enumerate(units):
        figures = {f.key: f.value for f in member_figures(unit, START, END) + admission_figures(unit, START, END)}
        declared = {k: figures[k] for k in DECLARED}
        if i % 11 == 0:
            declared["members.total"] += 1
        reports.append(
            PeriodicReport(
                unit=unit,
                period="quarter",
                year=2026,
                number=3,
                start=START,
                end=END,
                state="accepted",
                declared=declared,
                system={k: figures[k] for k in DECLARED},
                results="Bench",
                submitted_on=datetime.date(2026, 10, 3),
            )
        )
    PeriodicReport.objects.bulk_create(reports)
    print(f"created {len(reports)} accepted reports for Q3 2026 in {time.perf_counter() - t:.1f} s")


def product_stock():
    f = {x.key: x.value for x in org_figures(bloc, START, END) + member_figures(bloc, START, END)}
    keys = ["org.grassroots_count", "org.cells_count", "members.total", "members.official"]
    return tuple(f[k] for k in keys + ["members.probationary", "members.women"])


def sql_stock():
    """Grassroots organizations and cells existing on 30/09, members on the books that day by the
    intervals (official, probationary, women)."""
    rows = sql(
        "SELECT (SELECT COUNT(*) FROM org_orgunit u WHERE u.path LIKE %s AND u.id <> %s "
        "  AND u.kind IN ('grassroots_committee', 'grassroots_cell') AND u.valid_from <= %s "
        "  AND (u.valid_to IS NULL OR u.valid_to > %s)), "
        "(SELECT COUNT(*) FROM org_orgunit u WHERE u.path LIKE %s AND u.id <> %s "
        "  AND u.kind IN ('grassroots_cell', 'subordinate_cell') AND u.valid_from <= %s "
        "  AND (u.valid_to IS NULL OR u.valid_to > %s)), "
        "COUNT(CASE WHEN i.status IN ('probationary', 'official', 'exempted', 'suspended') THEN 1 END), "
        "COUNT(CASE WHEN i.status = 'official' THEN 1 END), "
        "COUNT(CASE WHEN i.status = 'probationary' THEN 1 END), "
        "COUNT(CASE WHEN i.status IN ('probationary', 'official', 'exempted', 'suspended') AND m.sex = 'F' "
        "  THEN 1 END) "
        "FROM members_memberinterval i JOIN org_orgunit u ON u.id = i.unit_id "
        "JOIN members_member m ON m.id = i.member_id "
        "WHERE u.path LIKE %s AND i.valid_from <= %s AND (i.valid_to IS NULL OR i.valid_to > %s)",
        [bloc.path + "%", bloc.pk, END, END] * 2 + [bloc.path + "%", END, END],
    )
    return tuple(rows[0])


def product_events():
    f = {x.key: x.value for x in admission_figures(bloc, START, END) + lifecycle_figures(bloc, START, END)}
    keys = ["admission.admitted", "admission.recognized", "lifecycle.deceased", "lifecycle.removed"]
    return tuple(f[k] for k in keys + ["lifecycle.expelled"])


def sql_events():
    """Member events of the quarter whose member was in the bloc's subtree on the event's day."""
    rows = sql(
        "SELECT COUNT(CASE WHEN e.kind = 'admitted' THEN 1 END), COUNT(CASE WHEN e.kind = 'made_official' THEN 1 END), "
        "COUNT(CASE WHEN e.kind = 'deceased' THEN 1 END), COUNT(CASE WHEN e.kind = 'removed' THEN 1 END), "
        "COUNT(CASE WHEN e.kind = 'expelled' THEN 1 END) "
        "FROM members_memberevent e WHERE e.date BETWEEN %s AND %s "
        "AND e.kind IN ('admitted', 'made_official', 'deceased', 'removed', 'expelled') "
        "AND EXISTS (SELECT 1 FROM members_memberinterval i JOIN org_orgunit u ON u.id = i.unit_id "
        "  WHERE i.member_id = e.member_id AND u.path LIKE %s AND i.valid_from <= e.date "
        "  AND (i.valid_to IS NULL OR i.valid_to > e.date))",
        [START, END, bloc.path + "%"],
    )
    return tuple(rows[0])


def product_transfers():
    f = {x.key: x.value for x in transfer_figures(bloc, START, END)}
    return f["transfers.received"], f["transfers.sent_out"], f["transfers.internal"]


def sql_transfers():
    """Transfers completed in the quarter (hand-over for a transfer out of the system, receipt otherwise)."""
    p = bloc.path + "%"
    rows = sql(
        "SELECT "
        "COUNT(CASE WHEN t.kind <> 'temporary' AND dst.path LIKE %s AND (src.path IS NULL OR src.path NOT LIKE %s) "
        "  THEN 1 END), "
        "COUNT(CASE WHEN t.kind <> 'temporary' AND src.path LIKE %s AND (dst.path IS NULL OR dst.path NOT LIKE %s) "
        "  THEN 1 END), "
        "COUNT(CASE WHEN t.kind <> 'temporary' AND src.path LIKE %s AND dst.path LIKE %s THEN 1 END) "
        "FROM transfers_transfer t LEFT JOIN org_orgunit src ON src.id = t.from_unit_id "
        "LEFT JOIN org_orgunit dst ON dst.id = t.to_unit_id "
        "WHERE t.state <> 'cancelled' AND (src.path LIKE %s OR dst.path LIKE %s) AND ("
        "  (t.kind = 'official_out' AND t.record_sent_on BETWEEN %s AND %s) OR "
        "  (t.kind <> 'official_out' AND t.received_on BETWEEN %s AND %s))",
        [p] * 8 + [START, END, START, END],
    )
    return tuple(rows[0])


def product_consolidation():
    # The summary page hands in the figures it computed already (timed above); so does the bench.
    if not FIGURES:
        FIGURES.update({f.key: f for f in member_figures(bloc, START, END) + admission_figures(bloc, START, END)})
    rows, accepted = consolidate(bloc, *Q3, figures=FIGURES)
    by_key = {r.key: r.declared for r in rows}
    return tuple(by_key[k] for k in DECLARED), len(accepted)


FIGURES = {}


def sql_consolidation():
    if connection.vendor == "postgresql":
        sums = ", ".join(f"SUM((r.declared->>'{k}')::int)" for k in DECLARED)
    else:
        sums = ", ".join(f"SUM(json_extract(r.declared, '$.\"{k}\"'))" for k in DECLARED)
    rows = sql(
        f"SELECT {sums}, COUNT(*) FROM reports_periodicreport r JOIN org_orgunit u ON u.id = r.unit_id "
        "WHERE u.path LIKE %s AND r.period = 'quarter' AND r.year = 2026 AND r.number = 3 AND r.state = 'accepted'",
        [bloc.path + "%"],
    )
    return tuple(rows[0][:-1]), rows[0][-1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    ensure_data()
    print(
        f"{connection.vendor}: {Member.objects.count():,} members, {OrgUnit.objects.count()} units, "
        f"Q3 2026, repeat {args.repeat}"
    )
    operations = [
        ("units and members as of 30/09", product_stock, sql_stock),
        ("admissions, deaths, removals", product_events, sql_events),
        ("transfers received/sent/internal", product_transfers, sql_transfers),
        ("consolidation of accepted reports", product_consolidation, sql_consolidation),
    ]
    failed = False
    print(f"{'operation':<36}{'product (ms)':>14}{'raw SQL (ms)':>14}{'product/SQL':>13}")
    for name, product, baseline in operations:
        t_p, r_p = median_time(product, args.repeat)
        t_b, r_b = median_time(baseline, args.repeat)
        differ = "" if r_p == r_b else f"  PRODUCT AND SQL ANSWERS DIFFER: {r_p!r} != {r_b!r}"
        failed |= bool(differ)
        print(f"{name:<36}{t_p * 1000:>14.1f}{t_b * 1000:>14.1f}{t_p / t_b:>13.2f}{differ}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
