import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dangbo.admission import services
from dangbo.admission.models import Candidate, Vote
from dangbo.core.models import AuditLog
from dangbo.members.intervals import members_on
from dangbo.members.models import Member, MemberEvent
from dangbo.testing import make_member

D = datetime.date


def _candidate(cast, **extra):
    c = Candidate(
        cell=cast.cell_a1,
        sex="F",
        birth_date=D(1998, 6, 15),
        certificate_no="CN-123",
        certificate_date=D(2025, 7, 15),
        hometown="Đồng Tháp",
        occupation="Chuyên viên",
        helper=cast.m_a1_other,
    )
    for k, v in extra.items():
        setattr(c, k, v)
    c.set_name(extra.get("full_name", "Trần Thị Ngọc Ánh"))
    c.save()
    return c


def _complete_papers(client, c, *, introducers=True, cast=None):
    url = reverse("admission:step", args=[c.pk, "paper"])
    for kind, day in [
        ("application", "05/08/2025"),
        ("history", "10/08/2025"),
        ("verification", "20/08/2025"),
        ("mass_comments", "21/08/2025"),
        ("residence_comments", "22/08/2025"),
    ]:
        assert client.post(url, {"paper-kind": kind, "paper-received_on": day}).status_code == 302
    if introducers:
        url = reverse("admission:step", args=[c.pk, "introducer"])
        for m in (cast.m_a1_other, cast.m_a1):
            resp = client.post(url, {"introducer-member": m.pk, "introducer-together_since": "01/01/2020"})
            assert resp.status_code == 302, resp.content.decode()[:2000]


def _post(client, c, step, **data):
    return client.post(reverse("admission:step", args=[c.pk, step]), {f"{step}-{k}": v for k, v in data.items()})


def _errors(resp):
    return " ".join(str(e) for _s, f in resp.context["step_forms"] if f for e in f.non_field_errors())


