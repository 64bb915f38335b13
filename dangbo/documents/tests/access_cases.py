"""Access-matrix rows of this app (tests/test_access_matrix.py): one Case per URL.

The bloc office publishes a resolution and sends it to Sở Tài chính (gr_a) and everything under it:
member_a1 (a member of cell_a1) receives it; the staff of gr_a and of cell_a1 and the inspection commission
follow it; Sở Y tế (staff_b) never sees it. A secret document sent to the cell secretaries of gr_a is
seen only by the bloc office (publisher) and secretary_a1.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from dangbo.testing import EVERYONE, Case

D = datetime.date
WRITERS = {"bloc", "staff_a", "secretary_a1", "staff_b"}
READERS_A = {"bloc", "inspector", "staff_a", "secretary_a1", "member_a1"}


def docx_bytes(*paragraphs):
    import io

    from docx import Document as Docx

    doc = Docx()
    for p in paragraphs:
        doc.add_paragraph(p)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def sent_resolution(cast, secrecy="normal"):
    from dangbo.accounts.models import Role
    from dangbo.documents import services
    from dangbo.documents.models import Target

    files = [SimpleUploadedFile("nq.docx", docx_bytes("Nghị quyết về chuyển đổi số"))]
    doc = services.publish(
        actor=cast.bloc_user,
        unit=cast.bloc,
        kind="resolution",
        number="57-NQ/TW",
        title="Nghị quyết về đột phá phát triển khoa học, công nghệ",
        issued_on=D(2024, 12, 22),
        issuer="Bộ Chính trị",
        secrecy=secrecy,
        files=files,
    )
    if secrecy == "normal":
        targets = [{"kind": Target.Kind.SUBTREE, "unit": cast.gr_a}]
    else:
        targets = [{"kind": Target.Kind.ROLE, "unit": cast.gr_a, "role": Role.CELL_SECRETARY}]
    services.distribute(document=doc, actor=cast.bloc_user, targets=targets, sent_on=D(2026, 11, 20))
    return doc


def _doc(cast, secrecy="normal"):
    return {"pk": sent_resolution(cast, secrecy).pk}


def _att(cast):
    return {"pk": sent_resolution(cast).attachments.get().pk}


CASES = [
    Case("documents:home", EVERYONE),
    Case("documents:library", EVERYONE),
    Case("documents:news", EVERYONE),
    Case("documents:new", WRITERS),
    Case("documents:new_news", WRITERS),
    Case("documents:secret_log", {"bloc"}),
    Case("documents:templates", WRITERS),
    Case("documents:template_upload", {"bloc"}),
    Case("documents:template_fill", WRITERS, kwargs=lambda cast: {"key": "ke-hoach"}),
    Case("documents:attachment", READERS_A, kwargs=_att),
    Case("documents:detail", READERS_A, kwargs=_doc),
    Case("documents:detail", {"bloc", "secretary_a1"}, kwargs=lambda cast: _doc(cast, "secret")),
    Case("documents:mark_read", {"member_a1"}, kwargs=_doc, method="post"),
    Case("documents:distribute", {"bloc"}, kwargs=_doc),
    Case("documents:readers", READERS_A - {"member_a1"}, kwargs=_doc),
    Case("documents:remind", {"bloc"}, kwargs=_doc, method="post"),
    Case(
        "documents:convey",
        {"secretary_a1"},
        kwargs=_doc,
        method="post",
        data=lambda cast: {"members": [cast.m_a1_other.pk]},
    ),
    # Every form posted for real. A document is published in the name of a root of one's write scope.
    Case(
        "documents:new",
        {"staff_a"},
        method="post",
        data=lambda cast: {
            "kind": "plan",
            "title": "Kế hoạch chuyển đổi số",
            "issued_on": "20/11/2026",
            "issuer": "Đảng ủy Sở Tài chính",
            "secrecy": "normal",
            "unit": cast.gr_a.pk,
            "files": [SimpleUploadedFile("kh.docx", docx_bytes("Kế hoạch"))],
        },
    ),
    Case(
        "documents:distribute",
        {"bloc"},
        kwargs=_doc,
        method="post",
        data=lambda cast: {"units": [cast.cell_c.pk], "sent_on": "21/11/2026"},
    ),
    # Filling a template is a download: nothing is stored.
    Case(
        "documents:template_fill",
        {"bloc", "staff_a", "secretary_a1"},
        kwargs=lambda cast: {"key": "ke-hoach"},
        method="post",
        data=lambda cast: {
            "unit": cast.cell_a1.pk,
            "day": "20/11/2026",
            "period": "năm 2027",
            "term": "2025–2030",
            "place": "Nghệ An",
        },  # fmt: skip
        writes=False,
    ),
    Case(
        "documents:template_upload",
        {"bloc"},
        method="post",
        data=lambda cast: {
            "name": "Mẫu kế hoạch",
            "kind": "plan",
            "file": SimpleUploadedFile("mau.docx", docx_bytes("Kế hoạch năm")),
        },
    ),
]
