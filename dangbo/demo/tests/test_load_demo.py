import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from dangbo.accounts.models import Role, User
from dangbo.members.models import Member, MemberEvent
from dangbo.org.access import units_visible_to
from dangbo.org.models import Cluster, OrgUnit, OrgUnitVersion


def load(members=600):
    out = StringIO()
    call_command("load_demo", members=members, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_tree_looks_like_the_first_seed():
    out = load()
    assert "92 tổ chức cơ sở đảng" in out
    active = OrgUnit.objects.active()
    assert active.filter(kind__in=OrgUnit.GRASSROOTS_KINDS).count() == 92
    assert Cluster.objects.count() == 3
    assert active.filter(kind=OrgUnit.Kind.SUB_COMMITTEE).exists()
    assert Member.objects.current().count() == 600
    assert Member.objects.count() == 612  # and 2 % who left over the years
    # Members sit only in units that hold members, and only in units that still exist.
    kinds = set(Member.objects.values_list("unit__kind", flat=True))
    assert kinds <= set(OrgUnit.CELL_KINDS)
    assert not Member.objects.filter(unit__valid_to__isnull=False).exists()


@pytest.mark.django_db
def test_demo_cards_and_events_are_consistent():
    load()
    cards = list(Member.objects.exclude(card_number=None).values_list("card_number", flat=True))
    assert cards and all(re.fullmatch(r"\d\d\.\d{6}", c) for c in cards)
    assert len(cards) == len(set(cards))
    assert not Member.objects.filter(status=Member.Status.PROBATIONARY).exclude(card_number=None).exists()
    assert MemberEvent.objects.filter(kind=MemberEvent.Kind.ADMITTED).count() == 612
    # The merged Ban Dân vận cell's members moved with an event each.
    merged_cell = OrgUnit.objects.get(name="Chi bộ Ban Dân vận Tỉnh ủy")
    assert merged_cell.valid_to is not None
    moved = MemberEvent.objects.filter(kind=MemberEvent.Kind.UNIT_CHANGED, from_unit=merged_cell)
    assert moved.exists()
    assert not merged_cell.members.exists()


@pytest.mark.django_db
def test_demo_history_has_no_overlapping_versions():
    load()
    for unit in OrgUnit.objects.all():
        versions = list(unit.versions.order_by("valid_from", "id"))
        assert versions[0].change == OrgUnitVersion.Change.CREATED
        for a, b in zip(versions, versions[1:], strict=False):
            assert a.valid_to == b.valid_from, unit
        assert versions[-1].valid_to == unit.valid_to
    old = OrgUnitVersion.objects.get(unit__name="Đảng bộ Sở Nông nghiệp và Môi trường", change="created")
    assert old.name == "Đảng bộ Sở Nông nghiệp và Phát triển nông thôn"
    assert OrgUnitVersion.objects.filter(change=OrgUnitVersion.Change.MERGED_INTO).count() == 6


@pytest.mark.django_db
def test_demo_logins_have_their_scopes():
    load()
    roles = dict(
        User.objects.exclude(username__startswith="dv")
        .annotate(n=Count("roles"))
        .values_list("username", "roles__role")
    )
    assert roles == {
        "khoi": Role.BLOC_OFFICE,
        "ubkt": Role.INSPECTION,
        "coso": Role.GRASSROOTS_STAFF,
        "chibo": Role.CELL_SECRETARY,
        "dangvien": Role.MEMBER,
    }
    coso = User.objects.get(username="coso")
    finance = OrgUnit.objects.get(name="Đảng bộ Sở Tài chính")
    visible = units_visible_to(coso)
    assert visible.filter(pk=finance.pk).exists()
    assert not visible.exclude(path__startswith=finance.path).exists()
    # The merged Sở Kế hoạch và Đầu tư's cells are now inside Sở Tài chính's subtree.
    assert visible.filter(versions__change=OrgUnitVersion.Change.MOVED).exists()
    dangvien = User.objects.get(username="dangvien")
    assert dangvien.member.unit == User.objects.get(username="chibo").roles.get().unit
    assert User.objects.get(username="khoi").check_password("Demo@2026")


@pytest.mark.django_db
def test_if_empty_does_not_load_twice():
    load(members=400)
    out = StringIO()
    call_command("load_demo", if_empty=True, members=400, stdout=out)
    assert "bỏ qua" in out.getvalue()
    assert "khoi" in out.getvalue()
    assert Member.objects.current().count() == 400


@pytest.mark.django_db
def test_demo_moves_a_cell_and_overrides_the_small_cell_rule():
    from dangbo.rules.models import RuleVersion

    out = load(members=400)
    moved = OrgUnitVersion.objects.filter(change=OrgUnitVersion.Change.MOVED, valid_from="2024-07-01").get()
    cell = moved.unit
    assert cell.kind == OrgUnit.Kind.SUBORDINATE_CELL
    assert cell.parent.kind == OrgUnit.Kind.GRASSROOTS_COMMITTEE
    before = cell.versions.get(change=OrgUnitVersion.Change.CREATED)
    assert before.parent.kind == OrgUnit.Kind.SUB_COMMITTEE and before.valid_to == moved.valid_from
    bloc = OrgUnit.objects.get(kind=OrgUnit.Kind.BLOC)
    override = RuleVersion.objects.get(rule__key="meeting.min_minutes.small_cell", scope_unit=bloc)
    assert override.value == 60
    assert str(override.effective_from) == "2019-01-01"
    assert "60" in out


@pytest.mark.django_db
def test_full_demo_builds_7200_members():
    """The default size (measured: well under 20 s on SQLite), so not marked slow."""
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert Member.objects.current().count() == 7200
    assert "7.200 đảng viên" in out.getvalue()
    assert OrgUnit.objects.active().filter(kind__in=OrgUnit.GRASSROOTS_KINDS).count() == 92
    sizes = list(Member.objects.current().values("unit").annotate(n=Count("pk")).values_list("n", flat=True))
    assert min(sizes) >= 3 and max(sizes) <= 120
    assert Member.objects.filter(status=Member.Status.PROBATIONARY).count() > 100


@pytest.mark.django_db
def test_demo_histories_transfers_exits_and_member_logins():
    import datetime

    from dangbo.members.intervals import members_on

    out = load()
    S, K = Member.Status, MemberEvent.Kind
    # Transfers between cells of the bloc, each from the cell the member was in at the time.
    transfers = MemberEvent.objects.filter(kind=K.TRANSFERRED_IN).select_related("member")
    assert transfers.count() >= 10
    for t in transfers:
        earlier = t.member.events.filter(date__lt=t.date).exclude(to_unit=None).order_by("-date", "-id").first()
        assert earlier.to_unit_id == t.from_unit_id
        assert not t.member.events.filter(date__gt=t.date).exists() or t.member.unit_id != t.from_unit_id
    # Members who left: each status has its event, and they counted before they left.
    for status, kind in [(S.TRANSFERRED_OUT, K.TRANSFERRED_OUT), (S.DECEASED, K.DECEASED), (S.REMOVED, K.REMOVED)]:
        gone = Member.objects.filter(status=status)
        assert gone.exists(), status
        for m in gone:
            last = m.events.order_by("-date", "-id").first()
            assert (last.kind, last.status_after) == (kind, status)
    bloc = OrgUnit.objects.get(kind=OrgUnit.Kind.BLOC)
    dead = MemberEvent.objects.filter(kind=K.DECEASED).order_by("date").first()
    day_before = dead.date - datetime.timedelta(days=1)
    assert members_on(day_before, bloc).filter(member=dead.member).exists()
    assert not members_on(dead.date, bloc).filter(member=dead.member).exists()
    # Twenty member logins in the demo committee, each tied to a member on the books.
    logins = User.objects.filter(username__startswith="dv")
    assert logins.count() == 20
    dv01 = User.objects.get(username="dv01")
    assert dv01.check_password("Demo@2026") and dv01.member.status in Member.CURRENT_STATUSES
    assert dv01.roles.get().role == Role.MEMBER and dv01.roles.get().unit == dv01.member.unit
    assert "dv01" in out
    # The residence is a real ward of the province.
    m = Member.objects.exclude(residence_ward=None).first()
    assert m.residence.endswith("Đồng Tháp") and m.residence.count(",") >= 2
