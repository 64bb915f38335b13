"""Every change to a cell meeting: planning, notice, documents, excuses, attendance, times, minutes,
locking, amendments, publication, quality sheets. Each is one transaction with an audit row; what the
rules forbid raises a Vietnamese ``ValidationError`` and changes nothing."""

import calendar
import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.core.audit import record
from dangbo.core.notify import notify
from dangbo.meetings import rules
from dangbo.meetings.models import (
    Amendment,
    Attendance,
    CellSupervisor,
    Meeting,
    MeetingDocument,
    QualitySheet,
    QualityTemplate,
    Speech,
    Venue,
)
from dangbo.members.models import Member

K = Meeting.Kind
S = Meeting.State
A = Attendance.Status
MS = Member.Status
SIZE_STATUSES = (MS.OFFICIAL, MS.PROBATIONARY)
# A venue booking blocks the hall for this long around its start time.
VENUE_BLOCK_MINUTES = 180

# The example score sheet of DOMAIN.md §5 (Đảng ủy phường An Phú under HD 42), used until a committee
# configures its own.
DEFAULT_CRITERIA = [
    {"code": "duration", "label": "Thời gian sinh hoạt", "max": 5},
    {"code": "attendance", "label": "Tỷ lệ đảng viên dự họp", "max": 5},
    {"code": "preparation", "label": "Công tác chuẩn bị", "max": 10},
    {"code": "conduct", "label": "Nội dung, cách thức tiến hành", "max": 30},
    {"code": "chairing", "label": "Điều hành của chủ trì", "max": 10},
    {"code": "democracy", "label": "Phát huy dân chủ", "max": 5},
    {"code": "results", "label": "Kết quả thực hiện nghị quyết kỳ trước", "max": 30},
    {"code": "closing", "label": "Kết thúc sinh hoạt", "max": 5},
]
DEFAULT_THRESHOLDS = [[90, "good"], [70, "fair"], [50, "average"]]


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _d(day):
    return day.strftime("%d/%m/%Y")


def _lock(meeting):
    return Meeting.objects.select_for_update(of=("self",)).select_related("unit").get(pk=meeting.pk)


def _require_open(meeting):
    if meeting.state == S.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."))


def _require_unlocked(meeting):
    if meeting.locked:
        raise ValidationError(_("The minutes are locked: record a correction as an amendment."))


# ---- calendar -------------------------------------------------------------------------------------
def venue_clashes(*, venue, day, time, exclude=None):
    """Other meetings booked at ``venue`` on ``day`` within the hall's blocking window."""
    if venue is None:
        return []
    qs = Meeting.objects.filter(venue=venue, planned_date=day).exclude(state=S.CANCELLED).select_related("unit")
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    start = time.hour * 60 + time.minute
    return [m for m in qs if abs(m.planned_time.hour * 60 + m.planned_time.minute - start) < VENUE_BLOCK_MINUTES]


def _check_details(*, unit, kind, mode, planned_date, planned_time, place, venue, video_link, topic, exclude=None):
    errors = {}
    if not unit.is_cell:
        raise ValidationError(_("Only a party cell holds cell meetings."))
    if mode in (Meeting.Mode.ONLINE, Meeting.Mode.HYBRID) and not video_link:
        errors["video_link"] = _("An online or hybrid meeting needs its video link.")
    if mode in (Meeting.Mode.IN_PERSON, Meeting.Mode.HYBRID) and not (place or venue):
        errors["place"] = _("Give the place of the meeting or book a shared venue.")
    if kind in (K.THEMATIC, K.COMBINED) and not topic:
        errors["topic"] = _("A thematic meeting needs its topic.")
    if errors:
        raise ValidationError(errors)
    clashes = venue_clashes(venue=venue, day=planned_date, time=planned_time, exclude=exclude)
    if clashes:
        m = clashes[0]
        raise ValidationError(
            {
                "venue": _("%(venue)s is booked by %(unit)s at %(time)s on %(day)s.")
                % {
                    "venue": venue.name,
                    "unit": m.unit.name,
                    "time": m.planned_time.strftime("%H:%M"),
                    "day": _d(m.planned_date),
                }
            }
        )


DETAIL_FIELDS = (
    "kind",
    "mode",
    "planned_date",
    "planned_time",
    "place",
    "venue",
    "video_link",
    "chair",
    "recorder",
    "agenda",
    "topic",
)


