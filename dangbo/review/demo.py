"""Demo reviews: the 2025 review of the whole bloc, decided and announced (levels like the real reports:
about 15 % excellent, 75 % good, 8 % complete, 1–2 % not complete, within the quota of every grassroots
organization; organizations classified, clean and strong cells counted), and the 2026 review open in the
demo committee (Sở Tài chính) with some self-assessments in and some appraised; the demo logins dangvien and
dv01 … keep theirs to fill in."""

import datetime
from decimal import Decimal

from django.utils import timezone

from dangbo.members.models import Member
from dangbo.org.models import OrgUnit
from dangbo.review.levels import not_classified_reason, quota_exceeded, thresholds
from dangbo.review.models import Criterion, Level, MemberReview, ReviewPeriod, UnitReview
from dangbo.review.services import default_criteria, group_for, populate

D = datetime.date
S = UnitReview.State
COMMENT = (
    "Giữ vững phẩm chất chính trị, đạo đức, lối sống; hoàn thành nhiệm vụ được giao. Hạn chế: đôi lúc chưa chủ động."
)
LEVELS = [(Level.EXCELLENT, 15), (Level.GOOD, 75.5), (Level.COMPLETE, 8), (Level.NOT_COMPLETE, 1.5)]
RANGES = {
    Level.EXCELLENT: (90, 98),
    Level.GOOD: (72, 89),
    Level.COMPLETE: (52, 69),
    Level.NOT_COMPLETE: (35, 49),
}


def _tz(day, hour=9):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _score(rng, level):
    lo, hi = RANGES[level]
    return Decimal(rng.randint(lo * 2, hi * 2)) / 2


def _self_scores(criteria, total):
    left, out = Decimal(total), {}
    for c in criteria:
        v = min(left, c.max_points)
        out[str(c.pk)] = str(v)
        left -= v
    return out


def _grassroots_map(root, on):
    units = list(
        OrgUnit.objects.in_subtree(root)
        .active(on)
        .filter(kind__in=set(OrgUnit.GRASSROOTS_KINDS) | set(OrgUnit.CELL_KINDS))
        .order_by("path")
    )
    by_id = {u.pk: u for u in units}
    out = {}
    for u in units:
        ids = u.ancestor_ids(include_self=True)
        g = next((by_id[i] for i in ids if i in by_id and by_id[i].kind in OrgUnit.GRASSROOTS_KINDS), None)
        if g is not None:
            out[u.pk] = g
    return units, out


def build_2025(builder):
    rng = builder.rng
    bloc = builder.bloc
    end = D(2025, 12, 31)
    t = thresholds(bloc, end)
    period = ReviewPeriod.objects.create(
        unit=bloc,
        kind=ReviewPeriod.Kind.YEAR,
        year=2025,
        starts_on=D(2025, 1, 1),
        ends_on=end,
        self_deadline=D(2025, 12, 5),
    )
    Criterion.objects.bulk_create(default_criteria(period, t))
    criteria = {}
    for c in period.criteria.order_by("group", "section", "order"):
        criteria.setdefault(c.group, []).append(c)
    units, grassroots = _grassroots_map(bloc, end)
    members = Member.objects.current().filter(unit_id__in=[u.pk for u in units if u.kind in OrgUnit.CELL_KINDS])
    rows = []
    for m in members.only("pk", "unit_id", "status", "position").order_by("pk"):
        if m.unit_id not in grassroots:
            continue
        reason = not_classified_reason(m.status)
        r = MemberReview(
            period=period, member_id=m.pk, unit_id=m.unit_id, grassroots=grassroots[m.unit_id], group=group_for(m)
        )
        if reason:
            r.level, r.level_reasons = Level.NOT_CLASSIFIED, reason
        else:
            level = rng.choices([lv for lv, _w in LEVELS], [w for _lv, w in LEVELS])[0]
            _fill(rng, r, level, criteria[r.group])
        rows.append(r)
    # The quota of each grassroots organization: excellent ≤ 20 % of good.
    by_g = {}
    for r in rows:
        by_g.setdefault(r.grassroots.pk, []).append(r)
    for group in by_g.values():
        exc = [r for r in group if r.level == Level.EXCELLENT]
        good = sum(1 for r in group if r.level == Level.GOOD)
        while exc and quota_exceeded(len(exc), good, t):
            r = exc.pop()
            _fill(rng, r, Level.GOOD, criteria[r.group])
            good += 1
    MemberReview.objects.bulk_create(rows, batch_size=2000)
    unit_rows = []
    org_levels = [(Level.EXCELLENT, 20), (Level.GOOD, 70), (Level.COMPLETE, 8), (Level.NOT_COMPLETE, 2)]
    for u in units:
        if u.pk not in grassroots:
            continue
        level = rng.choices([lv for lv, _w in org_levels], [w for _lv, w in org_levels])[0]
        unit_rows.append(
            UnitReview(
                period=period,
                unit=u,
                grassroots=grassroots[u.pk],
                state=S.ANNOUNCED,
                voted_on=D(2025, 12, 12) if u.kind in OrgUnit.CELL_KINDS else None,
                resolution_no="15-NQ/CB" if u.kind in OrgUnit.CELL_KINDS else "",
                present=rng.randint(5, 20) if u.kind in OrgUnit.CELL_KINDS else None,
                score=_score(rng, level),
                level=level,
                clean_strong=level in (Level.EXCELLENT, Level.GOOD) and u.kind in OrgUnit.CELL_KINDS,
                decided_on=D(2025, 12, 22),
                decision_no=f"{rng.randint(100, 400)}-QĐ/ĐU",
                rule_values=t.as_json(),
                announced_on=D(2025, 12, 26),
            )
        )
    UnitReview.objects.bulk_create(unit_rows, batch_size=2000)
    return period


