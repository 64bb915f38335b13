import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangbo.meetings import services
from dangbo.meetings.models import Meeting

T = datetime.time


def today():
    return timezone.localdate()


def planned(unit, *, days=3, kind=Meeting.Kind.REGULAR, **extra):
    extra.setdefault("place", "Phòng họp tầng 2")
    if kind in (Meeting.Kind.THEMATIC, Meeting.Kind.COMBINED):
        extra.setdefault("topic", "Học tập Nghị quyết")
    return services.create_meeting(
        unit=unit, kind=kind, planned_date=today() + datetime.timedelta(days=days), actor=None, **extra
    )


def held(unit, *, minutes=90, day=None, kind=Meeting.Kind.REGULAR, with_work=False, present=None, **extra):
    """A meeting held on ``day`` (default: today) lasting ``minutes``; ``present``: member ids present (others
    unexcused). None: everyone present."""
    day = day or today()
    m = planned(unit, days=0, kind=kind, **extra)
    Meeting.objects.filter(pk=m.pk).update(planned_date=day)
    m.refresh_from_db()
    start = 14 * 60
    end = start + minutes
    services.record_held(
        meeting=m,
        held_on=day,
        started_at=T(start // 60, start % 60),
        ended_at=T(end // 60 % 24, end % 60),
        with_work_meeting=with_work,
        actor=None,
    )
    rows = list(m.attendance.values_list("member_id", flat=True))
    statuses = {mid: ("present" if present is None or mid in present else "unexcused") for mid in rows}
    services.record_attendance(meeting=m, statuses=statuses, actor=None)
    m.refresh_from_db()
    return m


def locked(unit, **kw):
    m = held(unit, **kw)
    services.save_minutes(meeting=m, content="Đánh giá tình hình tháng", conclusions="Thống nhất", actor=None)
    services.lock_minutes(meeting=m, actor=None)
    m.refresh_from_db()
    return m


def upload(name="tai-lieu.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")