@transaction.atomic
def create_meeting(
    *,
    unit,
    kind,
    planned_date,
    planned_time=datetime.time(14, 0),
    mode=Meeting.Mode.IN_PERSON,
    place="",
    venue=None,
    video_link="",
    chair=None,
    recorder=None,
    agenda="",
    topic="",
    actor,
    from_plan=False,
):
    _check_details(
        unit=unit,
        kind=kind,
        mode=mode,
        planned_date=planned_date,
        planned_time=planned_time,
        place=place,
        venue=venue,
        video_link=video_link,
        topic=topic,
    )
    meeting = Meeting(
        unit=unit,
        kind=kind,
        mode=mode,
        planned_date=planned_date,
        planned_time=planned_time,
        place=place,
        venue=venue,
        video_link=video_link,
        chair=chair,
        recorder=recorder,
        agenda=agenda,
        topic=topic,
        from_plan=from_plan,
        created_by=_actor(actor),
    )
    meeting.full_clean()
    meeting.save()
    record(
        actor=actor,
        action="meetings.create",
        obj=meeting,
        unit=unit,
        changes={"planned_date": [None, str(planned_date)], "kind": [None, kind]},
    )
    return meeting


@transaction.atomic
def update_meeting(*, meeting, actor, **fields):
    meeting = _lock(meeting)
    _require_open(meeting)
    if meeting.state == S.HELD:
        raise ValidationError(_("The meeting has been held: its plan can no longer change."))
    values = {f: fields.get(f, getattr(meeting, f)) for f in DETAIL_FIELDS}
    _check_details(
        unit=meeting.unit,
        exclude=meeting,
        **{
            k: values[k]
            for k in ("kind", "mode", "planned_date", "planned_time", "place", "venue", "video_link", "topic")
        },
    )
    changes = {}
    for f, v in values.items():
        old = getattr(meeting, f)
        if old != v:
            changes[f] = [str(old), str(v)]
            setattr(meeting, f, v)
    meeting.full_clean()
    meeting.save()
    record(actor=actor, action="meetings.update", obj=meeting, unit=meeting.unit, changes=changes)
    if changes and meeting.state == S.NOTICED:
        _notify_roll(
            meeting,
            _("Meeting changed: %(unit)s, %(day)s") % {"unit": meeting.unit.name, "day": _d(meeting.planned_date)},
        )
    return meeting


