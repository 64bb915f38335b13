"""dangbo.core.uploads: hostile files, small on disk and huge once read, are refused before they are parsed,
in Vietnamese, with nothing saved; every upload field of every form has a size limit."""

import importlib
import io
import pkgutil
import struct
import zipfile
import zlib

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import dangbo
from dangbo.core import uploads
from dangbo.documents.models import Document, FormTemplate
from dangbo.documents.tests.access_cases import docx_bytes
from dangbo.meetings.models import MeetingDocument
from dangbo.members.models import Member, MemberImport
from dangbo.members.tests.xlsx import row, workbook


def _bomb(office_file, member, size):
    """``office_file`` (bytes) with one more zip member of ``size`` bytes of one repeated tag."""
    out = io.BytesIO(office_file)
    chunk = b"<si><t>A</t></si>" * 65536
    with (
        zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z,
        z.open(member, "w", force_zip64=True) as f,
    ):
        for _ in range(size // len(chunk)):
            f.write(chunk)
    return out.getvalue()


def _png(width, height):
    """A PNG of ``width``×``height`` pixels a few hundred bytes long (its pixel data is all zeros)."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\0" * 4096, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _import(client, content, unit):
    f = SimpleUploadedFile("dang-vien.xlsx", content, content_type=XLSX)
    return client.post(reverse("members:import"), {"unit": unit.pk, "file": f})


def test_an_excel_bomb_is_refused_before_it_is_read(cast, login):
    client = login(cast.staff_a)
    legit = workbook([row("Nguyễn Văn An")])
    # 70 MB of shared strings packed into ~100 KB: more than a part may unpack to.
    bomb = _bomb(legit, "xl/sharedStrings.xml", 70 * uploads.MB)
    assert len(bomb) < 500_000
    resp = _import(client, bomb, cast.gr_a)
    assert resp.status_code == 200
    error = resp.context["form"].errors["file"][0]
    assert error.startswith("Tệp dang-vien.xlsx khi giải nén chiếm") and "vượt mức hệ thống cho phép (60 MB)" in error
    # 8 MB packed a thousand times: within the sizes, refused for its ratio.
    resp = _import(client, _bomb(legit, "xl/sharedStrings.xml", 8 * uploads.MB), cast.gr_a)
    assert "được nén chặt bất thường" in resp.context["form"].errors["file"][0]
    assert not MemberImport.objects.exists()
    # The service refuses it too, whoever calls it.
    from django.core.exceptions import ValidationError

    from dangbo.members import importer

    with pytest.raises(ValidationError):
        importer.read_workbook(SimpleUploadedFile("a.xlsx", bomb))
    # A normal file still goes through.
    resp = _import(client, legit, cast.gr_a)
    assert resp.status_code == 302 and MemberImport.objects.count() == 1


def test_a_word_bomb_is_refused_as_attachment_and_as_template(cast, login):
    client = login(cast.bloc_user)
    bomb = _bomb(docx_bytes("Nghị quyết"), "word/bomb.xml", 8 * uploads.MB)
    resp = client.post(
        reverse("documents:new"),
        {"kind": "resolution", "title": "Nghị quyết", "issued_on": "22/12/2024", "issuer": "Bộ Chính trị",
         "secrecy": "normal", "unit": cast.bloc.pk, "files": [SimpleUploadedFile("nq.docx", bomb)]},
    )  # fmt: skip
    assert resp.status_code == 200
    assert "Tệp nq.docx được nén chặt bất thường" in resp.context["form"].errors["files"][0]
    assert not Document.objects.exists()
    resp = client.post(
        reverse("documents:template_upload"),
        {"name": "Mẫu", "kind": "other", "file": SimpleUploadedFile("mau.docx", bomb)},
    )
    assert resp.status_code == 200 and "nén chặt bất thường" in resp.context["form"].errors["file"][0]
    assert not FormTemplate.objects.exists()
    # The text extraction refuses it too (a document published by another path).
    from django.core.exceptions import ValidationError

    from dangbo.documents import services

    with pytest.raises(ValidationError):
        services.extract_text("nq.docx", bomb)


@pytest.mark.parametrize(
    ("size", "shown"), [((13000, 13000), "hơn 80 triệu điểm ảnh"), ((7000, 7000), "7000×7000 điểm ảnh")]
)
def test_a_photo_with_too_many_pixels_is_refused_before_it_is_decoded(cast, login, size, shown):
    png = _png(*size)
    assert len(png) < 1000
    client = login(cast.staff_a)
    photo = SimpleUploadedFile("anh.png", png, content_type="image/png")
    resp = client.post(reverse("members:photo_upload", args=[cast.m_a1.pk]), {"photo": photo}, follow=True)
    assert resp.status_code == 200
    page = resp.content.decode()
    assert "Ảnh quá lớn" in page and shown in page
    assert not Member.objects.get(pk=cast.m_a1.pk).photo


def test_a_file_past_the_upload_limit_is_cut_off_and_refused(cast, login):
    from dangbo.meetings.tests.helpers import planned

    meeting = planned(cast.cell_a1)
    client = login(cast.secretary_a1)
    big = SimpleUploadedFile("tai-lieu.pdf", b"%PDF-1.4 " + b"0" * (uploads.MAX_UPLOAD_BYTES + 1))
    resp = client.post(reverse("meetings:document", args=[meeting.pk]), {"title": "Tài liệu", "file": big}, follow=True)
    assert resp.status_code == 200
    assert "Tệp tai-lieu.pdf lớn hơn 20 MB" in resp.content.decode()
    assert not MeetingDocument.objects.exists()
    # Under the hard limit but over the field's own (5 MB for a template).
    template = SimpleUploadedFile("mau.docx", docx_bytes("{{ unit_name }}") + b"\0" * (6 * uploads.MB))
    resp = login(cast.bloc_user).post(
        reverse("documents:template_upload"), {"name": "Mẫu", "kind": "other", "file": template}
    )
    assert resp.context["form"].errors["file"] == ["Tệp mau.docx lớn hơn 5 MB; đề nghị đồng chí gửi tệp nhỏ hơn."]
    assert not FormTemplate.objects.exists()


def test_the_handler_keeps_nothing_past_the_limit():
    handler = uploads.SizeLimitUploadHandler()
    handler.new_file("file", "a.pdf", "application/pdf", None)
    chunk = b"0" * uploads.MB
    kept = [handler.receive_data_chunk(chunk, i * uploads.MB) for i in range(30)]
    assert sum(len(k) for k in kept if k) <= uploads.MAX_UPLOAD_BYTES
    f = handler.file_complete(30 * uploads.MB)
    assert f.too_large and f.size == 30 * uploads.MB and f.read() == b""


def _form_classes():
    for mod in pkgutil.iter_modules(dangbo.__path__):
        try:
            m = importlib.import_module(f"dangbo.{mod.name}.forms")
        except ModuleNotFoundError:
            continue
        for value in vars(m).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm) and value.__module__ == m.__name__:
                yield value


def test_every_upload_field_is_bounded():
    fields = [
        (cls.__name__, name, field)
        for cls in _form_classes()
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.FileField)
    ]
    assert len(fields) >= 6  # import, photo, attachments, template, meeting document, evidence
    unbounded = [
        f"{c}.{n}" for c, n, f in fields if not isinstance(f, (uploads.LimitedFileField, uploads.LimitedImageField))
    ]
    assert not unbounded, f"use dangbo.core.uploads fields for {unbounded}"