def test_a_candidate_goes_from_the_list_to_official_member(cast, login):
    sec = login(cast.secretary_a1)
    resp = sec.post(
        reverse("admission:candidate_new"),
        {
            "cell": cast.cell_a1.pk,
            "full_name": "Trần  Thị Ngọc Ánh",
            "sex": "F",
            "birth_date": "15/06/1998",
            "ethnicity": "Kinh",
            "general_education": "12/12",
            "occupation": "Chuyên viên",
            "helper": cast.m_a1_other.pk,
            "certificate_no": "CN-123",
            "certificate_date": "15/07/2025",
        },
    )
    c = Candidate.objects.get()
    assert resp.status_code == 302 and c.full_name == "Trần Thị Ngọc Ánh" and c.stage == "candidate"
    # Not complete yet: the page lists what is missing.
    page = sec.get(c.get_absolute_url()).content.decode()
    assert "Thiếu: Đơn xin vào Đảng (1-KNĐ)." in page
    _complete_papers(sec, c, cast=cast)
    assert sec.post(reverse("admission:step", args=[c.pk, "complete"])).status_code == 302
    c.refresh_from_db()
    assert c.stage == "dossier_complete"

    # The cell votes: 2 official members counted (the probationary Ngô Thị Lan is in another cell).
    resp = _post(sec, c, "cell_vote", day="03/09/2025", in_favour=2, against=0)
    assert resp.status_code == 302
    vote = Vote.objects.get(level="cell")
    assert (vote.denominator, vote.in_favour, vote.passed, vote.threshold) == (2, 2, True, [2, 3])
    # The secretary cannot sign for the committee: that step is not theirs.
    assert _post(sec, c, "committee_vote", day="10/09/2025", committee_size=5, in_favour=4).status_code == 404
    staff = login(cast.staff_a)
    assert _post(staff, c, "committee_vote", day="10/09/2025", committee_size=5, in_favour=4).status_code == 302
    assert _post(staff, c, "decide", number="123-QĐ/ĐU", day="15/09/2025", received="17/09/2025").status_code == 302
    c.refresh_from_db()
    assert c.stage == "decided" and c.decision_date == D(2025, 9, 15)

    sec = login(cast.secretary_a1)
    assert _post(sec, c, "ceremony", day="10/10/2025").status_code == 302
    c.refresh_from_db()
    member = c.member
    assert (member.status, member.admission_date, member.admission_decision_date) == (
        "probationary",
        D(2025, 10, 10),
        D(2025, 9, 15),
    )
    assert member.unit == cast.cell_a1 and member.full_name == "Trần Thị Ngọc Ánh"
    assert MemberEvent.objects.get(member=member, kind="admitted").decision_no == "123-QĐ/ĐU"
    assert members_on(D(2025, 11, 1), cast.gr_a).filter(member=member, status="probationary").exists()
    assert _post(sec, c, "declaration", day="03/11/2025").status_code == 302

    # Recognition: the vote is late (after 30 working days) but recognition dates from the end of probation.
    assert _post(sec, c, "recognition_vote", day="20/10/2026", in_favour=2, against=0).status_code == 302
    staff = login(cast.staff_a)
    assert _post(staff, c, "recognize", number="456-QĐ/ĐU", day="01/11/2026").status_code == 302
    c.refresh_from_db()
    member.refresh_from_db()
    assert c.stage == "official"
    assert (member.status, member.official_date) == ("official", D(2026, 10, 10))
    official = MemberEvent.objects.get(member=member, kind="made_official")
    assert (official.date, official.decision_no) == (D(2026, 10, 10), "456-QĐ/ĐU")
    assert AuditLog.objects.filter(action="admission.stage", object_id=str(c.pk)).count() >= 6

    # The four forms, filled with the candidate's and the units' data.
    for code in ("6", "9", "14", "16"):
        resp = staff.get(reverse("admission:document", args=[c.pk, code]))
        assert resp.status_code == 200
        xml = zipfile.ZipFile(io.BytesIO(resp.content)).read("word/document.xml").decode()
        assert "Trần Thị Ngọc Ánh" in xml and "{{" not in xml
    xml = zipfile.ZipFile(io.BytesIO(staff.get(reverse("admission:document", args=[c.pk, "16"])).content))
    text = xml.read("word/document.xml").decode()
    assert "10/10/2026" in text and "15/09/2025" in text and "456-QĐ/ĐU" in text


def test_age_is_checked_in_months_at_the_cells_review_date(cast):
    c = _candidate(cast, birth_date=D(2007, 8, 15), stage="dossier_complete")
    with pytest.raises(Exception) as e:
        services.check_age(c, D(2025, 8, 14))  # one day short of 18
    assert "dưới mức tối thiểu 18 tuổi" in str(e.value)
    services.check_age(c, D(2025, 8, 15))
    old = _candidate(cast, full_name="Lê Văn Già", birth_date=D(1965, 1, 1))
    with pytest.raises(Exception) as e:
        services.check_age(old, D(2025, 8, 1))
    assert "phê duyệt của cấp ủy cấp tỉnh" in str(e.value)
    old.over_60_approval = "12-CV/TU"
    services.check_age(old, D(2025, 8, 1))


def test_periods_count_the_anniversary_day_in(cast):
    """docs/rules.md (Bộ luật Dân sự 2015, Điều 147–148): a certificate valid 60 months is still valid on
    the anniversary and expired the day after; a 29/02 birthday is reached on 28/02 of a common year."""
    c = _candidate(cast, certificate_date=D(2020, 7, 15))
    services.check_certificate(c, D(2025, 7, 15))
    with pytest.raises(ValidationError) as e:
        services.check_certificate(c, D(2025, 7, 16))
    assert "16/07/2025" in e.value.messages[0]
    leap = _candidate(cast, birth_date=D(2008, 2, 29), full_name="Lê Văn Nhuận")
    assert services.age_in_months(leap.birth_date, D(2026, 2, 27)) == 215
    assert services.age_in_months(leap.birth_date, D(2026, 2, 28)) == 216
    services.check_age(leap, D(2026, 2, 28))
    with pytest.raises(ValidationError):
        services.check_age(leap, D(2026, 2, 27))
    assert services.age_in_months(D(2008, 2, 29), D(2028, 2, 28)) == 239
    assert services.age_in_months(D(2008, 2, 29), D(2028, 2, 29)) == 240


