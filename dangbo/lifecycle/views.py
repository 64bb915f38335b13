import contextlib
import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dangbo.core.applying import service_errors
from dangbo.core.params import param_id, param_ids, param_int, param_search, param_year
from dangbo.core.text import fold, search_filter
from dangbo.lifecycle import badges, services
from dangbo.lifecycle.access import (
    awards_visible_to,
    can_act,
    can_decide_at,
    cards_visible_to,
    decider_paths,
    exemptions_visible_to,
    get_card_for_user,
    get_member_for_user,
    get_proposal_for_user,
    members_in_scope,
    proposals_visible_to,
    require_staff,
)
from dangbo.lifecycle.forms import (
    BadgeDecisionForm,
    BadgeFlagForm,
    CardForm,
    DayForm,
    DecideRemovalForm,
    DecisionForm,
    ExemptForm,
    LossForm,
    MemberSearchForm,
    OccasionForm,
    ProposeRemovalForm,
    ReissueForm,
)
from dangbo.lifecycle.models import RemovalProposal
from dangbo.members.models import Member
from dangbo.org.access import units_visible_to

PAGE_SIZE = 50
S = Member.Status


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def home(request):
    require_staff(request.user)
    form = MemberSearchForm(request.GET or None)
    members = members_in_scope(request.user)
    page = None
    if form.is_valid() and form.cleaned_data["q"]:
        q = form.cleaned_data["q"].strip()
        if q[:1].isdigit():
            with contextlib.suppress(ValidationError):
                q = services.normalize_card_number(q)
            found = members.filter(card_number=q)
        else:
            found = members.filter(search_filter("search_name", q))
        page = _page(request, found.select_related("unit").order_by("sort_name", "pk"))
    today = timezone.localdate()
    counts = {
        "exempted": exemptions_visible_to(request.user).filter(ended_on__isnull=True).count(),
        "proposals": proposals_visible_to(request.user).filter(state=RemovalProposal.State.PROPOSED).count(),
        "cards_due": services.cards_due(members).count(),
        "handover": cards_visible_to(request.user)
        .filter(handed_over_on__isnull=True, lost_on__isnull=True, recovered_on__isnull=True, issued_on__isnull=False)
        .count(),
    }
    try:
        occasions = badges.upcoming_occasions(today)
    except ValidationError:
        occasions = []
    return render(
        request,
        "lifecycle/home.html",
        {"form": form, "page": page, "counts": counts, "occasions": occasions, "tab": "home"},
    )


def exemptions(request):
    require_staff(request.user)
    services.end_expired_exemptions(members=members_in_scope(request.user))
    qs = exemptions_visible_to(request.user).select_related("member__unit")
    show = request.GET.get("show", "open")
    if show == "open":
        qs = qs.filter(ended_on__isnull=True)
    page = _page(request, qs.order_by("-starts_on", "-pk"))
    return render(request, "lifecycle/exemptions.html", {"page": page, "show": show, "tab": "exemptions"})


def removals(request):
    require_staff(request.user)
    qs = proposals_visible_to(request.user).select_related("member__unit", "raised_by_unit")
    state = request.GET.get("state", RemovalProposal.State.PROPOSED)
    if state in RemovalProposal.State.values:
        qs = qs.filter(state=state)
    page = _page(request, qs.order_by("-raised_on", "-pk"))
    return render(
        request,
        "lifecycle/removals.html",
        {"page": page, "state": state, "states": RemovalProposal.State.choices, "tab": "removals"},
    )


def proposal(request, pk, form=None):
    p = get_proposal_for_user(request.user, pk)
    may_decide = p.state == RemovalProposal.State.PROPOSED and can_act(request.user, p.member, "decide_removal")
    if may_decide and form is None:
        form = DecideRemovalForm(prefix="decide")
    return render(request, "lifecycle/proposal.html", {"p": p, "form": form if may_decide else None, "tab": "removals"})


@require_POST
def proposal_decide(request, pk):
    p = get_proposal_for_user(request.user, pk, decide=True)
    form = DecideRemovalForm(request.POST, prefix="decide")
    if form.is_valid():
        d = form.cleaned_data
        with service_errors(form):
            services.decide_removal(
                proposal=p,
                approve=d["outcome"] == "remove",
                day=d["day"],
                decision_no=d["decision_no"],
                note=d["note"],
                actor=request.user,
            )
            messages.success(request, _("The decision has been recorded."))
            return redirect(p)
    return proposal(request, pk, form=form)


