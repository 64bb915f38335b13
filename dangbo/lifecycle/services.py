"""Exemption, removal from the list, expulsion, death, restoration and party cards (DOMAIN.md §2).

Every status change writes a MemberEvent (``status_after`` set, the unit unchanged), rebuilds the member's
intervals and records the audit row, all in one transaction. An action the rules do not allow raises a
Vietnamese ``ValidationError`` and changes nothing. Nothing here runs on its own except the ending of
exemptions whose end date has passed (``end_expired_exemptions``); removals are always decided by a person.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.accounts.access import own_case_refusal
from dangbo.core.audit import record
from dangbo.lifecycle.access import can_act
from dangbo.lifecycle.models import CARD_PATTERN, CardRecord, Exemption, RemovalProposal
from dangbo.members.intervals import rebuild_intervals
from dangbo.members.models import Member, MemberEvent
from dangbo.rules.registry import RuleMissing, rule

S = Member.Status
ON_BOOKS = (S.PROBATIONARY, S.OFFICIAL, S.EXEMPTED, S.SUSPENDED)
# Exits that a restoration may undo, and what it takes (DOMAIN.md §2, 2-HSĐV "phục hồi đảng tịch").
RESTORABLE = {
    S.SUSPENDED: "suspension_lifted",
    S.REMOVED: "annulled",
    S.EXPELLED: "annulled",
}


def _d(day):
    return day.strftime("%d/%m/%Y")


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _today():
    return timezone.localdate()


def _lock(member):
    return Member.objects.select_for_update(of=("self",)).select_related("unit").get(pk=member.pk)


def _change_status(member, *, kind, status, day, actor, decision_no="", note="", action, changes=None):
    """The one way this app changes a status: the member row, the event, the intervals, the audit."""
    old = member.status
    member.status = status
    member.save(update_fields=["status"])
    event = MemberEvent.objects.create(
        member=member,
        kind=kind,
        date=day,
        status_after=status,
        decision_no=decision_no,
        actor=_actor(actor),
        note=note,
    )
    rebuild_intervals([member.pk])
    record(
        actor=actor,
        action=action,
        obj=member,
        unit=member.unit,
        changes={"status": [old, status], **(changes or {})},
        note=decision_no or note,
    )
    return event


def _require_on_books(member, day=None):
    if member.status not in ON_BOOKS:
        raise ValidationError(
            _("%(name)s is not on the books (%(status)s).")
            % {"name": member.full_name, "status": member.get_status_display()}
        )
    if day is not None and day > _today():
        raise ValidationError(_("The date cannot be in the future."))


def _require_text(value, message):
    if not (value or "").strip():
        raise ValidationError(message)
    return value.strip()


def _require_not_own(actor, member):
    reason = actor is not None and own_case_refusal(actor, subjects=[member])
    if reason:
        raise ValidationError(reason)


def _require_may(actor, member, action):
    _require_not_own(actor, member)
    if actor is not None and not can_act(actor, member, action):
        raise ValidationError(_("This belongs to the competent party committee, not to you."))


def _status_before_exit(member):
    """The status the member had before their last exit event (for a restoration)."""
    events = list(member.events.exclude(status_after="").order_by("-date", "-id")[:2])
    if len(events) == 2:
        return events[1].status_after
    return S.OFFICIAL if member.official_date else S.PROBATIONARY


# ---- exemption ------------------------------------------------------------------------------------
@transaction.atomic
def exempt(*, member, reason, starts_on, ends_on=None, decision_no, note="", actor):
    """Exempt a member from party work and meetings from ``starts_on`` (to ``ends_on`` inclusive, or open)."""
    member = _lock(member)
    _require_may(actor, member, "exempt")
    if reason not in Exemption.Reason.values:
        raise ValidationError(_("Choose a reason for the exemption."))
    decision_no = _require_text(decision_no, _("Give the number of the cell's decision."))
    if reason == Exemption.Reason.OTHER and not note.strip():
        raise ValidationError(_("Describe the reason for the exemption."))
    if member.status == S.EXEMPTED:
        raise ValidationError(_("%(name)s is already exempted.") % {"name": member.full_name})
    if member.status not in (S.OFFICIAL, S.PROBATIONARY):
        raise ValidationError(
            _("Only a member on the books can be exempted; %(name)s is %(status)s.")
            % {"name": member.full_name, "status": member.get_status_display().lower()}
        )
    if starts_on > _today():
        raise ValidationError(_("Record the exemption on or after its first day."))
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError(_("The exemption ends before it starts."))
    overlapping = member.exemptions.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
    overlapping = overlapping.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=starts_on))
    if ends_on is not None:
        overlapping = overlapping.filter(starts_on__lte=ends_on)
    if overlapping.exists():
        raise ValidationError(_("This period overlaps another exemption of the same member."))
    last = member.events.exclude(status_after="").order_by("-date", "-id").first()
    if last and starts_on < last.date:
        raise ValidationError(
            _("The exemption cannot start before the member's last recorded event (%(day)s).") % {"day": _d(last.date)}
        )
    ex = Exemption.objects.create(
        member=member,
        reason=reason,
        note=note.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        decision_no=decision_no,
        status_before=member.status,
        created_by=_actor(actor),
    )
    _change_status(
        member,
        kind=MemberEvent.Kind.EXEMPTED,
        status=S.EXEMPTED,
        day=starts_on,
        actor=actor,
        decision_no=decision_no,
        note=ex.get_reason_display(),
        action="lifecycle.exempt",
        changes={"exemption": [None, f"{_d(starts_on)}–{_d(ends_on) if ends_on else '…'}"]},
    )
    return ex


@transaction.atomic
def end_exemption(*, exemption, day, actor, note=""):
    """The member takes up party work again on ``day`` with the status they had before."""
    ex = Exemption.objects.select_for_update().get(pk=exemption.pk)
    member = _lock(ex.member)
    _require_may(actor, member, "end_exemption")
    if ex.ended_on is not None:
        raise ValidationError(_("This exemption has already ended."))
    if day < ex.starts_on:
        raise ValidationError(_("An exemption cannot end before it starts."))
    if day > _today():
        raise ValidationError(_("The date cannot be in the future."))
    ex.ended_on = day
    ex.save(update_fields=["ended_on"])
    if member.status == S.EXEMPTED:
        _change_status(
            member,
            kind=MemberEvent.Kind.EXEMPTION_ENDED,
            status=ex.status_before,
            day=day,
            actor=actor,
            note=note,
            action="lifecycle.end_exemption",
        )
    return ex


def end_expired_exemptions(today=None, *, members=None):
    """End every open exemption whose end date has passed (the day after it); returns how many."""
    today = today or _today()
    qs = Exemption.objects.filter(ended_on__isnull=True, ends_on__lt=today)
    if members is not None:
        qs = qs.filter(member__in=members)
    n = 0
    for ex in qs.select_related("member"):
        end_exemption(exemption=ex, day=ex.ends_on + datetime.timedelta(days=1), actor=None, note=_("End date reached"))
        n += 1
    return n


def _close_exemptions(member, day):
    member.exemptions.filter(ended_on__isnull=True).update(ended_on=day)


# ---- removal from the list (xóa tên) --------------------------------------------------------------
GROUND_RULES = {
    RemovalProposal.Ground.MISSED_MEETINGS: "removal.missed_meeting_months_per_year",
    RemovalProposal.Ground.UNPAID_FEES: "removal.unpaid_fee_months_per_year",
    RemovalProposal.Ground.FAILED_REVIEW: "removal.failed_review_years",
    RemovalProposal.Ground.NO_IMPROVEMENT: "removal.no_improvement_months",
}


def ground_threshold(ground, day, unit):
    key = GROUND_RULES.get(ground)
    if key is None:
        return None
    try:
        return rule(key, on=day, unit=unit)
    except RuleMissing as e:
        raise ValidationError(str(e))


@transaction.atomic
def propose_removal(*, member, ground, evidence, raised_on, count=None, actor):
    """The cell proposes to remove ``member`` from the list. Nothing changes on the member until decided."""
    member = _lock(member)
    _require_may(actor, member, "propose_removal")
    _require_on_books(member, raised_on)
    if ground not in RemovalProposal.Ground.values:
        raise ValidationError(_("Choose the ground of the proposal."))
    evidence = _require_text(evidence, _("Describe the evidence (meetings missed, months unpaid, reviews …)."))
    threshold = ground_threshold(ground, raised_on, member.unit)
    if threshold is not None:
        if count is None:
            raise ValidationError(_("Give the number of months or years the ground counts."))
        if count < threshold:
            unit_word = _("years") if ground == RemovalProposal.Ground.FAILED_REVIEW else _("months")
            raise ValidationError(
                _("The rules allow this proposal from %(n)s %(unit)s; the evidence counts %(count)s.")
                % {"n": threshold, "unit": unit_word, "count": count}
            )
    if member.removal_proposals.filter(state=RemovalProposal.State.PROPOSED).exists():
        raise ValidationError(_("A removal proposal for this member is already open."))
    proposal = RemovalProposal.objects.create(
        member=member,
        ground=ground,
        count=count,
        evidence=evidence,
        raised_by_unit=member.unit,
        raised_by=_actor(actor),
        raised_on=raised_on,
        rule_value=threshold,
    )
    record(
        actor=actor,
        action="lifecycle.propose_removal",
        obj=proposal,
        unit=member.unit,
        changes={"ground": [None, ground]},
    )
    _notify_deciders(proposal)
    return proposal


def _notify_deciders(proposal):
    from django.urls import reverse

    from dangbo.accounts.models import User
    from dangbo.core.notify import notify

    unit = proposal.member.unit
    users = list(User.objects.filter(roles__unit_id__in=unit.ancestor_ids(include_self=True)).distinct())
    users = [u for u in users if can_act(u, proposal.member, "decide_removal")]
    if users:
        notify(
            users=users,
            title=_("Removal proposal: %(name)s") % {"name": proposal.member.full_name},
            body=_("%(unit)s proposes to remove %(name)s from the list (%(ground)s).")
            % {"unit": unit.name, "name": proposal.member.full_name, "ground": proposal.get_ground_display()},
            url=reverse("lifecycle:proposal", args=[proposal.pk]),
            kind="lifecycle.removal_proposed",
        )


@transaction.atomic
def decide_removal(*, proposal, approve, day, decision_no="", note="", actor):
    """The competent level removes the member from the list, or rejects the proposal with its reason."""
    p = RemovalProposal.objects.select_for_update(of=("self",)).select_related("member").get(pk=proposal.pk)
    member = _lock(p.member)
    if p.state != RemovalProposal.State.PROPOSED:
        raise ValidationError(_("This proposal has already been decided."))
    _require_not_own(actor, member)
    if actor is None or not can_act(actor, member, "decide_removal"):
        raise ValidationError(_("A removal is decided by the competent party committee; the cell can only propose it."))
    if p.raised_by_id and p.raised_by_id == actor.pk:
        raise ValidationError(_("Whoever raised a proposal cannot decide it."))
    if day < p.raised_on:
        raise ValidationError(_("The decision cannot come before the proposal."))
    if day > _today():
        raise ValidationError(_("The date cannot be in the future."))
    p.decided_by, p.decided_on, p.decision_note = actor, day, note.strip()
    if approve:
        p.decision_no = _require_text(decision_no, _("Give the number of the removal decision."))
        _require_on_books(member)
        p.state = RemovalProposal.State.REMOVED
        p.save()
        _close_exemptions(member, day)
        _change_status(
            member,
            kind=MemberEvent.Kind.REMOVED,
            status=S.REMOVED,
            day=day,
            actor=actor,
            decision_no=p.decision_no,
            note=p.get_ground_display(),
            action="lifecycle.remove",
        )
        recover_card(member=member, day=day, actor=actor)
    else:
        p.decision_note = _require_text(note, _("Give the reason for rejecting the proposal."))
        p.state = RemovalProposal.State.REJECTED
        p.save()
        record(actor=actor, action="lifecycle.reject_removal", obj=p, unit=member.unit, note=p.decision_note)
    if p.raised_by_id:
        from dangbo.core.notify import notify

        notify(
            users=[p.raised_by],
            title=_("Removal proposal decided: %(name)s") % {"name": member.full_name},
            body=p.get_state_display(),
            url=p.get_absolute_url(),
            kind="lifecycle.removal_decided",
        )
    return p


# ---- expulsion, death, restoration ------------------------------------------------------------------
@transaction.atomic
def record_expulsion(*, member, day, decision_no, note="", actor):
    """Khai trừ: recorded from the competent body's decision (the discipline workflow will call this)."""
    member = _lock(member)
    _require_may(actor, member, "expel")
    _require_on_books(member, day)
    decision_no = _require_text(decision_no, _("Give the number of the expulsion decision."))
    if member.status == S.PROBATIONARY:
        raise ValidationError(
            _("A probationary member cannot be expelled: the forms of discipline for them are reprimand and warning.")
        )
    _close_exemptions(member, day)
    member.removal_proposals.filter(state=RemovalProposal.State.PROPOSED).update(
        state=RemovalProposal.State.REJECTED, decided_on=day, decision_note=_("Superseded by the expulsion.")
    )
    event = _change_status(
        member,
        kind=MemberEvent.Kind.EXPELLED,
        status=S.EXPELLED,
        day=day,
        actor=actor,
        decision_no=decision_no,
        note=note,
        action="lifecycle.expel",
    )
    recover_card(member=member, day=day, actor=actor)
    return event


