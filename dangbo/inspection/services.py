"""Plans, supervision and inspection cases, discipline, appeals and state-discipline notices (DOMAIN.md §7).

Every service is one transaction that writes its rows and an audit row, and refuses what the rules forbid
with a Vietnamese ``ValidationError`` (nothing half-saved). Rule numbers come from the registry and the
values applied are kept on the discipline case (``rule_values``).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dangbo.accounts.access import own_case_refusal
from dangbo.core.audit import record
from dangbo.core.notify import notify
from dangbo.inspection import access, authority
from dangbo.inspection.access import can_write_at, can_write_body, subjects_for
from dangbo.inspection.models import (
    FORM_NOTE,
    Appeal,
    Body,
    Case,
    Deferral,
    DisciplineCase,
    Form,
    Plan,
    Recommendation,
    StateDiscipline,
    Step,
    Target,
    Vote,
)
from dangbo.members.models import Member, MemberEvent
from dangbo.rules.registry import RuleMissing, rule

S = Member.Status


def _today():
    return timezone.localdate()


def _d(day):
    return day.strftime("%d/%m/%Y")


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def rule_value(key, day, unit=None):
    try:
        return rule(key, on=day, unit=unit)
    except RuleMissing as e:
        raise ValidationError(str(e))


def _require_text(value, message):
    if not (value or "").strip():
        raise ValidationError(message)
    return value.strip()


def _not_future(day):
    if day and day > _today():
        raise ValidationError(_("The date cannot be in the future."))


def _not_yours(unit):
    return ValidationError(_("This belongs to the party organization of %(unit)s, not to you.") % {"unit": unit.name})


def _require_writer(actor, unit):
    """The staff of ``unit`` (state-discipline notices)."""
    if actor is not None and not can_write_at(actor, unit):
        raise _not_yours(unit)


def _require_body(actor, unit, body):
    """Whoever keeps the records of ``body`` of ``unit`` (the write matrix, inspection/access.py)."""
    if actor is not None and not can_write_body(actor, unit, body):
        raise _not_yours(unit)


def _require_not_own(actor, *, subjects=(), orgs=(), voted=False):
    reason = actor is not None and own_case_refusal(actor, subjects=subjects, orgs=orgs, voted=voted)
    if reason:
        raise ValidationError(reason)


def _require_case_writer(actor, case):
    _require_body(actor, case.subject_unit, case.subject)
    if actor is not None:
        _require_not_own(actor, subjects=access.case_subjects(actor, case))


def _require_discipline_writer(actor, case):
    _require_body(actor, case.deciding_unit, case.deciding_body)
    _require_not_own(actor, subjects=[case.member], orgs=[case.org])


# ---- plans and cases ------------------------------------------------------------------------------
@transaction.atomic
def create_plan(*, unit, subject, year, number="", content="", actor):
    _require_body(actor, unit, subject)
    if subject not in subjects_for(unit):
        raise ValidationError(_("%(unit)s has no such subject of inspection.") % {"unit": unit.name})
    if Plan.objects.filter(unit=unit, subject=subject, year=year).exists():
        raise ValidationError(_("This subject already has a plan for %(year)s.") % {"year": year})
    plan = Plan.objects.create(
        unit=unit, subject=subject, year=year, number=number.strip(), content=content.strip(), created_by=_actor(actor)
    )
    record(actor=actor, action="inspection.plan", obj=plan, unit=unit, changes={"year": [None, year]})
    return plan


# The usual steps of a case (HD 08-HD/TW; the old 02-HD/UBKTTW processes) and their default due days after
# the start; each case may add, date and complete its own.
STEPS = {
    "supervision": [
        (gettext_noop("Decision and plan of the supervision"), 0),
        (gettext_noop("Notify the organization or member supervised"), 5),
        (gettext_noop("Report of the organization or member supervised"), 20),
        (gettext_noop("Team works with the object and verifies"), 35),
        (gettext_noop("Team's report on the results"), 45),
        (gettext_noop("Notice of the supervision results"), 60),
    ],
    "inspection": [
        (gettext_noop("Decision establishing the inspection team and its plan"), 0),
        (gettext_noop("Announce the decision to the organization or member inspected"), 7),
        (gettext_noop("Self-assessment report of the object"), 25),
        (gettext_noop("Team verifies and works with the object"), 45),
        (gettext_noop("Team's report to the subject"), 60),
        (gettext_noop("Conclusion notified to the object"), 75),
    ],
}


@transaction.atomic
def create_case(*, subject_unit, subject, kind, unit, title, content="", planned_start=None, plan=None, actor):
    _require_body(actor, subject_unit, subject)
    title = _require_text(title, _("Give the case a title."))
    if subject not in subjects_for(subject_unit):
        raise ValidationError(_("%(unit)s has no such subject of inspection.") % {"unit": subject_unit.name})
    if kind not in Case.Kind.values:
        raise ValidationError(_("Choose the kind of case."))
    if not unit.path.startswith(subject_unit.path):
        raise ValidationError(
            _("%(object)s is not under %(subject)s: a subject inspects and supervises only below itself.")
            % {"object": unit.name, "subject": subject_unit.name}
        )
    if plan is not None and (plan.unit_id != subject_unit.pk or plan.subject != subject):
        raise ValidationError(_("The case does not belong to this plan's subject."))
    case = Case.objects.create(
        plan=plan,
        subject_unit=subject_unit,
        subject=subject,
        kind=kind,
        unit=unit,
        title=title,
        content=content.strip(),
        planned_start=planned_start,
        created_by=_actor(actor),
    )
    record(actor=actor, action="inspection.case", obj=case, unit=subject_unit, changes={"kind": [None, kind]})
    return case


@transaction.atomic
def start_case(*, case, started_on, decision_no="", team_leader="", team="", actor):
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_case_writer(actor, case)
    if case.state != Case.State.PLANNED:
        raise ValidationError(_("Only a planned case can be started."))
    if case.kind in Case.INSPECTION_KINDS:
        _require_text(decision_no, _("An inspection starts with a decision: give its number."))
        _require_text(team_leader, _("Name the leader of the inspection team."))
    case.state = Case.State.RUNNING
    case.started_on = started_on
    case.decision_no = decision_no.strip()
    case.team_leader = team_leader.strip()
    case.team = team.strip()
    case.save(update_fields=["state", "started_on", "decision_no", "team_leader", "team"])
    steps = STEPS["supervision" if case.is_supervision else "inspection"]
    Step.objects.bulk_create(
        Step(case=case, order=i, title=_(title), due_on=started_on + datetime.timedelta(days=days))
        for i, (title, days) in enumerate(steps, start=1)
    )
    record(
        actor=actor,
        action="inspection.start",
        obj=case,
        unit=case.subject_unit,
        changes={"state": ["planned", "running"]},
    )
    return case


@transaction.atomic
def add_targets(*, case, orgs=(), members=(), actor):
    _require_case_writer(actor, case)
    if case.state == Case.State.CANCELLED:
        raise ValidationError(_("This case was cancelled."))
    if not orgs and not members:
        raise ValidationError(_("Choose at least one organization or member."))
    for o in orgs:
        if not o.path.startswith(case.subject_unit.path):
            raise ValidationError(
                _("%(name)s is not under %(subject)s.") % {"name": o.name, "subject": case.subject_unit.name}
            )
    for m in members:
        if not m.unit.path.startswith(case.subject_unit.path):
            raise ValidationError(
                _("%(name)s is not under %(subject)s.") % {"name": m.full_name, "subject": case.subject_unit.name}
            )
    have_orgs = set(case.targets.filter(org__isnull=False).values_list("org_id", flat=True))
    have_members = set(case.targets.filter(member__isnull=False).values_list("member_id", flat=True))
    rows = [Target(case=case, org=o) for o in orgs if o.pk not in have_orgs]
    rows += [Target(case=case, member=m) for m in members if m.pk not in have_members]
    Target.objects.bulk_create(rows)
    record(
        actor=actor,
        action="inspection.targets",
        obj=case,
        unit=case.subject_unit,
        changes={"targets": [None, len(rows)]},
    )
    return len(rows)


@transaction.atomic
def add_step(*, case, title, due_on=None, actor):
    _require_case_writer(actor, case)
    if case.state not in (Case.State.PLANNED, Case.State.RUNNING):
        raise ValidationError(_("Steps can be added only to a case in progress."))
    title = _require_text(title, _("Name the step."))
    last = case.steps.order_by("-order").values_list("order", flat=True).first() or 0
    step = Step.objects.create(case=case, order=last + 1, title=title, due_on=due_on)
    record(actor=actor, action="inspection.step", obj=case, unit=case.subject_unit, changes={"step": [None, title]})
    return step


@transaction.atomic
def complete_step(*, step, done_on, document_no="", document_date=None, note="", actor):
    step = Step.objects.select_for_update(of=("self",)).select_related("case__subject_unit").get(pk=step.pk)
    case = step.case
    _require_case_writer(actor, case)
    _not_future(done_on)
    if case.started_on and done_on < case.started_on:
        raise ValidationError(
            _("A step cannot be done before the case started (%(day)s).") % {"day": _d(case.started_on)}
        )
    if document_date and document_date > done_on:
        raise ValidationError(_("The document is dated after the step was done."))
    step.done_on = done_on
    step.document_no = document_no.strip()
    step.document_date = document_date
    step.note = note.strip()
    step.save(update_fields=["done_on", "document_no", "document_date", "note"])
    record(
        actor=actor,
        action="inspection.step_done",
        obj=case,
        unit=case.subject_unit,
        changes={"step": [step.title, _d(done_on)]},
    )
    return step


@transaction.atomic
def conclude(*, case, concluded_on, conclusion_no, conclusion, actor):
    case = Case.objects.select_for_update(of=("self",)).select_related("subject_unit").get(pk=case.pk)
    _require_case_writer(actor, case)
    if case.state != Case.State.RUNNING:
        raise ValidationError(_("Only a case in progress can be concluded."))
    _not_future(concluded_on)
    if concluded_on < case.started_on:
        raise ValidationError(
            _("The conclusion cannot come before the start (%(day)s).") % {"day": _d(case.started_on)}
        )
    if not case.targets.exists():
        raise ValidationError(_("Record the organizations or members concerned before concluding."))
    case.conclusion = _require_text(conclusion, _("Write the conclusion."))
    case.conclusion_no = conclusion_no.strip()
    case.concluded_on = concluded_on
    case.state = Case.State.CONCLUDED
    case.save(update_fields=["conclusion", "conclusion_no", "concluded_on", "state"])
    record(
        actor=actor,
        action="inspection.conclude",
        obj=case,
        unit=case.subject_unit,
        changes={"state": ["running", "concluded"]},
    )
    return case


@transaction.atomic
def cancel_case(*, case, actor):
    case = Case.objects.select_for_update(of=("self",)).select_related("subject_unit").get(pk=case.pk)
    _require_case_writer(actor, case)
    if case.state == Case.State.CONCLUDED:
        raise ValidationError(_("A concluded case cannot be cancelled."))
    old = case.state
    case.state = Case.State.CANCELLED
    case.save(update_fields=["state"])
    record(
        actor=actor, action="inspection.cancel", obj=case, unit=case.subject_unit, changes={"state": [old, "cancelled"]}
    )
    return case


@transaction.atomic
def add_recommendation(*, case, text, due_on=None, actor):
    _require_case_writer(actor, case)
    if case.state != Case.State.CONCLUDED:
        raise ValidationError(_("Recommendations follow the conclusion: conclude the case first."))
    text = _require_text(text, _("Write the recommendation."))
    if due_on and due_on < case.concluded_on:
        raise ValidationError(_("The recommendation is due before the conclusion."))
    rec = Recommendation.objects.create(case=case, text=text, due_on=due_on)
    record(
        actor=actor,
        action="inspection.recommendation",
        obj=case,
        unit=case.subject_unit,
        changes={"recommendation": [None, text[:80]]},
    )
    return rec


@transaction.atomic
def follow_up(*, recommendation, done_on, follow_up, actor):
    rec = (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("case__subject_unit")
        .get(pk=recommendation.pk)
    )
    _require_case_writer(actor, rec.case)
    _not_future(done_on)
    if done_on < rec.case.concluded_on:
        raise ValidationError(_("A recommendation cannot be carried out before the conclusion."))
    rec.done_on = done_on
    rec.follow_up = _require_text(follow_up, _("Say how the recommendation was carried out."))
    rec.save(update_fields=["done_on", "follow_up"])
    record(
        actor=actor,
        action="inspection.follow_up",
        obj=rec.case,
        unit=rec.case.subject_unit,
        changes={"recommendation": [None, _d(done_on)]},
    )
    return rec


# ---- discipline ------------------------------------------------------------------------------------
@transaction.atomic
def open_discipline(
    *,
    violation,
    violation_on,
    proposed_form,
    deciding_unit,
    deciding_body,
    member=None,
    org=None,
    new_violation_on=None,
    category=DisciplineCase.Category.ORDINARY,
    higher_task=False,
    holds_post=False,
    inspection_case=None,
    actor,
):
    if (member is None) == (org is None):
        raise ValidationError(_("Choose either a party member or a party organization."))
    unit = member.unit if member else org
    if actor is not None and not (can_write_at(actor, unit) or can_write_body(actor, deciding_unit, deciding_body)):
        raise _not_yours(unit)
    _require_not_own(actor, subjects=[member], orgs=[org])
    if member is not None and member.status not in (S.OFFICIAL, S.PROBATIONARY, S.EXEMPTED, S.SUSPENDED):
        raise ValidationError(_("%(name)s is not on the books.") % {"name": member.full_name})
    violation = _require_text(violation, _("Describe the violation."))
    _not_future(violation_on)
    _not_future(new_violation_on)
    if new_violation_on and new_violation_on <= violation_on:
        raise ValidationError(_("The new violation must come after the first one."))
    reason = authority.refusal(
        body=deciding_body,
        deciding_unit=deciding_unit,
        form=proposed_form,
        member=member,
        org=org,
        higher_task=higher_task,
        holds_post=holds_post,
    )
    if reason:
        raise ValidationError(reason)
    case = DisciplineCase.objects.create(
        member=member,
        org=org,
        unit=unit,
        violation=violation,
        violation_on=violation_on,
        new_violation_on=new_violation_on,
        category=category,
        higher_task=higher_task,
        holds_post=holds_post,
        proposed_form=proposed_form,
        deciding_unit=deciding_unit,
        deciding_body=deciding_body,
        inspection_case=inspection_case,
        created_by=_actor(actor),
    )
    record(
        actor=actor,
        action="inspection.discipline_open",
        obj=case,
        unit=unit,
        changes={"proposed_form": [None, proposed_form]},
    )
    return case


def _lock_case(case):
    return (
        DisciplineCase.objects.select_for_update(of=("self",))
        .select_related("member__unit", "org", "unit", "deciding_unit")
        .get(pk=case.pk)
    )


def _require_open(case):
    if case.state != DisciplineCase.State.OPEN:
        raise ValidationError(_("This discipline case is no longer open."))


@transaction.atomic
def record_hearing(*, case, day, attended, actor):
    """The member was met and heard on ``day`` (``attended``), or refused to attend without good reason."""
    case = _lock_case(case)
    _require_discipline_writer(actor, case)
    _require_open(case)
    _not_future(day)
    if case.member_id is None:
        raise ValidationError(_("Only a member is heard; an organization reports through its committee."))
    if attended:
        case.heard_on = day
        case.save(update_fields=["heard_on"])
    else:
        case.hearing_refusals += 1
        case.save(update_fields=["hearing_refusals"])
    record(
        actor=actor,
        action="inspection.hearing",
        obj=case,
        unit=case.unit,
        changes={"heard_on": [None, day]} if attended else {"hearing_refusals": [None, case.hearing_refusals]},
    )
    return case


@transaction.atomic
def add_deferral(*, case, reason, starts_on, ends_on=None, note="", actor):
    """Defer the case (296 Điều 8.7). For a child under 12 months ``starts_on`` is the child's birth and the
    end follows from the rule."""
    case = _lock_case(case)
    _require_discipline_writer(actor, case)
    _require_open(case)
    if case.member_id is None:
        raise ValidationError(_("Only a member's discipline is deferred."))
    if reason not in Deferral.Reason.values:
        raise ValidationError(_("Choose the reason for the deferral."))
    if reason == Deferral.Reason.INFANT:
        months = rule_value("discipline.deferral_infant_months", starts_on, case.deciding_unit)
        last = authority.infant_deferral_end(starts_on, months)
        if ends_on is None:
            ends_on = last
        elif ends_on > last:
            raise ValidationError(
                _("The child is under %(months)s months only until %(day)s.") % {"months": months, "day": _d(last)}
            )
        case.rule_values["discipline.deferral_infant_months"] = months
        case.save(update_fields=["rule_values"])
    if ends_on is None:
        raise ValidationError(_("Give the end of the deferral."))
    if ends_on < starts_on:
        raise ValidationError(_("The deferral ends before it starts."))
    d = Deferral.objects.create(case=case, reason=reason, starts_on=starts_on, ends_on=ends_on, note=note.strip())
    record(
        actor=actor,
        action="inspection.deferral",
        obj=case,
        unit=case.unit,
        changes={"deferral": [None, f"{_d(starts_on)}–{_d(ends_on)}"]},
    )
    return d


def limitation_end(case, form, on=None):
    return authority.limitation_end_for(
        case, form, lambda key, day: rule_value(key, day, case.deciding_unit), on or _today()
    )


def _check_before_vote(case, form, held_on):
    reason = authority.case_refusal(case, form)
    if reason:
        raise ValidationError(reason)
    if case.member_id:
        if case.heard_on is None or case.heard_on > held_on:
            needed = rule_value("discipline.hearing_refusals", held_on, case.deciding_unit)
            if case.hearing_refusals < needed:
                raise ValidationError(
                    _(
                        "The member must be met and heard before the vote (or have refused to attend %(n)s times "
                        "without good reason)."
                    )
                    % {"n": needed}
                )
        deferral = authority.deferral_covering(list(case.deferrals.all()), held_on)
        if deferral:
            raise ValidationError(
                _("The discipline is deferred (%(reason)s) until %(day)s.")
                % {"reason": deferral.get_reason_display().lower(), "day": _d(deferral.ends_on)}
            )
    ends = limitation_end(case, form, held_on)
    if ends is not None and held_on >= ends:
        raise ValidationError(
            _("The limitation period of this violation ran out on %(day)s: it can no longer be disciplined.")
            % {"day": _d(ends)}
        )
    return ends


@transaction.atomic
def record_vote(*, case, stage, form, held_on, total, in_favour, decision_no="", decided_on=None, actor):
    """A vote of the proposing (expulsion) or deciding body. A decision vote that passes decides the case:
    the form, the decision, the effective date and the member's record."""
    case = _lock_case(case)
    _require_discipline_writer(actor, case)
    _require_open(case)
    _not_future(held_on)
    if form not in Form.values:
        raise ValidationError(_("Choose the form of discipline."))
    if total is None or total <= 0:
        raise ValidationError(_("Give the number of members with a vote."))
    if in_favour is None or in_favour < 0 or in_favour > total:
        raise ValidationError(_("The votes in favour must be between 0 and %(total)s.") % {"total": total})
    ends = _check_before_vote(case, form, held_on)
    if stage == Vote.Stage.PROPOSAL:
        if form != Form.EXPULSION:
            raise ValidationError(_("Only an expulsion is first proposed by a separate vote."))
        threshold = rule_value("discipline.expulsion_proposal_threshold", held_on, case.deciding_unit)
        passed = authority.at_least(in_favour, total, threshold)
        vote = Vote.objects.create(
            case=case,
            stage=stage,
            form=form,
            held_on=held_on,
            total=total,
            in_favour=in_favour,
            passed=passed,
            threshold=threshold,
        )
        record(
            actor=actor,
            action="inspection.vote",
            obj=case,
            unit=case.unit,
            changes={"proposal": [None, f"{in_favour}/{total}"]},
        )
        return vote
    if stage != Vote.Stage.DECISION:
        raise ValidationError(_("Choose the stage of the vote."))
    if form == Form.EXPULSION:
        proposal = (
            case.votes.filter(stage=Vote.Stage.PROPOSAL, form=Form.EXPULSION, passed=True).order_by("-held_on").first()
        )
        if proposal is None:
            raise ValidationError(_("An expulsion needs first a proposal voted by at least two thirds."))
        if proposal.held_on > held_on:
            raise ValidationError(_("The decision vote cannot come before the proposal."))
    threshold = rule_value("discipline.vote_majority", held_on, case.deciding_unit)
    passed = authority.more_than(in_favour, total, threshold)
    if passed:
        decision_no = _require_text(decision_no, _("Give the number of the discipline decision."))
        if case.deciding_body == Body.CELL:
            decided_on = held_on  # a cell's decision takes effect when the vote result is announced
        elif decided_on is None:
            raise ValidationError(_("Give the date of the decision."))
        elif decided_on < held_on:
            raise ValidationError(_("The decision cannot be dated before the vote."))
        _not_future(decided_on)
    vote = Vote.objects.create(
        case=case,
        stage=stage,
        form=form,
        held_on=held_on,
        total=total,
        in_favour=in_favour,
        passed=passed,
        threshold=threshold,
    )
    record(
        actor=actor,
        action="inspection.vote",
        obj=case,
        unit=case.unit,
        changes={"decision": [None, f"{in_favour}/{total}"], "passed": [None, passed]},
    )
    if passed:
        _decide(case, form=form, decision_no=decision_no, decided_on=decided_on, limitation_ends=ends, actor=actor)
    return vote


