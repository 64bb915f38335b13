"""Writes of the committees app: terms and seats, appraisals, consultations and proposals, good models.
Each is atomic, validates before saving and writes an audit row."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.committees.models import Appraisal, GoodModel, Proposal, Seat, Session, Term
from dangbo.committees.structure import COMMITTEE_KINDS, INSPECTION_KINDS, term_end
from dangbo.core import audit
from dangbo.core.notify import notify
from dangbo.core.workdays import add_working_days
from dangbo.members.models import Member
from dangbo.org.models import OrgUnit
from dangbo.rules.registry import RuleMissing, rule

P = Seat.Position


def _today():
    return timezone.localdate()


# Terms and seats


@transaction.atomic
def record_congress(*, unit, congress_date, label="", note="", actor):
    """Record a congress; the term's end follows from the rules in force on the congress date."""
    if unit.kind not in COMMITTEE_KINDS:
        raise ValidationError(_("This kind of organization holds no congress of its own."))
    ends = term_end(unit, congress_date)
    if ends is None:
        raise ValidationError(_("No rule gives the length of the term on this date."))
    if Term.objects.filter(unit=unit, congress_date=congress_date).exists():
        raise ValidationError(_("A congress on this date is already recorded."))
    term = Term(unit=unit, congress_date=congress_date, ends_on=ends, label=label, note=note)
    term.full_clean()
    term.save()
    audit.record(actor=actor, action="committees.congress", obj=term, unit=unit)
    return term


@transaction.atomic
def add_seat(*, unit, member, position, method, start_date, decision_no="", term=None, actor):
    """Put a member on a unit's committee. A member of the unit's subtree, on the books, not already
    holding that position; inspection positions only where inspection commissions exist."""
    if unit.kind not in COMMITTEE_KINDS:
        raise ValidationError(_("This kind of organization has no committee."))
    if position in Seat.INSPECTION_POSITIONS and unit.kind not in INSPECTION_KINDS:
        raise ValidationError(_("Inspection commissions exist only from the grassroots party committee upward."))
    if member.status not in Member.CURRENT_STATUSES or not member.unit.path.startswith(unit.path):
        raise ValidationError(_("The committee is chosen among the party members of the organization."))
    if method == Seat.Method.CONGRESS and term is None:
        term = Term.objects.filter(unit=unit, congress_date__lte=start_date).order_by("-congress_date").first()
        if term is None:
            raise ValidationError(_("Record the congress first."))
    if method != Seat.Method.CONGRESS and not decision_no:
        raise ValidationError(_("A change between congresses needs the decision number."))
    clash = Seat.objects.filter(unit=unit, member=member, position=position).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=start_date)
    )
    if clash.exists():
        raise ValidationError(_("%(name)s already holds this position.") % {"name": member.full_name})
    if term is None:
        term = Term.objects.filter(unit=unit, congress_date__lte=start_date).order_by("-congress_date").first()
    seat = Seat(
        unit=unit,
        term=term,
        member=member,
        position=position,
        method=method,
        decision_no=decision_no,
        start_date=start_date,
    )
    seat.full_clean()
    seat.save()
    audit.record(
        actor=actor,
        action="committees.seat_added",
        obj=seat,
        unit=unit,
        changes={"position": [None, position], "method": [None, method]},
    )
    return seat


@transaction.atomic
def end_seat(*, seat, end_date, reason, decision_no="", actor):
    seat = Seat.objects.select_for_update().get(pk=seat.pk)
    if seat.end_date is not None:
        raise ValidationError(_("This position has already ended."))
    if end_date <= seat.start_date:
        raise ValidationError(_("The end date must be after the start date."))
    seat.end_date, seat.end_reason = end_date, reason
    if decision_no:
        seat.decision_no = f"{seat.decision_no}; {decision_no}".strip("; ")
    seat.save(update_fields=["end_date", "end_reason", "decision_no"])
    audit.record(
        actor=actor, action="committees.seat_ended", obj=seat, unit=seat.unit, changes={"end_date": [None, end_date]}
    )
    return seat


@transaction.atomic
def delete_seat(*, seat, actor):
    """Remove a seat recorded by mistake (not a change of the committee: that is ``end_seat``); the audit
    row keeps what it was."""
    seat = Seat.objects.select_for_update(of=("self",)).select_related("unit", "member").get(pk=seat.pk)
    audit.record(
        actor=actor,
        action="committees.seat_deleted",
        obj=seat,
        unit=seat.unit,
        changes={
            "member": [seat.member.full_name, None],
            "position": [seat.position, None],
            "start_date": [seat.start_date, None],
            "end_date": [seat.end_date, None],
        },
    )
    seat.delete()


