"""Demo meetings for 2026 (today is 01/12/2026).

The demo committee (Sở Tài chính) gets the full picture: for each of its cells a regular meeting each
month from January to November with a thematic one each quarter, attendance of every member, speeches,
locked and published minutes; some meetings break the rules (one too short, one held together with a
work meeting, one month missed, one poorly attended, minutes published late), one member of the
secretary's cell has three months of unexcused absence (the removal flag), December is planned and
noticed, and a shared hall has bookings. Every other cell of the bloc gets lighter rows (held meetings
with their figures, no attendance rows) so the compliance view of the whole tree has a year to show.

The bloc's small-cell override (seed 001) is added by the demo builder after the apps' demos, so the
meetings of small cells are judged again once the demo is committed.
"""

import datetime
from collections import Counter, defaultdict

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from dangbo.accounts.models import User
from dangbo.demo.builder import DEMO_USERS
from dangbo.meetings import rules
from dangbo.meetings.models import Attendance, CellSupervisor, Meeting, QualitySheet, QualityTemplate, Speech, Venue
from dangbo.meetings.services import DEFAULT_CRITERIA, DEFAULT_THRESHOLDS, rate
from dangbo.members.models import Member
from dangbo.org.models import OrgUnit

D = datetime.date
T = datetime.time
K = Meeting.Kind
A = Attendance.Status
YEAR = 2026
HELD_MONTHS = range(1, 12)
TOPICS = [
    "Học tập, làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Nâng cao chất lượng sinh hoạt chi bộ theo Chỉ thị 50-CT/TW",
    "Chuyển đổi số trong công tác tài chính",
    "Phòng, chống tham nhũng, tiêu cực trong quản lý ngân sách",
]
SPEECHES = [
    "Nhất trí với báo cáo, đề nghị bổ sung giải pháp đẩy nhanh giải ngân vốn đầu tư công.",
    "Đề nghị chi bộ quan tâm hơn đến tình hình tư tưởng của đảng viên trẻ.",
    "Tổ chuyên môn đã hoàn thành nhiệm vụ tháng, còn chậm một hồ sơ quyết toán.",
    "Đề nghị phân công đảng viên theo dõi việc thực hiện nghị quyết tháng trước.",
    "Thống nhất nội dung chuyên đề, đề nghị gắn với nhiệm vụ chuyên môn của phòng.",
]


def _day(rng, month):
    d = D(YEAR, month, rng.randint(18, 26))
    while d.weekday() >= 5:
        d -= datetime.timedelta(days=1)
    return d


def _aware(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, T(hour)))


class _Judge:
    """The minimum for a kind and size, resolved through the registry once per (unit, kind, small)."""

    def __init__(self, unit):
        self.unit = unit
        self.cache = {}
        self.threshold = rules.value("meeting.small_cell_threshold", D(YEAR, 6, 1), unit)

    def __call__(self, kind, size, day):
        key = (kind, size < self.threshold, day >= D(2025, 10, 28))
        if key not in self.cache:
            self.cache[key] = rules.minimum(kind, unit=self.unit, day=day, size=size)
        return self.cache[key]


