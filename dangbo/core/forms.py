from collections import Counter

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from dangbo.core.params import MAX_PK, to_int
from dangbo.core.text import fold, search_filter
from dangbo.org.models import OrgUnit


def _date_field(label):
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "class": "form-control form-control-sm"}),
    )


def _text_field(label):
    return forms.CharField(
        label=label,
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )


def _refuse_unoffered(field, error, values):
    """A real object that the form does not offer is out of the user's reach: a 404, never a hint.

    A scoped field's queryset is what this user may act on (their units, their members), so a
    posted object outside it is a forged request or out of scope; text naming nothing stays a form error.
    """
    if error.code not in ("invalid_choice", "invalid_pk_value"):
        raise error
    pks = [pk for pk in (to_int(str(v), min_value=1, max_value=MAX_PK) for v in values) if pk is not None]
    if pks and field.queryset.model._base_manager.filter(pk__in=pks).exists():
        raise Http404
    raise error


class ScopedModelChoiceField(forms.ModelChoiceField):
    """A choice among what the user may act on (see ``_refuse_unoffered``)."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as e:
            _refuse_unoffered(self, e, [value])


class ScopedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        try:
            return super()._check_values(value)
        except ValidationError as e:
            _refuse_unoffered(self, e, value if isinstance(value, (list, tuple)) else [value])


class _UnitChoiceIterator(forms.models.ModelChoiceIterator):
    """The units of the select at once (their number grows with the tree, never with members), so that the
    names offered twice are told apart before the first option is written."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        units = list(self.queryset)
        self.field.tell_apart(units)
        for obj in units:
            yield self.choice(obj)


class _UnitLabels:
    """A unit select indented by depth, so the tree reads in a plain <select>; two units of the same name
    (four of a department's cells are "Chi bộ Văn phòng" after the 2025 mergers) read with their parent and
    code: "Chi bộ Văn phòng — Đảng bộ Sở Tài chính (01.03.02)"."""

    iterator = _UnitChoiceIterator
    _suffix = None

    def tell_apart(self, units):
        seen = Counter(fold(u.name) for u in units)
        twice = [u for u in units if seen[fold(u.name)] > 1]
        self._suffix = {}
        if not twice:
            return
        parents = {u.pk: (u.ancestor_ids() or [None])[-1] for u in twice}  # from the path: no query
        wanted = {*parents, *(p for p in parents.values() if p)}
        info = {
            pk: (name, code)
            for pk, name, code in OrgUnit.objects.filter(pk__in=wanted).values_list("pk", "name", "code")
        }
        for u in twice:
            parent = info.get(parents[u.pk])
            code = info.get(u.pk, ("", ""))[1]
            self._suffix[u.pk] = (f" — {parent[0]}" if parent else "") + (f" ({code})" if code else "")

    def label_from_instance(self, obj):
        return "\u00a0\u00a0" * obj.depth + obj.name + (self._suffix or {}).get(obj.pk, "")


class UnitChoiceField(_UnitLabels, ScopedModelChoiceField):
    pass


class UnitMultipleChoiceField(_UnitLabels, ScopedModelMultipleChoiceField):
    pass


