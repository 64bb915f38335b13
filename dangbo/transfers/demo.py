"""Demo transfers: the demo committee (Sở Tài chính) has transfers at every step — pending out, pending
in, one overdue, a temporary stay, one out of the province — and some completed
in the third quarter of 2026 so that the period report and the increase/decrease table have figures."""

import datetime

from dangbo.members.models import Member
from dangbo.org.models import OrgUnit
from dangbo.transfers import services

D = datetime.date


def _members(cell, n, keep):
    """Not the README's demo logins (``keep``): ``dangvien`` stays in the cell its secretary ``chibo`` runs."""
    return list(
        Member.objects.filter(unit=cell, status=Member.Status.OFFICIAL, temporary_unit__isnull=True)
        .exclude(user__username__in=keep)
        .order_by("pk")[:n]
    )


def build(builder):
    rng = builder.rng
    finance = builder.units["finance"]
    home_cells = list(OrgUnit.objects.active().in_subtree(finance).filter(kind__in=OrgUnit.CELL_KINDS).order_by("path"))
    other_cells = list(
        OrgUnit.objects.active()
        .filter(kind__in=OrgUnit.CELL_KINDS)
        .exclude(path__startswith=finance.path)
        .order_by("path")[:60]
    )
    if not home_cells or len(other_cells) < 2:
        return
    keep = builder.role_logins
    leaving = [m for cell in home_cells for m in _members(cell, 2, keep)]
    coming = [m for cell in rng.sample(other_cells, min(4, len(other_cells))) for m in _members(cell, 1, keep)]
    if len(leaving) < 6 or len(coming) < 3:
        return

    def internal(member, to_unit, decision, steps):
        t = services.request_transfer(
            member=member,
            kind="official_internal",
            to_unit=to_unit,
            decision_no=f"{rng.randint(100, 400)}/QĐ-UBND",
            decision_date=decision,
            reason="Điều động, luân chuyển công tác",
            requested_on=decision + datetime.timedelta(days=2),
            actor=None,
        )
        if steps >= 1:
            t = services.issue_letter(
                transfer=t,
                letter_no=f"{rng.randint(10, 99)}-GGT/ĐUK",
                letter_date=decision + datetime.timedelta(days=5),
                issuer="Ban Tổ chức Đảng ủy Khối",
                actor=None,
            )
        if steps >= 2:
            t = services.send_record(transfer=t, day=decision + datetime.timedelta(days=7), actor=None)
        if steps >= 3:
            t = services.confirm_receipt(transfer=t, day=decision + datetime.timedelta(days=20), actor=None)
        return t

    # Completed in Q3 2026: out of the committee, into it, and between two of its cells.
    internal(leaving[0], rng.choice(other_cells), D(2026, 7, 6), 3)
    internal(coming[0], home_cells[0], D(2026, 7, 13), 3)
    if len(home_cells) > 1:
        internal(
            leaving[1], home_cells[-1] if leaving[1].unit_id != home_cells[-1].pk else home_cells[0], D(2026, 8, 3), 3
        )
    # Pending: requested, letter issued, record handed over (waiting for the receiver), one overdue.
    internal(leaving[2], rng.choice(other_cells), D(2026, 11, 2), 0)
    internal(leaving[3], rng.choice(other_cells), D(2026, 10, 19), 1)
    internal(coming[1], home_cells[0], D(2026, 10, 26), 2)
    internal(leaving[4], rng.choice(other_cells), D(2026, 6, 1), 1)  # the 60 working days ran out in August
    # Out of the province, letter issued; a temporary stay for study at a host cell.
    t = services.request_transfer(
        member=leaving[5],
        kind="official_out",
        outside_party="Đảng bộ Sở Tài chính tỉnh Lâm Đồng",
        decision_no="58/QĐ-UBND",
        decision_date=D(2026, 11, 2),
        reason="Chuyển công tác ra ngoài tỉnh",
        requested_on=D(2026, 11, 4),
        actor=None,
    )
    services.issue_letter(transfer=t, letter_no="77-GGT/ĐUK", letter_date=D(2026, 11, 6), actor=None)
    t = services.request_transfer(
        member=coming[2],
        kind="temporary",
        to_unit=home_cells[0],
        purpose="study",
        start_date=D(2026, 9, 1),
        end_date=D(2027, 6, 30),
        reason="Học cao cấp lý luận chính trị tập trung",
        requested_on=D(2026, 8, 20),
        actor=None,
    )
    services.issue_letter(transfer=t, letter_no="64-GGT/ĐUK", letter_date=D(2026, 8, 25), actor=None)
    services.confirm_receipt(transfer=t, day=D(2026, 9, 3), actor=None)
