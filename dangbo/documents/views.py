import io
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dangbo.accounts.access import covers, is_bloc_office, is_staff_user, scope_paths
from dangbo.accounts.models import Role
from dangbo.core.params import param_id, param_search
from dangbo.core.text import search_filter
from dangbo.documents import access, reach, services, templating
from dangbo.documents.forms import (
    ConveyForm,
    DistributeForm,
    DocumentForm,
    SearchForm,
    TemplateFillForm,
    TemplateUploadForm,
)
from dangbo.documents.models import Attachment, Document, FormTemplate, Receipt, SecretView
from dangbo.org.models import OrgUnit

PAGE_SIZE = 30
NEWS = Document.Kind.NEWS


def _ip(request):
    return request.META.get("REMOTE_ADDR") or None


def _nav(user):
    return {"can_publish": access.can_publish(user), "nav_is_bloc": is_bloc_office(user)}


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def home(request):
    """The inbox: documents and news sent to me, unread first (a member's page on the phone)."""
    user = request.user
    tab = request.GET.get("tab", "unread")
    qs = access.inbox(user)
    unread = qs.filter(is_read=False)
    counts = {"unread": unread.count()}
    if tab != "all":
        tab = "unread"
        qs = unread
    page = _page(request, qs)
    return render(
        request,
        "documents/home.html",
        {
            "page": page,
            "tab": tab,
            "counts": counts,
            "is_staff": is_staff_user(user),
            **_nav(user),
        },
    )


def library(request):
    user = request.user
    form = SearchForm(request.GET or None)
    qs = access.with_read_flag(access.documents_visible_to(user).exclude(kind=NEWS), user)
    if form.is_valid():
        d = form.cleaned_data
        if d["q"]:
            qs = qs.filter(search_filter("search_text", d["q"]))
        if d["kind"]:
            qs = qs.filter(kind=d["kind"])
        if d["validity"] == "in_force":
            qs = qs.filter(replaced_by__isnull=True)
        elif d["validity"] == "replaced":
            qs = qs.filter(replaced_by__isnull=False)
    page = _page(request, qs.only(*access.LIST_FIELDS).order_by("-issued_on", "-pk"))
    return render(
        request,
        "documents/library.html",
        {"page": page, "form": form, **_nav(user)},
    )


def news(request):
    user = request.user
    qs = access.with_read_flag(access.documents_visible_to(user).filter(kind=NEWS), user)
    page = _page(request, qs.only(*access.LIST_FIELDS).order_by("-issued_on", "-pk"))
    return render(
        request,
        "documents/news.html",
        {"page": page, **_nav(user)},
    )


@require_http_methods(["GET", "POST"])
def new(request, news=False):
    user = request.user
    if not access.can_publish(user):
        raise Http404
    form = DocumentForm(request.POST or None, request.FILES or None, user=user, news=news)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        files = d.pop("files", [])
        replaces = d.pop("replaces", None)
        unit = d.pop("unit")
        try:
            document = services.publish(actor=user, unit=unit, files=files, replaces=replaces, **d)
        except ValidationError as e:
            for m in e.messages:
                form.add_error(None, m)
        else:
            messages.success(request, _("The document is in the library. Now choose who receives it."))
            return redirect("documents:distribute", document.pk)
    return render(request, "documents/new.html", {"form": form, "news": news})


def new_news(request):
    return new(request, news=True)


def detail(request, pk):
    user = request.user
    document = access.get_document_for_user(user, pk)
    services.log_secret_view(document, user, ip=_ip(request))
    # Opening the page (or a link preview fetching it) is not reading it: the reader presses "I have read it".
    can_manage = access.can_manage(user, document)
    can_track = access.can_track(user, document)
    replaces = list(document.replaces.all()[:5])
    related = [r.pk for r in replaces] + ([document.replaced_by_id] if document.replaced_by_id else [])
    related_visible = set(access.documents_visible_to(user).filter(pk__in=related).values_list("pk", flat=True))
    attachments = list(document.attachments.all())
    ctx = {
        "document": document,
        "attachments": attachments,
        # The Word files' text in the page, paragraph by paragraph (escaped by the template, never marked safe).
        "readings": [(a, services.docx_paragraphs(a)) for a in attachments if a.name.lower().endswith(".docx")],
        "is_recipient": access.is_recipient(user, document),
        "can_manage": can_manage,
        "can_track": can_track,
        # Linked only where the user may open them; the others are named without a link.
        "replaces": [(r, r.pk in related_visible) for r in replaces],
        "replaced_by_visible": document.replaced_by_id in related_visible,
        "distributions": list(
            document.distributions.select_related("sent_by").prefetch_related("targets__unit", "targets__user")
        )
        if can_track
        else [],
        "my_receipt": Receipt.objects.filter(document=document, user=user).first(),
    }
    return render(request, "documents/detail.html", ctx)


