import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dangbo.core import xlsx
from dangbo.core.forms import search_response
from dangbo.org.models import OrgUnitVersion
from dangbo.stattables import access, registry, services
from dangbo.stattables.compute import Period, compute, header_rows
from dangbo.stattables.export import fill, placeholders, render_xlsx
from dangbo.stattables.forms import DownloadForm, ExportForm, TableForm, UploadForm
from dangbo.stattables.models import TableFile


def _chosen(request):
    """The form, and (table file, unit, period) when the choice is complete; a unit out of scope is a 404."""
    units = access.visible_units(request.user).order_by("path")
    data = request.GET.copy()
    last = timezone.localdate().year - 1
    data.setdefault("kind", "year")
    data.setdefault("year", str(last))
    families = registry.families()
    if families:
        data.setdefault("table", families[0][0])
    form = TableForm(data, units=units)
    if not form.is_valid():
        if "unit" in form.errors:
            raise Http404
        return form, None, None, None
    unit = form.cleaned_data.get("unit") or units.order_by("depth", "path").first()
    if unit is None:
        raise Http404
    unit = access.get_unit(request.user, unit.pk)
    period = form.period
    table = registry.table_for(form.cleaned_data["table"], period.end)
    return form, table, unit, period


def search_units(request):
    """JSON for the unit box of the table form: the units the user's tables cover."""
    return search_response(TableForm(units=access.visible_units(request.user)).fields["unit"], request)


def _blocks(table, values):
    """The header and signature lines of ``table`` with their placeholders filled."""
    out = {}
    for block in ("header", "signature"):
        for side in ("left", "right"):
            out[f"{block}_{side}"] = [fill(line, values) for line in table.get(block, {}).get(side, [])]
    return out


def _children(visible, unit, day):
    """The units directly under ``unit`` on ``day`` (the tree of the period) that the user sees."""
    under = (
        OrgUnitVersion.objects.filter(parent=unit, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .values("unit_id")
    )
    return list(visible.filter(pk__in=under).order_by("kind", "name"))


def home(request):
    """Choose a table, a unit and a period; the table as computed, its identities, drill-down below."""
    form, table, unit, period = _chosen(request)
    ctx = {"form": form, "unit": unit, "period": period, "table": table}
    if table is not None:
        result = compute(table, unit, period)
        top, bottom = header_rows(table["columns"])
        visible = access.visible_units(request.user)
        query = request.GET.copy()
        query.pop("unit", None)
        query.update({"table": form.cleaned_data["table"], "kind": period.kind, "year": period.year})
        ctx.update(
            result=result,
            top=top,
            bottom=bottom,
            has_code=any(c["kind"] == "code" for c in table["columns"]),
            has_numbers=any(c.get("number") for c in table["columns"]),
            flags=access.sees_flags(request.user),
            children=_children(visible, unit, period.end),
            ancestors=list(visible.filter(pk__in=unit.ancestor_ids()).order_by("depth")),
            base_query=query.urlencode(),
            query=f"{query.urlencode()}&unit={unit.pk}",
            export_form=ExportForm(initial={"preparer": request.user.get_full_name()}),
            blocks=_blocks(table, placeholders(result, preparer=request.user.get_full_name())),
        )
    elif form.is_bound and form.is_valid():
        ctx["no_table"] = True
    return render(request, "stattables/home.html", ctx)


def export(request):
    """The table as .xlsx; refused (back to the page, with the failures) while an identity fails."""
    form, table, unit, period = _chosen(request)
    if table is None:
        raise Http404
    result = compute(table, unit, period)
    if not result.ok:
        messages.error(
            request, _("The identities of the table do not hold: the export is blocked until the data are corrected.")
        )
        return redirect(f"{reverse('stattables:home')}?{request.GET.urlencode()}")
    sign = ExportForm(request.GET)
    extra = sign.cleaned_data if sign.is_valid() else {}
    values = placeholders(
        result,
        preparer=extra.get("preparer") or request.user.get_full_name(),
        preparer_phone=extra.get("preparer_phone", ""),
        head=extra.get("head", ""),
        place=extra.get("place", ""),
    )
    body = render_xlsx(result, values)
    resp = HttpResponse(body, content_type=xlsx.CONTENT_TYPE)
    name = f"bieu-{table['code']}-{period.kind}-{period.year}-{unit.pk}".lower()
    resp["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return resp


@require_http_methods(["GET", "POST"])
def files(request):
    """The table files: shipped and loaded, and the form to load a corrected or new one (the bloc office)."""
    access.require_office(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        try:
            tf = services.upload_table(
                content=f.read(),
                file_name=f.name,
                effective_from=form.cleaned_data["effective_from"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ValidationError as err:
            for message in err.messages:
                form.add_error("file", message)
        else:
            messages.success(request, _("The table file %(code)s is loaded.") % {"code": tf.code})
            return redirect("stattables:files")
    ctx = {
        "form": form,
        "shipped": [
            {
                "table": t,
                "start": t["_start"],
                "end": t["_end"],
                "year": t["_end"].year if t["_end"] else timezone.localdate().year,
                "unverified": sum(1 for r in t["rows"] if r.get("unverified")),
            }
            for t in registry.shipped()
        ],
        "uploads": TableFile.objects.select_related("uploaded_by"),
    }
    return render(request, "stattables/files.html", ctx, status=400 if form.errors else 200)


def file_download(request):
    """The table file in force for a year's end (JSON), to correct and load again."""
    access.require_office(request.user)
    form = DownloadForm(request.GET)
    if not form.is_valid():
        raise Http404
    table = registry.table_for(form.cleaned_data["table"], Period("year", form.cleaned_data["year"]).end)
    if table is None:
        raise Http404
    data = {k: v for k, v in table.items() if not k.startswith("_")}
    body = json.dumps(data, ensure_ascii=False, indent=1)
    resp = HttpResponse(body, content_type="application/json; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{table["code"].lower()}.json"'
    return resp


@require_POST
def file_withdraw(request, pk):
    tf = access.get_table_file(request.user, pk)
    try:
        services.withdraw_table(table_file=tf, actor=request.user)
    except ValidationError as err:
        messages.error(request, err.messages[0])
    else:
        messages.success(request, _("The table file %(code)s is withdrawn.") % {"code": tf.code})
    return redirect("stattables:files")
