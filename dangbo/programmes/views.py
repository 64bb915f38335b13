import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dangbo.accounts.access import WRITE_ROLES, is_staff_user, path_q, scope_paths
from dangbo.core.applying import service_errors
from dangbo.core.params import param_id, param_search
from dangbo.documents.models import Document
from dangbo.org.models import OrgUnit
from dangbo.programmes import access, services
from dangbo.programmes.forms import (
    AdoptForm,
    EventForm,
    IndicatorForm,
    IndicatorValuesForm,
    JudgeForm,
    PrizeForm,
    ProgrammeForm,
    RegisterForm,
    ReportForm,
    ReviewForm,
    RoundForm,
    ScoreSheetForm,
    TaskChangeForm,
    TaskForm,
)
from dangbo.programmes.models import Programme, Report

PAGE_SIZE = 50


def _staff(request):
    if not is_staff_user(request.user):
        raise Http404


def _write_units(user):
    paths = scope_paths(user, roles=WRITE_ROLES)
    return OrgUnit.objects.active().filter(path_q("path", paths)).only("id", "name", "depth", "path").order_by("path")


TABS = ["programmes", "overdue", "missing"]


def home(request):
    """Programmes around the user's scope, with the overdue tasks and missing reports inside it."""
    _staff(request)
    today = timezone.localdate()
    visible = access.programmes_visible_to(request.user)
    mine = Programme.objects.filter(path_q("unit__path", scope_paths(request.user)))
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "programmes"
    overdue = services.overdue_tasks(mine, today)
    missing = services.missing_reports(mine, today)
    ctx = {"tab": tab, "today": today, "counts": {"overdue": overdue.count(), "missing": len(missing)}}
    if tab == "programmes":
        qs = visible.select_related("unit", "parent", "document").annotate(n_children=Count("children"))
        ctx["page"] = Paginator(qs.order_by("-adopted_on", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    elif tab == "overdue":
        ctx["page"] = Paginator(overdue, PAGE_SIZE).get_page(request.GET.get("page"))
    else:
        ctx["page"] = Paginator(missing, PAGE_SIZE).get_page(request.GET.get("page"))
    ctx["can_create"] = _write_units(request.user).exists()
    ctx["events"] = access.events_visible_to(request.user).select_related("unit")[:5]
    return render(request, "programmes/home.html", ctx)


def _documents_for(user):
    paths = scope_paths(user)
    return Document.objects.filter(access._around_scope_q("unit", paths)).order_by("-issued_on", "-pk")


@require_http_methods(["GET", "POST"])
def programme_new(request):
    units = _write_units(request.user)
    if not units.exists():
        raise Http404
    initial = {}
    if param_id(request, "document"):
        initial["document"] = param_id(request, "document")
    form = ProgrammeForm(request.POST or None, units=units, documents=_documents_for(request.user), initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with service_errors(form):
            p = services.create_programme(actor=request.user, **d)
            messages.success(request, _("The programme has been created. Add its indicators and tasks."))
            return redirect(p)
    return render(request, "programmes/programme_new.html", {"form": form})


def detail(request, pk, forms=None):
    p = access.get_programme_for_user(request.user, pk)
    forms = forms or {}
    today = timezone.localdate()
    can_edit = access.can_edit(request.user, p)
    cells = services.indicator_progress(p)
    ctx = {
        "p": p,
        "today": today,
        "cells": cells,
        "tasks": p.tasks.select_related("owner_unit", "parent"),
        "can_edit": can_edit,
        "can_report": access.can_write_report(request.user, p) and p.is_action_programme,
        "can_adopt": access.adopting_units(request.user, p).exists(),
        "sees_subtree": access.sees_subtree(request.user, p),
    }
    if ctx["sees_subtree"]:
        ctx["reports"] = p.reports.all()
        ctx["n_children"] = p.children.count()
        ctx["periods"] = services.periods(p) if p.is_action_programme else []
        counted = {r.period_start for r in ctx["reports"] if r.state in Report.COUNTED}
        ctx["missing"] = services.missing_periods(p, counted, today) if p.is_action_programme else []
    mine = access.programmes_visible_to(request.user).filter(parent=p, unit__path__in=scope_paths(request.user))
    ctx["my_adoptions"] = mine.select_related("unit")
    if can_edit:
        ctx["indicator_form"] = forms.get("indicator") or IndicatorForm(prefix="ind")
        ctx["task_form"] = forms.get("task") or TaskForm(prefix="task", programme=p)
        for c in cells:
            c.form = forms.get(f"values{c.indicator.pk}") or IndicatorValuesForm(
                prefix=f"i{c.indicator.pk}", initial={"baseline": c.indicator.baseline, "target": c.indicator.target}
            )
        ctx["values_error"] = any(k.startswith("values") for k in forms)
    return render(request, "programmes/detail.html", ctx)


@require_POST
def indicator_add(request, pk):
    p = access.get_programme_for_user(request.user, pk, edit=True)
    form = IndicatorForm(request.POST, prefix="ind")
    if form.is_valid():
        with service_errors(form):
            services.add_indicator(programme=p, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The indicator has been added."))
            return redirect(p)
    return detail(request, pk, forms={"indicator": form})


@require_POST
def indicator_edit(request, pk, ipk):
    p = access.get_programme_for_user(request.user, pk, edit=True)
    ind = get_object_or_404(p.indicators.select_related("parent", "programme__unit"), pk=ipk)
    form = IndicatorValuesForm(request.POST, prefix=f"i{ind.pk}")
    if form.is_valid():
        with service_errors(form):
            services.set_indicator_values(indicator=ind, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The target has been saved."))
            return redirect(p)
    return detail(request, pk, forms={f"values{ind.pk}": form})


@require_POST
def task_add(request, pk):
    p = access.get_programme_for_user(request.user, pk, edit=True)
    form = TaskForm(request.POST, prefix="task", programme=p)
    if form.is_valid():
        with service_errors(form):
            services.add_task(programme=p, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The task has been added."))
            return redirect(p)
    return detail(request, pk, forms={"task": form})


@require_http_methods(["GET", "POST"])
def task_edit(request, pk, tpk):
    p = access.get_programme_for_user(request.user, pk, edit=True)
    task = get_object_or_404(p.tasks.select_related("parent", "owner_unit"), pk=tpk)
    form = TaskChangeForm(
        request.POST or None,
        programme=p,
        initial={"owner_unit": task.owner_unit_id, "due_on": task.due_on, "responsible": task.responsible},
    )
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            services.change_task(task=task, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The task has been saved."))
            return redirect(p)
    return render(request, "programmes/task_edit.html", {"p": p, "task": task, "form": form})


@require_http_methods(["GET", "POST"])
def adopt(request, pk):
    p = access.get_programme_for_user(request.user, pk)
    units = access.adopting_units(request.user, p)
    if not units.exists():
        raise Http404
    form = AdoptForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            child = services.adopt_programme(parent=p, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The action programme has been adopted. Adjust its targets and tasks."))
            return redirect(child)
    return render(request, "programmes/adopt.html", {"p": p, "form": form})


def progress(request, pk):
    """Progress of the adopting units in the user's scope, per unit and indicator, with a chart."""
    p = access.get_programme_for_user(request.user, pk)
    if not access.sees_subtree(request.user, p):
        raise Http404
    today = timezone.localdate()
    children = p.children.filter(path_q("unit__path", scope_paths(request.user)))
    rows = services.progress_by_unit(p, children=children, today=today)
    indicators = list(p.indicators.all())
    chart = {
        "units": [r.unit.name for r in rows],
        "indicators": [
            {
                "name": str(ind),
                "percent": [float(r.cells[n].percent) if r.cells[n].percent is not None else None for r in rows],
            }
            for n, ind in enumerate(indicators)
        ],
    }
    adopted = {r.unit.pk for r in rows}
    not_adopted = (
        OrgUnit.objects.active()
        .filter(parent=p.unit, kind__in=(*OrgUnit.GRASSROOTS_KINDS, *OrgUnit.CELL_KINDS))
        .filter(path_q("path", scope_paths(request.user)))
        .exclude(pk__in=adopted)
        .order_by("path")
    )
    ctx = {
        "p": p,
        "rows": rows,
        "indicators": indicators,
        "chart": chart,
        "today": today,
        "not_adopted": not_adopted,
        "overdue": services.overdue_tasks(children, today)[:200],
    }
    return render(request, "programmes/progress.html", ctx)


def _report_form(request, p, report=None):
    today = timezone.localdate()
    started = [x for x in services.periods(p) if x.start <= today]
    initial = {}
    if report is not None:
        initial = {"period": report.period_start.isoformat(), "narrative": report.narrative}
        for v in report.values.all():
            initial[f"v_{v.indicator_id}"] = v.value
        for t in report.task_rows.all():
            initial[f"s_{t.task_id}"] = t.status
            initial[f"d_{t.task_id}"] = t.done_on
            initial[f"n_{t.task_id}"] = t.note
    else:
        wanted = request.GET.get("period")
        done = set(p.reports.values_list("period_start", flat=True))
        open_ = [x for x in started if x.start not in done]
        chosen = next((x for x in started if x.start.isoformat() == wanted), None) or (open_[0] if open_ else None)
        if chosen:
            initial["period"] = chosen.start.isoformat()
        for t in p.tasks.all():
            initial[f"s_{t.pk}"] = t.status
            initial[f"d_{t.pk}"] = t.done_on
    return ReportForm(
        request.POST or None,
        request.FILES or None,
        periods=started,
        indicators=p.indicators.all(),
        tasks=p.tasks.all(),
        initial=initial,
    )


def _save_report(request, p, form, report=None):
    try:
        start = datetime.date.fromisoformat(form.cleaned_data["period"])
        return services.save_report(
            programme=p,
            period_start=start,
            values=form.values(),
            tasks=form.task_statuses(),
            narrative=form.cleaned_data["narrative"],
            evidence=form.cleaned_data.get("evidence"),
            actor=request.user,
            report=report,
        )
    except ValidationError as e:
        form.add_error(None, e)
    except ValueError:
        form.add_error("period", _("Choose a period."))
    return None


@require_http_methods(["GET", "POST"])
def report_new(request, pk):
    p = access.get_programme_for_user(request.user, pk)
    if not (p.is_action_programme and access.can_write_report(request.user, p)):
        raise Http404
    form = _report_form(request, p)
    if request.method == "POST" and form.is_valid():
        report = _save_report(request, p, form)
        if report is not None:
            return _after_save(request, report)
    return render(request, "programmes/report_form.html", {"p": p, "form": form})


def _after_save(request, report):
    if "submit" in request.POST:
        try:
            services.submit_report(report=report, actor=request.user)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
            return redirect(report)
        messages.success(request, _("The report has been submitted to the level above."))
    else:
        messages.success(request, _("The draft report has been saved."))
    return redirect(report)


@require_http_methods(["GET", "POST"])
def report(request, pk):
    r = access.get_report_for_user(request.user, pk)
    p = r.programme
    can_write = access.can_write_report(request.user, p) and r.state in Report.EDITABLE
    form = None
    if can_write:
        form = _report_form(request, p, report=r)
        form.fields["period"].disabled = True
        if request.method == "POST" and form.is_valid():
            saved = _save_report(request, p, form, report=r)
            if saved is not None:
                return _after_save(request, saved)
    elif request.method == "POST":
        raise Http404
    values = {v.indicator_id: v.value for v in r.values.all()}
    cells = []
    for ind in p.indicators.all():
        v = values.get(ind.pk)
        cells.append({"indicator": ind, "value": v, "percent": ind.percent(v), "reached": ind.reached(v)})
    ctx = {
        "r": r,
        "p": p,
        "form": form,
        "cells": cells,
        "task_rows": r.task_rows.select_related("task__owner_unit"),
        "review_form": ReviewForm()
        if access.can_review(request.user, r) and r.state == Report.State.SUBMITTED
        else None,
    }
    return render(request, "programmes/report.html", ctx)


@require_POST
def report_submit(request, pk):
    r = access.get_report_for_user(request.user, pk)
    if not access.can_write_report(request.user, r.programme):
        raise Http404
    with service_errors(request):
        services.submit_report(report=r, actor=request.user)
        messages.success(request, _("The report has been submitted to the level above."))
    return redirect(r)


@require_POST
def report_review(request, pk):
    r = access.get_report_for_user(request.user, pk)
    if not access.can_review(request.user, r):
        raise Http404
    form = ReviewForm(request.POST)
    if form.is_valid():
        with service_errors(request):
            services.review_report(
                report=r,
                accept=form.cleaned_data["decision"] == "accept",
                note=form.cleaned_data["note"],
                actor=request.user,
            )
            messages.success(request, _("The review has been recorded."))
    else:
        messages.error(request, _("Choose a decision."))
    return redirect(r)


def report_evidence(request, pk):
    r = access.get_report_for_user(request.user, pk)
    if not r.evidence:
        raise Http404
    response = FileResponse(r.evidence.open("rb"), as_attachment=True)
    response["Cache-Control"] = "private"
    return response


# --- Events and contests ------------------------------------------------------------------------


def events(request):
    _staff(request)
    qs = access.events_visible_to(request.user).select_related("unit").annotate(n=Count("registrations"))
    page = Paginator(qs.order_by("-starts_on", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "programmes/events.html", {"page": page, "can_create": _write_units(request.user).exists()})


@require_http_methods(["GET", "POST"])
def event_new(request):
    units = _write_units(request.user)
    if not units.exists():
        raise Http404
    form = EventForm(request.POST or None, units=units, initial={"quota_per_unit": 2})
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            e = services.create_event(actor=request.user, **form.cleaned_data)
            messages.success(request, _("The event has been created."))
            return redirect(e)
    return render(request, "programmes/event_new.html", {"form": form})


def event(request, pk, forms=None):
    e = access.get_event_for_user(request.user, pk)
    forms = forms or {}
    regs = access.registrations_visible_to(request.user, e).select_related("unit", "member")
    n, n_units = services.event_summary(e.registrations.all())
    manage = access.can_manage_event(request.user, e)
    units = list(access.registering_units(request.user, e))
    query = param_search(request)
    today = timezone.localdate()
    ctx = {
        "e": e,
        "regs": regs.order_by("rank", "unit__path", "pk") if e.results_published_on else regs,
        "n": n,
        "n_units": n_units,
        "manage": manage,
        "query": query,
        "open": today <= e.registration_deadline,
        "quota_used": dict(e.registrations.values_list("unit_id").annotate(c=Count("pk")).order_by()),
        "units": units,
    }
    # After the deadline a registration made in time may still be entered with its date, until the results.
    if units and (ctx["open"] or not e.results_published_on):
        ctx["register_form"] = forms.get("register") or RegisterForm(
            units=access.registering_units(request.user, e), query=query
        )
        ctx["my_counts"] = [(u, ctx["quota_used"].get(u.pk, 0)) for u in units]
    if manage:
        ctx["rounds"] = e.rounds.all()
        ctx["judges"] = e.judges.all()
        ctx["prizes"] = e.prizes.all()
        ctx["missing_scores"] = services.missing_scores(e)
        if not e.results_published_on:
            ctx["round_form"] = forms.get("round") or RoundForm(prefix="round", initial={"max_score": 100})
            ctx["judge_form"] = forms.get("judge") or JudgeForm(prefix="judge")
            ctx["prize_form"] = forms.get("prize") or PrizeForm(prefix="prize")
    return render(request, "programmes/event.html", ctx)


@require_POST
def event_register(request, pk):
    e = access.get_event_for_user(request.user, pk)
    units = access.registering_units(request.user, e)
    if not units.exists():
        raise Http404
    form = RegisterForm(request.POST, units=units)
    if form.is_valid():
        with service_errors(form):
            services.register_participant(event=e, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The participant has been registered."))
            return redirect(e)
    return event(request, pk, forms={"register": form})


@require_POST
def registration_withdraw(request, pk, rpk):
    e = access.get_event_for_user(request.user, pk)
    reg = access.get_registration_for_user(request.user, e, rpk)
    with service_errors(request):
        services.withdraw_registration(registration=reg, actor=request.user)
        messages.success(request, _("The registration has been withdrawn."))
    return redirect(e)


SETUP = {
    "round": (RoundForm, services.add_round),
    "judge": (JudgeForm, services.add_judge),
    "prize": (PrizeForm, services.add_prize),
}


@require_POST
def event_setup(request, pk, what):
    e = access.get_event_for_user(request.user, pk, manage=True)
    if what not in SETUP:
        raise Http404
    form_class, service = SETUP[what]
    form = form_class(request.POST, prefix=what)
    if form.is_valid():
        with service_errors(form):
            service(event=e, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Saved."))
            return redirect(e)
    return event(request, pk, forms={what: form})


@require_http_methods(["GET", "POST"])
def event_scores(request, pk, rpk):
    e = access.get_event_for_user(request.user, pk, manage=True)
    rnd = get_object_or_404(e.rounds, pk=rpk)
    regs = e.registrations.select_related("member", "unit").order_by("unit__path", "pk")
    judge_id = param_id(request.POST, "judge") or param_id(request, "judge")
    initial = {}
    judge = e.judges.filter(pk=judge_id).first() if judge_id else e.judges.first()
    if judge is not None:
        initial["judge"] = judge.pk
        for reg_id, points in rnd.scores.filter(judge=judge).values_list("registration_id", "points"):
            initial[f"p_{reg_id}"] = points
    form = ScoreSheetForm(request.POST or None, event=e, round=rnd, registrations=regs, initial=initial)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            services.record_scores(
                event=e, round=rnd, judge=form.cleaned_data["judge"], scores=form.scores(), actor=request.user
            )
            messages.success(request, _("The scores have been saved."))
            return redirect(f"{request.path}?judge={form.cleaned_data['judge'].pk}")
    return render(request, "programmes/scores.html", {"e": e, "rnd": rnd, "form": form, "judge": judge})


def event_results(request, pk):
    e = access.get_event_for_user(request.user, pk)
    standings = services.ranking(e)
    visible = set(access.registrations_visible_to(request.user, e).values_list("pk", flat=True))
    if not e.results_published_on and not access.can_manage_event(request.user, e):
        standings = []
    n, n_units = services.event_summary(e.registrations.all())
    ctx = {
        "e": e,
        "standings": [s for s in standings if s.registration.pk in visible or e.results_published_on],
        "n": n,
        "n_units": n_units,
        "manage": access.can_manage_event(request.user, e),
        "missing_scores": services.missing_scores(e),
        "rounds": e.rounds.all(),
    }
    return render(request, "programmes/results.html", ctx)


@require_POST
def event_publish(request, pk):
    e = access.get_event_for_user(request.user, pk, manage=True)
    with service_errors(request):
        services.publish_results(event=e, actor=request.user)
        messages.success(request, _("The results have been published."))
    return redirect("programmes:event_results", pk=e.pk)