@transaction.atomic
def record_death(*, member, day, note="", actor):
    """Từ trần. The family keeps the card and the badges: nothing is recovered."""
    member = _lock(member)
    _require_may(actor, member, "death")
    _require_on_books(member, day)
    _close_exemptions(member, day)
    member.removal_proposals.filter(state=RemovalProposal.State.PROPOSED).update(
        state=RemovalProposal.State.REJECTED, decided_on=day, decision_note=_("The member has died.")
    )
    return _change_status(
        member,
        kind=MemberEvent.Kind.DECEASED,
        status=S.DECEASED,
        day=day,
        actor=actor,
        note=note,
        action="lifecycle.death",
    )


@transaction.atomic
def restore(*, member, day, decision_no, note="", actor):
    """Restore membership where the rules allow it: a suspension lifted, or a removal or expulsion annulled
    by the competent body (on appeal or review). Death and transfer out are not undone here (a wrong record
    is a dossier correction); readmission after an exit is a new admission, not a restoration."""
    member = _lock(member)
    _require_may(actor, member, "restore")
    if member.status not in RESTORABLE:
        raise ValidationError(
            _("The rules do not allow restoring a member who is %(status)s.")
            % {"status": member.get_status_display().lower()}
        )
    decision_no = _require_text(decision_no, _("Give the number of the decision that restores the member."))
    if member.status in (S.REMOVED, S.EXPELLED):
        _require_text(note, _("Say which body annulled the decision, and why."))
    last = member.events.order_by("-date", "-id").first()
    if last and day < last.date:
        raise ValidationError(_("The restoration cannot come before the exit (%(day)s).") % {"day": _d(last.date)})
    if day > _today():
        raise ValidationError(_("The date cannot be in the future."))
    status = _status_before_exit(member)
    if status not in (S.OFFICIAL, S.PROBATIONARY, S.EXEMPTED):
        status = S.OFFICIAL if member.official_date else S.PROBATIONARY
    if status == S.EXEMPTED:
        status = S.OFFICIAL if member.official_date else S.PROBATIONARY
    return _change_status(
        member,
        kind=MemberEvent.Kind.RESTORED,
        status=status,
        day=day,
        actor=actor,
        decision_no=decision_no,
        note=note,
        action="lifecycle.restore",
    )


