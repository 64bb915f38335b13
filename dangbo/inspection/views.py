import contextlib
import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangbo.accounts.access import acts_on_own_case, assigned_at, path_q, refuse_own_case, scope_paths
from dangbo.accounts.models import Role
from dangbo.core.applying import service_errors
from dangbo.core.params import param_id, param_search
from dangbo.core.text import search_filter
from dangbo.inspection import documents, figures, services
from dangbo.inspection.access import (
    can_answer_appeal,
    can_write_at,
    can_write_case,
    can_write_discipline,
    can_write_plan,
    cases_visible_to,
    discipline_visible_to,
    get_case_for_user,
    get_discipline_for_user,
    get_notice_for_user,
    get_plan_for_user,
    may_file_appeal,
    notices_visible_to,
    plans_visible_to,
    require_staff,
    writable_units,
)
from dangbo.inspection.forms import (
    AnswerForm,
    AppealForm,
    CaseForm,
    ConcludeForm,
    DeferralForm,
    DisciplineForm,
    EmptyForm,
    FollowUpForm,
    HearingForm,
    MemberSearchForm,
    NotDisciplinedForm,
    NoticeForm,
    NotifiedForm,
    PeriodForm,
    PlanForm,
    ReceiptForm,
    RecommendationForm,
    StartForm,
    StepDoneForm,
    StepForm,
    TargetForm,
    VoteForm,
    quarter_of,
)
from dangbo.inspection.models import Appeal, Case, DisciplineCase, Form, Step, Vote
from dangbo.members.access import members_visible_to
from dangbo.members.models import Member
from dangbo.org.access import units_visible_to
from dangbo.org.models import OrgUnit

PAGE_SIZE = 50
MAX_MEMBER_CHOICES = 300


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _posted_unit_or_404(request, name, units):
    """A "new" form posts the unit it writes for: one the user does not write at (or none, which the form's
    select never sends) is out of their scope, as every write elsewhere: 404, nothing saved."""
    if request.method != "POST":
        return
    try:
        if units.filter(pk=request.POST.get(name)).exists():
            return
    except (ValueError, TypeError):
        pass
    raise Http404


def _roots(user):
    return list(OrgUnit.objects.filter(path__in=scope_paths(user)).order_by("path"))


# ---- overview and figures -------------------------------------------------------------------------
def home(request):
    require_staff(request.user)
    today = timezone.localdate()
    units = units_visible_to(request.user)
    start, end = quarter_of(today)
    roots = _roots(request.user)
    form = PeriodForm(request.GET or None, units=units, initial={"unit": roots[0] if roots else None})
    unit = roots[0] if roots else None
    if form.is_valid():
        unit = form.cleaned_data["unit"] or unit
        start = form.cleaned_data["date_from"] or start
        end = form.cleaned_data["date_to"] or end
    counts = figures.counts(unit, start, end) if unit else None
    rows = []
    if unit:
        subjects = dict(Case._meta.get_field("subject").choices)
        kinds = dict(Case.Kind.choices)
        rows = [(subjects[s], kinds[k], o, m) for s, k, o, m in figures.breakdown(unit, start, end)]
    chart = None
    if unit:
        # The four quarters of the period's year, side by side (members supervised by each group).
        year = end.year
        quarters = [quarter_of(datetime.date(year, m, 1)) for m in (1, 4, 7, 10)]
        per_q = [figures.counts(unit, qs, qe) for qs, qe in quarters]
        chart = {
            "labels": [f"Q{i} {year}" for i in range(1, 5)],
            "committee": [c["committee_supervised_members"] for c in per_q],
            "commission": [c["commission_supervised_members"] for c in per_q],
            "committee_orgs": [c["committee_supervised_orgs"] for c in per_q],
            "commission_orgs": [c["commission_supervised_orgs"] for c in per_q],
        }
    overdue = (
        Step.objects.filter(case__in=cases_visible_to(request.user), done_on__isnull=True, due_on__lt=today)
        .exclude(case__state__in=[Case.State.CANCELLED, Case.State.CONCLUDED])
        .select_related("case")
        .order_by("due_on", "pk")[:20]
    )
    appeals = (
        Appeal.objects.filter(case__in=discipline_visible_to(request.user), outcome=Appeal.Outcome.PENDING)
        .select_related("case__member", "case__org")
        .order_by("filed_on")[:20]
    )
    ctx = {
        "form": form,
        "unit": unit,
        "start": start,
        "end": end,
        "counts": counts,
        "figure_rows": [(k, label, counts[k]) for k, label in figures.labels().items()] if counts else [],
        "sentence": figures.sentence(counts) if counts else "",
        "rows": rows,
        "chart": chart,
        "overdue": overdue,
        "appeals": appeals,
        "tab": "home",
    }
    return render(request, "inspection/home.html", ctx)


