"""Portal payments import ("Danh sách Đảng phí đã nộp"): read, preview, then commit all or nothing.

Rows are dicts with the portal's columns (STT, họ tên, số thẻ, ngày sinh, đơn vị, kỳ nộp as a
first-of-month date, giá trị in VND, ngày nộp), read from an Excel (.xlsx) or CSV file by ``read_file``.
Rows are matched by party card number, within the importing unit's subtree when one is given. A
row with a problem (unknown card, out of the unit, twice in the file, month already paid) stops the
whole import; an amount different from the member's due is shown as a warning, never silently.
"""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dangbo.core import xlsx
from dangbo.core.audit import record
from dangbo.core.text import fold
from dangbo.fees.models import FeeDue, FeePayment
from dangbo.members.models import Member

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20000

# Column key → the folded header labels the portal or a person may write.
COLUMNS = {
    "no": {"stt", "so thu tu"},
    "full_name": {"ho ten", "ho va ten", "ho ten dang vien"},
    "card_number": {"so the", "so the dang", "so the dang vien"},
    "birth_date": {"ngay sinh"},
    "unit_name": {"don vi", "chi bo", "to chuc dang"},
    "month": {"ky nop", "thang nop", "ky dong"},
    "amount": {"gia tri", "so tien", "so tien nop"},
    "paid_on": {"ngay nop", "ngay dong"},
}
REQUIRED = ("card_number", "month", "amount", "paid_on")


@dataclass
class Preview:
    matched: list = field(default_factory=list)  # (row, member)
    problems: list = field(default_factory=list)  # (row, message)
    warnings: list = field(default_factory=list)  # (row, message): shown, not refused

    @property
    def ok(self):
        return not self.problems

    @property
    def total(self):
        return sum(int(row["amount"]) for row, _m in self.matched)


def _text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().strftime("%d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _date(text):
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if m:
        return datetime.date(int(m[3]), int(m[2]), int(m[1]))
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        return datetime.date(int(m[1]), int(m[2]), int(m[3]))
    raise ValueError(text)


def _month(text):
    m = re.search(r"(\d{1,2})\s*[/.-]\s*(\d{4})$", text)
    if m and not re.fullmatch(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{4}", text):
        return datetime.date(int(m[2]), int(m[1]), 1)
    day = _date(text)
    return datetime.date(day.year, day.month, 1)


def _amount(text):
    digits = re.sub(r"[.,\s]|đ|vnd", "", text.lower())
    if not digits.isdigit():
        raise ValueError(text)
    return int(digits)


def _table(uploaded):
    name = (uploaded.name or "").lower()
    if name.endswith(".csv"):
        raw = uploaded.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("The CSV file is not in UTF-8. Save it as “CSV UTF-8” and try again."))
        sample = text[:2048]
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))
    try:
        wb = xlsx.read(uploaded)
    except (zipfile.BadZipFile, ValidationError, *xlsx.READ_ERRORS):
        raise ValidationError(_("This is neither an Excel file (.xlsx) nor a CSV file."))
    return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]


def read_file(uploaded):
    """The rows of the portal's list, or ValidationError with a Vietnamese reason."""
    if uploaded.size > MAX_BYTES:
        raise ValidationError(_("The file is larger than 5 MB."))
    table = _table(uploaded)
    header, mapping = None, {}
    for n, row in enumerate(table[:10]):
        found = {}
        for i, value in enumerate(row):
            label = fold(_text(value)).strip(" *:")
            for key, labels in COLUMNS.items():
                if label in labels and key not in found.values():
                    found[i] = key
        if "card_number" in found.values():
            header, mapping = n, found
            break
    if header is None:
        raise ValidationError(_("No header row with the column “Số thẻ” in the first 10 rows."))
    missing = [k for k in REQUIRED if k not in mapping.values()]
    if missing:
        labels = {"card_number": "Số thẻ", "month": "Kỳ nộp", "amount": "Giá trị", "paid_on": "Ngày nộp"}
        raise ValidationError(
            _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(labels[k] for k in missing)}
        )
    rows, errors = [], []
    for n, raw in enumerate(table[header + 1 :], header + 2):
        values = {key: _text(raw[i]) if i < len(raw) else "" for i, key in mapping.items()}
        if not any(values.values()):
            continue
        if len(rows) >= MAX_ROWS:
            raise ValidationError(_("The file has more than %(n)d rows.") % {"n": MAX_ROWS})
        row = {"line": n, "full_name": values.get("full_name", ""), "unit_name": values.get("unit_name", "")}
        row["card_number"] = values["card_number"].replace(" ", "")
        try:
            row["month"] = _month(values["month"])
            row["amount"] = _amount(values["amount"])
            row["paid_on"] = _date(values["paid_on"])
        except (ValueError, TypeError):
            errors.append(_("Line %(n)d: the period, the amount or the payment date cannot be read.") % {"n": n})
            continue
        rows.append(row)
    if errors:
        raise ValidationError(errors[:20])
    if not rows:
        raise ValidationError(_("The file holds no payment."))
    return rows


