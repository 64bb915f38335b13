from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from dangbo.accounts.access import is_staff_user
from dangbo.core.params import param_id
from dangbo.org.access import get_unit_for_user, units_visible_to
from dangbo.reports import access, services, summary
from dangbo.reports.forms import (
    NARRATIVE_FIELDS,
    STATUS_LABELS,
    AcceptForm,
    PeriodForm,
    ReconciliationForm,
    ReportForm,
    ReturnForm,
)
from dangbo.reports.models import RECONCILED_STATUSES, Period, PeriodicReport, period_bounds
from dangbo.reports.stats import membership_figures, sub_unit_rows


class AsOfForm(forms.Form):
    on = forms.DateField(
        label=gettext_lazy("As of"),
        required=False,
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "class": "form-control form-control-sm"}),
    )


def dashboard(request):
    """Membership structure of a unit's subtree (the user's top unit by default), with drill-down."""
    if not is_staff_user(request.user):
        raise Http404
    if request.GET.get("unit"):
        unit = get_unit_for_user(request.user, param_id(request, "unit"))
    else:
        unit = units_visible_to(request.user).order_by("depth", "path").first()
        if unit is None:
            raise Http404
    visible = units_visible_to(request.user)
    form = AsOfForm(request.GET or None)
    on = form.cleaned_data["on"] if form.is_valid() else None
    if on == timezone.localdate():
        on = None
    figures = membership_figures(unit, on=on)
    charts = {
        key: {"labels": [str(label) for label, _n in figures[key]], "values": [n for _label, n in figures[key]]}
        for key in ("by_status", "by_sex", "by_age", "by_kind", "by_ethnicity", "by_qualification", "by_theory")
    }
    ctx = {
        "unit": unit,
        "figures": figures,
        "rows": sub_unit_rows(unit, on=on),
        "form": form,
        "on": on,
        "ancestors": list(visible.filter(pk__in=unit.ancestor_ids()).order_by("depth")),
        "charts": charts,
    }
    return render(request, "reports/dashboard.html", ctx)


def last_quarter(today):
    """(year, number) of the last quarter that has ended by ``today``."""
    q = (today.month - 1) // 3  # quarters fully ended this year
    return (today.year, q) if q else (today.year - 1, 4)


def _period(request, *, with_unit=True):
    """The period form from GET (defaulting to the last ended quarter) and the chosen unit."""
    access.require_staff(request.user)
    visible = units_visible_to(request.user).order_by("path")
    year, number = last_quarter(timezone.localdate())
    data = request.GET.copy()
    data.setdefault("period", Period.QUARTER)
    data.setdefault("year", str(year))
    data.setdefault("number", str(number))
    form = PeriodForm(data, units=visible if with_unit else None)
    if not form.is_valid():
        if "unit" in form.errors:
            raise Http404
        return form, None, None
    unit = form.cleaned_data.get("unit") or visible.first()
    if unit is None:
        raise Http404
    unit = get_unit_for_user(request.user, unit.pk)
    d = form.cleaned_data
    return form, unit, (d["period"], d["year"], d["number"])


def periodic(request):
    """The submission tracker of a subtree for a period, the consolidation, and the summary report."""
    form, unit, period = _period(request)
    ctx = {"form": form, "unit": unit}
    if period:
        data = summary.summary(unit, *period)
        order = {"": 0, "draft": 0, "returned": 1, "submitted": 2, "accepted": 3}
        data["tracker"] = sorted(data["tracker"], key=lambda r: order[r.state])  # who is missing first
        for row in data["tracker"]:
            row.can_submit = access.is_unit_side(request.user, row.unit)
        ctx.update(data)
        ctx["period"] = period
        ctx["query"] = request.GET.urlencode() or (
            f"period={period[0]}&year={period[1]}&number={period[2]}&unit={unit.pk}"
        )
        ctx["missing"] = sum(1 for r in data["tracker"] if r.missing)
    return render(request, "reports/periodic.html", ctx)


