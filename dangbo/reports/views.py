from django import forms
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangbo.accounts.access import is_staff_user
from dangbo.org.access import get_unit_for_user, units_visible_to
from dangbo.reports.stats import membership_figures, sub_unit_rows


class AsOfForm(forms.Form):
    on = forms.DateField(
        label=_("As of"),
        required=False,
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "class": "form-control form-control-sm"}),
    )


def dashboard(request):
    """Membership structure of a unit's subtree (the user's top unit by default), with drill-down."""
    if not is_staff_user(request.user):
        raise Http404
    if request.GET.get("unit"):
        unit = get_unit_for_user(request.user, request.GET["unit"])
    else:
        unit = units_visible_to(request.user).order_by("depth", "path").first()
        if unit is None:
            raise Http404
    visible = units_visible_to(request.user)
    form = AsOfForm(request.GET or None)
    on = form.cleaned_data["on"] if form.is_valid() else None
    if on == timezone.localdate():
        on = None
    figures = membership_figures(unit, on=on)
    charts = {
        key: {"labels": [str(label) for label, _n in figures[key]], "values": [n for _label, n in figures[key]]}
        for key in ("by_status", "by_sex", "by_age", "by_kind", "by_ethnicity", "by_qualification", "by_theory")
    }
    ctx = {
        "unit": unit,
        "figures": figures,
        "rows": sub_unit_rows(unit, on=on),
        "form": form,
        "on": on,
        "ancestors": list(visible.filter(pk__in=unit.ancestor_ids()).order_by("depth")),
        "charts": charts,
    }
    return render(request, "reports/dashboard.html", ctx)
