import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dangbo.accounts.access import is_staff_user
from dangbo.admission import documents, services, stats
from dangbo.admission.access import (
    COMMITTEE_STEPS,
    can_act,
    candidates_visible_to,
    get_candidate_for_user,
    target_units,
    writable_cells,
)
from dangbo.admission.forms import (
    CandidateFilterForm,
    CandidateForm,
    CeremonyForm,
    CommitteeVoteForm,
    DayForm,
    DecisionForm,
    IntroducerForm,
    PaperForm,
    TargetForm,
    VoteForm,
    WithdrawForm,
)
from dangbo.admission.models import Candidate, Target, Vote
from dangbo.core.forms import fallback_search, search_response
from dangbo.core.params import param_id, param_year
from dangbo.core.text import search_filter
from dangbo.org.access import units_visible_to
from dangbo.rules.registry import lookups_once

PAGE_SIZE = 50


def _staff(request):
    if not is_staff_user(request.user):
        raise Http404


def home(request):
    _staff(request)
    form = fallback_search(CandidateFilterForm(request.GET or None, units=_filter_units(request.user)), request)
    qs = candidates_visible_to(request.user).select_related("cell", "helper")
    stage_counts = dict(qs.values_list("stage").annotate(n=Count("pk")))
    if form.is_valid():
        d = form.cleaned_data
        qs = qs.filter(stage=d["stage"]) if d.get("stage") else qs.filter(stage__in=Candidate.OPEN_STAGES)
        if d.get("unit"):
            qs = qs.filter(cell__path__startswith=d["unit"].path)
        if d.get("q"):
            qs = qs.filter(search_filter("search_name", d["q"]))
    else:
        qs = qs.filter(stage__in=Candidate.OPEN_STAGES)
    page = Paginator(qs.order_by("cell__path", "search_name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    stages = [(value, label, stage_counts.get(value, 0)) for value, label in Candidate.Stage.choices]
    return render(
        request,
        "admission/home.html",
        {"form": form, "page": page, "stages": stages, "can_add": writable_cells(request.user).exists()},
    )


def _filter_units(user):
    return units_visible_to(user).active().order_by("path")


def search_units(request):
    """JSON for the unit filter of the candidates' list: the units the user sees."""
    _staff(request)
    return search_response(CandidateFilterForm(units=_filter_units(request.user)).fields["unit"], request)


@require_http_methods(["GET", "POST"])
def candidate_new(request):
    cells = writable_cells(request.user)
    if not cells.exists():
        raise Http404
    form = fallback_search(CandidateForm(request.POST or None, cells=cells), request)
    if request.method == "POST" and form.is_valid():
        form.instance.created_by = request.user
        candidate = form.save()
        from dangbo.core.audit import record

        record(actor=request.user, action="admission.candidate", obj=candidate, unit=candidate.cell)
        messages.success(request, _("The candidate has been added to the cell's list."))
        return redirect(candidate)
    return render(request, "admission/candidate_form.html", {"form": form})


STEP_FORMS = {
    "paper": PaperForm,
    "introducer": IntroducerForm,
    "cell_vote": VoteForm,
    "committee_vote": CommitteeVoteForm,
    "decide": DecisionForm,
    "ceremony": CeremonyForm,
    "declaration": DayForm,
    "recognition_vote": VoteForm,
    "recognize": DecisionForm,
    "withdraw": WithdrawForm,
    "complete": None,
}
# Which steps each stage offers (the services check again).
STAGE_STEPS = {
    Candidate.Stage.CANDIDATE: ["paper", "introducer", "complete", "withdraw"],
    Candidate.Stage.DOSSIER_COMPLETE: ["cell_vote", "withdraw"],
    Candidate.Stage.CELL_APPROVED: ["committee_vote", "withdraw"],
    Candidate.Stage.COMMITTEE_APPROVED: ["decide", "withdraw"],
    Candidate.Stage.DECIDED: ["ceremony"],
    Candidate.Stage.PROBATION: ["declaration", "recognition_vote", "recognize"],
}


def _step_form(step, candidate, data=None):
    cls = STEP_FORMS[step]
    if cls is None:
        return None
    kwargs = {}
    if cls is IntroducerForm:
        kwargs["candidate"] = candidate
    if cls is VoteForm:
        kwargs["cell"] = candidate.cell
    return cls(data, prefix=step, **kwargs)


def search_helpers(request):
    """JSON for the helper search box of the new-candidate form: the official members of the user's cells."""
    cells = writable_cells(request.user)
    if not cells.exists():
        raise Http404
    return search_response(CandidateForm(cells=cells).fields["helper"], request)


def search_cells(request):
    """JSON for the cell search box of the new-candidate form: the cells the user may add a candidate to."""
    cells = writable_cells(request.user)
    if not cells.exists():
        raise Http404
    return search_response(CandidateForm(cells=cells).fields["cell"], request)


def search_target_units(request):
    """JSON for the unit search box of the target form: the units whose target the user may set."""
    _staff(request)
    units = target_units(request.user)
    if not units.exists():
        raise Http404
    return search_response(TargetForm(units=units).fields["unit"], request)


def search_introducers(request, pk):
    """JSON for the introducer search box: official members of the candidate's grassroots organization."""
    c = get_candidate_for_user(request.user, pk, step="introducer")
    return search_response(IntroducerForm(candidate=c).fields["member"], request)


def candidate(request, pk, forms=None):
    c = get_candidate_for_user(request.user, pk)
    steps = [s for s in STAGE_STEPS.get(c.stage, []) if can_act(request.user, c, s)]
    if c.stage == Candidate.Stage.PROBATION and not c.votes.filter(level="recognition", passed=True).exists():
        steps = [s for s in steps if s != "recognize"]
    if c.declaration_date:
        steps = [s for s in steps if s != "declaration"]
    steps += [s for s in (forms or {}) if s not in steps]  # a refused step shows its reason
    step_forms = [(s, (forms or {}).get(s) or fallback_search(_step_form(s, c), request)) for s in steps]
    today = timezone.localdate()
    counted = services.vote_denominator(c.cell) if {"cell_vote", "recognition_vote"} & set(steps) else None
    context = {
        "c": c,
        "items": {i.kind: i for i in c.items.all()},
        "paper_kinds": c.items.model.Kind.choices,
        "introducers": [(i, services.introducer_problem(i, today)) for i in c.introducers.select_related("member")],
        "missing": services.missing_for_dossier(c, today) if c.stage == Candidate.Stage.CANDIDATE else [],
        "votes": c.votes.all(),
        "deadlines": services.deadlines(c),
        "step_forms": step_forms,
        "counted": counted,
        "documents": [(code, documents.FORMS[code]) for code in documents.available(c)],
        "certificate_until": _or_none(services.certificate_valid_until, c),
        "committee_steps": COMMITTEE_STEPS,
    }
    return render(request, "admission/candidate.html", context)


@require_POST
def step(request, pk, step):
    if step not in STEP_FORMS:
        raise Http404
    c = get_candidate_for_user(request.user, pk, step=step)
    form = _step_form(step, c, request.POST)
    if form is not None and not form.is_valid():
        return candidate(request, pk, forms={step: form})
    d = form.cleaned_data if form is not None else {}
    actor = request.user
    try:
        if step == "paper":
            services.add_item(candidate=c, kind=d["kind"], received_on=d["received_on"], note=d["note"], actor=actor)
        elif step == "introducer":
            services.add_introducer(
                candidate=c,
                member=d["member"],
                together_since=d["together_since"],
                relation=d["relation"],
                actor=actor,
            )
        elif step == "complete":
            services.complete_dossier(candidate=c, actor=actor)
        elif step in ("cell_vote", "recognition_vote"):
            fn = services.record_cell_vote if step == "cell_vote" else services.record_recognition_vote
            vote = fn(
                candidate=c,
                day=d["day"],
                in_favour=d["in_favour"],
                against=d["against"] or 0,
                excused=[m.pk for m in d["excused"]],
                exempted_present=[m.pk for m in d["exempted_present"]],
                actor=actor,
            )
            _vote_message(request, vote)
        elif step == "committee_vote":
            vote = services.record_committee_vote(
                candidate=c,
                day=d["day"],
                committee_size=d["committee_size"],
                in_favour=d["in_favour"],
                against=d["against"] or 0,
                actor=actor,
            )
            _vote_message(request, vote)
        elif step == "decide":
            services.decide(candidate=c, number=d["number"], day=d["day"], received=d["received"], actor=actor)
        elif step == "ceremony":
            services.hold_ceremony(candidate=c, day=d["day"], consent=d["consent"], actor=actor)
        elif step == "declaration":
            services.record_declaration(candidate=c, day=d["day"], actor=actor)
        elif step == "recognize":
            services.recognize(candidate=c, number=d["number"], day=d["day"], actor=actor)
        elif step == "withdraw":
            services.withdraw(candidate=c, reason=d["reason"], actor=actor)
    except ValidationError as e:
        if form is None:  # "complete" has no form: say what is missing above the checklist
            for m in e.messages:
                messages.error(request, m)
            return redirect(c)
        form.add_error(None, e)
        return candidate(request, pk, forms={step: form})
    if step not in ("cell_vote", "recognition_vote", "committee_vote"):
        messages.success(request, _("Saved."))
    return redirect(c)


def _or_none(fn, *args):
    try:
        return fn(*args)
    except ValidationError:  # no rule in force for that date: show nothing rather than guess
        return None


def _vote_message(request, vote):
    text = _("%(yes)s of %(n)s counted members in favour (threshold %(a)s/%(b)s).") % {
        "yes": vote.in_favour,
        "n": vote.denominator,
        "a": vote.threshold[0],
        "b": vote.threshold[1],
    }
    if vote.passed:
        messages.success(request, _("The vote passed: %(detail)s") % {"detail": text})
    else:
        messages.warning(request, _("The vote did not pass: %(detail)s") % {"detail": text})


def document(request, pk, code):
    c = get_candidate_for_user(request.user, pk)
    if code not in documents.FORMS:
        raise Http404
    try:
        content = documents.render(c, code)
    except ValidationError:
        raise Http404
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="{code}-KND-{c.pk}.docx"'
    return response


def overdue(request):
    """Candidates whose ceremony, declaration or recognition review is late, for the offices above."""
    _staff(request)
    open_ones = (
        candidates_visible_to(request.user)
        .filter(stage__in=[Candidate.Stage.DECIDED, Candidate.Stage.PROBATION])
        .select_related("cell")
        .prefetch_related(
            Prefetch(
                "votes",
                queryset=Vote.objects.filter(level=Vote.Level.RECOGNITION, passed=True).order_by("date", "pk"),
                to_attr="passed_recognition_votes",
            )
        )
        .order_by("cell__path", "search_name")
    )
    rows = []
    with lookups_once():
        deadlines = [(c, services.deadlines(c)) for c in open_ones]
    for c, ds in deadlines:  # computed once, the rules read once per rule and cell
        late = [d for d in ds if d.overdue]
        due_soon = [d for d in ds if d.done is None and 0 <= d.days_left <= 30]
        if late or due_soon:
            rows.append((c, late, due_soon))
    return render(request, "admission/overdue.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def targets(request):
    _staff(request)
    units = target_units(request.user)
    chosen = request.GET.get("unit", "")
    initial = {"unit": chosen if chosen.isdigit() else units.values_list("pk", flat=True).first()}
    form = TargetForm(request.POST or None, units=units, initial=initial) if units.exists() else None
    fallback_search(form, request)
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.set_target(
                    unit=d["unit"],
                    year=d["year"],
                    count=d["count"],
                    share_percent=d["share_percent"],
                    students=d["students"],
                    actor=request.user,
                )
            except ValidationError as e:
                form.add_error("count", e)
            else:
                messages.success(request, _("The target has been saved."))
                return redirect(f"{request.path}?year={d['year']}&unit={d['unit'].pk}")
    year = param_year(request, "year", timezone.localdate().year)
    visible = units_visible_to(request.user).active()
    unit_pk = param_id(request, "unit")
    unit = visible.filter(pk=unit_pk).first() if unit_pk else None
    unit = unit or visible.order_by("depth", "path").first()
    if unit is None:
        raise Http404
    children = list(unit.children.active().order_by("name"))
    main, *rows = stats.progress_many([unit, *children], year)  # a fixed number of queries (issue 15)
    cumulative, total = [], 0
    for n in main["monthly"]:
        total += n
        cumulative.append(total)
    chart = {
        "labels": [f"{m:02d}/{year}" for m in range(1, 13)],
        "monthly": main["monthly"],
        "cumulative": cumulative,
        "target": main["target"],
    }
    return render(
        request,
        "admission/targets.html",
        {
            "form": form,
            "unit": unit,
            "year": year,
            "main": main,
            "rows": rows,
            "chart": chart,
            "years": range(timezone.localdate().year - 5, timezone.localdate().year + 2),
            "year_end": datetime.date(year - 1, 12, 31),
            "targets_set": Target.objects.filter(year=year, unit__in=[unit, *children]).count(),
        },
    )