def test_a_dossier_completes_before_18_and_the_age_counts_at_the_cells_review(cast, login):
    """DOMAIN.md §3 (Điều lệ Điều 1; issue on history §4): an applicant of 17 years 11 months completes
    the dossier; the cell's review is refused the day before the 18th birthday and passes on it."""
    today = timezone.localdate()
    birth = today.replace(year=today.year - 18) + datetime.timedelta(days=20)
    c = _candidate(cast, birth_date=birth, certificate_date=today - datetime.timedelta(days=30))
    sec = login(cast.secretary_a1)
    for i, kind in enumerate(("application", "history", "verification", "mass_comments", "residence_comments")):
        day = (today - datetime.timedelta(days=10 - i)).strftime("%d/%m/%Y")
        assert _post(sec, c, "paper", kind=kind, received_on=day).status_code == 302
    for m in (cast.m_a1_other, cast.m_a1):
        assert _post(sec, c, "introducer", member=m.pk, together_since="01/01/2020").status_code == 302
    resp = sec.post(reverse("admission:step", args=[c.pk, "complete"]))
    assert resp.status_code == 302, _errors(resp)
    c.refresh_from_db()
    assert c.stage == "dossier_complete"
    with pytest.raises(ValidationError):
        services.record_cell_vote(
            candidate=c,
            day=birth.replace(year=birth.year + 18) - datetime.timedelta(days=1),
            in_favour=2,
            against=0,
            actor=None,
        )
    c.refresh_from_db()
    assert c.stage == "dossier_complete" and not Vote.objects.filter(candidate=c).exists()


def test_refusals_of_the_dossier(cast, login):
    sec = login(cast.secretary_a1)
    c = _candidate(cast, certificate_date=D(2019, 1, 1))
    _complete_papers(sec, c, introducers=False, cast=cast)
    # A probationary member cannot introduce; nor someone who has not known the candidate 12 months.
    Member.objects.filter(pk=cast.m_a2.pk).update(unit=cast.cell_a1)
    resp = sec.post(
        reverse("admission:step", args=[c.pk, "introducer"]),
        {"introducer-member": cast.m_a2.pk, "introducer-together_since": "01/01/2020"},
    )
    assert "Ngô Thị Lan không phải là đảng viên chính thức." in _errors(resp)
    recent = (datetime.date.today() - datetime.timedelta(days=100)).strftime("%d/%m/%Y")
    resp = sec.post(
        reverse("admission:step", args=[c.pk, "introducer"]),
        {"introducer-member": cast.m_a1.pk, "introducer-together_since": recent},
    )
    assert "chưa cùng công tác, học tập hoặc sinh sống với người vào Đảng đủ 12 tháng" in _errors(resp)
    # Expired certificate and missing introducers: refused with both reasons.
    resp = sec.post(reverse("admission:step", args=[c.pk, "complete"]), follow=True)
    page = resp.content.decode()
    # Valid through 01/01/2024, the 60th month's anniversary; expired from the next day (docs/rules.md).
    assert "Giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng đã hết hạn ngày 02/01/2024" in page
    assert "Cần hai người giới thiệu" in page
    c.refresh_from_db()
    assert c.stage == "candidate"


