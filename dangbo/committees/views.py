import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dangbo.accounts.access import covers, is_staff_user, path_q, scope_paths
from dangbo.committees import access, forms, services, stats
from dangbo.committees.models import Appraisal, GoodModel, Proposal, Seat
from dangbo.committees.structure import COMMITTEE_KINDS, TITLES, RuleBook, allowed_structure, gather, structure_warnings
from dangbo.core.applying import service_errors
from dangbo.core.params import param_date, param_search
from dangbo.core.text import search_filter
from dangbo.members.models import Member
from dangbo.org.access import can_restructure
from dangbo.org.models import OrgUnit

PAGE_SIZE = 50


def _staff(request):
    if not is_staff_user(request.user):
        raise Http404


# Committees


def home(request):
    """Structure warnings of every committee in the user's scope, worst first."""
    _staff(request)
    today = timezone.localdate()
    units = access.committee_units(request.user).active().filter(kind__in=COMMITTEE_KINDS).order_by("path")
    warnings = structure_warnings(units, on=today)
    code = request.GET.get("code", "")
    query = param_search(request)
    if query:  # every organization whose name matches, with its warnings if any
        rows = [(u, warnings.get(u, [])) for u in units.filter(search_filter("search_name", query))]
    else:
        rows = [(u, ws) for u, ws in warnings.items() if not code or any(w.code == code for w in ws)]
    counts = {}
    for ws in warnings.values():
        for w in ws:
            counts[w.code] = counts.get(w.code, 0) + 1
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "committees/home.html",
        {
            "page": page,
            "counts": [(c, TITLES[c], n) for c, n in sorted(counts.items())],
            "code": code,
            "query": query,
            "unit_count": units.count(),
            "can_appraise": access.can_appraise(request.user),
            "today": today,
        },
    )


def unit(request, pk):
    """A unit's committee on a day (today by default), its terms and the dated history of its seats."""
    u = access.get_committee_unit(request.user, pk)
    today = timezone.localdate()
    day = param_date(request, "on", today)
    seats = list(
        Seat.objects.filter(unit=u).select_related("member", "member__unit", "term").order_by("start_date", "pk")
    )
    current = [s for s in seats if s.is_active_on(day)]
    order = list(Seat.Position.values)
    current.sort(key=lambda s: (order.index(s.position), s.member.sort_name))
    book = RuleBook()
    facts = gather([u], day)[u.pk]
    write = can_restructure(request.user, u)
    return render(
        request,
        "committees/unit.html",
        {
            "unit": u,
            "day": day,
            "today": today,
            "current": current,
            "history": list(reversed(seats)),
            "terms": list(u.terms.all()),
            "facts": facts,
            "warnings": structure_warnings([u], on=day, book=book).get(u, []),
            "allowed": allowed_structure(u, facts.official, on=day, book=book),
            "write": write,
            "congress_form": forms.CongressForm() if write else None,
        },
    )


