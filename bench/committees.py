"""Benchmark the committee structure warnings of the whole tree, and the count of reinforced organizations
in a period, against one hand-written SQL query computing the same answer, in the same run.

    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python bench/committees.py [--repeat 7]

The scale database holds the demo's committees when it was built with the committees app's demo; otherwise
the first run adds them in bulk (the demo's own ``build_committees`` and ``build_reinforcements``: a
congress and a committee for every grassroots organization and cell, 19 reinforcements in 2026). Then it
times, for each operation, the product's own code path and one SQL statement, compares their answers and
fails when they differ:

1. structure warnings of every committee of the bloc on 01/12/2026 (``committees.structure.structure_warnings``,
   what the committees home page and the home panel compute), as the set of (organization, warning code);
2. organizations whose committee was reinforced in 2026 (``committees.services.reinforced_units``, the
   figure ``committees.reinforced_units``).

The SQL reads the rule values in force for the bloc (national values; the bench refuses to run when a
committee overrides one of them) and compares the congress window on dates without month-end clamping,
which holds for the demo's congress dates (days 1–28).
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

from dangbo.committees import demo, services  # noqa: E402
from dangbo.committees.models import Seat, Term  # noqa: E402
from dangbo.committees.structure import COMMITTEE_KINDS, RULE_KEYS, RuleBook, structure_warnings  # noqa: E402
from dangbo.core.dates import add_months  # noqa: E402
from dangbo.org.models import OrgUnit  # noqa: E402
from dangbo.rules.models import RuleVersion  # noqa: E402

TODAY = datetime.date(2026, 12, 1)
YEAR = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


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


def ensure_data():
    if Term.objects.exists():
        return False
    finance = OrgUnit.objects.get(name="Đảng bộ Sở Tài chính")
    builder = SimpleNamespace(
        rng=random.Random(2026),
        bloc=bloc,
        units={"finance": finance, "finance_cell": finance.children.order_by("pk").first()},
    )
    with transaction.atomic():
        units, by_unit, subtree_units = demo.build_committees(builder)
        demo.build_reinforcements(builder, units, by_unit, subtree_units)
    return True


def warnings_product():
    units = OrgUnit.objects.in_subtree(bloc).active(TODAY).filter(kind__in=COMMITTEE_KINDS)
    found = structure_warnings(units, on=TODAY)
    return sorted((u.pk, w.code) for u, ws in found.items() for w in ws)


CELLS = "('grassroots_cell', 'subordinate_cell')"
WARNINGS_SQL = f"""
WITH u AS (
  SELECT id, kind FROM org_orgunit
  WHERE path LIKE %(path)s AND kind IN ('grassroots_committee', 'grassroots_cell', 'sub_committee', 'subordinate_cell')
    AND valid_from <= %(on)s AND (valid_to IS NULL OR valid_to > %(on)s)
), off AS (
  SELECT unit_id, COUNT(*) AS n FROM members_member
  WHERE status = 'official' AND unit_id IN (SELECT id FROM u) GROUP BY unit_id
), agg AS (
  SELECT unit_id,
    COUNT(DISTINCT CASE WHEN position IN ('secretary', 'deputy_secretary', 'standing', 'member')
      THEN member_id END) AS size,
    SUM(CASE WHEN position = 'secretary' THEN 1 ELSE 0 END) AS sec,
    SUM(CASE WHEN position = 'deputy_secretary' THEN 1 ELSE 0 END) AS dep,
    SUM(CASE WHEN position = 'standing' THEN 1 ELSE 0 END) AS st,
    SUM(CASE WHEN position IN ('inspection_chair', 'inspection_member') THEN 1 ELSE 0 END) AS insp,
    MAX(CASE WHEN position = 'secretary' AND method = 'appointed' THEN 1 ELSE 0 END) AS appointed
  FROM committees_seat
  WHERE unit_id IN (SELECT id FROM u) AND start_date <= %(on)s AND (end_date IS NULL OR end_date > %(on)s)
  GROUP BY unit_id
), last AS (
  SELECT unit_id, MAX(congress_date) AS congress FROM committees_term
  WHERE unit_id IN (SELECT id FROM u) AND congress_date <= %(on)s GROUP BY unit_id
), f AS (
  SELECT u.id, u.kind, COALESCE(off.n, 0) AS n, COALESCE(agg.size, 0) AS size, COALESCE(agg.sec, 0) AS sec,
    COALESCE(agg.dep, 0) AS dep, COALESCE(agg.st, 0) AS st, COALESCE(agg.insp, 0) AS insp,
    COALESCE(agg.appointed, 0) AS appointed, t.ends_on
  FROM u LEFT JOIN off ON off.unit_id = u.id LEFT JOIN agg ON agg.unit_id = u.id
  LEFT JOIN last ON last.unit_id = u.id
  LEFT JOIN committees_term t ON t.unit_id = last.unit_id AND t.congress_date = last.congress
)
SELECT id, 'below_min' FROM f WHERE kind IN {CELLS} AND n < %(min)s
UNION ALL SELECT id, 'too_large' FROM f WHERE kind IN {CELLS} AND n >= %(thr)s AND size > %(max)s
UNION ALL SELECT id, 'no_chi_uy' FROM f WHERE kind IN {CELLS} AND n < %(thr)s AND (size > sec + dep OR st > 0)
UNION ALL SELECT id, 'many_deputies' FROM f WHERE kind IN {CELLS} AND dep > 1
UNION ALL SELECT id, 'standing_not_allowed' FROM f WHERE kind NOT IN {CELLS} AND st > 0 AND size < %(st_thr)s
UNION ALL SELECT id, 'inspection_not_allowed' FROM f WHERE kind <> 'grassroots_committee' AND insp > 0
UNION ALL SELECT id, 'no_secretary' FROM f WHERE sec = 0
UNION ALL SELECT id, 'many_secretaries' FROM f WHERE sec > 1
UNION ALL SELECT id, 'appointed_secretary' FROM f WHERE appointed = 1
UNION ALL SELECT id, 'no_term' FROM f WHERE ends_on IS NULL
UNION ALL SELECT id, 'congress_overdue' FROM f WHERE ends_on < %(overdue_before)s
UNION ALL SELECT id, 'congress_due' FROM f WHERE ends_on >= %(overdue_before)s AND ends_on <= %(due_until)s
"""


def warnings_sql():
    book = RuleBook()

    def rule(key):
        return book.value(key, unit=bloc, on=TODAY)

    window = rule("org.congress_window_months")
    params = {
        "path": bloc.path + "%",
        "on": TODAY,
        "min": rule("org.cell_min_official_members"),
        "thr": rule("org.chi_uy_threshold"),
        "max": rule("org.chi_uy_max_size"),
        "st_thr": rule("org.standing_committee_threshold"),
        # on > ends + window  <=>  ends < on - window; ends - window <= on  <=>  ends <= on + window.
        "overdue_before": add_months(TODAY, -window),
        "due_until": add_months(TODAY, window),
    }
    return sorted(sql(WARNINGS_SQL, params))


def reinforced_product():
    return sorted(services.reinforced_units(OrgUnit.objects.in_subtree(bloc), *YEAR))


def reinforced_sql():
    rows = sql(
        """
        SELECT DISTINCT unit_id FROM committees_seat
        WHERE unit_id IN (SELECT id FROM org_orgunit WHERE path LIKE %s)
          AND ((start_date BETWEEN %s AND %s AND method <> 'congress')
            OR (end_date BETWEEN %s AND %s AND end_reason <> 'term_end'))
        ORDER BY unit_id
        """,
        [bloc.path + "%", YEAR[0], YEAR[1], YEAR[0], YEAR[1]],
    )
    return [r[0] for r in rows]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    if RuleVersion.objects.filter(rule__key__in=RULE_KEYS, scope_unit__isnull=False).exists():
        sys.exit("A committee overrides a structure rule: the SQL reads national values only.")
    t = time.perf_counter()
    if ensure_data():
        print(f"Added the demo committees in {time.perf_counter() - t:.1f} s")
    print(
        f"{OrgUnit.objects.filter(kind__in=COMMITTEE_KINDS).count()} committees, {Seat.objects.count()} seats, "
        f"vendor {connection.vendor}, median of {args.repeat}"
    )
    failed = False
    for name, product, raw in [
        ("structure warnings, whole tree", warnings_product, warnings_sql),
        ("reinforced organizations, 2026", reinforced_product, reinforced_sql),
    ]:
        tp, a = median_time(product, args.repeat)
        ts, b = median_time(raw, args.repeat)
        same = a == b
        failed |= not same
        print(
            f"{name:<34} product {tp * 1000:8.1f} ms   SQL {ts * 1000:8.1f} ms   ratio {tp / ts:5.1f}   "
            f"answers {len(a)} {'same' if same else 'DIFFER'}"
        )
        if not same:
            print("  only product:", sorted(set(a) - set(b))[:10])
            print("  only SQL:    ", sorted(set(b) - set(a))[:10])
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
