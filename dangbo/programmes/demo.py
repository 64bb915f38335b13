"""Demo: the bloc's programme implementing Nghị quyết 57-NQ/TW (science, technology, innovation and digital
transformation), adopted by the Sở Tài chính committee, one of its cells and a few other grassroots
organizations, with quarterly reports since 2025 — some accepted, some waiting for the bloc, one returned,
some missing and tasks overdue; and the propagandists' contest of 2026 (seed 004: 54 contestants from
49 units) with its scores and published results, plus a conference whose registration is still open."""

import datetime
from decimal import Decimal

from dangbo.accounts.models import User
from dangbo.documents.models import Document
from dangbo.members.models import Member
from dangbo.org.models import OrgUnit
from dangbo.programmes import services
from dangbo.programmes.models import Indicator, Registration, Report, ReportTask, ReportValue, Score, Task

D = datetime.date
INC, DEC = Indicator.Direction.INCREASE, Indicator.Direction.DECREASE
NUMBER = "57-NQ/TW"

INDICATORS = [
    ("Tỷ lệ văn bản được xử lý trên môi trường mạng (trừ văn bản mật)", "%", 60, 95, INC),
    ("Tỷ lệ đảng viên sử dụng ứng dụng Sổ tay đảng viên", "%", 35, 100, INC),
    ("Văn bản giấy gửi cấp ủy cấp trên trong quý", "văn bản", 120, 20, DEC),
]
TASKS = [
    ("Xây dựng, ban hành chương trình hành động thực hiện Nghị quyết 57-NQ/TW", D(2025, 4, 30)),
    ("Số hóa hồ sơ đảng viên, cập nhật đầy đủ cơ sở dữ liệu đảng viên", D(2025, 12, 31)),
    ("Triển khai ứng dụng Sổ tay đảng viên đến 100% đảng viên", D(2026, 6, 30)),
    ("Tổ chức sinh hoạt chi bộ chuyên đề về chuyển đổi số", D(2026, 9, 30)),
    ("Sơ kết hai năm thực hiện Nghị quyết 57-NQ/TW", D(2026, 12, 31)),
]


def _document(bloc):
    doc, _ = Document.objects.get_or_create(
        number=NUMBER,
        defaults={
            "kind": Document.Kind.RESOLUTION,
            "title": "Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
            "summary": "Bộ Chính trị ban hành ngày 22/12/2024; mục tiêu đến năm 2030, tầm nhìn đến năm 2045.",
            "issued_on": D(2024, 12, 22),
            "issuer": "Bộ Chính trị",
            "unit": bloc,
        },
    )
    return doc


def _programme(builder, office):
    bloc = builder.bloc
    p = services.create_programme(
        unit=bloc,
        title="Chương trình hành động của Đảng ủy Khối thực hiện Nghị quyết số 57-NQ/TW giai đoạn 2025–2026",
        document=_document(bloc),
        adopted_on=D(2025, 3, 10),
        starts_on=D(2025, 1, 1),
        ends_on=D(2026, 12, 31),
        report_due_days=10,
        actor=office,
    )
    for name, measure, base, target, direction in INDICATORS:
        services.add_indicator(
            programme=p,
            name=name,
            measure=measure,
            baseline=Decimal(base),
            target=Decimal(target),
            direction=direction,
            actor=office,
        )
    for title, due in TASKS:
        services.add_task(programme=p, title=title, owner_unit=bloc, due_on=due, actor=office)
    return p


def _value(ind, step, pace):
    """The value after ``step`` quarters for a unit progressing at ``pace`` (1.0: reaches the target in 8)."""
    share = min(Decimal(step) * Decimal(str(pace)) / 8, Decimal("1.1"))
    return (ind.baseline + (ind.target - ind.baseline) * share).quantize(Decimal("0.1"))


def _statuses(tasks, period, pace, rng):
    statuses = {}
    for t in tasks:
        if t.due_on <= period.end and (pace >= 1 or t.due_on < D(2026, 1, 1)):
            done = t.due_on - datetime.timedelta(days=rng.randint(0, 20))
            if pace < 0.8 and rng.random() < 0.5:
                done = t.due_on + datetime.timedelta(days=rng.randint(5, 25))  # done late
            statuses[t] = (Task.Status.DONE, min(done, period.end), "")
        elif t.due_on <= period.end + datetime.timedelta(days=100):
            statuses[t] = (Task.Status.IN_PROGRESS, None, "Đang triển khai")
        else:
            statuses[t] = (Task.Status.NOT_STARTED, None, "")
    return statuses