@transaction.atomic
def cancel_meeting(*, meeting, reason, actor):
    meeting = _lock(meeting)
    if meeting.state in (S.HELD, S.CANCELLED):
        raise ValidationError(_("Only a meeting not yet held can be cancelled."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for cancelling.")})
    old = meeting.state
    meeting.state = S.CANCELLED
    meeting.cancel_reason = reason.strip()[:255]
    meeting.save(update_fields=["state", "cancel_reason"])
    record(actor=actor, action="meetings.cancel", obj=meeting, unit=meeting.unit, changes={"state": [old, S.CANCELLED]})
    if old == S.NOTICED:
        _notify_roll(
            meeting,
            _("Meeting cancelled: %(unit)s, %(day)s") % {"unit": meeting.unit.name, "day": _d(meeting.planned_date)},
        )
    return meeting


def plan_dates(year, day, thematic_count, combine):
    """[(kind, date)] of a year's plan: a regular meeting each month on ``day`` (weekends moved to the
    Friday before), and ``thematic_count`` thematic slots spread over the quarters (in the last month of
    each period), either in the regular meeting (combined) or a week later."""
    slots = {round(12 * (i + 1) / thematic_count) for i in range(thematic_count)} if thematic_count else set()
    out = []
    for month in range(1, 13):
        last = calendar.monthrange(year, month)[1]
        d = datetime.date(year, month, min(day, last))
        while d.weekday() >= 5:
            d -= datetime.timedelta(days=1)
        if month in slots and combine:
            out.append((K.COMBINED, d))
            continue
        out.append((K.REGULAR, d))
        if month in slots:
            t = d + datetime.timedelta(days=7)
            if t.month != month:
                t = d - datetime.timedelta(days=7)
            out.append((K.THEMATIC, t))
    return out


@transaction.atomic
def plan_year(*, unit, year, day, time, combine_thematic, place="", actor):
    """Generate a year's calendar for a cell; months that already have a meeting of that role are skipped."""
    if not 1 <= day <= 31:
        raise ValidationError({"day": _("Choose a day between 1 and 31.")})
    if not place:
        raise ValidationError({"place": _("Give the usual place of the meetings.")})
    thematic_count = int(rules.value("meeting.thematic_per_year", datetime.date(year, 1, 1), unit))
    existing = defaultdict(set)
    for kind, d in (
        Meeting.objects.filter(unit=unit, planned_date__year=year)
        .exclude(state=S.CANCELLED)
        .values_list("kind", "planned_date")
    ):
        if kind in Meeting.REGULAR_KINDS:
            existing["regular"].add(d.month)
        if kind in Meeting.THEMATIC_KINDS:
            existing["thematic"].add(d.month)
    created = []
    for kind, d in plan_dates(year, day, thematic_count, combine_thematic):
        roles = {K.REGULAR: ["regular"], K.THEMATIC: ["thematic"], K.COMBINED: ["regular", "thematic"]}[kind]
        if any(d.month in existing[r] for r in roles):
            continue
        topic = _("Thematic topic to be decided") if kind != K.REGULAR else ""
        m = Meeting(
            unit=unit,
            kind=kind,
            planned_date=d,
            planned_time=time,
            place=place,
            topic=topic,
            from_plan=True,
            created_by=_actor(actor),
        )
        created.append(m)
    if not created:
        raise ValidationError(_("Every month of %(year)s already has its meetings.") % {"year": year})
    Meeting.objects.bulk_create(created)
    record(
        actor=actor,
        action="meetings.plan_year",
        obj=unit,
        unit=unit,
        changes={"year": [None, year], "meetings": [None, len(created)]},
    )
    return created


# ---- notice, documents, excuses ---------------------------------------------------------------------
def _roll_members(meeting):
    """The members on the cell's books on the meeting's day, each with their status of that day.

    A meeting recorded after the fact is judged with the cell as it was then (issue on history §4):
    members admitted or transferred in later are not on its roll, members who left since are. The
    day's books come from the members' recorded history (MemberInterval); a member of the cell of
    whom nothing is recorded counts with today's status."""
    from dangbo.members.intervals import intervals_on
    from dangbo.members.models import MemberInterval

    day = meeting.held_on or meeting.planned_date
    if day is None or day >= timezone.localdate():
        members = Member.objects.filter(unit=meeting.unit, status__in=Member.CURRENT_STATUSES).select_related("user")
        return [(m, m.status) for m in members]
    then = dict(
        intervals_on(day)
        .filter(unit=meeting.unit, status__in=Member.CURRENT_STATUSES)
        .values_list("member_id", "status")
    )
    unrecorded = Member.objects.filter(unit=meeting.unit, status__in=Member.CURRENT_STATUSES).exclude(
        pk__in=MemberInterval.objects.values("member_id")
    )
    members = Member.objects.filter(pk__in=then).select_related("user")
    return [(m, then[m.pk]) for m in members] + [(m, m.status) for m in unrecorded.select_related("user")]


def build_roll(meeting):
    """Create the attendance rows of the members on the cell's books (idempotent: existing rows stay)."""
    have = set(meeting.attendance.values_list("member_id", flat=True))
    rows = []
    for m, status_then in _roll_members(meeting):
        if m.pk in have:
            continue
        status = A.EXPECTED
        if status_then == MS.EXEMPTED:
            status = A.EXEMPT
        elif m.temporary_unit_id and m.temporary_unit_id != meeting.unit_id:
            status = A.AWAY
        rows.append(Attendance(meeting=meeting, member=m, member_status=status_then, status=status))
    Attendance.objects.bulk_create(rows)
    return rows


def supervisor_of(unit):
    sup = CellSupervisor.objects.filter(unit=unit).select_related("user").first()
    return sup.user if sup else None


def _notify_roll(meeting, title, body=""):
    users = [a.member.user for a in meeting.attendance.select_related("member__user") if a.member.user_id]
    users.append(supervisor_of(meeting.unit))
    notify(users=users, title=title, body=body, url=reverse("meetings:detail", args=[meeting.pk]), kind="meetings")


@transaction.atomic
def send_notice(*, meeting, actor):
    meeting = _lock(meeting)
    _require_open(meeting)
    if meeting.state != S.PLANNED:
        raise ValidationError(_("The notice has already been sent."))
    if meeting.planned_date < timezone.localdate():
        raise ValidationError(_("The planned date has passed: change it before sending the notice."))
    build_roll(meeting)
    meeting.state = S.NOTICED
    meeting.noticed_at = timezone.now()
    meeting.save(update_fields=["state", "noticed_at"])
    where = meeting.venue.name if meeting.venue_id else meeting.place or meeting.video_link
    _notify_roll(
        meeting,
        _("Cell meeting on %(day)s at %(time)s")
        % {"day": _d(meeting.planned_date), "time": meeting.planned_time.strftime("%H:%M")},
        body=f"{meeting.unit.name}. {where}. {meeting.agenda}"[:1000],
    )
    record(
        actor=actor, action="meetings.notice", obj=meeting, unit=meeting.unit, changes={"state": [S.PLANNED, S.NOTICED]}
    )
    return meeting


def documents_due(meeting):
    days = rules.optional("meeting.documents_before_days", meeting.planned_date, meeting.unit)
    return None if days is None else meeting.planned_date - datetime.timedelta(days=int(days))


@transaction.atomic
def add_document(*, meeting, title, file, actor):
    meeting = _lock(meeting)
    _require_open(meeting)
    _require_unlocked(meeting)
    if not title.strip():
        raise ValidationError({"title": _("Give the document a title.")})
    now = timezone.now()
    due = documents_due(meeting)
    doc = MeetingDocument.objects.create(
        meeting=meeting,
        title=title.strip(),
        file=file,
        posted_at=now,
        late=due is not None and timezone.localdate(now) > due,
        posted_by=_actor(actor),
    )
    record(
        actor=actor,
        action="meetings.add_document",
        obj=meeting,
        unit=meeting.unit,
        changes={"document": [None, doc.title]},
    )
    return doc


@transaction.atomic
def send_excuse(*, meeting, member, reason, actor):
    meeting = _lock(meeting)
    _require_open(meeting)
    if meeting.state == S.HELD:
        raise ValidationError(_("The meeting has already been held."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason you cannot attend.")})
    build_roll(meeting)
    try:
        row = meeting.attendance.get(member=member)
    except Attendance.DoesNotExist:
        raise ValidationError(_("You are not on this meeting's roll."))
    row.status = A.EXCUSED
    row.excuse = reason.strip()[:255]
    row.excuse_sent_at = timezone.now()
    row.save(update_fields=["status", "excuse", "excuse_sent_at"])
    record(actor=actor, action="meetings.excuse", obj=meeting, unit=meeting.unit, changes={"member": [None, member.pk]})
    secretary_users = list(_cell_secretaries(meeting.unit))
    notify(
        users=secretary_users,
        title=_("%(name)s sent an excuse for the meeting on %(day)s")
        % {"name": member.full_name, "day": _d(meeting.planned_date)},
        body=row.excuse,
        url=reverse("meetings:attendance", args=[meeting.pk]),
        kind="meetings",
    )
    return row


def _cell_secretaries(unit):
    from dangbo.accounts.models import Role, User

    return User.objects.filter(roles__unit=unit, roles__role=Role.CELL_SECRETARY)


# ---- attendance and times ---------------------------------------------------------------------------
def _recount(meeting):
    rows = list(meeting.attendance.values_list("status", "member_status"))
    present = sum(1 for s, _m in rows if s == A.PRESENT)
    meeting.present_count = present
    meeting.denominator = denominator(rows)
    meeting.cell_size = sum(1 for _s, ms in rows if ms in SIZE_STATUSES)


def denominator(rows):
    """The legal denominator (DOMAIN.md §3, Quy định 24-QĐ/TW 9.3.2): the roll less members temporarily
    away, exempted members who are absent, and suspended members — present or not: a suspended member
    takes no part in the cell's decisions. ``rows``: (attendance status, member status)."""
    n = 0
    for status, member_status in rows:
        if status in (A.AWAY, A.EXEMPT):
            continue
        if member_status == MS.SUSPENDED:
            continue
        n += 1
    return n


def voters(rows):
    """Members who vote on the cell's resolution: official members present (probationary members
    attend and speak but do not vote, Điều lệ Điều 5; suspended members do not vote either)."""
    return sum(1 for status, member_status in rows if status == A.PRESENT and member_status == MS.OFFICIAL)


def voting_body(rows):
    """The cell as the body that adopts a resolution: its official members, less those away or
    exempted and absent (Điều lệ 9.5: more than half of the body's members)."""
    return sum(1 for status, member_status in rows if member_status == MS.OFFICIAL and status not in (A.AWAY, A.EXEMPT))


def resolution_outcome(meeting):
    """(passed, votes for, body) for the meeting's recorded vote by ``meeting.resolution_majority`` on
    its day, or None when no vote was recorded."""
    if meeting.votes_for is None:
        return None
    rows = list(meeting.attendance.values_list("status", "member_status"))
    body = voting_body(rows)
    num, den = rules.value("meeting.resolution_majority", meeting.held_on or meeting.planned_date, meeting.unit)
    return meeting.votes_for * den > num * body, meeting.votes_for, body


@transaction.atomic
def record_attendance(*, meeting, statuses, excuses=None, actor):
    """``statuses``: {member_id: status}; ``excuses``: {member_id: reason} for excused absences."""
    meeting = _lock(meeting)
    _require_open(meeting)
    _require_unlocked(meeting)
    if meeting.planned_date > timezone.localdate() and meeting.state != S.HELD:
        raise ValidationError(_("Attendance is taken on the day of the meeting."))
    build_roll(meeting)
    excuses = excuses or {}
    rows = {a.member_id: a for a in meeting.attendance.all()}
    changed = []
    for member_id, status in statuses.items():
        row = rows.get(int(member_id))
        if row is None or status not in A.values or status == A.EXPECTED:
            continue
        if status == A.EXEMPT and row.member_status != MS.EXEMPTED:
            raise ValidationError(_("%(name)s is not exempted from party work.") % {"name": row.member.full_name})
        excuse = excuses.get(int(member_id), row.excuse) if status == A.EXCUSED else row.excuse
        if row.status != status or row.excuse != excuse:
            row.status = status
            row.excuse = (excuse or "")[:255]
            changed.append(row)
    Attendance.objects.bulk_update(changed, ["status", "excuse"])
    _recount(meeting)
    meeting.save(update_fields=["present_count", "denominator", "cell_size"])
    if meeting.state == S.HELD:
        _judge(meeting)
    record(
        actor=actor,
        action="meetings.attendance",
        obj=meeting,
        unit=meeting.unit,
        changes={"present": [None, meeting.present_count], "denominator": [None, meeting.denominator]},
    )
    return meeting


def _judge(meeting):
    """Store the minimum that applied on the day for this cell's kind and size, and whether it was met."""
    if meeting.cell_size is None:
        meeting.cell_size = sum(1 for _m, status in _roll_members(meeting) if status in SIZE_STATUSES)
    minutes, version = rules.minimum(meeting.kind, unit=meeting.unit, day=meeting.held_on, size=meeting.cell_size)
    meeting.min_minutes = minutes
    meeting.min_rule = version
    meeting.too_short = meeting.duration_minutes < minutes
    meeting.save(update_fields=["min_minutes", "min_rule", "too_short", "cell_size"])


@transaction.atomic
def record_held(*, meeting, held_on, started_at, ended_at, with_work_meeting=False, actor):
    meeting = _lock(meeting)
    _require_open(meeting)
    _require_unlocked(meeting)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("The meeting cannot be recorded as held in the future.")})
    start = started_at.hour * 60 + started_at.minute
    end = ended_at.hour * 60 + ended_at.minute
    if end <= start:
        raise ValidationError({"ended_at": _("The end time must be after the start time.")})
    build_roll(meeting)
    old = meeting.state
    meeting.state = S.HELD
    meeting.held_on = held_on
    meeting.started_at = started_at
    meeting.ended_at = ended_at
    meeting.duration_minutes = end - start
    meeting.with_work_meeting = with_work_meeting
    days = rules.optional("meeting.minutes_publish_days", held_on, meeting.unit)
    meeting.publish_due = None if days is None else held_on + datetime.timedelta(days=int(days))
    _recount(meeting)
    meeting.save()
    _judge(meeting)
    record(
        actor=actor,
        action="meetings.held",
        obj=meeting,
        unit=meeting.unit,
        changes={
            "state": [old, S.HELD],
            "duration": [None, meeting.duration_minutes],
            "min_minutes": [None, meeting.min_minutes],
        },
    )
    return meeting


# ---- minutes ----------------------------------------------------------------------------------------
def _require_held(meeting):
    if meeting.state != S.HELD:
        raise ValidationError(_("Record the meeting as held (date and times) first."))


@transaction.atomic
def save_minutes(
    *, meeting, content, conclusions, resolution="", votes_for=None, votes_against=None, votes_abstain=None, actor
):
    meeting = _lock(meeting)
    _require_held(meeting)
    _require_unlocked(meeting)
    votes = [v for v in (votes_for, votes_against, votes_abstain) if v is not None]
    if votes:
        can_vote = voters(meeting.attendance.values_list("status", "member_status"))
        if sum(votes) > can_vote:
            raise ValidationError(
                _("%(n)s votes were counted but only %(p)s official members were present to vote.")
                % {"n": sum(votes), "p": can_vote}
            )
    meeting.minutes_content = content
    meeting.conclusions = conclusions
    meeting.resolution = resolution
    meeting.votes_for, meeting.votes_against, meeting.votes_abstain = votes_for, votes_against, votes_abstain
    meeting.save(
        update_fields=["minutes_content", "conclusions", "resolution", "votes_for", "votes_against", "votes_abstain"]
    )
    record(actor=actor, action="meetings.minutes", obj=meeting, unit=meeting.unit)
    return meeting


@transaction.atomic
def add_speech(*, meeting, member, content, actor):
    meeting = _lock(meeting)
    _require_held(meeting)
    _require_unlocked(meeting)
    if not content.strip():
        raise ValidationError({"content": _("Write the opinion.")})
    row = meeting.attendance.filter(member=member).first()
    if row is None or row.status != A.PRESENT:
        raise ValidationError({"member": _("Only a member recorded present can speak in the minutes.")})
    speech = Speech.objects.create(meeting=meeting, member=member, speaker=member.full_name, content=content.strip())
    if not row.spoke:
        row.spoke = True
        row.save(update_fields=["spoke"])
    record(
        actor=actor, action="meetings.speech", obj=meeting, unit=meeting.unit, changes={"speaker": [None, member.pk]}
    )
    return speech


@transaction.atomic
def delete_speech(*, speech, actor):
    meeting = _lock(speech.meeting)
    _require_unlocked(meeting)
    member_id = speech.member_id
    speech.delete()
    if member_id and not meeting.speeches.filter(member_id=member_id).exists():
        meeting.attendance.filter(member_id=member_id).update(spoke=False)
    record(actor=actor, action="meetings.speech_delete", obj=meeting, unit=meeting.unit)


def speakers_share(meeting):
    """(members who spoke, members present)."""
    rows = list(meeting.attendance.filter(status=A.PRESENT).values_list("spoke", flat=True))
    return sum(1 for s in rows if s), len(rows)


@transaction.atomic
def lock_minutes(*, meeting, actor):
    """Approve the minutes at the end of the meeting; from then on only amendments."""
    meeting = _lock(meeting)
    _require_held(meeting)
    _require_unlocked(meeting)
    if meeting.attendance.filter(status=A.EXPECTED).exists():
        raise ValidationError(_("Record the attendance of every member before locking the minutes."))
    if not meeting.minutes_content.strip() or not meeting.conclusions.strip():
        raise ValidationError(_("The minutes need their content and conclusions before they are locked."))
    meeting.locked_at = timezone.now()
    meeting.locked_by = _actor(actor)
    meeting.save(update_fields=["locked_at", "locked_by"])
    record(actor=actor, action="meetings.lock", obj=meeting, unit=meeting.unit, changes={"locked": [False, True]})
    return meeting


@transaction.atomic
def amend_minutes(*, meeting, text, reason, actor):
    meeting = _lock(meeting)
    if not meeting.locked:
        raise ValidationError(_("The minutes are not locked: edit them directly."))
    errors = {}
    if not text.strip():
        errors["text"] = _("Write the correction.")
    if not reason.strip():
        errors["reason"] = _("Give the reason for the correction.")
    if errors:
        raise ValidationError(errors)
    a = Amendment.objects.create(
        meeting=meeting, text=text.strip(), reason=reason.strip()[:255], created_by=_actor(actor)
    )
    record(actor=actor, action="meetings.amend", obj=meeting, unit=meeting.unit, changes={"amendment": [None, a.pk]})
    return a


@transaction.atomic
def publish_minutes(*, meeting, actor):
    meeting = _lock(meeting)
    if not meeting.locked:
        raise ValidationError(_("Lock the minutes before publishing them."))
    if meeting.published_at:
        raise ValidationError(_("The minutes have already been published."))
    meeting.published_at = timezone.now()
    meeting.save(update_fields=["published_at"])
    _notify_roll(meeting, _("Minutes and resolution of the meeting on %(day)s") % {"day": _d(meeting.held_on)})
    record(actor=actor, action="meetings.publish", obj=meeting, unit=meeting.unit)
    return meeting


def published_late(meeting):
    if meeting.publish_due is None:
        return False
    if meeting.published_at is None:
        return timezone.localdate() > meeting.publish_due
    return timezone.localdate(meeting.published_at) > meeting.publish_due


# ---- supervisor, venues ---------------------------------------------------------------------------
@transaction.atomic
def assign_supervisor(*, unit, user, actor):
    old = supervisor_of(unit)
    if user is None:
        CellSupervisor.objects.filter(unit=unit).delete()
    else:
        CellSupervisor.objects.update_or_create(unit=unit, defaults={"user": user, "assigned_on": timezone.localdate()})
    record(
        actor=actor,
        action="meetings.supervisor",
        obj=unit,
        unit=unit,
        changes={"supervisor": [getattr(old, "pk", None), getattr(user, "pk", None)]},
    )


@transaction.atomic
def create_venue(*, owner_unit, name, address="", capacity=None, actor):
    if not name.strip():
        raise ValidationError({"name": _("Give the venue a name.")})
    v = Venue.objects.create(owner_unit=owner_unit, name=name.strip(), address=address, capacity=capacity)
    record(actor=actor, action="meetings.venue", obj=v, unit=owner_unit)
    return v


# ---- quality -------------------------------------------------------------------------------------
def parse_criteria(text):
    """Lines "code | label | points" into criteria; a Vietnamese error names the bad line."""
    criteria = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 3 or not parts[0] or not parts[1] or not parts[2].isdigit() or int(parts[2]) == 0:
            raise ValidationError({"criteria": _("Line %(n)s: write “code | criterion | points”.") % {"n": n}})
        criteria.append({"code": parts[0], "label": parts[1], "max": int(parts[2])})
    if not criteria:
        raise ValidationError({"criteria": _("Give at least one criterion.")})
    if len({c["code"] for c in criteria}) != len(criteria):
        raise ValidationError({"criteria": _("Each criterion needs its own code.")})
    return criteria


@transaction.atomic
def create_template(*, unit, name, criteria_text, good, fair, average, actor):
    criteria = parse_criteria(criteria_text)
    if not (good > fair > average >= 0):
        raise ValidationError({"good": _("The thresholds must go down: good > fair > average.")})
    t = QualityTemplate.objects.create(
        unit=unit, name=name, criteria=criteria, thresholds=[[good, "good"], [fair, "fair"], [average, "average"]]
    )
    record(actor=actor, action="meetings.quality_template", obj=t, unit=unit)
    return t


def default_template(unit):
    from dangbo.meetings.access import template_for

    t = template_for(unit)
    if t is None:
        t = QualityTemplate(
            unit=unit, name=_("Example sheet (DOMAIN.md §5)"), criteria=DEFAULT_CRITERIA, thresholds=DEFAULT_THRESHOLDS
        )
    return t


def rate(template, total):
    scale = template.max_total or 100
    pct = total * 100 / scale
    for threshold, rating in template.thresholds:
        if pct >= threshold:
            return rating
    return QualitySheet.Rating.POOR


def _scores(template, scores):
    clean = {}
    for c in template.criteria:
        v = scores.get(c["code"])
        if v is None or not 0 <= int(v) <= int(c["max"]):
            raise ValidationError(
                _("%(label)s: give between 0 and %(max)s points.") % {"label": c["label"], "max": c["max"]}
            )
        clean[c["code"]] = int(v)
    return clean


@transaction.atomic
def fill_quality(*, meeting, scores, actor):
    meeting = _lock(meeting)
    _require_held(meeting)
    sheet = QualitySheet.objects.filter(meeting=meeting).first()
    if sheet and sheet.reviewed_at:
        raise ValidationError(_("The committee has reviewed this sheet; it can no longer change."))
    template = sheet.template if sheet else default_template(meeting.unit)
    if template.pk is None:
        template.save()
    clean = _scores(template, scores)
    total = sum(clean.values())
    sheet, _c = QualitySheet.objects.update_or_create(
        meeting=meeting,
        defaults={
            "template": template,
            "scores": clean,
            "total": total,
            "rating": rate(template, total),
            "filled_by": _actor(actor),
        },
    )
    record(actor=actor, action="meetings.quality", obj=meeting, unit=meeting.unit, changes={"total": [None, total]})
    return sheet


@transaction.atomic
def review_quality(*, meeting, scores, note, actor):
    sheet = QualitySheet.objects.select_for_update().filter(meeting=meeting).first()
    if sheet is None:
        raise ValidationError(_("The cell has not filled the score sheet yet."))
    clean = _scores(sheet.template, scores)
    sheet.reviewed_scores = clean
    sheet.reviewed_total = sum(clean.values())
    sheet.reviewed_rating = rate(sheet.template, sheet.reviewed_total)
    sheet.review_note = note
    sheet.reviewed_by = _actor(actor)
    sheet.reviewed_at = timezone.now()
    sheet.save()
    record(
        actor=actor,
        action="meetings.quality_review",
        obj=meeting,
        unit=meeting.unit,
        changes={"total": [sheet.total, sheet.reviewed_total]},
    )
    return sheet


# ---- absences and removal hand-off ---------------------------------------------------------------------
def absences(unit, year):
    """Per member of ``unit``: months of ``year`` with an unexcused absence from a held meeting, and the
    longest run of consecutive unexcused absences. {member_id: {"months": [..], "streak": n}}."""
    rows = (
        Attendance.objects.filter(meeting__unit=unit, meeting__state=S.HELD, meeting__held_on__year=year)
        .order_by("member_id", "meeting__held_on", "meeting_id")
        .values_list("member_id", "status", "meeting__held_on")
    )
    out = {}
    for member_id, status, day in rows:
        info = out.setdefault(member_id, {"months": set(), "streak": 0, "run": 0})
        if status == A.UNEXCUSED:
            info["months"].add(day.month)
            info["run"] += 1
            info["streak"] = max(info["streak"], info["run"])
        elif status in (A.PRESENT, A.EXCUSED):
            info["run"] = 0
    return {k: {"months": sorted(v["months"]), "streak": v["streak"]} for k, v in out.items() if v["months"]}


def removal_flags(unit, year):
    """[(member, months)] whose unexcused months reach ``removal.missed_meeting_months_per_year``."""
    threshold = int(rules.value("removal.missed_meeting_months_per_year", datetime.date(year, 12, 31), unit))
    found = absences(unit, year)
    ids = [mid for mid, info in found.items() if len(info["months"]) >= threshold]
    members = Member.objects.filter(pk__in=ids, status__in=Member.CURRENT_STATUSES).order_by("sort_name")
    open_ids = set(members.filter(removal_proposals__state="proposed").values_list("pk", flat=True))
    return [
        {"member": m, "months": found[m.pk]["months"], "streak": found[m.pk]["streak"], "proposed": m.pk in open_ids}
        for m in members
    ], threshold


def propose_missed_removal(*, unit, member, year, actor):
    from dangbo.lifecycle.models import RemovalProposal
    from dangbo.lifecycle.services import propose_removal

    flags, _threshold = removal_flags(unit, year)
    flag = next((f for f in flags if f["member"].pk == member.pk), None)
    if flag is None:
        raise ValidationError(_("This member has no removal flag for missed meetings in %(year)s.") % {"year": year})
    months = ", ".join(f"{m:02d}/{year}" for m in flag["months"])
    return propose_removal(
        member=member,
        ground=RemovalProposal.Ground.MISSED_MEETINGS,
        evidence=_("Absent without excuse from the cell meetings of %(months)s.") % {"months": months},
        raised_on=timezone.localdate(),
        count=len(flag["months"]),
        actor=actor,
    )
