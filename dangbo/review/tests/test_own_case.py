"""Nobody acts on their own case (issue 12, finding 3): a member fills in their own self-assessment, but the
cell appraises and classifies it (DOMAIN.md §8: self-assessment, then appraisal by the cell) — never the
member, even when they are the cell's secretary; an organization is classified by the level above, never by
its own people."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangbo.accounts.models import Role, RoleAssignment
from dangbo.review import services
from dangbo.review.models import MemberReview, UnitReview
from dangbo.testing import make_member
from tests.test_write_matrix import fingerprint

from .test_review import open_year, scores_for

D = datetime.date
APPRAISE = {"appraise-score": "95", "appraise-exceeding": "40"}


def test_the_secretary_does_not_appraise_her_own_review(cast, login):
    me = make_member("Hoàng Văn Bình", cast.cell_a1, user=cast.secretary_a1)
    period = open_year(cast)
    r = MemberReview.objects.get(period=period, member=me)
    # Her own self-assessment: hers to fill in.
    services.submit_self_assessment(review=r, scores=scores_for(r, 95), comment="Tự nhận xét", actor=cast.secretary_a1)
    client = login(cast.secretary_a1)
    page = client.get(reverse("review:member", args=[r.pk]))
    assert page.status_code == 200 and "appraise" not in page.context["forms"]
    url = reverse("review:member_action", args=[r.pk, "appraise"])
    before = fingerprint()
    resp = client.post(url, APPRAISE)
    assert resp.status_code == 403 and "chính mình" in resp.content.decode()
    assert fingerprint() == before
    with pytest.raises(ValidationError, match="chính mình"):
        services.appraise(review=r, score=95, exceeding=40, actor=cast.secretary_a1)
    # The committee above appraises her.
    assert login(cast.staff_a).post(url, APPRAISE).status_code == 302
    r.refresh_from_db()
    assert r.appraised_by == cast.staff_a and r.score == 95


def test_an_organization_is_not_classified_by_its_own_people(cast, login):
    """A grassroots staff member who also holds a role in one of its cells does not classify that cell."""
    RoleAssignment.objects.create(user=cast.staff_a, unit=cast.cell_a1, role=Role.CELL_SECRETARY)
    period = open_year(cast)
    ur = UnitReview.objects.get(period=period, unit=cast.cell_a1)
    url = reverse("review:unit_action", args=[ur.pk, "classify"])
    data = {"classify-score": "92", "classify-clean_strong": "on"}
    before = fingerprint()
    resp = login(cast.staff_a).post(url, data)
    assert resp.status_code == 403
    assert fingerprint() == before
    assert login(cast.bloc_user).post(url, data).status_code == 302
    ur.refresh_from_db()
    assert ur.score == 92