# ---- plans ----------------------------------------------------------------------------------------
def plans(request):
    require_staff(request.user)
    qs = (
        plans_visible_to(request.user)
        .select_related("unit")
        .annotate(n=Count("cases"), done=Count("cases", filter=Q(cases__state=Case.State.CONCLUDED)))
        .order_by("-year", "unit__path", "subject")
    )
    return render(request, "inspection/plans.html", {"page": _page(request, qs), "tab": "plans"})


def plan_new(request):
    require_staff(request.user)
    units = writable_units(request.user)
    if not units.exists():
        raise Http404
    _posted_unit_or_404(request, "unit", units)
    form = PlanForm(request.POST or None, units=units)
    form.fields["unit"].empty_label = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with service_errors(form):
            plan = services.create_plan(
                unit=d["unit"],
                subject=d["subject"],
                year=d["year"],
                number=d["number"],
                content=d["content"],
                actor=request.user,
            )
            messages.success(request, _("The plan has been created."))
            return redirect(plan)
    return render(request, "inspection/form.html", {"form": form, "title": _("New plan"), "tab": "plans"})


def plan(request, pk):
    p = get_plan_for_user(request.user, pk)
    cases = p.cases.select_related("unit").annotate(n_targets=Count("targets")).order_by("planned_start", "pk")
    return render(
        request,
        "inspection/plan.html",
        {"plan": p, "cases": cases, "may_write": can_write_plan(request.user, p), "tab": "plans"},
    )


# ---- cases ----------------------------------------------------------------------------------------
def cases(request):
    require_staff(request.user)
    qs = cases_visible_to(request.user).select_related("subject_unit", "unit")
    kind, state, q = request.GET.get("kind", ""), request.GET.get("state", ""), param_search(request)
    if kind in Case.Kind.values:
        qs = qs.filter(kind=kind)
    if state in Case.State.values:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(search_filter("unit__search_name", q) | Q(title__icontains=q))
    qs = qs.order_by("-started_on", "-pk")
    ctx = {
        "page": _page(request, qs),
        "kinds": Case.Kind.choices,
        "states": Case.State.choices,
        "kind": kind,
        "state": state,
        "q": q,
        "tab": "cases",
    }
    return render(request, "inspection/cases.html", ctx)