def _decide(case, *, form, decision_no, decided_on, limitation_ends, actor):
    case.form = form
    case.decision_no = decision_no
    case.decided_on = decided_on
    case.effective_on = decided_on
    case.state = DisciplineCase.State.DECIDED
    case.rule_values["limitation_ends"] = limitation_ends.isoformat() if limitation_ends else None
    case.save(update_fields=["form", "decision_no", "decided_on", "effective_on", "state", "rule_values"])
    if case.member_id:
        member = case.member
        MemberEvent.objects.create(
            member=member,
            kind=MemberEvent.Kind.DISCIPLINED,
            date=decided_on,
            decision_no=decision_no,
            note=FORM_NOTE[form],
            actor=_actor(actor),
        )
        if form == Form.EXPULSION:
            from dangbo.lifecycle.services import record_expulsion

            # The lifecycle service writes the EXPELLED status change as for every exit (its own access
            # check is the lifecycle deciders'; this decision was checked against the discipline matrix).
            event = record_expulsion(
                member=member, day=decided_on, decision_no=decision_no, note=FORM_NOTE[form], actor=None
            )
            event.actor = _actor(actor)
            event.save(update_fields=["actor"])
        users = [member.user] if member.user_id else []
        if users:
            notify(
                users=users,
                title=_("Discipline decision %(no)s") % {"no": decision_no},
                body=_("Form: %(form)s, in force from %(day)s. You may appeal within the time allowed.")
                % {"form": Form(form).label, "day": _d(decided_on)},
                url="",
                kind="inspection.decision",
            )
    record(
        actor=actor,
        action="inspection.decide",
        obj=case,
        unit=case.unit,
        changes={"form": [None, form], "effective_on": [None, decided_on]},
        note=decision_no,
    )


