"""Search-as-you-type selects (core.forms.SearchSelect): pages list at most 100 options whatever the number of
members or units, the JSON endpoints answer within the user's scope, and a forged id is refused."""

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangbo.admission.models import Candidate
from dangbo.members.models import Member
from dangbo.testing import make_member


def _candidate(cast):
    c = Candidate(cell=cast.cell_a1, sex="M", birth_date=datetime.date(1999, 1, 1), stage="candidate")
    c.set_name("Phan Văn Ứng")
    c.save()
    return c


def _largest_select(resp):
    selects = re.findall(r"<select\b.*?</select>", resp.content.decode(), re.S)
    return max(s.count("<option") for s in selects)


def _members(cell, n, prefix):
    for i in range(n):
        make_member(f"{prefix} Văn {i:03d}", cell, birth_date=datetime.date(1980, 1, 1))


def test_candidate_form_lists_at_most_100_options_in_a_constant_number_of_queries(cast, login):
    client = login(cast.secretary_a1)
    url = reverse("admission:candidate_new")
    _members(cast.cell_a1, 5, "Trần")
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _members(cast.cell_a1, 150, "Hồ")
    with CaptureQueriesContext(connection) as large:
        resp = client.get(url)
    assert len(small) == len(large)
    assert _largest_select(resp) <= 100
    assert 'data-search-url="/admission/search/helpers/"' in resp.content.decode()


def test_helper_search_is_scoped_and_tells_people_apart(cast, login):
    make_member("Đặng Văn Đức", cast.cell_b1, birth_date=datetime.date(1975, 5, 5))
    resp = login(cast.secretary_a1).get(reverse("admission:search_helpers"), {"q": "dang duc"})
    results = resp.json()["results"]
    assert [r["id"] for r in results] == [cast.m_a1_other.pk]  # not staff_b's namesake in cell_b1
    assert "Chi bộ Phòng Ngân sách" in results[0]["label"]
    # staff_b finds only their own.
    results = login(cast.staff_b).get(reverse("admission:search_helpers"), {"q": "dang duc"}).json()["results"]
    assert cast.m_a1_other.pk not in [r["id"] for r in results]
    assert len(results) == 1
    # At most 20 answers.
    _members(cast.cell_a1, 30, "Trần")
    assert len(login(cast.secretary_a1).get(reverse("admission:search_helpers"), {"q": "tran"}).json()["results"]) == 20
    # A member cannot search.
    assert login(cast.member_a1).get(reverse("admission:search_helpers"), {"q": "dang"}).status_code == 404


def test_introducer_search_offers_official_members_only(cast, login):
    c = _candidate(cast)
    make_member("Ngô Văn Thử", cast.cell_a1, status=Member.Status.PROBATIONARY)
    make_member("Ngô Văn Chính", cast.cell_a1)
    client = login(cast.secretary_a1)
    names = [
        r["label"]
        for r in client.get(reverse("admission:search_introducers", args=[c.pk]), {"q": "ngo"}).json()["results"]
    ]
    assert any("Ngô Văn Chính" in n for n in names)
    assert not any("Ngô Văn Thử" in n or "Ngô Thị Lan" in n for n in names)
    assert (
        login(cast.staff_b).get(reverse("admission:search_introducers", args=[c.pk]), {"q": "ngo"}).status_code == 404
    )


def test_a_forged_helper_out_of_scope_is_refused(cast, login):
    data = {"cell": cast.cell_a1.pk, "full_name": "Trịnh Văn Mới", "sex": "M", "birth_date": "01/01/1999"}
    client = login(cast.secretary_a1)
    resp = client.post(reverse("admission:candidate_new"), {**data, "ethnicity": "Kinh", "helper": cast.m_b1.pk})
    assert resp.status_code in (200, 404)
    assert not Candidate.objects.filter(search_name="trinh van moi").exists()
    resp = client.post(reverse("admission:candidate_new"), {**data, "ethnicity": "Kinh", "helper": cast.m_a1_other.pk})
    assert resp.status_code == 302
    assert Candidate.objects.get(search_name="trinh van moi").helper == cast.m_a1_other


def test_transfer_and_rule_pages_list_at_most_100_options(cast, login):
    from dangbo.org.models import OrgUnit
    from dangbo.testing import make_unit

    for i in range(120):
        make_unit(f"Chi bộ Văn phòng {i}", OrgUnit.Kind.SUBORDINATE_CELL, cast.gr_b)
    _members(cast.cell_a1, 120, "Hồ")
    resp = login(cast.staff_a).get(reverse("transfers:new"))
    for name in ("member", "to_unit"):
        select = re.search(rf'<select name="{name}".*?</select>', resp.content.decode(), re.S).group(0)
        assert select.count("<option") <= 100
    results = login(cast.staff_a).get(reverse("transfers:search_cells"), {"q": "van phong"}).json()["results"]
    assert len(results) == 20 and all(" — " in r["label"] for r in results)
    members = login(cast.staff_a).get(reverse("transfers:search_members"), {"q": "bui minh"}).json()["results"]
    assert members == []  # cell_b1's member is not staff_a's to send
    resp = login(cast.users["bloc"]).get(reverse("rules:add_version", kwargs={"key": "member.probation_months"}))
    select = re.search(r'<select name="scope_unit".*?</select>', resp.content.decode(), re.S).group(0)
    assert select.count("<option") <= 100
    assert login(cast.users["bloc"]).get(reverse("rules:search_units"), {"q": "tai chinh"}).json()["results"]