def case_new(request):
    """Also opened from other apps: ``?kind=implementation&unit=<id>&title=…`` (programmes)."""
    require_staff(request.user)
    units = writable_units(request.user)
    if not units.exists():
        raise Http404
    plan_obj = None
    initial = {}
    if request.GET.get("plan"):
        plan_obj = get_plan_for_user(request.user, request.GET["plan"], write=True)
        initial.update(subject_unit=plan_obj.unit, subject=plan_obj.subject)
    if request.GET.get("kind") in Case.Kind.values:
        initial["kind"] = request.GET["kind"]
    if request.GET.get("unit"):
        try:
            initial["unit"] = units_visible_to(request.user).get(pk=param_id(request, "unit"))
        except (OrgUnit.DoesNotExist, ValueError, TypeError):
            raise Http404
        # The nearest unit above it in which the user writes conducts it by default (else the unit itself).
        subject = None
        if "subject_unit" not in initial:
            subject = units.filter(pk__in=initial["unit"].ancestor_ids()).order_by("-depth").first()
            subject = subject or units.filter(pk=initial["unit"].pk).first()
        if subject:
            initial["subject_unit"] = subject
    if request.GET.get("title"):
        initial["title"] = request.GET["title"][:255]
    # The organization concerned is any unit under one the user conducts cases for (the bloc's
    # commission inspects the whole tree; its members keep no other body's records).
    objects = OrgUnit.objects.filter(path_q("path", list(units.values_list("path", flat=True))))
    _posted_unit_or_404(request, "subject_unit", units)
    form = CaseForm(request.POST or None, units=units, objects=objects, initial=initial)
    form.fields["subject_unit"].empty_label = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with service_errors(form):
            case = services.create_case(
                subject_unit=d["subject_unit"],
                subject=d["subject"],
                kind=d["kind"],
                unit=d["unit"],
                title=d["title"],
                content=d["content"],
                planned_start=d["planned_start"],
                plan=plan_obj,
                actor=request.user,
            )
            messages.success(request, _("The case has been created."))
            return redirect(case)
    title = _("New case in the plan %(plan)s") % {"plan": plan_obj} if plan_obj else _("New inspection or supervision")
    return render(request, "inspection/form.html", {"form": form, "title": title, "tab": "cases"})


def _case_forms(request, case, bound=None):
    """The action forms available on a case for this user: [(action, title, form)]."""
    if not can_write_case(request.user, case):
        return []
    out = []

    def add(action, title, cls, **kw):
        out.append((action, title, bound if bound and bound.prefix == action else cls(prefix=action, **kw)))

    members = Member.objects.current().filter(unit__path__startswith=case.unit.path)
    orgs = OrgUnit.objects.active().filter(path__startswith=case.unit.path)
    if case.state == Case.State.PLANNED:
        add("start", _("Start"), StartForm)
    if case.state in (Case.State.PLANNED, Case.State.RUNNING):
        # A list of names to tick only for a cell-sized organization; a large one takes "all members".
        members = members if members.count() <= MAX_MEMBER_CHOICES else Member.objects.none()
        add("targets", _("Organizations and members concerned"), TargetForm, orgs=orgs, members=members)
        add("step", _("Add a step"), StepForm)
    if case.state == Case.State.RUNNING:
        add("conclude", _("Conclusion"), ConcludeForm)
    if case.state == Case.State.CONCLUDED:
        add("recommendation", _("Add a recommendation"), RecommendationForm)
    if case.state in (Case.State.PLANNED, Case.State.RUNNING):
        add("cancel", _("Cancel the case"), EmptyForm)
    return out


def case(request, pk, bound=None):
    c = get_case_for_user(request.user, pk)
    today = timezone.localdate()
    steps = list(c.steps.all())
    for s in steps:
        s.overdue = s.is_overdue(today) and c.state == Case.State.RUNNING
    recs = list(c.recommendations.all())
    for r in recs:
        r.overdue = r.done_on is None and r.due_on is not None and r.due_on < today
    targets = c.targets.select_related("org", "member__unit")
    may_write = can_write_case(request.user, c)
    ctx = {
        "case": c,
        "steps": steps,
        "recs": recs,
        "org_targets": [t for t in targets if t.org_id],
        "member_targets": [t for t in targets if t.member_id],
        "action_forms": _case_forms(request, c, bound),
        "may_write": may_write,
        "step_form": StepDoneForm(prefix="step_done") if may_write else None,
        "follow_form": FollowUpForm(prefix="follow_up") if may_write else None,
        "disciplines": c.discipline_cases.select_related("member", "org"),
        "tab": "cases",
    }
    return render(request, "inspection/case.html", ctx)


CASE_FORMS = {
    "start": StartForm,
    "targets": TargetForm,
    "step": StepForm,
    "step_done": StepDoneForm,
    "conclude": ConcludeForm,
    "recommendation": RecommendationForm,
    "follow_up": FollowUpForm,
    "cancel": EmptyForm,
}


