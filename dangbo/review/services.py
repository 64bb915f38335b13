"""The review workflow (DOMAIN.md §8): open a period, self-assess, appraise, vote, decide, announce.

Every function is atomic, checks the actor's role and the step, and refuses with a Vietnamese message what
the rules forbid. After the announcement nothing of the grassroots organization's review changes.
"""

import logging
import time
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dangbo.accounts.access import own_case_refusal
from dangbo.core.audit import record
from dangbo.core.bulk import prepare_insert
from dangbo.core.notify import notify, notify_in_batches
from dangbo.core.text import fold
from dangbo.members.models import Member, MemberEvent
from dangbo.org.models import OrgUnit
from dangbo.review import access
from dangbo.review.levels import (
    classify,
    classify_unit,
    not_classified_reason,
    quota_exceeded,
    quota_max,
    thresholds,
)
from dangbo.review.models import Criterion, Group, Level, MemberReview, ReviewPeriod, UnitReview
from dangbo.rules.registry import RuleMissing

S = UnitReview.State
logger = logging.getLogger(__name__)
LEADER_WORDS = ("truong", "giam doc", "pho", "bi thu", "chu tich", "chanh", "tong bien tap")

# Default template: (title, share of the section maximum). The last line takes the rounding remainder.
DEFAULT_COMMON = [
    ("Phẩm chất chính trị, tư tưởng", Decimal("1") / 3),
    ("Đạo đức, lối sống; ý thức tổ chức kỷ luật", Decimal("1") / 3),
    ("Tác phong, lề lối làm việc; thực hiện nhiệm vụ đảng viên", Decimal("1") / 3),
]
DEFAULT_RESULTS = {
    Group.LEADER: [
        ("Kết quả thực hiện nhiệm vụ chuyên môn, chỉ tiêu được giao", Decimal("3") / 7),
        ("Kết quả lãnh đạo, quản lý cơ quan, đơn vị phụ trách", Decimal("5") / 14),
        ("Thực hiện nhiệm vụ được chi bộ phân công; sinh hoạt đảng", Decimal("3") / 14),
    ],
    Group.MEMBER: [
        ("Kết quả thực hiện nhiệm vụ chuyên môn được giao", Decimal("9") / 14),
        ("Thực hiện nhiệm vụ được chi bộ phân công", Decimal("3") / 14),
        ("Sinh hoạt đảng, đóng đảng phí, học tập nghị quyết", Decimal("1") / 7),
    ],
}


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _rules(unit, on):
    try:
        return thresholds(unit, on)
    except RuleMissing as e:
        raise ValidationError(str(e))


def _lines(rows, total):
    out, used = [], Decimal(0)
    for i, (title, share) in enumerate(rows):
        points = total - used if i == len(rows) - 1 else (total * share).quantize(Decimal("1"))
        used += points
        out.append((title, points))
    return out


def group_for(member):
    pos = fold(member.position or "")
    return Group.LEADER if any(w in pos for w in LEADER_WORDS) else Group.MEMBER


def default_criteria(period, t):
    rows = []
    for group in Group.values:
        for section, lines in (
            (Criterion.Section.COMMON, _lines(DEFAULT_COMMON, t.common_max)),
            (Criterion.Section.RESULTS, _lines(DEFAULT_RESULTS[group], t.results_max)),
        ):
            rows += [
                Criterion(period=period, group=group, section=section, title=title, max_points=p, order=i)
                for i, (title, p) in enumerate(lines)
            ]
    return rows


OPEN_BATCH = 2000  # member reviews written per transaction while a period is being opened
# Pause between two batches on SQLite, longer than the longest sleep of SQLite's busy handler (100 ms): a request
# waiting for the write lock wakes up within every pause, so it waits for at most one batch.
OPEN_PAUSE = 0.15