@transaction.atomic
def close_without_discipline(*, case, day, note, actor):
    case = _lock_case(case)
    _require_discipline_writer(actor, case)
    _require_open(case)
    _not_future(day)
    _require_text(note, _("Give the reason (the vote did not pass, or no discipline is needed)."))
    case.state = DisciplineCase.State.NOT_DISCIPLINED
    case.decided_on = day
    case.save(update_fields=["state", "decided_on"])
    record(actor=actor, action="inspection.not_disciplined", obj=case, unit=case.unit, note=note.strip())
    return case


@transaction.atomic
def record_receipt(*, case, day, actor):
    """The day the member (organization) received the decision: the appeal window runs from it."""
    case = _lock_case(case)
    _require_discipline_writer(actor, case)
    if case.state != DisciplineCase.State.DECIDED:
        raise ValidationError(_("There is no decision to receive yet."))
    _not_future(day)
    if day < case.decided_on:
        raise ValidationError(_("The decision cannot be received before it was made."))
    case.received_on = day
    case.save(update_fields=["received_on"])
    record(actor=actor, action="inspection.received", obj=case, unit=case.unit, changes={"received_on": [None, day]})
    return case


def appeal_deadline(case):
    """The last day to appeal: the rule's days from receiving the decision (or from the decision itself)."""
    start = case.received_on or case.decided_on
    days = rule_value("discipline.appeal_window_days", start, case.deciding_unit)
    return start + datetime.timedelta(days=days)