# ---- one member ------------------------------------------------------------------------------------
ACTION_FORMS = {
    "exempt": ExemptForm,
    "end_exemption": DayForm,
    "propose_removal": ProposeRemovalForm,
    "death": DayForm,
    "expel": DecisionForm,
    "restore": DecisionForm,
    "issue_card": CardForm,
    "badge_flag": BadgeFlagForm,
}
ACTION_TITLES = {
    "exempt": gettext_lazy("Exempt from party work and meetings"),
    "end_exemption": gettext_lazy("End the exemption"),
    "propose_removal": gettext_lazy("Propose removal from the list"),
    "death": gettext_lazy("Record the death"),
    "expel": gettext_lazy("Record an expulsion"),
    "restore": gettext_lazy("Restore membership"),
    "issue_card": gettext_lazy("Issue a party card"),
    "badge_flag": gettext_lazy("Badge flags"),
}


def _available(user, member):
    on_books = member.status in services.ON_BOOKS
    open_exemption = member.exemptions.filter(ended_on__isnull=True).first()
    has_card = services.holds_card(member)
    wanted = {
        "exempt": member.status in (S.OFFICIAL, S.PROBATIONARY),
        "end_exemption": open_exemption is not None,
        "propose_removal": on_books and not member.removal_proposals.filter(state="proposed").exists(),
        "death": on_books,
        "expel": on_books and member.status != S.PROBATIONARY,
        "restore": member.status in services.RESTORABLE,
        "issue_card": member.status in (S.OFFICIAL, S.EXEMPTED) and not has_card,
        "badge_flag": on_books or member.status == S.DECEASED,
    }
    return [a for a, ok in wanted.items() if ok and can_act(user, member, a)], open_exemption


def _form(action, member, data=None):
    form = ACTION_FORMS[action](data, prefix=action)
    if action == "badge_flag" and data is None:
        flag = getattr(member, "badge_flag", None)
        if flag:
            form.initial = {
                "seriously_ill": flag.seriously_ill,
                "deferred_until": flag.deferred_until,
                "deferral_reason": flag.deferral_reason,
                "adjust_months": flag.adjust_months,
                "adjust_reason": flag.adjust_reason,
            }
    return form


def member(request, pk, forms=None):
    require_staff(request.user)
    m = get_member_for_user(request.user, pk)
    if m.card_number:
        services.active_card(m)  # a card known only from the dossier gets its row in the card log
    actions, open_exemption = _available(request.user, m)
    actions += [a for a in (forms or {}) if a not in actions]
    cards = list(m.cards.select_related("reissue_of").order_by("-pk"))
    card_forms = []
    may_reissue = can_act(request.user, m, "reissue_card")
    for card in cards:
        if card.is_active:
            if card.issued_on and not card.handed_over_on and can_act(request.user, m, "hand_over"):
                card_forms.append((card, "hand_over", DayForm(prefix="hand_over")))
            if can_act(request.user, m, "report_loss"):
                card_forms.append((card, "report_loss", LossForm(prefix="report_loss")))
        elif card.lost_on and not hasattr(card, "reissue") and m.status in services.ON_BOOKS and may_reissue:
            card_forms.append((card, "reissue_card", ReissueForm(prefix="reissue_card")))
    try:
        occasion = badges.upcoming_occasions()[0]
        eligible = badges.evaluate(
            m,
            occasion,
            flag=getattr(m, "badge_flag", None),
            awarded=set(m.badges.values_list("years", flat=True)),
            unit=m.unit,
        )
    except (ValidationError, IndexError):
        occasion = eligible = None
    context = {
        "m": m,
        "events": m.events.exclude(status_after="").order_by("-date", "-id")[:20],
        "exemptions": m.exemptions.all(),
        "proposals": m.removal_proposals.all(),
        "cards": cards,
        "card_forms": card_forms,
        "awards": m.badges.select_related("decision"),
        "occasion": occasion,
        "eligible": eligible,
        "party_age_from": m.party_age_from,
        "action_forms": [(a, ACTION_TITLES[a], (forms or {}).get(a) or _form(a, m)) for a in actions],
        "open_exemption": open_exemption,
        "tab": "home",
    }
    return render(request, "lifecycle/member.html", context)