def open_period(*, unit, kind, year, starts_on, ends_on, self_deadline, quarter=None, actor):
    """Open a review for ``unit``'s subtree: the templates, one review per cell and grassroots organization,
    one per current member of its cells (exempted and suspended members recorded as not classified).

    The period, its templates and the organizations' reviews are written in one short transaction, in state
    OPENING; the member reviews (200,000 for the bloc) follow in batches of OPEN_BATCH in a background task
    (``fill_members``), so that no other request waits on the write lock for long. Until the last batch the
    period shows its progress and nothing of it can be seen or acted on (``access``); an interrupted opening
    resumes from the last member done (``resume_opening``)."""
    if not access.can_open_at(actor, unit):
        raise ValidationError(_("Only the bloc office or a grassroots committee opens a review for its organizations."))
    if kind == ReviewPeriod.Kind.QUARTER and quarter not in (1, 2, 3, 4):
        raise ValidationError(_("Choose the quarter."))
    if ends_on < starts_on:
        raise ValidationError(_("The period ends before it starts."))
    if self_deadline < starts_on:
        raise ValidationError(_("The self-assessment deadline is before the period starts."))
    t = _rules(unit, ends_on)
    today = timezone.localdate()
    with transaction.atomic():
        clash = ReviewPeriod.objects.filter(
            kind=kind, year=year, quarter=quarter if kind == "quarter" else None
        ).filter(Q(unit__path__startswith=unit.path) | Q(unit_id__in=unit.ancestor_ids(include_self=True)))
        if clash.exists():
            raise ValidationError(
                _("A review of this period already covers %(unit)s (opened by %(by)s).")
                % {"unit": unit.name, "by": clash.first().unit.name}
            )
        period = ReviewPeriod.objects.create(
            unit=unit,
            kind=kind,
            year=year,
            quarter=quarter if kind == ReviewPeriod.Kind.QUARTER else None,
            starts_on=starts_on,
            ends_on=ends_on,
            self_deadline=self_deadline,
            created_by=_actor(actor),
            state=ReviewPeriod.State.OPENING,
            opening_heartbeat=timezone.now(),
        )
        Criterion.objects.bulk_create(default_criteria(period, t))
        _populate_units(period, today)
        record(actor=actor, action="review.open", obj=period, unit=unit, changes={"year": [None, year]})
    # Counted outside the write transaction, for the progress shown while the batches run.
    total = _members_to_review(_open_cells(period)).count()
    ReviewPeriod.objects.filter(pk=period.pk).update(opening_total=total)
    start_opening(period)
    period.refresh_from_db()
    return period


def start_opening(period):
    """Hand the member reviews of a period being opened to the background task (run at once by the
    immediate backend of the tests). A failure to enqueue leaves the period OPENING: its page offers to resume."""
    from dangbo.review.tasks import fill_period

    try:
        fill_period.enqueue(period.pk)
    except DatabaseError:
        logger.exception("Could not enqueue the opening of review period %s", period.pk)
        return False
    return True


OPENING_STALE_SECONDS = 120


def opening_stalled(period, now=None):
    """An opening whose last batch is older than OPENING_STALE_SECONDS: its task died or never ran."""
    if period.state != ReviewPeriod.State.OPENING:
        return False
    now = now or timezone.now()
    return period.opening_heartbeat is None or (now - period.opening_heartbeat).total_seconds() > OPENING_STALE_SECONDS


def resume_opening(*, period, actor):
    """Start the batches of a stalled opening again; they go on from the last member done."""
    if not access.can_open_at(actor, period.unit):
        raise ValidationError(_("Only the committee that opened the review updates its lists."))
    if period.state != ReviewPeriod.State.OPENING:
        raise ValidationError(_("This review is already open."))
    ReviewPeriod.objects.filter(pk=period.pk).update(opening_heartbeat=timezone.now())
    if not start_opening(period):
        raise ValidationError(_("The opening could not be restarted now. Please try again in a moment."))


def opening_done(period):
    """Member reviews written so far for a period being opened."""
    return MemberReview.objects.filter(period=period).count()


def _members_to_review(cells):
    return Member.objects.current().filter(unit_id__in=list(cells))


def _open_cells(period):
    """``{cell id: grassroots id}`` of the period's cells still at the self-assessment step."""
    return dict(
        UnitReview.objects.filter(period=period, state=S.OPEN, unit__kind__in=OrgUnit.CELL_KINDS).values_list(
            "unit_id", "grassroots_id"
        )
    )


def _member_review(period, m, grassroots_id):
    reason = not_classified_reason(m.status)
    return MemberReview(
        period=period,
        member_id=m.pk,
        unit_id=m.unit_id,
        grassroots_id=grassroots_id,
        group=group_for(m),
        level=Level.NOT_CLASSIFIED if reason else "",
        level_reasons=reason,
    )


