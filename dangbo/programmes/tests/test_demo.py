"""The small demo: the programme of Nghị quyết 57-NQ/TW with reports, and the 2026 propagandists' contest."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from dangbo.accounts.models import User
from dangbo.programmes import services
from dangbo.programmes.models import Event, Programme, Report

D = datetime.date


@pytest.mark.django_db
def test_demo_programmes_and_contest(client):
    call_command("load_demo", members=300, stdout=StringIO())
    parent = Programme.objects.get(parent__isnull=True, document__number="57-NQ/TW")
    assert parent.children.count() >= 5
    finance = parent.children.get(unit__name="Đảng bộ Sở Tài chính")
    assert finance.reports.filter(state=Report.State.SUBMITTED).count() == 1
    assert services.missing_reports(parent.children.all(), today=D(2026, 12, 1))
    assert services.overdue_tasks(parent.children.all(), today=D(2026, 12, 1)).exists()
    contest = Event.objects.get(kind="contest")
    n, units = services.event_summary(contest.registrations.all())
    assert units >= 20 and n == units + 5 and contest.results_published_on
    assert contest.registrations.filter(rank=1).exists()
    client.force_login(User.objects.get(username="khoi"))
    assert client.get(reverse("programmes:progress", args=[parent.pk])).status_code == 200
    client.force_login(User.objects.get(username="coso"))
    assert client.get(reverse("programmes:detail", args=[finance.pk])).status_code == 200
