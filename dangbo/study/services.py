"""Study campaigns: every write in one transaction with an audit row.

"Studied" (``is_studied``), per campaign:
  (attended a session OR read the material)
  AND (passed the quiz, when the campaign requires one)
  AND (learning report accepted, when the campaign requires one).

Quiz scoring: every question is worth the same; a multiple-choice question counts only when exactly the
correct answers are ticked (all-or-nothing, no partial credit: ticking every box must not pay). The score
is the share of questions answered correctly; the attempt passes when ``score >= pass mark``, compared
exactly (correct × 100 ≥ pass mark × questions), so 8 of 10 passes an 80 % mark and 7 of 10 does not.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.accounts.models import Role, RoleAssignment, User
from dangbo.core.audit import record
from dangbo.core.notify import notify, notify_in_batches
from dangbo.members.models import Member
from dangbo.org.models import OrgUnit
from dangbo.study.access import target_members, target_units
from dangbo.study.models import (
    STUDY_STATUSES,
    Attempt,
    Attendance,
    Campaign,
    Choice,
    Progress,
    Question,
    Session,
    Target,
)

DATE = "%d/%m/%Y"
MEMBER_DRIVEN_MAX_UNITS = 60  # see completion_by_unit
MAX_LISTED_UNITS = 2000
CAMPAIGN_FIELDS = [
    "title",
    "material",
    "opens_on",
    "deadline",
    "makeup_deadline",
    "quiz_required",
    "report_required",
    "pass_mark",
    "max_attempts",
    "quiz_size",
]


def _check_dates(opens_on, deadline, makeup_deadline):
    if deadline < opens_on:
        raise ValidationError(_("The deadline cannot be before the opening date."))
    if makeup_deadline and makeup_deadline < deadline:
        raise ValidationError(_("The make-up deadline cannot be before the deadline."))


def _set_targets(campaign, targets):
    if not targets:
        raise ValidationError(_("Choose at least one target unit."))
    for unit, _subtree in targets:
        if not unit.path.startswith(campaign.unit.path):
            raise ValidationError(
                _("%(unit)s is outside %(organizer)s.") % {"unit": unit.name, "organizer": campaign.unit.name}
            )
    campaign.targets.all().delete()
    Target.objects.bulk_create([Target(campaign=campaign, unit=u, subtree=s) for u, s in targets])


@transaction.atomic
def create_campaign(*, unit, targets, documents=(), actor, **fields):
    _check_dates(fields["opens_on"], fields["deadline"], fields.get("makeup_deadline"))
    campaign = Campaign(unit=unit, created_by=actor, **{k: v for k, v in fields.items() if k in CAMPAIGN_FIELDS})
    campaign.full_clean()
    campaign.save()
    campaign.documents.set(documents)
    _set_targets(campaign, targets)
    record(actor=actor, action="study.create", obj=campaign, unit=unit)
    return campaign


@transaction.atomic
def update_campaign(*, campaign, targets, documents=(), actor, **fields):
    if campaign.state == Campaign.State.CLOSED:
        raise ValidationError(_("This campaign is closed."))
    _check_dates(fields["opens_on"], fields["deadline"], fields.get("makeup_deadline"))
    changes = {}
    for k in CAMPAIGN_FIELDS:
        if k in fields and getattr(campaign, k) != fields[k]:
            changes[k] = (getattr(campaign, k), fields[k])
            setattr(campaign, k, fields[k])
    campaign.full_clean()
    campaign.save()
    campaign.documents.set(documents)
    _set_targets(campaign, targets)
    # A changed definition of "studied" applies to everyone who started.
    if "quiz_required" in changes or "report_required" in changes:
        for p in campaign.progress.all().iterator(chunk_size=2000):
            p.campaign = campaign
            _refresh(p)
    record(actor=actor, action="study.update", obj=campaign, unit=campaign.unit, changes=changes)
    return campaign


def _staff_users(units, roles):
    return [
        ra.user
        for ra in RoleAssignment.objects.filter(unit__in=units, role__in=roles).select_related("user").order_by("pk")
    ]


@transaction.atomic
def publish_campaign(*, campaign, actor):
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.state != Campaign.State.DRAFT:
        raise ValidationError(_("Only a draft campaign can be published."))
    if not campaign.targets.exists():
        raise ValidationError(_("Choose at least one target unit."))
    if campaign.quiz_required and not campaign.questions.exists():
        raise ValidationError(_("The campaign requires a quiz: add questions before publishing."))
    campaign.state = Campaign.State.PUBLISHED
    campaign.published_at = timezone.now()
    campaign.save(update_fields=["state", "published_at"])
    record(actor=actor, action="study.publish", obj=campaign, unit=campaign.unit)
    # The secretaries and committees of the target units organize the study; members see it on their home page.
    units = OrgUnit.objects.filter(_units_q(campaign))
    notify(
        users=_staff_users(units, [Role.CELL_SECRETARY, Role.GRASSROOTS_STAFF]),
        title=_("New study campaign: %(title)s (deadline %(day)s)")
        % {"title": campaign.title, "day": campaign.deadline.strftime(DATE)},
        url=reverse("study:detail", args=[campaign.pk]),
        kind="study.published",
    )
    # Every member who must study it is told too, once, in bounded batches (issue 14 §4).
    notify_in_batches(
        users=User.objects.filter(
            pk__in=target_members(campaign).filter(user__isnull=False).values("user_id"), is_active=True
        ).order_by("pk"),
        title=_("Study to do: %(title)s (deadline %(day)s)")
        % {"title": campaign.title, "day": campaign.deadline.strftime(DATE)},
        url=reverse("study:detail", args=[campaign.pk]),
        kind="study.todo",
    )
    return campaign


def _units_q(campaign):
    q = Q(pk__in=[])
    for t in campaign.targets.select_related("unit"):
        q |= Q(path__startswith=t.unit.path) if t.subtree else Q(pk=t.unit_id)
    return q


@transaction.atomic
def close_campaign(*, campaign, actor):
    if campaign.state != Campaign.State.PUBLISHED:
        raise ValidationError(_("Only a published campaign can be closed."))
    campaign.state = Campaign.State.CLOSED
    campaign.save(update_fields=["state"])
    record(actor=actor, action="study.close", obj=campaign, unit=campaign.unit)
    return campaign


# ---- question bank -------------------------------------------------------------------------------


@transaction.atomic
def add_question(*, campaign, text, kind, choices, actor):
    """``choices``: [(text, correct)]. Single choice: exactly one correct; multiple: at least one."""
    if campaign.state == Campaign.State.CLOSED:
        raise ValidationError(_("This campaign is closed."))
    choices = [(t.strip(), c) for t, c in choices if t.strip()]
    if len(choices) < 2:
        raise ValidationError(_("A question needs at least two answers."))
    n_correct = sum(1 for _t, c in choices if c)
    if kind == Question.Kind.SINGLE and n_correct != 1:
        raise ValidationError(_("A single-choice question needs exactly one correct answer."))
    if kind == Question.Kind.MULTIPLE and n_correct < 1:
        raise ValidationError(_("A multiple-choice question needs at least one correct answer."))
    position = (campaign.questions.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    q = Question.objects.create(campaign=campaign, text=text.strip(), kind=kind, position=position)
    Choice.objects.bulk_create([Choice(question=q, text=t, correct=c) for t, c in choices])
    record(actor=actor, action="study.add_question", obj=campaign, unit=campaign.unit, note=q.text[:200])
    return q


@transaction.atomic
def delete_question(*, question, actor):
    campaign = question.campaign
    if campaign.state != Campaign.State.DRAFT and Attempt.objects.filter(progress__campaign=campaign).exists():
        raise ValidationError(_("Members have taken the quiz: its questions can no longer be removed."))
    if campaign.state != Campaign.State.DRAFT and campaign.quiz_required and campaign.questions.count() == 1:
        raise ValidationError(_("The campaign requires a quiz: keep at least one question."))
    record(actor=actor, action="study.delete_question", obj=campaign, unit=campaign.unit, note=question.text[:200])
    question.delete()


# ---- a member's study ----------------------------------------------------------------------------


def is_studied(p):
    c = p.campaign
    if not (p.attended or p.read_at):
        return False
    if c.quiz_required and not p.quiz_passed_at:
        return False
    return not (c.report_required and p.report_state != Progress.ReportState.ACCEPTED)


def next_step(p):
    c = p.campaign
    if not (p.read_at or p.attended):
        return Progress.Step.READ
    if c.quiz_required and not p.quiz_passed_at:
        return Progress.Step.QUIZ
    if c.report_required and p.report_state != Progress.ReportState.ACCEPTED:
        return Progress.Step.REPORT
    return Progress.Step.DONE


def _refresh(p, now=None):
    done = is_studied(p)
    p.step = next_step(p)
    if done and not p.completed_at:
        p.completed_at = now or timezone.now()
    elif not done:
        p.completed_at = None
    p.save()


def _require_open(campaign, day=None):
    day = day or timezone.localdate()
    if campaign.state != Campaign.State.PUBLISHED:
        raise ValidationError(_("This campaign is not open for study."))
    if day < campaign.opens_on:
        raise ValidationError(_("The campaign opens on %(day)s.") % {"day": campaign.opens_on.strftime(DATE)})
    if day > campaign.last_day:
        raise ValidationError(_("The campaign closed on %(day)s.") % {"day": campaign.last_day.strftime(DATE)})


def progress_of(campaign, member):
    return Progress.objects.filter(campaign=campaign, member=member).select_related("campaign").first()


def _start(campaign, member, *, lock=True):
    qs = Progress.objects.select_for_update() if lock else Progress.objects
    p, _created = qs.get_or_create(campaign=campaign, member=member)
    p.campaign = campaign
    return p


@transaction.atomic
def mark_read(*, campaign, member):
    _require_open(campaign)
    p = _start(campaign, member)
    if not p.read_at:
        p.read_at = timezone.now()
        _refresh(p)
    return p


@transaction.atomic
def start_attempt(*, campaign, member, rng=None):
    """The member's open attempt, or a new one with its own random question order."""
    _require_open(campaign)
    if not campaign.quiz_required:
        raise ValidationError(_("This campaign has no quiz."))
    p = _start(campaign, member)
    open_attempt = p.quiz_attempts.filter(submitted_at__isnull=True).first()
    if open_attempt:
        return open_attempt
    if p.quiz_passed_at:
        raise ValidationError(_("You have already passed the quiz."))
    if campaign.max_attempts and p.attempts >= campaign.max_attempts:
        raise ValidationError(
            _("You have used all %(n)s attempts allowed for this quiz.") % {"n": campaign.max_attempts}
        )
    ids = list(campaign.questions.values_list("pk", flat=True))
    if not ids:
        raise ValidationError(_("The quiz has no questions yet."))
    (rng or random).shuffle(ids)
    if campaign.quiz_size:
        ids = ids[: campaign.quiz_size]
    if p.step == Progress.Step.READ:
        p.step = Progress.Step.QUIZ
        p.save(update_fields=["step"])
    return Attempt.objects.create(progress=p, order=ids)


