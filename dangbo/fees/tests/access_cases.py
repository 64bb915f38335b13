"""Access-matrix rows of this app (tests/test_access_matrix.py): one Case per URL."""

from django.utils import timezone

from dangbo.testing import EVERYONE, STAFF, Case


def _portal_csv():
    from django.core.files.uploadedfile import SimpleUploadedFile

    head = "STT;Họ tên;Số thẻ;Ngày sinh;Đơn vị;Kỳ nộp;Giá trị;Ngày nộp"
    row = "1;Lê Thị Hoa;12.345678;01/01/1990;Chi bộ A1;11/2026;50000;05/11/2026"
    return SimpleUploadedFile("ds.csv", f"{head}\n{row}".encode(), content_type="text/csv")


WRITERS_A1 = {"bloc", "staff_a", "secretary_a1"}  # the fee scope of cell_a1 and above
WRITERS_GR_A = {"bloc", "staff_a"}
TODAY = timezone.localdate


def _month():
    return TODAY().strftime("%m/%Y")


def _cell(cast):
    return {"pk": cast.cell_a1.pk}


def _gr(cast):
    return {"pk": cast.gr_a.pk}


def _declaration(cast, member=None):
    from dangbo.fees.models import FeeDeclaration

    d = FeeDeclaration.objects.create(
        member=member or cast.m_a1_other,
        category="insured",
        base_income=8_000_000,
        from_month=TODAY().replace(day=1),
    )
    return d


def _own(cast):
    """The cell secretary's own member record (Member.user), made once."""
    from dangbo.members.models import Member
    from dangbo.testing import make_member

    return Member.objects.filter(user=cast.secretary_a1).first() or make_member(
        "Hoàng Văn Bình", cast.cell_a1, user=cast.secretary_a1
    )


def _import(cast):
    from dangbo.fees import portal
    from dangbo.fees.models import PortalImport

    cast.m_a1_other.card_number = "012345678"
    cast.m_a1_other.save(update_fields=["card_number"])
    rows = [
        {
            "line": 2,
            "full_name": "Đặng Văn Đức",
            "unit_name": "",
            "card_number": "012345678",
            "month": TODAY().replace(day=1),
            "amount": 80_000,
            "paid_on": TODAY(),
        }
    ]
    imp = PortalImport.objects.create(
        unit=cast.cell_a1, file_name="ds.csv", rows=portal.to_json(rows), uploaded_by=cast.secretary_a1
    )
    return {"pk": cast.cell_a1.pk, "import_pk": imp.pk}


CASH = lambda cast: {  # noqa: E731
    "from_month": _month(),
    "to_month": _month(),
    "amount": "0",
    "paid_on": TODAY().strftime("%d/%m/%Y"),
    "receipt_number": "BL-001",
}

CASES = [
    # Everyone logged in opens their own fee page (a user without a member record is told so).
    Case("fees:mine", allowed=EVERYONE),
    Case(
        "fees:declare",
        method="post",
        allowed={"member_a1"},
        data=lambda cast: {"category": "student", "from_month": _month()},
    ),
    Case("fees:home", allowed=STAFF),
    Case("fees:unit", kwargs=_cell, allowed=WRITERS_A1),
    Case(
        "fees:confirm",
        kwargs=_cell,
        method="post",
        allowed=WRITERS_A1,
        data=lambda cast: {"declaration": [_declaration(cast).pk]},
    ),
    # Nobody confirms their own declaration: the secretary is refused hers (403).
    Case(
        "fees:confirm",
        kwargs=_cell,
        method="post",
        allowed=WRITERS_A1 - {"secretary_a1"},
        data=lambda cast: {"declaration": [_declaration(cast, _own(cast)).pk]},
    ),
    Case("fees:compute", kwargs=_cell, method="post", allowed=WRITERS_A1, data=lambda cast: {"month": _month()}),
    Case("fees:cash", kwargs=lambda cast: {"pk": cast.cell_a1.pk, "member_pk": cast.m_a1_other.pk}, allowed=WRITERS_A1),
    Case(
        "fees:cash",
        kwargs=lambda cast: {"pk": cast.cell_a1.pk, "member_pk": cast.m_a1_other.pk},
        method="post",
        allowed=WRITERS_A1,
        data=CASH,
    ),
    # Nobody records their own payment.
    Case(
        "fees:cash",
        kwargs=lambda cast: {"pk": cast.cell_a1.pk, "member_pk": _own(cast).pk},
        method="post",
        allowed=WRITERS_A1 - {"secretary_a1"},
        data=CASH,
    ),
    Case("fees:import", kwargs=_cell, allowed=WRITERS_A1),
    # Uploading the portal's list stores it for the preview (nothing is paid until the commit).
    Case("fees:import", kwargs=_cell, allowed=WRITERS_A1, method="post", data=lambda cast: {"file": _portal_csv()}),
    Case("fees:import_preview", kwargs=_import, allowed=WRITERS_A1),
    Case("fees:import_commit", kwargs=_import, method="post", allowed=WRITERS_A1),
    Case("fees:arrears", kwargs=_cell, allowed=WRITERS_A1),
    Case("fees:remittances", kwargs=_gr, allowed=WRITERS_GR_A),
    Case(
        "fees:remit",
        kwargs=_gr,
        method="post",
        allowed=WRITERS_GR_A,
        data=lambda cast: {
            "from_unit": cast.cell_a1.pk,
            "period_start": _month(),
            "period_end": _month(),
            "amount": "50000",
            "remitted_on": TODAY().strftime("%d/%m/%Y"),
        },
    ),
]

from dangbo.fees.tests.access_cases_book import CASES as BOOK_CASES  # noqa: E402

CASES += BOOK_CASES
