"""No internal figure key (``meetings.regular_held``) on a report's pages, Word or Excel: every figure
an app offers reads with its Vietnamese label (issue 14 §2)."""

import datetime
import io

import pytest
from django.urls import reverse

from dangbo.reports.models import PeriodicReport
from dangbo.reports.tests.helpers import Q3, build_story
from dangbo.testing import raw_keys


@pytest.fixture
def story(cast):
    build_story(cast)
    return cast


def _form_data(client, url, **changes):
    form = client.get(url).context["form"]
    data = {name: ("" if form[name].value() is None else form[name].value()) for name in form.fields}
    data.update(changes)
    return data


def _docx_text(content):
    from docx import Document

    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def _xlsx_text(content):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content))
    return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v)


def test_no_raw_key_on_the_periodic_and_summary_reports(story, login):
    c = story
    url = reverse("reports:report_edit", args=[c.gr_a.pk, *Q3])
    client = login(c.staff_a)
    resp = client.get(url)
    assert resp.status_code == 200 and raw_keys(resp.content) == []
    data = _form_data(client, url, results="Hoàn thành nhiệm vụ.", submit="1")
    # every app's figures are offered, meetings' among them
    assert "f_meetings__regular_held" in data and "f_members__total" in data
    assert client.post(url, data).status_code == 302
    report = PeriodicReport.objects.get(unit=c.gr_a)
    assert report.state == "submitted" and "meetings.regular_held" in report.declared
    detail = reverse("reports:report_detail", args=[report.pk])
    for who in (c.staff_a, c.bloc_user):
        resp = login(who).get(detail)
        assert resp.status_code == 200
        html = resp.content.decode()
        assert raw_keys(html) == [], who
        assert "Sinh hoạt chi bộ" in html  # the meetings' section heading
    bloc = login(c.bloc_user)
    assert bloc.post(reverse("reports:report_accept", args=[report.pk])).status_code == 302
    params = {"period": "quarter", "year": 2026, "number": 3, "unit": c.bloc.pk}
    resp = bloc.get(reverse("reports:periodic"), params)
    assert resp.status_code == 200 and raw_keys(resp.content) == []
    docx = bloc.get(reverse("reports:summary_docx"), params)
    assert docx.status_code == 200 and raw_keys(f"<p>{_docx_text(docx.content)}</p>") == []
    xlsx = bloc.get(reverse("reports:summary_xlsx"), params)
    text = _xlsx_text(xlsx.content)
    assert "Đảng viên" in text and raw_keys(f"<p>{text}</p>") == []
    # numbers stay numbers, grouped the reader's way (1.234 in a Vietnamese Excel)
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    members = next(row for row in ws.iter_rows(min_row=5) if row[1].value == "Đảng viên")
    assert members[2].value == 3 and members[2].number_format == "#,##0"


def test_a_key_no_app_offers_any_more_still_reads_in_vietnamese(story, login):
    c = story
    report = PeriodicReport.objects.create(
        unit=c.gr_a,
        period="quarter",
        year=2026,
        number=3,
        start=datetime.date(2026, 7, 1),
        end=datetime.date(2026, 9, 30),
        state="submitted",
        declared={"meetings.regular_held": 3, "gone.old_figure": 1},
        system={"meetings.regular_held": 2, "gone.old_figure": 1},
    )
    resp = login(c.bloc_user).get(reverse("reports:report_detail", args=[report.pk]))
    html = resp.content.decode()
    assert resp.status_code == 200 and raw_keys(html) == []
    assert "Chỉ tiêu không còn được tính" in html


def test_the_members_in_the_summary_add_up_to_the_total(cast):
    """Issue 14 §10: "246 (232 + 13)" — the exempted and suspended members are said, so the parts add up."""
    from django.utils import translation

    from dangbo.reports import summary
    from dangbo.reports.labels import figure

    def figures(total, official, probationary, exempted):
        keys = {
            "org.cells_count": 4,
            "members.total": total,
            "members.official": official,
            "members.probationary": probationary,
            "members.exempted": exempted,
        }
        return {k: figure(k, v) for k, v in keys.items()}

    with translation.override("vi"):
        text = summary.narrative(cast.gr_a, *Q3, figures(246, 232, 13, 1))[0]
        assert "(232 chính thức, 13 dự bị, 1 miễn công tác và sinh hoạt đảng)" in text, text
        text = summary.narrative(cast.gr_a, *Q3, figures(1246, 1230, 13, 1))[0]
        assert "1.246 đảng viên (1.230 chính thức, 13 dự bị, 1 miễn công tác và sinh hoạt đảng, 2 bị đình chỉ" in text
        text = summary.narrative(cast.gr_a, *Q3, figures(245, 232, 13, 0))[0]
        assert text.endswith("(232 chính thức, 13 dự bị).")
