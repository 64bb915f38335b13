"""Demo committees, reinforcements, the consultation of seed 000 and a few good models.

Every grassroots organization and cell gets its congress and committee (bulk, in a few queries): the
grassroots committees were elected in mid-2025 for 2025–2030; cells in 2024 (their congress falls due
around the end of 2026) or 2025, a few in 2023 (overdue). The secretary of ``finance_cell`` is the
member behind the demo login ``chibo``. 19 organizations are reinforced over the quarters of 2026. The
bloc secretary consults the secretaries of the 3 clusters on 21–22/09/2026: 12 proposals, most answered,
two overdue; ``chibo`` has one answer published on their page."""

import datetime

from django.db.models import Q

from dangbo.accounts.models import User
from dangbo.committees import services
from dangbo.committees.models import Appraisal, GoodModel, Proposal, Seat, Term
from dangbo.committees.structure import COMMITTEE_KINDS, RuleBook, term_end
from dangbo.demo.builder import DEMO_USERS
from dangbo.members.models import Member
from dangbo.org.models import OrgUnit

D = datetime.date
P = Seat.Position
M = Seat.Method


def _candidates(unit, by_unit, subtree_units):
    """Official members eligible for the committee: the cell's own, or the whole committee's subtree."""
    if unit.kind in OrgUnit.CELL_KINDS:
        return list(by_unit.get(unit.pk, []))
    return [m for u in subtree_units.get(unit.pk, []) for m in by_unit.get(u, [])]


def _committee_shape(unit, official, rng):
    """Positions of the elected committee, within the rules (the demo's warnings come from elsewhere)."""
    if unit.kind in OrgUnit.CELL_KINDS:
        if official >= 9:
            return [P.SECRETARY, P.DEPUTY_SECRETARY] + [P.MEMBER] * rng.choice([1, 3])
        return [P.SECRETARY] + ([P.DEPUTY_SECRETARY] if official >= 5 else [])
    size = rng.choice([7, 9, 11])
    standing = [P.STANDING] * 3 if size >= 9 else []
    return [P.SECRETARY, P.DEPUTY_SECRETARY] + standing + [P.MEMBER] * (size - 2 - len(standing))


