from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangbo.accounts.access import WRITE_ROLES, covers, is_staff_user, path_q, scope_paths
from dangbo.core.params import param_id, param_ids
from dangbo.documents.models import Document
from dangbo.org.access import units_visible_to
from dangbo.org.models import OrgUnit
from dangbo.study import services
from dangbo.study.access import (
    campaigns_visible_to,
    can_act_in,
    can_manage,
    get_campaign_for_user,
    get_progress_for_user,
    member_campaigns,
    study_member,
    write_paths,
)
from dangbo.study.export import completion_workbook
from dangbo.study.forms import STATE_FILTER, CampaignForm, QuestionForm, ReportForm, ReviewForm, SessionForm
from dangbo.study.models import Campaign, Progress, Question, Session

PAGE_SIZE = 50


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _writable_units(user):
    return OrgUnit.objects.active().filter(path_q("path", write_paths(user))).order_by("path")


def home(request):
    user = request.user
    member = study_member(user)
    mine = []
    if member is not None:
        campaigns = list(member_campaigns(member).select_related("unit").order_by("deadline", "pk"))
        progress = {p.campaign_id: p for p in Progress.objects.filter(member=member, campaign__in=campaigns)}
        mine = [(c, progress.get(c.pk)) for c in campaigns]
    page = None
    state = request.GET.get("state", "")
    if is_staff_user(user):
        qs = campaigns_visible_to(user).select_related("unit")
        if state in Campaign.State.values:
            qs = qs.filter(state=state)
        page = _page(request, qs.order_by("-deadline", "-pk"))
    elif member is None:
        raise Http404
    return render(
        request,
        "study/home.html",
        {
            "mine": mine,
            "page": page,
            "state": state,
            "states": STATE_FILTER,
            "may_create": bool(write_paths(user)),
            "today": timezone.localdate(),
        },
    )


def _campaign_form_data(form):
    d = form.cleaned_data
    fields = {k: d[k] for k in services.CAMPAIGN_FIELDS if k in d}
    targets = [(u, d["subtree"]) for u in d["targets"]]
    return d["unit"], targets, d["documents"], fields


