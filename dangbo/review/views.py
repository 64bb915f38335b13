from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangbo.accounts.access import covers, is_staff_user, path_q, refuse_own_case, scope_paths
from dangbo.org.models import OrgUnit
from dangbo.review import access, results, services
from dangbo.review.forms import (
    AnnounceForm,
    AppraisalForm,
    ClassifyUnitForm,
    CriterionForm,
    DecideForm,
    PeriodForm,
    ResultsForm,
    ReturnForm,
    SelfAssessmentForm,
    VoteForm,
)
from dangbo.review.models import CLASSIFIED_LEVELS, Criterion, Level, MemberReview, ReviewPeriod, UnitReview

S = UnitReview.State


def _opener_units(user):
    paths = scope_paths(user, roles=access.OPENER_ROLES)
    if not paths:
        return OrgUnit.objects.none()
    return (
        OrgUnit.objects.filter(path_q("path", paths), kind__in=[OrgUnit.Kind.BLOC, *OrgUnit.GRASSROOTS_KINDS])
        .active()
        .order_by("path")
    )


def home(request, form=None):
    user = request.user
    own = list(
        MemberReview.objects.filter(member__user=user)
        .exclude(period__state=ReviewPeriod.State.OPENING)
        .select_related("period", "unit")
        .order_by("-period__year", "-period__quarter", "-pk")[:10]
    )
    ctx = {"own": own, "today": timezone.localdate()}
    if is_staff_user(user):
        periods = list(access.periods_visible_to(user).select_related("unit").order_by("-year", "-quarter", "-pk")[:30])
        units = _opener_units(user)
        if form is None and units.exists():
            year = timezone.localdate().year
            form = PeriodForm(units=units, initial={"year": year, "unit": units.first()})
        ctx.update(periods=periods, form=form)
    return render(request, "review/home.html", ctx)


