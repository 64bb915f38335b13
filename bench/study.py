"""Benchmark the completion figures of a study campaign for the whole tree against one hand-written SQL
query computing the same answer, in the same run.

    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python bench/study.py [--repeat 7]

On first use it adds a campaign for the whole bloc (one target row: the bloc with its subtree) and, in bulk,
progress rows for about 60 % of the members (about 40 % of them completed): per-member rows exist only for
members who started, as in the product. Then it times, for each operation, the product's own code path
(``study.services.completion_by_unit``, ``study.figures.period_figures``) and one SQL statement, compares
their answers and fails when they differ.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from dangbo.members.models import Member  # noqa: E402
from dangbo.org.models import OrgUnit  # noqa: E402
from dangbo.study.figures import period_figures  # noqa: E402
from dangbo.study.models import STUDY_STATUSES, Campaign, Progress, Target  # noqa: E402
from dangbo.study.services import completion_by_unit  # noqa: E402

TITLE = "Bench: whole-tree study campaign"
DEADLINE = datetime.date(2026, 12, 31)


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
finance = OrgUnit.objects.get(name="Đảng bộ Sở Tài chính")


@transaction.atomic
def ensure_data():
    campaign = Campaign.objects.filter(title=TITLE).first()
    if campaign is not None:
        return campaign
    t = time.perf_counter()
    campaign = Campaign.objects.create(
        title=TITLE,
        unit=bloc,
        opens_on=datetime.date(2026, 11, 1),
        deadline=DEADLINE,
        state=Campaign.State.PUBLISHED,
        report_required=False,
    )
    Target.objects.create(campaign=campaign, unit=bloc, subtree=True)
    rng = random.Random(57)
    now = timezone.now()
    ids = Member.objects.filter(unit__path__startswith=bloc.path, status__in=STUDY_STATUSES).values_list(
        "pk", flat=True
    )
    batch = []
    n = 0
    for pk in ids.iterator(chunk_size=10000):
        r = rng.random()
        if r >= 0.6:
            continue
        done = r < 0.4
        batch.append(
            Progress(
                campaign=campaign,
                member_id=pk,
                read_at=now,
                quiz_passed_at=now if done else None,
                completed_at=now if done else None,
                step=Progress.Step.DONE if done else Progress.Step.QUIZ,
            )
        )
        if len(batch) == 10000:
            Progress.objects.bulk_create(batch)
            n += len(batch)
            batch = []
    Progress.objects.bulk_create(batch)
    n += len(batch)
    print(f"created the bench campaign and {n:,} progress rows in {time.perf_counter() - t:.1f} s")
    return campaign


def product_completion(campaign, root):
    def run():
        campaign_fresh = Campaign.objects.prefetch_related("targets__unit").get(pk=campaign.pk)
        rows, total = completion_by_unit(campaign_fresh, root)
        return sorted((r.unit.pk, r.target, r.started, r.completed) for r in rows), (
            total.target,
            total.started,
            total.completed,
        )

    return run


def sql_completion(campaign, root):
    """Target members (official or probationary, in the bloc's subtree: the campaign's one target) grouped
    by the child of ``root`` whose subtree holds their unit, with their progress rows left-joined."""

    def run():
        rows = sql(
            "SELECT c.id, COUNT(m.id), COUNT(p.id), COUNT(p.completed_at) "
            "FROM members_member m JOIN org_orgunit u ON u.id = m.unit_id "
            "JOIN org_orgunit c ON c.parent_id = %s AND u.path LIKE c.path || '%%' "
            "LEFT JOIN study_progress p ON p.member_id = m.id AND p.campaign_id = %s "
            "WHERE u.path LIKE %s AND m.status IN ('probationary', 'official') "
            "GROUP BY c.id",
            [root.pk, campaign.pk, root.path + "%"],
        )
        rows = sorted(tuple(r) for r in rows if r[1] or r[2])
        return rows, tuple(sum(r[i] for r in rows) for i in (1, 2, 3))

    return run


def product_figures():
    f = {x.key: x.value for x in period_figures(bloc, datetime.date(2026, 1, 1), DEADLINE)}
    return f["study.campaigns"], f["study.members_studied"], f["study.studied_percent"]


def sql_figures():
    """Over the published campaigns due in 2026 reaching the bloc, target members and completed ones."""
    rows = sql(
        "SELECT COUNT(DISTINCT c.id), COUNT(p.id), COUNT(m.id) "
        "FROM study_campaign c JOIN study_target t ON t.campaign_id = c.id "
        "JOIN org_orgunit tu ON tu.id = t.unit_id "
        "JOIN members_member m ON m.status IN ('probationary', 'official') "
        "JOIN org_orgunit u ON u.id = m.unit_id AND u.path LIKE %s "
        "AND ((t.subtree AND u.path LIKE tu.path || '%%') OR (NOT t.subtree AND u.id = tu.id)) "
        "LEFT JOIN study_progress p ON p.member_id = m.id AND p.campaign_id = c.id AND p.completed_at IS NOT NULL "
        "AND p.completed_at < %s "
        "WHERE c.state IN ('published', 'closed') AND c.deadline BETWEEN %s AND %s",
        [
            bloc.path + "%",
            timezone.make_aware(datetime.datetime(2027, 1, 1)),
            datetime.date(2026, 1, 1),
            DEADLINE,
        ],
    )
    campaigns, studied, target = rows[0]
    percent = (Decimal(studied * 100) / Decimal(target)).quantize(Decimal("0.1"), ROUND_HALF_UP) if target else None
    return campaigns, studied, percent


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    campaign = ensure_data()
    members = Member.objects.filter(status__in=STUDY_STATUSES).count()
    started = Progress.objects.filter(campaign=campaign).count()
    print(
        f"{connection.vendor}: {members:,} target members, {started:,} progress rows, "
        f"{OrgUnit.objects.count()} units, repeat {args.repeat}"
    )
    operations = [
        ("completion by unit, whole tree", product_completion(campaign, bloc), sql_completion(campaign, bloc)),
        ("completion by unit, one committee", product_completion(campaign, finance), sql_completion(campaign, finance)),
        ("report figures, bloc, year 2026", product_figures, sql_figures),
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
