def test_login_and_overview(page, browser_cast, browser_login):
    browser_login(page, "bloc")
    assert page.locator("[data-testid=summary]").is_visible()
    assert "3" in page.locator("[data-testid=summary]").inner_text()