def _download(request, fmt):
    form, unit, period = _period(request)
    if period is None:
        raise Http404
    data = summary.summary(unit, *period)
    kind, year, number = period
    name = f"bao-cao-{kind}-{number}-{year}"
    if fmt == "docx":
        body = summary.render_docx(data)
        ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        body = summary.render_xlsx(data)
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    resp = HttpResponse(body, content_type=ctype)
    resp["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return resp


def summary_docx(request):
    return _download(request, "docx")


def summary_xlsx(request):
    return _download(request, "xlsx")


@require_http_methods(["GET", "POST"])
def report_edit(request, unit_pk, period, year, number):
    """The grassroots organization's report: figures pre-filled from the system, the narrative, save or submit."""
    unit = access.get_reporting_unit(request.user, unit_pk, submit=True)
    try:
        start, end = period_bounds(period, year, number)
    except (ValueError, KeyError):
        raise Http404
    report = PeriodicReport.objects.filter(unit=unit, period=period, year=year, number=number).first()
    if report and not report.editable:
        return redirect("reports:report_detail", report.pk)
    figures = services.collect(unit, start, end)
    countable = services.countable(figures)
    initial = {}
    for key, f in countable.items():
        name = "f_" + key.replace(".", "__")
        initial[name] = report.declared.get(key, f.value) if report else f.value
    if report:
        initial.update({name: getattr(report, name) for name, _l2 in NARRATIVE_FIELDS})
    form = ReportForm(request.POST or None, figures=countable, initial=initial)
    differing, held = [], False
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        # A figure that differs from the system's goes up only once the secretary has seen it (issue 14 §10).
        differing = [
            (countable[k].label, v, countable[k].value)
            for k, v in form.declared().items()
            if v is not None and v != countable[k].value
        ]
        if submit and differing and form.narrative().get("results") and not request.POST.get("confirm_differences"):
            held, submit = True, None
    if request.method == "POST" and form.is_valid() and submit is not None:
        try:
            report = services.save_report(
                unit=unit,
                period=period,
                year=year,
                number=number,
                declared=form.declared(),
                narrative=form.narrative(),
                submit=submit,
                actor=request.user,
                today=form.cleaned_data.get("submitted_on"),
            )
        except ValidationError as e:
            form.add_error(None, e.messages)
        else:
            messages.success(request, _("The report was submitted.") if submit else _("The draft was saved."))
            if submit:
                return redirect("reports:report_detail", report.pk)
            return redirect(request.path)
    others = {k: f for k, f in figures.items() if k not in countable and f.value is not None}
    ctx = {
        "differing": differing if held else [],
        "unit": unit,
        "form": form,
        "report": report,
        "label": PeriodicReport(period=period, year=year, number=number).label,
        "start": start,
        "end": end,
        "others": others.values(),
        "deadline": services.deadline(report, unit, period, year, number),
    }
    return render(request, "reports/report_form.html", ctx)


def report_detail(request, pk):
    report = access.get_report_for_user(request.user, pk)
    from dangbo.reports.labels import labels_of

    labels = labels_of(list(report.declared), report.unit, report.start, report.end)
    rows = [
        (
            labels[k][0],
            v,
            report.system.get(k),
            (v - report.system[k]) if isinstance(report.system.get(k), int) else None,
            str(labels[k][1]),
        )
        for k, v in report.declared.items()
    ]
    ctx = {
        "report": report,
        "rows": rows,
        "narrative": [(label, getattr(report, name)) for name, label in NARRATIVE_FIELDS],
        "can_decide": report.state == PeriodicReport.State.SUBMITTED
        and access.is_upper_side(request.user, report.unit),
        "can_edit": report.editable and access.is_unit_side(request.user, report.unit),
        "return_form": ReturnForm(),
        "accept_form": AcceptForm(),
    }
    return render(request, "reports/report_detail.html", ctx)


@require_POST
def report_return(request, pk):
    report = access.get_report_for_user(request.user, pk, decide=True)
    form = ReturnForm(request.POST)
    try:
        if not form.is_valid():
            if "reason" in form.errors:
                raise ValidationError(_("Give the reason for returning the report."))
            raise ValidationError(" ".join(e for errors in form.errors.values() for e in errors))
        services.return_report(
            report=report,
            reason=form.cleaned_data["reason"],
            actor=request.user,
            today=form.cleaned_data.get("decided_on"),
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("The report was returned to %(unit)s.") % {"unit": report.unit.name})
    return redirect("reports:report_detail", report.pk)


@require_POST
def report_accept(request, pk):
    report = access.get_report_for_user(request.user, pk, decide=True)
    form = AcceptForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(" ".join(e for errors in form.errors.values() for e in errors))
        services.accept_report(report=report, actor=request.user, today=form.cleaned_data.get("decided_on"))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("The report of %(unit)s was accepted.") % {"unit": report.unit.name})
    return redirect("reports:report_detail", report.pk)