def build_committees(builder):
    rng = builder.rng
    book = RuleBook()
    units = list(OrgUnit.objects.active(D(2026, 12, 1)).in_subtree(builder.bloc).filter(kind__in=COMMITTEE_KINDS))
    logins = {username for username, *_ in DEMO_USERS}
    official = (
        Member.objects.in_subtree(builder.bloc)
        .filter(status=Member.Status.OFFICIAL)
        .exclude(user__username__in=logins - {"chibo"})
        .values_list("pk", "unit_id", "birth_date")
        .order_by("unit_id", "pk")
    )
    by_unit = {}
    for pk, unit_id, birth in official:
        by_unit.setdefault(unit_id, []).append((pk, birth))
    all_units = list(OrgUnit.objects.in_subtree(builder.bloc).values_list("pk", "path"))
    subtree_units = {u.pk: [pk for pk, path in all_units if path.startswith(u.path)] for u in units}

    finance_cell = builder.units["finance_cell"]
    chibo = User.objects.filter(username="chibo").first()
    # Not a member under discipline: the secretary would be the subject of a case she cannot act on.
    free = Member.objects.filter(
        unit=finance_cell, status=Member.Status.OFFICIAL, user__isnull=True, discipline_cases__isnull=True
    )
    secretary = free.filter(sex=Member.Sex.FEMALE).order_by("pk").first() or free.order_by("pk").first()
    if chibo and secretary:
        secretary.set_name(chibo.get_full_name())
        secretary.user = chibo
        secretary.save(update_fields=["full_name", "search_name", "sort_name", "user"])

    terms, seats = [], []
    for unit in sorted(units, key=lambda u: u.path):
        if unit.kind in OrgUnit.CELL_KINDS:
            year = rng.choices([2023, 2024, 2025], [3, 50, 47])[0]
            congress = D(year, rng.randint(3, 9) if year != 2025 else rng.randint(4, 7), rng.randint(1, 28))
        else:
            congress = D(2025, rng.randint(5, 8), rng.randint(1, 28))
        terms.append(Term(unit=unit, congress_date=congress, ends_on=term_end(unit, congress, book)))
    Term.objects.bulk_create(terms)
    term_of = {t.unit_id: t for t in Term.objects.filter(unit__in=units)}
    cells = [u for u in units if u.kind in OrgUnit.CELL_KINDS and u.pk != finance_cell.pk]
    no_secretary = {u.pk for u in rng.sample(cells, min(2, len(cells)))}
    for unit in units:
        people = _candidates(unit, by_unit, subtree_units)
        if not people:
            continue
        term = term_of[unit.pk]
        shape = _committee_shape(unit, len(by_unit.get(unit.pk, [])) if unit.is_cell else len(people), rng)
        chosen = rng.sample(people, min(len(shape), len(people)))
        # Younger committees: prefer members born after 1980 for half the seats.
        chosen.sort(key=lambda p: p[1] or D(1970, 1, 1), reverse=rng.random() < 0.5)
        if unit.pk == finance_cell.pk and secretary is not None:
            chosen = [(secretary.pk, secretary.birth_date)] + [p for p in chosen if p[0] != secretary.pk]
        for position, (member_id, _birth) in zip(shape, chosen, strict=False):
            if position == P.SECRETARY and unit.pk in no_secretary:
                continue
            seats.append(
                Seat(
                    unit=unit,
                    term=term,
                    member_id=member_id,
                    position=position,
                    method=M.CONGRESS,
                    start_date=term.congress_date,
                )
            )
        if unit.kind == OrgUnit.Kind.GRASSROOTS_COMMITTEE:
            inspection = rng.sample(people, min(3, len(people)))
            for i, (member_id, _birth) in enumerate(inspection):
                position = P.INSPECTION_CHAIR if i == 0 else P.INSPECTION_MEMBER
                seats.append(
                    Seat(
                        unit=unit,
                        term=term,
                        member_id=member_id,
                        position=position,
                        method=M.CONGRESS,
                        start_date=term.congress_date,
                    )
                )
    Seat.objects.bulk_create(seats)
    return units, by_unit, subtree_units


QUARTERS = [(D(2026, 1, 5), D(2026, 3, 28), 7), (D(2026, 4, 2), D(2026, 6, 28), 5), (D(2026, 7, 2), D(2026, 9, 28), 4)]
QUARTERS.append((D(2026, 10, 2), D(2026, 11, 25), 3))
END_REASONS = [Seat.EndReason.RETIRED, Seat.EndReason.TRANSFERRED, Seat.EndReason.RESIGNED]


def build_reinforcements(builder, units, by_unit, subtree_units):
    """19 organizations reinforced in 2026 (7, 5, 4, 3 a quarter): someone leaves and a replacement is
    elected or appointed, or a member is added."""
    rng = builder.rng
    # Organizations with someone besides the secretary on the committee: one may always leave.
    with_seats = set(
        Seat.objects.filter(unit__in=units).exclude(position=P.SECRETARY).values_list("unit_id", flat=True)
    )
    pool = sorted([u for u in units if u.pk in with_seats], key=lambda u: u.path)
    chosen = rng.sample(pool, min(19, len(pool)))
    i = 0
    for start, end, n in QUARTERS:
        for unit in chosen[i : i + n]:
            day = start + datetime.timedelta(days=rng.randint(0, (end - start).days))
            current = list(Seat.objects.filter(unit=unit, end_date__isnull=True).exclude(position=P.SECRETARY))
            on_committee = set(Seat.objects.filter(unit=unit).values_list("member_id", flat=True))
            free = [pk for pk, _b in _candidates(unit, by_unit, subtree_units) if pk not in on_committee]
            decision = f"{rng.randint(120, 480)}-QĐ/ĐUK"
            big = unit.kind not in OrgUnit.CELL_KINDS or len(by_unit.get(unit.pk, [])) >= 9
            position = P.MEMBER if big else P.DEPUTY_SECRETARY
            has_deputy = any(seat.position == P.DEPUTY_SECRETARY for seat in current)
            can_add = free and (big or not has_deputy)
            if current and (rng.random() < 0.6 or not can_add):
                leaving = rng.choice(current)
                services.end_seat(
                    seat=leaving, end_date=day, reason=rng.choice(END_REASONS), decision_no=decision, actor=None
                )
                position, can_add = leaving.position, bool(free)
            if can_add:
                services.add_seat(
                    unit=unit,
                    member=Member.objects.select_related("unit").get(pk=rng.choice(free)),
                    position=position,
                    method=rng.choice([M.APPOINTED, M.ELECTED]),
                    decision_no=decision,
                    start_date=day,
                    actor=None,
                )
        i += n