@transaction.atomic
def file_appeal(*, case, filed_on, content, on_behalf=False, actor):
    case = _lock_case(case)
    if actor is not None and not access.may_file_appeal(actor, case):
        raise _not_yours(case.unit)
    _require_not_own(actor, subjects=[case.member], orgs=[case.org])
    if case.state != DisciplineCase.State.DECIDED:
        raise ValidationError(_("Only a decided discipline can be appealed."))
    _not_future(filed_on)
    content = _require_text(content, _("Give the content of the appeal."))
    if on_behalf:
        raise ValidationError(_("An appeal filed on someone else's behalf is not handled."))
    due = appeal_deadline(case)
    if filed_on > due:
        raise ValidationError(_("The appeal is out of time: it had to be filed by %(day)s.") % {"day": _d(due)})
    if case.appeals.filter(outcome=Appeal.Outcome.PENDING).exists():
        raise ValidationError(_("An appeal of this decision is already being handled."))
    appeal = Appeal.objects.create(case=case, filed_on=filed_on, content=content)
    record(actor=actor, action="inspection.appeal", obj=case, unit=case.unit, changes={"appeal": [None, _d(filed_on)]})
    return appeal


@transaction.atomic
def answer_appeal(*, appeal, outcome, decided_on, answer, new_form="", actor):
    """The competent higher body answers: the decision stands, its form changes, or it is annulled (the
    member's record follows)."""
    appeal = Appeal.objects.select_for_update(of=("self",)).select_related("case").get(pk=appeal.pk)
    case = _lock_case(appeal.case)
    if actor is not None and not access.answers_appeals_of(actor, case):
        raise ValidationError(
            _("An appeal is answered by the level above the body that decided (%(unit)s), not by that body itself.")
            % {"unit": case.deciding_unit.name}
        )
    if actor is not None:
        _require_not_own(actor, subjects=[case.member], orgs=[case.org], voted=access.voted(actor, case))
    if appeal.outcome != Appeal.Outcome.PENDING:
        raise ValidationError(_("This appeal has already been answered."))
    if outcome not in (Appeal.Outcome.UPHELD, Appeal.Outcome.CHANGED, Appeal.Outcome.ANNULLED):
        raise ValidationError(_("Choose the outcome."))
    _not_future(decided_on)
    if decided_on < appeal.filed_on:
        raise ValidationError(_("The answer cannot come before the appeal."))
    answer = _require_text(answer, _("Give the answer."))
    event = None
    if case.member_id:
        event = (
            MemberEvent.objects.filter(
                member_id=case.member_id, kind=MemberEvent.Kind.DISCIPLINED, decision_no=case.decision_no
            )
            .order_by("-date", "-id")
            .first()
        )
    if outcome == Appeal.Outcome.CHANGED:
        if new_form not in Form.values or new_form == case.form:
            raise ValidationError(_("Choose the new form of discipline."))
        if case.form == Form.EXPULSION or new_form == Form.EXPULSION:
            raise ValidationError(_("An expulsion is changed through a new decision, not here."))
        reason = authority.case_refusal(case, new_form)
        if reason:
            raise ValidationError(reason)
        case.form = new_form
        case.save(update_fields=["form"])
        if event:
            event.note = FORM_NOTE[new_form]
            event.save(update_fields=["note"])
    elif outcome == Appeal.Outcome.ANNULLED:
        if case.form == Form.EXPULSION:
            from dangbo.lifecycle.services import restore

            restore(
                member=case.member,
                day=decided_on,
                decision_no=case.decision_no,
                note=_("Expulsion annulled on appeal"),
                actor=None,
            )
        if event:
            event.delete()
        case.state = DisciplineCase.State.CLOSED
        case.save(update_fields=["state"])
    appeal.outcome = outcome
    appeal.decided_on = decided_on
    appeal.answer = answer
    appeal.save(update_fields=["outcome", "decided_on", "answer"])
    record(
        actor=actor,
        action="inspection.appeal_answer",
        obj=case,
        unit=case.unit,
        changes={"appeal": ["pending", outcome]},
    )
    return appeal


