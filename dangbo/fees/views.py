"""Party fee pages: the member's own fees, the cell's month (declarations, dues, cash, the portal
import, arrears) and the remittances received by the office above."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dangbo.accounts.access import own_member_id
from dangbo.core.params import param_ids, param_year
from dangbo.fees import portal, services
from dangbo.fees.access import (
    can_write,
    declarations_for_user,
    fee_units,
    get_child_for_user,
    get_import_for_user,
    get_member_for_user,
    get_unit_for_user,
    own_member,
    require_staff,
)
from dangbo.fees.forms import (
    CashPaymentForm,
    DeclarationForm,
    ImportForm,
    RemittanceForm,
    parse_month,
    this_month,
)
from dangbo.fees.models import FeeDeclaration, FeeDue, FeePayment, FeeRemittance, PortalImport
from dangbo.members.models import Member
from dangbo.org.models import OrgUnit
from dangbo.rules.registry import RuleMissing

PAGE_SIZE = 50


def _month(source, name="month"):
    return parse_month(source.get(name)) or this_month()


def _months_of(payment, year):
    m = payment.from_month
    while m <= payment.to_month:
        if m.year == year:
            yield m
        m = datetime.date(m.year + (m.month == 12), m.month % 12 + 1, 1)


def _has_children(unit):
    return OrgUnit.objects.filter(parent=unit, valid_to__isnull=True).exists()


# --- the member -----------------------------------------------------------------------------------


def _mine_context(request, member, form=None):
    today = timezone.localdate()
    year = param_year(request.GET, default=today.year)
    month = this_month()
    decl = services.declaration_for(member, month)
    pending = member.fee_declarations.filter(state=FeeDeclaration.State.DECLARED).first()
    amount = basis = None
    verified = True
    if decl is not None:
        try:
            amount, _v = services.monthly_amount(
                decl.category, decl.base_income, month, unit=member.unit, zone=decl.zone
            )
            amount = services.apply_exemption(amount, services.exemption_percent(member, month))
            basis, verified = services.legal_basis(decl.category, month, zone=decl.zone, unit=member.unit)
        except (RuleMissing, ValueError):
            amount = None
    dues = list(FeeDue.objects.filter(member=member, month__year=year).order_by("month"))
    payments = list(
        member.fee_payments.filter(from_month__year__lte=year, to_month__year__gte=year).order_by("-paid_on")
    )
    paid = {m for p in payments for m in _months_of(p, year)}
    owed = [d for d in dues if d.amount > 0 and d.month not in paid and d.month <= month]
    return {
        "member": member,
        "year": year,
        "decl": decl,
        "pending": pending,
        "amount": amount,
        "basis": basis,
        "verified": verified,
        "dues": dues,
        "paid_months": sorted(paid),
        "owed": owed,
        "owed_total": sum(d.amount for d in owed),
        "payments": payments,
        "form": form or DeclarationForm(initial={"category": decl.category, "zone": decl.zone} if decl else None),
    }


def mine(request):
    if own_member_id(request.user) is None:  # an account without a member record: nothing to show
        return render(request, "fees/mine.html", {"member": None})
    member = own_member(request.user)
    return render(request, "fees/mine.html", _mine_context(request, member))


@require_POST
def declare(request):
    member = own_member(request.user)
    form = DeclarationForm(request.POST)
    if form.is_valid():
        try:
            services.declare(
                member=member,
                category=form.cleaned_data["category"],
                base_income=form.cleaned_data["base_income"],
                zone=form.cleaned_data["zone"],
                from_month=form.cleaned_data["from_month"],
                actor=request.user,
            )
        except ValidationError as e:
            for field, errors in e.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Your declaration is sent to the cell for confirmation."))
            return redirect("fees:mine")
    return render(request, "fees/mine.html", _mine_context(request, member, form), status=200)


# --- the cell and the levels above ----------------------------------------------------------------


def home(request):
    require_staff(request.user)
    units = fee_units(request.user).filter(valid_to__isnull=True).order_by("path")
    pending = dict(
        FeeDeclaration.objects.filter(state=FeeDeclaration.State.DECLARED, member__unit__in=units)
        .values_list("member__unit")
        .annotate(n=Count("pk"))
    )
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    for u in page:
        u.pending = pending.get(u.pk, 0)
    return render(request, "fees/home.html", {"page": page})


def unit(request, pk):
    unit = get_unit_for_user(request.user, pk)
    month = _month(request.GET)
    sub = Q(unit__path__startswith=unit.path)
    members = Member.objects.filter(sub).select_related("unit").order_by("unit__path", "full_name")
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    ids = [m.pk for m in page]
    dues = dict(FeeDue.objects.filter(member_id__in=ids, month=month).values_list("member_id", "amount"))
    paid = set(
        FeePayment.objects.filter(member_id__in=ids, from_month__lte=month, to_month__gte=month).values_list(
            "member_id", flat=True
        )
    )
    for m in page:
        m.due = dues.get(m.pk)
        m.paid = m.pk in paid
    totals = FeeDue.objects.filter(sub, month=month).aggregate(n=Count("pk"), s=Sum("amount"))
    collected = FeePayment.objects.filter(
        member__unit__path__startswith=unit.path, from_month__lte=month, to_month__gte=month
    ).aggregate(n=Count("member", distinct=True))
    own = own_member_id(request.user)
    pending = list(
        FeeDeclaration.objects.filter(member__unit__path__startswith=unit.path, state=FeeDeclaration.State.DECLARED)
        .select_related("member__unit")
        .order_by("member__full_name")[:200]
    )
    for d in pending:
        d.own = d.member_id == own
    return render(
        request,
        "fees/unit.html",
        {
            "unit": unit,
            "month": month,
            "page": page,
            "totals": totals,
            "paid_count": collected["n"],
            "member_count": page.paginator.count,
            "pending": pending,
            "has_children": _has_children(unit),
        },
    )


@require_POST
def confirm(request, pk):
    unit = get_unit_for_user(request.user, pk)
    decls = declarations_for_user(request.user, unit, param_ids(request.POST, "declaration"))
    if not decls:
        messages.warning(request, _("Select at least one declaration."))
    else:
        n = services.confirm_declarations(decls, actor=request.user)
        messages.success(request, _("%(n)d declarations confirmed.") % {"n": n})
    return redirect("fees:unit", unit.pk)


@require_POST
def compute(request, pk):
    unit = get_unit_for_user(request.user, pk)
    month = _month(request.POST)
    services.request_dues(unit, month, actor=request.user)
    messages.success(
        request, _("The dues of %(month)s are being computed for this unit.") % {"month": month.strftime("%m/%Y")}
    )
    return redirect(reverse("fees:unit", args=[unit.pk]) + f"?month={month:%m/%Y}")


@require_http_methods(["GET", "POST"])
def cash(request, pk, member_pk):
    unit = get_unit_for_user(request.user, pk)
    member = get_member_for_user(request.user, unit, member_pk, act=request.method == "POST")
    form = CashPaymentForm(request.POST or None)
    warning = ""
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        payment, warning = services.record_cash_payment(
            member=member,
            from_month=d["from_month"],
            to_month=d["to_month"],
            amount=d["amount"],
            paid_on=d["paid_on"],
            receipt_number=d["receipt_number"],
            actor=request.user,
            accept_mismatch=d["accept_mismatch"],
        )
        if payment is not None:
            messages.success(request, _("Payment recorded with receipt %(n)s.") % {"n": payment.receipt_number})
            return redirect(reverse("fees:unit", args=[unit.pk]) + f"?month={d['from_month']:%m/%Y}")
    payments = member.fee_payments.order_by("-paid_on")[:12]
    return render(
        request,
        "fees/cash.html",
        {"unit": unit, "member": member, "form": form, "warning": warning, "payments": payments},
    )


@require_http_methods(["GET", "POST"])
def import_upload(request, pk):
    unit = get_unit_for_user(request.user, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = portal.read_file(upload)
        except ValidationError as e:
            for message in e.messages:
                form.add_error("file", message)
        else:
            imp = PortalImport.objects.create(
                unit=unit, file_name=upload.name[:255], rows=portal.to_json(rows), uploaded_by=request.user
            )
            return redirect("fees:import_preview", unit.pk, imp.pk)
    recent = PortalImport.objects.filter(unit=unit).order_by("-uploaded_at")[:10]
    return render(
        request,
        "fees/import.html",
        {"unit": unit, "form": form, "recent": recent, "has_children": _has_children(unit)},
    )


def import_preview(request, pk, import_pk):
    unit = get_unit_for_user(request.user, pk)
    imp = get_import_for_user(request.user, unit, import_pk)
    p = portal.preview(portal.from_json(imp.rows), unit=unit)
    warned = {id(row): message for row, message in p.warnings}
    matched = [(row, member, warned.get(id(row), "")) for row, member in p.matched]
    return render(
        request,
        "fees/import_preview.html",
        {"unit": unit, "imp": imp, "p": p, "matched": matched, "has_children": _has_children(unit)},
    )


@require_POST
def import_commit(request, pk, import_pk):
    unit = get_unit_for_user(request.user, pk)
    imp = get_import_for_user(request.user, unit, import_pk)
    p = portal.commit_import(imp, actor=request.user)
    if p.ok:
        messages.success(request, _("%(n)d portal payments saved.") % {"n": len(p.matched)})
        return redirect("fees:unit", unit.pk)
    messages.error(request, _("Nothing was saved: the list has rows to correct."))
    return redirect("fees:import_preview", unit.pk, imp.pk)


def arrears(request, pk):
    unit = get_unit_for_user(request.user, pk)
    today = timezone.localdate()
    year = param_year(request.GET, default=today.year)
    until = this_month() if year == today.year else datetime.date(year, 12, 1)
    rows = services.arrears(unit, year, until)
    return render(
        request,
        "fees/arrears.html",
        {"unit": unit, "year": year, "rows": rows, "has_children": _has_children(unit)},
    )


def _remittance_context(request, unit, form=None):
    today = timezone.localdate()
    year = param_year(request.GET, default=today.year)
    children = OrgUnit.objects.filter(parent=unit, valid_to__isnull=True).order_by("path")
    last = this_month() - datetime.timedelta(days=1)
    last = datetime.date(last.year, last.month, 1)
    rows = []
    remitted = dict(
        FeeRemittance.objects.filter(to_unit=unit, period_start__year=year)
        .values_list("from_unit")
        .annotate(s=Sum("amount"))
    )
    covering = set(
        FeeRemittance.objects.filter(to_unit=unit, period_start__lte=last, period_end__gte=last).values_list(
            "from_unit", flat=True
        )
    )
    for child in children:  # one aggregate per unit below: the cost grows with units, not members
        collected = (
            FeePayment.objects.filter(member__unit__path__startswith=child.path, from_month__year=year).aggregate(
                s=Sum("amount")
            )["s"]
            or 0
        )
        rows.append(
            {
                "unit": child,
                "collected": collected,
                "remitted": remitted.get(child.pk, 0),
                "late": child.pk not in covering and collected > 0,
            }
        )
    received = FeeRemittance.objects.filter(to_unit=unit, period_start__year=year).select_related("from_unit")
    return {
        "unit": unit,
        "year": year,
        "rows": rows,
        "last": last,
        "received": received.order_by("-remitted_on")[:100],
        "form": form or RemittanceForm(children=children),
        "can_record": can_write(request.user, unit),
    }


def remittances(request, pk):
    unit = get_unit_for_user(request.user, pk)
    return render(request, "fees/remittances.html", _remittance_context(request, unit))


@require_POST
def remit(request, pk):
    unit = get_unit_for_user(request.user, pk)
    children = OrgUnit.objects.filter(parent=unit, valid_to__isnull=True).order_by("path")
    form = RemittanceForm(request.POST, children=children)
    if form.is_valid():
        d = form.cleaned_data
        child = get_child_for_user(request.user, unit, d["from_unit"].pk)
        try:
            services.record_remittance(
                from_unit=child,
                to_unit=unit,
                period_start=d["period_start"],
                period_end=d["period_end"],
                amount=d["amount"],
                remitted_on=d["remitted_on"],
                actor=request.user,
            )
        except ValidationError as e:
            form.add_error(None, e.messages)
        else:
            messages.success(request, _("Remittance recorded."))
            return redirect("fees:remittances", unit.pk)
    return render(request, "fees/remittances.html", _remittance_context(request, unit, form))
