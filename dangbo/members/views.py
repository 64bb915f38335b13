from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dangbo.accounts.access import WRITE_ROLES, is_staff_user, path_q, scope_paths
from dangbo.core.audit import record, record_read
from dangbo.members import importer, services
from dangbo.members.access import get_import_for_user, get_member_for_user, members_visible_to
from dangbo.members.export import register_workbook
from dangbo.members.forms import CURRENT, CorrectionForm, ImportForm, MemberFilterForm, PhotoForm
from dangbo.members.models import Member, MemberImport
from dangbo.org.access import can_write_in, units_visible_to
from dangbo.org.models import OrgUnit

PAGE_SIZE = 50


def _filtered(request):
    if not is_staff_user(request.user):
        raise Http404
    units = units_visible_to(request.user).active().order_by("path")
    data = request.GET.copy()
    data.setdefault("status", CURRENT)  # members on the books unless asked otherwise
    form = MemberFilterForm(data, units=units)
    qs = members_visible_to(request.user)
    qs = form.filter(qs) if form.is_valid() else qs.current().order_by("sort_name", "pk")
    return form, qs.select_related("unit")


def member_list(request):
    form, qs = _filtered(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    can_import = bool(scope_paths(request.user, roles=WRITE_ROLES))
    return render(
        request,
        "members/list.html",
        {"form": form, "page": page, "query": request.GET.urlencode(), "can_import": can_import},
    )


def export(request):
    """The register (7-HSĐV columns held so far) of the same filter as the list, as an Excel file."""
    form, qs = _filtered(request)
    unit = form.cleaned_data.get("unit") if form.is_valid() else None
    scope = unit or units_visible_to(request.user).order_by("depth", "path").first()
    day = timezone.localdate()
    title = _("Register of party members – %(unit)s – %(day)s") % {"unit": scope, "day": day.strftime("%d/%m/%Y")}
    content = register_workbook(qs, title=title)
    record(actor=request.user, action="members.export", obj=scope, unit=scope, changes={"rows": [None, qs.count()]})
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="so-danh-sach-dang-vien-{day:%Y%m%d}.xlsx"'
    return response


def detail(request, pk):
    member = get_member_for_user(request.user, pk)
    # Party records are secret documents: every opening is logged.
    record_read(user=request.user, member=member, view="detail")
    events = member.events.select_related("from_unit", "to_unit", "actor").order_by("date", "id")
    can_correct = can_write_in(request.user, member.unit)
    context = {"member": member, "events": events, "can_correct": can_correct}
    if can_correct:
        context["photo_form"] = PhotoForm()
    return render(request, "members/detail.html", context)


def photo(request, pk):
    """The member's photo, through the same access check as the dossier (never a public media URL)."""
    from django.http import FileResponse

    member = get_member_for_user(request.user, pk)
    if not member.photo:
        raise Http404
    response = FileResponse(member.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
def photo_upload(request, pk):
    member = get_member_for_user(request.user, pk, write=True)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        services.set_photo(member=member, image=form.cleaned_data["photo"], actor=request.user)
        messages.success(request, _("The photo has been saved."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("members:detail", pk=member.pk)


def wards(request):
    """<option>s of the wards and communes of a province, for the residence select."""
    from django.utils.html import format_html_join

    from dangbo.core import places

    if not request.user.is_authenticated:
        raise Http404
    options = format_html_join(
        "", '<option value="{}">{}</option>', places.wards(request.GET.get("residence_province"))
    )
    return HttpResponse('<option value="">—</option>' + options)


@require_http_methods(["GET", "POST"])
def correct(request, pk):
    member = get_member_for_user(request.user, pk, write=True)
    original = Member.objects.get(pk=member.pk)
    form = CorrectionForm(request.POST or None, instance=original)
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_member(
                member=Member.objects.get(pk=member.pk),
                changes=form.changes(),
                approval_document=form.cleaned_data["approval_document"],
                approval_date=form.cleaned_data["approval_date"],
                actor=request.user,
            )
        except ValidationError as e:
            form.add_error(None, " ".join(e.messages))
        else:
            messages.success(request, _("The dossier has been corrected."))
            return redirect("members:detail", pk=member.pk)
    return render(request, "members/correct.html", {"member": member, "form": form})


# ---- Excel import ----------------------------------------------------------------------------
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _import_units(user):
    """Units the user may import members into: where they may write, holding or above cells (the bloc too:
    one file for the whole bloc, its cells named by code or path)."""
    paths = scope_paths(user, roles=WRITE_ROLES)
    if not paths:
        raise Http404
    return (
        OrgUnit.objects.active()
        .filter(path_q("path", paths))
        .exclude(kind=OrgUnit.Kind.PARTY_GROUP)
        .only("id", "name", "depth", "path", "kind")
        .order_by("path")
    )


@require_http_methods(["GET", "POST"])
def import_start(request):
    units = _import_units(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            imp = importer.start_import(
                uploaded=form.cleaned_data["file"], unit=form.cleaned_data["unit"], actor=request.user
            )
        except ValidationError as e:
            form.add_error("file", e)
        else:
            return redirect("members:import_detail", pk=imp.pk)
    recent = MemberImport.objects.filter(created_by=request.user).select_related("unit").defer("rows", "issues")[:10]
    return render(
        request,
        "members/import_start.html",
        {"form": form, "recent": recent, "columns": importer.COLUMNS, "chunk": importer.CHUNK},
    )


def import_template(request):
    _import_units(request.user)
    response = HttpResponse(importer.template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-dang-vien.xlsx"'
    return response


ISSUES_SHOWN = 500


def import_detail(request, pk):
    imp = get_import_for_user(request.user, pk)
    issues = sorted(imp.issues, key=lambda i: (i["level"] != "error", i["row"]))
    context = {
        "imp": imp,
        "issues": issues[:ISSUES_SHOWN],
        "more_issues": max(0, len(issues) - ISSUES_SHOWN),
        "warning_count": len(issues) - imp.error_count,
        "form": ImportForm(units=_import_units(request.user), initial={"unit": imp.unit_id}),
    }
    if request.headers.get("HX-Request") and "committing" in request.GET:
        # The page polls while the worker writes; once done it reloads to show the outcome.
        if imp.state == MemberImport.State.COMMITTING:
            return render(
                request, "members/_import_committing.html", {"imp": imp, "stalled": importer.commit_stalled(imp)}
            )
        response = HttpResponse(status=204)
        response["HX-Redirect"] = request.build_absolute_uri(imp.get_absolute_url())
        return response
    context["stalled"] = importer.commit_stalled(imp)
    if imp.state == MemberImport.State.READY:
        columns = [c for c in importer.COLUMNS if c.key != "no"]
        context["columns"] = columns
        context["preview"] = [(r["row"], [r["values"].get(c.key, "") for c in columns]) for r in imp.rows[:20]]
    template = "members/_import_progress.html" if request.headers.get("HX-Request") else "members/import_detail.html"
    return render(request, template, context)


@require_POST
def import_step(request, pk):
    """Check the next chunk of a large file; the page calls this until the check is done."""
    imp = get_import_for_user(request.user, pk)
    importer.check_step(imp)
    if request.headers.get("HX-Request") and imp.state == MemberImport.State.CHECKING:
        return render(request, "members/_import_progress.html", {"imp": imp})
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = request.build_absolute_uri(imp.get_absolute_url())
        return response
    return redirect(imp)


@require_POST
def import_commit(request, pk):
    imp = get_import_for_user(request.user, pk)
    try:
        imp = importer.request_commit(imp, actor=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect(imp)
    if imp.state == MemberImport.State.COMMITTING:
        messages.info(request, _("The members are being written; this page shows when it is done."))
    elif imp.state == MemberImport.State.IMPORTED:
        messages.success(
            request, _("%(n)s members were imported into %(unit)s.") % {"n": imp.imported, "unit": imp.unit}
        )
    else:
        messages.error(request, _("The registry changed since the check: nothing was imported. See the errors below."))
    return redirect(imp)