PROPOSALS = [
    # category, title, text, outcome ("published", "overdue", "assigned", "submitted")
    (
        "staffing",
        "Bố trí cán bộ chuyên trách công tác đảng",
        "Đảng ủy cơ sở chưa có cán bộ chuyên trách; đề nghị Đảng ủy Khối kiến nghị Tỉnh ủy cho phép bố trí "
        "cán bộ kiêm nhiệm hưởng phụ cấp.",
        "published",
    ),
    (
        "funding",
        "Kinh phí hoạt động của chi bộ",
        "Đề nghị hướng dẫn mức chi và nguồn kinh phí bảo đảm hoạt động của chi bộ trực thuộc.",
        "published",
    ),
    (
        "documents",
        "Hướng dẫn thực hiện Quy định 294-QĐ/TW",
        "Đề nghị ban hành hướng dẫn cụ thể về thủ tục chuyển sinh hoạt đảng theo Quy định 294-QĐ/TW.",
        "published",
    ),
    (
        "it",
        "Học tập nghị quyết trực tuyến",
        "Đề nghị áp dụng hình thức trực tuyến để đảng viên học tập, quán triệt nghị quyết, kết luận của Đảng.",
        "published",
    ),
    (
        "organization",
        "Thẩm định tiêu chuẩn chính trị",
        "Đề nghị quan tâm thẩm định, kết luận tiêu chuẩn chính trị kịp thời đối với cán bộ được đề bạt, bổ nhiệm.",
        "published",
    ),
    (
        "it",
        "Đường truyền và thiết bị cho sổ tay đảng viên điện tử",
        "Một số chi bộ chưa có máy tính, đường truyền để cập nhật dữ liệu đảng viên.",
        "published",
    ),
    (
        "study",
        "Tài liệu sinh hoạt chuyên đề",
        "Đề nghị cung cấp tài liệu gợi ý sinh hoạt chuyên đề theo Hướng dẫn 42-HD/BTCTW.",
        "published",
    ),
    (
        "documents",
        "Cơ chế giao việc trong chương trình của tỉnh",
        "Đề nghị Đảng ủy Khối kiến nghị Tỉnh ủy tạo cơ chế giao việc cho cấp ủy cơ sở trong các đề án của tỉnh.",
        "published",
    ),
    (
        "funding",
        "Chế độ phụ cấp cấp ủy viên",
        "Đề nghị hướng dẫn chế độ phụ cấp đối với bí thư, phó bí thư chi bộ trong doanh nghiệp.",
        "overdue",
    ),
    (
        "staffing",
        "Kiện toàn cấp ủy sau sắp xếp tổ chức bộ máy",
        "Sau khi hợp nhất cơ quan, đề nghị hướng dẫn kiện toàn cấp ủy, chỉ định bí thư chi bộ.",
        "overdue",
    ),
    (
        "organization",
        "Phát triển đảng viên trong doanh nghiệp",
        "Đề nghị có giải pháp tạo nguồn phát triển đảng viên trong doanh nghiệp ngoài nhà nước.",
        "assigned",
    ),
    (
        "other",
        "Giao lưu giữa các chi bộ trong cụm",
        "Đề nghị tổ chức giao lưu, trao đổi kinh nghiệm giữa các chi bộ trong cụm thi đua.",
        "submitted",
    ),
]
ANSWER = (
    "Đảng ủy Khối ghi nhận kiến nghị. Ban chuyên môn đã nghiên cứu, hướng dẫn tại văn bản gửi các tổ chức cơ sở "
    "đảng; nội dung vượt thẩm quyền đã được tổng hợp báo cáo Tỉnh ủy."
)