def _fill(rng, r, level, criteria):
    score = _score(rng, level)
    self_score = min(Decimal(100), score + Decimal(rng.choice([0, 0, 1, 2])))
    r.self_scores = _self_scores(criteria, self_score)
    r.self_score = self_score
    r.self_comment = COMMENT
    r.self_submitted_at = _tz(D(2025, 12, rng.randint(1, 5)))
    r.score = score
    r.late_percent = Decimal(0) if level in (Level.EXCELLENT, Level.GOOD) else Decimal(rng.randint(0, 20))
    r.exceeding_percent = Decimal(rng.randint(30, 60)) if level == Level.EXCELLENT else Decimal(rng.randint(0, 25))
    r.appraised_at = _tz(D(2025, 12, rng.randint(8, 11)), 15)
    r.level = level
    r.level_reasons = ""
    if level == Level.NOT_COMPLETE and rng.random() < 0.5:
        r.disqualifier = MemberReview.Disqualifier.OTHER
        r.disqualifier_note = "Không hoàn thành chỉ tiêu công tác chuyên môn được giao"
        r.level_reasons = "Trường hợp khác: không hoàn thành chỉ tiêu công tác chuyên môn được giao."


def build_2026(builder):
    """The 2026 review opened by the demo committee: some self-assessments in, the demo cell partly appraised."""
    rng = builder.rng
    finance = builder.units["finance"]
    period = ReviewPeriod.objects.create(
        unit=finance,
        kind=ReviewPeriod.Kind.YEAR,
        year=2026,
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 12, 31),
        self_deadline=D(2026, 12, 15),
    )
    t = thresholds(finance, period.ends_on)
    Criterion.objects.bulk_create(default_criteria(period, t))
    populate(period, today=D(2026, 11, 20))
    criteria = {}
    for c in period.criteria.order_by("group", "section", "order"):
        criteria.setdefault(c.group, []).append(c)
    reviews = list(
        MemberReview.objects.filter(period=period, member__user__isnull=True)
        .exclude(level=Level.NOT_CLASSIFIED)
        .order_by("pk")
    )
    demo_cell = builder.units.get("finance_cell")
    changed = []
    for r in reviews:
        if rng.random() > (0.6 if demo_cell and r.unit_id == demo_cell.pk else 0.3):
            continue
        level = rng.choices([lv for lv, _w in LEVELS[:3]], [10, 80, 10])[0]
        s = _score(rng, level)
        r.self_scores = _self_scores(criteria[r.group], s)
        r.self_score = s
        r.self_comment = COMMENT
        r.self_submitted_at = _tz(D(2026, 11, rng.randint(20, 30)))
        changed.append(r)
    MemberReview.objects.bulk_update(changed, ["self_scores", "self_score", "self_comment", "self_submitted_at"])
    return period


def build(builder):
    build_2025(builder)
    build_2026(builder)