@require_POST
def member_action(request, pk, action):
    if action not in ACTION_FORMS:
        raise Http404
    m = get_member_for_user(request.user, pk, action=action)
    form = _form(action, m, request.POST)
    if not form.is_valid():
        return member(request, pk, forms={action: form})
    d, actor = form.cleaned_data, request.user
    try:
        if action == "exempt":
            services.exempt(
                member=m,
                reason=d["reason"],
                starts_on=d["starts_on"],
                ends_on=d["ends_on"],
                decision_no=d["decision_no"],
                note=d["note"],
                actor=actor,
            )
        elif action == "end_exemption":
            ex = m.exemptions.filter(ended_on__isnull=True).first()
            if ex is None:
                raise ValidationError(_("This member has no open exemption."))
            services.end_exemption(exemption=ex, day=d["day"], note=d["note"], actor=actor)
        elif action == "propose_removal":
            p = services.propose_removal(
                member=m,
                ground=d["ground"],
                count=d["count"],
                evidence=d["evidence"],
                raised_on=d["raised_on"],
                actor=actor,
            )
            messages.success(request, _("The proposal has been sent to the competent party committee."))
            return redirect(p)
        elif action == "death":
            services.record_death(member=m, day=d["day"], note=d["note"], actor=actor)
        elif action == "expel":
            services.record_expulsion(member=m, day=d["day"], decision_no=d["decision_no"], note=d["note"], actor=actor)
        elif action == "restore":
            services.restore(member=m, day=d["day"], decision_no=d["decision_no"], note=d["note"], actor=actor)
        elif action == "issue_card":
            services.issue_card(
                member=m, number=d["number"], issued_on=d["issued_on"], decision_no=d["decision_no"], actor=actor
            )
        elif action == "badge_flag":
            badges.set_flag(
                member=m,
                seriously_ill=d["seriously_ill"],
                deferred_until=d["deferred_until"],
                deferral_reason=d["deferral_reason"],
                adjust_months=d["adjust_months"] or 0,
                adjust_reason=d["adjust_reason"],
                actor=actor,
            )
    except ValidationError as e:
        form.add_error(None, e)
        return member(request, pk, forms={action: form})
    messages.success(request, _("Saved."))
    return redirect("lifecycle:member", pk=m.pk)


CARD_FORMS = {"hand_over": DayForm, "report_loss": LossForm, "reissue_card": ReissueForm}


@require_POST
def card_action(request, pk, action):
    if action not in CARD_FORMS:
        raise Http404
    card = get_card_for_user(request.user, pk, action=action)
    form = CARD_FORMS[action](request.POST, prefix=action)
    if form.is_valid():
        d = form.cleaned_data
        try:
            if action == "hand_over":
                services.hand_over(card=card, day=d["day"], actor=request.user)
            elif action == "report_loss":
                services.report_loss(card=card, day=d["day"], note=d["note"], actor=request.user)
            else:
                services.reissue_card(
                    card=card,
                    issued_on=d["issued_on"],
                    decision_no=d["decision_no"],
                    number=d["number"],
                    actor=request.user,
                )
        except ValidationError as e:
            for msg in e.messages:
                messages.error(request, msg)
        else:
            messages.success(request, _("Saved."))
    else:
        for errors in form.errors.values():
            for msg in errors:
                messages.error(request, msg)
    return redirect("lifecycle:member", pk=card.member_id)


# ---- cards --------------------------------------------------------------------------------------------
def cards(request):
    require_staff(request.user)
    show = request.GET.get("show", "due")
    if show == "handover":
        qs = (
            cards_visible_to(request.user)
            .filter(
                handed_over_on__isnull=True, lost_on__isnull=True, recovered_on__isnull=True, issued_on__isnull=False
            )
            .select_related("member__unit")
            .order_by("member__unit__path", "issued_on", "pk")
        )
    elif show == "log":
        qs = (
            cards_visible_to(request.user)
            .exclude(issued_on__isnull=True, lost_on__isnull=True, recovered_on__isnull=True)
            .select_related("member__unit", "reissue_of")
            .order_by("-created_at", "-pk")
        )
    else:
        show = "due"
        qs = services.cards_due(members_in_scope(request.user)).select_related("unit")
    return render(request, "lifecycle/cards.html", {"page": _page(request, qs), "show": show, "tab": "cards"})


