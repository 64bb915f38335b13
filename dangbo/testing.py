"""The named test cast: one small tree and one user per role, shared by every app's tests.

    bloc  Đảng bộ Khối Thử nghiệm                       ← bloc (bloc office), inspector (inspection)
    ├── gr_a  Đảng bộ Sở Tài chính (grassroots committee) ← staff_a
    │   ├── cell_a1  Chi bộ Phòng Ngân sách               ← secretary_a1, member_a1 (a member login)
    │   └── cell_a2  Chi bộ Phòng Tin học
    ├── gr_b  Đảng bộ Sở Y tế (grassroots committee)      ← staff_b
    │   └── cell_b1  Chi bộ Văn phòng Sở
    └── cell_c  Chi bộ Ban Dân vận (grassroots cell)

Every user's password is ``PASSWORD``.
"""

import datetime
from dataclasses import dataclass

from dangbo.accounts.models import Role, RoleAssignment, User
from dangbo.members.models import Member
from dangbo.org.models import Cluster, OrgUnit

PASSWORD = "Thu-nghiem-2026"
FOUNDED = datetime.date(2010, 1, 1)
K = OrgUnit.Kind


def make_unit(name, kind, parent=None, *, sector="", cluster=None, valid_from=FOUNDED):
    """Create a unit through the org service (path, first history row, audit), for fixtures and the demo."""
    from dangbo.org.services import create_unit

    return create_unit(
        parent=parent, name=name, kind=kind, sector=sector, cluster=cluster, valid_from=valid_from, actor=None
    )


def make_user(username, role=None, unit=None, *, full_name=""):
    first, _, last = full_name.rpartition(" ")
    user = User.objects.create_user(username=username, password=PASSWORD, first_name=last, last_name=first)
    if role:
        RoleAssignment.objects.create(user=user, unit=unit, role=role)
    return user


def make_member(name, unit, *, sex=Member.Sex.MALE, status=Member.Status.OFFICIAL, user=None, **extra):
    member = Member(unit=unit, sex=sex, status=status, user=user, **extra)
    member.set_name(name)
    member.save()
    return member


@dataclass
class Cast:
    bloc: OrgUnit
    gr_a: OrgUnit
    cell_a1: OrgUnit
    cell_a2: OrgUnit
    gr_b: OrgUnit
    cell_b1: OrgUnit
    cell_c: OrgUnit
    cluster: Cluster
    bloc_user: User
    inspector: User
    staff_a: User
    secretary_a1: User
    member_a1: User
    staff_b: User
    m_a1: Member
    m_a1_other: Member
    m_a2: Member
    m_b1: Member
    m_c: Member

    @property
    def users(self):
        """Every cast user by name, for matrix tests."""
        return {
            "bloc": self.bloc_user,
            "inspector": self.inspector,
            "staff_a": self.staff_a,
            "secretary_a1": self.secretary_a1,
            "member_a1": self.member_a1,
            "staff_b": self.staff_b,
        }


def build_cast():
    cluster = Cluster.objects.create(name="Cụm 1")
    bloc = make_unit("Đảng bộ Khối Thử nghiệm", K.BLOC)
    gr_a = make_unit("Đảng bộ Sở Tài chính", K.GRASSROOTS_COMMITTEE, bloc, sector="state_agency", cluster=cluster)
    cell_a1 = make_unit("Chi bộ Phòng Ngân sách", K.SUBORDINATE_CELL, gr_a)
    cell_a2 = make_unit("Chi bộ Phòng Tin học", K.SUBORDINATE_CELL, gr_a)
    gr_b = make_unit("Đảng bộ Sở Y tế", K.GRASSROOTS_COMMITTEE, bloc, sector="state_agency")
    cell_b1 = make_unit("Chi bộ Văn phòng Sở", K.SUBORDINATE_CELL, gr_b)
    cell_c = make_unit("Chi bộ Ban Dân vận", K.GRASSROOTS_CELL, bloc, sector="party_agency", cluster=cluster)

    member_a1 = make_user("member_a1", Role.MEMBER, cell_a1, full_name="Lê Thị Hoa")
    return Cast(
        bloc=bloc,
        gr_a=gr_a,
        cell_a1=cell_a1,
        cell_a2=cell_a2,
        gr_b=gr_b,
        cell_b1=cell_b1,
        cell_c=cell_c,
        cluster=cluster,
        bloc_user=make_user("bloc", Role.BLOC_OFFICE, bloc, full_name="Nguyễn Văn Khối"),
        inspector=make_user("inspector", Role.INSPECTION, bloc, full_name="Trần Văn Kiểm"),
        staff_a=make_user("staff_a", Role.GRASSROOTS_STAFF, gr_a, full_name="Phạm Thị An"),
        secretary_a1=make_user("secretary_a1", Role.CELL_SECRETARY, cell_a1, full_name="Hoàng Văn Bình"),
        member_a1=member_a1,
        staff_b=make_user("staff_b", Role.GRASSROOTS_STAFF, gr_b, full_name="Vũ Văn Bảo"),
        m_a1=make_member("Lê Thị Hoa", cell_a1, sex=Member.Sex.FEMALE, user=member_a1),
        m_a1_other=make_member("Đặng Văn Đức", cell_a1),
        m_a2=make_member("Ngô Thị Lan", cell_a2, sex=Member.Sex.FEMALE, status=Member.Status.PROBATIONARY),
        m_b1=make_member("Bùi Văn Minh", cell_b1),
        m_c=make_member("Đỗ Thị Mai", cell_c, sex=Member.Sex.FEMALE),
    )


