"""Benchmark the member list, the dashboard and the as-of-date count against one
hand-written SQL query computing the same answer, in the same run.

    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python bench/run.py [--repeat 7]

Prints, for each operation, the median time of the product's code path (through the
view layer's own functions and the ORM) next to the median of the raw SQL, and their ratio.
For the member list it also times the Django admin's changelist for the same model and filter
(bench/admin_changelist.py, built by ModelAdmin.get_changelist_instance as the admin's view
does; hence bench.settings, which installs django.contrib.admin). The answers are compared
(the ids on the page in order, and the count), so a fast wrong answer is reported as a failure.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.core.paginator import Paginator  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.admin_changelist import changelist  # noqa: E402
from dangbo.accounts.models import User  # noqa: E402
from dangbo.core.dates import years_before  # noqa: E402
from dangbo.members import tallies  # noqa: E402
from dangbo.members.access import members_visible_to  # noqa: E402
from dangbo.members.forms import MemberFilterForm  # noqa: E402
from dangbo.members.intervals import members_on  # noqa: E402
from dangbo.members.models import Member  # noqa: E402
from dangbo.org.access import units_visible_to  # noqa: E402
from dangbo.org.models import OrgUnit  # noqa: E402
from dangbo.reports.stats import AGE_BANDS, age_band_label, membership_figures  # noqa: E402


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


user = User.objects.get(username="khoi")
bloc = OrgUnit.objects.get(kind="bloc")
finance = OrgUnit.objects.get(name="Đảng bộ Sở Tài chính")
total = Member.objects.count()
past = datetime.date(2024, 1, 1)
# The largest cell of the finance department's organization (the dashboard of one cell).
cell = (
    OrgUnit.objects.filter(path__startswith=finance.path, kind__in=OrgUnit.CELL_KINDS)
    .annotate(n=Count("members"))
    .order_by("-n", "pk")
    .first()
)


def list_page():
    data = QueryDict("status=current&sex=F&q=nguyen+th&unit=" + str(finance.pk))
    form = MemberFilterForm(data, units=units_visible_to(user).active())
    assert form.is_valid(), form.errors
    qs = form.filter(members_visible_to(user)).select_related("unit")
    page = Paginator(qs, 50).get_page(1)
    return [m.pk for m in page], page.paginator.count


def list_sql():
    # The subtree as "unit_id IN (subquery)", not a join on the path: with the join SQLite's
    # planner counts by scanning all the members (400 ms at 1M instead of 13 ms).
    base = (
        "FROM members_member m WHERE m.unit_id IN (SELECT id FROM org_orgunit WHERE path LIKE %s) "
        "AND m.status IN ('probationary','official','exempted','suspended') AND m.sex = 'F' "
        "AND (m.search_name LIKE %s OR m.search_name LIKE %s) AND (m.search_name LIKE %s OR m.search_name LIKE %s)"
    )
    params = [finance.path + "%", "nguyen%", "% nguyen%", "th%", "% th%"]
    rows = sql(f"SELECT m.id {base} ORDER BY m.sort_name, m.id LIMIT 50", params)
    count = sql(f"SELECT COUNT(*) {base}", params)[0][0]
    return [r[0] for r in rows], count


def list_admin():
    cl = changelist(
        {"subtree": finance.pk, "status__in": ",".join(Member.CURRENT_STATUSES), "sex__exact": "F", "q": "nguyen th"}
    )
    return [m.pk for m in cl.result_list], cl.result_count


def dashboard(unit=None):
    f = membership_figures(unit or bloc)
    f["by_ethnicity"] = sorted(f["by_ethnicity"])  # ordered by count; ties in any order
    return f


def dashboard_sql(unit=None):
    """Every figure of membership_figures in one statement over the raw members table (not the
    tallies the product reads): one pass over the subtree's members grouped by all the counted
    columns at once (age as its band), plus the units by kind; Python only adds the groups up and
    attaches the labels."""
    unit = unit or bloc
    day = timezone.localdate()
    # Band i is "younger than AGE_BANDS[i][1]": born after that many years before today.
    bands = " ".join(f"WHEN m.birth_date > %s THEN {i}" for i, (_low, high) in enumerate(AGE_BANDS) if high is not None)
    rows = sql(
        f"SELECT 'm', m.ethnicity, m.status, m.sex, m.qualification, m.theory_level, "
        f"CASE WHEN m.birth_date IS NULL THEN NULL {bands} ELSE {len(AGE_BANDS) - 1} END AS band, COUNT(*) "
        "FROM members_member m JOIN org_orgunit u ON u.id = m.unit_id WHERE u.path LIKE %s "
        "GROUP BY m.ethnicity, m.status, m.sex, m.qualification, m.theory_level, band "
        "UNION ALL SELECT 'u', kind, NULL, NULL, NULL, NULL, NULL, COUNT(*) FROM org_orgunit "
        "WHERE path LIKE %s AND valid_from <= %s AND (valid_to IS NULL OR valid_to > %s) GROUP BY kind",
        [
            *(years_before(day, high) for _low, high in AGE_BANDS if high is not None),
            unit.path + "%",
            unit.path + "%",
            day,
            day,
        ],
    )
    figures = ["by_kind", "by_status", "by_sex", "by_qualification", "by_theory", "by_ethnicity", "by_age"]
    c = {f: Counter() for f in figures}
    for what, ethnicity, status, sex, qualification, theory, band, n in rows:
        if what == "u":
            c["by_kind"][ethnicity] += n
            continue
        c["by_status"][status] += n
        if status in Member.CURRENT_STATUSES:
            c["by_sex"][sex] += n
            c["by_qualification"][qualification] += n
            c["by_theory"][theory] += n
            c["by_ethnicity"][ethnicity] += n
            if band is not None:
                c["by_age"][band] += n

    def labelled(figure, choices):
        out = [(choices(v).label, c[figure][v]) for v in choices.values if c[figure][v]]
        return out + ([("—", c[figure][""])] if c[figure][""] else [])

    return {
        "grassroots": sum(c["by_kind"][k] for k in OrgUnit.GRASSROOTS_KINDS),
        "cells": sum(c["by_kind"][k] for k in OrgUnit.CELL_KINDS),
        "by_kind": [(OrgUnit.Kind(k).label, c["by_kind"][k]) for k in OrgUnit.Kind.values if c["by_kind"][k]],
        "members": sum(c["by_status"][s] for s in Member.CURRENT_STATUSES),
        "by_status": [(Member.Status(s).label, c["by_status"][s]) for s in Member.Status.values if c["by_status"][s]],
        "by_sex": [(Member.Sex(s).label, c["by_sex"][s]) for s in Member.Sex.values if c["by_sex"][s]],
        "by_age": [(age_band_label(low, high), c["by_age"][i]) for i, (low, high) in enumerate(AGE_BANDS)],
        "by_ethnicity": sorted((e or "—", n) for e, n in c["by_ethnicity"].items()),
        "by_qualification": labelled("by_qualification", Member.Qualification),
        "by_theory": labelled("by_theory", Member.TheoryLevel),
    }


def dashboard_cell():
    return dashboard(cell)


def dashboard_cell_sql():
    return dashboard_sql(cell)


def tallies_check():
    """The kept tallies, whole bloc (what the dashboard sums), against a recount of the members table."""
    return sorted(tallies.stored().items())


def tallies_check_sql():
    return sorted(tallies.recount().items())


def as_of():
    return members_on(past, bloc).count()


def as_of_sql():
    return sql(
        "SELECT COUNT(*) FROM members_memberinterval i JOIN org_orgunit u ON u.id = i.unit_id "
        "WHERE i.valid_from <= %s AND (i.valid_to IS NULL OR i.valid_to > %s) AND u.path LIKE %s "
        "AND i.status IN ('probationary','official','exempted','suspended')",
        [past, past, bloc.path + "%"],
    )[0][0]


OPERATIONS = [  # name, product, raw SQL, admin changelist or None
    ("member list: subtree+filter+search", list_page, list_sql, list_admin),
    ("dashboard: all figures, whole bloc", dashboard, dashboard_sql, None),
    ("dashboard: all figures, one cell", dashboard_cell, dashboard_cell_sql, None),
    ("members as of 01/01/2024", as_of, as_of_sql, None),
    ("unit tallies = recount of members", tallies_check, tallies_check_sql, None),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    print(f"{connection.vendor}: {total:,} members, {OrgUnit.objects.count()} units, repeat {args.repeat}")
    failed = False
    print(
        f"{'operation':<36}{'product (ms)':>14}{'raw SQL (ms)':>14}{'admin (ms)':>12}"
        f"{'product/SQL':>13}{'admin/SQL':>11}"
    )
    for name, product, baseline, admin in OPERATIONS:
        t_p, r_p = median_time(product, args.repeat)
        t_b, r_b = median_time(baseline, args.repeat)
        differ = [] if r_p == r_b else ["PRODUCT AND SQL ANSWERS DIFFER"]
        admin_ms = admin_ratio = "–"
        if admin:
            t_a, r_a = median_time(admin, args.repeat)
            admin_ms, admin_ratio = f"{t_a * 1000:.1f}", f"{t_a / t_b:.2f}"
            if r_a != r_p:
                differ.append("ADMIN ANSWER DIFFERS")
        failed |= bool(differ)
        print(
            f"{name:<36}{t_p * 1000:>14.1f}{t_b * 1000:>14.1f}{admin_ms:>12}{t_p / t_b:>13.2f}{admin_ratio:>11}"
            + "".join(f"  {d}" for d in differ)
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
