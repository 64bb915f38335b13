import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dangbo.accounts.access import admin_paths, is_staff_user, path_q
from dangbo.accounts.models import Role, User
from dangbo.core.params import MAX_YEAR, MIN_YEAR, param_date, param_id, param_search, param_year
from dangbo.meetings import access, compliance, services
from dangbo.meetings.forms import (
    ATTENDANCE_CHOICES,
    AmendForm,
    ComplianceForm,
    DocumentForm,
    FilterForm,
    HeldForm,
    MeetingForm,
    MinutesForm,
    PlanForm,
    ReasonForm,
    ScoreForm,
    SpeechForm,
    SupervisorForm,
    TemplateForm,
    VenueForm,
)
from dangbo.meetings.models import Attendance, Meeting, Speech
from dangbo.members.models import Member
from dangbo.org.access import units_visible_to
from dangbo.org.models import OrgUnit

PAGE_SIZE = 50
S = Meeting.State
A = Attendance.Status


def _apply_error(form, e):
    if hasattr(e, "error_dict"):
        for field, errs in e.error_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, e)


# ---- lists --------------------------------------------------------------------------------------------
def home(request):
    """Staff: meetings in scope with filters; a plain member: the meetings of their cell."""
    today = timezone.localdate()
    qs = access.meetings_visible_to(request.user).select_related("unit", "venue")
    staff = is_staff_user(request.user)
    if not staff:
        member = access.own_member(request.user)
        if member is None:
            raise Http404
        upcoming = qs.filter(planned_date__gte=today).exclude(state=S.CANCELLED).order_by("planned_date")[:10]
        past = qs.filter(state=S.HELD).order_by("-held_on")[:12]
        rows = {
            a.meeting_id: a for a in Attendance.objects.filter(member=member, meeting__in=list(upcoming) + list(past))
        }
        for m in list(upcoming) + list(past):
            m.my = rows.get(m.pk)
        return render(request, "meetings/my.html", {"upcoming": upcoming, "past": past, "member": member})
    f = FilterForm(request.GET or None)
    f.is_valid()
    month = (getattr(f, "cleaned_data", {}) or {}).get("month") or ""
    state = (getattr(f, "cleaned_data", {}) or {}).get("state") or ""
    if month:
        try:
            y, m = (int(x) for x in month.split("-"))
            qs = qs.filter(planned_date__year=y, planned_date__month=m)
        except ValueError:
            month = ""
    if state:
        qs = qs.filter(state=state)
    q = param_search(request)
    if q:
        from dangbo.core.text import fold

        qs = qs.filter(unit__search_name__contains=fold(q))
    qs = qs.order_by("-planned_date", "unit__path", "pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    cells = list(access.writable_cells(request.user)[:21])
    if len(cells) > 20:
        cells = []  # a committee with many cells works from the compliance view
    return render(
        request,
        "meetings/home.html",
        {"page": page, "month": month, "state": state, "q": q, "states": S.choices, "cells": cells, "today": today},
    )


def cell(request, pk):
    """A cell's year: its calendar, the months missing a meeting, attendance flags, the supervisor."""
    unit = access.get_cell_for_user(request.user, pk)
    today = timezone.localdate()
    year = param_year(request, "year", today.year)
    meetings = list(
        Meeting.objects.filter(unit=unit, planned_date__year=year)
        .select_related("venue")
        .order_by("planned_date", "pk")
    )
    report = compliance.compute(unit, datetime.date(year, 1, 1), datetime.date(year, 12, 31), today=today)
    flags, threshold = services.removal_flags(unit, year)
    absences = services.absences(unit, year)
    names = dict(Member.objects.filter(pk__in=absences).values_list("pk", "full_name"))
    absence_rows = sorted(
        ({"name": names.get(k, "?"), **v} for k, v in absences.items()), key=lambda r: (-len(r["months"]), r["name"])
    )
    can_write = access.can_write(request.user, unit)
    ctx = {
        "unit": unit,
        "year": year,
        "meetings": meetings,
        "report": report,
        "flags": flags,
        "threshold": threshold,
        "absences": absence_rows,
        "can_write": can_write,
        "supervisor": services.supervisor_of(unit),
        "plan_form": PlanForm(initial={"year": year if not meetings else year + 1, "place": ""}),
        "supervisor_form": SupervisorForm(users=_supervisor_choices(unit)) if can_write else None,
    }
    return render(request, "meetings/cell.html", ctx)


def _supervisor_choices(unit):
    ancestors = unit.ancestor_ids()
    return (
        User.objects.filter(roles__unit_id__in=ancestors, roles__role__in=[Role.BLOC_OFFICE, Role.GRASSROOTS_STAFF])
        .distinct()
        .order_by("last_name", "first_name")
    )


@require_POST
def supervisor(request, pk):
    unit = access.get_cell_for_user(request.user, pk, write=True)
    form = SupervisorForm(request.POST, users=_supervisor_choices(unit))
    if form.is_valid():
        services.assign_supervisor(unit=unit, user=form.cleaned_data["user"], actor=request.user)
        messages.success(request, _("The supervisor of the cell has been saved."))
    else:
        messages.error(request, _("Choose a member of the committee above."))
    return redirect("meetings:cell", pk=unit.pk)


@require_http_methods(["GET", "POST"])
def plan(request, pk):
    unit = access.get_cell_for_user(request.user, pk, write=True)
    form = PlanForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            created = services.plan_year(
                unit=unit,
                year=d["year"],
                day=d["day"],
                time=d["time"],
                place=d["place"],
                combine_thematic=d["combine_thematic"],
                actor=request.user,
            )
        except ValidationError as e:
            _apply_error(form, e)
        else:
            messages.success(
                request, _("%(n)s meetings planned for %(year)s.") % {"n": len(created), "year": d["year"]}
            )
            return redirect(reverse("meetings:cell", args=[unit.pk]) + f"?year={d['year']}")
    return render(request, "meetings/plan.html", {"unit": unit, "form": form})


@require_POST
def propose_removal(request, pk):
    unit = access.get_cell_for_user(request.user, pk, write=True)
    member = get_object_or_404(Member, pk=param_id(request.POST, "member") or 0, unit=unit)
    try:
        year = param_year(request.POST, "year")
        if year is None:
            raise ValidationError(
                _("Enter a year between %(first)s and %(last)s.") % {"first": MIN_YEAR, "last": MAX_YEAR}
            )
        proposal = services.propose_missed_removal(unit=unit, member=member, year=year, actor=request.user)
    except (ValueError, ValidationError) as e:
        messages.error(request, " ".join(getattr(e, "messages", [str(e)])))
        return redirect("meetings:cell", pk=unit.pk)
    messages.success(request, _("The removal proposal for %(name)s has been sent.") % {"name": member.full_name})
    return redirect(reverse("lifecycle:proposal", args=[proposal.pk]))


# ---- one meeting ----------------------------------------------------------------------------------------
def _meeting_form(request, unit, meeting=None):
    initial = {}
    if meeting is not None:
        initial = {f: getattr(meeting, f) for f in services.DETAIL_FIELDS}
    elif param_date(request, "date"):
        initial["planned_date"] = param_date(request, "date")
    return MeetingForm(
        request.POST or None,
        initial=initial,
        venues=access.venues_visible_to(request.user),
        members=Member.objects.filter(unit=unit, status__in=Member.CURRENT_STATUSES).order_by("sort_name"),
    )


@require_http_methods(["GET", "POST"])
def new(request, pk):
    unit = access.get_cell_for_user(request.user, pk, write=True)
    form = _meeting_form(request, unit)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.create_meeting(unit=unit, actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            _apply_error(form, e)
        else:
            messages.success(request, _("The meeting has been planned."))
            return redirect(meeting)
    return render(request, "meetings/form.html", {"unit": unit, "form": form})


@require_http_methods(["GET", "POST"])
def edit(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk, write=True)
    form = _meeting_form(request, meeting.unit, meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting(meeting=meeting, actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            _apply_error(form, e)
        else:
            messages.success(request, _("The meeting has been saved."))
            return redirect(meeting)
    return render(request, "meetings/form.html", {"unit": meeting.unit, "form": form, "meeting": meeting})


def detail(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk)
    can_write = access.can_write(request.user, meeting)
    member = access.own_member(request.user)
    attendance = list(meeting.attendance.select_related("member").order_by("member__sort_name"))
    mine = next((a for a in attendance if member and a.member_id == member.pk), None)
    spoke, present = services.speakers_share(meeting)
    documents = list(meeting.documents.all())
    quality = getattr(meeting, "quality", None) if hasattr(meeting, "quality") else None
    show_minutes = can_write or is_staff_user(request.user) or meeting.published_at is not None
    try:
        outcome = services.resolution_outcome(meeting) if show_minutes else None
    except ValidationError:  # no majority rule on the meeting's day: the vote is shown without a verdict
        outcome = None
    ctx = {
        "meeting": meeting,
        "outcome": outcome,
        "can_write": can_write,
        "can_review": access.can_review(request.user, meeting),
        "attendance": attendance if (can_write or is_staff_user(request.user)) else [],
        "mine": mine,
        "can_excuse": member is not None and member.unit_id == meeting.unit_id and meeting.state in Meeting.OPEN_STATES,
        "spoke": spoke,
        "present": present,
        "documents": documents,
        "documents_due": services.documents_due(meeting),
        "show_minutes": show_minutes,
        "speeches": list(meeting.speeches.all()) if show_minutes else [],
        "amendments": list(meeting.amendments.select_related("created_by")) if show_minutes else [],
        "quality": quality,
        "published_late": services.published_late(meeting),
        "document_form": DocumentForm(),
        "amend_form": AmendForm(),
        "cancel_form": ReasonForm(),
        "today": timezone.localdate(),
        "clashes": services.venue_clashes(
            venue=meeting.venue, day=meeting.planned_date, time=meeting.planned_time, exclude=meeting
        ),
    }
    return render(request, "meetings/detail.html", ctx)


def _step(request, pk, fn, ok, **kwargs):
    meeting = access.get_meeting_for_user(request.user, pk, write=True)
    try:
        fn(meeting=meeting, actor=request.user, **kwargs)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, ok)
    return redirect(meeting)


@require_POST
def notice(request, pk):
    return _step(request, pk, services.send_notice, _("The notice has been sent to the members."))


@require_POST
def lock(request, pk):
    return _step(request, pk, services.lock_minutes, _("The minutes have been approved and locked."))


@require_POST
def publish(request, pk):
    return _step(request, pk, services.publish_minutes, _("The minutes have been published to the members."))


@require_POST
def cancel(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk, write=True)
    reason = request.POST.get("reason", "")
    try:
        services.cancel_meeting(meeting=meeting, reason=reason, actor=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("The meeting has been cancelled."))
    return redirect(meeting)


@require_POST
def amend(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk, write=True)
    try:
        services.amend_minutes(
            meeting=meeting,
            text=request.POST.get("text", ""),
            reason=request.POST.get("reason", ""),
            actor=request.user,
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("The correction has been recorded."))
    return redirect(meeting)


@require_POST
def document(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk, write=True)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            doc = services.add_document(
                meeting=meeting, title=form.cleaned_data["title"], file=form.cleaned_data["file"], actor=request.user
            )
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            if doc.late:
                messages.warning(request, _("The document was posted later than the rule requires."))
            else:
                messages.success(request, _("The document has been posted."))
    elif "file" in form.errors and request.FILES.get("file"):  # a file was sent but refused (too large)
        messages.error(request, " ".join(form.errors["file"]))
    else:
        messages.error(request, _("Give the document a title and choose its file."))
    return redirect(meeting)


def document_file(request, pk):
    doc = access.get_document_for_user(request.user, pk)
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.file.name.rsplit("/", 1)[-1])


@require_http_methods(["GET", "POST"])
def excuse(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk)
    member = access.own_member(request.user)
    if member is None or member.unit_id != meeting.unit_id:
        raise Http404
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.send_excuse(meeting=meeting, member=member, reason=form.cleaned_data["reason"], actor=request.user)
        except ValidationError as e:
            _apply_error(form, e)
        else:
            messages.success(request, _("Your excuse has been sent to the cell secretary."))
            return redirect(meeting)
    return render(request, "meetings/excuse.html", {"meeting": meeting, "form": form})


@require_http_methods(["GET", "POST"])
def attendance(request, pk):
    """Roll call on a phone: one row per member with the five statuses."""
    meeting = access.get_meeting_for_user(request.user, pk, write=True)
    error = None
    if request.method == "POST":
        statuses = {}
        excuses = {}
        for key, value in request.POST.items():
            if key.startswith("s_") and key[2:].isdigit():
                statuses[int(key[2:])] = value
            elif key.startswith("e_") and key[2:].isdigit():
                excuses[int(key[2:])] = value
        try:
            services.record_attendance(meeting=meeting, statuses=statuses, excuses=excuses, actor=request.user)
        except ValidationError as e:
            error = " ".join(e.messages)
        else:
            messages.success(request, _("The attendance has been saved."))
            return redirect(meeting)
    elif not meeting.locked and meeting.state != S.CANCELLED:
        services.build_roll(meeting)
    rows = list(meeting.attendance.select_related("member").order_by("member__sort_name"))
    if request.method == "POST":
        for r in rows:
            r.status = request.POST.get(f"s_{r.member_id}", r.status)
            r.excuse = request.POST.get(f"e_{r.member_id}", r.excuse)
    # Everyone present unless marked otherwise (one tap per exception); the members the registry knows to
    # be exempted or away are shown so and not asked (their rows are not posted, so they stay as they are).
    known = {A.EXEMPT, A.AWAY}
    asked = [r for r in rows if r.status not in known]
    for r in asked:
        if r.status == A.EXPECTED:
            r.status = A.PRESENT
    return render(
        request,
        "meetings/attendance.html",
        {
            "meeting": meeting,
            "rows": asked,
            "known": [r for r in rows if r.status in known],
            "choices": [c for c in ATTENDANCE_CHOICES if c[0] not in known],
            "error": error,
        },
    )


@require_http_methods(["GET", "POST"])
def held(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk, write=True)
    initial = {
        "held_on": meeting.held_on or meeting.planned_date,
        "started_at": meeting.started_at or meeting.planned_time,
        "ended_at": meeting.ended_at,
        "with_work_meeting": meeting.with_work_meeting,
    }
    form = HeldForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_held(meeting=meeting, actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            _apply_error(form, e)
        else:
            meeting.refresh_from_db()
            if meeting.too_short or meeting.with_work_meeting:
                messages.warning(request, " ".join(str(i) for i in meeting.issues()))
            else:
                messages.success(request, _("The meeting has been recorded as held."))
            return redirect(meeting)
    return render(request, "meetings/held.html", {"meeting": meeting, "form": form})


@require_http_methods(["GET", "POST"])
def minutes(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk, write=True)
    present = Member.objects.filter(meeting_attendance__meeting=meeting, meeting_attendance__status="present").order_by(
        "sort_name"
    )
    initial = {
        "content": meeting.minutes_content,
        "conclusions": meeting.conclusions,
        "resolution": meeting.resolution,
        "votes_for": meeting.votes_for,
        "votes_against": meeting.votes_against,
        "votes_abstain": meeting.votes_abstain,
    }
    form = MinutesForm(initial=initial)
    # The opinion's fields have a prefix (no second id_content) and belong to the minutes form (the
    # HTML form attribute), so adding an opinion carries the typed, unsaved minutes along and the page
    # shows them again instead of wiping them.
    speech_form = SpeechForm(members=present, prefix="speech")
    if request.method == "POST" and request.POST.get("action") == "speech":
        typed = {name: request.POST[name] for name in MinutesForm.base_fields if name in request.POST}
        form = MinutesForm(initial={**initial, **typed})
        speech_form = SpeechForm(request.POST, members=present, prefix="speech")
        if speech_form.is_valid():
            try:
                services.add_speech(meeting=meeting, actor=request.user, **speech_form.cleaned_data)
            except ValidationError as e:
                _apply_error(speech_form, e)
            else:
                messages.success(request, _("The opinion has been added."))
                if not typed:
                    return redirect("meetings:minutes", pk=meeting.pk)
                speech_form = SpeechForm(members=present, prefix="speech")
    elif request.method == "POST":
        form = MinutesForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.save_minutes(meeting=meeting, actor=request.user, **d)
            except ValidationError as e:
                _apply_error(form, e)
            else:
                messages.success(request, _("The minutes have been saved."))
                return redirect(meeting)
    for field in speech_form.fields.values():
        field.widget.attrs["form"] = "minutes-form"
    spoke, n_present = services.speakers_share(meeting)
    return render(
        request,
        "meetings/minutes.html",
        {
            "meeting": meeting,
            "form": form,
            "speech_form": speech_form,
            "speeches": meeting.speeches.all(),
            "spoke": spoke,
            "present": n_present,
        },
    )


@require_POST
def speech_delete(request, pk, speech_pk):
    meeting = access.get_meeting_for_user(request.user, pk, write=True)
    speech = get_object_or_404(Speech, pk=speech_pk, meeting=meeting)
    try:
        services.delete_speech(speech=speech, actor=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("meetings:minutes", pk=meeting.pk)


def minutes_docx(request, pk):
    from dangbo.meetings.documents import minutes_docx as render_docx

    meeting = access.get_meeting_for_user(request.user, pk)
    if not (access.can_write(request.user, meeting) or is_staff_user(request.user) or meeting.published_at):
        raise Http404
    if meeting.state != S.HELD:
        raise Http404
    data = render_docx(meeting)
    resp = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    resp["Content-Disposition"] = f'attachment; filename="bien-ban-{meeting.held_on:%Y-%m-%d}.docx"'
    return resp


@require_http_methods(["GET", "POST"])
def quality(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk, write=True)
    sheet = getattr(meeting, "quality", None) if hasattr(meeting, "quality") else None
    template = sheet.template if sheet else services.default_template(meeting.unit)
    form = ScoreForm(request.POST or None, template=template, initial_scores=sheet.scores if sheet else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.fill_quality(meeting=meeting, scores=form.scores(), actor=request.user)
        except ValidationError as e:
            _apply_error(form, e)
        else:
            messages.success(request, _("The score sheet has been saved."))
            return redirect(meeting)
    return render(
        request, "meetings/quality.html", {"meeting": meeting, "form": form, "template": template, "sheet": sheet}
    )


@require_http_methods(["GET", "POST"])
def quality_review(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk, review=True)
    sheet = getattr(meeting, "quality", None) if hasattr(meeting, "quality") else None
    if sheet is None:
        raise Http404
    form = ScoreForm(
        request.POST or None, template=sheet.template, initial_scores=sheet.reviewed_scores or sheet.scores, note=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.review_quality(
                meeting=meeting, scores=form.scores(), note=form.cleaned_data.get("note", ""), actor=request.user
            )
        except ValidationError as e:
            _apply_error(form, e)
        else:
            messages.success(request, _("The review of the score sheet has been saved."))
            return redirect(meeting)
    return render(
        request,
        "meetings/quality.html",
        {"meeting": meeting, "form": form, "template": sheet.template, "sheet": sheet, "review": True},
    )


# ---- oversight ------------------------------------------------------------------------------------------
def compliance_view(request):
    access.require_staff(request.user)
    units = units_visible_to(request.user).exclude(kind=OrgUnit.Kind.PARTY_GROUP).order_by("path")
    today = timezone.localdate()
    default_root = units.order_by("depth", "path").first()
    data = request.GET.copy()
    data.setdefault("year", str(today.year))
    data.setdefault("period", f"q{(today.month - 1) // 3 + 1}")
    if default_root is not None:
        data.setdefault("unit", str(default_root.pk))
    form = ComplianceForm(data, units=units)
    ctx = {"form": form}
    if form.is_valid() and form.cleaned_data["unit"] is not None:
        root = form.cleaned_data["unit"]
        start, end = form.period_range()
        report = compliance.compute(root, start, end, today=today)
        kind = request.GET.get("kind", "")
        month = request.GET.get("month", "")
        group = request.GET.get("group", "")
        breaches = list(report.breaches)
        if kind in compliance.KINDS:
            breaches = [b for b in breaches if b.kind == kind]
        if month:
            breaches = [b for b in breaches if b.month.strftime("%Y-%m") == month]
        if param_id(request, "group"):
            gpaths = OrgUnit.objects.filter(pk=param_id(request, "group")).values_list("path", flat=True).first() or ""
            breaches = [b for b in breaches if report.cells[b.unit_id][1].startswith(gpaths)]
        page = Paginator(breaches, PAGE_SIZE).get_page(request.GET.get("page"))
        ctx.update(
            {
                "report": report,
                "root": root,
                "start": start,
                "end": end,
                "heat": compliance.heatmap(report),
                "chart": compliance.chart(report),
                "page": page,
                "kind": kind,
                "month": month,
                "group": group,
                "base_query": urlencode(
                    {
                        "unit": root.pk,
                        "year": form.cleaned_data["year"],
                        "period": form.cleaned_data.get("period") or "year",
                    }
                ),
                "attendance": (round(report.present * 100 / report.denominator, 1) if report.denominator else None),
            }
        )
    return render(request, "meetings/compliance.html", ctx)


@require_http_methods(["GET", "POST"])
def venues(request):
    access.require_staff(request.user)
    owners = access.venue_owner_units(request.user)
    form = VenueForm(request.POST or None, units=owners) if owners.exists() else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.create_venue(actor=request.user, **form.cleaned_data)
            except ValidationError as e:
                _apply_error(form, e)
            else:
                messages.success(request, _("The venue has been added."))
                return redirect("meetings:venues")
    today = timezone.localdate()
    venue_list = list(access.venues_visible_to(request.user).select_related("owner_unit"))
    bookings = (
        Meeting.objects.filter(venue__in=venue_list, planned_date__gte=today)
        .exclude(state=S.CANCELLED)
        .select_related("unit", "venue")
        .order_by("planned_date", "planned_time")[:200]
    )
    bookings = list(bookings)
    # Every booking of a shared hall is listed (so that clashes show), but only the user's own meetings link.
    mine = set(
        access.meetings_visible_to(request.user).filter(pk__in=[b.pk for b in bookings]).values_list("pk", flat=True)
    )
    by_venue = {}
    for b in bookings:
        b.visible = b.pk in mine
        by_venue.setdefault(b.venue_id, []).append(b)
    for v in venue_list:
        v.bookings = by_venue.get(v.pk, [])
        seen = []
        for b in v.bookings:
            b.clash = any(
                o.planned_date == b.planned_date
                and abs(
                    (o.planned_time.hour - b.planned_time.hour) * 60 + o.planned_time.minute - b.planned_time.minute
                )
                < services.VENUE_BLOCK_MINUTES
                for o in seen
            )
            seen.append(b)
    return render(request, "meetings/venues.html", {"venues": venue_list, "form": form})


@require_http_methods(["GET", "POST"])
def templates(request):
    paths = admin_paths(request.user)
    if not paths:
        raise Http404
    units = OrgUnit.objects.active().filter(path_q("path", paths)).exclude(kind__in=OrgUnit.CELL_KINDS).order_by("path")
    initial = {"criteria": "\n".join(f"{c['code']} | {c['label']} | {c['max']}" for c in services.DEFAULT_CRITERIA)}
    form = TemplateForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.create_template(
                unit=d["unit"],
                name=d["name"],
                criteria_text=d["criteria"],
                good=d["good"],
                fair=d["fair"],
                average=d["average"],
                actor=request.user,
            )
        except ValidationError as e:
            _apply_error(form, e)
        else:
            messages.success(request, _("The score sheet has been saved."))
            return redirect("meetings:templates")
    return render(
        request,
        "meetings/templates.html",
        {"form": form, "templates": access.templates_visible_to(request.user), "defaults": services.DEFAULT_CRITERIA},
    )
