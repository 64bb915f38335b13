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
