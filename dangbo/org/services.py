"""Restructuring the tree. Every service is one transaction that keeps the
materialized paths in step, writes the unit's history (OrgUnitVersion: the
current version is closed at the change date and the next one opened) and an
audit row. Refusals are ValidationErrors with a Vietnamese message."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.core.audit import diff, record, snapshot
from dangbo.org.models import Cluster, OrgUnit, OrgUnitVersion

V = OrgUnitVersion.Change
TRACKED = ["name", "kind", "sector", "parent", "cluster", "code", "valid_from", "valid_to"]


def _open_version(unit, *, change, day, decision_no="", related_unit=None, note=""):
    """Close the unit's current version at ``day`` and open one describing the unit as it is now."""
    current = unit.versions.filter(valid_to__isnull=True).order_by("-valid_from").first()
    if current and day < current.valid_from:
        raise ValidationError(
            _("The change date %(day)s is before the unit's last change (%(last)s).")
            % {"day": day.strftime("%d/%m/%Y"), "last": current.valid_from.strftime("%d/%m/%Y")}
        )
    if current:
        # Several changes on one day leave zero-length versions: events in the
        # timeline that no "as of" date ever selects.
        current.valid_to = day
        current.save(update_fields=["valid_to"])
    version = OrgUnitVersion(
        unit=unit,
        name=unit.name,
        kind=unit.kind,
        sector=unit.sector,
        parent=unit.parent,
        cluster=unit.cluster,
        valid_from=day,
        valid_to=unit.valid_to if unit.valid_to and unit.valid_to <= day else None,
        change=change,
        decision_no=decision_no,
        related_unit=related_unit,
        note=note,
    )
    if change in (V.MERGED_INTO, V.DISSOLVED):
        version.valid_to = day
    version.full_clean()
    version.save()
    return version


def _check_active(unit, day):
    if not unit.is_active_on(day):
        raise ValidationError(
            _("%(unit)s does not exist on %(day)s.") % {"unit": unit, "day": day.strftime("%d/%m/%Y")}
        )


def _check_not_ahead(date, change):
    """A merger, a split or a dissolution moves members and ends units: it is entered on its date or after, not
    ahead of it (only a move is held until its date, see ``move_unit``), so today's tree and figures never show
    a change that has not happened yet."""
    today = timezone.localdate()
    if date > today:
        raise ValidationError(
            _(
                "The %(change)s takes effect on %(day)s: record it on that day or later. Until then the units, "
                "their members and their figures stay as they are today."
            )
            % {"change": change, "day": date.strftime("%d/%m/%Y")}
        )


def _check_child_kind(parent, kind):
    if parent is None:
        if kind != OrgUnit.Kind.BLOC:
            raise ValidationError(_("Only a bloc committee can stand at the top of the tree."))
        return
    allowed = OrgUnit.ALLOWED_CHILDREN.get(parent.kind, ())
    if kind not in allowed:
        raise ValidationError(
            _("A %(kind)s cannot be placed under a %(parent_kind)s.")
            % {"kind": OrgUnit.Kind(kind).label.lower(), "parent_kind": OrgUnit.Kind(parent.kind).label.lower()}
        )


def _rewrite_subtree_paths(unit, old_path):
    """After ``unit.path`` changed from ``old_path``: the same prefix swap for every descendant,
    as one UPDATE (a big committee's subtree is never loaded into Python)."""
    depth_shift = unit.depth - (old_path.count("/") - 2)
    OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).update(
        path=Concat(Value(unit.path), Substr("path", len(old_path) + 1), output_field=CharField()),
        depth=F("depth") + depth_shift,
    )


CODE_MAX = OrgUnit._meta.get_field("code").max_length


def next_code(parent):
    """The next free code under ``parent``: its code, a dot and the number of its children so far plus one,
    on two digits ("01", "01.03", "01.03.02"), so that every unit has a code and two units with the same
    name are told apart (issue on history §6). A parent code too long for a child falls back to "DV"+n."""
    prefix = f"{parent.code}." if parent is not None and parent.code else ""
    n = OrgUnit.objects.filter(parent=parent).count() + 1
    while True:
        code = f"{prefix}{n:02d}"
        if len(code) > CODE_MAX:
            prefix, code = "DV", f"DV{n:02d}"
        if not OrgUnit.objects.filter(code__iexact=code).exists():
            return code
        n += 1