def build_consultation(builder, bloc_user):
    rng = builder.rng
    bloc = builder.bloc
    sessions = []
    for i, cluster in enumerate(builder.clusters):
        sessions.append(
            services.hold_session(
                unit=bloc,
                cluster=cluster,
                title=f"Tham vấn ý kiến bí thư cấp ủy cơ sở – {cluster.name}",
                held_on=D(2026, 9, 21 + (i > 0)),
                place="Hội trường Đảng ủy Khối",
                chaired_by="Đồng chí Bí thư Đảng ủy Khối",
                attendees="Trưởng, phó các ban chuyên trách, tham mưu, giúp việc Đảng ủy Khối",
                summary="Nắm tình hình, tâm tư, nguyện vọng của cấp ủy cơ sở; lắng nghe ý kiến, kiến nghị để "
                "tháo gỡ khó khăn, vướng mắc trong công tác xây dựng Đảng.",
                invited=[],
                actor=bloc_user,
            )
        )
    departments = ["organization", "office", "propaganda", "organization", "inspection"]
    for n, (category, title, text, outcome) in enumerate(PROPOSALS):
        session = sessions[n % len(sessions)]
        invited = list(session.invited.order_by("path"))
        if not invited:
            continue
        unit = rng.choice(invited)
        p = services.submit_proposal(
            unit=unit,
            session=session,
            asker_name=f"Bí thư {unit.name}",
            category=category,
            title=title,
            text=text,
            submitted_on=session.held_on,
            actor=bloc_user,
        )
        if outcome == "submitted":
            continue
        assigned = D(2026, 9, 25)
        due = D(2026, 10, 16) if outcome != "assigned" else D(2026, 12, 11)
        if outcome == "overdue":
            due = D(2026, 11, rng.randint(10, 25))
        services.assign_proposal(
            proposal=p, department=departments[n % len(departments)], day=assigned, due_on=due, actor=bloc_user
        )
        if outcome == "published":
            day = D(2026, 10, rng.randint(5, 20))
            services.answer_proposal(proposal=p, answer=ANSWER, day=day, actor=bloc_user)
            services.publish_answer(proposal=p, day=day + datetime.timedelta(days=2), actor=bloc_user)
    # Online proposals from the demo cell: chibo's is answered, dangvien's awaits.
    chibo = User.objects.filter(username="chibo").first()
    member = User.objects.filter(username="dangvien").first()
    cell = builder.units["finance_cell"]
    if chibo:
        p = services.submit_proposal(
            unit=cell,
            asked_by=chibo,
            category="it",
            title="Tập huấn sử dụng phần mềm Đảng bộ số",
            text="Chi bộ đề nghị tổ chức tập huấn cho cấp ủy viên sử dụng phần mềm quản lý đảng viên.",
            submitted_on=D(2026, 10, 12),
            actor=chibo,
        )
        services.assign_proposal(proposal=p, department="office", day=D(2026, 10, 13), actor=bloc_user)
        services.answer_proposal(
            proposal=p,
            answer="Văn phòng Đảng ủy Khối tổ chức tập huấn trực tuyến ngày 05/11/2026 cho các chi bộ.",
            day=D(2026, 10, 20),
            actor=bloc_user,
        )
        services.publish_answer(proposal=p, day=D(2026, 10, 21), actor=bloc_user)
    if member:
        services.submit_proposal(
            unit=cell,
            asked_by=member,
            category="study",
            title="Tài liệu học tập nghị quyết trên điện thoại",
            text="Đề nghị đưa tài liệu học tập nghị quyết lên ứng dụng để đảng viên đọc trên điện thoại.",
            submitted_on=D(2026, 11, 20),
            actor=member,
        )