def fill_members(period_id, *, batch=None, pause=None):
    """Write the member reviews of a period being opened, ``batch`` members per short transaction, then turn
    it OPEN. Idempotent: members who already have a review are skipped (and a second runner's duplicates are
    ignored by the unique constraint), and it starts after the last member id done. Returns the rows written."""
    batch = batch or OPEN_BATCH
    if pause is None:
        pause = OPEN_PAUSE if connection.vendor == "sqlite" else 0
    try:
        period = ReviewPeriod.objects.get(pk=period_id)
    except ReviewPeriod.DoesNotExist:
        return 0
    if period.state != ReviewPeriod.State.OPENING:
        return 0
    cells = _open_cells(period)
    cursor = period.opening_cursor
    written = 0
    while True:
        # Read outside the write transaction (WAL readers do not block and are not blocked).
        members = list(
            _members_to_review(cells)
            .filter(pk__gt=cursor)
            .order_by("pk")
            .only("pk", "unit_id", "status", "position")[:batch]
        )
        have = set(
            MemberReview.objects.filter(period=period, member_id__in=[m.pk for m in members]).values_list(
                "member_id", flat=True
            )
        )
        rows = prepare_insert(
            MemberReview,
            [_member_review(period, m, cells[m.unit_id]) for m in members if m.pk not in have],
            ignore_conflicts=True,
        )
        last = len(members) < batch
        with transaction.atomic():
            still = ReviewPeriod.objects.filter(pk=period.pk, state=ReviewPeriod.State.OPENING)
            if not still.exists():
                return written  # deleted, or finished by another runner
            rows.run()
            changes = {"opening_heartbeat": timezone.now()}
            if members:
                changes["opening_cursor"] = Greatest(F("opening_cursor"), members[-1].pk)
            if last:
                changes["state"] = ReviewPeriod.State.OPEN
            still.update(**changes)
        written += len(rows.objs)
        if last:
            notify_self_assessment(period)
            return written
        cursor = members[-1].pk
        time.sleep(pause)  # 0 on PostgreSQL: still a point where the worker yields between two batches


def notify_self_assessment(period):
    """Tell every member asked to assess themselves in an open period (their notifications, and e-mail):
    in bounded batches, once per period however often it runs; the link opens their reviews."""
    from django.contrib.auth import get_user_model

    asked = MemberReview.objects.filter(period=period, self_submitted_at__isnull=True, appraised_at__isnull=True)
    users = get_user_model().objects.filter(
        is_active=True, member__in=asked.exclude(level=Level.NOT_CLASSIFIED).values("member_id")
    )
    return notify_in_batches(
        users=users.order_by("pk"),
        title=_("%(period)s: fill in your self-assessment by %(day)s")
        % {"period": period, "day": date_format(period.self_deadline, "d/m/Y")},
        body=_("Your cell has opened the review. Fill in your self-assessment and your report before the deadline."),
        url=reverse("review:home") + f"?period={period.pk}",
        kind="review.self_assessment",
    )


def _populate_units(period, today):
    """The unit reviews of every active cell and grassroots organization of the period's subtree (missing rows
    only); returns ``{unit id: its grassroots organization}``."""
    units = list(
        OrgUnit.objects.in_subtree(period.unit)
        .active(min(today, period.ends_on))
        .filter(kind__in=set(OrgUnit.GRASSROOTS_KINDS) | set(OrgUnit.CELL_KINDS))
        .order_by("path")
    )
    by_id = {u.pk: u for u in units}
    grassroots = {}
    for u in units:
        ids = u.ancestor_ids(include_self=True)
        grassroots[u.pk] = next(
            (by_id[i] for i in ids if i in by_id and by_id[i].kind in OrgUnit.GRASSROOTS_KINDS), None
        )
    have = set(UnitReview.objects.filter(period=period).values_list("unit_id", flat=True))
    UnitReview.objects.bulk_create(
        [
            UnitReview(period=period, unit=u, grassroots=grassroots[u.pk])
            for u in units
            if u.pk not in have and grassroots[u.pk] is not None
        ]
    )
    return grassroots


def populate(period, *, today=None):
    """Unit and member reviews for every active cell and grassroots organization of the period's subtree
    (bulk; missing rows only, so it can run again when cells or members were added)."""
    today = today or timezone.localdate()
    _populate_units(period, today)
    # Members join only the cells still at the self-assessment step.
    cells = _open_cells(period)
    reviewed = set(MemberReview.objects.filter(period=period).values_list("member_id", flat=True))
    rows = []
    members = _members_to_review(cells).only("pk", "unit_id", "status", "position")
    for m in members.iterator(chunk_size=2000):
        if m.pk not in reviewed:
            rows.append(_member_review(period, m, cells[m.unit_id]))
    MemberReview.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def follow_members(period, *, unit=None):
    """Reviews not yet appraised follow their members: a member who moved to another cell still open in the
    period is reviewed there; one who left the books (transfer out, removal, death) is dropped. Appraised
    reviews stay with the cell that appraised them. Returns (moved, dropped)."""
    qs = MemberReview.objects.filter(period=period, appraised_at__isnull=True).select_related("member")
    if unit is not None:
        qs = qs.filter(unit=unit)
    qs = qs.exclude(member__unit_id=F("unit_id"), member__status__in=Member.CURRENT_STATUSES)
    open_cells = {
        u.unit_id: u.grassroots_id
        for u in UnitReview.objects.filter(period=period, state=S.OPEN).only("unit_id", "grassroots_id")
    }
    moved, dropped = [], []
    for r in qs:
        if r.member.status in Member.CURRENT_STATUSES and r.member.unit_id in open_cells:
            r.unit_id, r.grassroots_id = r.member.unit_id, open_cells[r.member.unit_id]
            moved.append(r)
        elif r.member.status not in Member.CURRENT_STATUSES or r.member.unit_id != r.unit_id:
            dropped.append(r.pk)
    MemberReview.objects.bulk_update(moved, ["unit", "grassroots"])
    MemberReview.objects.filter(pk__in=dropped).delete()
    return len(moved), len(dropped)