# ---- badges -------------------------------------------------------------------------------------------
def _occasion_context(request):
    require_staff(request.user)
    units = units_visible_to(request.user).active().exclude(kind="party_group").order_by("path")
    form = OccasionForm(request.GET or None, units=units)
    today = timezone.localdate()
    try:
        upcoming = badges.upcoming_occasions(today)
    except ValidationError:
        upcoming = []
    occasion = upcoming[0] if upcoming else today
    unit = None
    if form.is_valid():
        occasion = form.cleaned_data["on"] or occasion
        unit = form.cleaned_data["unit"]
    members = members_in_scope(request.user)
    if unit is not None:
        members = members.filter(unit__path__startswith=unit.path)
    try:
        rows = badges.eligibility(members, occasion, unit=unit)
        problem = None
    except ValidationError as e:
        rows, problem = [], " ".join(e.messages)
    return form, upcoming, occasion, unit, rows, problem


def badge_list(request, decision_form=None):
    form, upcoming, occasion, unit, rows, problem = _occasion_context(request)
    decide_units = [r.member.pk for r in rows if not r.deferred_until and can_decide_at(request.user, r.member.unit)]
    is_occasion = False
    with contextlib.suppress(ValidationError):
        is_occasion = (occasion.day, occasion.month) in badges.occasion_days(occasion)
    return render(
        request,
        "lifecycle/badges.html",
        {
            "form": form,
            "upcoming": upcoming,
            "occasion": occasion,
            "unit": unit,
            "rows": rows,
            "problem": problem,
            "decidable": set(decide_units),
            "decision_form": (decision_form or BadgeDecisionForm(prefix="decision"))
            if decide_units and is_occasion
            else None,
            "tab": "badges",
        },
    )


def badge_export(request):
    from dangbo.lifecycle.export import eligibility_workbook

    _form, _upcoming, occasion, unit, rows, _problem = _occasion_context(request)
    content = eligibility_workbook(rows, occasion=occasion, unit=unit)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="huy-hieu-dang-{occasion:%Y-%m-%d}.xlsx"'
    return response


@require_POST
def badge_award(request):
    require_staff(request.user)
    paths = decider_paths(request.user)
    if not paths:
        raise Http404
    form = BadgeDecisionForm(request.POST, prefix="decision")
    try:
        occasion = datetime.datetime.strptime(request.POST.get("occasion", ""), "%Y-%m-%d").date()
    except ValueError:
        raise Http404
    ids = param_ids(request.POST, "member")
    chosen = list(members_in_scope(request.user).filter(pk__in=ids).select_related("unit"))
    if len(chosen) != len(set(ids)):
        raise Http404  # a member out of the user's scope: refused, not silently dropped
    unit_pk = request.POST.get("unit", "")
    unit = units_visible_to(request.user).filter(pk=unit_pk).first() if unit_pk.isdigit() else None
    if unit is None:
        unit = units_visible_to(request.user).filter(path__in=paths).order_by("depth").first()
    if form.is_valid():
        try:
            decision = badges.award(
                members=chosen,
                occasion=occasion,
                number=form.cleaned_data["number"],
                signed_on=form.cleaned_data["signed_on"],
                unit=unit,
                actor=request.user,
            )
        except ValidationError as e:
            for msg in e.messages:
                messages.error(request, msg)
        else:
            messages.success(
                request,
                _("Decision %(number)s awards %(n)s party badges.")
                % {"number": decision.number, "n": decision.awards.count()},
            )
            return redirect(f"{reverse('lifecycle:register')}?decision={decision.pk}")
    else:
        for errors in form.errors.values():
            for msg in errors:
                messages.error(request, msg)
    query = f"?on={occasion:%d/%m/%Y}" + (f"&unit={unit.pk}" if unit_pk.isdigit() else "")
    return redirect(reverse("lifecycle:badges") + query)


def register(request):
    require_staff(request.user)
    qs = awards_visible_to(request.user).select_related("member__unit", "decision")
    year = param_year(request, "year")
    if year:
        qs = qs.filter(occasion__year=year)
    years = param_int(request, "years", min_value=0, max_value=200)
    if years is not None:
        qs = qs.filter(years=years)
    decision = param_id(request, "decision")
    if decision:
        qs = qs.filter(decision_id=decision)
    q = param_search(request)
    if q:
        qs = qs.filter(member__search_name__contains=fold(q))
    page = _page(request, qs.order_by("-occasion", "member__unit__path", "member__sort_name", "pk"))
    return render(
        request,
        "lifecycle/register.html",
        {"page": page, "tab": "register", "year": year or "", "years": "" if years is None else years, "q": q},
    )