@require_POST
def case_action(request, pk, action):
    c = get_case_for_user(request.user, pk, write=True)
    if action not in CASE_FORMS:
        raise Http404
    kw = {}
    if action == "targets":
        kw = {
            "orgs": OrgUnit.objects.filter(path__startswith=c.unit.path),
            "members": Member.objects.current().filter(unit__path__startswith=c.unit.path),
        }
    form = CASE_FORMS[action](request.POST, prefix=action, **kw)
    if form.is_valid():
        d = form.cleaned_data
        u = request.user
        with service_errors(form):
            if action == "start":
                services.start_case(case=c, actor=u, **d)
            elif action == "targets":
                members = list(d["members"])
                if d["all_members"]:
                    members = list(kw["members"].select_related("unit"))
                services.add_targets(case=c, orgs=list(d["orgs"]), members=members, actor=u)
            elif action == "step":
                services.add_step(case=c, actor=u, **d)
            elif action == "step_done":
                step = c.steps.filter(pk=d.pop("step")).first()
                if step is None:
                    raise Http404
                services.complete_step(step=step, actor=u, **d)
            elif action == "conclude":
                services.conclude(case=c, actor=u, **d)
            elif action == "recommendation":
                services.add_recommendation(case=c, actor=u, **d)
            elif action == "follow_up":
                rec = c.recommendations.filter(pk=d.pop("recommendation")).first()
                if rec is None:
                    raise Http404
                services.follow_up(recommendation=rec, actor=u, **d)
            elif action == "cancel":
                services.cancel_case(case=c, actor=u)
            messages.success(request, _("Saved."))
            return redirect(c)
    if action in ("step_done", "follow_up"):
        for e in form.errors.values():
            messages.error(request, " ".join(e))
        return redirect(c)
    return case(request, pk, bound=form)


def case_docx(request, pk):
    c = get_case_for_user(request.user, pk)
    if c.state != Case.State.CONCLUDED:
        raise Http404
    return _docx(documents.conclusion(c), f"ket-luan-{c.pk}.docx")


