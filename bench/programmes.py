"""Benchmark the progress of a bloc programme by unit and indicator against one hand-written SQL query.

    DATABASE_URL=sqlite:////tmp/bench-programmes.sqlite3 .venv/bin/python bench/programmes.py [--repeat 7]

On a scale database (bench/build_scale.py) it first creates, if absent, a bloc programme with four
indicators adopted by every grassroots organization, and 24 monthly reports per unit (2025–2026; the
last one a draft, one in ten returned), in bulk. Then it times ``services.progress_by_unit`` (the
progress page's code path: the latest submitted or accepted value of each unit's derived indicator,
plus overdue tasks and missing reports) against one SQL query computing the latest values, and fails
when the two answers differ.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from dangbo.org.models import OrgUnit  # noqa: E402
from dangbo.programmes import services  # noqa: E402
from dangbo.programmes.models import Indicator, Programme, Report, ReportValue, Task  # noqa: E402

TITLE = "Bench: chương trình thực hiện Nghị quyết 57-NQ/TW"
D = datetime.date
TODAY = D(2026, 12, 1)
TWO = Decimal("0.01")

LATEST_SQL = """
SELECT unit_id, parent_id, value FROM (
  SELECT c.unit_id, i.parent_id, v.value,
         ROW_NUMBER() OVER (PARTITION BY v.indicator_id ORDER BY r.period_start DESC) AS rn
  FROM programmes_reportvalue v
  JOIN programmes_report r ON r.id = v.report_id
  JOIN programmes_indicator i ON i.id = v.indicator_id
  JOIN programmes_programme c ON c.id = r.programme_id
  WHERE c.parent_id = %s AND r.state IN ('submitted', 'accepted')
) t WHERE rn = 1
"""


def median_time(fn, repeat):
    result = fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def _q(value):
    return Decimal(str(value)).quantize(TWO)


@transaction.atomic
def build():
    """The bloc programme and its adoptions and reports, in bulk (a few seconds at 1M members)."""
    bloc = OrgUnit.objects.filter(kind=OrgUnit.Kind.BLOC).order_by("pk").first()
    parent = Programme.objects.create(
        unit=bloc,
        title=TITLE,
        adopted_on=D(2024, 12, 30),
        starts_on=D(2025, 1, 1),
        ends_on=D(2026, 12, 31),
        frequency=Programme.Frequency.MONTHLY,
    )
    specs = [
        ("Văn bản xử lý trên môi trường mạng", "%", 40, 90, Indicator.Direction.INCREASE),
        ("Đảng viên dùng Sổ tay đảng viên", "%", 30, 100, Indicator.Direction.INCREASE),
        ("Hồ sơ giấy lưu hành", "hồ sơ", 200, 50, Indicator.Direction.DECREASE),
        ("Sáng kiến chuyển đổi số", "sáng kiến", 0, 10, Indicator.Direction.INCREASE),
    ]
    parents = Indicator.objects.bulk_create(
        Indicator(programme=parent, name=n, measure=m, baseline=b, target=t, direction=d, order=k)
        for k, (n, m, b, t, d) in enumerate(specs)
    )
    tasks = Task.objects.bulk_create(
        Task(programme=parent, title=f"Nhiệm vụ {k}", owner_unit=bloc, due_on=D(2025, 3 * k, 28), order=k)
        for k in range(1, 5)
    )
    units = list(OrgUnit.objects.active().grassroots().filter(parent=bloc).order_by("pk"))
    children = Programme.objects.bulk_create(
        Programme(
            unit=u,
            parent=parent,
            title=f"CTHĐ {u.name}",
            adopted_on=D(2025, 1, 15),
            starts_on=parent.starts_on,
            ends_on=parent.ends_on,
            frequency=parent.frequency,
        )
        for u in units
    )
    inds = Indicator.objects.bulk_create(
        Indicator(
            programme=c,
            parent=p,
            name=p.name,
            measure=p.measure,
            baseline=p.baseline,
            target=p.target,
            direction=p.direction,
            order=p.order,
        )
        for c in children
        for p in parents
    )
    Task.objects.bulk_create(
        Task(
            programme=c,
            parent=t,
            title=t.title,
            owner_unit=c.unit,
            due_on=t.due_on,
            order=t.order,
            status=Task.Status.DONE if (c.pk + t.order) % 3 else Task.Status.IN_PROGRESS,
            done_on=t.due_on if (c.pk + t.order) % 3 else None,
        )
        for c in children
        for t in tasks
    )
    by_child = {}
    for i in inds:
        by_child.setdefault(i.programme_id, []).append(i)
    reports = []
    for c in children:
        for k, period in enumerate(services.periods(c)):
            state = Report.State.ACCEPTED
            if k == 23:
                state = Report.State.DRAFT
            elif (c.pk + k) % 10 == 0:
                state = Report.State.RETURNED
            elif k >= 20:
                state = Report.State.SUBMITTED
            reports.append(Report(programme=c, period_start=period.start, period_end=period.end, state=state))
    reports = Report.objects.bulk_create(reports, batch_size=2000)
    values = []
    for r in reports:
        for i in by_child[r.programme_id]:
            step = (r.period_start.year - 2025) * 12 + r.period_start.month - 1
            v = i.baseline + (i.target - i.baseline) * Decimal(step + (r.programme_id % 5)) / 30
            values.append(ReportValue(report=r, indicator=i, value=v.quantize(TWO)))
    ReportValue.objects.bulk_create(values, batch_size=5000)
    return parent


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    parent = Programme.objects.filter(title=TITLE).first()
    if parent is None:
        t = time.perf_counter()
        parent = build()
        print(f"built the bench programme in {time.perf_counter() - t:.1f} s")
    n_units = parent.children.count()
    n_values = ReportValue.objects.filter(report__programme__parent=parent).count()
    print(f"{connection.vendor}: {n_units} adopting units, {n_values:,} reported values, repeat {args.repeat}")

    def product():
        rows = services.progress_by_unit(parent, today=TODAY)
        return {(r.unit.pk, c.indicator.parent_id): _q(c.value) for r in rows for c in r.cells if c.value is not None}

    def baseline():
        with connection.cursor() as cur:
            cur.execute(LATEST_SQL, [parent.pk])
            return {(u, p): _q(v) for u, p, v in cur.fetchall()}

    t_p, r_p = median_time(product, args.repeat)
    t_b, r_b = median_time(baseline, args.repeat)
    ok = r_p == r_b
    print(f"{'operation':<36}{'product (ms)':>14}{'raw SQL (ms)':>14}{'ratio':>8}  answer")
    print(
        f"{'progress by unit and indicator':<36}{t_p * 1000:>14.1f}{t_b * 1000:>14.1f}{t_p / t_b:>8.2f}"
        f"  {'same' if ok else 'DIFFERENT'} ({len(r_b)} cells)"
    )
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