def test_the_vote_denominator_leaves_out_who_the_rules_exclude(cast, login):
    cell = cast.cell_a1
    temp = make_member("Vũ Văn Tạm", cell, temporary_unit=cast.cell_b1)
    make_member("Hồ Văn Đình", cell, status=Member.Status.SUSPENDED)
    exempt = make_member("Lý Văn Miễn", cell, status=Member.Status.EXEMPTED)
    excused = make_member("Mạc Văn Phép", cell)
    make_member("Tô Thị Dự", cell, status=Member.Status.PROBATIONARY)
    counted = services.vote_denominator(cell, excused=[excused.pk])
    names = {m.full_name for m in counted.counted}
    assert names == {"Lê Thị Hoa", "Đặng Văn Đức"}
    reasons = {m.full_name: r for m, r in counted.excluded}
    assert reasons == {
        "Vũ Văn Tạm": "temporary",
        "Hồ Văn Đình": "suspended",
        "Lý Văn Miễn": "exempted_absent",
        "Mạc Văn Phép": "excused",
    }
    # An exempted member who attends and votes is counted.
    assert len(services.vote_denominator(cell, excused=[excused.pk], exempted_present=[exempt.pk]).counted) == 3
    assert temp.pk not in [m.pk for m in services.vote_denominator(cast.cell_b1).counted]

    # Below 2/3 of the counted members: recorded, not passed, the stage does not move.
    c = _candidate(cast)
    sec = login(cast.secretary_a1)
    _complete_papers(sec, c, introducers=False, cast=cast)
    for m in (cast.m_a1_other, cast.m_a1):
        c.introducers.create(member=m, together_since=D(2020, 1, 1))
    Candidate.objects.filter(pk=c.pk).update(stage="dossier_complete")
    # Below 2/3: Hoa, Đức and Phép are counted (the exempted Miễn is absent), one votes in favour.
    resp = _post(sec, c, "cell_vote", day="03/09/2025", in_favour=1, against=1)
    vote = Vote.objects.get()
    assert (vote.denominator, vote.passed) == (3, False)
    assert {e["reason"] for e in vote.excluded} == {"temporary", "suspended", "exempted_absent"}
    c.refresh_from_db()
    assert c.stage == "dossier_complete"
    # More votes than members counted is refused, and nothing is recorded.
    resp = _post(sec, c, "cell_vote", day="03/09/2025", in_favour=4, against=0)
    assert "chỉ có 3 đảng viên được tính" in _errors(resp)
    assert Vote.objects.count() == 1
    # Phép excused, Miễn present and voting: 2 of 3 is exactly 2/3 and passes.
    resp = _post(
        sec, c, "cell_vote", day="04/09/2025", in_favour=2, against=1, excused=excused.pk, exempted_present=exempt.pk
    )
    vote = Vote.objects.latest("id")
    assert (vote.denominator, vote.passed) == (3, True)
    c.refresh_from_db()
    assert c.stage == "cell_approved"


def _decided(cast, received):
    c = _candidate(cast, stage="decided", decision_no="9-QĐ/ĐU", decision_date=received, decision_received=received)
    return c


def test_ceremony_within_30_working_days_counted_across_tet(cast, login):
    # Received on 25/01/2027: 30 working days skip the five working days of Tết Đinh Mùi.
    c = _decided(cast, D(2027, 1, 25))
    assert services.ceremony_deadline(c) == D(2027, 3, 15)
    sec = login(cast.secretary_a1)
    resp = _post(sec, c, "ceremony", day="16/03/2027")
    assert "Lễ kết nạp phải tổ chức chậm nhất ngày 15/03/2027" in _errors(resp)
    assert Candidate.objects.get(pk=c.pk).member is None
    assert _post(sec, c, "ceremony", day="16/03/2027", consent="35-CV/ĐUK").status_code == 302
    c.refresh_from_db()
    assert c.stage == "probation" and c.late_ceremony_consent == "35-CV/ĐUK"


def test_recognition_waits_for_probation_and_three_failures_go_up(cast, login):
    c = _decided(cast, D(2025, 9, 15))
    sec = login(cast.secretary_a1)
    _post(sec, c, "ceremony", day="10/10/2025")
    c.refresh_from_db()
    assert services.probation_end(c) == D(2026, 10, 10)
    resp = _post(sec, c, "recognition_vote", day="09/10/2026", in_favour=2, against=0)
    assert "Thời gian dự bị kết thúc ngày 10/10/2026" in _errors(resp)
    # The committee cannot recognize before the cell voted for it.
    resp = _post(login(cast.staff_a), c, "recognize", number="1-QĐ", day="01/11/2026")
    assert "Chi bộ chưa biểu quyết công nhận." in _errors(resp)
    sec = login(cast.secretary_a1)
    for i in range(3):
        _post(sec, c, "recognition_vote", day=f"2{i}/10/2026", in_favour=1, against=1)
    c.refresh_from_db()
    assert (c.stage, c.failed_recognition_votes) == ("referred", 3)
    assert Member.objects.get(pk=c.member_id).status == "probationary"


