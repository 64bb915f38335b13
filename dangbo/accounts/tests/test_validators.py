"""Finding 12 (issue 12): usernames that cannot be mistaken for others; passwords not built from the
username; every password rule explained in Vietnamese."""

import pytest
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from dangbo.accounts.models import User
from dangbo.accounts.validators import validate_username


@pytest.mark.parametrize("name", ["khoi", "Khôi", "nguyễn.văn-đức_2", "trần.thị.ỹ", "ĐẶNG"])
def test_latin_and_vietnamese_usernames_pass(name):
    validate_username(name)


@pytest.mark.parametrize(
    "name",
    [
        "kh\u043ei",  # Cyrillic о
        "\u0430dmin",  # Cyrillic а
        "kh\u03bfi",  # Greek ο
        "\u0131nspector",  # dotless ı
        "khoi vp",  # space
        "khoi@vp",  # not one of . _ -
        "khoi\u200b",  # zero-width space
        "kho\u0308i",  # a diaeresis: not a Vietnamese mark
        "\u0661\u0662",  # Arabic-Indic digits
    ],
)
def test_look_alike_and_foreign_usernames_are_refused(name):
    with pytest.raises(ValidationError):
        validate_username(name)


def test_full_width_letters_are_normalised_not_refused():
    validate_username("ｋｈｏｉ")  # NFKC makes it "khoi"


def _create(client, cast, **over):
    data = {
        "username": "bt_tinhoc",
        "full_name": "Nguyễn Văn Khôi",
        "password": "Mat-khau-moi-2026",
        "role": "cell_secretary",
        "unit": cast.cell_a2.pk,
        **over,
    }
    return client.post(reverse("accounts:user_create"), data)


def test_user_creation_refuses_a_look_alike_username(cast, login):
    client = login(cast.bloc_user)
    User.objects.create_user(username="khoi2", password="x")
    resp = _create(client, cast, username="kh\u043ei2")
    assert resp.status_code == 200
    assert "chữ cái Latinh" in resp.context["form"].errors["username"][0]
    assert not User.objects.filter(username="kh\u043ei2").exists()
    # The model refuses it too (full_clean in the service, createsuperuser).
    with pytest.raises(ValidationError):
        User(username="kh\u043ei2", password="x").full_clean(exclude=["password"])


def test_user_creation_stores_the_nfkc_form(cast, login):
    client = login(cast.bloc_user)
    assert _create(client, cast, username="ｂｔ_ｍｏｉ").status_code == 302
    assert User.objects.filter(username="bt_moi").exists()


@pytest.mark.parametrize("pw", ["khoikhoikhoi", "KHOIKHOIKHOI", "khôi-2026-mới", "Mat-khau-khoi", "khoi.khoi.khoi"])
def test_password_with_the_username_is_refused(cast, login, pw):
    client = login(cast.bloc_user)
    resp = _create(client, cast, username="khoi", password=pw)
    assert resp.status_code == 200
    assert "Mật khẩu không được chứa tên đăng nhập." in resp.context["form"].errors["password"]
    assert not User.objects.filter(username="khoi").exists()


def test_short_username_is_only_refused_repeated():
    user = User(username="an")
    validate_password("Banana-split-2026", user)
    with pytest.raises(ValidationError):
        validate_password("anananananan", user)


def test_password_change_refuses_the_username_repeated(cast, login, password):
    client = login(cast.staff_a)
    resp = client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": "staff_astaff_a", "new_password2": "staff_astaff_a"},
    )
    assert resp.status_code == 200
    assert User.objects.get(pk=cast.staff_a.pk).check_password(password)


@pytest.mark.parametrize(
    "pw, expected",
    [
        ("Ngan-1", "Mật khẩu quá ngắn: cần có ít nhất 10 ký tự."),
        ("password123", "Mật khẩu này quá phổ biến: nó nằm trong danh sách các mật khẩu dễ đoán."),
        ("20262026202620", "Mật khẩu này chỉ gồm chữ số."),
        ("Nguyen-Van-Khoi", "Mật khẩu quá giống Họ."),
    ],
)
def test_every_password_message_is_vietnamese(pw, expected):
    user = User(username="vp_khoi", first_name="Khôi", last_name="Nguyễn Văn Khoi")
    with translation.override("vi"):
        with pytest.raises(ValidationError) as e:
            validate_password(pw, user)
        assert expected in e.value.messages
        helps = password_validators_help_texts()
    assert len(helps) == 5 and all(h.startswith("Mật khẩu") for h in helps)
