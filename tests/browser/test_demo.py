from io import StringIO

from django.core.management import call_command

from dangbo.demo.builder import PASSWORD
from dangbo.org.models import OrgUnit


def test_demo_grassroots_login_sees_its_merged_committee(page, browser_login):
    call_command("load_demo", members=300, stdout=StringIO())
    finance = OrgUnit.objects.get(name="Đảng bộ Sở Tài chính")
    browser_login(page, "coso", PASSWORD)
    page.goto(f"{page.base_url}/org/{finance.pk}/")
    assert page.get_by_text("Đảng bộ Sở Tài chính").first.is_visible()
    assert page.locator("[data-testid=history]").get_by_text("Tiếp nhận tổ chức hợp nhất").is_visible()
    # Another grassroots organization is out of scope: 404.
    health = OrgUnit.objects.get(name="Đảng bộ Sở Y tế")
    response = page.goto(f"{page.base_url}/org/{health.pk}/")
    assert response.status == 404
