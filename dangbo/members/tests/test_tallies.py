"""The unit tallies (UnitTally) stay equal to a recount of the members through real operations."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from dangbo.members import importer, tallies
from dangbo.members.models import Member, UnitTally
from dangbo.members.services import correct_member, reassign_members
from dangbo.members.tests.test_import_commit import ready_import
from dangbo.reports.stats import membership_figures
from dangbo.reports.tests.helpers import _transfer
from dangbo.testing import make_member

D = datetime.date


def _assert_in_step():
    assert tallies.stored() == tallies.recount()


def _hold_ceremony(cast, name, day):
    from dangbo.admission import services
    from dangbo.admission.models import Candidate

    c = Candidate(
        cell=cast.cell_a2,
        sex="F",
        birth_date=D(1998, 6, 15),
        ethnicity="Tày",
        qualification="bachelor",
        stage=Candidate.Stage.DECIDED,
        decision_no="12-QĐ/ĐU",
        decision_date=day,
        decision_received=day,
    )
    c.set_name(name)
    c.save()
    services.hold_ceremony(candidate=c, day=day, actor=cast.staff_a)
    return Member.objects.get(full_name=name)


def test_the_tallies_follow_every_kind_of_write(cast):
    from dangbo.lifecycle.services import record_death

    _assert_in_step()
    assert UnitTally.objects.filter(unit=cast.cell_a1, dimension="status", value="official").get().count == 2
    today = datetime.date.today()
    # Admission: the ceremony makes a probationary member.
    admitted = _hold_ceremony(cast, "Nông Thị Mới", today)
    assert admitted.status == Member.Status.PROBATIONARY
    _assert_in_step()
    assert UnitTally.objects.get(unit=cast.cell_a2, dimension="ethnicity", value="Tày").count == 1
    # A transfer between organizations, received.
    _transfer(cast.m_b1, cast.cell_a1, today)
    assert Member.objects.get(pk=cast.m_b1.pk).unit == cast.cell_a1
    _assert_in_step()
    # A move of cell inside the organization.
    reassign_members(
        members=Member.objects.filter(pk=cast.m_a1_other.pk), to_unit=cast.cell_a2, date=today, actor=cast.staff_a
    )
    _assert_in_step()
    # A death.
    record_death(member=Member.objects.get(pk=cast.m_a2.pk), day=today, actor=cast.staff_a)
    assert UnitTally.objects.filter(unit=cast.cell_a2, dimension="status", value="deceased").get().count == 1
    _assert_in_step()
    # A corrected field of the dossier: sex and date of birth move between categories.
    member = Member.objects.get(pk=cast.m_a1.pk)
    correct_member(
        member=member,
        changes={"sex": "M", "birth_date": D(1960, 2, 1), "ethnicity": "Khmer"},
        approval_document="5-QĐ",
        approval_date=today,
        actor=cast.staff_a,
    )
    _assert_in_step()
    assert UnitTally.objects.get(unit=cast.cell_a1, dimension="birth_year", value="1960").count == 1
    # An import of 12 members.
    imp = importer.commit_import(ready_import(cast, 12), actor=cast.staff_a)
    assert imp.state == "imported"
    _assert_in_step()
    # Bulk writes and deletion.
    Member.objects.filter(unit=cast.cell_a1).update(theory_level="advanced")
    _assert_in_step()
    Member.objects.filter(national_id__in=["001085900000", "001085900001"]).delete()
    assert Member.objects.filter(national_id__startswith="0010859").count() == 10
    _assert_in_step()
    # And a recount from scratch gives the same rows.
    before = tallies.stored()
    UnitTally.objects.all().delete()
    call_command("rebuild_tallies", "--batch-size", "3")
    assert tallies.stored() == before


def test_the_dashboard_reads_the_tallies(cast):
    """The figures come from the tallies: a tally changed by hand shows, a recount puts it right."""
    assert membership_figures(cast.bloc)["members"] == 5
    UnitTally.objects.filter(unit=cast.cell_a1, dimension="status", value="official").update(count=40)
    assert membership_figures(cast.bloc)["members"] == 43
    call_command("rebuild_tallies")
    assert membership_figures(cast.bloc)["members"] == 5


def test_the_age_bands_split_the_birth_year_at_the_birthday(cast):
    from dangbo.core.dates import years_before

    today = datetime.date.today()
    Member.objects.update(birth_date=None)
    thirtieth = years_before(today, 30)  # born that day: 30 today
    Member.objects.filter(pk=cast.m_a1.pk).update(birth_date=thirtieth)
    Member.objects.filter(pk=cast.m_a2.pk).update(birth_date=thirtieth + datetime.timedelta(days=1))  # 29
    Member.objects.filter(pk=cast.m_b1.pk).update(birth_date=D(thirtieth.year, 1, 1))  # 30
    Member.objects.filter(pk=cast.m_c.pk).update(birth_date=D(thirtieth.year - 1, 12, 31))  # 30
    bands = dict(membership_figures(cast.bloc)["by_age"])
    assert bands == {"< 30": 1, "30–39": 3, "40–49": 0, "50–59": 0, "≥ 60": 0}
    _assert_in_step()


def _grow(cast, n):
    for i in range(n):
        make_member(f"Trần Văn {i}", cast.cell_a1 if i % 2 else cast.cell_b1, birth_date=D(1970 + i % 40, 3, 1))


def _dashboard_queries(cast, login, django_assert_max_num_queries, n):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _grow(cast, n)
    client = login(cast.bloc_user)
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(reverse("reports:dashboard"))
    assert resp.context["figures"]["members"] == Member.objects.current().count()
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        client.get(reverse("reports:dashboard"))
    return len(ctx.captured_queries)


def test_dashboard_queries_do_not_grow_with_the_members(cast, login, django_assert_max_num_queries):
    small = _dashboard_queries(cast, login, django_assert_max_num_queries, 3)
    large = _dashboard_queries(cast, login, django_assert_max_num_queries, 60)
    assert small == large <= 12


@pytest.mark.django_db
def test_the_demo_builder_keeps_the_tallies():
    """load_demo writes members in bulk (bulk_create, bulk_update of units and statuses, moves by event)."""
    call_command("load_demo", members=400, stdout=StringIO())
    assert Member.objects.count() >= 400
    assert UnitTally.objects.exists()
    _assert_in_step()
