"""Every step of a transfer of party activity, each refusing what the rules forbid with a Vietnamese reason.

DOMAIN.md §4: an official transfer is done within 60 working days of the decision taking effect, and
the member presents the introduction letter to the receiving cell within 30 working days; a temporary
transfer lasts from 3 months to under 1 year (full-time study: up to 2 years). The numbers come from
the rule registry on the day of the step and for the sending unit.

The member moves only when the receiving unit confirms receipt (within the system) or when the record
is handed over (out of the system); each move writes a MemberEvent, rebuilds the member's intervals and
an audit row in the same transaction.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.core.audit import record
from dangbo.core.dates import add_months
from dangbo.core.deadlines import Deadline
from dangbo.core.workdays import add_working_days
from dangbo.members.intervals import rebuild_intervals
from dangbo.members.models import Member, MemberEvent
from dangbo.org.models import OrgUnit
from dangbo.rules.registry import RuleMissing, rule
from dangbo.transfers import access
from dangbo.transfers.models import Transfer, TransferStep

K = Transfer.Kind
S = Transfer.State


def _d(day):
    return day.strftime("%d/%m/%Y")


def rule_value(key, unit, day):
    try:
        return rule(key, on=day, unit=unit)
    except RuleMissing as e:
        raise ValidationError(str(e))


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _require_state(transfer, *states):
    if transfer.state not in states:
        raise ValidationError(
            _("This step is not possible when the transfer is “%(state)s”.") % {"state": transfer.get_state_display()}
        )


def _require_side(allowed, message):
    if not allowed:
        raise ValidationError(message)


def _not_before(day, earlier, what):
    if earlier and day < earlier:
        raise ValidationError(_("The date cannot be before %(what)s (%(day)s).") % {"what": what, "day": _d(earlier)})


def _step(transfer, state, day, actor, note=""):
    TransferStep.objects.create(transfer=transfer, state=state, date=day, actor=_actor(actor), note=note[:255])


def _audit(transfer, action, actor, changes, unit=None, note=""):
    record(
        actor=actor,
        action=f"transfers.{action}",
        obj=transfer,
        unit=unit or transfer.from_unit or transfer.to_unit,
        changes=changes,
        note=note,
    )


def official_deadline(unit, decision_date):
    """60 working days after the decision takes effect (294 6.3.1a)."""
    days = rule_value("transfer.official_deadline_working_days", unit, decision_date)
    return add_working_days(decision_date, days)


def present_deadline(unit, letter_date):
    """30 working days after the letter is issued, to present it to the receiving cell."""
    days = rule_value("transfer.present_letter_working_days", unit, letter_date)
    return add_working_days(letter_date, days)


def check_temporary_period(unit, purpose, start, end):
    """From ``transfer.temporary_min_months`` to under ``transfer.temporary_max_months`` (work or residence),
    or up to ``transfer.temporary_study_max_months`` for full-time study."""
    if not start or not end:
        raise ValidationError(_("Give the start and end dates of the temporary transfer."))
    if end <= start:
        raise ValidationError(_("The end date must be after the start date."))
    low = rule_value("transfer.temporary_min_months", unit, start)
    if end < add_months(start, low):
        raise ValidationError(
            _("A temporary transfer lasts at least %(months)s months: from %(start)s, until %(min)s at the earliest.")
            % {"months": low, "start": _d(start), "min": _d(add_months(start, low))}
        )
    if purpose == Transfer.Purpose.STUDY:
        high = rule_value("transfer.temporary_study_max_months", unit, start)
        if end > add_months(start, high):
            raise ValidationError(
                _("A temporary transfer for study lasts at most %(months)s months: until %(max)s at the latest.")
                % {"months": high, "max": _d(add_months(start, high))}
            )
    else:
        high = rule_value("transfer.temporary_max_months", unit, start)
        if end >= add_months(start, high):
            raise ValidationError(
                _(
                    "A temporary transfer for work or residence lasts under %(months)s months: "
                    "it must end before %(max)s; longer stays need an official transfer."
                )
                % {"months": high, "max": _d(add_months(start, high))}
            )


def open_transfer_of(member, exclude=None):
    qs = Transfer.objects.filter(member=member).exclude(state__in=[S.CANCELLED, S.ENDED])
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return [t for t in qs if t.is_open][:1]


def _check_on_books(member):
    if member.status not in Member.CURRENT_STATUSES:
        raise ValidationError(
            _("%(name)s is not on the books (%(status)s).")
            % {"name": member.full_name, "status": member.get_status_display()}
        )


def _check_cell(unit, day):
    if unit.kind not in OrgUnit.CELL_KINDS:
        raise ValidationError(_("Members are received by a party cell: choose a cell."))
    if not unit.is_active_on(day):
        raise ValidationError(_("%(unit)s does not exist on %(day)s.") % {"unit": unit.name, "day": _d(day)})


# ---- steps ---------------------------------------------------------------------------------------
@transaction.atomic
def request_transfer(
    *,
    member,
    kind,
    actor,
    requested_on,
    to_unit=None,
    outside_party="",
    reason="",
    decision_no="",
    decision_date=None,
    purpose="",
    start_date=None,
    end_date=None,
):
    """Open a transfer of ``member`` from their official unit (the sending side's step)."""
    member = Member.objects.select_for_update(of=("self",)).select_related("unit").get(pk=member.pk)
    _check_on_books(member)
    probe = Transfer(kind=kind, from_unit=member.unit, to_unit=to_unit)
    _require_side(
        access.is_sender(actor, probe) if getattr(actor, "pk", None) else True,
        _("Only the sending unit's committee may request the transfer of its member."),
    )
    if kind not in (K.OFFICIAL_INTERNAL, K.OFFICIAL_OUT, K.TEMPORARY):
        raise ValidationError(_("Choose the kind of transfer."))
    if open_transfer_of(member) or member.temporary_unit_id:
        raise ValidationError(
            _("%(name)s already has a transfer in progress: finish or cancel it first.") % {"name": member.full_name}
        )
    outside_party = outside_party.strip()
    complete_by = None
    if kind in (K.OFFICIAL_INTERNAL, K.TEMPORARY):
        if to_unit is None:
            raise ValidationError(_("Choose the receiving party cell."))
        if to_unit.pk == member.unit_id:
            raise ValidationError(_("The receiving unit must differ from the member's unit."))
        _check_cell(to_unit, requested_on)
        outside_party = ""
    else:
        to_unit = None
        if not outside_party:
            raise ValidationError(_("Give the party organization the member is transferred to."))
    if kind in (K.OFFICIAL_INTERNAL, K.OFFICIAL_OUT):
        if not decision_date:
            raise ValidationError(_("Give the date the decision (or the change of residence) takes effect."))
        complete_by = official_deadline(member.unit, decision_date)
        purpose, start_date, end_date = "", None, None
    else:
        purpose = purpose or Transfer.Purpose.WORK
        check_temporary_period(member.unit, purpose, start_date, end_date)
    t = Transfer.objects.create(
        kind=kind,
        member=member,
        from_unit=member.unit,
        to_unit=to_unit,
        outside_party=outside_party,
        reason=reason.strip(),
        decision_no=decision_no.strip(),
        decision_date=decision_date,
        requested_on=requested_on,
        purpose=purpose,
        start_date=start_date,
        end_date=end_date,
        complete_by=complete_by,
        created_by=_actor(actor),
    )
    _step(t, S.REQUESTED, requested_on, actor, reason)
    _audit(t, "request", actor, {"state": [None, t.state], "to": [None, t.destination]})
    _notify_receiver(t, _("Transfer of %(name)s to your unit requested") % {"name": member.full_name})
    return t


@transaction.atomic
def issue_letter(*, transfer, letter_no, letter_date, actor, issuer=""):
    """The competent level issues the introduction letter; for an internal transfer the 30-day clock starts."""
    t = Transfer.objects.select_for_update().get(pk=transfer.pk)
    _require_state(t, S.REQUESTED)
    _require_side(
        not getattr(actor, "pk", None) or access.is_sender(actor, transfer),
        _("Only the sending side issues the introduction letter."),
    )
    if not letter_no.strip():
        raise ValidationError(_("Give the number of the introduction letter."))
    _not_before(letter_date, t.requested_on, _("the request"))
    t.letter_no, t.letter_date, t.letter_issuer, t.state = (
        letter_no.strip(),
        letter_date,
        issuer.strip(),
        S.LETTER_ISSUED,
    )
    if t.kind == K.OFFICIAL_INTERNAL:
        t.present_by = present_deadline(t.from_unit, letter_date)
    t.save()
    _step(t, S.LETTER_ISSUED, letter_date, actor, t.letter_no)
    _audit(t, "letter", actor, {"state": [S.REQUESTED, t.state], "letter_no": ["", t.letter_no]})
    return t


@transaction.atomic
def send_record(*, transfer, day, actor):
    """The sealed record is handed over. Out of the system, the member leaves the books on ``day``."""
    t = Transfer.objects.select_for_update(of=("self",)).select_related("member", "from_unit").get(pk=transfer.pk)
    if t.kind not in (K.OFFICIAL_INTERNAL, K.OFFICIAL_OUT):
        raise ValidationError(
            _("A temporary transfer keeps the record at the official unit: there is nothing to hand over.")
        )
    _require_state(t, S.LETTER_ISSUED)
    _require_side(
        not getattr(actor, "pk", None) or access.is_sender(actor, transfer),
        _("Only the sending side hands the record over."),
    )
    _not_before(day, t.letter_date, _("the introduction letter"))
    t.state, t.record_sent_on = S.RECORD_SENT, day
    t.save()
    _step(t, S.RECORD_SENT, day, actor)
    changes = {"state": [S.LETTER_ISSUED, t.state]}
    if t.kind == K.OFFICIAL_OUT:
        member = Member.objects.select_for_update().get(pk=t.member_id)
        _check_on_books(member)
        old = member.status
        MemberEvent.objects.create(
            member=member,
            kind=MemberEvent.Kind.TRANSFERRED_OUT,
            date=day,
            from_unit_id=member.unit_id,
            status_after=Member.Status.TRANSFERRED_OUT,
            decision_no=t.letter_no,
            actor=_actor(actor),
            note=t.outside_party,
        )
        member.status = Member.Status.TRANSFERRED_OUT
        member.save(update_fields=["status"])
        rebuild_intervals([member.pk])
        changes["member_status"] = [old, member.status]
        record(
            actor=actor,
            action="members.transfer_out",
            obj=member,
            unit=member.unit,
            changes={"status": [old, member.status]},
            note=t.outside_party,
        )
    _audit(t, "record_sent", actor, changes)
    _notify_receiver(t, _("The record of %(name)s has been handed over") % {"name": t.member.full_name})
    return t


@transaction.atomic
def confirm_receipt(*, transfer, day, actor):
    """The receiving unit confirms: only now does the member move (official) or join the host unit (temporary)."""
    t = (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("member", "from_unit", "to_unit")
        .get(pk=transfer.pk)
    )
    if t.kind == K.OFFICIAL_INTERNAL:
        _require_state(t, S.RECORD_SENT)
        _not_before(day, t.record_sent_on, _("the hand-over of the record"))
    elif t.kind == K.TEMPORARY:
        _require_state(t, S.LETTER_ISSUED)
        _not_before(day, t.letter_date, _("the introduction letter"))
    else:
        raise ValidationError(_("Only a transfer within the system is confirmed by the receiving unit."))
    _require_side(
        not getattr(actor, "pk", None) or access.is_receiver(actor, t),
        _("Only the receiving unit may confirm receipt of a transfer addressed to it."),
    )
    member = Member.objects.select_for_update(of=("self",)).select_related("unit").get(pk=t.member_id)
    _check_on_books(member)
    t.state, t.received_on = S.RECEIVED, day
    t.save()
    _step(t, S.RECEIVED, day, actor)
    if t.kind == K.OFFICIAL_INTERNAL:
        old_unit = member.unit
        MemberEvent.objects.create(
            member=member,
            kind=MemberEvent.Kind.TRANSFERRED_IN,
            date=day,
            from_unit=old_unit,
            to_unit=t.to_unit,
            status_after=member.status,
            decision_no=t.letter_no,
            actor=_actor(actor),
        )
        member.unit = t.to_unit
        member.save(update_fields=["unit"])
        _move_member_login(member, old_unit, t.to_unit, actor)
        changes = {"unit": [old_unit.name, t.to_unit.name]}
        action = "members.transfer_in"
    else:
        MemberEvent.objects.create(
            member=member,
            kind=MemberEvent.Kind.TEMPORARY_OUT,
            date=day,
            from_unit=member.unit,
            to_unit=member.unit,  # the official unit does not change: only it counts the member
            status_after=member.status,
            decision_no=t.letter_no,
            actor=_actor(actor),
            note=t.to_unit.name,
        )
        member.temporary_unit = t.to_unit
        member.save(update_fields=["temporary_unit"])
        changes = {"temporary_unit": [None, t.to_unit.name]}
        action = "members.temporary_start"
    rebuild_intervals([member.pk])
    record(actor=actor, action=action, obj=member, unit=t.to_unit, changes=changes, note=t.letter_no)
    _audit(
        t, "received", actor, {"state": [S.RECORD_SENT if t.is_official else S.LETTER_ISSUED, t.state]}, unit=t.to_unit
    )
    _notify_sender(t, _("%(unit)s confirmed receipt of %(name)s") % {"unit": t.to_unit.name, "name": member.full_name})
    return t


def _move_member_login(member, old_unit, new_unit, actor):
    """A member's own login (role "member" on their cell) follows them to the new cell."""
    from dangbo.accounts.models import Role, RoleAssignment

    if not member.user_id:
        return
    for ra in RoleAssignment.objects.filter(user_id=member.user_id, role=Role.MEMBER, unit=old_unit):
        if RoleAssignment.objects.filter(user_id=member.user_id, role=Role.MEMBER, unit=new_unit).exists():
            ra.delete()
        else:
            ra.unit = new_unit
            ra.save(update_fields=["unit"])
        record(
            actor=actor,
            action="accounts.role_move",
            obj=ra.user,
            unit=new_unit,
            changes={"role_unit": [old_unit.name, new_unit.name]},
        )


@transaction.atomic
def end_temporary(*, transfer, day, actor, note=""):
    """The temporary stay ends: the member returns to meetings at the official unit."""
    t = Transfer.objects.select_for_update(of=("self",)).select_related("member", "to_unit").get(pk=transfer.pk)
    if t.kind != K.TEMPORARY:
        raise ValidationError(_("Only a temporary transfer ends this way."))
    _require_state(t, S.RECEIVED)
    _require_side(
        not getattr(actor, "pk", None) or access.is_sender(actor, t) or access.is_receiver(actor, t),
        _("Only the official or the host unit may end the temporary transfer."),
    )
    _not_before(day, t.received_on, _("the receipt"))
    member = Member.objects.select_for_update().get(pk=t.member_id)
    t.state, t.ended_on = S.ENDED, day
    t.save()
    _step(t, S.ENDED, day, actor, note)
    MemberEvent.objects.create(
        member=member,
        kind=MemberEvent.Kind.TEMPORARY_END,
        date=day,
        from_unit=t.to_unit,
        to_unit=member.unit,
        status_after=member.status,
        actor=_actor(actor),
        note=note.strip(),
    )
    member.temporary_unit = None
    member.save(update_fields=["temporary_unit"])
    rebuild_intervals([member.pk])
    record(
        actor=actor,
        action="members.temporary_end",
        obj=member,
        unit=member.unit,
        changes={"temporary_unit": [t.to_unit.name, None]},
    )
    _audit(t, "ended", actor, {"state": [S.RECEIVED, S.ENDED]})
    return t


@transaction.atomic
def cancel(*, transfer, day, reason, actor):
    """The sending side withdraws a transfer not yet completed (nothing has moved yet)."""
    t = Transfer.objects.select_for_update().get(pk=transfer.pk)
    allowed = [S.REQUESTED, S.LETTER_ISSUED]
    if t.kind == K.OFFICIAL_INTERNAL:
        allowed.append(S.RECORD_SENT)
    _require_state(t, *allowed)
    _require_side(
        not getattr(actor, "pk", None) or access.is_sender(actor, transfer),
        _("Only the sending side may cancel the transfer."),
    )
    if not reason.strip():
        raise ValidationError(_("Give the reason."))
    old = t.state
    t.state, t.cancelled_on, t.cancel_reason = S.CANCELLED, day, reason.strip()
    t.save()
    _step(t, S.CANCELLED, day, actor, reason.strip())
    _audit(t, "cancel", actor, {"state": [old, t.state]}, note=reason.strip())
    return t


@transaction.atomic
def register_in(
    *,
    cell,
    full_name,
    sex,
    outside_party,
    letter_no,
    letter_date,
    received_on,
    actor,
    status=Member.Status.OFFICIAL,
    birth_date=None,
    admission_date=None,
    official_date=None,
    card_number=None,
    national_id=None,
    hometown="",
    position="",
):
    """A member comes from outside the system: the receiving cell registers them with the letter's data."""
    probe = Transfer(kind=K.OFFICIAL_IN, to_unit=cell)
    _require_side(
        not getattr(actor, "pk", None) or access.is_receiver(actor, probe),
        _("Only the receiving unit registers a member transferred in."),
    )
    _check_cell(cell, received_on)
    if status not in (Member.Status.OFFICIAL, Member.Status.PROBATIONARY):
        raise ValidationError(_("A member transferred in is official or probationary."))
    if not outside_party.strip():
        raise ValidationError(_("Give the party organization the member comes from."))
    if not letter_no.strip():
        raise ValidationError(_("Give the number of the introduction letter."))
    _not_before(received_on, letter_date, _("the introduction letter"))
    member = Member(
        unit=cell,
        sex=sex,
        status=status,
        birth_date=birth_date,
        admission_date=admission_date,
        official_date=official_date if status == Member.Status.OFFICIAL else None,
        card_number=card_number or None,
        national_id=national_id or None,
        hometown=hometown,
        position=position,
    )
    member.set_name(full_name)
    member.full_clean()
    member.save()
    MemberEvent.objects.create(
        member=member,
        kind=MemberEvent.Kind.TRANSFERRED_IN,
        date=received_on,
        to_unit=cell,
        status_after=status,
        decision_no=letter_no.strip(),
        actor=_actor(actor),
        note=outside_party.strip(),
    )
    rebuild_intervals([member.pk])
    t = Transfer.objects.create(
        kind=K.OFFICIAL_IN,
        state=S.RECEIVED,
        member=member,
        to_unit=cell,
        outside_party=outside_party.strip(),
        letter_no=letter_no.strip(),
        letter_date=letter_date,
        requested_on=received_on,
        received_on=received_on,
        created_by=_actor(actor),
    )
    _step(t, S.RECEIVED, received_on, actor, outside_party.strip())
    record(actor=actor, action="members.transfer_in", obj=member, unit=cell, changes={"unit": [None, cell.name]})
    _audit(t, "register_in", actor, {"state": [None, t.state]}, unit=cell, note=outside_party.strip())
    return t


# ---- deadlines -----------------------------------------------------------------------------------
def deadlines(t):
    """The clocks of a transfer: 60 working days to complete, 30 to present the letter, the end of a stay."""
    out = []
    if t.state == S.CANCELLED:
        return out
    if t.complete_by:
        done = t.received_on if t.kind == K.OFFICIAL_INTERNAL else t.record_sent_on
        out.append(Deadline("complete", _("Transfer completed"), t.complete_by, done))
    if t.present_by:
        out.append(Deadline("present", _("Letter presented to the receiving cell"), t.present_by, t.received_on))
    if t.kind == K.TEMPORARY and t.state in (S.RECEIVED, S.ENDED) and t.end_date:
        out.append(Deadline("temporary_end", _("End of the temporary transfer"), t.end_date, t.ended_on))
    return out


def _staff_of(units, roles):
    from dangbo.accounts.models import RoleAssignment

    ids = set()
    for unit in units:
        if unit is not None:
            ids.update(unit.ancestor_ids(include_self=True))
    return [a.user for a in RoleAssignment.objects.filter(role__in=roles, unit_id__in=ids).select_related("user")]


def _notify(t, units, title, kind):
    from django.urls import reverse

    from dangbo.accounts.models import Role
    from dangbo.core.notify import notify

    users = _staff_of(units, (Role.GRASSROOTS_STAFF, Role.CELL_SECRETARY))
    notify(users=users, title=title, url=reverse("transfers:detail", args=[t.pk]), kind=kind)


def _notify_receiver(t, title):
    if t.to_unit_id:
        _notify(t, [t.to_unit], title, "transfers.pending_in")


def _notify_sender(t, title):
    if t.from_unit_id:
        _notify(t, [t.from_unit], title, "transfers.received")


def send_reminders(today=None):
    """Remind both units' staff at the registry's offsets before each open deadline, and once a deadline is
    overdue (the bloc office too). Each reminder is sent once (ReminderSent). Returns the number sent."""
    from django.urls import reverse

    from dangbo.accounts.models import Role
    from dangbo.core.notify import notify
    from dangbo.transfers.models import ReminderSent

    today = today or timezone.localdate()
    sent = 0
    open_ones = (
        Transfer.objects.filter(access.pending_q(["/"], "from_unit") | access.pending_q(["/"], "to_unit"))
        .select_related("member", "from_unit", "to_unit")
        .distinct()
    )
    already = set(
        ReminderSent.objects.filter(transfer__in=open_ones).values_list("transfer_id", "deadline", "days_before")
    )
    for t in open_ones:
        offsets = sorted(rule_value("reminders.offset_days", t.from_unit or t.to_unit, today))
        for d in deadlines(t):
            if d.done is not None:
                continue
            left = (d.due - today).days
            if left < 0:
                offset = -1
            else:
                offset = next((o for o in offsets if left <= o), None)
                if offset is None:
                    continue
            if (t.pk, d.key, offset) in already:
                continue
            ReminderSent.objects.create(transfer=t, deadline=d.key, days_before=offset)
            already.add((t.pk, d.key, offset))
            roles = [Role.GRASSROOTS_STAFF, Role.CELL_SECRETARY]
            if offset < 0:
                roles.append(Role.BLOC_OFFICE)
            users = _staff_of([t.from_unit, t.to_unit], roles)
            values = {"deadline": d.label, "name": t.member.full_name, "due": _d(d.due), "days": left}
            if offset >= 0:
                title = _("%(deadline)s for %(name)s: due on %(due)s (in %(days)s days)") % values
            else:
                title = _("Overdue: %(deadline)s for %(name)s was due on %(due)s") % values
            notify(users=users, title=title, url=reverse("transfers:detail", args=[t.pk]), kind=f"transfers.{d.key}")
            sent += 1
    return sent