def reinforcement_q(start, end):
    """Seat rows that are a reinforcement (kiện toàn) in ``start``..``end``: a member added between
    congresses, or one who left before the end of the term."""
    added = Q(start_date__gte=start, start_date__lte=end) & ~Q(method=Seat.Method.CONGRESS)
    left = Q(end_date__gte=start, end_date__lte=end) & ~Q(end_reason=Seat.EndReason.TERM_END)
    return added | left


def reinforced_units(units_qs, start, end):
    """Ids of the units (of ``units_qs``) whose committee was reinforced in the period."""
    return set(
        Seat.objects.filter(reinforcement_q(start, end), unit_id__in=units_qs.values("pk"))
        .values_list("unit_id", flat=True)
        .order_by()
        .distinct()
    )


# Appraisals


@transaction.atomic
def request_appraisal(*, unit, subject_name, purpose, scope, secrecy, requested_on, member=None, **extra):
    actor = extra.pop("actor")
    a = Appraisal(
        unit=unit,
        member=member,
        subject_name=subject_name or (member.full_name if member else ""),
        purpose=purpose,
        scope=scope,
        secrecy=secrecy,
        requested_on=requested_on,
        proposed_position=extra.get("proposed_position", ""),
        request_no=extra.get("request_no", ""),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    a.full_clean()
    a.save()
    audit.record(actor=actor, action="committees.appraisal_requested", obj=a, unit=unit)
    return a


@transaction.atomic
def conclude_appraisal(*, appraisal, conclusion, conclusion_text, conclusion_no, concluded_on, actor):
    a = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
    if conclusion == Appraisal.Conclusion.PENDING:
        raise ValidationError(_("Choose the conclusion the appraisers reached."))
    if not conclusion_text.strip():
        raise ValidationError(_("Write the grounds of the conclusion."))
    if concluded_on < a.requested_on:
        raise ValidationError(_("The conclusion cannot precede the request."))
    old = a.conclusion
    a.conclusion, a.conclusion_text, a.conclusion_no, a.concluded_on = (
        conclusion,
        conclusion_text.strip(),
        conclusion_no,
        concluded_on,
    )
    a.concluded_by = actor if getattr(actor, "pk", None) else None
    a.save(update_fields=["conclusion", "conclusion_text", "conclusion_no", "concluded_on", "concluded_by"])
    audit.record(
        actor=actor,
        action="committees.appraisal_concluded",
        obj=a,
        unit=a.unit,
        changes={"conclusion": [old, conclusion]},
    )
    return a


def log_appraisal_view(*, user, appraisal):
    """Every opening of an appraisal is an audit row (and a dossier read when it is about a member)."""
    audit.record(actor=user, action="committees.appraisal_viewed", obj=appraisal, unit=appraisal.unit)
    if appraisal.member_id:
        audit.record_read(user=user, member=appraisal.member, view="committees:appraisal")


# Consultations and proposals


@transaction.atomic
def hold_session(*, unit, title, held_on, chaired_by, invited, cluster=None, place="", attendees="", summary="", actor):
    s = Session(
        unit=unit,
        cluster=cluster,
        title=title,
        held_on=held_on,
        chaired_by=chaired_by,
        place=place,
        attendees=attendees,
        summary=summary,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    s.full_clean()
    s.save()
    invited = list(invited)
    if cluster is not None and not invited:
        invited = list(OrgUnit.objects.active(held_on).grassroots().filter(cluster=cluster))
    s.invited.set(invited)
    audit.record(actor=actor, action="committees.session", obj=s, unit=unit)
    return s


def default_due(day, unit=None):
    """The answer deadline: ``consultation.answer_working_days`` working days after assignment."""
    try:
        days = rule("consultation.answer_working_days", on=day, unit=unit)
    except RuleMissing as e:
        raise ValidationError(str(e)) from e
    return add_working_days(day, days)


def _check_step_day(day, not_before, what):
    """A step records the day it happened (issue on history §3): not in the future, not before ``not_before``."""
    if day > _today():
        raise ValidationError(_("The date of the step cannot be in the future."))
    if not_before and day < not_before:
        raise ValidationError(
            _("A step cannot be dated before the day %(what)s (%(day)s).")
            % {"what": what, "day": not_before.strftime("%d/%m/%Y")}
        )


@transaction.atomic
def submit_proposal(
    *, unit, category, title, text, asked_by=None, asker_name="", session=None, submitted_on=None, actor
):
    submitted_on = submitted_on or _today()
    if session is not None and not session.invited.filter(pk=unit.pk).exists() and unit.pk != session.unit_id:
        raise ValidationError(_("This unit was not invited to the consultation."))
    if not asker_name.strip() and asked_by is None:
        raise ValidationError(_("Say who raised the proposal."))
    p = Proposal(
        unit=unit,
        session=session,
        asked_by=asked_by,
        asker_name=asker_name or (str(asked_by) if asked_by else ""),
        category=category,
        title=title.strip(),
        text=text.strip(),
        submitted_on=submitted_on,
    )
    p.full_clean()
    p.save()
    audit.record(actor=actor, action="committees.proposal_submitted", obj=p, unit=unit)
    return p


def _locked(proposal):
    return Proposal.objects.select_for_update(of=("self",)).select_related("unit", "asked_by").get(pk=proposal.pk)


@transaction.atomic
def assign_proposal(*, proposal, department, due_on=None, day=None, actor):
    p = _locked(proposal)
    if p.state == Proposal.State.PUBLISHED:
        raise ValidationError(_("The answer is already published."))
    day = day or _today()
    _check_step_day(day, p.submitted_on, _("the proposal was submitted"))
    due_on = due_on or default_due(day, p.unit)
    if due_on < day:
        raise ValidationError(_("The deadline cannot be before the assignment."))
    old = p.state
    p.department, p.assigned_on, p.due_on = department, day, due_on
    if p.state == Proposal.State.SUBMITTED:
        p.state = Proposal.State.ASSIGNED
    p.save(update_fields=["department", "assigned_on", "due_on", "state"])
    audit.record(
        actor=actor,
        action="committees.proposal_assigned",
        obj=p,
        unit=p.unit,
        changes={"state": [old, p.state], "department": [None, department], "due_on": [None, due_on]},
    )
    return p


@transaction.atomic
def answer_proposal(*, proposal, answer, day=None, actor):
    p = _locked(proposal)
    if p.state == Proposal.State.SUBMITTED:
        raise ValidationError(_("Assign the proposal to a department first."))
    if p.state == Proposal.State.PUBLISHED:
        raise ValidationError(_("The answer is already published."))
    if not answer.strip():
        raise ValidationError(_("Write the answer."))
    day = day or _today()
    _check_step_day(day, p.assigned_on, _("the proposal was assigned"))
    p.answer, p.answered_on, p.state = answer.strip(), day, Proposal.State.ANSWERED
    p.answered_by = actor if getattr(actor, "pk", None) else None
    p.save(update_fields=["answer", "answered_on", "state", "answered_by"])
    audit.record(actor=actor, action="committees.proposal_answered", obj=p, unit=p.unit)
    return p


@transaction.atomic
def publish_answer(*, proposal, day=None, actor):
    """Publish the answer to who asked: a notification, and the answer on their consultations page."""
    p = _locked(proposal)
    if p.state != Proposal.State.ANSWERED:
        raise ValidationError(_("Only a drafted answer can be published."))
    p.state, p.published_on = Proposal.State.PUBLISHED, day or _today()
    p.save(update_fields=["state", "published_on"])
    audit.record(actor=actor, action="committees.proposal_published", obj=p, unit=p.unit)
    if p.asked_by_id:
        notify(
            users=[p.asked_by],
            title=_("Your proposal has been answered: %(title)s") % {"title": p.title},
            body=p.answer[:500],
            url=reverse("committees:proposal", args=[p.pk]),
            kind="committees.answer",
        )
    return p


def overdue_q(today):
    return Q(due_on__lt=today, answered_on__isnull=True, state__in=Proposal.OPEN_STATES)


# Good models


@transaction.atomic
def submit_model(*, unit, title, field, summary, results="", started_on=None, day=None, actor):
    m = GoodModel(
        unit=unit,
        field=field,
        started_on=started_on,
        submitted_on=day or _today(),
        submitted_by=actor if getattr(actor, "pk", None) else None,
    )
    m.set_text(title=title, summary=summary, results=results)
    m.full_clean()
    m.save()
    audit.record(actor=actor, action="committees.model_submitted", obj=m, unit=unit)
    return m


@transaction.atomic
def review_model(*, model, approve, note="", day=None, actor):
    m = GoodModel.objects.select_for_update().get(pk=model.pk)
    if m.state != GoodModel.State.SUBMITTED:
        raise ValidationError(_("This model has already been reviewed."))
    if not approve and not note.strip():
        raise ValidationError(_("Say why the model is returned."))
    old = m.state
    m.state = GoodModel.State.PUBLISHED if approve else GoodModel.State.REJECTED
    m.published_on = (day or _today()) if approve else None
    m.review_note = note.strip()
    m.save(update_fields=["state", "published_on", "review_note"])
    audit.record(actor=actor, action="committees.model_reviewed", obj=m, unit=m.unit, changes={"state": [old, m.state]})
    if m.submitted_by_id:
        notify(
            users=[m.submitted_by],
            title=(_("Good model published: %(title)s") if approve else _("Good model returned: %(title)s"))
            % {"title": m.title},
            body=m.review_note,
            url=m.get_absolute_url(),
            kind="committees.model",
        )
    return m