MODELS = [
    (
        "finance",
        "Sổ tay chi bộ điện tử",
        "digital",
        "Chi bộ dùng sổ tay điện tử để chuẩn bị nội dung, ghi biên bản và theo dõi nghị quyết sinh hoạt chi bộ.",
        "100 % cấp ủy viên sử dụng; biên bản được lưu và tra cứu nhanh.",
        True,
    ),
    (
        "Sở Y tế",
        "Mỗi tháng một chuyên đề gắn với nhiệm vụ chuyên môn",
        "cell_meetings",
        "Sinh hoạt chuyên đề hằng tháng gắn với nhiệm vụ chính trị của cơ quan, do đảng viên trẻ chuẩn bị.",
        "Chất lượng sinh hoạt chi bộ nâng lên; tỷ lệ đảng viên phát biểu tăng.",
        True,
    ),
    (
        "Ban Dân vận Tỉnh ủy",
        "Dân vận khéo trong cơ quan",
        "mass",
        "Đảng viên nhận đỡ đầu hộ khó khăn ở khu dân cư nơi cư trú.",
        "42 hộ được hỗ trợ thoát nghèo.",
        True,
    ),
    (
        "Sở Tư pháp",
        "Học tập nghị quyết theo nhóm nhỏ trực tuyến",
        "study",
        "Chia chi bộ thành nhóm nhỏ, trao đổi nghị quyết qua họp trực tuyến và bài thu hoạch ngắn.",
        "",
        True,
    ),
    (
        "finance",
        "Cấp ủy viên phụ trách tổ công tác",
        "party_building",
        "Mỗi cấp ủy viên phụ trách một tổ công tác, nắm tư tưởng đảng viên hằng tháng.",
        "",
        False,
    ),
]


def build_models(builder, bloc_user):
    staff = User.objects.filter(username="coso").first()
    for key, title, field, summary, results, publish in MODELS:
        unit = builder.units.get(key)
        if unit is None:
            continue
        m = services.submit_model(
            unit=unit,
            title=title,
            field=field,
            summary=summary,
            results=results,
            day=D(2026, 6, 10),
            actor=staff if key == "finance" else None,
        )
        if publish:
            services.review_model(model=m, approve=True, day=D(2026, 6, 20), actor=bloc_user)


def build_appraisals(builder, bloc_user):
    finance = builder.units["finance"]
    people = list(
        Member.objects.in_subtree(finance).filter(status=Member.Status.OFFICIAL, user__isnull=True).order_by("pk")[:3]
    )
    plans = [
        ("appointment", "Phó Giám đốc Sở", "meets"),
        ("promotion", "Trưởng phòng Ngân sách", "pending"),
        ("planning", "Quy hoạch Ban Thường vụ Đảng ủy cơ sở", "pending"),
    ]
    for member, (purpose, position, outcome) in zip(people, plans, strict=False):
        a = services.request_appraisal(
            unit=finance,
            member=member,
            subject_name="",
            purpose=purpose,
            proposed_position=position,
            scope="Lịch sử chính trị, quan hệ gia đình, chấp hành chủ trương của Đảng, chính sách của Nhà nước",
            secrecy=Appraisal.Secrecy.CONFIDENTIAL,
            requested_on=D(2026, 10, 5),
            request_no="245-CV/ĐU",
            actor=bloc_user,
        )
        if outcome == "meets":
            services.conclude_appraisal(
                appraisal=a,
                conclusion=outcome,
                conclusion_text="Qua thẩm định, đồng chí bảo đảm tiêu chuẩn chính trị theo Quy định 58-QĐ/TW.",
                conclusion_no="112-KL/ĐUK",
                concluded_on=D(2026, 10, 28),
                actor=bloc_user,
            )


def build(builder):
    if not getattr(builder, "bloc", None):
        return
    units, by_unit, subtree_units = build_committees(builder)
    build_reinforcements(builder, units, by_unit, subtree_units)
    bloc_user = User.objects.filter(username="khoi").first()
    if getattr(builder, "clusters", None):
        build_consultation(builder, bloc_user)
    build_models(builder, bloc_user)
    build_appraisals(builder, bloc_user)


def counts():
    """For the demo test: what the demo holds."""
    return {
        "terms": Term.objects.count(),
        "proposals": Proposal.objects.count(),
        "published": Proposal.objects.filter(state=Proposal.State.PUBLISHED).count(),
        "overdue": Proposal.objects.filter(services.overdue_q(D(2026, 12, 1))).count(),
        "models": GoodModel.objects.filter(state=GoodModel.State.PUBLISHED).count(),
        "reinforced": len(services.reinforced_units(OrgUnit.objects.all(), D(2026, 1, 1), D(2026, 12, 31))),
        "secretaries": Seat.objects.filter(Q(end_date__isnull=True), position=P.SECRETARY).count(),
    }