@transaction.atomic
def sync_period(*, period, actor):
    """Bring an open review up to date with the registry: reviews follow members who moved, new members and
    new cells get theirs."""
    if not access.can_open_at(actor, period.unit):
        raise ValidationError(_("Only the committee that opened the review updates its lists."))
    moved, dropped = follow_members(period)
    added = populate(period)
    record(
        actor=actor,
        action="review.sync",
        obj=period,
        unit=period.unit,
        changes={"moved": [None, moved], "dropped": [None, dropped], "added": [None, added]},
    )
    return moved, dropped, added


# ---- template -------------------------------------------------------------------------------------------
def _template_open(period):
    if MemberReview.objects.filter(period=period, self_submitted_at__isnull=False).exists():
        raise ValidationError(_("Self-assessments have been submitted: the scoring template can no longer change."))


def template_errors(period, group, t=None):
    t = t or _rules(period.unit, period.ends_on)
    sums = {Criterion.Section.COMMON: Decimal(0), Criterion.Section.RESULTS: Decimal(0)}
    for c in period.criteria.filter(group=group):
        sums[c.section] += c.max_points
    errors = []
    for section, expected in ((Criterion.Section.COMMON, t.common_max), (Criterion.Section.RESULTS, t.results_max)):
        if sums[section] != expected:
            errors.append(
                _("%(section)s of the group “%(group)s” add up to %(sum)s points; the rule requires %(max)s.")
                % {
                    "section": Criterion.Section(section).label,
                    "group": Group(group).label,
                    "sum": _plain(sums[section]),
                    "max": _plain(expected),
                }
            )
    return errors


def _plain(d):
    return f"{Decimal(d).normalize():f}".replace(".", ",")


@transaction.atomic
def save_criterion(*, period, actor, criterion=None, group=None, section=None, title, max_points):
    if not access.can_open_at(actor, period.unit):
        raise ValidationError(_("Only the committee that opened the review edits its scoring template."))
    _template_open(period)
    if max_points is None or max_points <= 0:
        raise ValidationError(_("Give the maximum points of the criterion."))
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Give the criterion."))
    if criterion is None:
        criterion = Criterion(period=period, group=group, section=section, order=period.criteria.count())
    criterion.title = title
    criterion.max_points = max_points
    criterion.full_clean()
    criterion.save()
    record(actor=actor, action="review.criterion", obj=period, unit=period.unit, changes={"criterion": [None, title]})
    return criterion


@transaction.atomic
def delete_criterion(*, criterion, actor):
    period = criterion.period
    if not access.can_open_at(actor, period.unit):
        raise ValidationError(_("Only the committee that opened the review edits its scoring template."))
    _template_open(period)
    record(
        actor=actor,
        action="review.criterion",
        obj=period,
        unit=period.unit,
        changes={"criterion": [criterion.title, None]},
    )
    criterion.delete()


# ---- member steps ---------------------------------------------------------------------------------------
def _lock_cell(review):
    return UnitReview.objects.select_for_update().get(period_id=review.period_id, unit_id=review.unit_id)


def _require_state(ur, *states):
    if ur.state == S.ANNOUNCED:
        raise ValidationError(
            _("The results were announced on %(day)s; they can no longer be changed.")
            % {"day": ur.announced_on.strftime("%d/%m/%Y") if ur.announced_on else "—"}
        )
    if ur.state not in states:
        raise ValidationError(
            _("The review of %(unit)s is at the step “%(step)s”; this is no longer possible.")
            % {"unit": ur.unit.name, "step": ur.get_state_display()}
        )


def _decimal(value, message):
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        raise ValidationError(message)


