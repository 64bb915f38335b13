"""A bloc entering its past once (issue on history §6): a grassroots report of the first quarter of 2021 is
entered now with the day it was submitted and the day the bloc accepted it; when it was typed, and by
whom, stays in the audit. A day in the future, a submission before the period began, or an acceptance
before the submission is refused with a Vietnamese message and nothing saved."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from dangbo.core.models import AuditLog
from dangbo.reports.models import PeriodicReport
from dangbo.reports.tests.helpers import D, build_story

Q1_2021 = ("quarter", 2021, 1)


@pytest.fixture
def story(cast):
    build_story(cast)
    return cast


def _form_data(client, url, **changes):
    form = client.get(url).context["form"]
    data = {name: ("" if form[name].value() is None else form[name].value()) for name in form.fields}
    data.update(changes)
    return data


def test_a_report_of_2021_is_entered_with_the_days_it_was_submitted_and_accepted(story, login):
    c = story
    url = reverse("reports:report_edit", args=[c.gr_a.pk, *Q1_2021])
    client = login(c.staff_a)
    data = _form_data(client, url, results="Hoàn thành các nhiệm vụ quý I/2021.", submit="1")
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    with translation.override("vi"):
        resp = client.post(url, {**data, "submitted_on": tomorrow.strftime("%d/%m/%Y")})
    assert resp.status_code == 200 and "tương lai" in str(resp.context["form"].errors["submitted_on"])
    with translation.override("vi"):
        resp = client.post(url, {**data, "submitted_on": "15/12/2020"})
    assert resp.status_code == 200 and "trước khi kỳ báo cáo bắt đầu" in resp.content.decode()
    assert not PeriodicReport.objects.exists()

    resp = client.post(url, {**data, "submitted_on": "10/04/2021"})
    assert resp.status_code == 302
    report = PeriodicReport.objects.get()
    assert report.state == "submitted" and report.submitted_on == D(2021, 4, 10)
    typed = AuditLog.objects.get(action="reports.submit", object_id=str(report.pk))
    assert typed.actor == c.staff_a and timezone.localtime(typed.at).date() == timezone.localdate()

    bloc = login(c.bloc_user)
    accept = reverse("reports:report_accept", args=[report.pk])
    with translation.override("vi"):
        resp = bloc.post(accept, {"decided_on": "09/04/2021"}, follow=True)
    assert "trước ngày gửi báo cáo" in resp.content.decode()
    report.refresh_from_db()
    assert report.state == "submitted" and report.decided_on is None
    assert bloc.post(accept, {"decided_on": "15/04/2021"}).status_code == 302
    report.refresh_from_db()
    assert report.state == "accepted" and report.decided_on == D(2021, 4, 15) and report.decided_by == c.bloc_user
    # Without a day the decision takes today, as before.
    assert bloc.get(reverse("reports:report_detail", args=[report.pk])).status_code == 200
