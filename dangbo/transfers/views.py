from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from dangbo.accounts.access import is_staff_user, scope_paths
from dangbo.core.forms import fallback_search, search_response
from dangbo.core.params import param_id, param_search
from dangbo.members.models import Member
from dangbo.org.access import get_unit_for_user, units_visible_to
from dangbo.transfers import access, services, stats
from dangbo.transfers.forms import CancelForm, DayForm, EndForm, LetterForm, PeriodForm, RegisterInForm, TransferForm
from dangbo.transfers.models import Transfer

PAGE_SIZE = 50
S = Transfer.State
K = Transfer.Kind


def _staff(request):
    if not is_staff_user(request.user):
        raise Http404


TABS = [
    ("out", gettext_lazy("Pending out")),
    ("in", gettext_lazy("Pending in")),
    ("overdue", gettext_lazy("Overdue")),
    ("all", gettext_lazy("All")),
]


def home(request):
    """Both sides' lists: pending out (our members leaving), pending in (coming to our units), overdue, all."""
    _staff(request)
    paths = scope_paths(request.user)
    visible = access.transfers_visible_to(request.user)
    tab = request.GET.get("tab", "out")
    if tab not in dict(TABS):
        tab = "out"
    pending_out = visible.filter(access.pending_q(paths, "from_unit"))
    pending_in = visible.filter(access.pending_q(paths, "to_unit"))
    counts = {"out": pending_out.count(), "in": pending_in.count()}
    today = timezone.localdate()
    overdue = visible.filter(
        (access.pending_q(paths, "from_unit") | access.pending_q(paths, "to_unit"))
        & (
            _late("complete_by", today, exclude_done="received_on")
            | _late("present_by", today, exclude_done="received_on")
            | Q(kind=K.TEMPORARY, state=S.RECEIVED, end_date__lt=today)
        )
    )
    counts["overdue"] = overdue.count()
    qs = {"out": pending_out, "in": pending_in, "overdue": overdue, "all": visible}[tab]
    qs = qs.select_related("member", "from_unit", "to_unit").order_by("-requested_on", "-pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for t in page:
        t.clocks = services.deadlines(t)
    tabs = [(key, label, counts.get(key)) for key, label in TABS]
    return render(
        request,
        "transfers/home.html",
        {
            "page": page,
            "tab": tab,
            "tabs": tabs,
            "today": today,
            "can_request": access.transferable_members(request.user).exists(),
            "can_register": access.receiving_cells(request.user).exists(),
        },
    )


def _late(field, today, exclude_done):
    return Q(**{f"{field}__lt": today, f"{exclude_done}__isnull": True})


def search_members(request):
    """JSON for the member search box of a new transfer: the members the user may send away."""
    members = access.transferable_members(request.user)
    if not members.exists():
        raise Http404
    return search_response(TransferForm(members=members).fields["member"], request)


def search_cells(request):
    """JSON for the receiving-cell search box of a new transfer (any active cell: the destination is anywhere)."""
    if not access.transferable_members(request.user).exists():
        raise Http404
    return search_response(TransferForm(members=Member.objects.none()).fields["to_unit"], request)


@require_http_methods(["GET", "POST"])
def new(request):
    members = access.transferable_members(request.user)
    if not members.exists():
        raise Http404
    query = param_search(request)
    initial = {}
    if param_id(request, "member"):
        initial["member"] = param_id(request, "member")
    form = fallback_search(TransferForm(request.POST or None, members=members, query=query, initial=initial), request)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            t = services.request_transfer(
                member=d["member"],
                kind=d["kind"],
                to_unit=d["to_unit"],
                outside_party=d["outside_party"],
                reason=d["reason"],
                decision_no=d["decision_no"],
                decision_date=d["decision_date"],
                purpose=d["purpose"],
                start_date=d["start_date"],
                end_date=d["end_date"],
                requested_on=d["requested_on"],
                actor=request.user,
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("The transfer has been requested."))
            return redirect(t)
    return render(request, "transfers/new.html", {"form": form, "query": query})


STEP_FORMS = {"issue": LetterForm, "send": DayForm, "receive": DayForm, "end": EndForm, "cancel": CancelForm}
STEP_LABELS = {
    "issue": gettext_lazy("Issue the introduction letter"),
    "send": gettext_lazy("Hand the sealed record over"),
    "receive": gettext_lazy("Confirm receipt"),
    "end": gettext_lazy("End the temporary transfer"),
    "cancel": gettext_lazy("Cancel the transfer"),
}


def available_steps(t):
    """Steps the transfer's state allows (the services check again)."""
    if t.kind == K.OFFICIAL_IN:
        return []
    if t.state == S.REQUESTED:
        return ["issue", "cancel"]
    if t.state == S.LETTER_ISSUED:
        return ["receive", "cancel"] if t.kind == K.TEMPORARY else ["send", "cancel"]
    if t.state == S.RECORD_SENT and t.kind == K.OFFICIAL_INTERNAL:
        return ["receive", "cancel"]
    if t.state == S.RECEIVED and t.kind == K.TEMPORARY:
        return ["end"]
    return []


def detail(request, pk, forms=None):
    t = access.get_transfer_for_user(request.user, pk)
    steps = [s for s in available_steps(t) if access.can_act(request.user, t, s)]
    steps += [s for s in (forms or {}) if s not in steps]
    step_forms = [(s, STEP_LABELS[s], (forms or {}).get(s) or STEP_FORMS[s](prefix=s)) for s in steps]
    context = {
        "t": t,
        "timeline": t.steps.select_related("actor"),
        "deadlines": services.deadlines(t),
        "step_forms": step_forms,
        "is_sender": access.is_sender(request.user, t),
        "is_receiver": access.is_receiver(request.user, t),
        "has_letter": t.kind != K.OFFICIAL_IN,
    }
    return render(request, "transfers/detail.html", context, status=400 if forms else 200)


@require_POST
def step(request, pk, step):
    if step not in STEP_FORMS:
        raise Http404
    t = access.get_transfer_for_user(request.user, pk, step=step)
    form = STEP_FORMS[step](request.POST, prefix=step)
    if not form.is_valid():
        return detail(request, pk, forms={step: form})
    d = form.cleaned_data
    actor = request.user
    try:
        if step == "issue":
            services.issue_letter(
                transfer=t, letter_no=d["letter_no"], letter_date=d["letter_date"], issuer=d["issuer"], actor=actor
            )
        elif step == "send":
            services.send_record(transfer=t, day=d["day"], actor=actor)
        elif step == "receive":
            services.confirm_receipt(transfer=t, day=d["day"], actor=actor)
        elif step == "end":
            services.end_temporary(transfer=t, day=d["day"], note=d["note"], actor=actor)
        elif step == "cancel":
            services.cancel(transfer=t, day=d["day"], reason=d["reason"], actor=actor)
    except ValidationError as e:
        form.add_error(None, e)
        return detail(request, pk, forms={step: form})
    messages.success(request, _("Saved."))
    return redirect(t)


RECORD_CHECKLIST = [
    gettext_lazy("Member personal history (1-HSĐV)"),
    gettext_lazy("Member card form (2-HSĐV)"),
    gettext_lazy("Annual supplement forms (3-HSĐV)"),
    gettext_lazy(
        "Admission papers: application, introducers' letters, cell and committee resolutions, admission decision"
    ),
    gettext_lazy("Official recognition papers: self-review, cell and committee resolutions, recognition decision"),
    gettext_lazy("Certificates of political theory and of the new-member course"),
    gettext_lazy("Decisions on awards, discipline and party badges (if any)"),
    gettext_lazy("Party fee book: fees paid up to the month of transfer"),
    gettext_lazy("Comments of the cell and the party committee on the member"),
]


def letter(request, pk):
    """The introduction letter with the sealed-record checklist, to print (for any outgoing transfer)."""
    t = access.get_transfer_for_user(request.user, pk)
    if t.kind == K.OFFICIAL_IN:
        raise Http404
    return render(
        request,
        "transfers/letter.html",
        {"t": t, "checklist": RECORD_CHECKLIST if t.is_official else [], "today": timezone.localdate()},
    )


@require_http_methods(["GET", "POST"])
def register_in(request):
    cells = list(access.receiving_cells(request.user))
    if not cells:
        raise Http404
    from dangbo.org.models import OrgUnit

    form = RegisterInForm(
        request.POST or None, cells=OrgUnit.objects.filter(pk__in=[c.pk for c in cells]).order_by("path")
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            t = services.register_in(
                cell=d["cell"],
                full_name=d["full_name"],
                sex=d["sex"],
                birth_date=d["birth_date"],
                status=d["status"],
                admission_date=d["admission_date"],
                official_date=d["official_date"],
                card_number=d["card_number"],
                outside_party=d["outside_party"],
                letter_no=d["letter_no"],
                letter_date=d["letter_date"],
                received_on=d["received_on"],
                actor=request.user,
            )
        except ValidationError as e:
            if hasattr(e, "error_dict"):
                for name, errs in e.error_dict.items():
                    form.add_error(name if name in form.fields else None, errs)
            else:
                form.add_error(None, e)
        else:
            messages.success(request, _("The member has been registered in the receiving cell."))
            return redirect(t)
    return render(request, "transfers/register_in.html", {"form": form})


def _period(request):
    _staff(request)
    visible = units_visible_to(request.user)
    form = PeriodForm(request.GET or None, units=visible)
    if request.GET.get("unit"):
        unit = get_unit_for_user(request.user, param_id(request, "unit"))
    else:
        unit = visible.order_by("depth", "path").first()
        if unit is None:
            raise Http404
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    else:
        from dangbo.transfers.forms import last_full_quarter

        start, end = last_full_quarter()
        if not form.is_bound:
            form = PeriodForm(initial={"unit": unit.pk}, units=visible)
    return form, unit, start, end


def report(request):
    form, unit, start, end = _period(request)
    rows, total = stats.transfer_report(unit, start, end)
    return render(
        request,
        "transfers/report.html",
        {
            "form": form,
            "unit": unit,
            "start": start,
            "end": end,
            "rows": rows,
            "total": total,
            "columns": stats.TRANSFER_COLUMNS,
        },
    )


def movements(request):
    form, unit, start, end = _period(request)
    rows, total = stats.movements(unit, start, end)
    return render(
        request,
        "transfers/movements.html",
        {
            "form": form,
            "unit": unit,
            "start": start,
            "end": end,
            "rows": rows,
            "total": total,
            "increases": stats.INCREASES,
            "decreases": stats.DECREASES,
            "query": request.GET.urlencode(),
        },
    )


def movements_export(request):
    from dangbo.transfers.export import movements_workbook

    form, unit, start, end = _period(request)
    rows, total = stats.movements(unit, start, end)
    content = movements_workbook(unit, start, end, rows, total)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="tang-giam-dang-vien-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"'
    return response