class StyledForm(forms.Form):
    """Bootstrap classes on every widget (form-select, form-check-input, form-control)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            if isinstance(f.widget, forms.CheckboxInput):
                f.widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(f.widget, (forms.Select, forms.SelectMultiple)):
                f.widget.attrs.setdefault("class", "form-select")
            else:
                f.widget.attrs.setdefault("class", "form-control")


def _unit_field():
    return UnitChoiceField(
        label=_("Unit and sub-units"),
        empty_label=_("All"),
        queryset=OrgUnit.objects.only("id", "name", "depth", "path").order_by("path"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )


class _RangeForm(forms.Form):
    date_from = _date_field(_("From"))
    date_to = _date_field(_("To"))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


class AuditFilterForm(_RangeForm):
    actor = _text_field(_("Actor"))
    action = forms.ChoiceField(
        label=_("Action"), required=False, widget=forms.Select(attrs={"class": "form-select form-select-sm"})
    )
    model = forms.ChoiceField(
        label=_("Object type"), required=False, widget=forms.Select(attrs={"class": "form-select form-select-sm"})
    )
    unit = _unit_field()
    q = _text_field(_("Object"))
    # Set by links from other pages ("history of this unit"): ?model=org.OrgUnit&object_id=5
    object_id = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, actions=(), models=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["action"].choices = everything + [(a, a) for a in actions]
        self.fields["model"].choices = everything + list(models)


class ReadFilterForm(_RangeForm):
    user = _text_field(_("User"))
    member = _text_field(_("Member"))
    unit = _unit_field()


# ---- search-as-you-type selects -------------------------------------------------------------------
SEARCH_RESULTS_MAX = 20  # what a search endpoint returns
FALLBACK_OPTIONS_MAX = 100  # what the <select> lists for a browser without script
SEARCH_GET_FORM = "search-select-get"  # the id of base.html's empty GET form for the no-script search boxes


class SearchSelect(forms.Select):
    """A <select> that lists the chosen option and at most FALLBACK_OPTIONS_MAX others (the first ones, or those
    matching the no-script search box ``<name>_q``), never the whole table: core/search-select.js turns it into
    a combobox asking ``search_url`` (JSON, SEARCH_RESULTS_MAX matches) as the user types."""

    template_name = "core/widgets/search_select.html"

    def __init__(self, attrs=None, search_url=""):
        super().__init__(attrs)
        self.search_url = search_url
        self.fallback_query = ""
        self.keep = []  # the page's other GET parameters, carried by the no-script search (see fallback_search)

    def get_context(self, name, value, attrs):
        field = getattr(self.choices, "field", None)
        more = False
        if field is not None and field.queryset is not None:
            qs = field.queryset
            values = value if isinstance(value, (list, tuple)) else [] if value is None else [value]
            chosen = [pk for pk in (to_int(str(v), min_value=1, max_value=MAX_PK) for v in values) if pk]
            picked = list(qs.filter(pk__in=chosen)) if chosen else []
            listed = field.offered().exclude(pk__in=chosen)
            if self.fallback_query:
                listed = field.search(listed, self.fallback_query)
            empty = [("", field.empty_label)] if field.empty_label is not None else []
            room = FALLBACK_OPTIONS_MAX - len(empty) - len(picked)
            listed = list(listed[: room + 1])
            more = len(listed) > room
            objs = picked + listed[:room]
            labels = field.labels(objs)
            self.choices = empty + [(field.prepare_value(o), labels[o.pk]) for o in objs]
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            search_url=self.search_url,
            fallback_query=self.fallback_query,
            more=more,
            query_name=f"{name}_q",
            keep=self.keep,
            get_form=SEARCH_GET_FORM,
        )
        return context


class _SearchChoiceField(ScopedModelChoiceField):
    """A choice among a scoped queryset too large for a <select> (see ``SearchSelect``); a posted id is
    looked up in the same queryset only: one outside it (forged, out of scope, gone) is a form error on the
    field, worded the same whether or not such an object exists elsewhere (never a 404 for the whole page,
    never a hint)."""

    widget = SearchSelect
    default_error_messages = {
        "invalid_choice": _("Choose from the search results: this choice is not one you may make."),
    }

    def to_python(self, value):
        try:
            return forms.ModelChoiceField.to_python(self, value)
        except ValidationError as e:
            if e.code in ("invalid_choice", "invalid_pk_value"):
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None
            raise

    def __init__(self, *args, search_url="", offer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.search_url = search_url
        self.offer = offer  # a Q: what is listed and found, when narrower than what is accepted

    def offered(self):
        return self.queryset.filter(self.offer) if self.offer is not None else self.queryset

    @property
    def search_url(self):
        return self.widget.search_url

    @search_url.setter
    def search_url(self, url):
        self.widget.search_url = url

    def search(self, qs, query):
        raise NotImplementedError

    def labels(self, objs):
        """{pk: label} for ``objs``, in a fixed number of queries."""
        return {o.pk: self.label_from_instance(o) for o in objs}

    def label_from_instance(self, obj):
        return self.labels([obj])[obj.pk]

    def results(self, query, limit=SEARCH_RESULTS_MAX):
        """The search endpoint's answer: [{"id", "label"}] for at most ``limit`` matches."""
        objs = list(self.search(self.offered(), query)[:limit]) if fold(query) else []
        labels = self.labels(objs)
        return [{"id": o.pk, "label": labels[o.pk]} for o in objs]