def build(builder):
    rng = builder.rng
    finance = builder.units["finance"]
    secretary_cell = builder.units["finance_cell"]
    cells = list(OrgUnit.objects.active().in_subtree(finance).filter(kind__in=OrgUnit.CELL_KINDS).order_by("path"))
    if not cells:
        return
    secretary = User.objects.filter(username="chibo").first()
    staff = User.objects.filter(username="coso").first()
    judge = _Judge(finance)
    members_by_cell = defaultdict(list)
    for m in (
        Member.objects.filter(unit__in=cells, status__in=Member.CURRENT_STATUSES)
        .select_related("user")
        .order_by("sort_name")
    ):
        members_by_cell[m.unit_id].append(m)
    # The non-compliant cases, spread over the committee's cells.
    missed = (cells[1 % len(cells)].pk, 7)
    short = (max(cells, key=lambda c: len(members_by_cell[c.pk])).pk, 8)
    with_work = (cells[2 % len(cells)].pk, 5)
    low = (cells[3 % len(cells)].pk, 10)
    late = (secretary_cell.pk, 4)
    demo_names = {full_name for _u, full_name, *_r in DEMO_USERS}
    absentee = next(
        (
            m
            for c in [secretary_cell, *cells]  # the secretary's cell, unless too small (a tiny demo)
            for m in reversed(members_by_cell[c.pk])
            if m.status == "official" and not m.user_id and not m.temporary_unit_id and m.full_name not in demo_names
        ),
        None,
    )
    venue = Venue.objects.create(
        name="Hội trường Sở Tài chính", address="Tầng 3, trụ sở Sở Tài chính", capacity=120, owner_unit=finance
    )
    if staff:
        CellSupervisor.objects.bulk_create(
            [CellSupervisor(unit=c, user=staff, assigned_on=D(YEAR, 1, 5)) for c in cells]
        )
    meetings = []
    plans = []  # (meeting, members, month)
    for cell in cells:
        roll = members_by_cell[cell.pk]
        if not roll:
            continue
        size = sum(1 for m in roll if m.status in ("official", "probationary"))
        chair = roll[0]
        recorder = roll[1] if len(roll) > 1 else roll[0]
        place = venue if len(roll) >= 25 else None
        for month in HELD_MONTHS:
            if (cell.pk, month) == missed:
                continue
            kinds = [K.COMBINED] if month in (3, 9) else [K.REGULAR]
            if month in (6, 12 - 1):
                kinds.append(K.THEMATIC)
            for kind in kinds:
                day = _day(rng, month) if kind != K.THEMATIC else _day(rng, month) - datetime.timedelta(days=10)
                base = 120 if kind in (K.COMBINED, K.THEMATIC) else 90
                duration = base + rng.randint(5, 40)
                if size < 9 and kind == K.REGULAR:
                    duration = rng.randint(65, 100)
                if (cell.pk, month) == short and kind == K.REGULAR:
                    duration = 45  # below every minimum, the small cells' 60 included
                minimum, version = judge(kind, size, day)
                m = Meeting(
                    unit=cell,
                    kind=kind,
                    state=Meeting.State.HELD,
                    planned_date=day,
                    planned_time=T(14),
                    place="" if place else f"Phòng họp {cell.name.replace('Chi bộ ', '')}",
                    venue=place,
                    chair=chair,
                    recorder=recorder,
                    from_plan=True,
                    agenda="1. Đánh giá kết quả tháng\n2. Tình hình tư tưởng đảng viên\n3. Nhiệm vụ tháng tới",
                    topic=TOPICS[(month - 1) // 3] if kind != K.REGULAR else "",
                    noticed_at=_aware(day - datetime.timedelta(days=5), 9),
                    held_on=day,
                    started_at=T(14),
                    ended_at=(datetime.datetime(2000, 1, 1, 14) + datetime.timedelta(minutes=duration)).time(),
                    duration_minutes=duration,
                    min_minutes=minimum,
                    min_rule=version,
                    too_short=duration < minimum,
                    with_work_meeting=(cell.pk, month) == with_work and kind != K.THEMATIC,
                    cell_size=size,
                    minutes_content="Chi bộ đánh giá kết quả thực hiện nghị quyết tháng trước, tình hình tư tưởng "
                    "của đảng viên và kết quả thực hiện nhiệm vụ chuyên môn.",
                    conclusions="Chi bộ thống nhất các nhiệm vụ trọng tâm tháng tới, phân công đảng viên phụ trách.",
                    resolution="Nghị quyết tháng: hoàn thành kế hoạch giải ngân; đảng viên gương mẫu thực hiện.",
                    locked_at=_aware(day, 16),
                    locked_by=secretary if cell.pk == secretary_cell.pk else None,
                    published_at=_aware(day + datetime.timedelta(days=5 if (cell.pk, month) == late else 1), 9),
                    publish_due=day + datetime.timedelta(days=2),
                )
                meetings.append(m)
                plans.append((m, roll, month))
        # December: planned, and noticed in the secretary's cell.
        day = _day(rng, 12)
        meetings.append(
            Meeting(
                unit=cell,
                kind=K.REGULAR,
                planned_date=day,
                planned_time=T(14),
                venue=place,
                place="" if place else f"Phòng họp {cell.name.replace('Chi bộ ', '')}",
                state=Meeting.State.NOTICED if cell.pk == secretary_cell.pk else Meeting.State.PLANNED,
                noticed_at=_aware(D(YEAR, 11, 30), 9) if cell.pk == secretary_cell.pk else None,
                agenda="1. Tổng kết công tác năm 2026\n2. Kiểm điểm, đánh giá, xếp loại đảng viên",
                chair=chair,
                recorder=recorder,
                from_plan=True,
            )
        )
    Meeting.objects.bulk_create(meetings, batch_size=2000)
    rows, speeches, sheets = [], [], []
    template = QualityTemplate.objects.create(
        unit=finance,
        name="Phiếu chấm điểm sinh hoạt chi bộ (Đảng ủy Sở Tài chính)",
        criteria=DEFAULT_CRITERIA,
        thresholds=DEFAULT_THRESHOLDS,
    )
    for m, roll, month in plans:
        present = 0
        denominator = 0
        for mem in roll:
            if mem.status == "exempted":
                status = A.EXEMPT
            elif mem.temporary_unit_id:
                status = A.AWAY
            elif absentee is not None and mem.pk == absentee.pk and month in (5, 6, 8):
                status = A.UNEXCUSED
            elif (m.unit_id, month) == low and rng.random() < 0.4:
                status = A.EXCUSED
            else:
                r = rng.random()
                status = A.PRESENT if r < 0.93 else A.EXCUSED if r < 0.99 else A.UNEXCUSED
            spoke = status == A.PRESENT and rng.random() < 0.3
            rows.append(
                Attendance(
                    meeting=m,
                    member=mem,
                    member_status=mem.status,
                    status=status,
                    spoke=spoke,
                    excuse="Đi công tác" if status == A.EXCUSED else "",
                )
            )
            if spoke:
                speeches.append(Speech(meeting=m, member=mem, speaker=mem.full_name, content=rng.choice(SPEECHES)))
            present += status == A.PRESENT
            denominator += status not in (A.AWAY, A.EXEMPT) and not (mem.status == "suspended" and status != A.PRESENT)
        m.present_count, m.denominator = present, denominator
        if m.unit_id == secretary_cell.pk and m.kind != K.THEMATIC:
            scores = {c["code"]: c["max"] - rng.randint(0, 3) for c in DEFAULT_CRITERIA}
            total = sum(scores.values())
            reviewed = month <= 9
            sheets.append(
                QualitySheet(
                    meeting=m,
                    template=template,
                    scores=scores,
                    total=total,
                    rating=rate(template, total),
                    filled_by=secretary,
                    reviewed_scores=scores if reviewed else None,
                    reviewed_total=total if reviewed else None,
                    reviewed_rating=rate(template, total) if reviewed else "",
                    reviewed_by=staff if reviewed else None,
                    reviewed_at=_aware(m.held_on + datetime.timedelta(days=7), 9) if reviewed else None,
                )
            )
    Attendance.objects.bulk_create(rows, batch_size=5000)
    Speech.objects.bulk_create(speeches, batch_size=5000)
    QualitySheet.objects.bulk_create(sheets)
    Meeting.objects.bulk_update([m for m, _r, _mo in plans], ["present_count", "denominator"], batch_size=2000)
    _light(builder, finance)
    transaction.on_commit(rejudge_small_cells)


def _light(builder, finance):
    """Held meetings with their figures for every other cell of the bloc (no attendance rows)."""
    rng = builder.rng
    bloc = builder.bloc
    cells = list(
        OrgUnit.objects.active()
        .in_subtree(bloc)
        .filter(kind__in=OrgUnit.CELL_KINDS)
        .exclude(path__startswith=finance.path)
        .order_by("path")
    )
    sizes = Counter(
        dict(
            Member.objects.filter(unit__in=cells, status__in=("official", "probationary"))
            .values_list("unit_id")
            .annotate(n=Count("pk"))
            .values_list("unit_id", "n")
        )
    )
    judge = _Judge(bloc)
    out = []
    for cell in cells:
        size = sizes.get(cell.pk, 0)
        if size == 0:
            continue
        for month in HELD_MONTHS:
            if rng.random() < 0.04:
                continue  # a month missed
            kind = K.COMBINED if month % 3 == 0 and rng.random() < 0.85 else K.REGULAR
            day = _day(rng, month)
            minimum, version = judge(kind, size, day)
            r = rng.random()
            duration = minimum - rng.randint(10, 30) if r < 0.03 else minimum + rng.randint(0, 45)
            if size < 9 and kind == K.REGULAR:
                duration = rng.randint(62, 110)
            present = max(0, size - rng.choice([0, 0, 1, 1, 2, 3]))
            out.append(
                Meeting(
                    unit=cell,
                    kind=kind,
                    state=Meeting.State.HELD,
                    planned_date=day,
                    planned_time=T(8),
                    place="Phòng họp cơ quan",
                    topic=TOPICS[(month - 1) // 3] if kind == K.COMBINED else "",
                    from_plan=True,
                    held_on=day,
                    started_at=T(8),
                    ended_at=(datetime.datetime(2000, 1, 1, 8) + datetime.timedelta(minutes=duration)).time(),
                    duration_minutes=duration,
                    min_minutes=minimum,
                    min_rule=version,
                    too_short=duration < minimum,
                    with_work_meeting=rng.random() < 0.02,
                    cell_size=size,
                    present_count=present,
                    denominator=size,
                    minutes_content="Sinh hoạt chi bộ thường kỳ.",
                    conclusions="Thống nhất nhiệm vụ tháng tới.",
                    locked_at=_aware(day, 11),
                    published_at=_aware(day + datetime.timedelta(days=rng.choice([1, 1, 2, 4])), 9),
                    publish_due=day + datetime.timedelta(days=2),
                )
            )
    Meeting.objects.bulk_create(out, batch_size=5000)


def rejudge_small_cells():
    """Judge the small cells' held meetings again with the rules now in force (the bloc's override)."""
    changed = []
    cache = {}
    qs = Meeting.objects.filter(state=Meeting.State.HELD, held_on__year=YEAR, cell_size__lt=9).select_related("unit")
    for m in qs:
        key = (m.unit.path.split("/")[1], m.kind, m.held_on >= D(2025, 10, 28))
        if key not in cache:
            cache[key] = rules.minimum(m.kind, unit=m.unit, day=m.held_on, size=m.cell_size)
        minimum, version = cache[key]
        if (minimum, version.pk) != (m.min_minutes, m.min_rule_id):
            m.min_minutes, m.min_rule, m.too_short = minimum, version, m.duration_minutes < minimum
            changed.append(m)
    Meeting.objects.bulk_update(changed, ["min_minutes", "min_rule", "too_short"], batch_size=2000)
    return len(changed)
