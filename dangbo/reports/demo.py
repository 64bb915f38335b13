"""Demo periodic reports: the third quarter of 2026. Most grassroots organizations submitted and the
bloc office accepted; a few have not submitted; Sở Tài chính's report (the ``coso`` login) was returned
for correction and one waits for the bloc office (``khoi``). Register reconciliations as of 30/09/2026.

The figures kept with each report are the system's own for the unit (members as of 30/09 from the
member events, admissions and recognitions in the quarter), computed in two passes over the events."""

import datetime
from collections import Counter

from django.db.models import Q

from dangbo.accounts.models import User
from dangbo.members.models import MemberEvent
from dangbo.org.models import OrgUnit
from dangbo.reports.models import RECONCILED_STATUSES, PeriodicReport, Reconciliation, period_bounds

D = datetime.date
RESULTS = [
    "Chi bộ, đảng bộ duy trì sinh hoạt định kỳ đúng quy định; lãnh đạo cơ quan hoàn thành các nhiệm vụ chuyên môn "
    "của quý; tổ chức học tập, quán triệt nghị quyết đầy đủ đến đảng viên.",
    "Thực hiện tốt công tác phát triển đảng viên và chuyển sinh hoạt đảng; cấp ủy giám sát thường xuyên theo "
    "chương trình kiểm tra, giám sát năm 2026.",
]
LIMITATIONS = [
    "Sinh hoạt chuyên đề ở một số chi bộ còn ít, nội dung chưa phong phú.",
    "Việc cập nhật hồ sơ đảng viên trên phần mềm có lúc chưa kịp thời.",
]
CAUSES = ["Cán bộ làm công tác đảng kiêm nhiệm, nhiều việc chuyên môn."]
TASKS = [
    "Tiếp tục nâng cao chất lượng sinh hoạt chi bộ; chuẩn bị kiểm điểm, đánh giá, xếp loại cuối năm 2026.",
]
PROPOSALS = ["Đề nghị Đảng ủy Khối tổ chức tập huấn nghiệp vụ công tác đảng cho cấp ủy viên cơ sở."]


def _counts(units, start, end):
    """{unit pk: Counter of figure keys} for each grassroots subtree, from four grouped queries."""
    by_path = {u.path: u.pk for u in units}

    def owner(path):
        for p, pk in by_path.items():
            if path.startswith(p):
                return pk
        return None

    out = {u.pk: Counter() for u in units}
    paths = dict(OrgUnit.objects.values_list("pk", "path"))
    for (unit_id, status), n in _states_on(end).items():
        pk = owner(paths.get(unit_id, ""))
        if pk is None:
            continue
        if status in RECONCILED_STATUSES:
            out[pk]["members.total"] += n
            out[pk][f"members.{status}"] += n
    E = MemberEvent.Kind
    events = (
        MemberEvent.objects.filter(date__gte=start, date__lte=end, kind__in=[E.ADMITTED, E.MADE_OFFICIAL])
        .filter(Q(to_unit__isnull=False) | Q(member__unit__isnull=False))
        .values_list("kind", "to_unit__path", "member__unit__path")
    )
    for kind, to_path, member_path in events:
        pk = owner(to_path or member_path or "")
        if pk is not None:
            out[pk]["admission.admitted" if kind == E.ADMITTED else "admission.recognized"] += 1
    return out


def _states_on(day):
    """Counter of (unit, status) on ``day`` from the member events, read the way rebuild_intervals reads
    them (the intervals are rebuilt only after every app's demo)."""
    states = Counter()
    events = MemberEvent.objects.filter(date__lte=day).order_by("member_id", "date", "id")
    current = unit_id = status = None
    for member_id, to_unit_id, status_after in events.values_list("member_id", "to_unit_id", "status_after").iterator(
        chunk_size=5000
    ):
        if member_id != current:
            if current is not None and unit_id and status:
                states[(unit_id, status)] += 1
            current, unit_id, status = member_id, None, None
        unit_id = to_unit_id or unit_id
        status = status_after or status
    if current is not None and unit_id and status:
        states[(unit_id, status)] += 1
    return states


def build(builder):
    rng = builder.rng
    start, end = period_bounds("quarter", 2026, 3)
    units = list(OrgUnit.objects.active(end).filter(kind__in=OrgUnit.GRASSROOTS_KINDS).order_by("path"))
    if not units:
        return
    finance = builder.units.get("finance")
    users = {u.username: u for u in User.objects.filter(username__in=["khoi", "coso"])}
    khoi, coso = users.get("khoi"), users.get("coso")
    counts = _counts(units, start, end)
    others = [u for u in units if u != finance]
    rng.shuffle(others)
    missing = {u.pk for u in others[:4]}
    waiting = others[4] if len(others) > 4 else None
    reports = []
    for i, unit in enumerate(units):
        if unit.pk in missing:
            continue
        system = {
            k: counts[unit.pk][k]
            for k in ("members.total", "members.official", "members.probationary", "admission.admitted")
        }
        declared = dict(system)
        if i % 17 == 3:  # a few reports whose figures differ from the system's
            declared["members.total"] += 1
        submitted = D(2026, 10, rng.randint(1, 5))
        r = PeriodicReport(
            unit=unit,
            period="quarter",
            year=2026,
            number=3,
            start=start,
            end=end,
            declared=declared,
            system=system,
            results=rng.choice(RESULTS),
            limitations=rng.choice(LIMITATIONS),
            causes=CAUSES[0],
            next_tasks=TASKS[0],
            proposals=PROPOSALS[0],
            submitted_on=submitted,
            submitted_by=coso if unit == finance else None,
            state=PeriodicReport.State.ACCEPTED,
            decided_on=submitted + datetime.timedelta(days=rng.randint(1, 6)),
            decided_by=khoi,
        )
        if unit == finance:
            r.state = PeriodicReport.State.RETURNED
            r.declared["members.probationary"] += 1
            r.return_reason = "Số đảng viên dự bị chưa khớp với sổ danh sách đảng viên; đề nghị rà soát, gửi lại."
        elif unit == waiting:
            r.state, r.decided_on, r.decided_by = PeriodicReport.State.SUBMITTED, None, None
        reports.append(r)
    PeriodicReport.objects.bulk_create(reports)
    recs = []
    for unit in [finance, *others[5:10]]:
        if unit is None:
            continue
        c = counts[unit.pk]
        system = {s: c[f"members.{s}"] for s in RECONCILED_STATUSES}
        declared = dict(system)
        if unit == finance:
            declared["official"] += 1
        recs.append(
            Reconciliation(
                unit=unit,
                on=end,
                declared=declared,
                system=system,
                note="Đối chiếu sổ danh sách đảng viên (7-HSĐV) quý III/2026.",
                unit_signed_on=D(2026, 10, 6),
                unit_signed_by=coso if unit == finance else None,
                upper_signed_on=None if unit == finance else D(2026, 10, 8),
                upper_signed_by=None if unit == finance else khoi,
            )
        )
    Reconciliation.objects.bulk_create(recs)
