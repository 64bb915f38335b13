"""The story the periodic-report tests share (third quarter of 2026, on the named cast).

m_a1 (Hoa)       admitted 2019 into cell_a1, official 2020
m_a1_other (Đức) admitted 10/08/2026 into cell_a1 (in Q3)
m_a2 (Lan)       admitted 05/10/2026 into cell_a2 (after Q3: must not count)
m_b1 (Minh)      official since 2015 in cell_b1; transferred to cell_a1, received 15/09/2026
m_c (Mai)        official since 2018 in cell_c; died 20/09/2026
Hoa is transferred to cell_b1 on 10/10/2026, after the quarter.
"""

import datetime

from dangbo.members.intervals import rebuild_intervals
from dangbo.members.models import Member, MemberEvent

D = datetime.date
Q3 = ("quarter", 2026, 3)


def _event(member, kind, day, to_unit=None, status=None):
    MemberEvent.objects.create(member=member, kind=kind, date=day, to_unit=to_unit, status_after=status)


def _transfer(member, to_unit, day):
    from dangbo.transfers import services

    t = services.request_transfer(
        member=member, kind="official_internal", to_unit=to_unit, requested_on=day, actor=None, decision_date=day
    )
    t = services.issue_letter(transfer=t, letter_no="9-GGT", letter_date=day, actor=None)
    t = services.send_record(transfer=t, day=day, actor=None)
    return services.confirm_receipt(transfer=t, day=day, actor=None)


def build_story(cast):
    E = MemberEvent.Kind
    _event(cast.m_a1, E.ADMITTED, D(2019, 3, 1), cast.cell_a1, "probationary")
    _event(cast.m_a1, E.MADE_OFFICIAL, D(2020, 3, 1), None, "official")
    _event(cast.m_a1_other, E.ADMITTED, D(2026, 8, 10), cast.cell_a1, "probationary")
    _event(cast.m_a2, E.ADMITTED, D(2026, 10, 5), cast.cell_a2, "probationary")
    _event(cast.m_b1, E.ADMITTED, D(2014, 1, 1), cast.cell_b1, "probationary")
    _event(cast.m_b1, E.MADE_OFFICIAL, D(2015, 1, 1), None, "official")
    _event(cast.m_c, E.ADMITTED, D(2017, 1, 1), cast.cell_c, "probationary")
    _event(cast.m_c, E.MADE_OFFICIAL, D(2018, 1, 1), None, "official")
    Member.objects.filter(pk=cast.m_a1_other.pk).update(status="probationary")
    rebuild_intervals()
    _transfer(cast.m_b1, cast.cell_a1, D(2026, 9, 15))
    _event(cast.m_c, E.DECEASED, D(2026, 9, 20), None, "deceased")
    Member.objects.filter(pk=cast.m_c.pk).update(status="deceased")
    rebuild_intervals([cast.m_c.pk])
    # After the quarter: must change nothing in its report.
    _transfer(cast.m_a1, cast.cell_b1, D(2026, 10, 10))
