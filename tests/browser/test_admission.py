from dangbo.admission.models import Candidate
from dangbo.members.models import Member
from tests.browser.search import search_pick


def _step(page, name, fields=None, selects=None, checks=()):
    form = page.locator(f"[data-testid=step-{name}]")
    for field, value in (selects or {}).items():
        form.locator(f"#id_{name}-{field}").select_option(value)
    for field, value in (fields or {}).items():
        form.locator(f"#id_{name}-{field}").fill(str(value))
    for label in checks:
        form.get_by_label(label).check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def _as(page, browser_login, username):
    page.context.clear_cookies()
    browser_login(page, username)


def test_a_secretary_takes_a_candidate_to_official_member(page, browser_cast, browser_login):
    c = browser_cast
    browser_login(page, "secretary_a1")
    page.click("#members-menu")
    page.click("text=Phát triển đảng viên")
    page.click("[data-testid=add-candidate]")
    search_pick(page, "id_cell", "ngan sach", "Chi bộ Phòng Ngân sách")
    page.fill("#id_full_name", "Trần Thị Ngọc Ánh")
    page.select_option("#id_sex", "F")
    page.fill("#id_birth_date", "15/06/1998")
    page.fill("#id_occupation", "Chuyên viên")
    page.fill("#id_certificate_no", "CN-123")
    page.fill("#id_certificate_date", "15/07/2025")
    page.click("main form button[type=submit]")
    assert page.locator("[data-testid=stage]").inner_text() == "Quần chúng ưu tú"
    assert page.locator("[data-testid=missing]").is_visible()

    for kind, day in [
        ("application", "05/08/2025"),
        ("history", "10/08/2025"),
        ("verification", "20/08/2025"),
        ("mass_comments", "21/08/2025"),
        ("residence_comments", "22/08/2025"),
    ]:
        _step(page, "paper", {"received_on": day}, {"kind": kind})
    for member in (c.m_a1_other, c.m_a1):
        form = page.locator("[data-testid=step-introducer]")
        search_pick(form, "id_introducer-member", member.search_name.split()[-1], member.full_name)
        _step(page, "introducer", {"together_since": "01/01/2020"})
    assert page.locator("[data-testid=missing]").count() == 0
    _step(page, "complete")
    assert page.locator("[data-testid=stage]").inner_text() == "Đủ hồ sơ"

    # A vote below 2/3 is recorded and refused; then the cell votes 2 of 2.
    _step(page, "cell_vote", {"day": "03/09/2025", "in_favour": 1, "against": 1})
    assert page.locator(".alert-warning").get_by_text("Biểu quyết không đạt").is_visible()
    _step(page, "cell_vote", {"day": "04/09/2025", "in_favour": 2, "against": 0})
    assert page.locator("[data-testid=stage]").inner_text() == "Chi bộ đề nghị"

    _as(page, browser_login, "staff_a")
    page.goto(f"{page.base_url}/admission/{Candidate.objects.get().pk}/")
    _step(page, "committee_vote", {"day": "10/09/2025", "committee_size": 5, "in_favour": 4})
    _step(page, "decide", {"number": "123-QĐ/ĐU", "day": "15/09/2025", "received": "17/09/2025"})
    assert page.locator("[data-testid=stage]").inner_text() == "Đã có quyết định kết nạp"

    _as(page, browser_login, "secretary_a1")
    page.goto(f"{page.base_url}/admission/{Candidate.objects.get().pk}/")
    # Too late without the higher committee's consent: refused with the deadline.
    _step(page, "ceremony", {"day": "10/12/2025"})
    assert "chậm nhất ngày" in page.locator("[data-testid=step-error]").inner_text()
    _step(page, "ceremony", {"day": "10/10/2025"})
    assert page.locator("[data-testid=stage]").inner_text() == "Đảng viên dự bị"
    _step(page, "declaration", {"day": "03/11/2025"})
    _step(page, "recognition_vote", {"day": "20/10/2026", "in_favour": 2})

    _as(page, browser_login, "staff_a")
    page.goto(f"{page.base_url}/admission/{Candidate.objects.get().pk}/")
    _step(page, "recognize", {"number": "456-QĐ/ĐU", "day": "01/11/2026"})
    assert page.locator("[data-testid=stage]").inner_text() == "Đảng viên chính thức"
    with page.expect_download() as download:
        page.locator("[data-testid=documents] a").last.click()
    assert download.value.suggested_filename.startswith("16-KND")
    member = Member.objects.get(full_name="Trần Thị Ngọc Ánh")
    assert (member.status, str(member.official_date), member.unit_id) == ("official", "2026-10-10", c.cell_a1.pk)
    page.click("text=Hồ sơ đảng viên")
    assert page.locator("[data-testid=events]").get_by_text("Kết nạp").is_visible()
