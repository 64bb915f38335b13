"""The candidate form's search selects without script and with a forged choice (issue 14 §8)."""

import re

from django.urls import reverse

from dangbo.admission.models import Candidate

NOT_OFFERED = "Hãy chọn trong kết quả tìm kiếm: lựa chọn này không thuộc phạm vi được chọn."


def test_the_no_script_search_is_its_own_get_form_never_the_post_form(cast, login):
    client = login(cast.staff_a)
    url = reverse("admission:candidate_new")
    html = client.get(url + "?cell_q=tin+hoc&x=1").content.decode()
    # The POST form does not hold the search: its boxes and buttons belong to base.html's empty GET form.
    post_form = re.search(r'<form method="post" novalidate>.*?</form>', html, re.S).group(0)
    assert 'name="csrfmiddlewaretoken"' in post_form
    assert "formmethod" not in html
    boxes = re.findall(r'<input type="search"[^>]*>', post_form)
    assert boxes and all('form="search-select-get"' in b for b in boxes)
    buttons = re.findall(r'<button[^>]*form="search-select-get"[^>]*>', post_form)
    assert len(buttons) == len(boxes)
    assert '<form id="search-select-get" method="get" hidden></form>' in html.split("</main>", 1)[1]
    # The page's other parameters ride along (once), never a token; the box narrows the cells listed.
    assert html.count('<input type="hidden" form="search-select-get" name="x" value="1">') == 1
    cell_select = re.search(r'<select name="cell".*?</select>', html, re.S).group(0)
    assert "Chi bộ Phòng Tin học" in cell_select and "Chi bộ Phòng Ngân sách" not in cell_select


def test_a_forged_or_out_of_scope_cell_is_an_error_on_the_field(cast, login):
    client = login(cast.staff_a)
    url = reverse("admission:candidate_new")
    data = {"full_name": "Trịnh Văn Mới", "sex": "M", "birth_date": "01/01/1999", "ethnicity": "Kinh"}
    for cell in (cast.cell_b1.pk, 999999, "abc"):
        resp = client.post(url, {**data, "cell": cell})
        assert resp.status_code == 200
        assert resp.context["form"].errors["cell"] == [NOT_OFFERED]
        assert NOT_OFFERED in resp.content.decode()
    assert not Candidate.objects.exists()
    assert client.post(url, {**data, "cell": cast.cell_a2.pk}).status_code == 302
    assert Candidate.objects.get().cell == cast.cell_a2


def test_the_search_endpoints_answer_within_scope(cast, login):
    found = login(cast.staff_a).get(reverse("admission:search_cells") + "?q=chi+bo").json()["results"]
    assert {r["id"] for r in found} == {cast.cell_a1.pk, cast.cell_a2.pk}
    found = login(cast.inspector).get(reverse("admission:search_units") + "?q=so").json()["results"]
    assert {r["id"] for r in found} >= {cast.gr_a.pk, cast.gr_b.pk}
