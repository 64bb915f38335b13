"""Builds the demo: a bloc like the first seed's (92 grassroots organizations,
about 7,200 members in 3 clusters) with the 2025 restructuring in its history.

Deterministic for a given seed. Rows are written in bulk; the history follows
OrgUnitVersion's rules (a change closes the current version and opens the next).
"""

import datetime
import random

from django.db import transaction
from django.db.models import Max

from dangbo.accounts.models import Role, RoleAssignment, User
from dangbo.core import places
from dangbo.demo import names
from dangbo.members.intervals import rebuild_intervals
from dangbo.members.models import Member, MemberEvent
from dangbo.org import services as org_services
from dangbo.org.models import Cluster, OrgUnit
from dangbo.testing import make_unit

K = OrgUnit.Kind
S = OrgUnit.Sector
PASSWORD = "Demo@2026"
BLOC_NAME = "Đảng bộ Khối các cơ quan tỉnh"
FOUNDED = datetime.date(2010, 1, 1)
RESTRUCTURE_DAY = datetime.date(2025, 3, 1)  # Resolution 18 mergers took effect around 1/3/2025
CARD_PREFIX = "48"

# Committees merged in the 2025 streamlining: source → (target, renamed target or None).
MERGERS = [
    ("Sở Kế hoạch và Đầu tư", "Sở Tài chính", None),
    ("Sở Giao thông vận tải", "Sở Xây dựng", None),
    ("Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ", None),
    ("Sở Lao động – Thương binh và Xã hội", "Sở Nội vụ", None),
    ("Sở Tài nguyên và Môi trường", "Sở Nông nghiệp và Môi trường", "Sở Nông nghiệp và Phát triển nông thôn"),
]

# The merged departments are committees with cells of their own, so their cells move with them.
FORCED_COMMITTEES = {"Sở Y tế", *(name for merger in MERGERS for name in merger[:2])}

MEMBER_LOGINS = 20  # dv01 … dv20: members of the demo committee's other cells

OCCUPATIONS = {
    S.PARTY_AGENCY: "Công chức",
    S.STATE_AGENCY: "Công chức",
    S.MASS_ORGANIZATION: "Công chức",
    S.PUBLIC_SERVICE: "Viên chức",
    S.ENTERPRISE: "Người lao động",
}
ENDING_NOTES = {
    MemberEvent.Kind.TRANSFERRED_OUT: "Chuyển sinh hoạt đảng chính thức đến Đảng bộ tỉnh %s",
    MemberEvent.Kind.DECEASED: "Từ trần",
    MemberEvent.Kind.REMOVED: "Xóa tên: bỏ sinh hoạt đảng 3 tháng trong năm không có lý do chính đáng",
    MemberEvent.Kind.EXPELLED: "Khai trừ ra khỏi Đảng",
}

DEMO_USERS = [
    # username, full name, role, unit key
    ("khoi", "Nguyễn Thị Thanh Hương", Role.BLOC_OFFICE, "bloc"),
    ("ubkt", "Trần Văn Kiên", Role.INSPECTION, "bloc"),
    ("coso", "Lê Minh Tuấn", Role.GRASSROOTS_STAFF, "finance"),
    ("chibo", "Phạm Thị Lan", Role.CELL_SECRETARY, "finance_cell"),
    ("dangvien", "Hoàng Văn Nam", Role.MEMBER, "finance_cell"),
]


def _pick(rng, weighted):
    return rng.choices([v for v, _w in weighted], [w for _v, w in weighted])[0]


