"""Browsing the audit log and the dossier read log (bloc office only; everyone else 404).

Other pages may link to the history of one object:
``{% url 'core:audit' %}?model=org.OrgUnit&object_id={{ unit.pk }}`` (``model`` is ``obj._meta.label``).
"""

import datetime

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from dangbo.accounts.access import is_bloc_office
from dangbo.accounts.models import User
from dangbo.core.forms import AuditFilterForm, ReadFilterForm
from dangbo.core.models import AuditLog, ReadLog
from dangbo.core.text import fold, search_filter
from dangbo.members.models import Member
from dangbo.org.models import OrgUnit

PAGE_SIZE = 50


def _require_bloc_office(user):
    if not is_bloc_office(user):
        raise Http404


def _model_label(label):
    try:
        return str(apps.get_model(label)._meta.verbose_name).capitalize()
    except (LookupError, ValueError):
        return label


def _field_label(label, field):
    """The field's verbose name; a reverse relation (the rows pointing at the object, such as an import's
    members) has none and is named by the model at its other end."""
    try:
        f = apps.get_model(label)._meta.get_field(field)
    except (LookupError, ValueError, FieldDoesNotExist):
        return field
    name = getattr(f, "verbose_name", None)
    if name is None and getattr(f, "related_model", None) is not None:
        opts = f.related_model._meta
        name = opts.verbose_name_plural if f.one_to_many or f.many_to_many else opts.verbose_name
    return str(name or field).capitalize()


def change_rows(entry):
    """[(field label, old, new)] of an audit entry, in a stable order."""
    return [
        (_field_label(entry.model, field), values[0], values[1])
        for field, values in sorted(entry.changes.items())
        if isinstance(values, (list, tuple)) and len(values) == 2
    ]


def _day_bounds(data):
    """The aware datetimes bounding the chosen day range (``date_to`` inclusive)."""
    start = end = None
    if data.get("date_from"):
        start = timezone.make_aware(datetime.datetime.combine(data["date_from"], datetime.time.min))
    if data.get("date_to"):
        end = timezone.make_aware(
            datetime.datetime.combine(data["date_to"] + datetime.timedelta(days=1), datetime.time.min)
        )
    return start, end


def _users_matching(text):
    """Ids of users whose full name or username contains every folded word of ``text``.

    Users are few (thousands) and have no stored folded name, so match in Python.
    """
    words = fold(text).split()
    ids = []
    for pk, username, first, last in User.objects.values_list("pk", "username", "first_name", "last_name"):
        hay = fold(f"{last} {first} {username}")
        if all(w in hay for w in words):
            ids.append(pk)
    return ids


def _filter_common(qs, data):
    start, end = _day_bounds(data)
    if start:
        qs = qs.filter(at__gte=start)
    if end:
        qs = qs.filter(at__lt=end)
    if data.get("unit"):
        qs = qs.filter(unit_path__startswith=data["unit"].path)
    return qs


def _units_by_id(ids):
    ids = {i for i in ids if i}
    return dict(OrgUnit.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}


@require_GET
def audit(request):
    _require_bloc_office(request.user)
    actions = AuditLog.objects.order_by("action").values_list("action", flat=True).distinct()
    model_labels = AuditLog.objects.order_by("model").values_list("model", flat=True).distinct()
    form = AuditFilterForm(
        request.GET or None, actions=list(actions), models=[(m, _model_label(m)) for m in model_labels]
    )
    qs = AuditLog.objects.select_related("actor")
    if form.is_valid():
        data = form.cleaned_data
        qs = _filter_common(qs, data)
        if data.get("actor"):
            qs = qs.filter(actor_id__in=_users_matching(data["actor"]))
        if data.get("action"):
            qs = qs.filter(action=data["action"])
        if data.get("model"):
            qs = qs.filter(model=data["model"])
        if data.get("object_id"):
            qs = qs.filter(object_id=data["object_id"])
        if data.get("q"):
            qs = qs.filter(object_repr__icontains=data["q"].strip())
    elif form.is_bound:
        qs = qs.none()
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    units = _units_by_id(e.unit_id for e in page)
    entries = [
        {
            "entry": e,
            "model_label": _model_label(e.model),
            "unit_name": units.get(e.unit_id, ""),
            "rows": change_rows(e),
        }
        for e in page
    ]
    return render(request, "core/audit/list.html", {"form": form, "page": page, "entries": entries})


@require_GET
def audit_detail(request, pk):
    _require_bloc_office(request.user)
    entry = get_object_or_404(AuditLog.objects.select_related("actor"), pk=pk)
    unit = OrgUnit.objects.filter(pk=entry.unit_id).first() if entry.unit_id else None
    ctx = {
        "entry": entry,
        "model_label": _model_label(entry.model),
        "unit": unit,
        "rows": change_rows(entry),
        # Other entries about the same object, newest first.
        "history": AuditLog.objects.select_related("actor")
        .filter(model=entry.model, object_id=entry.object_id)
        .exclude(pk=entry.pk)[:20],
    }
    return render(request, "core/audit/detail.html", ctx)


@require_GET
def reads(request):
    _require_bloc_office(request.user)
    form = ReadFilterForm(request.GET or None)
    qs = ReadLog.objects.select_related("user")
    if form.is_valid():
        data = form.cleaned_data
        qs = _filter_common(qs, data)
        if data.get("user"):
            qs = qs.filter(user_id__in=_users_matching(data["user"]))
        if data.get("member"):
            qs = qs.filter(
                member_id__in=Member.objects.filter(search_filter("search_name", data["member"])).values("pk")
            )
    elif form.is_bound:
        qs = qs.none()
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/audit/reads.html", {"form": form, "page": page})


urlpatterns = [
    path("audit/", audit, name="audit"),
    path("audit/<int:pk>/", audit_detail, name="audit_detail"),
    path("audit/reads/", reads, name="reads"),
]