class MemberSearchField(_SearchChoiceField):
    """A party member found by name (accent-insensitive) or party card number; each option reads
    "Nguyễn Văn An (1980) — Chi bộ Văn phòng" so that two people of the same name are told apart."""

    def search(self, qs, query):
        from django.db.models import Q

        query = str(query or "").strip()
        q = search_filter("search_name", query)
        if query.isdigit():
            q |= Q(card_number__startswith=query)
        return qs.filter(q)

    def labels(self, objs):
        from dangbo.org.models import OrgUnit

        units = dict(OrgUnit.objects.filter(pk__in={o.unit_id for o in objs}).values_list("pk", "name"))
        out = {}
        for m in objs:
            year = f" ({m.birth_date.year})" if m.birth_date else ""
            out[m.pk] = f"{m.full_name}{year} — {units.get(m.unit_id, '')}"
        return out


class UnitSearchField(_SearchChoiceField):
    """A unit found by name (accent-insensitive) or code; each option reads "name — parent (code)"."""

    def search(self, qs, query):
        from django.db.models import Q

        query = str(query or "").strip()
        q = search_filter("search_name", query)
        if query:
            q |= Q(code__startswith=query)
        return qs.filter(q)

    def labels(self, objs):
        parents = {u.pk: (u.ancestor_ids() or [None])[-1] for u in objs}
        names = dict(OrgUnit.objects.filter(pk__in={p for p in parents.values() if p}).values_list("pk", "name"))
        out = {}
        for u in objs:
            parent = names.get(parents[u.pk])
            out[u.pk] = u.name + (f" — {parent}" if parent else "") + (f" ({u.code})" if u.code else "")
        return out


def search_response(field, request):
    """The JSON a SearchSelect asks for: ``{"results": [...]}``, at most SEARCH_RESULTS_MAX, from the field's
    (scoped) queryset."""
    from django.http import JsonResponse

    from dangbo.core.params import clip_search

    query, _cut = clip_search(request.GET.get("q", ""))
    return JsonResponse({"results": field.results(query)})


def fallback_search(form, request):
    """The no-script search box of every SearchSelect of ``form``: ``?<name>_q=...`` narrows its options.

    The box and its button belong to the page's own empty GET form (``SEARCH_GET_FORM`` in base.html, by the
    HTML ``form=`` attribute), never to the form around them: a search sends only the search boxes and the
    page's GET parameters (carried as hidden inputs, once a page), never a POST form's fields or its CSRF
    token in a URL."""
    from dangbo.core.params import clip_search

    kept = False
    for name, field in (form.fields if form is not None else {}).items():
        if isinstance(field, _SearchChoiceField):
            field.widget.fallback_query = clip_search(request.GET.get(f"{form.add_prefix(name)}_q", ""))[0]
            if not kept and not getattr(request, "_search_select_kept", False):
                field.widget.keep = [
                    (k, v)
                    for k, values in request.GET.lists()
                    if not k.endswith("_q") and k not in ("page", "csrfmiddlewaretoken")
                    for v in values
                ]
                kept = request._search_select_kept = True
    return form
