"""Portal payments import ("Danh sách Đảng phí đã nộp"): preview, then commit all or nothing.

Rows are dicts with the portal's columns already read from the file (STT, họ tên, số thẻ, ngày sinh,
đơn vị, kỳ nộp as a first-of-month date, giá trị in VND, ngày nộp). Reading the Excel/CSV file into
these rows (through ``dangbo.core.xlsx``) and the upload pages are not built yet.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from dangbo.fees.models import FeePayment
from dangbo.members.models import Member


@dataclass
class Preview:
    matched: list = field(default_factory=list)  # (row, member)
    problems: list = field(default_factory=list)  # (row, message)

    @property
    def ok(self):
        return not self.problems


def preview(rows):
    p = Preview()
    cards = {str(r.get("card_number") or "").strip() for r in rows}
    members = {m.card_number: m for m in Member.objects.filter(card_number__in=cards)}
    seen = set()
    for row in rows:
        card = str(row.get("card_number") or "").strip()
        member = members.get(card)
        if member is None:
            p.problems.append((row, _("No member has the party card number %(card)s.") % {"card": card or "—"}))
            continue
        key = (card, row["month"])
        if key in seen:
            p.problems.append((row, _("This month appears twice for this member in the file.")))
            continue
        seen.add(key)
        if FeePayment.objects.filter(member=member, from_month__lte=row["month"], to_month__gte=row["month"]).exists():
            p.problems.append((row, _("A payment for this month is already recorded.")))
            continue
        p.matched.append((row, member))
    return p


def commit(rows, *, actor):
    """Save every row as a portal payment, or nothing when any row has a problem; the preview."""
    with transaction.atomic():
        p = preview(rows)
        if not p.ok:
            return p
        for row, member in p.matched:
            FeePayment.objects.create(
                member=member, from_month=row["month"], to_month=row["month"], amount=int(row["amount"]),
                paid_on=row["paid_on"], source=FeePayment.Source.PORTAL, recorded_by=actor,
            )
    return p
