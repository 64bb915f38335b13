"""Demo inspection work of 2026: the plans of the bloc standing committee, the bloc inspection commission
and a few grassroots organizations; each quarter, supervisions roughly as the seeds report them (committees
and cells: about 6 organizations and 170 members; inspection commissions: about 32 organizations and 164
members), concluded in the past quarters and running in the current one (some steps overdue); a few
inspections with conclusions and recommendations; two discipline cases (a reprimand by the demo cell, a
warning decided by the demo grassroots committee) with an appeal being handled; a state-discipline notice."""

import datetime

from django.utils import timezone, translation
from django.utils.translation import gettext

from dangbo.accounts.models import Role
from dangbo.inspection import services
from dangbo.inspection.models import Case, Plan, Recommendation, Step, Subject, Target
from dangbo.members.models import Member
from dangbo.org.models import OrgUnit

D = datetime.date
YEAR = 2026
QUARTERS = [
    (D(YEAR, 1, 5), D(YEAR, 3, 31)),
    (D(YEAR, 4, 1), D(YEAR, 6, 30)),
    (D(YEAR, 7, 1), D(YEAR, 9, 30)),
    (D(YEAR, 10, 1), D(YEAR, 12, 31)),
]
K = OrgUnit.Kind


def _day(rng, start, end, today):
    end = min(end, today - datetime.timedelta(days=20))
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def build(builder):
    rng = builder.rng
    today = timezone.localdate()
    bloc, finance, finance_cell = builder.bloc, builder.units["finance"], builder.units["finance_cell"]
    committees = list(OrgUnit.objects.active().filter(kind=K.GRASSROOTS_COMMITTEE).order_by("path"))
    cells = list(OrgUnit.objects.active().filter(kind__in=OrgUnit.CELL_KINDS).order_by("path"))
    by_unit = {}
    for pk, unit_id in Member.objects.current().values_list("pk", "unit_id").order_by("pk"):
        by_unit.setdefault(unit_id, []).append(pk)
    cells = [c for c in cells if by_unit.get(c.pk)]
    if not committees or not cells:
        return
    others = [c for c in committees if c.pk != finance.pk][:2]
    plans = {}
    for unit, subject, number in [
        (bloc, Subject.STANDING, "12-KH/ĐUK"),
        (bloc, Subject.COMMISSION, "05-KH/UBKT"),
        (finance, Subject.COMMITTEE, "08-KH/ĐU"),
        (finance, Subject.COMMISSION, "03-KH/UBKT"),
        (finance_cell, Subject.CELL, "02-KH/CB"),
        *[(c, Subject.COMMITTEE, "04-KH/ĐU") for c in others],
    ]:
        plans[unit.pk, subject] = Plan.objects.create(
            unit=unit,
            subject=subject,
            year=YEAR,
            number=number,
            content="Kiểm tra, giám sát việc chấp hành Điều lệ Đảng, nghị quyết của cấp ủy; giám sát thường xuyên "
            "tổ chức đảng và đảng viên; kiểm tra việc thực hiện nghị quyết đại hội đảng các cấp.",
        )

    def parent_committee(cell):
        return next((c for c in committees if cell.path.startswith(c.path)), None)

    cases, targets = [], []  # targets: (case index, org id or None, member id or None)

    def add_case(subject_unit, subject, kind, unit, title, start, *, orgs=(), members=()):
        cases.append(
            Case(
                plan=plans.get((subject_unit.pk, subject)),
                subject_unit=subject_unit,
                subject=subject,
                kind=kind,
                unit=unit,
                title=title,
                planned_start=start,
                started_on=start,
                state=Case.State.CONCLUDED if start < QUARTERS[3][0] else Case.State.RUNNING,
                team_leader=builder._name(rng.choice("MF")) if kind not in Case.SUPERVISION_KINDS else "",
                concluded_on=start + datetime.timedelta(days=60) if start < QUARTERS[3][0] else None,
                conclusion="Tổ chức đảng, đảng viên chấp hành tốt Điều lệ Đảng và nghị quyết của cấp ủy; "
                "còn chậm trong việc báo cáo định kỳ."
                if start < QUARTERS[3][0]
                else "",
            )
        )
        i = len(cases) - 1
        targets.extend((i, o, None) for o in orgs)
        targets.extend((i, None, m) for m in members)

    for q, (qs, qe) in enumerate(QUARTERS):
        if qs > today:
            break
        # Committees (and cells): ~6 organizations, ~170 members.
        for cell in rng.sample(cells, 6):
            top = parent_committee(cell)
            subject_unit, subject = (top, Subject.COMMITTEE) if top else (bloc, Subject.STANDING)
            start = _day(rng, qs, qe, today)
            add_case(
                subject_unit,
                subject,
                Case.Kind.REGULAR,
                cell,
                f"Giám sát thường xuyên {cell.name} quý {q + 1}",
                start,
                orgs=[cell.pk],
            )
        left = 170 + rng.randint(-8, 8)
        for cell in rng.sample(cells, 40):
            if left <= 0:
                break
            ids = by_unit[cell.pk][: min(left, rng.randint(6, 14))]
            left -= len(ids)
            start = _day(rng, qs, qe, today)
            add_case(
                cell,
                Subject.CELL,
                Case.Kind.REGULAR,
                cell,
                f"Chi bộ giám sát đảng viên quý {q + 1}",
                start,
                members=ids,
            )
        # Inspection commissions: ~32 organizations, ~164 members.
        left_orgs, left_members = 32 + rng.randint(-3, 3), 164 + rng.randint(-8, 8)
        for top in rng.sample(committees, min(len(committees), 12)):
            own = [c for c in cells if c.path.startswith(top.path)]
            if not own or (left_orgs <= 0 and left_members <= 0):
                continue
            orgs = [c.pk for c in own[: min(left_orgs, rng.randint(2, 4))]] if left_orgs > 0 else []
            left_orgs -= len(orgs)
            pool = [m for c in own for m in by_unit[c.pk]]
            members = pool[: min(left_members, rng.randint(10, 20))] if left_members > 0 else []
            left_members -= len(members)
            start = _day(rng, qs, qe, today)
            add_case(
                top,
                Subject.COMMISSION,
                rng.choice([Case.Kind.REGULAR, Case.Kind.THEMATIC]),
                top,
                f"Ủy ban Kiểm tra giám sát quý {q + 1}: {top.name}",
                start,
                orgs=orgs,
                members=members,
            )
        if left_orgs > 0:
            extra = [c for c in cells if c.kind == K.GRASSROOTS_CELL][:left_orgs]
            add_case(
                bloc,
                Subject.COMMISSION,
                Case.Kind.THEMATIC,
                bloc,
                f"Giám sát chuyên đề quý {q + 1}",
                _day(rng, qs, qe, today),
                orgs=[c.pk for c in extra],
            )
    # A few inspections by the bloc commission, concluded, with recommendations.
    inspected = rng.sample(committees, min(3, len(committees)))
    for kind, unit, start in zip(
        [Case.Kind.IMPLEMENTATION, Case.Kind.THEMATIC_INSPECTION, Case.Kind.VIOLATION],
        inspected,
        [D(YEAR, 3, 9), D(YEAR, 6, 15), D(YEAR, 8, 3)],
        strict=False,
    ):
        title = {
            Case.Kind.IMPLEMENTATION: "Kiểm tra việc thực hiện Nghị quyết Đại hội Đảng bộ nhiệm kỳ 2025–2030",
            Case.Kind.THEMATIC_INSPECTION: "Kiểm tra việc thu, nộp, quản lý đảng phí",
            Case.Kind.VIOLATION: "Kiểm tra khi có dấu hiệu vi phạm trong quản lý tài chính",
        }[kind]
        add_case(bloc, Subject.COMMISSION, kind, unit, title, start, orgs=[unit.pk])
        cases[-1].decision_no = f"{rng.randint(10, 60)}-QĐ/UBKT"
    Case.objects.bulk_create(cases)
    Target.objects.bulk_create(Target(case=cases[i], org_id=o, member_id=m) for i, o, m in targets)
    steps, recs = [], []
    with translation.override("vi"):
        titles = {k: [(gettext(t), days) for t, days in v] for k, v in services.STEPS.items()}
    for case in cases:
        kind = "supervision" if case.kind in Case.SUPERVISION_KINDS else "inspection"
        for order, (title, days) in enumerate(titles[kind], start=1):
            due = case.started_on + datetime.timedelta(days=days)
            done = case.state == Case.State.CONCLUDED or due < today - datetime.timedelta(days=rng.randint(0, 30))
            steps.append(
                Step(
                    case=case,
                    order=order,
                    title=title,
                    due_on=due,
                    done_on=due if done else None,
                    document_no=f"{rng.randint(1, 99)}-BC" if done and order in (1, 5) else "",
                )
            )
        if case.kind not in Case.SUPERVISION_KINDS and case.state == Case.State.CONCLUDED:
            case.conclusion_no = f"{rng.randint(10, 90)}-TB/UBKT"
            case.save(update_fields=["conclusion_no"])
            recs += [
                Recommendation(
                    case=case,
                    text="Kiện toàn sổ sách, hồ sơ đảng viên và đảng phí.",
                    due_on=case.concluded_on + datetime.timedelta(days=60),
                    done_on=case.concluded_on + datetime.timedelta(days=45),
                    follow_up="Đã khắc phục.",
                ),
                Recommendation(
                    case=case,
                    text="Rà soát, bổ sung quy chế làm việc của cấp ủy.",
                    due_on=case.concluded_on + datetime.timedelta(days=90),
                ),
            ]
    Step.objects.bulk_create(steps)
    Recommendation.objects.bulk_create(recs)
    _discipline(builder, finance, finance_cell)


