import io

from django.core.files.uploadedfile import SimpleUploadedFile

from dangbo.testing import EVERYONE, STAFF, Case

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def png(name="anh.png"):
    """A tiny valid PNG upload."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def members_xlsx(name="Nguyễn Văn Mới"):
    """An import file of one valid member of cell_a2."""
    from dangbo.members.tests.xlsx import row, workbook

    return SimpleUploadedFile("dang-vien.xlsx", workbook([row(name)]), content_type=XLSX)


def _correction(cast):
    """The correction form as it stands for m_a1_other, with a new name and the approving document."""
    from dangbo.members.forms import CorrectionForm

    form = CorrectionForm(instance=cast.m_a1_other)
    data = {k: v for k, v in ((name, form[name].value()) for name in form.fields) if v is not None}
    return {**data, "full_name": "Đặng Văn Đức Anh", "approval_document": "12-QĐ/ĐUK", "approval_date": "01/06/2026"}


CASES = [
    Case("members:list", allowed=STAFF),
    Case("members:export", allowed=STAFF),
    Case("members:correct", kwargs=lambda c: {"pk": c.m_a1_other.pk}, allowed={"bloc", "staff_a", "secretary_a1"}),
    Case(
        "members:detail",
        kwargs=lambda c: {"pk": c.m_a1.pk},
        allowed={"bloc", "inspector", "staff_a", "secretary_a1", "member_a1"},
    ),
    Case("members:detail", kwargs=lambda c: {"pk": c.m_b1.pk}, allowed={"bloc", "inspector", "staff_b"}),
]


def _import(cast):
    from dangbo.members.models import MemberImport

    imp = MemberImport.objects.create(unit=cast.gr_a, created_by=cast.staff_a, file_name="ds.xlsx", total=0)
    return {"pk": imp.pk}


def _ready_import(cast):
    """staff_a's checked import of one valid row, ready to commit."""
    from dangbo.members import importer

    imp = importer.start_import(uploaded=members_xlsx(), unit=cast.gr_a, actor=cast.staff_a)
    assert imp.state == imp.State.READY, imp.issues
    return {"pk": imp.pk}


WRITERS = {"bloc", "staff_a", "secretary_a1", "staff_b"}
CASES += [
    Case("members:import", allowed=WRITERS),
    Case("members:import_template", allowed=WRITERS),
    Case("members:import_detail", kwargs=_import, allowed={"staff_a"}),
    Case("members:import_step", kwargs=_import, allowed={"staff_a"}, method="post"),
    Case("members:import_commit", kwargs=_ready_import, allowed={"staff_a"}, method="post"),
    Case(
        "members:import",
        method="post",
        data=lambda c: {"unit": c.gr_a.pk, "file": members_xlsx()},
        allowed={"bloc", "staff_a"},
    ),
    Case(
        "members:correct",
        kwargs=lambda c: {"pk": c.m_a1_other.pk},
        method="post",
        data=_correction,
        allowed={"bloc", "staff_a", "secretary_a1"},
    ),
]


def _member_with_photo(cast):
    from django.core.files.base import ContentFile

    from dangbo.members.models import Member

    member = Member.objects.get(pk=cast.m_a1.pk)
    if not member.photo:
        member.photo.save("p.jpg", ContentFile(b"\xff\xd8\xff\xd9"), save=True)
    return {"pk": member.pk}


CASES += [
    Case(
        "members:photo",
        kwargs=_member_with_photo,
        allowed={"bloc", "inspector", "staff_a", "secretary_a1", "member_a1"},
    ),
    Case(
        "members:photo_upload",
        kwargs=lambda c: {"pk": c.m_a1_other.pk},
        allowed={"bloc", "staff_a", "secretary_a1"},
        method="post",
        data=lambda c: {"photo": png()},
    ),
    Case("members:wards", allowed=EVERYONE, query="?residence_province=40"),
]