@transaction.atomic
def submit_self_assessment(*, review, scores, comment, actor):
    """The member's own points per criterion (or the secretary recording the paper form)."""
    review = (
        MemberReview.objects.select_for_update(of=("self",))
        .select_related("period__unit", "member", "unit")
        .get(pk=review.pk)
    )
    own = access.is_own(actor, review)
    if not own and not access.can_write_cell(actor, review.unit):
        raise ValidationError(_("Only the member or the cell records this self-assessment."))
    ur = _lock_cell(review)
    _require_state(ur, S.OPEN)
    if review.level == Level.NOT_CLASSIFIED:
        raise ValidationError(review.level_reasons or _("This member is not classified."))
    if review.appraised_at:
        raise ValidationError(_("The cell has already appraised this self-assessment."))
    errors = template_errors(review.period, review.group)
    if errors:
        raise ValidationError(errors)
    criteria = list(review.period.criteria.filter(group=review.group))
    clean, total = {}, Decimal(0)
    for c in criteria:
        value = _decimal(scores.get(c.pk), _("Points must be a number."))
        if value is None:
            raise ValidationError(_("Give the points of every criterion (“%(c)s” is empty).") % {"c": c.title})
        if value < 0 or value > c.max_points:
            raise ValidationError(_("“%(c)s”: from 0 to %(max)s points.") % {"c": c.title, "max": _plain(c.max_points)})
        clean[str(c.pk)] = str(value)
        total += value
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(_("Write the self-assessment: strengths, shortcomings and how you will fix them."))
    before = review.self_score
    review.self_scores = clean
    review.self_score = total
    review.self_comment = comment
    review.self_submitted_at = timezone.now()
    review.self_recorded_by = _actor(actor)
    review.save(update_fields=["self_scores", "self_score", "self_comment", "self_submitted_at", "self_recorded_by"])
    record(
        actor=actor, action="review.self_assess", obj=review, unit=review.unit, changes={"self_score": [before, total]}
    )
    return review


def disciplined_in(period, member_ids):
    """{member_id: [DISCIPLINED events dated in the period]}."""
    out = {}
    events = MemberEvent.objects.filter(
        member_id__in=member_ids, kind=MemberEvent.Kind.DISCIPLINED, date__range=(period.starts_on, period.ends_on)
    ).order_by("date", "pk")
    for ev in events:
        out.setdefault(ev.member_id, []).append(ev)
    return out


def _level_of(review, t, disciplined, status):
    return classify(
        score=review.score,
        t=t,
        status=status,
        disciplined=disciplined,
        disqualifier=review.disqualifier,
        disqualifier_note=review.disqualifier_note,
        late=review.late_percent,
        exceeding=review.exceeding_percent,
        targets=review.targets_percent,
    )


@transaction.atomic
def appraise(
    *, review, score, actor, late=None, exceeding=None, targets=None, disqualifier="", disqualifier_note="", note=""
):
    """The cell's appraisal: the points it gives, the gates, and the level that follows."""
    review = (
        MemberReview.objects.select_for_update()
        .select_related("period__unit", "member", "unit", "grassroots")
        .get(pk=review.pk)
    )
    if not access.can_write_cell(actor, review.unit):
        raise ValidationError(_("Only the cell appraises its members."))
    reason = own_case_refusal(actor, subjects=[review.member])
    if reason:
        raise ValidationError(reason)
    ur = _lock_cell(review)
    _require_state(ur, S.OPEN)
    if review.level == Level.NOT_CLASSIFIED and review.member.status in (
        Member.Status.EXEMPTED,
        Member.Status.SUSPENDED,
    ):
        raise ValidationError(review.level_reasons)
    if review.self_submitted_at is None:
        raise ValidationError(
            _("The member's self-assessment comes first (record the paper form if there is no login).")
        )
    score = _decimal(score, _("Points must be a number."))
    if score is None or score < 0 or score > 100:
        raise ValidationError(_("The points are from 0 to 100."))
    for value in (late, exceeding, targets):
        if value is not None and not (0 <= value <= 100):
            raise ValidationError(_("Percentages are from 0 to 100."))
    if disqualifier and not (disqualifier_note or "").strip():
        raise ValidationError(_("Give the reason of the disqualifying case (conclusion, decision …)."))
    t = _rules(review.grassroots, review.period.ends_on)
    review.score = score
    review.late_percent = late
    review.exceeding_percent = exceeding
    review.targets_percent = targets
    review.disqualifier = disqualifier or ""
    review.disqualifier_note = (disqualifier_note or "").strip() if disqualifier else ""
    review.appraisal_note = (note or "").strip()
    events = disciplined_in(review.period, [review.member_id]).get(review.member_id, [])
    before = review.level
    level, reasons = _level_of(review, t, events, review.member.status)
    review.level = level
    review.level_reasons = "\n".join(reasons)
    review.appraised_at = timezone.now()
    review.appraised_by = _actor(actor)
    review.save()
    record(actor=actor, action="review.appraise", obj=review, unit=review.unit, changes={"level": [before, level]})
    return review