def new(request):
    if not write_paths(request.user):
        raise Http404
    units = _writable_units(request.user)
    form = CampaignForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        unit, targets, documents, fields = _campaign_form_data(form)
        try:
            campaign = services.create_campaign(
                unit=unit, targets=targets, documents=documents, actor=request.user, **fields
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Campaign created. Add the quiz questions, then publish it."))
            return redirect("study:detail", campaign.pk)
    return render(request, "study/campaign_form.html", {"form": form})


def edit(request, pk):
    campaign = get_campaign_for_user(request.user, pk, manage=True)
    if campaign.state == Campaign.State.CLOSED:
        raise Http404
    units = _writable_units(request.user)
    targets = list(campaign.targets.all())
    initial = {k: getattr(campaign, k) for k in services.CAMPAIGN_FIELDS}
    initial.update(
        unit=campaign.unit,
        targets=[t.unit_id for t in targets],
        subtree=all(t.subtree for t in targets),
        documents=list(campaign.documents.values_list("pk", flat=True)),
    )
    form = CampaignForm(request.POST or None, units=units, initial=initial)
    form.fields["unit"].disabled = True
    if request.method == "POST" and form.is_valid():
        _unit, targets, documents, fields = _campaign_form_data(form)
        try:
            services.update_campaign(
                campaign=campaign, targets=targets, documents=documents, actor=request.user, **fields
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Campaign saved."))
            return redirect("study:detail", campaign.pk)
    return render(request, "study/campaign_form.html", {"form": form, "campaign": campaign})


def _root(request, campaign):
    """The unit whose completion the staff user looks at: ``?unit=`` within their scope, else the
    organizing unit when they cover it, else their own scope root."""
    user = request.user
    pk = request.GET.get("unit")
    if pk:
        try:
            return units_visible_to(user).get(pk=param_id(request, "unit"))
        except (OrgUnit.DoesNotExist, ValueError, TypeError):
            raise Http404
    if covers(user, campaign.unit.path):
        return campaign.unit
    paths = scope_paths(user)
    for t in campaign.targets.all():
        for p in paths:
            if t.unit.path.startswith(p) or p.startswith(t.unit.path):
                return OrgUnit.objects.get(path=p if p.startswith(t.unit.path) else t.unit.path)
    return OrgUnit.objects.get(path=paths[0])


def detail(request, pk):
    campaign = get_campaign_for_user(request.user, pk)
    if not is_staff_user(request.user):
        return redirect("study:study", campaign.pk)
    root = _root(request, campaign)
    rows, total = services.completion_by_unit(campaign, root)
    sessions = list(
        campaign.sessions.filter(path_q("unit__path", scope_paths(request.user)) | path_q("unit__path", [root.path]))
        .select_related("unit")
        .order_by("-held_on", "-pk")[:20]
    )
    ctx = {
        "campaign": campaign,
        "root": root,
        "total": total,
        "rows": rows,
        "sessions": sessions,
        "questions": campaign.questions.count(),
        "documents": list(campaign.documents.all()),
        "may_manage": can_manage(request.user, campaign),
        "may_act": can_act_in(request.user, root) or bool(write_paths(request.user)),
        "to_review": Progress.objects.filter(
            campaign=campaign,
            report_state=Progress.ReportState.SUBMITTED,
            member__unit__path__startswith=root.path,
        ).count(),
        "is_member": study_member(request.user) is not None
        and member_campaigns(study_member(request.user)).filter(pk=campaign.pk).exists(),
    }
    return render(request, "study/detail.html", ctx)


@require_POST
def publish(request, pk):
    campaign = get_campaign_for_user(request.user, pk, manage=True)
    try:
        services.publish_campaign(campaign=campaign, actor=request.user)
        messages.success(request, _("Campaign published to its target units."))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("study:detail", campaign.pk)


@require_POST
def close(request, pk):
    campaign = get_campaign_for_user(request.user, pk, manage=True)
    try:
        services.close_campaign(campaign=campaign, actor=request.user)
        messages.success(request, _("Campaign closed."))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("study:detail", campaign.pk)


def questions(request, pk):
    campaign = get_campaign_for_user(request.user, pk, manage=True)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_question(
                campaign=campaign,
                text=form.cleaned_data["text"],
                kind=form.cleaned_data["kind"],
                choices=form.choices(),
                actor=request.user,
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Question added."))
            return redirect("study:questions", campaign.pk)
    bank = campaign.questions.prefetch_related("choices")
    return render(request, "study/questions.html", {"campaign": campaign, "form": form, "bank": bank})


@require_POST
def question_delete(request, pk, qid):
    campaign = get_campaign_for_user(request.user, pk, manage=True)
    try:
        question = campaign.questions.get(pk=qid)
    except Question.DoesNotExist:
        raise Http404
    try:
        services.delete_question(question=question, actor=request.user)
        messages.success(request, _("Question removed."))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("study:questions", campaign.pk)


def _session_units(request, campaign):
    """Target units (and the units above them that hold a joint session) where the user may act."""
    units = _writable_units(request.user)
    return units.filter(pk__in=[u.pk for u in units if _session_unit_ok(campaign, u)])


def _session_unit_ok(campaign, unit):
    return campaign.covers_unit(unit) or any(t.unit.path.startswith(unit.path) for t in campaign.targets.all())


def sessions(request, pk):
    campaign = get_campaign_for_user(request.user, pk, staff=True)
    units = _session_units(request, campaign)
    form = None
    if units.exists() and campaign.state == Campaign.State.PUBLISHED:
        form = SessionForm(request.POST or None, units=units)
    elif request.method == "POST":
        raise Http404
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            s = services.add_session(
                campaign=campaign,
                unit=d["unit"],
                held_on=d["held_on"],
                mode=d["mode"],
                place=d["place"],
                makeup=d["makeup"],
                actor=request.user,
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Session added: record who attended."))
            return redirect("study:attendance", campaign.pk, s.pk)
    qs = (
        campaign.sessions.filter(path_q("unit__path", scope_paths(request.user)))
        .select_related("unit")
        .order_by("-held_on", "-pk")
    )
    return render(request, "study/sessions.html", {"campaign": campaign, "form": form, "page": _page(request, qs)})


def attendance(request, pk, sid):
    campaign = get_campaign_for_user(request.user, pk, staff=True)
    try:
        session = campaign.sessions.select_related("unit", "campaign").get(pk=sid)
    except (Session.DoesNotExist, ValueError):
        raise Http404
    if not covers(request.user, session.unit.path):
        raise Http404
    may_write = covers(request.user, session.unit.path, roles=WRITE_ROLES)
    members = services.session_members(session).select_related("unit").order_by("unit__path", "sort_name", "pk")
    present = set(session.attendances.values_list("member_id", flat=True))
    error = None
    if request.method == "POST":
        if not may_write:
            raise Http404
        ids = param_ids(request.POST, "member")
        try:
            n = services.record_attendance(session=session, member_ids=ids, actor=request.user)
        except ValidationError as e:
            error = " ".join(e.messages)
            present = set(ids)
        else:
            messages.success(request, _("Attendance saved: %(n)s members present.") % {"n": n})
            return redirect("study:attendance", campaign.pk, session.pk)
    return render(
        request,
        "study/attendance.html",
        {
            "campaign": campaign,
            "session": session,
            "members": members,
            "present": present,
            "may_write": may_write,
            "error": error,
        },
    )


# ---- a member's own study --------------------------------------------------------------------------


def _my_campaign(request, pk):
    member = study_member(request.user)
    try:
        campaign = member_campaigns(member).select_related("unit").get(pk=pk)
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise Http404
    return campaign, member


def study(request, pk):
    campaign, member = _my_campaign(request, pk)
    p = services.progress_of(campaign, member)
    attended = list(
        Session.objects.filter(campaign=campaign, attendances__member=member).select_related("unit").order_by("held_on")
    )
    upcoming = list(
        Session.objects.filter(
            campaign=campaign,
            unit_id__in=member.unit.ancestor_ids(include_self=True),
            held_on__gte=timezone.localdate(),
        ).order_by("held_on")[:5]
    )
    return render(
        request,
        "study/study.html",
        {
            "campaign": campaign,
            "p": p,
            "step": services.next_step(p) if p else Progress.Step.READ,
            # A member sees the titles of the documents that are not classified; the secret ones are
            # studied in the session, not on a phone.
            "documents": list(campaign.documents.filter(secrecy=Document.Secrecy.NORMAL)),
            "attended": attended,
            "upcoming": upcoming,
            "open": campaign.is_open(),
            "attempts_left": (campaign.max_attempts - (p.attempts if p else 0)) if campaign.max_attempts else None,
        },
    )


@require_POST
def read(request, pk):
    campaign, member = _my_campaign(request, pk)
    try:
        services.mark_read(campaign=campaign, member=member)
        messages.success(request, _("Reading recorded."))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("study:study", campaign.pk)
    if campaign.quiz_required:
        return redirect("study:quiz", campaign.pk)
    return redirect("study:study", campaign.pk)


def _posted_answers(request, attempt):
    answers = {}
    for qid in attempt.order:
        answers[str(qid)] = [str(pk) for pk in param_ids(request.POST, f"q{qid}")]
    return answers


def quiz(request, pk):
    campaign, member = _my_campaign(request, pk)
    p = services.progress_of(campaign, member)
    attempt = p.quiz_attempts.filter(submitted_at__isnull=True).first() if p else None
    last = p.quiz_attempts.filter(submitted_at__isnull=False).order_by("-submitted_at", "-pk").first() if p else None
    error = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "start":
                services.start_attempt(campaign=campaign, member=member)
                return redirect("study:quiz", campaign.pk)
            if attempt is None:
                raise ValidationError(_("There is no quiz in progress."))
            answers = _posted_answers(request, attempt)
            if action == "submit":
                done = services.submit_attempt(attempt=attempt, answers=answers)
                if done.passed:
                    messages.success(request, _("You passed the quiz with %(s)s%%.") % {"s": done.score_display()})
                else:
                    messages.warning(
                        request,
                        _("%(s)s%%: below the pass mark of %(m)s%%.")
                        % {"s": done.score_display(), "m": campaign.pass_mark},
                    )
                return redirect("study:quiz", campaign.pk)
            services.save_answers(attempt=attempt, answers=answers)
            messages.success(request, _("Answers saved: you can continue later."))
            return redirect("study:study", campaign.pk)
        except ValidationError as e:
            error = " ".join(e.messages)
            if attempt is not None:
                attempt.answers = _posted_answers(request, attempt)
    items = []
    if attempt is not None:
        qs = {q.pk: q for q in Question.objects.filter(pk__in=attempt.order).prefetch_related("choices")}
        for n, qid in enumerate(attempt.order, 1):
            q = qs.get(qid)
            if q is None:
                continue
            chosen = {int(c) for c in attempt.answers.get(str(qid), [])}
            items.append((n, q, [(c, c.pk in chosen) for c in q.choices.all()]))
    attempts_left = None
    if campaign.max_attempts:
        attempts_left = max(campaign.max_attempts - (p.attempts if p else 0), 0)
    return render(
        request,
        "study/quiz.html",
        {
            "campaign": campaign,
            "p": p,
            "attempt": attempt,
            "items": items,
            "last": last,
            "error": error,
            "attempts_left": attempts_left,
            "open": campaign.is_open(),
        },
    )


def report(request, pk):
    campaign, member = _my_campaign(request, pk)
    if not campaign.report_required:
        raise Http404
    p = services.progress_of(campaign, member)
    form = ReportForm(request.POST or None, initial={"text": p.report_text if p else ""})
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            services.save_report(campaign=campaign, member=member, text=form.cleaned_data["text"], submit=submit)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Learning report submitted.") if submit else _("Draft saved."))
            return redirect("study:study" if submit else "study:report", campaign.pk)
    editable = campaign.is_open() and (
        p is None or p.report_state not in (Progress.ReportState.SUBMITTED, Progress.ReportState.ACCEPTED)
    )
    return render(request, "study/report.html", {"campaign": campaign, "p": p, "form": form, "editable": editable})


# ---- staff: reports, completion, reminders ---------------------------------------------------------


def reports(request, pk):
    campaign = get_campaign_for_user(request.user, pk, staff=True)
    state = request.GET.get("state", Progress.ReportState.SUBMITTED)
    qs = Progress.objects.filter(path_q("member__unit__path", scope_paths(request.user)), campaign=campaign).exclude(
        report_state__in=[Progress.ReportState.NONE, Progress.ReportState.DRAFT]
    )
    if state in Progress.ReportState.values and state:
        qs = qs.filter(report_state=state)
    qs = qs.select_related("member__unit").order_by("report_submitted_at", "pk")
    return render(
        request,
        "study/reports.html",
        {
            "campaign": campaign,
            "page": _page(request, qs),
            "state": state,
            "states": [s for s in Progress.ReportState.choices if s[0] not in ("", "draft")],
        },
    )


def review(request, pk, rid):
    campaign = get_campaign_for_user(request.user, pk, staff=True)
    p = get_progress_for_user(request.user, campaign, rid)
    if p.report_state in (Progress.ReportState.NONE, Progress.ReportState.DRAFT):
        raise Http404
    may_review = p.report_state == Progress.ReportState.SUBMITTED and can_act_in(request.user, p.member.unit)
    form = ReviewForm(request.POST or None) if may_review else None
    if request.method == "POST":
        if not may_review:
            raise Http404
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.review_report(
                    progress=p,
                    accept=d["outcome"] == "accept",
                    grade=d["grade"],
                    comment=d["comment"],
                    actor=request.user,
                )
            except ValidationError as e:
                form.add_error(None, e)
            else:
                messages.success(request, _("Review saved."))
                return redirect("study:reports", campaign.pk)
    return render(request, "study/review.html", {"campaign": campaign, "p": p, "form": form})


def completion(request, pk):
    campaign = get_campaign_for_user(request.user, pk, staff=True)
    root = _root(request, campaign)
    rows, total = services.completion_by_unit(campaign, root)
    members = None
    if request.GET.get("members") or root.kind in OrgUnit.CELL_KINDS:
        qs = services.completion_members(campaign, root)
        qs = qs.select_related("unit").order_by("unit__path", "sort_name", "pk")
        if request.GET.get("pending"):
            qs = qs.exclude(
                pk__in=Progress.objects.filter(campaign=campaign, completed_at__isnull=False).values("member_id")
            )
        members = _page(request, qs)
        progress = {
            p.member_id: p for p in Progress.objects.filter(campaign=campaign, member__in=list(members.object_list))
        }
        members.rows = [(m, progress.get(m.pk)) for m in members.object_list]
    chart = {
        "labels": [r.unit.name for r in rows],
        "completed": [r.completed for r in rows],
        "in_progress": [r.started - r.completed for r in rows],
        "not_started": [r.not_started for r in rows],
    }
    parent = None
    if root.parent_id and covers(request.user, root.parent.path if root.parent else ""):
        parent = root.parent
    return render(
        request,
        "study/completion.html",
        {
            "campaign": campaign,
            "root": root,
            "parent": parent,
            "rows": rows,
            "total": total,
            "members": members,
            "chart": chart,
            "chart_height": max(160, 26 * len(rows)),
            "may_remind": campaign.state == Campaign.State.PUBLISHED and can_act_in(request.user, root),
        },
    )


def export(request, pk):
    campaign = get_campaign_for_user(request.user, pk, staff=True)
    root = _root(request, campaign)
    rows, total = services.completion_by_unit(campaign, root)
    data = completion_workbook(campaign, root, rows, total)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="hoc-tap-{campaign.pk}-{root.pk}.xlsx"'
    return response


@require_POST
def remind(request, pk):
    campaign = get_campaign_for_user(request.user, pk, staff=True)
    root = _root(request, campaign)
    if not can_act_in(request.user, root):
        raise Http404
    try:
        notified, total = services.remind_stragglers(campaign=campaign, paths=[root.path], actor=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(
            request,
            _("%(total)s members have not finished; %(n)s with a login were reminded, and their secretaries.")
            % {"total": total, "n": notified},
        )
    return redirect(f"{request.path.rsplit('remind/', 1)[0]}completion/?unit={root.pk}")