# ---- party cards --------------------------------------------------------------------------------------
def normalize_card_number(value):
    """NN.NNNNNN; eight digits typed without the dot are accepted and dotted."""
    value = (value or "").strip().replace(" ", "")
    if re.fullmatch(r"\d{8}", value):
        value = f"{value[:2]}.{value[2:]}"
    if not re.fullmatch(CARD_PATTERN, value):
        raise ValidationError(
            _("A party card number has 8 digits written NN.NNNNNN (2 for the province, 6 in its block).")
        )
    return value


def _check_number_free(number, member):
    if CardRecord.objects.filter(number=number).exclude(member=member).exists():
        raise ValidationError(_("Card number %(n)s belongs to another member.") % {"n": number})
    if Member.objects.filter(card_number=number).exclude(pk=member.pk).exists():
        raise ValidationError(_("Card number %(n)s belongs to another member.") % {"n": number})


def holds_card(member):
    return bool(member.card_number) or member.cards.filter(lost_on__isnull=True, recovered_on__isnull=True).exists()


def active_card(member):
    """The card the member holds, creating the log row for a number known only from the dossier."""
    card = member.cards.filter(lost_on__isnull=True, recovered_on__isnull=True).order_by("-pk").first()
    if card is None and member.card_number and not member.cards.filter(number=member.card_number).exists():
        card = CardRecord.objects.create(member=member, number=member.card_number)
    return card