@transaction.atomic
def record_vote(*, unit_review, voted_on, resolution_no, present, actor):
    """The cell meeting votes the levels of its members: every classifiable member must be appraised."""
    ur = (
        UnitReview.objects.select_for_update(of=("self",))
        .select_related("period", "unit", "grassroots")
        .get(pk=unit_review.pk)
    )
    if ur.unit.kind not in OrgUnit.CELL_KINDS:
        raise ValidationError(_("Only a party cell votes on its members' levels."))
    if not access.can_write_cell(actor, ur.unit):
        raise ValidationError(_("Only the cell records its vote."))
    _require_state(ur, S.OPEN)
    follow_members(ur.period, unit=ur.unit)
    reviews = MemberReview.objects.filter(period=ur.period, unit=ur.unit)
    missing = reviews.exclude(level=Level.NOT_CLASSIFIED).filter(appraised_at__isnull=True).count()
    if missing:
        raise ValidationError(
            _("%(n)s member(s) have not been appraised yet: appraise everyone before the vote.") % {"n": missing}
        )
    if not (resolution_no or "").strip():
        raise ValidationError(_("Give the number of the cell's resolution."))
    if voted_on < ur.period.starts_on:
        raise ValidationError(_("The cell meeting is before the period starts."))
    if voted_on > timezone.localdate():
        raise ValidationError(_("The cell meeting cannot be in the future."))
    ur.voted_on = voted_on
    ur.resolution_no = resolution_no.strip()
    ur.present = present
    ur.state = S.PROPOSED
    ur.save(update_fields=["voted_on", "resolution_no", "present", "state"])
    record(actor=actor, action="review.vote", obj=ur, unit=ur.unit, changes={"state": [S.OPEN, S.PROPOSED]})
    return ur


@transaction.atomic
def return_to_cell(*, unit_review, reason, actor):
    """The competent level sends a voted cell back to appraisal (over the quota, an appraisal to review);
    the cell then appraises and votes again."""
    ur = (
        UnitReview.objects.select_for_update(of=("self",))
        .select_related("period", "unit", "grassroots")
        .get(pk=unit_review.pk)
    )
    if not access.can_decide_for(actor, ur.grassroots):
        raise ValidationError(_("Only the competent level sends a cell's proposal back."))
    _require_state(ur, S.PROPOSED)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the proposal goes back to the cell."))
    ur.state = S.OPEN
    ur.save(update_fields=["state"])
    record(
        actor=actor, action="review.return", obj=ur, unit=ur.unit, changes={"state": [S.PROPOSED, S.OPEN]}, note=reason
    )
    from dangbo.accounts.models import RoleAssignment

    notify(
        users=[ra.user for ra in RoleAssignment.objects.filter(unit=ur.unit).select_related("user")],
        title=_("%(period)s: the proposal of %(unit)s was sent back") % {"period": ur.period, "unit": ur.unit.name},
        body=reason,
        url=reverse("review:unit", args=[ur.pk]),
        kind="review.returned",
    )
    return ur


def level_counts(reviews):
    counts = dict(reviews.values_list("level").annotate(n=Count("pk")).order_by())
    return {lv: counts.get(lv, 0) for lv in Level.values}


def quota_status(grassroots_review):
    """(counts, max excellent allowed, exceeded?) over the grassroots organization's members."""
    ur = grassroots_review
    t = _rules(ur.unit, ur.period.ends_on)
    counts = level_counts(MemberReview.objects.filter(period=ur.period, grassroots=ur.unit))
    return counts, quota_max(counts[Level.GOOD], t), quota_exceeded(counts[Level.EXCELLENT], counts[Level.GOOD], t), t


