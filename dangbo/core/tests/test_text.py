"""Accent-insensitive search (DESIGN.md §6: "nguyen van a" finds "Nguyễn Văn A"; NFC/NFD both)."""

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from dangbo.core.text import fold, nfc, search_filter

VIETNAMESE = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
viet_text = st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + " \t\n", max_size=40)


@given(st.text(max_size=60))
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(st.text(max_size=60))
def test_nfc_and_nfd_fold_alike(text):
    assert fold(unicodedata.normalize("NFC", text)) == fold(unicodedata.normalize("NFD", text))


@given(viet_text)
def test_vietnamese_folds_to_plain_ascii_lowercase(text):
    folded = fold(text)
    assert folded.isascii()
    assert folded == folded.lower()
    assert "  " not in folded and folded == folded.strip()


@given(viet_text)
def test_vietnamese_fold_keeps_word_count(text):
    assert len(fold(text).split()) == len(text.split())


def test_d_with_stroke():
    assert fold("đ") == "d"
    assert fold("Đ") == "d"
    assert fold("Đặng Đức") == "dang duc"


def test_plain_query_matches_accented_name():
    assert fold("nguyen van a") == fold("Nguyễn Văn A")
    assert fold("NGUYỄN   văn\tA") == "nguyen van a"
    nfd = unicodedata.normalize("NFD", "Nguyễn Văn A")
    assert nfd != "Nguyễn Văn A"
    assert fold(nfd) == "nguyen van a"


def test_empty_values():
    assert fold("") == ""
    assert fold(None) == ""
    assert nfc("") == ""


def test_nfc_composes():
    assert nfc(unicodedata.normalize("NFD", "Nguyễn")) == "Nguyễn"


def test_search_filter_matches_each_word(cast):
    from dangbo.members.models import Member

    names = set(Member.objects.filter(search_filter("search_name", "dang duc")).values_list("full_name", flat=True))
    assert names == {"Đặng Văn Đức"}
    names = set(Member.objects.filter(search_filter("search_name", "THI")).values_list("full_name", flat=True))
    assert names == {"Lê Thị Hoa", "Ngô Thị Lan", "Đỗ Thị Mai"}
