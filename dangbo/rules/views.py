from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dangbo.accounts.access import is_bloc_office, is_staff_user, scope_paths
from dangbo.core.forms import fallback_search, search_response
from dangbo.core.text import fold
from dangbo.org.access import units_visible_to
from dangbo.rules import services
from dangbo.rules.forms import EndVersionForm, RulesFilterForm, VersionForm
from dangbo.rules.models import Rule, RuleVersion
from dangbo.rules.registry import format_value, rules_in_force
from dangbo.rules.unknown import cases_for


def _require_staff(user):
    if not is_staff_user(user):
        raise Http404


def _require_bloc(user):
    if not is_bloc_office(user):
        raise Http404


def rule_list(request):
    _require_staff(request.user)
    units = _list_units(request.user)
    form = fallback_search(RulesFilterForm(request.GET or None, units=units), request)
    unit = on = None
    query = ""
    if form.is_valid():
        unit, on, query = form.cleaned_data["unit"], form.cleaned_data["on"], form.cleaned_data["q"]
    unit = unit or units.first()
    on = on or timezone.localdate()
    in_force = rules_in_force(on=on, unit=unit)
    rows = []
    folded = fold(query)
    for rule in Rule.objects.order_by("key"):
        if folded and folded not in fold(f"{rule.key} {rule.name}"):
            continue
        v = in_force.get(rule.key)
        rows.append((rule, v, format_value(v.value, rule.value_unit) if v else None))
    ctx = {"form": form, "rows": rows, "unit": unit, "on": on, "can_edit": is_bloc_office(request.user)}
    ctx["unknown_waiting"] = cases_for(request.user).filter(confirmed_at__isnull=True).count()
    return render(request, "rules/list.html", ctx)


def _list_units(user):
    return units_visible_to(user).active().order_by("path")


def search_list_units(request):
    """JSON for the list's unit filter: the units the user sees."""
    _require_staff(request.user)
    return search_response(RulesFilterForm(units=_list_units(request.user)).fields["unit"], request)


def _visible_versions(user, rule):
    """National versions, overrides inside the user's subtrees, and overrides by the committees above
    them (those apply to the user's units too), as one timeline by date."""
    visible = units_visible_to(user).values("pk")
    above = {int(pk) for path in scope_paths(user) for pk in path.strip("/").split("/") if pk}
    return (
        rule.versions.filter(Q(scope_unit__isnull=True) | Q(scope_unit__in=visible) | Q(scope_unit__in=above))
        .select_related("scope_unit", "created_by")
        .order_by("effective_from", F("scope_unit__path").asc(nulls_first=True), "pk")
    )


def rule_detail(request, key):
    _require_staff(request.user)
    rule = get_object_or_404(Rule, key=key)
    versions = [(v, format_value(v.value, rule.value_unit)) for v in _visible_versions(request.user, rule)]
    ctx = {"rule": rule, "versions": versions, "can_edit": is_bloc_office(request.user), "end_form": EndVersionForm()}
    return render(request, "rules/detail.html", ctx)


def _errors_at_fields(form, error):
    """Show a service's ValidationError at the form fields it names (the rest above the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _scope_units(user):
    return units_visible_to(user).active().exclude(kind="party_group").order_by("path")


def search_units(request):
    """JSON for the scope search box of a new rule version: the units the bloc office may override for."""
    _require_bloc(request.user)
    rule = Rule(key="", value_unit="")
    return search_response(VersionForm(rule=rule, units=_scope_units(request.user)).fields["scope_unit"], request)


@require_http_methods(["GET", "POST"])
def add_version(request, key):
    _require_bloc(request.user)
    rule = get_object_or_404(Rule, key=key)
    units = _scope_units(request.user)
    form = VersionForm(request.POST or None, rule=rule, units=units, initial={"scope_unit": request.GET.get("unit")})
    fallback_search(form, request)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_rule_version(rule=rule, actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            _errors_at_fields(form, e)
        else:
            messages.success(request, _("The new version of the rule has been saved."))
            return redirect("rules:detail", key=rule.key)
    return render(request, "rules/add_version.html", {"rule": rule, "form": form})


@require_POST
def end_version(request, pk):
    _require_bloc(request.user)
    version = get_object_or_404(RuleVersion.objects.select_related("rule"), pk=pk)
    form = EndVersionForm(request.POST)
    if form.is_valid():
        try:
            services.end_version(version=version, effective_to=form.cleaned_data["effective_to"], actor=request.user)
        except ValidationError as e:
            messages.error(request, e.messages[0])
        else:
            messages.success(request, _("The version has been given an end date."))
    else:
        messages.error(request, _("Enter a valid end date (dd/mm/yyyy)."))
    return redirect("rules:detail", key=version.rule.key)
