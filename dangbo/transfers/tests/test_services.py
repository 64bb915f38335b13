"""The transfer workflow at the service level: every allowed and refused step (DOMAIN.md §4)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from dangbo.core.models import AuditLog
from dangbo.core.workdays import add_working_days
from dangbo.members.intervals import members_on
from dangbo.members.models import Member, MemberEvent
from dangbo.transfers import services
from dangbo.transfers.models import ReminderSent, Transfer
from dangbo.transfers.tests.helpers import with_history

D = datetime.date
K = Transfer.Kind
S = Transfer.State


def _internal(cast, member=None, **extra):
    args = {
        "member": member or cast.m_a1_other,
        "kind": K.OFFICIAL_INTERNAL,
        "to_unit": cast.cell_b1,
        "decision_no": "15/QĐ-STC",
        "decision_date": D(2026, 9, 1),
        "requested_on": D(2026, 9, 2),
        "actor": cast.staff_a,
    }
    args.update(extra)
    return services.request_transfer(**args)


def _through(cast, t, until):
    if until in (S.LETTER_ISSUED, S.RECORD_SENT, S.RECEIVED):
        t = services.issue_letter(transfer=t, letter_no="88-GGT/ĐUK", letter_date=D(2026, 9, 10), actor=cast.staff_a)
    if until in (S.RECORD_SENT, S.RECEIVED):
        t = services.send_record(transfer=t, day=D(2026, 9, 11), actor=cast.staff_a)
    if until == S.RECEIVED:
        t = services.confirm_receipt(transfer=t, day=D(2026, 9, 20), actor=cast.staff_b)
    return t


def test_internal_transfer_moves_the_member_only_on_receipt(cast):
    m = cast.m_a1_other
    with_history(m)
    t = _through(cast, _internal(cast), S.RECORD_SENT)
    m.refresh_from_db()
    assert m.unit == cast.cell_a1 and t.state == S.RECORD_SENT
    assert not MemberEvent.objects.filter(member=m, kind=MemberEvent.Kind.TRANSFERRED_IN).exists()
    t = services.confirm_receipt(transfer=t, day=D(2026, 9, 20), actor=cast.staff_b)
    m.refresh_from_db()
    assert m.unit == cast.cell_b1 and t.state == S.RECEIVED and t.received_on == D(2026, 9, 20)
    ev = MemberEvent.objects.get(member=m, kind=MemberEvent.Kind.TRANSFERRED_IN)
    assert (ev.from_unit, ev.to_unit, ev.date, ev.status_after) == (
        cast.cell_a1,
        cast.cell_b1,
        D(2026, 9, 20),
        "official",
    )
    # As of the day before receipt the member counts in gr_a, from that day in gr_b.
    assert members_on(D(2026, 9, 19), cast.gr_a).filter(member=m).exists()
    assert not members_on(D(2026, 9, 19), cast.gr_b).filter(member=m).exists()
    assert members_on(D(2026, 9, 20), cast.gr_b).filter(member=m).exists()
    assert not members_on(D(2026, 9, 20), cast.gr_a).filter(member=m).exists()
    assert list(t.steps.values_list("state", flat=True)) == ["requested", "letter_issued", "record_sent", "received"]
    assert AuditLog.objects.filter(action="members.transfer_in", object_id=str(m.pk)).exists()
    assert AuditLog.objects.filter(action__startswith="transfers.", object_id=str(t.pk)).count() == 4


@pytest.mark.parametrize(
    "state, step",
    [
        (S.REQUESTED, "send"),
        (S.REQUESTED, "receive"),
        (S.LETTER_ISSUED, "issue"),
        (S.LETTER_ISSUED, "receive"),
        (S.RECORD_SENT, "issue"),
        (S.RECORD_SENT, "send"),
        (S.RECEIVED, "receive"),
        (S.RECEIVED, "cancel"),
        (S.RECEIVED, "end"),
    ],
)
def test_steps_out_of_order_are_refused(cast, state, step):
    t = _through(cast, _internal(cast), state)
    calls = {
        "issue": lambda: services.issue_letter(
            transfer=t, letter_no="1", letter_date=D(2026, 9, 25), actor=cast.staff_a
        ),
        "send": lambda: services.send_record(transfer=t, day=D(2026, 9, 25), actor=cast.staff_a),
        "receive": lambda: services.confirm_receipt(transfer=t, day=D(2026, 9, 25), actor=cast.staff_b),
        "cancel": lambda: services.cancel(transfer=t, day=D(2026, 9, 25), reason="x", actor=cast.staff_a),
        "end": lambda: services.end_temporary(transfer=t, day=D(2026, 9, 25), actor=cast.staff_a),
    }
    with pytest.raises(ValidationError):
        calls[step]()
    t.refresh_from_db()
    assert t.state == state


def test_the_members_own_login_follows_them(cast):
    t = _through(cast, _internal(cast, member=cast.m_a1), S.RECEIVED)
    assert Member.objects.get(pk=t.member_id).unit == cast.cell_b1
    assert list(cast.member_a1.roles.values_list("role", "unit")) == [("member", cast.cell_b1.pk)]


def test_only_the_receiver_confirms(cast):
    t = _through(cast, _internal(cast), S.RECORD_SENT)
    for user in (cast.staff_a, cast.secretary_a1, cast.inspector):
        with pytest.raises(ValidationError, match="nơi nhận|receiving"):
            services.confirm_receipt(transfer=t, day=D(2026, 9, 20), actor=user)
    t.refresh_from_db()
    assert t.state == S.RECORD_SENT
    # …and the receiver does not run the sender's steps.
    t2 = _internal(cast, member=cast.m_a1)
    with pytest.raises(ValidationError):
        services.issue_letter(transfer=t2, letter_no="1", letter_date=D(2026, 9, 10), actor=cast.staff_b)
    with pytest.raises(ValidationError):
        services.cancel(transfer=t2, day=D(2026, 9, 10), reason="x", actor=cast.staff_b)
    assert services.confirm_receipt(transfer=t, day=D(2026, 9, 20), actor=cast.bloc_user).state == S.RECEIVED


def test_requests_refused(cast):
    _internal(cast)
    with pytest.raises(ValidationError, match="đang|in progress"):
        _internal(cast)  # a second open transfer of the same member
    with pytest.raises(ValidationError):
        _internal(cast, member=cast.m_a1, to_unit=cast.cell_a1)  # to its own unit
    with pytest.raises(ValidationError):
        _internal(cast, member=cast.m_a1, to_unit=cast.gr_b)  # not a cell
    with pytest.raises(ValidationError):
        _internal(cast, member=cast.m_a1, actor=cast.staff_b)  # not the sending side
    with pytest.raises(ValidationError):
        _internal(cast, member=cast.m_a1, decision_date=None)
    with pytest.raises(ValidationError):
        _internal(cast, member=cast.m_a1, kind=K.OFFICIAL_OUT, to_unit=None, outside_party="")
    gone = cast.m_a2
    gone.status = Member.Status.DECEASED
    gone.save()
    with pytest.raises(ValidationError, match="danh sách|books"):
        _internal(cast, member=gone)
    assert Transfer.objects.count() == 1


def test_cancel_then_request_again(cast):
    t = _through(cast, _internal(cast), S.RECORD_SENT)
    with pytest.raises(ValidationError):
        services.cancel(transfer=t, day=D(2026, 9, 12), reason="  ", actor=cast.staff_a)
    services.cancel(transfer=t, day=D(2026, 9, 12), reason="Không chuyển nữa", actor=cast.staff_a)
    t.refresh_from_db()
    assert t.state == S.CANCELLED and services.deadlines(t) == []
    assert _internal(cast).state == S.REQUESTED


def test_transfer_out_leaves_the_books_on_hand_over(cast):
    m = cast.m_a1_other
    with_history(m)
    t = _internal(cast, kind=K.OFFICIAL_OUT, to_unit=None, outside_party="Đảng bộ tỉnh Lâm Đồng")
    t = services.issue_letter(transfer=t, letter_no="12-GGT", letter_date=D(2026, 9, 10), actor=cast.staff_a)
    assert t.present_by is None
    with pytest.raises(ValidationError):
        services.confirm_receipt(transfer=t, day=D(2026, 9, 12), actor=cast.bloc_user)
    services.send_record(transfer=t, day=D(2026, 9, 15), actor=cast.staff_a)
    m.refresh_from_db()
    t.refresh_from_db()
    assert m.status == Member.Status.TRANSFERRED_OUT and not t.is_open
    assert MemberEvent.objects.get(member=m, kind=MemberEvent.Kind.TRANSFERRED_OUT).date == D(2026, 9, 15)
    assert members_on(D(2026, 9, 14), cast.gr_a).filter(member=m).exists()
    assert not members_on(D(2026, 9, 15), cast.gr_a).filter(member=m).exists()
    with pytest.raises(ValidationError):
        _internal(cast, member=m)  # no longer on the books


def test_register_in_from_outside(cast):
    t = services.register_in(
        cell=cast.cell_b1,
        full_name="Phan Văn  Tới",
        sex="M",
        outside_party="Đảng ủy Quân sự tỉnh",
        letter_no="45-GGT",
        letter_date=D(2026, 8, 1),
        received_on=D(2026, 8, 10),
        admission_date=D(2015, 5, 19),
        actor=cast.staff_b,
    )
    m = t.member
    assert m.full_name == "Phan Văn Tới" and m.unit == cast.cell_b1 and t.state == S.RECEIVED
    ev = MemberEvent.objects.get(member=m)
    assert ev.kind == MemberEvent.Kind.TRANSFERRED_IN and ev.decision_no == "45-GGT" and ev.from_unit is None
    assert members_on(D(2026, 8, 10), cast.gr_b).filter(member=m).exists()
    assert not members_on(D(2026, 8, 9), cast.gr_b).filter(member=m).exists()
    with pytest.raises(ValidationError):
        services.register_in(
            cell=cast.cell_b1,
            full_name="X",
            sex="M",
            outside_party="Y",
            letter_no="1",
            letter_date=D(2026, 8, 1),
            received_on=D(2026, 8, 2),
            actor=cast.staff_a,  # not the receiving side
        )


def test_deadlines_across_tet_2027(cast):
    """60 working days from the decision, 30 from the letter, without weekends and Tết (04–10/02/2027)."""
    t = _internal(cast, decision_date=D(2027, 1, 4), requested_on=D(2027, 1, 5))
    assert t.complete_by == add_working_days(D(2027, 1, 4), 60) == D(2027, 4, 5)  # Mon–Fri alone: 29/03
    t = services.issue_letter(transfer=t, letter_no="3-GGT", letter_date=D(2027, 1, 20), actor=cast.staff_a)
    assert t.present_by == add_working_days(D(2027, 1, 20), 30) == D(2027, 3, 10)  # Mon–Fri alone: 03/03
    keys = {d.key: d for d in services.deadlines(t)}
    assert keys["complete"].due == D(2027, 4, 5) and keys["present"].due == D(2027, 3, 10)


def test_temporary_transfer_period_rules(cast):
    def temp(start, end, purpose="work", member=cast.m_a1):
        return _internal(
            cast, member=member, kind=K.TEMPORARY, purpose=purpose, start_date=start, end_date=end, decision_date=None
        )

    with pytest.raises(ValidationError, match="3"):
        temp(D(2026, 9, 1), D(2026, 11, 30))  # under 3 months
    with pytest.raises(ValidationError, match="12"):
        temp(D(2026, 9, 1), D(2027, 9, 1))  # a full year is not "under 1 year"
    with pytest.raises(ValidationError, match="24"):
        temp(D(2026, 9, 1), D(2028, 9, 2), purpose="study")
    t = temp(D(2026, 9, 1), D(2028, 9, 1), purpose="study")
    assert t.complete_by is None and t.end_date == D(2028, 9, 1)
    t.delete()
    assert temp(D(2026, 9, 1), D(2026, 12, 1)).state == S.REQUESTED


def test_temporary_member_is_not_counted_by_the_host(cast):
    from dangbo.reports.stats import membership_figures

    m = cast.m_a1_other
    with_history(m, cast.m_b1)
    t = _internal(
        cast, kind=K.TEMPORARY, start_date=D(2026, 9, 1), end_date=D(2027, 3, 1), decision_date=None, purpose="work"
    )
    with pytest.raises(ValidationError):
        services.send_record(transfer=t, day=D(2026, 9, 5), actor=cast.staff_a)
    t = services.issue_letter(transfer=t, letter_no="7-GGT", letter_date=D(2026, 9, 2), actor=cast.staff_a)
    t = services.confirm_receipt(transfer=t, day=D(2026, 9, 3), actor=cast.staff_b)
    m.refresh_from_db()
    assert m.unit == cast.cell_a1 and m.temporary_unit == cast.cell_b1 and t.is_open
    assert membership_figures(cast.cell_b1)["members"] == 1
    assert membership_figures(cast.cell_b1, on=D(2026, 10, 1))["members"] == 1
    assert membership_figures(cast.gr_a, on=D(2026, 10, 1))["members"] == 1  # only m_a1_other has history
    assert MemberEvent.objects.filter(member=m, kind=MemberEvent.Kind.TEMPORARY_OUT).exists()
    with pytest.raises(ValidationError):
        _internal(cast)  # away on a temporary transfer: no other transfer meanwhile
    assert [d.key for d in services.deadlines(t)] == ["temporary_end"]
    services.end_temporary(transfer=t, day=D(2027, 3, 1), actor=cast.staff_b)
    m.refresh_from_db()
    assert m.temporary_unit is None
    assert MemberEvent.objects.filter(member=m, kind=MemberEvent.Kind.TEMPORARY_END).exists()


def test_reminders_at_offsets_and_overdue_once(cast):
    from dangbo.core.models import Notification

    t = _internal(cast, decision_date=D(2026, 9, 1))
    due = t.complete_by
    assert services.send_reminders(today=due - datetime.timedelta(days=20)) == 1  # the 30-day offset
    assert services.send_reminders(today=due - datetime.timedelta(days=20)) == 0  # idempotent
    assert services.send_reminders(today=due - datetime.timedelta(days=19)) == 0
    assert services.send_reminders(today=due - datetime.timedelta(days=3)) == 1  # the 7-day offset
    assert services.send_reminders(today=due + datetime.timedelta(days=1)) == 1  # overdue
    assert services.send_reminders(today=due + datetime.timedelta(days=2)) == 0
    assert ReminderSent.objects.filter(transfer=t).count() == 3
    notified = set(Notification.objects.values_list("user__username", flat=True))
    # Both sides' staff, and the bloc office once it is overdue.
    assert {"staff_a", "secretary_a1", "staff_b", "bloc"} <= notified


def test_reminder_command(cast):
    from django.core.management import call_command

    _internal(cast, decision_date=D(2025, 8, 1), requested_on=D(2025, 8, 2))  # long overdue
    call_command("transfer_reminders")
    call_command("transfer_reminders")
    assert ReminderSent.objects.count() == 1


@pytest.mark.django_db
def test_demo_transfers():
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", members=600, stdout=StringIO())
    states = set(Transfer.objects.values_list("state", flat=True))
    assert {S.REQUESTED, S.LETTER_ISSUED, S.RECORD_SENT, S.RECEIVED} <= states
    assert Transfer.objects.filter(kind=K.TEMPORARY, state=S.RECEIVED).exists()
    assert Member.objects.current().count() == 600