def reconciliations(request):
    """Register reconciliations in the user's scope, and when each grassroots organization is next due."""
    access.require_staff(request.user)
    recs = list(
        access.reconciliations_visible_to(request.user)
        .select_related("unit", "unit_signed_by", "upper_signed_by")
        .order_by("-on", "unit__path")[:200]
    )
    last = {}
    for r in recs:
        last.setdefault(r.unit_id, r.on)
    today = timezone.localdate()
    units = []
    for u in access.reconcilable_units(request.user):
        due = services.next_reconciliation(u, last.get(u.pk))
        units.append((u, last.get(u.pk), due, due is None or due < today))
    return render(request, "reports/reconciliations.html", {"recs": recs, "units": units})


@require_http_methods(["GET", "POST"])
def reconciliation_new(request):
    access.require_staff(request.user)
    units = access.reconcilable_units(request.user)
    if not units.exists():
        raise Http404
    initial = {"on": timezone.localdate()}
    if request.GET.get("unit"):
        initial["unit"] = request.GET["unit"]
    form = ReconciliationForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rec = services.create_reconciliation(
                unit=form.cleaned_data["unit"],
                on=form.cleaned_data["on"],
                declared=form.declared(),
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ValidationError as e:
            form.add_error(None, e.messages)
        else:
            messages.success(request, _("The reconciliation was recorded."))
            return redirect("reports:reconciliation_detail", rec.pk)
    return render(request, "reports/reconciliation_form.html", {"form": form})


def reconciliation_detail(request, pk):
    rec = access.get_reconciliation_for_user(request.user, pk)
    rows = [
        (STATUS_LABELS[s], rec.declared.get(s, 0), rec.system.get(s, 0), rec.declared.get(s, 0) - rec.system.get(s, 0))
        for s in RECONCILED_STATUSES
    ]
    ctx = {
        "rec": rec,
        "rows": rows,
        "can_sign_unit": rec.unit_signed_on is None and access.is_unit_side(request.user, rec.unit),
        "can_sign_upper": rec.upper_signed_on is None and access.is_upper_side(request.user, rec.unit),
        "members_url": reverse("reports:dashboard") + f"?unit={rec.unit_id}&on={rec.on:%d/%m/%Y}",
    }
    return render(request, "reports/reconciliation_detail.html", ctx)


@require_POST
def reconciliation_sign(request, pk):
    rec = access.get_reconciliation_for_user(request.user, pk)
    side = request.POST.get("side")
    allowed = {"unit": access.is_unit_side, "upper": access.is_upper_side}
    if side not in allowed or not allowed[side](request.user, rec.unit):
        raise Http404
    try:
        services.sign_reconciliation(reconciliation=rec, side=side, actor=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("The reconciliation was signed."))
    return redirect("reports:reconciliation_detail", rec.pk)