def _clean_answers(attempt, answers):
    """Keep only answers to the attempt's questions, with choices of that question."""
    valid = {}
    allowed = dict.fromkeys(attempt.order)
    choice_q = dict(Choice.objects.filter(question_id__in=attempt.order).values_list("pk", "question_id"))
    for qid, cids in answers.items():
        qid = int(qid)
        if qid in allowed:
            valid[str(qid)] = sorted({int(c) for c in cids if choice_q.get(int(c)) == qid})
    return valid


def score_answers(order, answers):
    """(correct, total) for ``answers`` ({question id: [choice ids]}) over the questions ``order``."""
    correct_sets = {}
    for qid, cid in Choice.objects.filter(question_id__in=order, correct=True).values_list("question_id", "pk"):
        correct_sets.setdefault(qid, set()).add(cid)
    correct = sum(1 for qid in order if set(answers.get(str(qid), [])) == correct_sets.get(qid, set()))
    return correct, len(order)


@transaction.atomic
def save_answers(*, attempt, answers):
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.submitted_at:
        raise ValidationError(_("This attempt has already been submitted."))
    attempt.answers = _clean_answers(attempt, answers)
    attempt.save(update_fields=["answers"])
    return attempt


@transaction.atomic
def submit_attempt(*, attempt, answers):
    attempt = Attempt.objects.select_for_update(of=("self",)).select_related("progress__campaign").get(pk=attempt.pk)
    if attempt.submitted_at:
        raise ValidationError(_("This attempt has already been submitted."))
    p = attempt.progress
    campaign = p.campaign
    _require_open(campaign)
    attempt.answers = _clean_answers(attempt, answers)
    correct, total = score_answers(attempt.order, attempt.answers)
    attempt.score = (Decimal(correct * 100) / Decimal(total)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    attempt.passed = correct * 100 >= campaign.pass_mark * total
    attempt.submitted_at = timezone.now()
    attempt.save()
    p.attempts += 1
    if p.best_score is None or attempt.score > p.best_score:
        p.best_score = attempt.score
    if attempt.passed and not p.quiz_passed_at:
        p.quiz_passed_at = attempt.submitted_at
    _refresh(p)
    return attempt


@transaction.atomic
def save_report(*, campaign, member, text, submit):
    _require_open(campaign)
    p = _start(campaign, member)
    if not campaign.report_required:
        raise ValidationError(_("This campaign asks for no learning report."))
    if p.report_state in (Progress.ReportState.SUBMITTED, Progress.ReportState.ACCEPTED):
        raise ValidationError(_("Your learning report has already been submitted."))
    text = text.strip()
    if submit and len(text) < 200:
        raise ValidationError(_("A learning report needs at least 200 characters."))
    p.report_text = text
    if submit:
        p.report_state = Progress.ReportState.SUBMITTED
        p.report_submitted_at = timezone.now()
    elif p.report_state == Progress.ReportState.NONE:
        p.report_state = Progress.ReportState.DRAFT
    if p.step == Progress.Step.READ:
        p.step = Progress.Step.REPORT
    _refresh(p)
    return p


@transaction.atomic
def review_report(*, progress, accept, grade, comment, actor):
    p = Progress.objects.select_for_update(of=("self",)).select_related("campaign", "member__unit").get(pk=progress.pk)
    if p.report_state != Progress.ReportState.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be reviewed."))
    if accept and not grade:
        raise ValidationError(_("Give a grade to accept the report."))
    if not accept and not comment.strip():
        raise ValidationError(_("Say what to rework when returning a report."))
    p.report_state = Progress.ReportState.ACCEPTED if accept else Progress.ReportState.RETURNED
    p.report_grade = grade if accept else ""
    p.report_comment = comment.strip()
    p.report_reviewed_by = actor
    p.report_reviewed_at = timezone.now()
    _refresh(p)
    record(
        actor=actor,
        action="study.accept_report" if accept else "study.return_report",
        obj=p.campaign,
        unit=p.member.unit,
        note=p.member.full_name,
    )
    if p.member.user_id:
        title = (
            _("Your learning report was accepted: %(title)s")
            if accept
            else _("Your learning report was returned for rework: %(title)s")
        )
        notify(
            users=[p.member.user],
            title=title % {"title": p.campaign.title},
            body=p.report_comment,
            url=reverse("study:report", args=[p.campaign_id]),
            kind="study.report_reviewed",
        )
    return p


# ---- sessions and attendance ---------------------------------------------------------------------


@transaction.atomic
def add_session(*, campaign, unit, held_on, mode, place, makeup, actor):
    if campaign.state == Campaign.State.DRAFT:
        raise ValidationError(_("Publish the campaign before holding sessions."))
    if not campaign.covers_unit(unit) and not any(t.unit.path.startswith(unit.path) for t in campaign.targets.all()):
        raise ValidationError(_("%(unit)s is not a target of this campaign.") % {"unit": unit.name})
    if makeup and held_on <= campaign.deadline:
        raise ValidationError(_("A make-up session is held after the deadline."))
    if held_on > campaign.last_day:
        raise ValidationError(_("The campaign closed on %(day)s.") % {"day": campaign.last_day.strftime(DATE)})
    s = Session.objects.create(
        campaign=campaign, unit=unit, held_on=held_on, mode=mode, place=place, makeup=makeup, created_by=actor
    )
    record(actor=actor, action="study.add_session", obj=campaign, unit=unit, note=str(s))
    return s


def session_members(session):
    return target_members(session.campaign, [session.unit.path])


@transaction.atomic
def record_attendance(*, session, member_ids, actor):
    """Set who attended ``session`` (target members of its unit's subtree); attendance counts as studying."""
    campaign = session.campaign
    members = {m.pk: m for m in session_members(session).filter(pk__in=member_ids)}
    if len(members) != len(set(member_ids)):
        raise ValidationError(_("Some of the members chosen are not target members of this session's unit."))
    before = set(session.attendances.values_list("member_id", flat=True))
    after = set(members)
    session.attendances.filter(member_id__in=before - after).delete()
    Attendance.objects.bulk_create([Attendance(session=session, member_id=m) for m in after - before])
    touched = before | after
    attended_any = set(
        Attendance.objects.filter(session__campaign=campaign, member_id__in=touched).values_list("member_id", flat=True)
    )
    # Attendance recorded after the fact completes the study on the day of the session it records, not
    # on the day it was typed (issue on history §3): the report for that period counts it.
    held_at = timezone.make_aware(datetime.datetime.combine(session.held_on, datetime.time(12)))
    for mid in touched:
        p = _start(campaign, members[mid]) if mid in after else progress_of(campaign, mid)
        if p is None:
            continue
        p.campaign = campaign
        if p.attended != (mid in attended_any):
            p.attended = mid in attended_any
            steps = [held_at, p.quiz_passed_at, p.report_reviewed_at if campaign.report_required else None]
            _refresh(p, now=max(t for t in steps if t is not None))
    record(
        actor=actor,
        action="study.attendance",
        obj=campaign,
        unit=session.unit,
        note=str(session),
        changes={"attended": (len(before), len(after))},
    )
    return len(after)


# ---- completion ----------------------------------------------------------------------------------


@dataclass
class CompletionRow:
    unit: OrgUnit
    target: int = 0
    started: int = 0
    completed: int = 0

    @property
    def percent(self):
        if not self.target:
            return None
        return (Decimal(self.completed * 100) / Decimal(self.target)).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def not_started(self):
        return max(self.target - self.started, 0)


def completion_by_unit(campaign, root):
    """Completion of ``campaign`` under ``root``, one row per child of ``root`` (plus ``root`` itself when
    members sit in it directly), and the total. Target members are counted from the member table by unit,
    completions from the progress rows by unit: two grouped queries, whatever the size of the tree.

    Completed counts only members still in the denominator (official or probationary, in a target unit).

    A campaign whose deadline is past is counted as it stood on its deadline (``completion_on``): the
    members on the books that day, in the tree of that day — as the periodic reports count it."""
    if campaign.deadline and campaign.deadline < timezone.localdate():
        return completion_on(campaign, root, campaign.deadline)
    targets = list(campaign.targets.all())  # prefetch "targets__unit" to save the queries
    # The unit ids read first (with their paths, for the roll-up): SQLite plans "unit_id IN (list)" well and
    # an "IN (subquery)" joined to the progress rows badly (10× slower on one committee).
    paths = dict(target_units(campaign, [root.path], targets).values_list("pk", "path"))
    units = list(paths) if len(paths) <= MAX_LISTED_UNITS else target_units(campaign, [root.path], targets).values("pk")
    denominators = dict(
        Member.objects.filter(unit_id__in=units, status__in=STUDY_STATUSES)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
        .order_by()
    )
    started = {}
    completed = {}
    # A part of the tree (a committee's few units) is counted from its members, each joined to its one
    # progress row by the (campaign, member) key; the whole tree from the campaign's progress rows.
    # bench/study.py at 200,000 members: one committee 135 → 14 ms driven from its members; the whole
    # tree 188 ms from the progress rows, 392 ms from the members.
    if len(paths) <= MEMBER_DRIVEN_MAX_UNITS:
        in_scope = Q(member_id__in=Member.objects.filter(unit_id__in=units, status__in=STUDY_STATUSES).values("pk"))
    else:
        in_scope = Q(member__unit_id__in=units, member__status__in=STUDY_STATUSES)
    progress = (
        Progress.objects.filter(in_scope, campaign=campaign)
        .values("member__unit_id")
        .annotate(n=Count("pk"), done=Count("pk", filter=Q(completed_at__isnull=False)))
        .order_by()
    )
    for row in progress:
        started[row["member__unit_id"]] = row["n"]
        completed[row["member__unit_id"]] = row["done"]
    children = list(OrgUnit.objects.filter(parent=root).order_by("path"))
    rows = {u.pk: CompletionRow(unit=u) for u in children}
    own = CompletionRow(unit=root)
    ids = set(denominators) | set(started)
    for uid in ids:
        parts = paths[uid].strip("/").split("/")
        child_id = int(parts[root.depth + 1]) if len(parts) > root.depth + 1 else None
        row = rows.get(child_id, own)
        row.target += denominators.get(uid, 0)
        row.started += started.get(uid, 0)
        row.completed += completed.get(uid, 0)
    result = [r for r in rows.values() if r.target or r.started]
    if own.target or own.started:
        result.insert(0, own)
    total = CompletionRow(unit=root)
    for r in result:
        total.target += r.target
        total.started += r.started
        total.completed += r.completed
    return result, total


def completion_on(campaign, root, day):
    """``completion_by_unit`` as of ``day``: the target members are those of ``target_member_ids_on``
    (dangbo.study.figures: on the books on ``day`` in the target units and ``root``'s subtree of that day),
    each counted in the unit they stood in that day, rolled up to ``root``'s children of that day
    (``dangbo.org.dated``). A cell moved away since still counts where it stood; a member admitted or
    transferred in later is not asked. Grouped queries by unit, whatever the number of members."""
    from django.db.models import Exists, F, IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from dangbo.members.intervals import intervals_on
    from dangbo.members.models import MemberInterval
    from dangbo.org.dated import parents_on
    from dangbo.study.figures import target_member_ids_on

    ids = target_member_ids_on(campaign, root, day)
    then = intervals_on(day).filter(member_id=OuterRef("member_id")).order_by("-valid_from").values("unit_id")[:1]
    denominators = {}
    for unit_id, n in (
        intervals_on(day)
        .filter(member_id__in=ids)
        .values("unit_id")
        .annotate(n=Count("member_id", distinct=True))
        .values_list("unit_id", "n")
        .order_by()
    ):
        denominators[unit_id] = denominators.get(unit_id, 0) + n
    # Members without any history (entered without events) count where they are now.
    for unit_id, n in (
        Member.objects.filter(pk__in=ids)
        .filter(~Exists(MemberInterval.objects.filter(member_id=OuterRef("pk"))))
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
        .order_by()
    ):
        denominators[unit_id] = denominators.get(unit_id, 0) + n
    started, completed = {}, {}
    progress = (
        Progress.objects.filter(campaign=campaign, member_id__in=ids)
        .annotate(unit_then=Coalesce(Subquery(then), F("member__unit_id"), output_field=IntegerField()))
        .values("unit_then")
        .annotate(n=Count("pk"), done=Count("pk", filter=Q(completed_at__isnull=False)))
        .order_by()
    )
    for row in progress:
        started[row["unit_then"]] = row["n"]
        completed[row["unit_then"]] = row["done"]
    parents = parents_on(day)

    def child_of_root(uid):
        """The child of ``root`` (on ``day``) above ``uid``, None for ``root`` itself."""
        seen = set()
        while uid is not None and uid not in seen:
            seen.add(uid)
            parent = parents.get(uid)
            if parent == root.pk:
                return uid
            uid = parent
        return None

    children = [pk for pk, parent in parents.items() if parent == root.pk]
    units = OrgUnit.objects.in_bulk(children)
    rows = {pk: CompletionRow(unit=units[pk]) for pk in children if pk in units}
    own = CompletionRow(unit=root)
    for uid in set(denominators) | set(started):
        row = own if uid == root.pk else rows.get(child_of_root(uid), own)
        row.target += denominators.get(uid, 0)
        row.started += started.get(uid, 0)
        row.completed += completed.get(uid, 0)
    result = sorted((r for r in rows.values() if r.target or r.started), key=lambda r: r.unit.path)
    if own.target or own.started:
        result.insert(0, own)
    total = CompletionRow(unit=root)
    for r in result:
        total.target += r.target
        total.started += r.started
        total.completed += r.completed
    return result, total


def completion_members(campaign, root):
    """The target members the completion page lists under ``root``: for a deadline past, those of its
    deadline (``completion_on``), else those on the books now."""
    if campaign.deadline and campaign.deadline < timezone.localdate():
        from dangbo.study.figures import target_member_ids_on

        return Member.objects.filter(pk__in=target_member_ids_on(campaign, root, campaign.deadline))
    return target_members(campaign, [root.path])


def stragglers(campaign, paths):
    """Target members in ``paths`` who have not completed (with or without a progress row)."""
    done = Progress.objects.filter(campaign=campaign, completed_at__isnull=False).values("member_id")
    return target_members(campaign, paths).exclude(pk__in=done)


def _remind(campaign, paths, *, title, kind):
    """Notify the stragglers with a login, and each unit's secretary with a summary. Returns members reminded."""
    late = stragglers(campaign, paths)
    users = [m.user for m in late.filter(user__isnull=False, user__is_active=True).select_related("user")]
    url = reverse("study:detail", args=[campaign.pk])
    notify(users=users, title=title, url=url, kind=kind)
    by_unit = dict(late.values("unit_id").annotate(n=Count("pk")).values_list("unit_id", "n").order_by())
    for ra in RoleAssignment.objects.filter(unit_id__in=by_unit, role=Role.CELL_SECRETARY).select_related(
        "user", "unit"
    ):
        notify(
            users=[ra.user],
            title=_("%(n)s members of %(unit)s have not finished studying: %(title)s")
            % {"n": by_unit[ra.unit_id], "unit": ra.unit.name, "title": campaign.title},
            url=reverse("study:completion", args=[campaign.pk]) + f"?unit={ra.unit_id}",
            kind="study.summary",
        )
    return len(users), sum(by_unit.values())


@transaction.atomic
def remind_stragglers(*, campaign, paths, actor):
    if campaign.state != Campaign.State.PUBLISHED:
        raise ValidationError(_("This campaign is not open for study."))
    title = _("Reminder: finish studying %(title)s by %(day)s") % {
        "title": campaign.title,
        "day": campaign.last_day.strftime(DATE),
    }
    notified, total = _remind(campaign, paths, title=title, kind="study.reminder")
    record(actor=actor, action="study.remind", obj=campaign, unit=campaign.unit, note=f"{notified}/{total}")
    return notified, total


@transaction.atomic
def send_reminders(today=None):
    """The daily run: for each open campaign, at the offsets of rule ``reminders.offset_days`` before its
    deadline (each offset once), remind the members not yet complete and the secretaries. Returns rounds sent."""
    from dangbo.rules.registry import rule_lookup
    from dangbo.study.models import ReminderSent

    today = today or timezone.localdate()
    rounds = 0
    for campaign in Campaign.objects.filter(
        state=Campaign.State.PUBLISHED, opens_on__lte=today, deadline__gte=today
    ).select_related("unit"):
        offsets = sorted(rule_lookup("reminders.offset_days", unit=campaign.unit)(today) or [])
        left = (campaign.deadline - today).days
        offset = next((o for o in offsets if left <= o), None)
        if offset is None or ReminderSent.objects.filter(campaign=campaign, days_before=offset).exists():
            continue
        ReminderSent.objects.create(campaign=campaign, days_before=offset)
        title = _("%(title)s: %(days)s days left to finish studying (deadline %(day)s)") % {
            "title": campaign.title,
            "days": left,
            "day": campaign.deadline.strftime(DATE),
        }
        _remind(
            campaign, [t.unit.path for t in campaign.targets.select_related("unit")], title=title, kind="study.reminder"
        )
        rounds += 1
    return rounds