def _free_code(code, unit):
    """``code`` normalised (spaces trimmed), refused when another unit has it (case apart)."""
    code = " ".join(code.split())
    other = OrgUnit.objects.filter(code__iexact=code).exclude(pk=unit.pk).first()
    if other is not None:
        raise ValidationError(_("The code %(code)s is already used by %(unit)s.") % {"code": code, "unit": other.name})
    return code


@transaction.atomic
def create_unit(*, parent, name, kind, sector="", cluster=None, code="", valid_from, decision_no="", actor):
    _check_child_kind(parent, kind)
    if parent is not None:
        _check_active(parent, valid_from)
    unit = OrgUnit(parent=parent, kind=kind, sector=sector or (parent.sector if parent else ""), cluster=cluster)
    unit.code = _free_code(code, unit) if code.strip() else next_code(parent)
    unit.valid_from = valid_from
    unit.set_name(name)
    unit.path = "/"
    unit.full_clean(exclude=["path", "search_name"])
    unit.save()
    unit.compute_path()
    unit.save(update_fields=["path", "depth"])
    _open_version(unit, change=V.CREATED, day=valid_from, decision_no=decision_no)
    record(actor=actor, action="org.create", obj=unit, changes=diff({}, snapshot(unit, TRACKED)), note=decision_no)
    return unit


@transaction.atomic
def rename_unit(*, unit, name, date, decision_no="", actor):
    _check_active(unit, date)
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Enter the new name."))
    if name == unit.name:
        raise ValidationError(_("The new name is the same as the current one."))
    before = snapshot(unit, TRACKED)
    unit.set_name(name)
    unit.full_clean()
    unit.save(update_fields=["name", "search_name"])
    _open_version(unit, change=V.RENAMED, day=date, decision_no=decision_no)
    record(actor=actor, action="org.rename", obj=unit, changes=diff(before, snapshot(unit, TRACKED)), note=decision_no)
    return unit


@transaction.atomic
def update_unit(*, unit, sector, cluster, code, date, actor):
    before = snapshot(unit, TRACKED)
    # Every unit keeps a code: an empty one leaves it as it is.
    code = _free_code(code, unit) if code.strip() else (unit.code or next_code(unit.parent))
    unit.sector, unit.cluster, unit.code = sector, cluster, code
    unit.full_clean()
    unit.save(update_fields=["sector", "cluster", "code"])
    changes = diff(before, snapshot(unit, TRACKED))
    if changes.keys() & {"sector", "cluster"}:
        _open_version(unit, change=V.UPDATED, day=date)
    record(actor=actor, action="org.update", obj=unit, changes=changes)
    return unit


@transaction.atomic
def move_unit(*, unit, new_parent, date, decision_no="", actor):
    """Move ``unit`` (with its subtree) under ``new_parent`` from ``date``. A move dated in the
    future is recorded in the history at once and takes effect on its date (``apply_scheduled_moves``,
    run by the daily job): until then today's tree, figures and rules are those before it."""
    _check_active(unit, date)
    _check_active(new_parent, date)
    if new_parent.pk == unit.parent_id:
        raise ValidationError(_("The unit is already under %(parent)s.") % {"parent": new_parent})
    if new_parent.path.startswith(unit.path):
        raise ValidationError(_("A unit cannot be moved under itself or one of its own sub-units."))
    _check_child_kind(new_parent, unit.kind)
    before = snapshot(unit, TRACKED)
    if date > timezone.localdate():
        current_parent = unit.parent
        unit.parent = new_parent  # the version describes the unit from ``date`` on
        _open_version(unit, change=V.MOVED, day=date, decision_no=decision_no)
        unit.parent = current_parent
        changes = {"parent": [str(current_parent) if current_parent else None, str(new_parent)]}
        record(actor=actor, action="org.move_scheduled", obj=unit, changes=changes, note=decision_no)
        return unit
    _apply_parent(unit, new_parent)
    _open_version(unit, change=V.MOVED, day=date, decision_no=decision_no)
    record(actor=actor, action="org.move", obj=unit, changes=diff(before, snapshot(unit, TRACKED)), note=decision_no)
    return unit


def _apply_parent(unit, new_parent):
    old_path = unit.path
    unit.parent = new_parent
    unit.compute_path()
    unit.save(update_fields=["parent", "path", "depth"])
    _rewrite_subtree_paths(unit, old_path)