@transaction.atomic
def decide(*, unit_review, decided_on, decision_no, actor, accept_quota_warning=False):
    """The competent level decides the levels of a whole grassroots organization. Levels are recomputed from
    the appraisal and the discipline events as they stand now; then the quota is checked (block or warn,
    by the rule)."""
    ur = UnitReview.objects.select_for_update(of=("self",)).select_related("period", "unit").get(pk=unit_review.pk)
    if ur.unit.kind not in OrgUnit.GRASSROOTS_KINDS:
        raise ValidationError(_("The decision is taken for a whole grassroots organization."))
    if not access.can_decide_for(actor, ur.unit):
        raise ValidationError(_("Only the competent level decides the classification."))
    cells = list(
        UnitReview.objects.select_for_update(of=("self",))
        .filter(period=ur.period, grassroots=ur.unit)
        .select_related("unit")
    )
    _require_state(ur, S.OPEN, S.PROPOSED)
    not_voted = [c.unit.name for c in cells if c.unit.kind in OrgUnit.CELL_KINDS and c.state != S.PROPOSED]
    if not_voted:
        raise ValidationError(
            _("These cells have not voted yet: %(cells)s.") % {"cells": ", ".join(sorted(not_voted)[:10])}
        )
    if not (decision_no or "").strip():
        raise ValidationError(_("Give the decision number."))
    if decided_on > timezone.localdate():
        raise ValidationError(_("The decision cannot be dated in the future."))
    late_vote = max((c.voted_on for c in cells if c.voted_on), default=None)
    if late_vote and decided_on < late_vote:
        raise ValidationError(_("The decision is dated before the cell's vote."))
    t = _rules(ur.unit, ur.period.ends_on)
    reviews = list(
        MemberReview.objects.select_for_update(of=("self",))
        .filter(period=ur.period, grassroots=ur.unit)
        .select_related("member")
    )
    events = disciplined_in(ur.period, [r.member_id for r in reviews])
    changed = []
    for r in reviews:
        if r.level == Level.NOT_CLASSIFIED and not r.appraised_at:
            continue
        level, reasons = _level_of(r, t, events.get(r.member_id, []), r.member.status)
        if level != r.level or "\n".join(reasons) != r.level_reasons:
            r.level, r.level_reasons = level, "\n".join(reasons)
            changed.append(r)
    MemberReview.objects.bulk_update(changed, ["level", "level_reasons"])
    counts = level_counts(MemberReview.objects.filter(period=ur.period, grassroots=ur.unit))
    warning = ""
    if quota_exceeded(counts[Level.EXCELLENT], counts[Level.GOOD], t):
        message = _(
            "%(exc)s members rated excellent exceed %(pct)s%% of the %(good)s rated good (at most %(max)s)."
        ) % {
            "exc": counts[Level.EXCELLENT],
            "pct": _plain(t.quota_percent),
            "good": counts[Level.GOOD],
            "max": quota_max(counts[Level.GOOD], t),
        }
        if t.quota_mode != "warn":
            raise ValidationError(message + " " + _("Lower the appraisals of the cells before deciding."))
        if not accept_quota_warning:
            raise ValidationError(message + " " + _("Tick the confirmation to decide anyway; the warning is recorded."))
        warning = message
    for c in cells:
        c.state = S.DECIDED
        c.decided_on = decided_on
        c.decision_no = decision_no.strip()
        c.decided_by = _actor(actor)
        c.rule_values = t.as_json()
        c.quota_warning = warning if c.pk == ur.pk else ""
    UnitReview.objects.bulk_update(
        cells, ["state", "decided_on", "decision_no", "decided_by", "rule_values", "quota_warning"]
    )
    record(
        actor=actor,
        action="review.decide",
        obj=ur,
        unit=ur.unit,
        changes={"state": [ur.state, S.DECIDED], "excellent": [None, counts[Level.EXCELLENT]]},
        note=warning,
    )
    return warning


@transaction.atomic
def classify_organization(*, unit_review, score, clean_strong, actor):
    """The level above classifies an organization (a cell by its grassroots committee, a grassroots
    organization by the bloc) before the grassroots organization's results are announced."""
    ur = (
        UnitReview.objects.select_for_update(of=("self",))
        .select_related("period", "unit", "grassroots")
        .get(pk=unit_review.pk)
    )
    reason = access.classifies_unit(actor, ur.unit) and own_case_refusal(actor, orgs=[ur.unit])
    if reason:
        raise ValidationError(reason)
    if not access.can_classify_unit(actor, ur.unit):
        raise ValidationError(_("The level above classifies this organization."))
    g = UnitReview.objects.get(period=ur.period, unit=ur.grassroots)
    _require_state(g, S.OPEN, S.PROPOSED, S.DECIDED)
    score = _decimal(score, _("Points must be a number."))
    if score is None or not 0 <= score <= 100:
        raise ValidationError(_("The points are from 0 to 100."))
    t = _rules(ur.grassroots, ur.period.ends_on)
    leaders = MemberReview.objects.filter(period=ur.period, unit__path__startswith=ur.unit.path, group=Group.LEADER)
    leader_disciplined = MemberEvent.objects.filter(
        member_id__in=leaders.values("member_id"),
        kind=MemberEvent.Kind.DISCIPLINED,
        date__range=(ur.period.starts_on, ur.period.ends_on),
    ).exists()
    level, reasons = classify_unit(score=score, t=t, leader_disciplined=leader_disciplined)
    if clean_strong and level not in (Level.EXCELLENT, Level.GOOD):
        raise ValidationError(_("Only an organization rated good or excellent is counted as clean and strong."))
    before = ur.level
    ur.score, ur.level, ur.level_reasons, ur.clean_strong = score, level, "\n".join(reasons), bool(clean_strong)
    ur.save(update_fields=["score", "level", "level_reasons", "clean_strong"])
    record(actor=actor, action="review.classify_unit", obj=ur, unit=ur.unit, changes={"level": [before, level]})
    return ur


