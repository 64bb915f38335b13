"""Excel files for the import tests (unit and browser)."""

import io

from openpyxl import Workbook

HEADER = [
    "STT",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Số CCCD",
    "Chi bộ",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Số thẻ đảng viên",
    "Dân tộc",
    "Tôn giáo",
    "Quê quán",
    "Trình độ văn hóa",
    "Trình độ chuyên môn",
    "Lý luận chính trị",
    "Chức vụ",
]


def row(name, *, sex="Nam", born="15/03/1985", cccd="", cell="Chi bộ Phòng Tin học", admitted="19/05/2016",
        official="19/05/2017", card="", ethnicity="Kinh", religion="Không", hometown="Nghệ An",
        education="12/12", qualification="Đại học", theory="Trung cấp", position="Chuyên viên"):  # fmt: skip
    return [None, name, sex, born, cccd, cell, admitted, official, card, ethnicity, religion, hometown, education,
            qualification, theory, position]  # fmt: skip


def workbook(rows, header=HEADER):
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for i, r in enumerate(rows, 1):
        ws.append([i, *r[1:]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