@require_POST
def mark_read(request, pk):
    """The reader's "I have read it": the only thing that counts a document as read (not opening it)."""
    document = access.get_document_for_user(request.user, pk)
    if not access.is_recipient(request.user, document):
        raise PermissionDenied  # may open it (the office, an inspector) but it was not sent to them
    if services.record_read(document, request.user) is not None:
        messages.success(request, _("Recorded: you have read this document."))
    return redirect("documents:detail", document.pk)


def attachment(request, pk):
    att = get_object_or_404(Attachment.objects.select_related("document"), pk=pk)
    document = access.get_document_for_user(request.user, att.document_id)
    services.log_secret_view(document, request.user, action=SecretView.Action.DOWNLOAD, ip=_ip(request))
    try:
        return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.name)
    except FileNotFoundError:
        raise Http404


@require_http_methods(["GET", "POST"])
def distribute(request, pk):
    user = request.user
    document = access.get_document_for_user(user, pk, manage=True)
    form = DistributeForm(request.POST or None, user=user, document=document)
    if request.method == "POST" and form.is_valid():
        try:
            services.distribute(
                document=document,
                actor=user,
                targets=form.targets(),
                sent_on=form.cleaned_data["sent_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as e:
            for m in e.messages:
                form.add_error(None, m)
        else:
            messages.success(request, _("The document has been sent."))
            return redirect("documents:readers", document.pk)
    return render(request, "documents/distribute.html", {"form": form, "document": document})


def _tracking_root(request, user, document):
    paths = scope_paths(user)
    roots = list(OrgUnit.objects.filter(path__in=paths).order_by("path"))
    if not roots:
        raise Http404
    unit_pk = request.GET.get("unit")
    if unit_pk:
        try:
            unit = OrgUnit.objects.get(pk=param_id(request, "unit"))
        except (OrgUnit.DoesNotExist, ValueError, TypeError):
            raise Http404
        if not covers(user, unit.path):
            raise Http404
        return unit, paths
    return roots[0], paths


def readers(request, pk):
    """Who has read it, by unit (each row sums a child unit's subtree); drill down with ?unit=."""
    user = request.user
    document = access.get_document_for_user(user, pk, track=True)
    root, paths = _tracking_root(request, user, document)
    can_manage = access.can_manage(user, document)
    counts = reach.unit_counts(document, within=[root.path])
    rows = [
        {
            "unit": u,
            "reached": total,
            "read": read,
            "unread": total - read,
            "percent": round(100 * read / total) if total else 0,
            "drill": u.pk != root.pk and not u.is_cell,
        }
        for u, total, read in reach.rollup(counts, root)
    ]
    sort = request.GET.get("sort", "")
    if sort == "percent":  # the units that read least first, to remind them
        rows.sort(key=lambda r: (r["percent"], -r["unread"]))
    reached = sum(r["reached"] for r in rows)
    read = sum(r["read"] for r in rows)
    extras = []
    if can_manage:
        extra_qs = reach.extra_users(document).order_by("last_name", "first_name")[:300]
        read_ids = set(
            Receipt.objects.filter(document=document, user__in=[u.pk for u in extra_qs]).values_list(
                "user_id", flat=True
            )
        )
        extras = [(u, u.pk in read_ids) for u in extra_qs]
    convey_form = _convey_form(user, document)
    return render(
        request,
        "documents/readers.html",
        {
            "document": document,
            "root": root,
            "ancestors": [a for a in root.ancestors() if covers(user, a.path)],
            "rows": rows,
            "reached": reached,
            "read": read,
            "percent": round(100 * read / reached) if reached else 0,
            "extras": extras,
            "can_manage": can_manage,
            "convey_form": convey_form,
            "sort": sort,
        },
    )


def _convey_members(user, document):
    cells = scope_paths(user, roles=(Role.CELL_SECRETARY,))
    if not cells:
        return None
    members = reach.member_reach(document, within=cells)
    if members is None:
        return None
    done = Receipt.objects.filter(document=document, member__isnull=False).values("member_id")
    return members.exclude(pk__in=done).order_by("sort_name", "pk")


def _convey_form(user, document, data=None):
    qs = _convey_members(user, document)
    if qs is None:
        return None
    form = ConveyForm(data, queryset=qs)
    return form if data is not None or qs[:1].exists() else None


@require_POST
def convey(request, pk):
    user = request.user
    document = access.get_document_for_user(user, pk, track=True)
    form = _convey_form(user, document, data=request.POST)
    if form is None:
        raise Http404
    if form.is_valid():
        n = services.record_conveyed(document=document, members=list(form.cleaned_data["members"]), actor=user)
        messages.success(request, _("Recorded for %(n)d members.") % {"n": n})
    else:
        messages.error(request, _("Choose the members who received the document."))
    return redirect("documents:readers", document.pk)


@require_POST
def remind(request, pk):
    document = access.get_document_for_user(request.user, pk, manage=True)
    n = services.remind_unread(document=document, actor=request.user)
    messages.success(request, _("Reminder sent to %(n)d people who have not read it.") % {"n": n})
    return redirect("documents:readers", document.pk)


def secret_log(request):
    if not is_bloc_office(request.user):
        raise Http404
    qs = SecretView.objects.select_related("document", "user").order_by("-at", "-pk")
    q = param_search(request)
    if q:
        qs = qs.filter(search_filter("document__search_text", q))
    return render(request, "documents/secret_log.html", {"page": _page(request, qs), "q": q, **_nav(request.user)})


def templates(request):
    user = request.user
    if not access.can_use_templates(user):
        raise Http404
    return render(
        request,
        "documents/templates.html",
        {
            "builtins": templating.BUILTINS,
            "uploaded": FormTemplate.objects.all(),
            "can_upload": access.can_upload_templates(user),
            "variables": templating.VARIABLES,
            **_nav(user),
        },
    )


def _template_source(user, key):
    if key in templating.BUILTIN_BY_KEY:
        b = templating.BUILTIN_BY_KEY[key]
        if not access.can_use_templates(user):
            raise Http404
        return b.name, templating.DOCX_DIR / b.file, key
    if key.startswith("u") and key[1:].isdigit():
        t = access.get_uploaded_template(user, int(key[1:]))
        return t.name, t.file, f"mau-{t.pk}"
    raise Http404


@require_http_methods(["GET", "POST"])
def template_fill(request, key):
    user = request.user
    name, source, slug = _template_source(user, key)
    form = TemplateFillForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        unit = d["unit"]
        ctx = templating.unit_context(
            unit,
            day=d["day"],
            term=d["term"],
            period=d["period"],
            place=d["place"],
            secretary=d["secretary"] or templating.secretary_of(unit),
        )
        try:
            if isinstance(source, Path):
                data = templating.render(source, ctx)
            else:  # an uploaded template's FieldFile
                with source.open("rb") as f:
                    data = templating.render(io.BytesIO(f.read()), ctx, uploaded=True)
        except ValidationError as e:  # an uploaded template the check refuses (stored before the check)
            form.add_error(None, e)
        except Exception as e:  # an uploaded template that broke after validation (file replaced on disk)
            form.add_error(None, _("The template cannot be filled: %(error)s") % {"error": e})
        else:
            response = HttpResponse(
                data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            )
            response["Content-Disposition"] = f'attachment; filename="{slug}-{unit.pk}.docx"'
            return response
    return render(request, "documents/template_fill.html", {"form": form, "name": name})


@require_http_methods(["GET", "POST"])
def template_upload(request):
    if not access.can_upload_templates(request.user):
        raise Http404
    form = TemplateUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        t = form.save(commit=False)
        t.uploaded_by = request.user
        t.save()
        from dangbo.core import audit

        audit.record(actor=request.user, action="documents.template_upload", obj=t)
        messages.success(request, _("The template has been added to the library."))
        return redirect("documents:templates")
    return render(request, "documents/template_upload.html", {"form": form, "variables": templating.VARIABLES})
