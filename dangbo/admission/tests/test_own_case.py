"""Nobody acts on their own dossier (issue 12, finding 3; DOMAIN.md §3): the probationer linked to a login
records no step, vote or decision of their own recognition; the candidate is never their own introducer."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dangbo.admission import services
from dangbo.admission.models import Candidate
from dangbo.members.models import Member
from dangbo.testing import make_member
from tests.test_write_matrix import fingerprint

TODAY = timezone.localdate()


def fmt(day):
    return day.strftime("%d/%m/%Y")


def _probationer(cast, user):
    ceremony = TODAY - datetime.timedelta(days=400)
    member = make_member("Phạm Thị An", cast.cell_a1, status=Member.Status.PROBATIONARY, user=user)
    return Candidate.objects.create(
        cell=cast.cell_a1,
        full_name=member.full_name,
        sex="F",
        birth_date=datetime.date(1995, 3, 1),
        stage=Candidate.Stage.PROBATION,
        decision_no="12-QĐ/ĐU",
        decision_date=ceremony - datetime.timedelta(days=10),
        ceremony_date=ceremony,
        member=member,
    )


def test_the_probationer_does_not_act_on_their_own_recognition(cast, login):
    """staff_a, herself a probationary member of cell_a1, is the competent level for its cells."""
    c = _probationer(cast, cast.staff_a)
    client = login(cast.staff_a)
    page = client.get(reverse("admission:candidate", args=[c.pk]))
    assert page.status_code == 200 and page.context["step_forms"] == []
    before = fingerprint()
    steps = {
        "declaration": {"declaration-day": fmt(TODAY)},
        "recognition_vote": {"recognition_vote-day": fmt(TODAY), "recognition_vote-in_favour": 5},
        "recognize": {"recognize-number": "1-QĐ", "recognize-day": fmt(TODAY)},
    }
    for step, data in steps.items():
        resp = client.post(reverse("admission:step", args=[c.pk, step]), data)
        assert resp.status_code == 403 and "chính mình" in resp.content.decode(), step
    assert fingerprint() == before
    with pytest.raises(ValidationError, match="chính mình"):
        services.record_declaration(candidate=c, day=TODAY, actor=cast.staff_a)
    # The cell records it.
    resp = login(cast.secretary_a1).post(reverse("admission:step", args=[c.pk, "declaration"]), steps["declaration"])
    assert resp.status_code == 302
    c.refresh_from_db()
    assert c.declaration_date == TODAY


def test_the_candidate_is_never_their_own_introducer(cast):
    intro = make_member("Trần Văn Tư", cast.cell_a1, national_id="001099000123")
    c = Candidate.objects.create(
        cell=cast.cell_a1, full_name="Trần Văn Tư", sex="M", birth_date=datetime.date(1999, 1, 1), national_id=""
    )
    c.national_id = "001099000123"
    c.save(update_fields=["national_id"])
    with pytest.raises(ValidationError, match="chính mình"):
        services.add_introducer(
            candidate=c, member=intro, together_since=TODAY - datetime.timedelta(days=800), actor=cast.secretary_a1
        )
    assert not c.introducers.exists()