def _discipline(builder, finance, finance_cell):
    """A reprimand decided by the demo cell, with an appeal being handled; a warning decided by the demo
    grassroots committee's standing committee; a state discipline notified late."""
    # Never a member who holds an office in the demo (a secretary, staff, the commission): nobody acts on their own
    # case. A member with a plain member login may be one (they see their case on their card).
    official = (
        Member.objects.current()
        .filter(status=Member.Status.OFFICIAL)
        .exclude(user__roles__role__in=[r for r in Role.values if r != Role.MEMBER])
    )
    # The demo committee when it has two members to spare (a small demo may not): else the first that has.
    for committee in [finance, *OrgUnit.objects.filter(kind=OrgUnit.Kind.GRASSROOTS_COMMITTEE).order_by("path")]:
        pool = list(
            official.filter(unit__path__startswith=committee.path, unit__kind__in=OrgUnit.CELL_KINDS)
            .select_related("unit")
            .order_by("-unit__pk", "pk")
        )
        if len(pool) >= 2:
            break
    else:
        return
    pool.sort(key=lambda m: m.unit_id != finance_cell.pk)  # the demo cell first, when it has one
    a, b = pool[0], pool[-1]
    finance = committee
    case = services.open_discipline(
        member=a,
        violation="Không thực hiện đúng quy định về những điều đảng viên không được làm (sử dụng mạng xã hội).",
        violation_on=D(YEAR, 5, 20),
        proposed_form="reprimand",
        deciding_unit=a.unit,
        deciding_body="cell",
        actor=None,
    )
    services.record_hearing(case=case, day=D(YEAR, 6, 10), attended=True, actor=None)
    n = max(3, Member.objects.filter(unit=a.unit, status=Member.Status.OFFICIAL).count())
    services.record_vote(
        case=case,
        stage="decision",
        form="reprimand",
        held_on=D(YEAR, 6, 18),
        total=n,
        in_favour=n - 1,
        decision_no="01-QĐ/CB",
        actor=None,
    )
    services.record_receipt(case=case, day=D(YEAR, 6, 20), actor=None)
    services.file_appeal(
        case=case, filed_on=D(YEAR, 7, 8), content="Đề nghị xem xét lại hình thức kỷ luật.", actor=None
    )
    case = services.open_discipline(
        member=b,
        violation="Vi phạm quy định về công tác cán bộ khi tham mưu bổ nhiệm.",
        violation_on=D(YEAR, 2, 14),
        higher_task=True,
        proposed_form="warning",
        deciding_unit=finance,
        deciding_body="standing",
        actor=None,
    )
    services.record_hearing(case=case, day=D(YEAR, 8, 25), attended=True, actor=None)
    services.record_vote(
        case=case,
        stage="decision",
        form="warning",
        held_on=D(YEAR, 9, 4),
        total=7,
        in_favour=6,
        decision_no="45-QĐ/ĐU",
        decided_on=D(YEAR, 9, 5),
        actor=None,
    )
    services.record_receipt(case=case, day=D(YEAR, 9, 8), actor=None)
    c = official.filter(unit__path__startswith=finance.path).exclude(pk__in=[a.pk, b.pk]).order_by("-pk").first()
    if c is not None:
        services.record_state_discipline(
            member=c,
            authority_name="Giám đốc Sở Tài chính",
            form="Khiển trách",
            decision_no="112/QĐ-STC",
            decided_on=D(YEAR, 11, 2),
            notified_on=D(YEAR, 11, 10),
            actor=None,
        )
