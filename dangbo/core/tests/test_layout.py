"""The page frame every page shares (issue on pages §12: no skip link)."""

import re

from django.urls import reverse


def test_every_page_starts_with_a_link_to_its_main_content(cast, login):
    client = login(cast.bloc_user)
    for url in (reverse("core:home"), reverse("members:list"), reverse("org:tree")):
        page = client.get(url).content.decode()
        body = page[page.index("<body") :]
        first_link = re.search(r"<a [^>]*>", body).group(0)
        assert 'href="#main"' in first_link and "visually-hidden-focusable" in first_link
        assert "Bỏ qua, đến nội dung chính" in body
        assert page.count('id="main"') == 1


def test_every_page_names_the_site_icon_and_favicon_ico_answers_without_login(cast, login, client):
    """Issue 14 §12: no favicon, a 404 on every page."""
    from django.contrib.staticfiles import finders

    resp = client.get("/favicon.ico")
    assert resp.status_code == 301 and resp["Location"].endswith("core/favicon.svg")
    assert finders.find("core/favicon.svg")
    page = login(cast.bloc_user).get(reverse("core:home")).content.decode()
    assert re.search(r'<link rel="icon" href="[^"]*core/favicon\.svg"', page)


def test_warning_buttons_read_at_aa_contrast_and_tap_targets_are_at_least_24px():
    """Issue 14 §12: yellow on white at 1.63:1; buttons of 16–23 px."""
    from django.contrib.staticfiles import finders

    with open(finders.find("core/site.css"), encoding="utf-8") as f:
        css = f.read()

    def lum(hex_):
        c = [int(hex_[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    rule = css[css.index(".btn-outline-warning {") :]
    colour = re.search(r"--bs-btn-color: #([0-9a-f]{6})", rule).group(1)
    assert 1.05 / (lum(colour) + 0.05) >= 4.5
    assert re.search(r"\.btn, [^{]*\{ min-width: 24px; min-height: 24px; \}", css)
    assert "min-height: 44px" in css