def test_others_see_nothing_and_secretaries_sign_nothing(cast, login):
    c = _candidate(cast)
    assert login(cast.staff_b).get(c.get_absolute_url()).status_code == 404
    assert login(cast.member_a1).get(reverse("admission:home")).status_code == 404
    c.stage = "committee_approved"
    c.save()
    resp = _post(login(cast.secretary_a1), c, "decide", number="1", day="01/01/2026")
    assert resp.status_code == 404
    assert Candidate.objects.get(pk=c.pk).stage == "committee_approved"


@pytest.mark.parametrize(
    "stage,user,step,data,error",
    [
        ("cell_approved", "staff_a", "committee_vote", {"day": "01/09/2025", "committee_size": 5, "in_favour": 5},
         "Cấp ủy biểu quyết sau chi bộ."),
        ("committee_approved", "staff_a", "decide", {"number": "1-QĐ", "day": "01/09/2025"},
         "Quyết định không thể trước nghị quyết của cấp ủy."),
        ("committee_approved", "staff_a", "decide", {"number": "1-QĐ", "day": "20/09/2025", "received": "19/09/2025"},
         "Không thể nhận quyết định trước ngày ký."),
        ("decided", "secretary_a1", "ceremony", {"day": "14/09/2025"},
         "Lễ kết nạp không thể trước quyết định kết nạp."),
        ("probation", "secretary_a1", "declaration", {"day": "09/10/2025"}, "Khai lý lịch 1-HSĐV sau lễ kết nạp."),
        ("probation", "secretary_a1", "withdraw", {"reason": "Chuyển công tác"}, "Không thể thực hiện bước này"),
        ("candidate", "secretary_a1", "cell_vote", {"day": "03/09/2025", "in_favour": 2},
         "Không thể thực hiện bước này ở giai đoạn “Quần chúng ưu tú”."),
    ],
)  # fmt: skip
def test_each_step_refuses_out_of_order_or_inconsistent_dates(cast, login, stage, user, step, data, error):
    from dangbo.admission.models import Vote as V

    c = _candidate(
        cast,
        stage=stage,
        decision_no="9-QĐ",
        decision_date=D(2025, 9, 15),
        decision_received=D(2025, 9, 15),
        ceremony_date=D(2025, 10, 10) if stage == "probation" else None,
    )
    for level, day in (("cell", D(2025, 9, 3)), ("committee", D(2025, 9, 10))):
        V.objects.create(candidate=c, level=level, date=day, denominator=2, in_favour=2, threshold=[2, 3], passed=True)
    before = (c.stage, Vote.objects.count(), Member.objects.count())
    resp = _post(login(getattr(cast, user)), c, step, **data)
    assert resp.status_code == 200 and error in _errors(resp)
    c.refresh_from_db()
    assert (c.stage, Vote.objects.count(), Member.objects.count()) == before


def test_the_dossier_keeps_its_order_and_a_withdrawal_needs_a_reason(cast, login):
    sec = login(cast.secretary_a1)
    c = _candidate(cast)
    _complete_papers(sec, c, cast=cast)
    # The personal history dated before the application.
    _post(sec, c, "paper", kind="history", received_on="01/08/2025")
    resp = sec.post(reverse("admission:step", args=[c.pk, "complete"]), follow=True)
    assert "Đơn xin vào Đảng phải viết trước lý lịch." in resp.content.decode()
    assert Candidate.objects.get(pk=c.pk).stage == "candidate"
    resp = _post(sec, c, "withdraw", reason="  ")
    assert Candidate.objects.get(pk=c.pk).stage == "candidate"
    assert _post(sec, c, "withdraw", reason="Chuyển công tác ra ngoài tỉnh").status_code == 302
    c.refresh_from_db()
    assert c.stage == "withdrawn" and c.note == "Chuyển công tác ra ngoài tỉnh"