def _docx(content, name):
    resp = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    resp["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp


# ---- discipline -----------------------------------------------------------------------------------
def disciplines(request):
    require_staff(request.user)
    qs = discipline_visible_to(request.user).select_related("member", "org", "unit", "deciding_unit")
    state = request.GET.get("state", "")
    if state in DisciplineCase.State.values:
        qs = qs.filter(state=state)
    qs = qs.order_by("-created_at", "-pk")
    ctx = {"page": _page(request, qs), "states": DisciplineCase.State.choices, "state": state, "tab": "discipline"}
    return render(request, "inspection/disciplines.html", ctx)


def discipline_new(request):
    require_staff(request.user)
    units = writable_units(request.user)
    if not units.exists():
        raise Http404
    member = None
    if request.GET.get("member"):
        try:
            member = members_visible_to(request.user).select_related("unit").get(pk=param_id(request, "member"))
        except (Member.DoesNotExist, ValueError, TypeError):
            raise Http404
        refuse_own_case(request.user, subjects=[member])
    org_mode = request.GET.get("org") == "1"
    search = MemberSearchForm(request.GET or None)
    found = None
    if member is None and not org_mode:
        q = search.data.get("q", "").strip() if search.is_bound else ""
        if q:
            found = (
                members_visible_to(request.user)
                .current()
                .filter(search_filter("search_name", q))
                .select_related("unit")
                .order_by("sort_name", "pk")[:30]
            )
        return render(
            request, "inspection/discipline_new.html", {"search": search, "found": found, "tab": "discipline"}
        )
    # The deciding unit may be above the user's scope only for a cell secretary's own cell: list the
    # units the user writes in, and their ancestors (the competent body may be higher).
    ids = set(units.values_list("pk", flat=True))
    for u in units.filter(path__in=scope_paths(request.user)):
        ids.update(u.ancestor_ids())
    choice_units = OrgUnit.objects.filter(pk__in=ids)
    initial = {}
    if member is not None:
        # The member's cell decides when the user may write for it; else the nearest unit above it that the
        # user decides for (an inspection commission: its own committee), never an option the form lacks.
        nearest = choice_units.filter(pk__in=member.unit.ancestor_ids(include_self=True)).order_by("-path").first()
        body = "cell" if nearest is not None and nearest.pk == member.unit_id else ""
        if body == "" and nearest is not None and assigned_at(request.user, nearest, (Role.INSPECTION,)):
            body = "commission"
        initial = {"member": member.pk, "deciding_unit": nearest, "deciding_body": body or None}
    form = DisciplineForm(request.POST or None, units=choice_units, initial=initial)
    if member is None:
        del form.fields["member"]
        form.fields["org"].required = True
        form.fields["org"].queryset = units.exclude(kind=OrgUnit.Kind.BLOC).order_by("path")
        form.fields["org"].empty_label = None
        _posted_unit_or_404(request, "org", form.fields["org"].queryset)
        if request.method == "POST":
            refuse_own_case(request.user, orgs=[OrgUnit.objects.get(pk=request.POST["org"])])
        del form.fields["holds_post"]
    else:
        del form.fields["org"]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with service_errors(form):
            case = services.open_discipline(
                member=member,
                org=d.get("org"),
                violation=d["violation"],
                violation_on=d["violation_on"],
                new_violation_on=d["new_violation_on"],
                category=d["category"],
                higher_task=d["higher_task"],
                holds_post=d.get("holds_post", False),
                proposed_form=d["proposed_form"],
                deciding_unit=d["deciding_unit"],
                deciding_body=d["deciding_body"],
                actor=request.user,
            )
            messages.success(request, _("The discipline case has been opened."))
            return redirect(case)
    title = (
        _("Discipline of %(name)s") % {"name": member.full_name} if member else _("Discipline of a party organization")
    )
    return render(
        request, "inspection/form.html", {"form": form, "title": title, "member": member, "tab": "discipline"}
    )


DISCIPLINE_FORMS = {
    "hearing": HearingForm,
    "deferral": DeferralForm,
    "vote": VoteForm,
    "not_disciplined": NotDisciplinedForm,
    "receipt": ReceiptForm,
    "appeal": AppealForm,
    "answer": AnswerForm,
}


def _discipline_forms(request, c, bound=None):
    out = []
    writer = can_write_discipline(request.user, c)
    files_appeals = may_file_appeal(request.user, c) and not acts_on_own_case(
        request.user, subjects=[c.member], orgs=[c.org]
    )
    if not writer and not files_appeals:
        return out

    def add(action, title, cls, **initial):
        out.append((action, title, bound if bound and bound.prefix == action else cls(prefix=action, initial=initial)))

    if c.state == DisciplineCase.State.OPEN and writer:
        if c.member_id:
            add("hearing", _("Meeting with the member"), HearingForm)
            add("deferral", _("Defer the discipline"), DeferralForm)
        stage = (
            Vote.Stage.PROPOSAL
            if c.proposed_form == Form.EXPULSION and not c.votes.filter(stage=Vote.Stage.PROPOSAL, passed=True).exists()
            else Vote.Stage.DECISION
        )
        add("vote", _("Vote"), VoteForm, form=c.proposed_form, stage=stage)
        add("not_disciplined", _("Close without discipline"), NotDisciplinedForm)
    if c.state == DisciplineCase.State.DECIDED:
        if c.received_on is None and writer:
            add("receipt", _("Decision received"), ReceiptForm)
        if files_appeals and not c.appeals.filter(outcome=Appeal.Outcome.PENDING).exists():
            add("appeal", _("Appeal"), AppealForm)
    return out


def discipline(request, pk, bound=None):
    c = get_discipline_for_user(request.user, pk)
    today = timezone.localdate()
    limitation = None
    with contextlib.suppress(ValidationError):
        limitation = services.limitation_end(c, c.form or c.proposed_form)
    appeal_due = None
    if c.state == DisciplineCase.State.DECIDED:
        with contextlib.suppress(ValidationError):
            appeal_due = services.appeal_deadline(c)
    pending = [a for a in c.appeals.all() if a.outcome == Appeal.Outcome.PENDING]
    answer_form = None
    if pending and can_answer_appeal(request.user, c):
        answer_form = (
            bound
            if bound and bound.prefix == "answer"
            else AnswerForm(prefix="answer", initial={"appeal": pending[0].pk})
        )
    ctx = {
        "c": c,
        "today": today,
        "limitation": limitation,
        "appeal_due": appeal_due,
        "deferrals": c.deferrals.all(),
        "votes": c.votes.all(),
        "appeals": c.appeals.all(),
        "action_forms": _discipline_forms(request, c, bound),
        "answer_form": answer_form,
        "tab": "discipline",
    }
    return render(request, "inspection/discipline.html", ctx)


@require_POST
def discipline_action(request, pk, action):
    if action not in DISCIPLINE_FORMS:
        raise Http404
    c = get_discipline_for_user(request.user, pk, action=action)
    form = DISCIPLINE_FORMS[action](request.POST, prefix=action)
    if form.is_valid():
        d = form.cleaned_data
        u = request.user
        vote = None
        with service_errors(form):
            if action == "hearing":
                services.record_hearing(case=c, day=d["day"], attended=d["attended"] == "yes", actor=u)
            elif action == "deferral":
                services.add_deferral(case=c, actor=u, **d)
            elif action == "vote":
                vote = services.record_vote(case=c, actor=u, **d)
            elif action == "not_disciplined":
                services.close_without_discipline(case=c, actor=u, **d)
            elif action == "receipt":
                services.record_receipt(case=c, day=d["day"], actor=u)
            elif action == "appeal":
                services.file_appeal(case=c, actor=u, **d)
            elif action == "answer":
                appeal = c.appeals.filter(pk=d.pop("appeal")).first()
                if appeal is None:
                    raise Http404
                services.answer_appeal(appeal=appeal, actor=u, **d)
            if vote is not None and not vote.passed:
                messages.warning(
                    request,
                    _("The vote did not reach the threshold (%(n)s of %(total)s): no discipline is decided.")
                    % {"n": vote.in_favour, "total": vote.total},
                )
            else:
                messages.success(request, _("Saved."))
            return redirect(c)
    return discipline(request, pk, bound=form)


def discipline_docx(request, pk):
    c = get_discipline_for_user(request.user, pk)
    if c.state != DisciplineCase.State.DECIDED:
        raise Http404
    return _docx(documents.decision(c), f"quyet-dinh-ky-luat-{c.pk}.docx")


# ---- state discipline notices ---------------------------------------------------------------------
def notices(request):
    require_staff(request.user)
    form = None
    member = None
    if request.GET.get("member") or request.method == "POST":
        try:
            member = (
                members_visible_to(request.user)
                .select_related("unit")
                .get(pk=param_id(request.POST, "member") or param_id(request, "member"))
            )
        except (Member.DoesNotExist, ValueError, TypeError):
            raise Http404
        if not can_write_at(request.user, member.unit):
            raise Http404
        refuse_own_case(request.user, subjects=[member])
        form = NoticeForm(request.POST or None, initial={"member": member.pk})
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            d.pop("member")
            with service_errors(form):
                services.record_state_discipline(member=member, actor=request.user, **d)
                messages.success(request, _("The state discipline has been recorded."))
                return redirect("inspection:notices")
    search = MemberSearchForm(request.GET or None)
    found = None
    q = param_search(request)
    if q:
        found = (
            members_visible_to(request.user)
            .current()
            .filter(search_filter("search_name", q))
            .select_related("unit")
            .order_by("sort_name", "pk")[:30]
        )
    qs = notices_visible_to(request.user).select_related("member__unit").order_by("-decided_on", "-pk")
    ctx = {
        "page": _page(request, qs),
        "form": form,
        "member": member,
        "search": search,
        "found": found,
        "today": timezone.localdate(),
        "notified_form": NotifiedForm(prefix="notified"),
        "tab": "notices",
    }
    return render(request, "inspection/notices.html", ctx)


@require_POST
def notice_notified(request, pk):
    n = get_notice_for_user(request.user, pk, write=True)
    form = NotifiedForm(request.POST, prefix="notified")
    if form.is_valid():
        with service_errors(request):
            services.mark_notified(notice=n, day=form.cleaned_data["day"], actor=request.user)
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Give a valid date."))
    return redirect(reverse("inspection:notices"))
