"""Restructuring services: history, paths, member events, refusals (DOMAIN.md §0–1)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from dangbo.core.models import AuditLog
from dangbo.members.models import Member, MemberEvent
from dangbo.org import services
from dangbo.org.models import OrgUnit, OrgUnitVersion

D = datetime.date(2025, 3, 1)
K = OrgUnit.Kind


def test_create_unit_writes_history_and_audit(cast):
    unit = services.create_unit(
        parent=cast.gr_a, name="Chi bộ  Chuyển đổi số", kind=K.SUBORDINATE_CELL, valid_from=D, actor=cast.bloc_user
    )
    assert unit.name == "Chi bộ Chuyển đổi số"
    assert unit.path == f"{cast.gr_a.path}{unit.pk}/"
    assert unit.depth == 2
    v = unit.versions.get()
    assert (v.change, v.valid_from, v.valid_to, v.parent) == ("created", D, None, cast.gr_a)
    assert AuditLog.objects.filter(action="org.create", object_id=str(unit.pk), actor=cast.bloc_user).exists()


def test_create_refuses_a_kind_not_allowed_under_parent(cast):
    with pytest.raises(ValidationError) as e:
        services.create_unit(parent=cast.cell_a1, name="X", kind=K.SUBORDINATE_CELL, valid_from=D, actor=None)
    assert "không thể" in " ".join(e.value.messages).lower() or "cannot" in " ".join(e.value.messages).lower()
    assert not OrgUnit.objects.filter(name="X").exists()


def test_rename_closes_the_old_version(cast):
    services.rename_unit(unit=cast.cell_a1, name="Chi bộ Ngân sách nhà nước", date=D, actor=cast.bloc_user)
    old, new = cast.cell_a1.versions.order_by("valid_from")
    assert (old.name, old.valid_to) == ("Chi bộ Phòng Ngân sách", D)
    assert (new.name, new.change, new.valid_to) == ("Chi bộ Ngân sách nhà nước", "renamed", None)
    on_before = services.versions_on(D - datetime.timedelta(days=1))
    assert on_before[cast.cell_a1.pk].name == "Chi bộ Phòng Ngân sách"
    assert services.versions_on(D)[cast.cell_a1.pk].name == "Chi bộ Ngân sách nhà nước"


def test_move_rewrites_paths_of_the_whole_subtree(cast):
    group = services.create_unit(parent=cast.cell_b1, name="Tổ đảng 1", kind=K.PARTY_GROUP, valid_from=D, actor=None)
    services.move_unit(unit=cast.cell_b1, new_parent=cast.gr_a, date=D, decision_no="12-QĐ/ĐUK", actor=cast.bloc_user)
    cast.cell_b1.refresh_from_db()
    group.refresh_from_db()
    assert cast.cell_b1.path == f"{cast.gr_a.path}{cast.cell_b1.pk}/"
    assert group.path == f"{cast.cell_b1.path}{group.pk}/"
    assert group.depth == 3
    # Members of the moved cell are now in gr_a's subtree.
    assert Member.objects.in_subtree(cast.gr_a).filter(pk=cast.m_b1.pk).exists()
    assert not Member.objects.in_subtree(cast.gr_b).exists()
    assert services.versions_on(D - datetime.timedelta(days=1))[cast.cell_b1.pk].parent_id == cast.gr_b.pk


def test_move_refuses_cycles_and_wrong_kinds(cast):
    with pytest.raises(ValidationError):
        services.move_unit(unit=cast.gr_a, new_parent=cast.cell_a1, date=D, actor=None)
    with pytest.raises(ValidationError):
        services.move_unit(unit=cast.cell_a1, new_parent=cast.cell_c, date=D, actor=None)
    cast.cell_a1.refresh_from_db()
    assert cast.cell_a1.parent == cast.gr_a
    assert cast.cell_a1.versions.count() == 1


def test_merge_cells_moves_members_with_events(cast):
    services.merge_units(sources=[cast.cell_a2], target=cast.cell_a1, date=D, decision_no="5-QĐ", actor=cast.bloc_user)
    cast.cell_a2.refresh_from_db()
    assert cast.cell_a2.valid_to == D
    assert not cast.cell_a2.is_active_on(D)
    cast.m_a2.refresh_from_db()
    assert cast.m_a2.unit == cast.cell_a1
    ev = MemberEvent.objects.get(member=cast.m_a2, kind=MemberEvent.Kind.UNIT_CHANGED)
    assert (ev.from_unit, ev.to_unit, ev.date, ev.decision_no) == (cast.cell_a2, cast.cell_a1, D, "5-QĐ")
    assert cast.cell_a2.versions.filter(change="merged_into", related_unit=cast.cell_a1).exists()
    assert cast.cell_a1.versions.filter(change="merged", related_unit=cast.cell_a2).exists()
    # On the day before, both cells existed.
    before = services.versions_on(D - datetime.timedelta(days=1))
    assert cast.cell_a2.pk in before and cast.cell_a2.pk not in services.versions_on(D)


def test_merge_committees_moves_cells_under_the_target(cast):
    services.merge_units(sources=[cast.gr_b], target=cast.gr_a, date=D, actor=cast.bloc_user)
    cast.cell_b1.refresh_from_db()
    assert cast.cell_b1.parent == cast.gr_a
    cast.m_b1.refresh_from_db()
    assert cast.m_b1.unit == cast.cell_b1  # members stay in their cell
    assert OrgUnit.objects.get(pk=cast.gr_b.pk).valid_to == D


def test_merge_is_all_or_nothing(cast):
    # cell_c (grassroots cell) cannot hold gr_b's subordinate cell: refused, nothing changed.
    with pytest.raises(ValidationError):
        services.merge_units(sources=[cast.gr_b], target=cast.cell_c, date=D, actor=None)
    cast.gr_b.refresh_from_db()
    cast.cell_b1.refresh_from_db()
    assert cast.gr_b.valid_to is None and cast.cell_b1.parent == cast.gr_b
    assert not MemberEvent.objects.exists()


def test_split_assigns_every_member(cast):
    with pytest.raises(ValidationError):
        services.split_unit(unit=cast.cell_a1, new_names=["A", "B"], assignments={}, date=D, actor=None)
    new_a, new_b = services.split_unit(
        unit=cast.cell_a1,
        new_names=["Chi bộ A", "Chi bộ B"],
        assignments={cast.m_a1.pk: 0, cast.m_a1_other.pk: 1},
        date=D,
        actor=cast.bloc_user,
    )
    assert Member.objects.get(pk=cast.m_a1.pk).unit == new_a
    assert Member.objects.get(pk=cast.m_a1_other.pk).unit == new_b
    assert new_a.versions.get().change == OrgUnitVersion.Change.SPLIT_FROM
    assert OrgUnit.objects.get(pk=cast.cell_a1.pk).valid_to == D


def test_dissolve_refuses_while_members_remain(cast):
    with pytest.raises(ValidationError) as e:
        services.dissolve_unit(unit=cast.cell_a2, date=D, actor=None)
    assert "1" in e.value.messages[0]
    Member.objects.filter(pk=cast.m_a2.pk).update(status=Member.Status.TRANSFERRED_OUT)
    services.dissolve_unit(unit=cast.cell_a2, date=D, actor=cast.bloc_user)
    assert OrgUnit.objects.get(pk=cast.cell_a2.pk).valid_to == D


def test_move_of_a_sub_committee_rewrites_every_level_and_nothing_else(cast):
    sub = services.create_unit(
        parent=cast.gr_a, name="Đảng bộ bộ phận 1", kind=K.SUB_COMMITTEE, valid_from=D, actor=None
    )
    cell = services.create_unit(parent=sub, name="Chi bộ 1", kind=K.SUBORDINATE_CELL, valid_from=D, actor=None)
    group = services.create_unit(parent=cell, name="Tổ đảng 1", kind=K.PARTY_GROUP, valid_from=D, actor=None)
    untouched = {u.pk: (u.path, u.depth) for u in OrgUnit.objects.exclude(path__startswith=sub.path)}
    services.move_unit(unit=sub, new_parent=cast.gr_b, date=D, actor=cast.bloc_user)
    sub.refresh_from_db()
    cell.refresh_from_db()
    group.refresh_from_db()
    assert (sub.path, sub.depth) == (f"{cast.gr_b.path}{sub.pk}/", 2)
    assert (cell.path, cell.depth) == (f"{sub.path}{cell.pk}/", 3)
    assert (group.path, group.depth) == (f"{cell.path}{group.pk}/", 4)
    assert {u.pk: (u.path, u.depth) for u in OrgUnit.objects.exclude(pk__in=[sub.pk, cell.pk, group.pk])} == untouched
    # Only the moved unit gets a MOVED version; its descendants keep their parent.
    assert sub.versions.filter(change="moved").count() == 1
    assert not cell.versions.filter(change="moved").exists()


def test_assign_cluster_adds_and_removes_units_with_history(cast):
    # The cast's cluster holds gr_a and cell_c; afterwards it holds gr_b and cell_c.
    joined, left = services.assign_cluster(
        cluster=cast.cluster, units=[cast.gr_b, cast.cell_c], date=D, actor=cast.bloc_user
    )
    assert (joined, left) == (1, 1)
    assert set(cast.cluster.units.all()) == {cast.gr_b, cast.cell_c}
    assert OrgUnit.objects.get(pk=cast.gr_a.pk).cluster is None
    before = services.versions_on(D - datetime.timedelta(days=1))
    assert before[cast.gr_a.pk].cluster_id == cast.cluster.pk and before[cast.gr_b.pk].cluster_id is None
    assert cast.cell_c.versions.count() == 1  # unchanged units get no history row
    with pytest.raises(ValidationError):
        services.assign_cluster(cluster=cast.cluster, units=[cast.cell_a1], date=D, actor=None)
    assert OrgUnit.objects.get(pk=cast.cell_a1.pk).cluster is None