@require_POST
def congress(request, pk):
    u = access.get_committee_unit(request.user, pk, write=True)
    form = forms.CongressForm(request.POST)
    if form.is_valid():
        with service_errors(request):
            services.record_congress(unit=u, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The congress has been recorded."))
    else:
        messages.error(request, _("Check the congress date."))
    return redirect("committees:unit", pk=u.pk)


@require_http_methods(["GET", "POST"])
def seat_new(request, pk):
    u = access.get_committee_unit(request.user, pk, write=True)
    form = forms.SeatForm(request.POST or None, unit=u)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            services.add_seat(unit=u, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The committee has been updated."))
            return redirect("committees:unit", pk=u.pk)
    return render(request, "committees/seat_form.html", {"unit": u, "form": form, "heading": _("Add to the committee")})


@require_http_methods(["GET", "POST"])
def seat_end(request, pk):
    seat = access.get_seat_for_user(request.user, pk)
    form = forms.EndSeatForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            services.end_seat(seat=seat, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The committee has been updated."))
            return redirect("committees:unit", pk=seat.unit_id)
    return render(
        request,
        "committees/seat_form.html",
        {"unit": seat.unit, "seat": seat, "form": form, "heading": _("End a position")},
    )


@require_POST
def seat_delete(request, pk):
    seat = access.get_seat_for_user(request.user, pk)
    services.delete_seat(seat=seat, actor=request.user)
    messages.success(request, _("The entry has been deleted."))
    return redirect("committees:unit", pk=seat.unit_id)


def reinforcement(request):
    """Reinforcements (kiện toàn) in a period and the committees' make-up at its start and end."""
    _staff(request)
    today = timezone.localdate()
    quarter_start = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    form = forms.PeriodForm(request.GET or None, initial={"start": quarter_start, "end": today})
    start, end = quarter_start, today
    if request.GET and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    units = access.committee_units(request.user)
    changes = (
        Seat.objects.filter(services.reinforcement_q(start, end), unit_id__in=units.values("pk"))
        .select_related("unit", "member")
        .order_by("unit__path", "start_date", "pk")
    )
    page = Paginator(changes, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "committees/reinforcement.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "page": page,
            "reinforced": len(services.reinforced_units(units, start, end)),
            "before": stats.composition(start, units),
            "after": stats.composition(end, units),
            "query": request.GET.urlencode(),
        },
    )


# Appraisals


def _appraiser(request):
    if not access.can_appraise(request.user):
        raise Http404


def appraisals(request):
    _appraiser(request)
    qs = access.appraisals_visible_to(request.user).select_related("unit")
    conclusion = request.GET.get("conclusion", "")
    if conclusion in Appraisal.Conclusion.values:
        qs = qs.filter(conclusion=conclusion)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "committees/appraisals.html",
        {"page": page, "conclusion": conclusion, "conclusions": Appraisal.Conclusion.choices},
    )


@require_http_methods(["GET", "POST"])
def appraisal_new(request):
    _appraiser(request)
    paths = scope_paths(request.user, roles=access.BLOC)
    units = OrgUnit.objects.active().filter(path_q("path", paths)).order_by("path")
    members = Member.objects.none()
    query = param_search(request)
    if request.method == "POST":
        members = Member.objects.filter(unit_id__in=units.values("pk")).select_related("unit")
    elif query:
        members = (
            Member.objects.current()
            .filter(search_filter("search_name", query), unit_id__in=units.values("pk"))
            .select_related("unit")[:100]
        )
        members = Member.objects.filter(pk__in=[m.pk for m in members]).select_related("unit")
    form = forms.AppraisalForm(request.POST or None, units=units, members=members)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            a = services.request_appraisal(actor=request.user, **form.cleaned_data)
            messages.success(request, _("The appraisal request has been recorded."))
            return redirect(a)
    return render(request, "committees/appraisal_new.html", {"form": form, "query": query})


def appraisal(request, pk):
    a = access.get_appraisal_for_user(request.user, pk)
    services.log_appraisal_view(user=request.user, appraisal=a)
    form = forms.ConclusionForm(initial={"concluded_on": timezone.localdate()})
    return render(request, "committees/appraisal.html", {"a": a, "form": form})


@require_POST
def appraisal_conclude(request, pk):
    a = access.get_appraisal_for_user(request.user, pk)
    form = forms.ConclusionForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            services.conclude_appraisal(appraisal=a, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The conclusion has been recorded."))
            return redirect(a)
    services.log_appraisal_view(user=request.user, appraisal=a)
    return render(request, "committees/appraisal.html", {"a": a, "form": form})


# Consultations and proposals


def consultations(request):
    """Everyone: the proposals I raised and their answers. Staff: the proposals from their scope."""
    user = request.user
    today = timezone.localdate()
    mine = Proposal.objects.filter(asked_by=user).select_related("unit").order_by("-submitted_on", "-pk")[:50]
    ctx = {"mine": mine, "today": today, "can_submit": access.asking_units(user).exists()}
    if is_staff_user(user):
        form = forms.FilterForm(request.GET or None)
        qs = access.proposals_visible_to(user).filter(path_q("unit__path", scope_paths(user)))
        if form.is_valid():
            d = form.cleaned_data
            if d["q"]:
                qs = qs.filter(Q(title__icontains=d["q"]) | Q(text__icontains=d["q"]) | Q(unit__name__icontains=d["q"]))
            if d["state"]:
                qs = qs.filter(state=d["state"])
            if d["category"]:
                qs = qs.filter(category=d["category"])
            if d["overdue"]:
                qs = qs.filter(services.overdue_q(today))
        counts = (
            access.proposals_visible_to(user)
            .filter(path_q("unit__path", scope_paths(user)))
            .aggregate(
                total=Count("pk"),
                open=Count("pk", filter=Q(state__in=Proposal.OPEN_STATES)),
                overdue=Count("pk", filter=services.overdue_q(today)),
            )
        )
        qs = qs.select_related("unit", "session").order_by("-submitted_on", "-pk")
        ctx.update(
            {
                "form": form,
                "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
                "counts": counts,
                "can_hold": access.session_units(user).exists(),
            }
        )
    return render(request, "committees/consultations.html", ctx)


@require_http_methods(["GET", "POST"])
def proposal_new(request):
    units = access.asking_units(request.user)
    if not units.exists():
        raise Http404
    form = forms.ProposalForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            p = services.submit_proposal(asked_by=request.user, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Your proposal has been sent to the bloc committee."))
            return redirect(p)
    return render(request, "committees/proposal_new.html", {"form": form})


def proposal(request, pk):
    p = access.get_proposal_for_user(request.user, pk)
    handle = access.can_handle(request.user, p)
    today = timezone.localdate()
    ctx = {"p": p, "handle": handle, "today": today, "overdue": p.is_overdue(today)}
    if handle:
        ctx["assign_form"] = forms.AssignForm(
            initial={"department": p.department or None, "due_on": p.due_on or services.default_due(today, p.unit)}
        )
        ctx["answer_form"] = forms.AnswerForm(initial={"answer": p.answer})
    # A drafted answer stays with the bloc office until it is published to who asked.
    ctx["show_answer"] = p.state == Proposal.State.PUBLISHED or (handle and p.answer)
    return render(request, "committees/proposal.html", ctx)


STEP_FORMS = {"assign": forms.AssignForm, "answer": forms.AnswerForm, "publish": None}


@require_POST
def proposal_step(request, pk, step):
    if step not in STEP_FORMS:
        raise Http404
    p = access.get_proposal_for_user(request.user, pk, handle=True)
    form_class = STEP_FORMS[step]
    data = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
            return redirect(p)
        data = form.cleaned_data
    call = {"assign": services.assign_proposal, "answer": services.answer_proposal, "publish": services.publish_answer}
    with service_errors(request):
        call[step](proposal=p, actor=request.user, **data)
        messages.success(
            request,
            {
                "assign": _("The proposal has been assigned."),
                "answer": _("The answer has been saved."),
                "publish": _("The answer has been published to who asked."),
            }[step],
        )
    return redirect(p)


def sessions(request):
    _staff(request)
    qs = (
        access.sessions_visible_to(request.user)
        .select_related("unit", "cluster")
        .annotate(n=Count("proposals", distinct=True))
        .order_by("-held_on", "-pk")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "committees/sessions.html",
        {"page": page, "can_hold": access.session_units(request.user).exists()},
    )


@require_http_methods(["GET", "POST"])
def session_new(request):
    holders = access.session_units(request.user)
    holder = holders.first()
    if holder is None:
        raise Http404
    units = OrgUnit.objects.active().in_subtree(holder).grassroots().order_by("path")
    form = forms.SessionForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            s = services.hold_session(unit=holder, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The consultation has been recorded."))
            return redirect(s)
    return render(request, "committees/session_new.html", {"form": form})


@require_http_methods(["GET", "POST"])
def session(request, pk):
    s = access.get_session_for_user(request.user, pk)
    write = covers(request.user, s.unit.path, roles=access.BLOC)
    invited = s.invited.order_by("path")
    form = None
    if write:
        form = forms.SessionProposalForm(request.POST or None, units=invited)
        if request.method == "POST" and form.is_valid():
            with service_errors(form):
                services.submit_proposal(session=s, actor=request.user, **form.cleaned_data)
                messages.success(request, _("The proposal has been recorded."))
                return redirect(s)
    elif request.method == "POST":
        raise Http404
    paths = scope_paths(request.user)
    proposals = s.proposals.filter(path_q("unit__path", paths)).select_related("unit").order_by("pk")
    return render(
        request,
        "committees/session.html",
        {"s": s, "invited": invited, "proposals": proposals, "form": form, "today": timezone.localdate()},
    )


# Good models


def models(request):
    form = forms.ModelSearchForm(request.GET or None)
    qs = access.models_visible_to(request.user)
    if form.is_valid():
        if form.cleaned_data["q"]:
            qs = qs.filter(search_filter("search_text", form.cleaned_data["q"]))
        if form.cleaned_data["field"]:
            qs = qs.filter(field=form.cleaned_data["field"])
    pending = None
    if scope_paths(request.user, roles=access.BLOC):
        pending = qs.filter(state=GoodModel.State.SUBMITTED).count()
    page = Paginator(qs.select_related("unit"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "committees/models.html",
        {
            "form": form,
            "page": page,
            "pending": pending,
            "can_submit": access.model_units(request.user).exists(),
            "query": request.GET.urlencode(),
        },
    )


@require_http_methods(["GET", "POST"])
def model_new(request):
    units = access.model_units(request.user)
    if not units.exists():
        raise Http404
    form = forms.ModelForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            m = services.submit_model(actor=request.user, **form.cleaned_data)
            messages.success(request, _("The model has been sent to the bloc for approval."))
            return redirect(m)
    return render(request, "committees/model_new.html", {"form": form})


def model(request, pk):
    m = access.get_model_for_user(request.user, pk)
    review = m.state == GoodModel.State.SUBMITTED and covers(request.user, m.unit.path, roles=access.BLOC)
    return render(request, "committees/model.html", {"m": m, "review": review, "form": forms.ReviewForm()})


@require_POST
def model_review(request, pk):
    m = access.get_model_for_user(request.user, pk, review=True)
    form = forms.ReviewForm(request.POST)
    if form.is_valid():
        with service_errors(request):
            services.review_model(
                model=m,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
                actor=request.user,
            )
            messages.success(request, _("The review has been recorded."))
    return redirect(m)
