"""The minutes as a Word file, from the docxtpl template in docx/ (make_templates.py)."""

from pathlib import Path

from django.utils import timezone

from dangbo.core import docx, numbers
from dangbo.meetings import services
from dangbo.meetings.models import Attendance, Meeting

TEMPLATE = Path(__file__).resolve().parent / "docx" / "bien-ban.docx"
TITLES = {
    Meeting.Kind.REGULAR: "Sinh hoạt chi bộ thường kỳ tháng {month}/{year}",
    Meeting.Kind.THEMATIC: "Sinh hoạt chuyên đề",
    Meeting.Kind.COMBINED: "Sinh hoạt chi bộ thường kỳ kết hợp sinh hoạt chuyên đề tháng {month}/{year}",
    Meeting.Kind.EXTRAORDINARY: "Sinh hoạt chi bộ bất thường",
}


def context(meeting):
    rows = list(meeting.attendance.select_related("member"))
    day = meeting.held_on
    spoke, present = services.speakers_share(meeting)
    absent = [
        f"{a.member.full_name} ({a.get_status_display().lower()}{': ' + a.excuse if a.excuse else ''})"
        for a in rows
        if a.status in (Attendance.Status.EXCUSED, Attendance.Status.UNEXCUSED)
    ]
    parent = meeting.unit.parent
    return {
        "parent_upper": (parent.name if parent else "").upper(),
        "cell_upper": meeting.unit.name.upper(),
        "place_name": meeting.place.split(",")[-1].strip() if meeting.place else "",
        "day": f"{day.day:02d}",
        "month": f"{day.month:02d}",
        "year": day.year,
        "title": TITLES[meeting.kind].format(month=f"{day.month:02d}", year=day.year),
        "start": meeting.started_at.strftime("%H:%M"),
        "end": meeting.ended_at.strftime("%H:%M"),
        "held_on": day.strftime("%d/%m/%Y"),
        "duration": meeting.duration_minutes,
        "where": meeting.venue.name if meeting.venue_id else (meeting.place or meeting.video_link),
        "chair": meeting.chair.full_name if meeting.chair_id else "",
        "recorder": meeting.recorder.full_name if meeting.recorder_id else "",
        "roll": len(rows),
        "denominator": meeting.denominator,
        "present": meeting.present_count,
        "percent": numbers.fmt(meeting.attendance_percent or 0, 1),  # 92, 92,5 — never "92.0"
        "excused": sum(1 for a in rows if a.status == Attendance.Status.EXCUSED),
        "unexcused": sum(1 for a in rows if a.status == Attendance.Status.UNEXCUSED),
        "absent": absent,
        "topic": meeting.topic,
        "content": meeting.minutes_content,
        "speeches": [{"speaker": s.speaker, "content": s.content} for s in meeting.speeches.all()],
        "spoke": spoke,
        "conclusions": meeting.conclusions,
        "resolution": meeting.resolution,
        "votes": meeting.votes_for is not None,
        "votes_for": meeting.votes_for or 0,
        "votes_against": meeting.votes_against or 0,
        "votes_abstain": meeting.votes_abstain or 0,
        "locked": timezone.localtime(meeting.locked_at).strftime("%H:%M %d/%m/%Y")
        if meeting.locked_at
        else "(chưa khóa)",
        "amendments": [
            {"day": timezone.localtime(a.created_at).strftime("%d/%m/%Y"), "reason": a.reason, "text": a.text}
            for a in meeting.amendments.all()
        ],
    }


def minutes_docx(meeting):
    return docx.render(TEMPLATE, context(meeting))