def _narrative(period):
    return (
        f"Quý {((period.start.month - 1) // 3) + 1}/{period.start.year}: cấp ủy tiếp tục quán triệt Nghị quyết "
        "57-NQ/TW, đôn đốc đảng viên cài đặt và sử dụng Sổ tay đảng viên, xử lý văn bản trên môi trường mạng."
    )


def _reports(child, *, pace, last_step, actor, reviewer, rng, pending_last=False):
    """Quarterly reports through the services (the demo committee's own): accepted but the last one."""
    inds = list(child.indicators.all())
    tasks = list(child.tasks.all())
    for step, period in enumerate(services.periods(child)[:last_step], start=1):
        r = services.save_report(
            programme=child,
            period_start=period.start,
            values={i: _value(i, step, pace) for i in inds},
            tasks=_statuses(tasks, period, pace, rng),
            narrative=_narrative(period),
            actor=actor,
            today=period.due,
        )
        services.submit_report(report=r, actor=actor, today=period.due - datetime.timedelta(days=rng.randint(0, 5)))
        if not (pending_last and step == last_step):
            services.review_report(report=r, accept=True, actor=reviewer, today=period.due + datetime.timedelta(days=5))


def _bulk_reports(child, *, pace, last_step, actor, reviewer, rng, pending_last=False, returned_step=None):
    """The same for the other units, written in bulk (the demo must load in seconds)."""
    inds = list(child.indicators.all())
    tasks = list(child.tasks.all())
    reports, values, rows = [], [], []
    for step, period in enumerate(services.periods(child)[:last_step], start=1):
        state, note = Report.State.ACCEPTED, ""
        if step == returned_step:
            state, note = Report.State.RETURNED, "Đề nghị bổ sung minh chứng số liệu văn bản điện tử."
        elif pending_last and step == last_step:
            state = Report.State.SUBMITTED
        r = Report(
            programme=child,
            period_start=period.start,
            period_end=period.end,
            state=state,
            narrative=_narrative(period),
            submitted_on=period.due - datetime.timedelta(days=rng.randint(0, 5)),
            submitted_by=actor,
            reviewed_on=None if state == Report.State.SUBMITTED else period.due + datetime.timedelta(days=4),
            reviewed_by=None if state == Report.State.SUBMITTED else reviewer,
            review_note=note,
        )
        reports.append(r)
        values.append([ReportValue(report=r, indicator=i, value=_value(i, step, pace)) for i in inds])
        rows.append(
            [
                ReportTask(report=r, task=t, status=st, done_on=d, note=n)
                for t, (st, d, n) in _statuses(tasks, period, pace, rng).items()
            ]
        )
    Report.objects.bulk_create(reports)
    ReportValue.objects.bulk_create(v for group in values for v in group)
    ReportTask.objects.bulk_create(x for group in rows for x in group)
    services.refresh_task_status(child)


def _implementation(builder):
    rng = builder.rng
    office = User.objects.filter(username="khoi").first()
    staff = User.objects.filter(username="coso").first()
    finance = builder.units["finance"]
    parent = _programme(builder, office)
    # Sở Tài chính: every quarter up to Q3/2026, the last one waiting for the bloc's review.
    child = services.adopt_programme(parent=parent, unit=finance, adopted_on=D(2025, 3, 25), actor=staff)
    rate = child.indicators.get(name__startswith="Tỷ lệ văn bản")
    services.set_indicator_values(indicator=rate, baseline=Decimal(70), target=Decimal(98), actor=staff)
    first = child.tasks.order_by("due_on").first()
    services.change_task(
        task=first, owner_unit=finance, due_on=first.due_on, responsible="Đ/c Phó Bí thư Đảng ủy", actor=staff
    )
    _reports(child, pace=1.1, last_step=7, actor=staff, reviewer=office, rng=rng, pending_last=True)
    cell = builder.units.get("finance_cell")
    if cell is not None:
        sub = services.adopt_programme(parent=child, unit=cell, adopted_on=D(2025, 4, 10), actor=staff)
        _bulk_reports(sub, pace=1.0, last_step=6, actor=staff, reviewer=staff, rng=rng)
    others = list(
        OrgUnit.objects.active().grassroots().filter(parent=builder.bloc).exclude(pk=finance.pk).order_by("path")
    )
    for k, unit in enumerate(rng.sample(others, min(7, len(others)))):
        c = services.adopt_programme(
            parent=parent, unit=unit, adopted_on=D(2025, 4, 1) + datetime.timedelta(days=k), actor=office
        )
        pace = [1.2, 1.0, 0.9, 0.7, 0.6, 1.0, 0.8][k]
        last = [7, 7, 6, 5, 7, 4, 7][k]  # some quarters missing: overdue reports
        _bulk_reports(
            c,
            pace=pace,
            last_step=last,
            actor=office,
            reviewer=office,
            rng=rng,
            pending_last=k % 2 == 0,
            returned_step=last if k == 6 else None,
        )


