"""Every step of the admission pipeline, each refusing what the rules forbid with a Vietnamese reason.

The numbers (ages, validity, thresholds, deadlines) come from the rule registry on the day of the step
and for the candidate's cell, never from constants here (DOMAIN.md §3).
"""

import datetime
from dataclasses import dataclass
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangbo.accounts.access import own_case_refusal
from dangbo.admission.models import Candidate, DossierItem, Introducer, Target, Vote
from dangbo.core.audit import record
from dangbo.core.dates import add_months
from dangbo.core.deadlines import Deadline
from dangbo.core.workdays import add_working_days
from dangbo.members.intervals import rebuild_intervals
from dangbo.members.models import Member, MemberEvent
from dangbo.rules.registry import RuleMissing, rule

S = Candidate.Stage
K = DossierItem.Kind


def rule_value(key, candidate, day):
    try:
        return rule(key, on=day, unit=candidate.cell)
    except RuleMissing as e:
        raise ValidationError(str(e))


def _require_stage(candidate, *stages):
    if candidate.stage not in stages:
        raise ValidationError(
            _("This step is not possible at the stage “%(stage)s”.") % {"stage": candidate.get_stage_display()}
        )


def is_candidate(member, candidate):
    """Whether ``member`` is the candidate themself: their member record, or the same citizen ID."""
    if candidate.member_id and member.pk == candidate.member_id:
        return True
    return bool(candidate.national_id) and member.national_id == candidate.national_id


def _require_not_own(actor, candidate):
    """Nobody acts on their own dossier (the probationer linked to a login, DOMAIN.md §3)."""
    reason = actor is not None and own_case_refusal(actor, subjects=[candidate.member])
    if reason:
        raise ValidationError(reason)


def _d(day):
    return day.strftime("%d/%m/%Y")


def age_in_months(birth, day):
    """Full months of age on ``day``: a month is complete on the day of the month of birth, or on the
    month's last day when it has no such day (a 29/02 birthday is reached on 28/02 of a common year:
    Bộ luật Dân sự 2015, Điều 148.2; docs/rules.md)."""
    import calendar

    months = (day.year - birth.year) * 12 + day.month - birth.month
    anniversary = min(birth.day, calendar.monthrange(day.year, day.month)[1])
    return months - (1 if day.day < anniversary else 0)


