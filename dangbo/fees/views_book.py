"""The fee book of a cell (S01/ĐP) on screen, in Excel and in Word, and the same figures for a subtree.

Staff covering the unit open these pages (the bloc office, inspection, the grassroots staff and the cell
secretary of the unit's subtree); a plain member does not see the cell's book (other members' incomes), and
a unit out of scope is a 404 (``org.access``)."""

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangbo.accounts.access import covers
from dangbo.core import xlsx
from dangbo.core.forms import StyledForm
from dangbo.core.params import MAX_YEAR, MIN_YEAR
from dangbo.fees import book as fee_book
from dangbo.fees import exports
from dangbo.org.access import get_unit_for_user
from dangbo.org.models import OrgUnit

MONTHS = [(m, f"{m:02d}") for m in range(1, 13)]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class BookPeriodForm(StyledForm):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    from_month = forms.TypedChoiceField(label=gettext_lazy("From month"), choices=MONTHS, coerce=int)
    to_month = forms.TypedChoiceField(label=gettext_lazy("To month"), choices=MONTHS, coerce=int)

    def clean(self):
        data = super().clean()
        if data.get("from_month") and data.get("to_month") and data["to_month"] < data["from_month"]:
            raise forms.ValidationError(_("The last month is before the first month."))
        return data


def _default_period():
    today = timezone.localdate()
    return {"year": today.year, "from_month": 1, "to_month": today.month}


def _period(request):
    """(form, first month, last month): the asked period, or this year up to this month when the query is
    missing or wrong (the form then shows why)."""
    import datetime

    if any(k in request.GET for k in ("year", "from_month", "to_month")):
        form = BookPeriodForm(request.GET)
        d = form.cleaned_data if form.is_valid() else _default_period()
    else:
        d = _default_period()
        form = BookPeriodForm(initial=d)
    return form, datetime.date(d["year"], d["from_month"], 1), datetime.date(d["year"], d["to_month"], 1)


def _unit(request, pk, *, cell):
    unit = get_unit_for_user(request.user, pk)
    if not covers(request.user, unit.path):  # staff of the subtree only, not a plain member
        raise Http404
    if cell and unit.kind not in OrgUnit.CELL_KINDS:
        raise Http404
    return unit


def book(request, pk):
    unit = _unit(request, pk, cell=True)
    form, start, end = _period(request)
    data = fee_book.book(unit, start, end)
    return render(
        request,
        "fees/book.html",
        {
            "unit": unit,
            "form": form,
            "book": data,
            "period": exports.period_text(data),
            "notes": exports.share_notes(data),
            "query": request.GET.urlencode(),
        },
    )


def _filename(unit, start, end, ext):
    return f"so-dang-phi-{unit.pk}-{start:%Y%m}-{end:%Y%m}.{ext}"


def book_xlsx(request, pk):
    unit = _unit(request, pk, cell=True)
    _form, start, end = _period(request)
    content = exports.book_xlsx(fee_book.book(unit, start, end))
    resp = HttpResponse(content, content_type=xlsx.CONTENT_TYPE)
    resp["Content-Disposition"] = f'attachment; filename="{_filename(unit, start, end, "xlsx")}"'
    return resp


def book_docx(request, pk):
    unit = _unit(request, pk, cell=True)
    _form, start, end = _period(request)
    content = exports.book_docx(fee_book.book(unit, start, end))
    resp = HttpResponse(content, content_type=DOCX)
    resp["Content-Disposition"] = f'attachment; filename="{_filename(unit, start, end, "docx")}"'
    return resp


def subtree(request, pk):
    unit = _unit(request, pk, cell=False)
    form, start, end = _period(request)
    rows, total, months = fee_book.subtree_summary(unit, start, end)
    return render(
        request,
        "fees/book_subtree.html",
        {
            "unit": unit,
            "form": form,
            "rows": rows,
            "total": total,
            "start": start,
            "end": end,
            "cell_kinds": OrgUnit.CELL_KINDS,
        },
    )
