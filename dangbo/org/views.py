from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dangbo.accounts.access import is_staff_user
from dangbo.core.applying import service_errors
from dangbo.org import services
from dangbo.org.access import can_restructure, get_unit_for_user, restructurable_units, units_visible_to
from dangbo.org.forms import (
    ClusterAssignForm,
    ClusterForm,
    CreateUnitForm,
    DissolveForm,
    EditForm,
    MergeForm,
    MoveForm,
    RenameForm,
    SplitForm,
    TreeFilterForm,
)
from dangbo.org.models import Cluster, OrgUnit
from dangbo.org.tree import build_tree, count_nodes, member_counts


def _require_staff(user):
    if not is_staff_user(user):
        raise Http404


def tree(request):
    _require_staff(request.user)
    form = TreeFilterForm(request.GET or None)
    on = query = cluster = None
    if form.is_valid():
        on, query, cluster = form.cleaned_data["on"], form.cleaned_data["q"], form.cleaned_data["cluster"]
    roots = build_tree(units_visible_to(request.user), on=on, query=query or "", cluster=cluster)
    ctx = {
        "form": form,
        "roots": roots,
        "on": on,
        "past": on is not None and on != timezone.localdate(),
        "node_count": count_nodes(roots),
        "filtered": bool(query or cluster),
    }
    return render(request, "org/tree.html", ctx)


def unit_detail(request, pk):
    from dangbo.members.models import Member

    unit = get_unit_for_user(request.user, pk)
    staff = is_staff_user(request.user)
    visible = units_visible_to(request.user)
    ctx = {
        "unit": unit,
        "ancestors": list(visible.filter(pk__in=unit.ancestor_ids()).order_by("depth")),
        "versions": unit.versions.select_related("parent", "related_unit").order_by("valid_from", "id"),
        "can_restructure": can_restructure(request.user, unit),
        "can_add_child": can_restructure(request.user, unit) or _can_add_under(request.user, unit),
        "is_staff": staff,
    }
    if staff:
        # One grouped count over the whole subtree, summed per child in Python.
        descendants = list(OrgUnit.objects.active().in_subtree(unit).only("pk", "path"))
        counts = member_counts([d.pk for d in descendants])
        children = list(unit.children.active().order_by("kind", "name"))
        ctx["children"] = [
            (c, sum(counts[d.pk][0] for d in descendants if d.path.startswith(c.path))) for c in children
        ]
        ctx["counts"] = counts[unit.pk]
        ctx["subtree_members"] = sum(counts[d.pk][0] for d in descendants)
        members_qs = Member.objects.current().filter(unit=unit).order_by("search_name")
        ctx["members_page"] = Paginator(members_qs, 50).get_page(request.GET.get("page"))
    return render(request, "org/unit.html", ctx)


def _can_add_under(user, unit):
    """Grassroots staff may found cells under their own grassroots unit."""
    return restructurable_units(user).filter(parent=unit).exists() or (
        unit.kind in OrgUnit.GRASSROOTS_KINDS and _is_own_grassroots(user, unit)
    )


def _is_own_grassroots(user, unit):
    from dangbo.accounts.access import scope_paths
    from dangbo.accounts.models import Role

    return unit.path in scope_paths(user, roles=(Role.GRASSROOTS_STAFF,))


def _apply(request, form, unit, action, template, extra=None):
    """Validate ``form``, run ``action(cleaned_data)``; show field and service errors in Vietnamese."""
    if request.method == "POST" and form.is_valid():
        try:
            result = action(form.cleaned_data)
        except ValidationError as e:
            for msg in e.messages:
                form.add_error(None, msg)
        else:
            return redirect("org:unit", pk=(result or unit).pk)
    return render(request, template, {"unit": unit, "form": form, **(extra or {})})


@require_http_methods(["GET", "POST"])
def create(request, pk):
    parent = get_unit_for_user(request.user, pk)
    if not (can_restructure(request.user, parent) or _can_add_under(request.user, parent)):
        raise Http404
    form = CreateUnitForm(request.POST or None, parent=parent)

    def action(d):
        unit = services.create_unit(
            parent=parent,
            name=d["name"],
            kind=d["kind"],
            sector=d["sector"],
            cluster=d["cluster"],
            code=d["code"],
            valid_from=d["valid_from"],
            decision_no=d["decision_no"],
            actor=request.user,
        )
        messages.success(request, _("%(unit)s has been established.") % {"unit": unit})
        return unit

    return _apply(request, form, parent, action, "org/form.html", {"title": _("Establish a sub-unit")})


@require_http_methods(["GET", "POST"])
def rename(request, pk):
    unit = get_unit_for_user(request.user, pk, write=True)
    form = RenameForm(request.POST or None, initial={"name": unit.name})

    def action(d):
        services.rename_unit(
            unit=unit, name=d["name"], date=d["date"], decision_no=d["decision_no"], actor=request.user
        )
        messages.success(request, _("The unit has been renamed."))

    return _apply(request, form, unit, action, "org/form.html", {"title": _("Rename")})


@require_http_methods(["GET", "POST"])
def edit(request, pk):
    unit = get_unit_for_user(request.user, pk, write=True)
    form = EditForm(request.POST or None, initial={"code": unit.code, "sector": unit.sector, "cluster": unit.cluster})

    def action(d):
        services.update_unit(
            unit=unit, sector=d["sector"], cluster=d["cluster"], code=d["code"], date=d["date"], actor=request.user
        )
        messages.success(request, _("The details have been saved."))

    return _apply(request, form, unit, action, "org/form.html", {"title": _("Edit details")})