# ---- checks used by several steps --------------------------------------------------------------
def check_age(candidate, day):
    """18 to 60 full years counted in months at the cell's review date; over 60 needs the provincial
    approval (294 Điều 1)."""
    months = age_in_months(candidate.birth_date, day)
    low = rule_value("admission.age_min_months", candidate, day)
    high = rule_value("admission.age_max_months", candidate, day)
    if months < low:
        raise ValidationError(
            _("On %(day)s the candidate is %(years)s years %(months)s months old, under the minimum of %(min)s years.")
            % {"day": _d(day), "years": months // 12, "months": months % 12, "min": f"{low / 12:g}"}
        )
    if months > high and not candidate.over_60_approval:
        raise ValidationError(
            _(
                "On %(day)s the candidate is over %(max)s years old: attach the provincial-level committee's "
                "approval first."
            )
            % {"day": _d(day), "max": f"{high / 12:g}"}
        )


def certificate_valid_until(candidate, on=None):
    """The certificate's validity as the rule in force on the cell's review date ``on`` counts it."""
    if not candidate.certificate_date:
        return None
    months = rule_value("admission.awareness_certificate_months", candidate, on or timezone.localdate())
    return add_months(candidate.certificate_date, months)


def check_certificate(candidate, day):
    """Valid through the anniversary day itself (a period in months ends at the end of the corresponding
    day: Bộ luật Dân sự 2015, Điều 148; docs/rules.md); expired from the day after."""
    until = certificate_valid_until(candidate, day)
    if until is None:
        raise ValidationError(_("The awareness course certificate is missing."))
    if day > until:
        raise ValidationError(
            _("The awareness course certificate expired on %(until)s: the course must be taken again.")
            % {"until": _d(until + datetime.timedelta(days=1))}
        )


def introducer_problem(intro, day):
    """Why ``intro`` cannot introduce on ``day`` (None if they can)."""
    member = intro.member
    if member.status != Member.Status.OFFICIAL:
        return _("%(name)s is not an official member.") % {"name": member.full_name}
    months = rule_value("admission.introducer_min_months", intro.candidate, day)
    if add_months(intro.together_since, months) > day:
        return _("%(name)s has not worked, studied or lived with the candidate for %(months)s months.") % {
            "name": member.full_name,
            "months": months,
        }
    return None


def missing_for_dossier(candidate, day):
    """Everything that keeps the dossier from being complete on ``day`` (an empty list when it is)."""
    problems = []
    try:
        check_certificate(candidate, day)
    except ValidationError as e:
        problems.extend(e.messages)
    items = {i.kind: i for i in candidate.items.all()}
    for kind in (K.APPLICATION, K.HISTORY, K.MASS_COMMENTS, K.RESIDENCE_COMMENTS):
        if kind not in items:
            problems.append(_("Missing: %(paper)s.") % {"paper": K(kind).label})
    if K.VERIFICATION not in items and not candidate.verification_exempt:
        problems.append(_("Missing: %(paper)s.") % {"paper": K.VERIFICATION.label})
    if (
        K.APPLICATION in items
        and K.HISTORY in items
        and items[K.HISTORY].received_on < items[K.APPLICATION].received_on
    ):
        problems.append(_("The application must be written before the personal history."))
    introducers = list(candidate.introducers.select_related("member"))
    valid = [i for i in introducers if introducer_problem(i, day) is None]
    problems.extend(p for p in (introducer_problem(i, day) for i in introducers) if p)
    # Two introducers, or one and the Youth Union (trade-union) resolution (Điều lệ Điều 4).
    if len(valid) < 2 and not (len(valid) == 1 and K.YOUTH_UNION in items):
        problems.append(_("Two introducers are needed, or one introducer and the Youth Union resolution."))
    return problems


# ---- the steps ---------------------------------------------------------------------------------
@transaction.atomic
def add_item(*, candidate, kind, received_on, note="", actor):
    _require_stage(candidate, S.CANDIDATE)
    _require_not_own(actor, candidate)
    item, _created = DossierItem.objects.update_or_create(
        candidate=candidate, kind=kind, defaults={"received_on": received_on, "note": note}
    )
    record(
        actor=actor,
        action="admission.paper",
        obj=candidate,
        unit=candidate.cell,
        changes={kind: [None, str(received_on)]},
    )
    return item


@transaction.atomic
def add_introducer(*, candidate, member, together_since, relation="", actor):
    _require_stage(candidate, S.CANDIDATE)
    _require_not_own(actor, candidate)
    if is_candidate(member, candidate):
        raise ValidationError(_("The candidate cannot be their own introducer."))
    if candidate.introducers.filter(member=member).exists():
        raise ValidationError(_("%(name)s is already an introducer.") % {"name": member.full_name})
    intro = Introducer(candidate=candidate, member=member, together_since=together_since, relation=relation)
    problem = introducer_problem(intro, timezone.localdate())
    if problem:
        raise ValidationError(problem)
    intro.save()
    record(
        actor=actor,
        action="admission.introducer",
        obj=candidate,
        unit=candidate.cell,
        changes={"introducer": [None, member.full_name]},
    )
    return intro


@transaction.atomic
def complete_dossier(*, candidate, actor, day=None):
    _require_stage(candidate, S.CANDIDATE)
    _require_not_own(actor, candidate)
    day = day or timezone.localdate()
    # No age check here: age counts at the cell's review (DOMAIN.md §3), checked by record_cell_vote,
    # so an applicant of 17 years 11 months whose cell meets after their 18th birthday goes on.
    problems = missing_for_dossier(candidate, day)
    if problems:
        raise ValidationError(problems)
    return _move(candidate, S.DOSSIER_COMPLETE, actor)


def _move(candidate, stage, actor, **fields):
    before = candidate.stage
    candidate.stage = stage
    for k, v in fields.items():
        setattr(candidate, k, v)
    candidate.save()
    record(
        actor=actor,
        action="admission.stage",
        obj=candidate,
        unit=candidate.cell,
        changes={"stage": [before, stage], **{k: [None, str(v)] for k, v in fields.items()}},
    )
    return candidate


@dataclass
class Counted:
    """The legal denominator of a cell vote (DOMAIN.md §3, 24-QĐ/TW 9.3.2)."""

    counted: list
    excluded: list  # [(member, reason)]


EXCLUSION_REASONS = {
    "temporary": gettext_lazy("on temporary transfer elsewhere"),
    "suspended": gettext_lazy("suspended"),
    "exempted_absent": gettext_lazy("exempted and absent"),
    "excused": gettext_lazy("absent with an accepted reason"),
}


def vote_denominator(cell, *, excused=(), exempted_present=()):
    """All official members of the cell, less those on temporary transfer elsewhere, the suspended,
    exempted members who are absent, and members absent with an accepted reason. Probationary members
    do not vote on admission or recognition."""
    members = Member.objects.filter(
        unit=cell, status__in=[Member.Status.OFFICIAL, Member.Status.EXEMPTED, Member.Status.SUSPENDED]
    ).order_by("sort_name")
    excused, exempted_present = {int(i) for i in excused}, {int(i) for i in exempted_present}
    counted, excluded = [], []
    for m in members:
        if m.temporary_unit_id:
            excluded.append((m, "temporary"))
        elif m.status == Member.Status.SUSPENDED:
            excluded.append((m, "suspended"))
        elif m.status == Member.Status.EXEMPTED and m.pk not in exempted_present:
            excluded.append((m, "exempted_absent"))
        elif m.pk in excused:
            excluded.append((m, "excused"))
        else:
            counted.append(m)
    return Counted(counted, excluded)


def _passes(in_favour, denominator, threshold):
    return denominator > 0 and Fraction(in_favour, denominator) >= Fraction(threshold[0], threshold[1])


def _check_tally(in_favour, against, denominator):
    if in_favour + against > denominator:
        raise ValidationError(
            _("%(votes)s votes were cast but only %(n)s members are counted.")
            % {"votes": in_favour + against, "n": denominator}
        )


def _save_vote(candidate, level, day, denominator, in_favour, against, threshold, excluded, actor, note=""):
    vote = Vote.objects.create(
        candidate=candidate,
        level=level,
        date=day,
        denominator=denominator,
        in_favour=in_favour,
        against=against,
        threshold=threshold,
        passed=_passes(in_favour, denominator, threshold),
        excluded=[{"member": m.pk, "name": m.full_name, "reason": r} for m, r in excluded],
        note=note,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    record(
        actor=actor,
        action=f"admission.vote.{level}",
        obj=candidate,
        unit=candidate.cell,
        changes={"vote": [None, f"{in_favour}/{denominator}"], "passed": [None, vote.passed]},
    )
    return vote


@transaction.atomic
def record_cell_vote(*, candidate, day, in_favour, against, excused=(), exempted_present=(), actor):
    """The cell's resolution on admission: valid with at least 2/3 of the counted official members."""
    _require_stage(candidate, S.DOSSIER_COMPLETE)
    _require_not_own(actor, candidate)
    check_age(candidate, day)
    problems = missing_for_dossier(candidate, day)
    if problems:
        raise ValidationError(problems)
    counted = vote_denominator(candidate.cell, excused=excused, exempted_present=exempted_present)
    _check_tally(in_favour, against, len(counted.counted))
    threshold = rule_value("admission.cell_vote_threshold", candidate, day)
    vote = _save_vote(
        candidate, Vote.Level.CELL, day, len(counted.counted), in_favour, against, threshold, counted.excluded, actor
    )
    if vote.passed:
        _move(candidate, S.CELL_APPROVED, actor)
    return vote


@transaction.atomic
def record_committee_vote(*, candidate, day, committee_size, in_favour, against, actor):
    """The grassroots committee's resolution: at least 2/3 of all its members (HD 06, 3.7a)."""
    _require_stage(candidate, S.CELL_APPROVED)
    _require_not_own(actor, candidate)
    cell_vote = candidate.votes.filter(level=Vote.Level.CELL, passed=True).order_by("-date").first()
    if cell_vote is None or day < cell_vote.date:
        raise ValidationError(_("The committee votes after the cell."))
    _check_tally(in_favour, against, committee_size)
    threshold = rule_value("admission.committee_vote_threshold", candidate, day)
    vote = _save_vote(candidate, Vote.Level.COMMITTEE, day, committee_size, in_favour, against, threshold, [], actor)
    if vote.passed:
        _move(candidate, S.COMMITTEE_APPROVED, actor)
    return vote


@transaction.atomic
def decide(*, candidate, number, day, received=None, actor):
    """The admission decision (9-KNĐ): only after both resolutions passed. Party age counts from its date."""
    _require_stage(candidate, S.COMMITTEE_APPROVED)
    _require_not_own(actor, candidate)
    if not number.strip():
        raise ValidationError(_("Give the number of the decision."))
    committee_vote = candidate.votes.filter(level=Vote.Level.COMMITTEE, passed=True).order_by("-date").first()
    if committee_vote is None or day < committee_vote.date:
        raise ValidationError(_("The decision cannot precede the committee's resolution."))
    received = received or day
    if received < day:
        raise ValidationError(_("The decision cannot be received before it is signed."))
    return _move(candidate, S.DECIDED, actor, decision_no=number.strip(), decision_date=day, decision_received=received)


def ceremony_deadline(candidate):
    start = candidate.decision_received or candidate.decision_date
    days = rule_value("admission.ceremony_deadline_working_days", candidate, start)
    return add_working_days(start, days)


@transaction.atomic
def hold_ceremony(*, candidate, day, consent="", actor):
    """The ceremony makes the candidate a probationary member of the cell (a Member with an ADMITTED event)."""
    _require_stage(candidate, S.DECIDED)
    _require_not_own(actor, candidate)
    if day < candidate.decision_date:
        raise ValidationError(_("The ceremony cannot precede the admission decision."))
    deadline = ceremony_deadline(candidate)
    if day > deadline and not consent.strip():
        raise ValidationError(
            _(
                "The ceremony is due by %(deadline)s (30 working days after the decision was received); "
                "a later ceremony needs the higher committee's consent."
            )
            % {"deadline": _d(deadline)}
        )
    member = Member(
        unit=candidate.cell,
        sex=candidate.sex,
        birth_date=candidate.birth_date,
        status=Member.Status.PROBATIONARY,
        admission_date=day,
        admission_decision_date=candidate.decision_date,
        national_id=candidate.national_id or None,
        ethnicity=candidate.ethnicity,
        religion=candidate.religion,
        hometown=candidate.hometown,
        general_education=candidate.general_education,
        qualification=candidate.qualification,
        occupation=candidate.occupation,
    )
    member.set_name(candidate.full_name)
    member.full_clean()
    member.save()
    MemberEvent.objects.create(
        member=member,
        kind=MemberEvent.Kind.ADMITTED,
        date=day,
        to_unit=candidate.cell,
        status_after=Member.Status.PROBATIONARY,
        decision_no=candidate.decision_no,
        actor=actor if getattr(actor, "pk", None) else None,
    )
    rebuild_intervals([member.pk])
    return _move(candidate, S.PROBATION, actor, ceremony_date=day, late_ceremony_consent=consent.strip(), member=member)


def probation_end(candidate):
    months = rule_value("member.probation_months", candidate, candidate.ceremony_date)
    return add_months(candidate.ceremony_date, months)


def declaration_deadline(candidate):
    days = rule_value("admission.declaration_deadline_working_days", candidate, candidate.ceremony_date)
    return add_working_days(candidate.ceremony_date, days)


def recognition_deadline(candidate):
    end = probation_end(candidate)
    return add_working_days(end, rule_value("recognition.review_deadline_working_days", candidate, end))


@transaction.atomic
def record_declaration(*, candidate, day, actor):
    _require_stage(candidate, S.PROBATION)
    _require_not_own(actor, candidate)
    if day < candidate.ceremony_date:
        raise ValidationError(_("The 1-HSĐV declaration follows the ceremony."))
    return _move(candidate, S.PROBATION, actor, declaration_date=day)


@transaction.atomic
def record_recognition_vote(*, candidate, day, in_favour, against, excused=(), exempted_present=(), actor):
    """The cell's vote on recognition, after the 12 months of probation. After the registry's number of
    failed votes the case goes to the higher committee."""
    _require_stage(candidate, S.PROBATION)
    _require_not_own(actor, candidate)
    end = probation_end(candidate)
    if day < end:
        raise ValidationError(_("Probation ends on %(end)s: the cell reviews after that.") % {"end": _d(end)})
    if candidate.votes.filter(level=Vote.Level.RECOGNITION, passed=True).exists():
        raise ValidationError(_("The cell has already voted for recognition."))
    counted = vote_denominator(candidate.cell, excused=excused, exempted_present=exempted_present)
    _check_tally(in_favour, against, len(counted.counted))
    threshold = rule_value("admission.cell_vote_threshold", candidate, day)
    vote = _save_vote(
        candidate,
        Vote.Level.RECOGNITION,
        day,
        len(counted.counted),
        in_favour,
        against,
        threshold,
        counted.excluded,
        actor,
    )
    if not vote.passed:
        candidate.failed_recognition_votes += 1
        limit = rule_value("recognition.max_failed_votes", candidate, day)
        if candidate.failed_recognition_votes >= limit:
            _move(candidate, S.REFERRED, actor, failed_recognition_votes=candidate.failed_recognition_votes)
        else:
            candidate.save(update_fields=["failed_recognition_votes"])
    return vote


@transaction.atomic
def recognize(*, candidate, number, day, actor):
    """The recognition decision: the member is official from the end of probation, even when late."""
    _require_stage(candidate, S.PROBATION)
    _require_not_own(actor, candidate)
    if not candidate.votes.filter(level=Vote.Level.RECOGNITION, passed=True).exists():
        raise ValidationError(_("The cell has not voted for recognition."))
    if not number.strip():
        raise ValidationError(_("Give the number of the decision."))
    end = probation_end(candidate)
    member = Member.objects.select_for_update().get(pk=candidate.member_id)
    member.status = Member.Status.OFFICIAL
    member.official_date = end
    member.save(update_fields=["status", "official_date"])
    MemberEvent.objects.create(
        member=member,
        kind=MemberEvent.Kind.MADE_OFFICIAL,
        date=end,
        to_unit=member.unit,
        status_after=Member.Status.OFFICIAL,
        decision_no=number.strip(),
        actor=actor if getattr(actor, "pk", None) else None,
        note=_("Decision signed on %(day)s") % {"day": _d(day)},
    )
    rebuild_intervals([member.pk])
    return _move(candidate, S.OFFICIAL, actor, recognition_decision_no=number.strip(), recognition_decision_date=day)


@transaction.atomic
def withdraw(*, candidate, reason, actor):
    _require_stage(candidate, S.CANDIDATE, S.DOSSIER_COMPLETE, S.CELL_APPROVED, S.COMMITTEE_APPROVED)
    _require_not_own(actor, candidate)
    if not reason.strip():
        raise ValidationError(_("Give the reason."))
    return _move(candidate, S.WITHDRAWN, actor, note=reason.strip())


# ---- deadlines -----------------------------------------------------------------------------------
def deadlines(candidate):
    out = []
    if candidate.stage == S.DECIDED or candidate.ceremony_date:
        out.append(Deadline("ceremony", _("Admission ceremony"), ceremony_deadline(candidate), candidate.ceremony_date))
    if candidate.ceremony_date:
        out.append(
            Deadline(
                "declaration", _("1-HSĐV declaration"), declaration_deadline(candidate), candidate.declaration_date
            )
        )
        passed = getattr(candidate, "passed_recognition_votes", None)  # prefetched by a list (views.overdue)
        if passed is None:
            recognition_vote = candidate.votes.filter(level=Vote.Level.RECOGNITION, passed=True).first()
        else:
            recognition_vote = passed[0] if passed else None
        out.append(
            Deadline(
                "probation_end",
                _("End of probation"),
                probation_end(candidate),
                None if candidate.stage == S.PROBATION else probation_end(candidate),
            )
        )
        out.append(
            Deadline(
                "recognition",
                _("Recognition review"),
                recognition_deadline(candidate),
                recognition_vote.date if recognition_vote else None,
            )
        )
    return out


# ---- targets -------------------------------------------------------------------------------------
@transaction.atomic
def set_target(*, unit, year, count=None, students=0, share_percent=None, actor):
    """Set a unit's target, as a number or as a share of the members at the end of the previous year (the
    number it comes to is kept with it); a target may not promise more than the unit's parent target leaves."""
    if share_percent is not None:
        from decimal import ROUND_HALF_UP, Decimal

        from dangbo.members.intervals import members_on

        base = members_on(datetime.date(year - 1, 12, 31), unit).count()
        count = int((Decimal(base) * Decimal(share_percent) / 100).quantize(Decimal(1), ROUND_HALF_UP))
    if count is None:
        raise ValidationError(_("Give the target as a number of members or as a share of the members."))
    if students > count:
        raise ValidationError(_("The students' target cannot exceed the whole target."))
    parent = (
        Target.objects.filter(unit_id__in=unit.ancestor_ids(), year=year).order_by("-unit__depth").first()
        if unit.parent_id
        else None
    )
    if parent:
        siblings = (
            Target.objects.filter(year=year, unit__path__startswith=parent.unit.path, unit__depth=unit.depth)
            .exclude(unit=unit)
            .exclude(unit=parent.unit)
        )
        given = sum(t.count for t in siblings if t.unit.path.startswith(parent.unit.path))
        if given + count > parent.count:
            raise ValidationError(
                _("%(parent)s's target for %(year)s is %(total)s; %(given)s are already assigned to other units.")
                % {"parent": parent.unit, "year": year, "total": parent.count, "given": given}
            )
    target, _created = Target.objects.update_or_create(
        unit=unit,
        year=year,
        defaults={"count": count, "students": students, "share_percent": share_percent, "set_by": actor},
    )
    record(actor=actor, action="admission.target", obj=unit, unit=unit, changes={str(year): [None, count]})
    return target


# ---- reminders -----------------------------------------------------------------------------------
def send_reminders(today=None):
    """Remind the cell secretaries of each open deadline at the registry's offsets (90, 60, 30, 15, 7
    days before), and the secretaries and the grassroots staff once a deadline is overdue. Each
    reminder is sent once (ReminderSent). Returns the number of reminders sent."""
    from django.urls import reverse

    from dangbo.accounts.models import Role, RoleAssignment
    from dangbo.admission.models import ReminderSent
    from dangbo.core.notify import notify

    today = today or timezone.localdate()
    sent = 0
    open_ones = Candidate.objects.filter(stage__in=[S.DECIDED, S.PROBATION]).select_related("cell")
    for c in open_ones:
        offsets = sorted(rule_value("reminders.offset_days", c, today))
        for d in deadlines(c):
            if d.done is not None:
                continue
            left = (d.due - today).days
            if left < 0:
                offset = -1
            else:
                offset = next((o for o in offsets if left <= o), None)
                if offset is None:
                    continue
            _reminder, created = ReminderSent.objects.get_or_create(candidate=c, deadline=d.key, days_before=offset)
            if not created:
                continue
            roles = [Role.CELL_SECRETARY] if offset >= 0 else [Role.CELL_SECRETARY, Role.GRASSROOTS_STAFF]
            units = c.cell.ancestor_ids(include_self=True)
            users = [
                a.user
                for a in RoleAssignment.objects.filter(role__in=roles, unit_id__in=units).select_related("user")
                if a.role == Role.CELL_SECRETARY and a.unit_id == c.cell_id or a.role == Role.GRASSROOTS_STAFF
            ]
            if offset >= 0:
                title = _("%(deadline)s of %(name)s: due on %(due)s (in %(days)s days)") % {
                    "deadline": d.label,
                    "name": c.full_name,
                    "due": _d(d.due),
                    "days": left,
                }
            else:
                title = _("Overdue: %(deadline)s of %(name)s was due on %(due)s") % {
                    "deadline": d.label,
                    "name": c.full_name,
                    "due": _d(d.due),
                }
            notify(users=users, title=title, url=reverse("admission:candidate", args=[c.pk]), kind=f"admission.{d.key}")
            sent += 1
    return sent