@require_POST
def period_open(request):
    units = _opener_units(request.user)
    if not units.exists():
        raise Http404
    posted = request.POST.get("unit", "")
    if posted and (not posted.isdigit() or not units.filter(pk=posted).exists()):
        raise Http404  # a unit this user does not open reviews for: out of scope, nothing written
    form = PeriodForm(request.POST, units=units)
    if form.is_valid():
        d = form.cleaned_data
        try:
            period = services.open_period(
                unit=d["unit"],
                kind=d["kind"],
                year=d["year"],
                quarter=d["quarter"],
                starts_on=d["starts_on"],
                ends_on=d["ends_on"],
                self_deadline=d["self_deadline"],
                actor=request.user,
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            if period.state == ReviewPeriod.State.OPEN:
                messages.success(request, _("The review is open."))
            return redirect("review:period", period.pk)
    return home(request, form=form)


def _opening(request, p):
    """The progress of a period being opened; the page (or its fragment, polled) until it is open."""
    done, total = services.opening_done(p), p.opening_total
    ctx = {
        "p": p,
        "done": done,
        "total": max(total, done),
        "stalled": services.opening_stalled(p),
        "may_edit": access.can_open_at(request.user, p.unit),
    }
    if request.headers.get("HX-Request"):
        return render(request, "review/_opening.html", ctx)
    return render(request, "review/period_opening.html", ctx)


def period(request, pk):
    p = access.get_period_for_user(request.user, pk)
    if not access.is_open(p):
        return _opening(request, p)
    if request.headers.get("HX-Request") and request.GET.get("opening"):
        # The progress fragment polled while opening: the period is open now, the page reloads.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = request.path
        return response
    paths = scope_paths(request.user)
    units = access.unit_reviews_visible_to(request.user).filter(period=p)
    progress = {
        row["grassroots_id"]: row
        for row in access.member_reviews_visible_to(request.user)
        .filter(period=p)
        .values("grassroots_id")
        .annotate(
            total=Count("pk"),
            not_classified=Count("pk", filter=Q(level=Level.NOT_CLASSIFIED, appraised_at__isnull=True)),
            submitted=Count("pk", filter=Q(self_submitted_at__isnull=False)),
            appraised=Count("pk", filter=Q(appraised_at__isnull=False)),
            excellent=Count("pk", filter=Q(level=Level.EXCELLENT)),
            good=Count("pk", filter=Q(level=Level.GOOD)),
        )
        .order_by()
    }
    grassroots = list(
        units.filter(unit__kind__in=OrgUnit.GRASSROOTS_KINDS).select_related("unit").order_by("unit__path")[:200]
    )
    cells = []
    if len(grassroots) <= 1:
        cells = list(
            units.filter(unit__kind__in=OrgUnit.CELL_KINDS).select_related("unit").order_by("unit__path")[:200]
        )
    rows = [(g, progress.get(g.unit_id, {})) for g in grassroots]
    return render(
        request,
        "review/period.html",
        {"p": p, "rows": rows, "cells": cells, "may_edit": access.can_open_at(request.user, p.unit), "paths": paths},
    )


@require_POST
def period_resume(request, pk):
    """Restart the batches of an opening that stopped (its task died or never ran)."""
    p = access.get_period_for_user(request.user, pk)
    if not access.can_open_at(request.user, p.unit):
        raise Http404
    if access.is_open(p):
        return redirect("review:period", p.pk)
    try:
        services.resume_opening(period=p, actor=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("review:period", p.pk)


@require_POST
def period_sync(request, pk):
    p = access.get_period_for_user(request.user, pk)
    if not access.can_open_at(request.user, p.unit) or not access.is_open(p):
        raise Http404
    try:
        moved, dropped, added = services.sync_period(period=p, actor=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(
            request,
            _("Lists updated: %(added)s review(s) added, %(moved)s moved with their member, %(dropped)s dropped.")
            % {"added": added, "moved": moved, "dropped": dropped},
        )
    return redirect("review:period", p.pk)


def criteria(request, pk, form=None):
    p = access.get_period_for_user(request.user, pk)
    may_edit = access.can_open_at(request.user, p.unit)
    if request.method == "POST":
        if not may_edit:
            raise Http404
        form = CriterionForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.save_criterion(
                    period=p,
                    group=d["group"],
                    section=d["section"],
                    title=d["title"],
                    max_points=d["max_points"],
                    actor=request.user,
                )
            except ValidationError as e:
                form.add_error(None, e)
            else:
                return redirect("review:criteria", p.pk)
    groups = []
    for value, label in Criterion._meta.get_field("group").choices:
        groups.append((label, [c for c in p.criteria.all() if c.group == value], services.template_errors(p, value)))
    return render(
        request,
        "review/criteria.html",
        {"p": p, "groups": groups, "may_edit": may_edit, "form": form or (CriterionForm() if may_edit else None)},
    )


@require_POST
def criterion_delete(request, pk):
    try:
        c = Criterion.objects.select_related("period__unit").get(pk=pk)
    except (Criterion.DoesNotExist, ValueError):
        raise Http404
    access.get_period_for_user(request.user, c.period_id)
    if not access.can_open_at(request.user, c.period.unit):
        raise Http404
    try:
        services.delete_criterion(criterion=c, actor=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("review:criteria", c.period_id)


# ---- a cell or grassroots organization ------------------------------------------------------------------
UNIT_ACTIONS = {
    "vote": VoteForm,
    "return": ReturnForm,
    "decide": DecideForm,
    "announce": AnnounceForm,
    "classify": ClassifyUnitForm,
}


def _unit_forms(user, ur, bound=None):
    forms = {}
    is_cell = ur.unit.kind in OrgUnit.CELL_KINDS
    is_grassroots = ur.unit.kind in OrgUnit.GRASSROOTS_KINDS
    if is_cell and ur.state == S.OPEN and access.can_write_cell(user, ur.unit):
        forms["vote"] = VoteForm(prefix="vote")
    if is_cell and ur.state == S.PROPOSED and access.can_decide_for(user, ur.grassroots):
        forms["return"] = ReturnForm(prefix="return")
    if is_grassroots and ur.state in (S.OPEN, S.PROPOSED) and access.can_decide_for(user, ur.unit):
        forms["decide"] = DecideForm(prefix="decide")
    if is_grassroots and ur.state == S.DECIDED and access.can_decide_for(user, ur.unit):
        forms["announce"] = AnnounceForm(prefix="announce")
    if ur.state != S.ANNOUNCED and access.can_classify_unit(user, ur.unit):
        initial = {"score": ur.score, "clean_strong": ur.clean_strong}
        forms["classify"] = ClassifyUnitForm(prefix="classify", initial=initial)
    if bound:
        forms[bound[0]] = bound[1]
    return forms


def unit(request, pk, bound=None):
    ur = access.get_unit_review_for_user(request.user, pk)
    reviews = (
        MemberReview.objects.filter(period=ur.period, unit=ur.unit)
        .select_related("member")
        .order_by("member__sort_name", "pk")
    )
    reviews = list(reviews)
    flags = services.flagged_reviews(ur.period, reviews) if ur.state == S.ANNOUNCED else {}
    g_review = ur if ur.unit.kind in OrgUnit.GRASSROOTS_KINDS else None
    quota = None
    if g_review is not None:
        counts, max_exc, exceeded, t = services.quota_status(g_review)
        quota = {"counts": counts, "max": max_exc, "exceeded": exceeded, "mode": t.quota_mode, "pct": t.quota_percent}
    cells = []
    if ur.unit.kind == OrgUnit.Kind.GRASSROOTS_COMMITTEE:
        cells = list(
            UnitReview.objects.filter(period=ur.period, grassroots=ur.unit, unit__kind__in=OrgUnit.CELL_KINDS)
            .select_related("unit")
            .order_by("unit__path")
        )
    counts = dict.fromkeys(Level.values, 0)
    for r in reviews:
        counts[r.level or ""] = counts.get(r.level or "", 0) + 1
    return render(
        request,
        "review/unit.html",
        {
            "ur": ur,
            "reviews": reviews,
            "flags": flags,
            "quota": quota,
            "cells": cells,
            "counts": counts,
            "levels": Level.choices,
            "forms": _unit_forms(request.user, ur, bound),
            "submitted": sum(1 for r in reviews if r.self_submitted_at),
            "appraised": sum(1 for r in reviews if r.appraised_at),
        },
    )


@require_POST
def unit_action(request, pk, action):
    ur = access.get_unit_review_for_user(request.user, pk)
    form_class = UNIT_ACTIONS.get(action)
    if action == "classify" and access.classifies_unit(request.user, ur.unit):
        refuse_own_case(request.user, orgs=[ur.unit])  # 403: their own organization
    if form_class is None or action not in _unit_forms(request.user, ur):
        raise Http404
    form = form_class(request.POST, prefix=action)
    if form.is_valid():
        d = form.cleaned_data
        try:
            if action == "vote":
                services.record_vote(
                    unit_review=ur,
                    voted_on=d["voted_on"],
                    resolution_no=d["resolution_no"],
                    present=d["present"],
                    actor=request.user,
                )
            elif action == "decide":
                warning = services.decide(
                    unit_review=ur,
                    decided_on=d["decided_on"],
                    decision_no=d["decision_no"],
                    accept_quota_warning=d["accept_quota_warning"],
                    actor=request.user,
                )
                if warning:
                    messages.warning(request, warning)
            elif action == "return":
                services.return_to_cell(unit_review=ur, reason=d["reason"], actor=request.user)
            elif action == "announce":
                services.announce(unit_review=ur, announced_on=d["announced_on"], actor=request.user)
            else:
                services.classify_organization(
                    unit_review=ur, score=d["score"], clean_strong=d["clean_strong"], actor=request.user
                )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Saved."))
            return redirect("review:unit", ur.pk)
    return unit(request, pk, bound=(action, form))


# ---- a member -------------------------------------------------------------------------------------------
def _member_forms(user, r, ur, bound=None):
    forms = {}
    criteria = list(r.period.criteria.filter(group=r.group))
    own = access.is_own(user, r)
    writer = access.can_write_cell(user, r.unit)
    appraiser = access.can_appraise(user, r)
    if ur.state == S.OPEN and r.appraised_at is None and r.level != Level.NOT_CLASSIFIED and (own or writer):
        forms["self"] = SelfAssessmentForm(
            prefix="self", criteria=criteria, initial_scores=r.self_scores, initial={"comment": r.self_comment}
        )
    if (
        ur.state == S.OPEN
        and appraiser
        and r.self_submitted_at
        and r.level != Level.NOT_CLASSIFIED
        or (ur.state == S.OPEN and appraiser and r.appraised_at)
    ):
        forms["appraise"] = AppraisalForm(
            prefix="appraise",
            initial={
                "score": r.score if r.score is not None else r.self_score,
                "late": r.late_percent,
                "exceeding": r.exceeding_percent,
                "targets": r.targets_percent,
                "disqualifier": r.disqualifier,
                "disqualifier_note": r.disqualifier_note,
                "note": r.appraisal_note,
            },
        )
    if bound:
        forms[bound[0]] = bound[1]
    return forms, criteria


def member(request, pk, bound=None):
    r = access.get_member_review_for_user(request.user, pk)
    ur = UnitReview.objects.select_related("unit").get(period=r.period, unit=r.unit)
    forms, criteria = _member_forms(request.user, r, ur, bound)
    lines = [(c, r.self_scores.get(str(c.pk))) for c in criteria]
    flag = None
    if ur.state == S.ANNOUNCED and r.level == Level.NOT_COMPLETE:
        flag = services.flagged_reviews(r.period, [r]).get(r.pk)
    may_propose = flag and access.can_appraise(request.user, r)
    g = UnitReview.objects.get(period=r.period, unit=r.grassroots)
    show_level = ur.state == S.ANNOUNCED or not access.is_own(request.user, r) or g.state == S.ANNOUNCED
    return render(
        request,
        "review/member.html",
        {
            "r": r,
            "ur": ur,
            "forms": forms,
            "lines": lines,
            "flag": flag,
            "may_propose": may_propose,
            "show_level": show_level,
            "late": r.self_submitted_at and r.self_submitted_at.date() > r.period.self_deadline,
            "reasons": [x for x in r.level_reasons.split("\n") if x],
        },
    )


@require_POST
def member_action(request, pk, action):
    r = access.get_member_review_for_user(request.user, pk)
    ur = UnitReview.objects.get(period=r.period, unit=r.unit)
    if action in ("appraise", "propose_removal") and access.can_write_cell(request.user, r.unit):
        refuse_own_case(request.user, subjects=[r.member])  # 403: their own review
    if action == "propose_removal":
        if not access.can_write_cell(request.user, r.unit):
            raise Http404
        try:
            proposal = services.propose_removal_after_review(review=r, actor=request.user)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
            return redirect("review:member", r.pk)
        messages.success(request, _("The removal proposal was sent to the competent level."))
        return redirect("lifecycle:proposal", proposal.pk)
    forms, criteria = _member_forms(request.user, r, ur)
    if action not in forms:
        raise Http404
    if action == "self":
        form = SelfAssessmentForm(request.POST, prefix="self", criteria=criteria)
    else:
        form = AppraisalForm(request.POST, prefix="appraise")
    if form.is_valid():
        d = form.cleaned_data
        try:
            if action == "self":
                services.submit_self_assessment(
                    review=r, scores=form.scores(), comment=d["comment"], actor=request.user
                )
            else:
                services.appraise(
                    review=r,
                    score=d["score"],
                    late=d["late"],
                    exceeding=d["exceeding"],
                    targets=d["targets"],
                    disqualifier=d["disqualifier"],
                    disqualifier_note=d["disqualifier_note"],
                    note=d["note"],
                    actor=request.user,
                )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Saved."))
            return redirect("review:member", r.pk)
    return member(request, pk, bound=(action, form))


# ---- results ----------------------------------------------------------------------------------------------
def _results_context(request):
    access.require_staff(request.user)
    paths = scope_paths(request.user)
    units = OrgUnit.objects.filter(path_q("path", paths)).exclude(kind=OrgUnit.Kind.PARTY_GROUP).order_by("path")
    form = ResultsForm(request.GET or None, units=units)
    year = timezone.localdate().year - 1
    root_paths = paths
    unit_obj = None
    if form.is_valid():
        year = form.cleaned_data["year"] or year
        unit_obj = form.cleaned_data["unit"]
        if unit_obj is not None:
            if not covers(request.user, unit_obj.path):
                raise Http404
            root_paths = [unit_obj.path]
    rows = results.by_grassroots(root_paths, year)
    years = list(range(year - 4, year + 1))
    by_year, orgs = results.by_year(root_paths, years)
    total = {lv: sum(c[lv] for _u, c in rows) for lv in Level.values}
    return {
        "form": form,
        "year": year,
        "unit": unit_obj,
        "rows": rows,
        "total": total,
        "by_year": [(y, by_year[y], orgs[y]) for y in years],
        "levels": [(v, label) for v, label in Level.choices if v in CLASSIFIED_LEVELS or v == Level.NOT_CLASSIFIED],
        "previous": by_year.get(year - 1),
    }


def results_view(request):
    ctx = _results_context(request)
    chart = {
        "labels": [str(y) for y, _m, _o in ctx["by_year"]],
        "series": [
            {"label": str(label), "values": [m[v] for _y, m, _o in ctx["by_year"]]}
            for v, label in ctx["levels"]
            if v in CLASSIFIED_LEVELS
        ],
    }
    ctx["chart"] = chart
    return render(request, "review/results.html", ctx)


def export(request):
    from dangbo.review.export import results_workbook

    ctx = _results_context(request)
    data = results_workbook(ctx)
    resp = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    resp["Content-Disposition"] = f'attachment; filename="xep-loai-{ctx["year"]}.xlsx"'
    return resp