@require_http_methods(["GET", "POST"])
def move(request, pk):
    unit = get_unit_for_user(request.user, pk, write=True)
    parents = (
        units_visible_to(request.user)
        .active()
        .filter(kind__in=[k for k, allowed in OrgUnit.ALLOWED_CHILDREN.items() if unit.kind in allowed])
        .exclude(path__startswith=unit.path)
        .exclude(pk=unit.parent_id)
    )
    parents = parents.filter(
        pk__in=[p.pk for p in parents if can_restructure(request.user, p) or _is_own_grassroots(request.user, p)]
    )
    form = MoveForm(request.POST or None, parents=parents)

    def action(d):
        services.move_unit(
            unit=unit, new_parent=d["new_parent"], date=d["date"], decision_no=d["decision_no"], actor=request.user
        )
        messages.success(request, _("The unit has been moved under %(parent)s.") % {"parent": d["new_parent"]})

    return _apply(request, form, unit, action, "org/form.html", {"title": _("Move under another unit")})


@require_http_methods(["GET", "POST"])
def merge(request, pk):
    unit = get_unit_for_user(request.user, pk, write=True)
    sources = (
        restructurable_units(request.user)
        .active()
        .filter(
            kind__in=OrgUnit.CELL_KINDS if unit.is_cell else [unit.kind, *OrgUnit.ALLOWED_CHILDREN.get(unit.kind, ())]
        )
        .exclude(pk=unit.pk)
        .exclude(pk__in=unit.ancestor_ids())
    )
    form = MergeForm(request.POST or None, sources=sources)

    def action(d):
        services.merge_units(
            sources=list(d["sources"]), target=unit, date=d["date"], decision_no=d["decision_no"], actor=request.user
        )
        messages.success(request, _("The units have been merged into %(unit)s.") % {"unit": unit})

    return _apply(request, form, unit, action, "org/form.html", {"title": _("Merge units into this one")})


@require_http_methods(["GET", "POST"])
def split(request, pk):
    unit = get_unit_for_user(request.user, pk, write=True)
    members = unit.members.current().order_by("search_name")
    form = SplitForm(request.POST or None, members=members)

    def action(d):
        created = services.split_unit(
            unit=unit,
            new_names=d["names"],
            assignments=form.assignments(),
            date=d["date"],
            decision_no=d["decision_no"],
            actor=request.user,
        )
        messages.success(request, _("The unit has been split into %(n)d units.") % {"n": len(created)})
        return created[0]

    return _apply(request, form, unit, action, "org/form_split.html", {"title": _("Split")})


@require_http_methods(["GET", "POST"])
def dissolve(request, pk):
    unit = get_unit_for_user(request.user, pk, write=True)
    form = DissolveForm(request.POST or None)

    def action(d):
        services.dissolve_unit(unit=unit, date=d["date"], decision_no=d["decision_no"], actor=request.user)
        messages.success(request, _("The unit has been dissolved."))

    return _apply(request, form, unit, action, "org/form.html", {"title": _("Dissolve")})


def clusters(request):
    """Clusters (cụm) with their grassroots organizations in the user's scope; the bloc office adds clusters."""
    _require_staff(request.user)
    from dangbo.accounts.access import is_bloc_office

    units = units_visible_to(request.user).active().grassroots().select_related("cluster").order_by("name")
    by_cluster = {}
    for u in units:
        by_cluster.setdefault(u.cluster_id, []).append(u)
    rows = [(c, by_cluster.get(c.pk, [])) for c in Cluster.objects.order_by("name")]
    ctx = {
        "rows": rows,
        "unassigned": by_cluster.get(None, []),
        "form": ClusterForm(),
        "can_edit": is_bloc_office(request.user),
    }
    return render(request, "org/clusters.html", ctx)


@require_POST
def cluster_create(request):
    from dangbo.accounts.access import is_bloc_office

    if not is_bloc_office(request.user):
        raise Http404
    form = ClusterForm(request.POST)
    if form.is_valid():
        with service_errors(request):
            cluster = services.create_cluster(actor=request.user, **form.cleaned_data)
            messages.success(request, _("The cluster %(name)s has been created.") % {"name": cluster.name})
    else:
        messages.error(request, _("Enter the cluster name."))
    return redirect("org:clusters")


@require_http_methods(["GET", "POST"])
def cluster_assign(request, pk):
    """The bloc office chooses which grassroots organizations a cluster holds."""
    from dangbo.accounts.access import is_bloc_office

    if not is_bloc_office(request.user):
        raise Http404
    cluster = get_object_or_404(Cluster, pk=pk)
    units = units_visible_to(request.user).active().grassroots().select_related("cluster").order_by("search_name")
    form = ClusterAssignForm(
        request.POST or None, units=units, initial={"units": [u.pk for u in units if u.cluster_id == cluster.pk]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            joined, left = services.assign_cluster(
                cluster=cluster, units=form.cleaned_data["units"], date=form.cleaned_data["date"], actor=request.user
            )
        except ValidationError as e:
            for msg in e.messages:
                form.add_error(None, msg)
        else:
            messages.success(
                request,
                _("%(cluster)s: %(joined)d organizations added, %(left)d removed.")
                % {"cluster": cluster.name, "joined": joined, "left": left},
            )
            return redirect("org:clusters")
    return render(request, "org/cluster_assign.html", {"cluster": cluster, "form": form})
