import datetime

from django.urls import reverse

from dangbo.admission import services
from dangbo.admission.models import Candidate, Target
from dangbo.core.models import Notification
from dangbo.members.intervals import rebuild_intervals
from dangbo.members.models import MemberEvent
from dangbo.testing import make_member

D = datetime.date


def _admitted(cast, cell, day, n, prefix):
    for i in range(n):
        m = make_member(f"{prefix} Văn {i}", cell, status="probationary", admission_date=day)
        MemberEvent.objects.create(member=m, kind="admitted", date=day, to_unit=cell, status_after="probationary")


def test_targets_go_down_the_tree_and_progress_reads_like_the_seeds(cast, login):
    staff = login(cast.staff_a)
    url = reverse("admission:targets")
    assert staff.post(url, {"unit": cast.gr_a.pk, "year": 2026, "count": 10, "students": 0}).status_code == 302
    assert staff.post(url, {"unit": cast.cell_a1.pk, "year": 2026, "count": 4, "students": 1}).status_code == 302
    # 4 + 7 would promise more than the grassroots target of 10.
    resp = staff.post(url, {"unit": cast.cell_a2.pk, "year": 2026, "count": 7, "students": 0})
    assert "Chỉ tiêu năm 2026 của Đảng bộ Sở Tài chính là 10; đã giao 4 cho đơn vị khác." in resp.content.decode()
    assert not Target.objects.filter(unit=cast.cell_a2).exists()
    # A cell secretary sets no targets, and staff_b cannot set gr_a's.
    assert login(cast.secretary_a1).post(url, {"unit": cast.cell_a1.pk, "year": 2026, "count": 1}).status_code == 404
    resp = login(cast.staff_b).post(url, {"unit": cast.gr_a.pk, "year": 2026, "count": 99})
    # Out of their reach: an error on the field, worded as for an id that does not exist (no 404, no hint).
    assert resp.status_code == 200
    assert resp.context["form"].errors["unit"] == [
        "Hãy chọn trong kết quả tìm kiếm: lựa chọn này không thuộc phạm vi được chọn."
    ]
    forged = login(cast.staff_b).post(url, {"unit": 999999, "year": 2026, "count": 99})
    assert forged.context["form"].errors["unit"] == resp.context["form"].errors["unit"]
    assert Target.objects.get(unit=cast.gr_a).count == 10

    # At 31/12/2025 gr_a had its 3 cast members on the books; 5 are admitted in 2026 (3 in March, 2 in May).
    for m in (cast.m_a1, cast.m_a1_other, cast.m_a2):
        MemberEvent.objects.create(member=m, kind="admitted", date=D(2015, 1, 1), to_unit=m.unit, status_after=m.status)
    _admitted(cast, cast.cell_a1, D(2026, 3, 10), 3, "Lê")
    _admitted(cast, cast.cell_a2, D(2026, 5, 5), 2, "Vũ")
    rebuild_intervals()
    resp = login(cast.staff_a).get(url, {"unit": cast.gr_a.pk, "year": 2026})
    main = resp.context["main"]
    assert (main["admitted"], main["target"], main["percent_of_target"]) == (5, 10, 50)
    assert (main["members_before"], main["percent_of_members"]) == (3, 166.67)
    assert main["monthly"][2] == 3 and main["monthly"][4] == 2
    text = resp.content.decode()
    assert "Năm 2026 kết nạp 5 đảng viên, đạt 50% chỉ tiêu 10, bằng 166,67% tổng số 3 đảng viên ngày 31/12/2025." in (
        " ".join(text.split())
    )
    # Students are counted against their own target (the fifth seed's university cells).
    student = Candidate(cell=cast.cell_a1, sex="F", birth_date=D(2004, 1, 1), is_student=True, stage="probation")
    student.set_name("Lê Thị Sinh Viên")
    student.ceremony_date = D(2026, 5, 19)
    student.save()
    resp = login(cast.staff_a).get(url, {"unit": cast.gr_a.pk, "year": 2026})
    rows = {r["unit"].name: r for r in resp.context["rows"]}
    assert (rows["Chi bộ Phòng Ngân sách"]["students_admitted"], rows["Chi bộ Phòng Ngân sách"]["students_target"]) == (
        1,
        1,
    )
    assert (rows["Chi bộ Phòng Ngân sách"]["admitted"], rows["Chi bộ Phòng Ngân sách"]["percent_of_target"]) == (3, 75)


def test_reminders_at_the_registry_offsets_then_overdue(cast, login, settings):
    settings.NOTIFY_BY_EMAIL = False
    c = Candidate(cell=cast.cell_a1, sex="M", birth_date=D(1995, 1, 1), stage="decided")
    c.set_name("Phan Văn Nhắc")
    c.decision_no, c.decision_date, c.decision_received = "1-QĐ", D(2026, 10, 1), D(2026, 10, 1)
    c.save()
    due = services.ceremony_deadline(c)
    # 30 days ahead: the 30-day reminder, once.
    assert services.send_reminders(today=due - datetime.timedelta(days=30)) == 1
    assert services.send_reminders(today=due - datetime.timedelta(days=29)) == 0
    note = Notification.objects.get(user=cast.secretary_a1)
    assert "Phan Văn Nhắc" in note.title and "30" in note.title
    assert services.send_reminders(today=due - datetime.timedelta(days=7)) == 1
    # Overdue: the secretary and the grassroots staff hear of it.
    assert services.send_reminders(today=due + datetime.timedelta(days=1)) == 1
    assert Notification.objects.filter(user=cast.staff_a, title__startswith="Quá hạn").exists()
    # The overdue list shows it to the offices above.
    page = login(cast.bloc_user).get(reverse("admission:overdue")).content.decode()
    assert "Phan Văn Nhắc" in page