@dataclass
class Case:
    """One row of the access matrix (see tests/test_access_matrix.py).

    ``url_name``: namespaced URL name. ``kwargs``: ``lambda cast: {...}`` for the URL.
    ``allowed``: cast user names that may open it; every other cast user must get 404.
    ``method``: "get" or "post" (POST-only views: disallowed users get 404 and nothing changes).
    ``data``: ``lambda cast: {...}`` POST body for allowed users (defaults to empty).
    ``writes``: for a POST, whether an allowed user's request changes the database (the write
    matrix, tests/test_write_matrix.py, posts the same body as every cast user and checks it).
    """

    url_name: str
    allowed: frozenset
    kwargs: object = None
    method: str = "get"
    data: object = None
    query: str = ""
    writes: bool = True
    # POST: users who may open the form but for whom the posted object (an id chosen in a search select) is
    # out of reach: they get the form back with an error on the field (200) and nothing is written.
    form_error: frozenset = frozenset()

    def __post_init__(self):
        self.allowed = frozenset(self.allowed)
        self.form_error = frozenset(self.form_error)


EVERYONE = frozenset({"bloc", "inspector", "staff_a", "secretary_a1", "member_a1", "staff_b"})
STAFF = EVERYONE - {"member_a1"}


def seed_all_rules():
    """Seed the rule registry again as the migrations did, when a transactional test flushed it (every table,
    the rules included). Every migration that seeds rules offers ``seed_rules(apps, schema_editor)``; those
    that read what the others seeded offer ``seed_rules_late`` and run after them."""
    import importlib
    from pathlib import Path

    from django.apps import apps

    from dangbo.rules.models import Rule

    if Rule.objects.exists():
        return
    late = []
    for config in apps.get_app_configs():
        if not config.name.startswith("dangbo."):
            continue
        for file in sorted((Path(config.path) / "migrations").glob("0*.py")):
            module = importlib.import_module(f"{config.name}.migrations.{file.stem}")
            if hasattr(module, "seed_rules"):
                module.seed_rules(apps, None)
            if hasattr(module, "seed_rules_late"):
                late.append(module.seed_rules_late)
    for seed in late:
        seed(apps, None)


RAW_KEY = __import__("re").compile(r"(?<![\w@./:-])[a-z_]+(?:\.[a-z_]+)+(?![\w@/-])")


def raw_keys(html):
    """Dotted internal keys (``meetings.regular_held``) in the visible text of ``html`` — not in tags'
    attributes, scripts or styles, and not in URLs or e-mail addresses. A page for people shows none."""
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.parts, self.skip = [], 0

        def handle_starttag(self, tag, attrs):
            if tag in ("script", "style"):
                self.skip += 1

        def handle_endtag(self, tag):
            if tag in ("script", "style") and self.skip:
                self.skip -= 1

        def handle_data(self, data):
            if not self.skip:
                self.parts.append(data)

    parser = Text()
    parser.feed(html if isinstance(html, str) else html.decode())
    found = []
    for text in parser.parts:
        for m in RAW_KEY.finditer(text):
            word = m.group(0)
            if "www." in word or word.endswith((".vn", ".com", ".org", ".net", ".html", ".py")):
                continue
            found.append(word)
    return found