# ---- state discipline notices -----------------------------------------------------------------------
@transaction.atomic
def record_state_discipline(*, member, authority_name, form, decision_no, decided_on, notified_on=None, actor):
    _require_writer(actor, member.unit)
    _require_not_own(actor, subjects=[member])
    _not_future(decided_on)
    _not_future(notified_on)
    if notified_on and notified_on < decided_on:
        raise ValidationError(_("The notification cannot come before the decision."))
    days = rule_value("discipline.state_notice_days", decided_on, member.unit)
    notice = StateDiscipline.objects.create(
        member=member,
        authority=_require_text(authority_name, _("Name the agency or organization that decided.")),
        form=_require_text(form, _("Give the form of discipline.")),
        decision_no=_require_text(decision_no, _("Give the decision number.")),
        decided_on=decided_on,
        notified_on=notified_on,
        due_on=decided_on + datetime.timedelta(days=days),
        created_by=_actor(actor),
    )
    record(
        actor=actor,
        action="inspection.state_discipline",
        obj=notice,
        unit=member.unit,
        changes={"due_on": [None, notice.due_on]},
    )
    return notice


@transaction.atomic
def mark_notified(*, notice, day, actor):
    notice = StateDiscipline.objects.select_for_update(of=("self",)).select_related("member__unit").get(pk=notice.pk)
    _require_writer(actor, notice.member.unit)
    _require_not_own(actor, subjects=[notice.member])
    if notice.notified_on:
        raise ValidationError(_("The notification is already recorded."))
    _not_future(day)
    if day < notice.decided_on:
        raise ValidationError(_("The notification cannot come before the decision."))
    notice.notified_on = day
    notice.save(update_fields=["notified_on"])
    record(
        actor=actor,
        action="inspection.state_notified",
        obj=notice,
        unit=notice.member.unit,
        changes={"notified_on": [None, day]},
    )
    return notice


def case_url(case):
    return reverse("inspection:case", args=[case.pk])
