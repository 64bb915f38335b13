"""Scores in the one number format (issue 14 §3): 90%, 92,5%, never "9E+1%", "90,0%" or "92.5%"."""

import re

import pytest
from django.urls import reverse

from dangbo.study.models import Attempt, Progress
from dangbo.study.tests.factories import correct_answers, make_campaign


def _wrong_forms(page, shown):
    """Other ways of printing the score: 9E+1, 90,0%, 90.0%, 87.5%."""
    whole = shown[:-1]
    bad = (
        [f"{whole},0%", f"{whole}.0%", whole.replace(",", ".") + "%"]
        if "," in whole
        else [f"{whole},0%", f"{whole}.0%"]
    )
    return [b for b in bad if b in page] + re.findall(r"\dE\+\d", page)


def _quiz(client, campaign, wrong):
    client.post(reverse("study:quiz", args=[campaign.pk]), {"action": "start"})
    attempt = Attempt.objects.filter(progress__campaign=campaign, submitted_at__isnull=True).latest("pk")
    data = {"action": "submit"}
    for qid, cids in correct_answers(attempt, wrong=wrong).items():
        data[f"q{qid}"] = cids
    return client.post(reverse("study:quiz", args=[campaign.pk]), data, follow=True)


@pytest.mark.parametrize(("questions", "wrong", "shown"), [(10, 1, "90%"), (8, 1, "87,5%")])
def test_best_score_on_the_member_and_completion_pages(cast, client, questions, wrong, shown):
    campaign = make_campaign(cast, questions=questions, pass_mark=80)
    client.force_login(cast.member_a1)
    resp = _quiz(client, campaign, wrong)
    assert shown in resp.content.decode() and not _wrong_forms(resp.content.decode(), shown)  # the flash message
    assert Progress.objects.get(campaign=campaign, member=cast.m_a1).best_score is not None
    page = client.get(reverse("study:study", args=[campaign.pk])).content.decode()
    assert f": {shown}" in page and not _wrong_forms(page, shown)
    client.force_login(cast.secretary_a1)
    page = client.get(reverse("study:completion", args=[campaign.pk]), {"unit": cast.cell_a1.pk}).content.decode()
    assert shown in page and not _wrong_forms(page, shown)
