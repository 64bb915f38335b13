import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from dangbo.core import places
from dangbo.core.models import AuditLog
from dangbo.members.models import Member


def _png(size=(1200, 1600), color=(200, 30, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return SimpleUploadedFile("anh.png", out.getvalue(), content_type="image/png")


def _correction(member, **changes):
    data = {
        "full_name": member.full_name,
        "sex": member.sex,
        "approval_document": "12-QĐ/ĐU",
        "approval_date": "01/11/2026",
    }
    data.update(changes)
    return data


def test_residence_uses_the_2025_administrative_units(cast, login):
    nghe_an = {name: code for code, name in places.provinces()}["Nghệ An"]
    ward_code, ward = places.wards(nghe_an)[0]
    hanoi_ward = places.wards(1)[0][0]
    client = login(cast.staff_a)
    url = reverse("members:correct", args=[cast.m_a1_other.pk])
    # The wards of the chosen province are offered by the select's HTMX call.
    options = client.get(reverse("members:wards"), {"residence_province": nghe_an}).content.decode()
    assert f'<option value="{ward_code}">{ward}</option>' in options
    # A ward of another province is refused at the field, and nothing changes.
    resp = client.post(url, _correction(cast.m_a1_other, residence_province=nghe_an, residence_ward=hanoi_ward))
    assert resp.status_code == 200 and resp.context["form"].errors["residence_ward"]
    assert Member.objects.get(pk=cast.m_a1_other.pk).residence_province is None
    resp = client.post(
        url,
        _correction(
            cast.m_a1_other,
            residence_province=nghe_an,
            residence_ward=ward_code,
            residence_address="Số 5, đường Lê Lợi",
            other_names="Đức Anh",
            birth_place="Nghi Lộc, Nghệ An",
            occupation="Công chức",
        ),
    )
    assert resp.status_code == 302
    m = Member.objects.get(pk=cast.m_a1_other.pk)
    assert m.residence == f"Số 5, đường Lê Lợi, {ward}, Nghệ An"
    assert (m.other_names, m.birth_place, m.occupation) == ("Đức Anh", "Nghi Lộc, Nghệ An", "Công chức")
    page = client.get(reverse("members:detail", args=[m.pk])).content.decode()
    assert m.residence in page and "Đức Anh" in page
    entry = AuditLog.objects.filter(action="members.correct").latest("id")
    assert entry.changes["residence_ward"] == [None, ward_code]


def test_photo_is_reencoded_and_served_only_inside_the_scope(cast, login):
    client = login(cast.staff_a)
    resp = client.post(reverse("members:photo_upload", args=[cast.m_a1.pk]), {"photo": _png()})
    assert resp.status_code == 302
    m = Member.objects.get(pk=cast.m_a1.pk)
    assert m.photo.name.startswith("members/photos/") and m.photo.name.endswith(".jpg")
    with Image.open(m.photo.path) as im:
        assert im.format == "JPEG" and max(im.size) <= 800
    assert AuditLog.objects.filter(action="members.photo", object_id=str(m.pk)).exists()
    # The member sees their own photo; another committee's staff gets 404.
    resp = login(cast.member_a1).get(reverse("members:photo", args=[m.pk]))
    assert resp.status_code == 200 and resp["Content-Type"] == "image/jpeg"
    assert login(cast.staff_b).get(reverse("members:photo", args=[m.pk])).status_code == 404
    # Not an image: refused with a message, the old photo stays.
    old = m.photo.name
    bad = SimpleUploadedFile("anh.jpg", b"not an image", content_type="image/jpeg")
    client = login(cast.staff_a)
    resp = client.post(reverse("members:photo_upload", args=[m.pk]), {"photo": bad}, follow=True)
    assert "Hãy tải lên một hình ảnh hợp lệ" in resp.content.decode()
    assert Member.objects.get(pk=m.pk).photo.name == old


def test_list_filters_by_sector_and_religion(cast, login):
    Member.objects.filter(pk=cast.m_b1.pk).update(religion="Phật giáo")
    client = login(cast.bloc_user)
    assert [m.full_name for m in client.get(reverse("members:list"), {"religion": "Phật giáo"}).context["page"]] == [
        "Bùi Văn Minh"
    ]
    assert "Bùi Văn Minh" not in [
        m.full_name for m in client.get(reverse("members:list"), {"religion": "Không"}).context["page"]
    ]
    names = [m.full_name for m in client.get(reverse("members:list"), {"sector": "party_agency"}).context["page"]]
    assert names == ["Đỗ Thị Mai"]
    names = {m.full_name for m in client.get(reverse("members:list"), {"sector": "state_agency"}).context["page"]}
    assert names == {"Đặng Văn Đức", "Lê Thị Hoa", "Ngô Thị Lan", "Bùi Văn Minh"}