def to_json(rows):
    return [{**r, "month": r["month"].isoformat(), "paid_on": r["paid_on"].isoformat()} for r in rows]


def from_json(rows):
    return [
        {**r, "month": datetime.date.fromisoformat(r["month"]), "paid_on": datetime.date.fromisoformat(r["paid_on"])}
        for r in rows
    ]


def _vnd(n):
    return f"{n:,}".replace(",", ".")


def preview(rows, *, unit=None):
    """Match every row; ``unit`` limits the members to its subtree. A constant number of queries."""
    p = Preview()
    cards = {str(r.get("card_number") or "").strip() for r in rows}
    members = Member.objects.filter(card_number__in=cards).select_related("unit")
    members = {m.card_number: m for m in members}
    ids = [m.pk for m in members.values()]
    months = {r["month"] for r in rows}
    paid = {}
    for member_id, start, end in FeePayment.objects.filter(member_id__in=ids).values_list(
        "member_id", "from_month", "to_month"
    ):
        paid.setdefault(member_id, []).append((start, end))
    dues = {
        (m, month): amount
        for m, month, amount in FeeDue.objects.filter(member_id__in=ids, month__in=months).values_list(
            "member_id", "month", "amount"
        )
    }
    seen = set()
    for row in rows:
        card = str(row.get("card_number") or "").strip()
        member = members.get(card)
        if member is None:
            p.problems.append((row, _("No member has the party card number %(card)s.") % {"card": card or "—"}))
            continue
        if unit is not None and not member.unit.path.startswith(unit.path):
            p.problems.append((row, _("The member with this card number is not in your unit.")))
            continue
        key = (card, row["month"])
        if key in seen:
            p.problems.append((row, _("This month appears twice for this member in the file.")))
            continue
        seen.add(key)
        if any(a <= row["month"] <= b for a, b in paid.get(member.pk, ())):
            p.problems.append((row, _("A payment for this month is already recorded.")))
            continue
        p.matched.append((row, member))
        due = dues.get((member.pk, row["month"]))
        if due is None:
            p.warnings.append((row, _("No due is computed for this member and month yet.")))
        elif due != int(row["amount"]):
            p.warnings.append(
                (
                    row,
                    _("The amount %(amount)s VND differs from the %(due)s VND due.")
                    % {"amount": _vnd(int(row["amount"])), "due": _vnd(due)},
                )
            )
    return p


def commit(rows, *, actor, unit=None):
    """Save every row as a portal payment, or nothing when any row has a problem; the preview."""
    with transaction.atomic():
        p = preview(rows, unit=unit)
        if not p.ok:
            return p
        payments = FeePayment.objects.bulk_create(
            FeePayment(
                member=member,
                from_month=row["month"],
                to_month=row["month"],
                amount=int(row["amount"]),
                paid_on=row["paid_on"],
                source=FeePayment.Source.PORTAL,
                recorded_by=actor,
            )
            for row, member in p.matched
        )
        if unit is not None and payments:
            record(
                actor=actor,
                action="fees.portal_import",
                obj=unit,
                unit=unit,
                note=f"{len(payments)} / {_vnd(p.total)}",
            )
    return p


def commit_import(imp, *, actor):
    """Commit a stored PortalImport once; the preview (nothing saved when it shows a problem)."""
    from django.utils import timezone

    with transaction.atomic():
        imp = type(imp).objects.select_for_update().get(pk=imp.pk)
        rows = from_json(imp.rows)
        if imp.committed_at is not None:
            p = preview(rows, unit=imp.unit)
            p.problems.append(({}, _("This import was already saved.")))
            return p
        p = commit(rows, actor=actor, unit=imp.unit)
        if p.ok:
            imp.committed_at = timezone.now()
            imp.committed_count = len(p.matched)
            imp.save(update_fields=["committed_at", "committed_count"])
    return p
