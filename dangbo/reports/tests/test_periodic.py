import io

import pytest
from django.urls import reverse
from django.utils import translation

from dangbo.core.models import Notification
from dangbo.reports import services, summary
from dangbo.reports.models import PeriodicReport
from dangbo.reports.tests.helpers import Q3, D, build_story

START, END = D(2026, 7, 1), D(2026, 9, 30)


def values(unit, keys):
    figures = services.collect(unit, START, END)
    return {k: figures[k].value for k in keys}


@pytest.fixture
def story(cast):
    build_story(cast)
    return cast


def test_quarter_figures_from_the_data_as_it_stood(story):
    c = story
    keys = [
        "org.grassroots_count",
        "org.cells_count",
        "members.total",
        "members.official",
        "members.probationary",
        "members.women",
        "admission.admitted",
        "transfers.received",
        "transfers.sent_out",
        "transfers.internal",
        "lifecycle.deceased",
    ]
    # Hoa (official), Đức (probationary, admitted in Q3), Minh (moved in); Mai died; Lan came after.
    assert values(c.bloc, keys) == {
        "org.grassroots_count": 3,
        "org.cells_count": 4,
        "members.total": 3,
        "members.official": 2,
        "members.probationary": 1,
        "members.women": 1,
        "admission.admitted": 1,
        "transfers.received": 0,
        "transfers.sent_out": 0,
        "transfers.internal": 1,
        "lifecycle.deceased": 1,
    }
    a = values(c.gr_a, ["members.total", "transfers.received", "transfers.sent_out", "admission.admitted"])
    assert a == {"members.total": 3, "transfers.received": 1, "transfers.sent_out": 0, "admission.admitted": 1}
    b = values(c.gr_b, ["members.total", "transfers.received", "transfers.sent_out"])
    assert b == {"members.total": 0, "transfers.received": 0, "transfers.sent_out": 1}
    assert values(c.cell_c, ["members.total", "lifecycle.deceased"]) == {"members.total": 0, "lifecycle.deceased": 1}
    # The fourth quarter sees the later admission and Hoa's move.
    q4 = services.collect(c.gr_a, D(2026, 10, 1), D(2026, 12, 31))
    assert q4["admission.admitted"].value == 1 and q4["transfers.sent_out"].value == 1
    assert q4["members.total"].value == 3  # Đức, Minh, Lan


def test_narrative_sentence_in_vietnamese(story):
    with translation.override("vi"):
        data = summary.summary(story.bloc, *Q3)
    text = " ".join(data["paragraphs"])
    assert text.startswith(
        "Đến ngày 30/09/2026, Đảng bộ Khối Thử nghiệm có 3 chi, đảng bộ cơ sở với 3 đảng viên (2 chính thức, 1 dự bị)."
    )
    assert (
        "Trong quý, kết nạp 1 quần chúng ưu tú vào Đảng, bằng 33,33% so với tổng số đảng viên cuối năm 2025; "
        "chuyển sinh hoạt đảng cho 1 đảng viên giữa các tổ chức đảng trực thuộc." in text
    )
    assert "1 đảng viên từ trần" in text
    # A clause whose figure is 0 is left out rather than printed as "0".
    assert "thành lập mới" not in text
    with translation.override("vi"):
        assert summary.num(4046) == "4.046"
        grassroots = " ".join(summary.summary(story.gr_a, *Q3)["paragraphs"])
    assert "Đảng bộ Sở Tài chính có 2 chi bộ với 3 đảng viên" in grassroots
    assert (
        "tiếp nhận và giới thiệu chuyển sinh hoạt đảng cho 1 đảng viên (tiếp nhận 1, giới thiệu chuyển đi 0)"
        in grassroots
    )


def test_missing_figures_leave_their_clause_out(story):
    figures = services.collect(story.bloc, START, END)
    figures.pop("admission.admitted")
    figures.pop("members.total")
    with translation.override("vi"):
        text = " ".join(summary.narrative(story.bloc, *Q3, figures))
    assert "kết nạp" not in text and "Đến ngày" not in text