@transaction.atomic
def issue_card(*, member, number, issued_on, decision_no, actor):
    member = _lock(member)
    _require_may(actor, member, "issue_card")
    number = normalize_card_number(number)
    if member.status == S.PROBATIONARY:
        raise ValidationError(
            _("A card is issued only to official members; %(name)s is on probation.") % {"name": member.full_name}
        )
    if member.status not in (S.OFFICIAL, S.EXEMPTED) or not (member.official_date or member.status == S.OFFICIAL):
        raise ValidationError(_("A card is issued only to official members on the books."))
    if member.official_date and issued_on < member.official_date:
        raise ValidationError(_("The card cannot be issued before the member became official."))
    if issued_on > _today():
        raise ValidationError(_("The date cannot be in the future."))
    decision_no = _require_text(decision_no, _("Give the number of the decision that issues the card."))
    if active_card(member):
        raise ValidationError(
            _("%(name)s already holds a card; report it lost to reissue it.") % {"name": member.full_name}
        )
    _check_number_free(number, member)
    card = CardRecord.objects.create(
        member=member, number=number, issued_on=issued_on, decision_no=decision_no, created_by=_actor(actor)
    )
    old = member.card_number
    member.card_number = number
    member.save(update_fields=["card_number"])
    record(
        actor=actor, action="lifecycle.issue_card", obj=member, unit=member.unit, changes={"card_number": [old, number]}
    )
    return card