class DemoBuilder:
    def __init__(self, *, members=7200, seed=2026, stdout=None):
        self.total_members = members
        self.rng = random.Random(seed)
        self.say = stdout or (lambda s: None)
        self.cells = []  # units that hold members, with a size weight
        self.units = {}

    # ---- tree -------------------------------------------------------------
    @property
    def role_logins(self):
        """The README's demo logins (khoi … dangvien): the apps' demos leave their members where they are."""
        return [username for username, *_ in DEMO_USERS]

    def build_tree(self):
        rng = self.rng
        self.clusters = [
            Cluster.objects.create(name="Cụm 1 – Khối Đảng, đoàn thể", note="Cơ quan Đảng, Mặt trận và đoàn thể"),
            Cluster.objects.create(name="Cụm 2 – Khối Nhà nước", note="Sở, ban, ngành và cơ quan Trung ương"),
            Cluster.objects.create(name="Cụm 3 – Khối sự nghiệp, doanh nghiệp", note="Đơn vị sự nghiệp, doanh nghiệp"),
        ]
        self.bloc = make_unit(BLOC_NAME, K.BLOC, valid_from=datetime.date(2008, 6, 1))
        self.units["bloc"] = self.bloc
        groups = [
            (names.PARTY_MASS, S.PARTY_AGENCY, 0, 0.3),
            (names.STATE_AGENCIES, S.STATE_AGENCY, 1, 0.75),
            (names.PUBLIC_SERVICE, S.PUBLIC_SERVICE, 2, 0.5),
            (names.ENTERPRISES, S.ENTERPRISE, 2, 0.45),
        ]
        renamed_before = {target: old for _src, target, old in MERGERS if old}
        for agency_names, sector, cluster_idx, committee_share in groups:
            for agency in agency_names:
                if agency == "Ban Tuyên giáo và Dân vận Tỉnh ủy":
                    agency = "Ban Tuyên giáo Tỉnh ủy"  # renamed in 2025, see restructure()
                name_then = renamed_before.get(agency, agency)
                if sector == S.PARTY_AGENCY and agency.startswith("Ủy ban MTTQ"):
                    sector_here = S.MASS_ORGANIZATION
                else:
                    sector_here = sector
                big = rng.random() < committee_share or agency in FORCED_COMMITTEES
                kind = K.GRASSROOTS_COMMITTEE if big else K.GRASSROOTS_CELL
                prefix = "Đảng bộ" if big else "Chi bộ"
                unit = make_unit(
                    f"{prefix} {name_then}",
                    kind,
                    self.bloc,
                    sector=sector_here,
                    cluster=self.clusters[cluster_idx],
                    valid_from=FOUNDED,
                )
                self.units[agency] = unit
                if big:
                    self._build_cells(unit, agency)
                else:
                    self.cells.append((unit, rng.uniform(12, 35)))
                    if rng.random() < 0.08:
                        make_unit(f"Tổ đảng {rng.choice(['Văn phòng', 'Chuyên môn'])}", K.PARTY_GROUP, unit)
        # Ban Dân vận Tỉnh ủy existed as its own grassroots cell until the 2025 merger.
        self.units["Ban Dân vận Tỉnh ủy"] = make_unit(
            "Chi bộ Ban Dân vận Tỉnh ủy", K.GRASSROOTS_CELL, self.bloc, sector=S.PARTY_AGENCY, cluster=self.clusters[0]
        )
        self.cells.append((self.units["Ban Dân vận Tỉnh ủy"], 15))
        fin = self.units["Sở Tài chính"]
        self.units["finance"] = fin
        self.units["finance_cell"] = fin.children.order_by("pk").first()

    def _build_cells(self, committee, agency):
        rng = self.rng
        short = agency.replace("Sở ", "").replace("Bệnh viện ", "Khoa ")
        cell_names = list(names.DEPARTMENT_CELLS[: rng.randint(3, 5)])
        if agency.startswith("Bệnh viện"):
            cell_names = ["Văn phòng", "Khối Nội", "Khối Ngoại", "Khối Cận lâm sàng", "Phòng Điều dưỡng"]
        elif agency.startswith("Trường"):
            cell_names = ["Văn phòng", "Khoa Lý luận chính trị", "Khoa Kinh tế", "Khoa Kỹ thuật", "Sinh viên"]
        for cname in cell_names:
            cell = make_unit(f"Chi bộ {cname}", K.SUBORDINATE_CELL, committee, sector=committee.sector)
            self.cells.append((cell, rng.uniform(6, 30)))
        if rng.random() < 0.15:
            sub = make_unit(f"Đảng bộ bộ phận {short}", K.SUB_COMMITTEE, committee, sector=committee.sector)
            for i in range(rng.randint(2, 3)):
                cell = make_unit(f"Chi bộ Tổ công tác {i + 1}", K.SUBORDINATE_CELL, sub, sector=committee.sector)
                self.cells.append((cell, rng.uniform(5, 15)))
        # Cells founded recently (the seeds report new cells).
        if rng.random() < 0.12:
            day = datetime.date(rng.choice([2023, 2024]), rng.randint(1, 12), rng.randint(1, 28))
            cell = make_unit(
                "Chi bộ Chuyển đổi số", K.SUBORDINATE_CELL, committee, sector=committee.sector, valid_from=day
            )
            self.cells.append((cell, rng.uniform(4, 9)))

    # ---- members ----------------------------------------------------------
    def _name(self, sex):
        rng = self.rng
        family = rng.choices([f for f, _w in names.FAMILY_NAMES], [w for _f, w in names.FAMILY_NAMES])[0]
        if sex == Member.Sex.MALE:
            middle, given = rng.choice(names.MIDDLE_MALE), rng.choice(names.GIVEN_MALE)
        else:
            middle, given = rng.choice(names.MIDDLE_FEMALE), rng.choice(names.GIVEN_FEMALE)
        return f"{family} {middle} {given}"

    def build_members(self):
        rng = self.rng
        today = datetime.date(2026, 11, 1)
        weights = [w for _c, w in self.cells]
        total_w = sum(weights)
        # A cell needs at least 3 official members (DOMAIN.md §1) when the total allows it.
        floor = 3 if self.total_members >= 3 * len(self.cells) else 1
        plan = [(cell, max(floor, round(self.total_members * w / total_w))) for cell, w in self.cells]
        # Trim or pad the largest cells until the total is exact.
        plan.sort(key=lambda x: -x[1])
        diff = self.total_members - sum(n for _c, n in plan)
        while diff:
            step = 1 if diff > 0 else -1
            changed = False
            for i, (cell, n) in enumerate(plan):
                if diff and n + step >= floor:
                    plan[i] = (cell, n + step)
                    diff -= step
                    changed = True
            if not changed:
                break
        members = []
        card_no = rng.randint(100000, 300000)
        home = {name: code for code, name in places.provinces()}
        home_code = next(code for name, code in home.items() if name.endswith(names.PROVINCES[0]))
        home_wards = [code for code, _name in places.wards(home_code)]
        for cell, n in plan:
            for _ in range(n):
                sex = Member.Sex.MALE if rng.random() < 0.55 else Member.Sex.FEMALE
                birth = datetime.date(rng.randint(1965, 2002), rng.randint(1, 12), rng.randint(1, 28))
                earliest = max(datetime.date(birth.year + 18, birth.month, birth.day), cell.valid_from)
                roll = rng.random()
                if roll < 0.04:
                    status = Member.Status.PROBATIONARY
                    admitted = today - datetime.timedelta(days=rng.randint(20, 360))
                    admitted = max(admitted, earliest)
                else:
                    status = Member.Status.EXEMPTED if (roll > 0.985 and birth.year < 1970) else Member.Status.OFFICIAL
                    span = max(1, (today - datetime.timedelta(days=400) - earliest).days)
                    admitted = earliest + datetime.timedelta(days=rng.randint(0, span))
                m = Member(
                    unit=cell,
                    sex=sex,
                    birth_date=birth,
                    status=status,
                    admission_date=admitted,
                    position=rng.choice(names.POSITIONS),
                    national_id=f"087{birth.year % 100:02d}{len(members):07d}",
                    hometown=rng.choices(names.PROVINCES, weights=[40] + [4] * (len(names.PROVINCES) - 1))[0],
                    ethnicity=_pick(rng, names.ETHNICITIES),
                    religion=_pick(rng, names.RELIGIONS),
                    general_education="12/12",
                    qualification=_pick(rng, names.QUALIFICATIONS),
                    theory_level=_pick(rng, names.THEORY_LEVELS),
                    occupation=OCCUPATIONS.get(cell.sector, "Công chức"),
                    residence_province=home_code,
                    residence_ward=rng.choice(home_wards),
                    residence_address=f"Số {rng.randint(1, 250)}, {rng.choice(names.STREETS)}",
                )
                m.birth_place = m.hometown
                m.set_name(self._name(sex))
                if status != Member.Status.PROBATIONARY:
                    m.official_date = admitted + datetime.timedelta(days=365)
                    card_no += rng.randint(1, 40)
                    m.card_number = f"{CARD_PREFIX}.{card_no:06d}"
                members.append(m)
        Member.objects.bulk_create(members, batch_size=2000)
        created = list(Member.objects.order_by("pk"))
        events = []
        for m in created:
            events.append(
                MemberEvent(
                    member=m,
                    kind=MemberEvent.Kind.ADMITTED,
                    date=m.admission_date,
                    to_unit_id=m.unit_id,
                    status_after=Member.Status.PROBATIONARY,
                    decision_no=f"{rng.randint(10, 999)}-QĐ/ĐU",
                )
            )
            if m.official_date:
                events.append(
                    MemberEvent(
                        member=m,
                        kind=MemberEvent.Kind.MADE_OFFICIAL,
                        date=m.official_date,
                        to_unit_id=m.unit_id,
                        status_after=Member.Status.OFFICIAL,
                        decision_no=f"{rng.randint(10, 999)}-QĐ/ĐU",
                    )
                )
            if m.status == Member.Status.EXEMPTED:
                events.append(
                    MemberEvent(
                        member=m,
                        kind=MemberEvent.Kind.EXEMPTED,
                        date=datetime.date(2024, 1, 15),
                        to_unit_id=m.unit_id,
                        status_after=Member.Status.EXEMPTED,
                        note="Tuổi cao, sức khỏe yếu",
                    )
                )
        MemberEvent.objects.bulk_create(events, batch_size=5000)
        return len(created)

    # ---- histories: transfers, deaths, removals ------------------------------
    def build_histories(self, extra):
        """Move some members between cells, and take ``extra`` members off the books (transferred out of
        the bloc, deceased, removed, expelled), each with its event, so that the demo's registry has the
        histories a real one has while the members on the books stay at the requested number."""
        rng = self.rng
        today = datetime.date(2026, 11, 1)
        officials = list(
            Member.objects.filter(status=Member.Status.OFFICIAL, official_date__lt=datetime.date(2025, 1, 1))
            .annotate(last_event=Max("events__date"))
            .select_related("unit")
            .order_by("pk")
        )
        rng.shuffle(officials)
        gone, officials = officials[:extra], officials[extra:]
        # After the 2025 mergers: only the cells that still exist receive members.
        cells = list(OrgUnit.objects.filter(pk__in=[c.pk for c, _w in self.cells], valid_to__isnull=True))
        events, moved = [], []
        # About 3 % moved to another cell of the bloc (chuyển sinh hoạt đảng trong Đảng bộ Khối).
        for m in officials[: max(1, len(officials) * 3 // 100)]:
            to = rng.choice(cells)
            start = max(m.last_event, m.unit.valid_from, to.valid_from) + datetime.timedelta(days=30)
            if to.pk == m.unit_id or start >= today:
                continue
            day = start + datetime.timedelta(days=rng.randint(0, (today - start).days))
            events.append(
                MemberEvent(
                    member=m,
                    kind=MemberEvent.Kind.TRANSFERRED_IN,
                    date=day,
                    from_unit_id=m.unit_id,
                    to_unit=to,
                    status_after=m.status,
                    decision_no=f"{rng.randint(10, 400)}-GGT/ĐUK",
                    note="Chuyển sinh hoạt đảng chính thức trong Đảng bộ Khối",
                )
            )
            m.unit = to
            moved.append(m)
        Member.objects.bulk_update(moved, ["unit"], batch_size=1000)
        endings = [
            (MemberEvent.Kind.TRANSFERRED_OUT, Member.Status.TRANSFERRED_OUT, 60),
            (MemberEvent.Kind.DECEASED, Member.Status.DECEASED, 25),
            (MemberEvent.Kind.REMOVED, Member.Status.REMOVED, 12),
            (MemberEvent.Kind.EXPELLED, Member.Status.EXPELLED, 3),
        ]
        for m in gone:
            kind, status = _pick(rng, [((k, st), w) for k, st, w in endings])
            start = max(m.last_event, datetime.date(2019, 1, 1))
            day = start + datetime.timedelta(days=rng.randint(30, max(31, (today - start).days)))
            day = min(day, today)
            note, decision = ENDING_NOTES[kind], f"{rng.randint(10, 400)}-QĐ/ĐUK"
            if kind == MemberEvent.Kind.TRANSFERRED_OUT:
                note = note % rng.choice(names.PROVINCES[1:])
                decision = f"{rng.randint(10, 400)}-GGT/ĐUK"
            elif kind == MemberEvent.Kind.DECEASED:
                decision = ""
            events.append(
                MemberEvent(
                    member=m,
                    kind=kind,
                    date=day,
                    from_unit_id=m.unit_id if kind == MemberEvent.Kind.TRANSFERRED_OUT else None,
                    status_after=status,
                    decision_no=decision,
                    note=note,
                )
            )
            m.status = status
        Member.objects.bulk_update(gone, ["status"], batch_size=1000)
        MemberEvent.objects.bulk_create(events, batch_size=5000)
        return len(moved), len(gone)

    # ---- the 2025 restructuring -----------------------------------------
    def restructure(self):
        """The 2025 streamlining, through the same services the restructuring pages use."""
        day = RESTRUCTURE_DAY
        for source_name, target_name, old_target_name in MERGERS:
            source, target = self.units[source_name], self.units[target_name]
            decision = "Quyết định số 215-QĐ/ĐUK"
            if old_target_name:
                org_services.rename_unit(
                    unit=target,
                    name=target.name.replace(old_target_name, target_name),
                    date=day,
                    decision_no=decision,
                    actor=None,
                )
            org_services.merge_units(sources=[source], target=target, date=day, decision_no=decision, actor=None)
        # Ban Tuyên giáo + Ban Dân vận → Ban Tuyên giáo và Dân vận Tỉnh ủy.
        prop = self.units["Ban Tuyên giáo Tỉnh ủy"]
        decision = "Quyết định số 210-QĐ/ĐUK"
        org_services.rename_unit(
            unit=prop,
            name=prop.name.replace("Ban Tuyên giáo Tỉnh ủy", "Ban Tuyên giáo và Dân vận Tỉnh ủy"),
            date=day,
            decision_no=decision,
            actor=None,
        )
        org_services.merge_units(
            sources=[self.units["Ban Dân vận Tỉnh ủy"]], target=prop, date=day, decision_no=decision, actor=None
        )

    def move_a_cell(self):
        """2024: one cell of a sub-committee is put directly under its grassroots committee."""
        sub = OrgUnit.objects.filter(kind=K.SUB_COMMITTEE, valid_to__isnull=True).order_by("pk").first()
        if sub is None:
            return None
        cell = sub.children.filter(kind=K.SUBORDINATE_CELL).order_by("-pk").first()
        return org_services.move_unit(
            unit=cell,
            new_parent=sub.parent,
            date=datetime.date(2024, 7, 1),
            decision_no="Quyết định số 98-QĐ/ĐU",
            actor=None,
        )

    # ---- logins -------------------------------------------------------------
    def build_users(self):
        for username, full_name, role, unit_key in DEMO_USERS:
            family, _, given = full_name.rpartition(" ")
            user = User.objects.create_user(
                username=username,
                password=PASSWORD,
                first_name=given,
                last_name=family,
                email=f"{username}@example.org",
            )
            unit = self.units[unit_key]
            RoleAssignment.objects.create(user=user, unit=unit, role=role)
            if role == Role.MEMBER:
                member = Member.objects.filter(unit=unit, user__isnull=True, status=Member.Status.OFFICIAL).first()
                member.set_name(full_name)
                member.user = user
                member.sex = Member.Sex.MALE
                member.save()

    def build_member_logins(self, count=MEMBER_LOGINS):
        """Logins for some members (dv01 …), first in the demo committee's other cells; one password hash."""
        from django.contrib.auth.hashers import make_password

        finance = self.units["finance"]
        free = Member.objects.current().filter(user__isnull=True).exclude(unit=self.units["finance_cell"])
        members = list(free.in_subtree(finance).order_by("unit__path", "sort_name")[:count])
        if len(members) < count:  # a small demo: take the rest from other committees
            others = free.exclude(unit__path__startswith=finance.path).order_by("unit__path", "sort_name")
            members += list(others[: count - len(members)])
        hashed = make_password(PASSWORD)
        users = []
        for i, m in enumerate(members, 1):
            family, _, given = m.full_name.rpartition(" ")
            users.append(
                User(
                    username=f"dv{i:02d}",
                    password=hashed,
                    first_name=given,
                    last_name=family,
                    email=f"dv{i:02d}@example.org",
                )
            )
        User.objects.bulk_create(users)
        users = {u.username: u for u in User.objects.filter(username__in=[u.username for u in users])}
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(user=users[f"dv{i:02d}"], unit=m.unit, role=Role.MEMBER) for i, m in enumerate(members, 1)]
        )
        for i, m in enumerate(members, 1):
            m.user = users[f"dv{i:02d}"]
        Member.objects.bulk_update(members, ["user"])
        return len(members)

    def build_app_demos(self):
        """Each app may add its own demo data: ``dangbo/<app>/demo.py`` with ``build(builder)`` (the
        builder's ``rng``, ``units`` and ``bloc`` are theirs to use), in INSTALLED_APPS order. Runs before
        the intervals are rebuilt, so member events written there count."""
        from dangbo.core.plugins import app_modules

        for module in app_modules("demo"):
            module.build(self)

    def local_rule_override(self):
        """Seed 001 (2019): cells under 9 members meet at least 60 minutes — a bloc override."""
        try:
            from dangbo.rules.models import Rule
            from dangbo.rules.services import add_rule_version
        except ImportError:
            return "Chưa có dịch vụ quy định: không thêm quy định địa phương."
        rule = Rule.objects.filter(key="meeting.min_minutes.small_cell").first()
        if rule is None:
            return "Chưa có quy định meeting.min_minutes.small_cell: không thêm quy định địa phương."
        add_rule_version(
            rule=rule,
            value=60,
            legal_basis=(
                "Quy định của Ban Thường vụ Đảng ủy Khối (2019): chi bộ dưới 9 đảng viên sinh hoạt ít nhất 60 phút"
            ),
            effective_from=datetime.date(2019, 1, 1),
            scope_unit=self.bloc,
            verified=False,
            note="Ví dụ quy định địa phương từ bài viết nguồn 001",
            actor=None,
        )
        return "Quy định địa phương: chi bộ dưới 9 đảng viên sinh hoạt ít nhất 60 phút (từ 01/01/2019)."

    @transaction.atomic
    def build(self):
        self.build_tree()
        extra = self.total_members * 2 // 100  # members who left over the years (off the books now)
        self.total_members += extra
        self.build_members()
        self.total_members -= extra
        self.restructure()
        self.move_a_cell()
        self.build_histories(extra)
        self.build_users()
        self.build_member_logins()
        override = self.local_rule_override()  # before the apps' demos: their meetings are judged by it
        self.build_app_demos()
        rebuild_intervals()
        return override


def summary():
    bloc = OrgUnit.objects.filter(kind=K.BLOC).first()
    if bloc is None:
        return ""
    units = OrgUnit.objects.active().in_subtree(bloc)
    grassroots = units.filter(kind__in=OrgUnit.GRASSROOTS_KINDS).count()
    cells = units.filter(kind__in=OrgUnit.CELL_KINDS).count()
    members = Member.objects.current().in_subtree(bloc).count()
    members_vi = f"{members:,}".replace(",", ".")
    return f"{bloc.name}: {grassroots} tổ chức cơ sở đảng, {cells} chi bộ, {members_vi} đảng viên"
