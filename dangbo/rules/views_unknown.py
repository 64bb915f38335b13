"""Rules unknown for a date: the facts of the past entered before any version of a rule they needed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangbo.accounts.access import is_bloc_office, is_staff_user
from dangbo.rules import unknown
from dangbo.rules.forms import ConfirmUnknownForm


def unknown_list(request):
    if not is_staff_user(request.user):
        raise Http404
    show_all = request.GET.get("all") == "1"
    cases = unknown.cases_for(request.user)
    if not show_all:
        cases = cases.filter(confirmed_at__isnull=True)
    page = Paginator(cases.order_by("confirmed_at", "-entered_at", "pk"), 50).get_page(request.GET.get("page"))
    ctx = {
        "page": page,
        "show_all": show_all,
        "can_confirm": is_bloc_office(request.user),
        "form": ConfirmUnknownForm(),
    }
    return render(request, "rules/unknown.html", ctx)


@require_POST
def unknown_confirm(request, pk):
    if not is_bloc_office(request.user):
        raise Http404
    case = unknown.get_case_for_user(request.user, pk)
    form = ConfirmUnknownForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The note is too long."))
    else:
        try:
            unknown.confirm(case=case, actor=request.user, note=form.cleaned_data["note"])
        except ValidationError as e:
            messages.error(request, e.messages[0])
        else:
            messages.success(request, _("The case has been confirmed."))
    return redirect("rules:unknown")