@transaction.atomic
def hand_over(*, card, day, actor):
    card = CardRecord.objects.select_for_update(of=("self",)).select_related("member__unit").get(pk=card.pk)
    _require_may(actor, card.member, "hand_over")
    if not card.is_active:
        raise ValidationError(_("This card is no longer valid."))
    if card.handed_over_on:
        raise ValidationError(_("This card has already been handed over."))
    if card.issued_on and day < card.issued_on:
        raise ValidationError(_("A card cannot be handed over before it is issued."))
    if day > _today():
        raise ValidationError(_("The date cannot be in the future."))
    card.handed_over_on = day
    card.save(update_fields=["handed_over_on"])
    record(
        actor=actor,
        action="lifecycle.hand_over_card",
        obj=card,
        unit=card.member.unit,
        changes={"handed_over_on": [None, day]},
    )
    return card


@transaction.atomic
def report_loss(*, card, day, note, actor):
    card = CardRecord.objects.select_for_update(of=("self",)).select_related("member__unit").get(pk=card.pk)
    _require_may(actor, card.member, "report_loss")
    if not card.is_active:
        raise ValidationError(_("This card is no longer valid."))
    note = _require_text(note, _("Describe how the card was lost."))
    if day > _today() or (card.issued_on and day < card.issued_on):
        raise ValidationError(_("The date of the loss is not possible."))
    card.lost_on, card.loss_note = day, note
    card.save(update_fields=["lost_on", "loss_note"])
    member = card.member
    if member.card_number == card.number:
        member.card_number = None
        member.save(update_fields=["card_number"])
    record(
        actor=actor,
        action="lifecycle.card_lost",
        obj=card,
        unit=member.unit,
        changes={"lost_on": [None, day]},
        note=note,
    )
    return card


@transaction.atomic
def reissue_card(*, card, issued_on, decision_no, number="", actor):
    """A new card for a lost one; it keeps the number unless another is given."""
    old = CardRecord.objects.select_for_update(of=("self",)).select_related("member__unit").get(pk=card.pk)
    member = _lock(old.member)
    _require_may(actor, member, "reissue_card")
    if old.lost_on is None:
        raise ValidationError(_("Only a card reported lost can be reissued."))
    if CardRecord.objects.filter(reissue_of=old).exists():
        raise ValidationError(_("This card has already been reissued."))
    _require_on_books(member)
    if issued_on < old.lost_on or issued_on > _today():
        raise ValidationError(_("The reissue date must lie between the loss and today."))
    number = normalize_card_number(number) if (number or "").strip() else old.number
    decision_no = _require_text(decision_no, _("Give the number of the decision that issues the card."))
    if active_card(member):
        raise ValidationError(
            _("%(name)s already holds a card; report it lost to reissue it.") % {"name": member.full_name}
        )
    _check_number_free(number, member)
    new = CardRecord.objects.create(
        member=member,
        number=number,
        issued_on=issued_on,
        decision_no=decision_no,
        reissue_of=old,
        created_by=_actor(actor),
    )
    member.card_number = number
    member.save(update_fields=["card_number"])
    record(
        actor=actor, action="lifecycle.reissue_card", obj=new, unit=member.unit, changes={"card_number": [None, number]}
    )
    return new


def recover_card(*, member, day, actor):
    """On removal or expulsion the cell takes the card back (DOMAIN.md §2)."""
    card = active_card(member)
    if card is None:
        return None
    card.recovered_on = day
    card.save(update_fields=["recovered_on"])
    member.card_number = None
    member.save(update_fields=["card_number"])
    record(
        actor=actor, action="lifecycle.recover_card", obj=card, unit=member.unit, changes={"recovered_on": [None, day]}
    )
    return card


def cards_due(members):
    """Official members without a card, newest official first."""
    return members.filter(status=S.OFFICIAL, card_number__isnull=True).order_by("-official_date", "sort_name", "pk")
