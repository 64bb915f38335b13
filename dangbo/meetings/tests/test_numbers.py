"""The attendance rate in the one number format (issue 14 §3): "50%" and "66,7%", never "50.0%" or "66.7%",
on the meeting page and in the Word minutes."""

import io

import pytest
from django.urls import reverse

from dangbo.meetings import services
from dangbo.meetings.tests.helpers import locked
from dangbo.testing import make_member


def _minutes_text(content):
    from docx import Document

    doc = Document(io.BytesIO(content))
    return "\n".join(p.text for p in doc.paragraphs)


@pytest.mark.parametrize(("third", "shown", "wrong"), [(False, "50%", "50.0"), (True, "66,7%", "66.7")])
def test_attendance_rate_on_the_page_and_in_the_minutes(cast, login, third, shown, wrong):
    present = {cast.m_a1.pk}
    if third:
        present.add(make_member("Trần Văn Ba", cast.cell_a1).pk)
    m = locked(cast.cell_a1, present=present)
    services.publish_minutes(meeting=m, actor=None)
    client = login(cast.secretary_a1)
    page = client.get(reverse("meetings:detail", args=[m.pk])).content.decode()
    assert f"({shown})" in page and f"{wrong}%" not in page and f"{shown[:-1]},0%" not in page
    resp = client.get(reverse("meetings:minutes_docx", args=[m.pk]))
    assert resp.status_code == 200
    text = _minutes_text(resp.content)
    assert f"({shown})" in text and wrong not in text