def _contest(builder):
    """Seed 004: "54 thí sinh đại diện cho 49 chi, đảng bộ trực thuộc"."""
    rng = builder.rng
    office = User.objects.filter(username="khoi").first()
    e = services.create_event(
        unit=builder.bloc,
        kind="contest",
        title="Hội thi báo cáo viên, tuyên truyền viên giỏi năm 2026",
        place="Hội trường Đảng ủy Khối",
        starts_on=D(2026, 7, 15),
        ends_on=D(2026, 7, 16),
        registration_deadline=D(2026, 7, 5),
        quota_per_unit=2,
        description="Thí sinh trình bày bài tuyên truyền về Nghị quyết 57-NQ/TW và xử lý tình huống thực tiễn.",
        actor=office,
    )
    # The members each unit under the bloc could send, in one query (not the demo logins).
    by_unit = {}
    rows = (
        Member.objects.current()
        .filter(unit__path__startswith=builder.bloc.path, user__isnull=True)
        .order_by("pk")
        .values_list("pk", "unit__path")
    )
    for pk, path in rows:
        below = path[len(builder.bloc.path) :].split("/")[0]
        top = int(below) if below else None
        if top is not None and len(by_unit.setdefault(top, [])) < 40:
            by_unit[top].append(pk)
    candidates = [
        (u, by_unit[u.pk])
        for u in OrgUnit.objects.active().filter(parent=builder.bloc).order_by("path")
        if by_unit.get(u.pk)
    ]
    chosen = rng.sample(candidates, min(49, len(candidates)))
    pairs = [k for k, (_unit, members) in enumerate(chosen) if len(members) >= 2]
    twice = set(rng.sample(pairs, min(5, len(pairs))))
    Registration.objects.bulk_create(
        Registration(
            event=e,
            unit=unit,
            member_id=m,
            topic="Đưa Nghị quyết 57-NQ/TW vào cuộc sống",
            registered_on=D(2026, 6, 20) + datetime.timedelta(days=k % 15),
            registered_by=office,
        )
        for k, (unit, members) in enumerate(chosen)
        for m in rng.sample(members, 2 if k in twice else 1)
    )
    rounds = [
        services.add_round(event=e, name="Phần thi thuyết trình", max_score=Decimal(70), actor=office),
        services.add_round(event=e, name="Phần thi xử lý tình huống", max_score=Decimal(30), actor=office),
    ]
    judges = [services.add_judge(event=e, name=n, actor=office) for n in ("Giám khảo 1", "Giám khảo 2", "Giám khảo 3")]
    for name, count in (("Giải Nhất", 1), ("Giải Nhì", 2), ("Giải Ba", 3), ("Giải Khuyến khích", 6)):
        services.add_prize(event=e, name=name, count=count, actor=office)
    regs = list(e.registrations.all())
    skill = {r.pk: rng.uniform(0.6, 0.95) for r in regs}

    def points(rnd, r):
        raw = float(rnd.max_score) * (skill[r.pk] + rng.uniform(-0.05, 0.05))
        return min(rnd.max_score, Decimal(round(raw * 2) / 2))

    Score.objects.bulk_create(
        Score(registration=r, round=rnd, judge=j, points=points(rnd, r)) for rnd in rounds for j in judges for r in regs
    )
    if regs:
        services.publish_results(event=e, actor=office, today=D(2026, 7, 16))
    services.create_event(
        unit=builder.bloc,
        kind="conference",
        title="Hội nghị báo cáo viên quý IV/2026",
        place="Hội trường Đảng ủy Khối",
        starts_on=D(2026, 12, 18),
        ends_on=D(2026, 12, 18),
        registration_deadline=D(2026, 12, 12),
        quota_per_unit=2,
        description="Thông tin thời sự, chuyên đề chuyển đổi số trong hoạt động của tổ chức đảng.",
        actor=office,
    )


def build(builder):
    from django.test.utils import override_settings

    # In-app notifications yes (the demo logins see them), e-mails no (the console backend would print them).
    with override_settings(NOTIFY_BY_EMAIL=False):
        _implementation(builder)
        _contest(builder)