@transaction.atomic
def announce(*, unit_review, announced_on, actor):
    """Announce the decided results of a grassroots organization to its members; everything is then locked."""
    ur = UnitReview.objects.select_for_update(of=("self",)).select_related("period", "unit").get(pk=unit_review.pk)
    if ur.unit.kind not in OrgUnit.GRASSROOTS_KINDS or not access.can_decide_for(actor, ur.unit):
        raise ValidationError(_("Only the competent level announces the results."))
    _require_state(ur, S.DECIDED)
    if announced_on < ur.decided_on:
        raise ValidationError(_("The announcement cannot precede the decision."))
    if announced_on > timezone.localdate():
        raise ValidationError(_("The announcement cannot be dated in the future."))
    UnitReview.objects.filter(period=ur.period, grassroots=ur.unit).update(state=S.ANNOUNCED, announced_on=announced_on)
    record(actor=actor, action="review.announce", obj=ur, unit=ur.unit, changes={"state": [S.DECIDED, S.ANNOUNCED]})
    reviews = MemberReview.objects.filter(
        period=ur.period, grassroots=ur.unit, member__user__isnull=False
    ).select_related("member__user")
    for r in reviews:
        notify(
            users=[r.member.user],
            title=_("%(period)s: results announced") % {"period": ur.period},
            body=_("Your level: %(level)s.") % {"level": r.get_level_display()},
            url=reverse("review:member", args=[r.pk]),
            kind="review.announced",
        )
    return ur


# ---- two consecutive years ------------------------------------------------------------------------------
def _announced():
    return Exists(UnitReview.objects.filter(period=OuterRef("period"), unit=OuterRef("unit"), state=S.ANNOUNCED))


def failed_years(member_id, year):
    """Consecutive announced yearly reviews rated "not complete", counting back from ``year``."""
    rows = dict(
        MemberReview.objects.filter(member_id=member_id, period__kind=ReviewPeriod.Kind.YEAR, period__year__lte=year)
        .filter(_announced())
        .values_list("period__year", "level")
    )
    n = 0
    while rows.get(year - n) == Level.NOT_COMPLETE:
        n += 1
    return n


def flagged_reviews(period, reviews):
    """{review id: consecutive years} of the "not complete" reviews of ``reviews`` (a yearly period) that reach
    the years of the removal rule; in two queries."""
    if period.kind != ReviewPeriod.Kind.YEAR:
        return {}
    failing = {r.member_id: r.pk for r in reviews if r.level == Level.NOT_COMPLETE}
    if not failing:
        return {}
    need = _rules(period.unit, period.ends_on).failed_years
    history = {}
    rows = (
        MemberReview.objects.filter(
            member_id__in=failing, period__kind=ReviewPeriod.Kind.YEAR, period__year__lte=period.year
        )
        .filter(_announced() | Q(period=period))
        .values_list("member_id", "period__year", "level")
    )
    for member_id, year, level in rows:
        history.setdefault(member_id, {})[year] = level
    out = {}
    for member_id, pk in failing.items():
        n = 0
        while history[member_id].get(period.year - n) == Level.NOT_COMPLETE:
            n += 1
        if n >= need:
            out[pk] = n
    return out


@transaction.atomic
def propose_removal_after_review(*, review, actor, raised_on=None):
    """Hand the member over to a removal proposal (lifecycle) after consecutive years of "not complete"."""
    from dangbo.lifecycle.models import RemovalProposal
    from dangbo.lifecycle.services import propose_removal

    review = MemberReview.objects.select_related("period", "member", "unit").get(pk=review.pk)
    ur = UnitReview.objects.get(period=review.period, unit=review.unit)
    if ur.state != S.ANNOUNCED:
        raise ValidationError(_("Propose a removal once the results are announced."))
    years = flagged_reviews(review.period, [review]).get(review.pk)
    if not years:
        raise ValidationError(_("This member has not reached the consecutive years of “not complete” of the rule."))
    first = review.period.year - years + 1
    evidence = _(
        "Rated “tasks not completed” %(n)s years in a row (%(first)s–%(last)s); %(period)s announced on %(day)s."
    ) % {
        "n": years,
        "first": first,
        "last": review.period.year,
        "period": review.period,
        "day": ur.announced_on.strftime("%d/%m/%Y"),
    }
    return propose_removal(
        member=review.member,
        ground=RemovalProposal.Ground.FAILED_REVIEW,
        evidence=evidence,
        raised_on=raised_on or timezone.localdate(),
        count=years,
        actor=actor,
    )
