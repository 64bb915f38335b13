from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dangbo.accounts.access import is_staff_user
from dangbo.core.audit import record, record_read
from dangbo.members import services
from dangbo.members.access import get_member_for_user, members_visible_to
from dangbo.members.export import register_workbook
from dangbo.members.forms import CURRENT, CorrectionForm, MemberFilterForm
from dangbo.members.models import Member
from dangbo.org.access import can_write_in, units_visible_to

PAGE_SIZE = 50


def _filtered(request):
    if not is_staff_user(request.user):
        raise Http404
    units = units_visible_to(request.user).active().order_by("path")
    data = request.GET.copy()
    data.setdefault("status", CURRENT)  # members on the books unless asked otherwise
    form = MemberFilterForm(data, units=units)
    qs = members_visible_to(request.user)
    qs = form.filter(qs) if form.is_valid() else qs.current().order_by("sort_name", "pk")
    return form, qs.select_related("unit")


def member_list(request):
    form, qs = _filtered(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "members/list.html", {"form": form, "page": page, "query": request.GET.urlencode()})


def export(request):
    """The register (7-HSĐV columns held so far) of the same filter as the list, as an Excel file."""
    form, qs = _filtered(request)
    unit = form.cleaned_data.get("unit") if form.is_valid() else None
    scope = unit or units_visible_to(request.user).order_by("depth", "path").first()
    day = timezone.localdate()
    title = _("Register of party members – %(unit)s – %(day)s") % {"unit": scope, "day": day.strftime("%d/%m/%Y")}
    content = register_workbook(qs, title=title)
    record(actor=request.user, action="members.export", obj=scope, unit=scope, changes={"rows": [None, qs.count()]})
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="so-danh-sach-dang-vien-{day:%Y%m%d}.xlsx"'
    return response


def detail(request, pk):
    member = get_member_for_user(request.user, pk)
    # Party records are secret documents: every opening is logged.
    record_read(user=request.user, member=member, view="detail")
    events = member.events.select_related("from_unit", "to_unit", "actor").order_by("date", "id")
    can_correct = can_write_in(request.user, member.unit)
    return render(request, "members/detail.html", {"member": member, "events": events, "can_correct": can_correct})


@require_http_methods(["GET", "POST"])
def correct(request, pk):
    member = get_member_for_user(request.user, pk, write=True)
    original = Member.objects.get(pk=member.pk)
    form = CorrectionForm(request.POST or None, instance=original)
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_member(
                member=Member.objects.get(pk=member.pk),
                changes=form.changes(),
                approval_document=form.cleaned_data["approval_document"],
                approval_date=form.cleaned_data["approval_date"],
                actor=request.user,
            )
        except ValidationError as e:
            form.add_error(None, " ".join(e.messages))
        else:
            messages.success(request, _("The dossier has been corrected."))
            return redirect("members:detail", pk=member.pk)
    return render(request, "members/correct.html", {"member": member, "form": form})
