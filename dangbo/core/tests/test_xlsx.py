"""dangbo.core.xlsx: a text is written as text, whatever it starts with."""

import io

import pytest
from openpyxl import load_workbook

from dangbo.core import xlsx


@pytest.mark.parametrize("write_only", [False, True])
def test_texts_that_spreadsheets_run_stay_text(write_only):
    texts = ["=1+1", '=HYPERLINK("http://x","y")', "+84 912", "-5+3", "@SUM(A1)", "\t=1", "\r=1", "Nguyễn Văn An"]
    book = xlsx.Book(write_only=write_only)
    sheet = book.sheet("Danh sách")
    sheet.append(texts, bold=True)
    sheet.append([1, 2.5, None, "x\x01y\x1f"])  # control characters openpyxl cannot write are dropped
    ws = load_workbook(io.BytesIO(book.save())).active
    first, second = list(ws.iter_rows())[:2]
    assert [c.value for c in first] == texts
    assert all(c.data_type == "s" for c in first)
    assert all(c.quotePrefix for c in first[:-1]) and not first[-1].quotePrefix
    assert [c.value for c in second][:4] == [1, 2.5, None, "xy"]