def apply_scheduled_moves(today=None):
    """Bring today's paths in step with the moves whose date has come (idempotent); returns them."""
    today = today or timezone.localdate()
    due = (
        OrgUnitVersion.objects.filter(change=V.MOVED, valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=today))
        .exclude(parent_id=F("unit__parent_id"))
        .select_related("unit", "parent")
        .order_by("valid_from", "id")
    )
    applied = []
    for version in due:
        with transaction.atomic():
            unit = OrgUnit.objects.select_for_update(of=("self",)).get(pk=version.unit_id)
            unit.refresh_from_db()
            parent = OrgUnit.objects.get(pk=version.parent_id)
            before = snapshot(unit, TRACKED)
            _apply_parent(unit, parent)
            record(
                actor=None,
                action="org.move",
                obj=unit,
                changes=diff(before, snapshot(unit, TRACKED)),
                note=version.decision_no,
            )
            applied.append(unit)
    return applied


def _end_unit(unit, *, date, change, reason, decision_no, related_unit=None):
    unit.valid_to = date
    unit.ended_reason = reason
    unit.save(update_fields=["valid_to", "ended_reason"])
    _open_version(unit, change=change, day=date, decision_no=decision_no, related_unit=related_unit)


@transaction.atomic
def merge_units(*, sources, target, date, decision_no="", actor):
    """Merge ``sources`` into ``target``: their sub-units move under the target and
    the members they hold directly move to the target (or to its first cell), each
    with a member event; the sources end on ``date``."""
    from dangbo.members.services import reassign_members

    _check_not_ahead(date, _("merger"))
    _check_active(target, date)
    sources = [s for s in sources if s.pk != target.pk]
    if not sources:
        raise ValidationError(_("Choose at least one unit to merge into %(target)s.") % {"target": target})
    for source in sources:
        _check_active(source, date)
        if target.path.startswith(source.path):
            raise ValidationError(_("%(unit)s cannot be merged into its own sub-unit.") % {"unit": source})
    receiving = target if target.is_cell else target.children.active(date).filter(kind__in=OrgUnit.CELL_KINDS).first()
    for source in sources:
        children = list(source.children.active(date))
        for child in children:
            if child.kind not in OrgUnit.ALLOWED_CHILDREN.get(target.kind, ()):
                raise ValidationError(
                    _("%(child)s (%(kind)s) cannot be placed under %(target)s: move it elsewhere first.")
                    % {"child": child, "kind": child.get_kind_display().lower(), "target": target}
                )
            move_unit(unit=child, new_parent=target, date=date, decision_no=decision_no, actor=actor)
        if source.members.current().exists():
            if receiving is None:
                raise ValidationError(
                    _("%(target)s has no cell to receive the members of %(source)s: create a cell first.")
                    % {"target": target, "source": source}
                )
            reassign_members(
                members=source.members.current(),
                to_unit=receiving,
                date=date,
                decision_no=decision_no,
                actor=actor,
                note=_("Merger of %(source)s into %(target)s") % {"source": source, "target": target},
            )
        _end_unit(
            source,
            date=date,
            change=V.MERGED_INTO,
            reason=_("Merged into %(target)s") % {"target": target.name},
            decision_no=decision_no,
            related_unit=target,
        )
        _open_version(target, change=V.MERGED, day=date, decision_no=decision_no, related_unit=source)
        record(
            actor=actor,
            action="org.merge",
            obj=source,
            unit=target,
            changes={"valid_to": [None, date], "merged_into": [None, str(target)]},
            note=decision_no,
        )
    return target