def test_word_and_excel_files(story, login):
    from docx import Document
    from openpyxl import load_workbook

    client = login(story.bloc_user)
    params = {"period": "quarter", "year": 2026, "number": 3, "unit": story.bloc.pk}
    resp = client.get(reverse("reports:summary_docx"), params)
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    doc = Document(io.BytesIO(resp.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "kết quả công tác xây dựng Đảng quý III/2026" in text
    assert "Đến ngày 30/09/2026, Đảng bộ Khối Thử nghiệm có 3 chi, đảng bộ cơ sở với 3 đảng viên" in text
    assert "Đã có 0/3 tổ chức cơ sở đảng gửi báo cáo định kỳ" in text
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert "Đảng viên chính thức" in cells and "Kết nạp đảng viên mới" in cells

    resp = client.get(reverse("reports:summary_xlsx"), params)
    wb = load_workbook(io.BytesIO(resp.content))
    ws = wb.worksheets[0]
    rows = {r[1]: r[2] for r in ws.iter_rows(min_row=5, values_only=True)}
    assert rows["Đảng viên"] == 3 and rows["Kết nạp đảng viên mới"] == 1 and rows["Đảng viên từ trần"] == 1
    units = [r[0] for r in wb.worksheets[1].iter_rows(min_row=2, values_only=True)]
    assert units == ["Đảng bộ Sở Tài chính", "Đảng bộ Sở Y tế", "Chi bộ Ban Dân vận"]
    # Out of scope: another unit's subtree.
    assert login(story.staff_b).get(reverse("reports:summary_docx"), params).status_code == 404


def _form_data(client, url, **changes):
    resp = client.get(url)
    form = resp.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.update(changes)
    return data


def test_submit_return_accept_and_consolidate(story, login):
    c = story
    url = reverse("reports:report_edit", args=[c.gr_a.pk, *Q3])
    client = login(c.staff_a)
    data = _form_data(client, url)
    assert data["f_members__total"] == 3 and data["f_admission__admitted"] == 1
    # Submitting without the results refuses and keeps what was typed.
    data.update({"f_members__total": 4, "limitations": "Sinh hoạt chuyên đề còn ít.", "submit": "1"})
    resp = client.post(url, data)
    assert resp.status_code == 200 and "Hãy ghi kết quả" in resp.content.decode()
    assert resp.context["form"]["limitations"].value() == "Sinh hoạt chuyên đề còn ít."
    assert not PeriodicReport.objects.exists()
    data["results"] = "Hoàn thành các nhiệm vụ quý III."
    # A figure that differs from the system's is held back with a warning until confirmed (issue 14 §10).
    resp = client.post(url, data)
    assert resp.status_code == 200 and not PeriodicReport.objects.exists()
    warning = resp.content.decode()
    assert 'data-testid="differences"' in warning and "Đảng viên: kê khai 4, hệ thống tính được 3" in warning
    data["confirm_differences"] = "1"
    resp = client.post(url, data)
    report = PeriodicReport.objects.get()
    assert resp.status_code == 302 and report.state == "submitted"
    assert report.declared["members.total"] == 4 and report.system["members.total"] == 3
    assert report.differences() == [("members.total", 4, 3)]
    assert Notification.objects.filter(
        user=c.bloc_user, url=reverse("reports:report_detail", args=[report.pk])
    ).exists()
    # Only the level above decides; another grassroots sees nothing.
    assert client.post(reverse("reports:report_accept", args=[report.pk])).status_code == 404
    assert login(c.staff_b).get(reverse("reports:report_detail", args=[report.pk])).status_code == 404
    assert login(c.staff_b).get(url).status_code == 404
    bloc = login(c.bloc_user)
    assert bloc.get(url).status_code == 404  # the bloc does not fill in a grassroots report
    bloc.post(reverse("reports:report_return", args=[report.pk]), {"reason": ""})
    report.refresh_from_db()
    assert report.state == "submitted"
    bloc.post(reverse("reports:report_return", args=[report.pk]), {"reason": "Số đảng viên không khớp."})
    report.refresh_from_db()
    assert report.state == "returned" and report.return_reason == "Số đảng viên không khớp."
    assert bloc.post(reverse("reports:report_accept", args=[report.pk])).status_code == 302
    report.refresh_from_db()
    assert report.state == "returned"  # a returned report cannot be accepted
    # The unit corrects and submits again.
    client = login(c.staff_a)
    data = _form_data(client, url, f_members__total=3, submit="1")
    assert data["limitations"] == "Sinh hoạt chuyên đề còn ít."
    client.post(url, data)
    report.refresh_from_db()
    assert report.state == "submitted" and report.return_reason == "" and report.differences() == []
    login(c.bloc_user).post(reverse("reports:report_accept", args=[report.pk]))
    report.refresh_from_db()
    assert report.state == "accepted" and report.decided_by == c.bloc_user
    assert login(c.staff_a).get(url).status_code == 302  # accepted: no more editing

    # gr_b submits too, declaring one admission the system does not know.
    client = login(c.staff_b)
    url_b = reverse("reports:report_edit", args=[c.gr_b.pk, *Q3])
    client.post(
        url_b,
        _form_data(client, url_b, f_admission__admitted=1, results="Tốt.", submit="1", confirm_differences="1"),
    )
    rep_b = PeriodicReport.objects.get(unit=c.gr_b)
    login(c.bloc_user).post(reverse("reports:report_accept", args=[rep_b.pk]))
    resp = login(c.bloc_user).get(reverse("reports:periodic"), {"period": "quarter", "year": 2026, "number": 3})
    rows = {r.key: r for r in resp.context["rows"]}
    assert rows["admission.admitted"].declared == 2 and rows["admission.admitted"].system == 1
    assert rows["admission.admitted"].difference == 1
    assert rows["members.total"].declared == 3 and rows["members.total"].difference == 0
    states = {r.unit: r.state for r in resp.context["tracker"]}
    assert states == {c.gr_a: "accepted", c.gr_b: "accepted", c.cell_c: ""}
    assert resp.context["missing"] == 1


def test_save_draft_then_submit(story, login):
    c = story
    url = reverse("reports:report_edit", args=[c.cell_c.pk, *Q3])
    # cell_c is a grassroots cell directly under the bloc: nobody in the cast is its own side.
    assert login(c.bloc_user).get(url).status_code == 404
    client = login(c.staff_a)
    url = reverse("reports:report_edit", args=[c.gr_a.pk, *Q3])
    resp = client.post(url, _form_data(client, url, results="Dự thảo", save="1"))
    assert resp.status_code == 302
    r = PeriodicReport.objects.get()
    assert r.state == "draft" and r.results == "Dự thảo" and r.system == {}
    resp = login(c.bloc_user).get(reverse("reports:periodic"), {"period": "quarter", "year": 2026, "number": 3})
    assert resp.context["missing"] == 3  # a draft is not a submission


def test_future_period_and_bad_period(story, login):
    client = login(story.staff_a)
    assert client.get(reverse("reports:report_edit", args=[story.gr_a.pk, "quarter", 2026, 5])).status_code == 404
    url = reverse("reports:report_edit", args=[story.gr_a.pk, "year", 2030, 1])
    resp = client.post(url, _form_data(client, url, results="x", submit="1"))
    assert "trước khi kỳ báo cáo bắt đầu" in resp.content.decode()
    assert not PeriodicReport.objects.exists()


def test_deadline_from_the_rule(story):
    from dangbo.rules.models import Rule, RuleVersion

    assert services.due_date(story.gr_a, *Q3) == D(2026, 10, 5)
    rule = Rule.objects.get(key="report.due_days_after_period")
    RuleVersion.objects.create(
        rule=rule, value=10, legal_basis="x", effective_from=D(2026, 1, 1), scope_unit=story.bloc
    )
    assert services.due_date(story.gr_a, *Q3) == D(2026, 10, 10)
    dues = services.due_dates([story.gr_a, story.gr_b], *Q3)
    assert dues == {story.gr_a.pk: D(2026, 10, 10), story.gr_b.pk: D(2026, 10, 10)}


def test_tracker_query_count_does_not_grow_with_the_units(story, login, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dangbo.org.models import OrgUnit
    from dangbo.testing import make_unit

    client = login(story.bloc_user)
    params = {"period": "quarter", "year": 2026, "number": 3}
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("reports:periodic"), params).status_code == 200
    for i in range(5):
        make_unit(f"Chi bộ Sở {i}", OrgUnit.Kind.GRASSROOTS_CELL, story.bloc)
    with CaptureQueriesContext(connection) as more:
        resp = client.get(reverse("reports:periodic"), params)
    assert len(resp.context["tracker"]) == 8
    assert len(more.captured_queries) == len(few.captured_queries)


def test_reminders(story):
    from dangbo.reports.models import ReminderSent

    n = services.send_reminders(today=D(2026, 10, 1))
    # gr_a and gr_b have staff; cell_c has none. Q3 due 05/10 (4 days left: offset 7).
    assert n == 2
    assert Notification.objects.filter(user=story.staff_a, title__contains="05/10/2026").count() == 1
    assert services.send_reminders(today=D(2026, 10, 2)) == 0
    assert services.send_reminders(today=D(2026, 10, 6)) == 2  # overdue
    assert ReminderSent.objects.filter(days_before=-1).count() == 2


def test_home_panel(story, login):
    resp = login(story.staff_a).get(reverse("core:home"))
    assert 'data-testid="reports-panel"' in resp.content.decode()