@transaction.atomic
def split_unit(*, unit, new_names, kind=None, assignments, date, decision_no="", actor, end_source=True):
    """Split ``unit`` into new sibling units named ``new_names``.

    ``assignments`` maps member id → index in ``new_names``; every current member
    of ``unit`` must be assigned when the source ends.
    """
    from dangbo.members.services import reassign_members

    _check_not_ahead(date, _("split"))
    _check_active(unit, date)
    new_names = [" ".join(n.split()) for n in new_names if n and n.strip()]
    if len(new_names) < (2 if end_source else 1):
        raise ValidationError(_("Give the names of the new units."))
    current = list(unit.members.current().values_list("pk", flat=True))
    if end_source:
        missing = [pk for pk in current if pk not in assignments]
        if missing:
            raise ValidationError(
                _("%(n)d members are not assigned to a new unit.") % {"n": len(missing)}, code="unassigned"
            )
        if unit.children.active(date).exists():
            raise ValidationError(_("Move or dissolve the sub-units of %(unit)s first.") % {"unit": unit})
    if any(i < 0 or i >= len(new_names) for i in assignments.values()):
        raise ValidationError(_("A member is assigned to a unit that is not in the list."))
    parent = unit.parent
    created = []
    for name in new_names:
        new = create_unit(
            parent=parent,
            name=name,
            kind=kind or unit.kind,
            sector=unit.sector,
            cluster=unit.cluster,
            valid_from=date,
            decision_no=decision_no,
            actor=actor,
        )
        new.versions.filter(change=V.CREATED).update(change=V.SPLIT_FROM, related_unit=unit)
        created.append(new)
    for index, new in enumerate(created):
        ids = [pk for pk, i in assignments.items() if i == index and pk in current]
        if ids:
            reassign_members(
                members=unit.members.filter(pk__in=ids),
                to_unit=new,
                date=date,
                decision_no=decision_no,
                actor=actor,
                note=_("Split of %(unit)s") % {"unit": unit},
            )
    if end_source:
        _end_unit(
            unit,
            date=date,
            change=V.SPLIT,
            reason=_("Split into %(units)s") % {"units": ", ".join(n.name for n in created)},
            decision_no=decision_no,
        )
        unit.versions.filter(change=V.SPLIT, valid_from=date).update(valid_to=date)
    record(
        actor=actor,
        action="org.split",
        obj=unit,
        changes={"split_into": [None, ", ".join(n.name for n in created)]},
        note=decision_no,
    )
    return created


@transaction.atomic
def dissolve_unit(*, unit, date, decision_no="", actor):
    _check_not_ahead(date, _("dissolution"))
    _check_active(unit, date)
    if unit.members.current().exists():
        raise ValidationError(
            _("%(unit)s still has %(n)d members: transfer them or merge the unit instead.")
            % {"unit": unit, "n": unit.members.current().count()}
        )
    if unit.children.active(date).exists():
        raise ValidationError(_("Move or dissolve the sub-units of %(unit)s first.") % {"unit": unit})
    if unit.parent_id is None:
        raise ValidationError(_("The top of the tree cannot be dissolved."))
    _end_unit(unit, date=date, change=V.DISSOLVED, reason=_("Dissolved"), decision_no=decision_no)
    record(actor=actor, action="org.dissolve", obj=unit, changes={"valid_to": [None, date]}, note=decision_no)
    return unit


def versions_on(day, unit_ids=None):
    """{unit id: OrgUnitVersion} describing each unit as it was on ``day``."""
    qs = OrgUnitVersion.objects.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    result = {}
    for v in qs.order_by("valid_from", "id"):
        result[v.unit_id] = v
    return result


@transaction.atomic
def create_cluster(*, name, note="", actor):
    cluster = Cluster(name=" ".join(name.split()), note=note)
    cluster.full_clean()
    cluster.save()
    record(actor=actor, action="org.cluster_create", obj=cluster, changes={"name": [None, cluster.name]})
    return cluster


@transaction.atomic
def assign_cluster(*, cluster, units, date, actor):
    """Make ``units`` (grassroots units) exactly the members of ``cluster`` from ``date``:
    units added join it, units of the cluster left out leave it. Each change is an
    UPDATED version of the unit (its cluster on a past date stays in the history)."""
    units = list(units)
    wrong = [u for u in units if u.kind not in OrgUnit.GRASSROOTS_KINDS]
    if wrong:
        raise ValidationError(
            _("Only grassroots organizations belong to a cluster: %(units)s.")
            % {"units": ", ".join(u.name for u in wrong)}
        )
    chosen = {u.pk for u in units}
    leaving = list(cluster.units.active(date).exclude(pk__in=chosen))
    joining = [u for u in units if u.cluster_id != cluster.pk]
    for unit in joining:
        update_unit(unit=unit, sector=unit.sector, cluster=cluster, code=unit.code, date=date, actor=actor)
    for unit in leaving:
        update_unit(unit=unit, sector=unit.sector, cluster=None, code=unit.code, date=date, actor=actor)
    return len(joining), len(leaving)
