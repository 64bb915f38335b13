"""The document library through the HTTP client, checking the database behind it."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from docx import Document as Docx

from dangbo.accounts.models import Role
from dangbo.core.models import Notification
from dangbo.documents import reach, services
from dangbo.documents.figures import period_figures
from dangbo.documents.models import Distribution, Document, FormTemplate, Receipt, SecretView, Target
from dangbo.documents.tests.access_cases import docx_bytes, sent_resolution
from dangbo.members.models import Member
from dangbo.testing import make_user

D = datetime.date
TK = Target.Kind
pytestmark = pytest.mark.django_db


def pdf_bytes(text):
    """A one-page PDF whose text layer is ``text`` (ASCII), written by hand."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def member_login(member, username):
    user = make_user(username, Role.MEMBER, member.unit, full_name=member.full_name)
    member.user = user
    member.save(update_fields=["user"])
    return user


def _publish(client, cast, **extra):
    data = {
        "kind": "resolution",
        "number": "57-NQ/TW",
        "title": "Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo",
        "summary": "Quán triệt đến toàn thể đảng viên",
        "issued_on": "22/12/2024",
        "issuer": "Bộ Chính trị",
        "subject": "Khoa học công nghệ",
        "secrecy": "normal",
        "unit": cast.bloc.pk,
    }
    data.update(extra)
    return client.post(reverse("documents:new"), data)


def _distribute(client, doc, **data):
    data.setdefault("sent_on", "20/11/2026")
    return client.post(reverse("documents:distribute", args=[doc.pk]), data)


def test_publish_with_attachments_extracts_text_for_accent_insensitive_search(cast, login):
    client = login(cast.bloc_user)
    files = [
        SimpleUploadedFile("nq57.pdf", pdf_bytes("Tang cuong chuyen doi so quoc gia"), "application/pdf"),
        SimpleUploadedFile("hd.docx", docx_bytes("Hướng dẫn thực hiện: sinh hoạt chi bộ chuyên đề"), "application/x"),
    ]
    resp = _publish(client, cast, files=files)
    doc = Document.objects.get()
    assert resp.status_code == 302 and resp["Location"] == reverse("documents:distribute", args=[doc.pk])
    assert doc.attachments.count() == 2
    assert "chuyen doi so" in doc.search_text and "sinh hoat chi bo chuyen de" in doc.search_text

    def found(q):
        r = client.get(reverse("documents:library"), {"q": q})
        return [d.pk for d in r.context["page"]]

    assert found("chuyển đổi số") == [doc.pk]  # in the PDF's text, typed with accents
    assert found("SINH HOAT CHI BO") == [doc.pk]  # in the Word file, typed without
    assert found("nghi quyet dot pha") == [doc.pk]  # title
    assert found("57-nq") == [doc.pk]
    assert found("kinh tế tư nhân") == []
    # The file itself downloads.
    att = doc.attachments.get(name="nq57.pdf")
    r = client.get(reverse("documents:attachment", args=[att.pk]))
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")


def test_bad_attachment_is_refused_and_nothing_saved(cast, login):
    client = login(cast.bloc_user)
    resp = _publish(client, cast, files=[SimpleUploadedFile("x.xls", b"abc")])
    assert resp.status_code == 200
    assert "Chỉ đính kèm được tệp PDF và Word" in resp.content.decode()
    resp = _publish(client, cast, files=[SimpleUploadedFile("x.pdf", b"not a pdf")])
    assert "không đọc được" in resp.content.decode()
    assert resp.context["form"]["title"].value().startswith("Nghị quyết")  # what was typed is kept
    assert not Document.objects.exists()


def test_distribution_scope_nobody_outside_sees_it(cast, login, client):
    member_b = member_login(cast.m_b1, "member_b1")
    doc = sent_resolution(cast)  # to gr_a and everything under it
    # member_a1 (cell_a1 under gr_a) finds it in the inbox and opens it.
    client = login(cast.member_a1)
    inbox = client.get(reverse("documents:home"))
    assert [d.pk for d in inbox.context["page"]] == [doc.pk]
    assert client.get(reverse("documents:detail", args=[doc.pk])).status_code == 200
    assert client.post(reverse("documents:mark_read", args=[doc.pk])).status_code == 302
    assert Receipt.objects.filter(document=doc, user=cast.member_a1, member=cast.m_a1).count() == 1
    # A member of Sở Y tế: not in the inbox, not in the library, 404 on the page and on the file.
    client = login(member_b)
    assert list(client.get(reverse("documents:home"), {"tab": "all"}).context["page"]) == []
    assert list(client.get(reverse("documents:library")).context["page"]) == []
    assert client.get(reverse("documents:detail", args=[doc.pk])).status_code == 404
    att = doc.attachments.get()
    assert client.get(reverse("documents:attachment", args=[att.pk])).status_code == 404
    assert client.get(reverse("documents:readers", args=[doc.pk])).status_code == 404
    assert not Receipt.objects.filter(user=member_b).exists()
    # staff_a follows it but is not a recipient: no receipt for opening it.
    client = login(cast.staff_a)
    assert client.get(reverse("documents:detail", args=[doc.pk])).status_code == 200
    assert not Receipt.objects.filter(user=cast.staff_a).exists()


def test_unit_only_and_named_targets(cast, login):
    other = member_login(cast.m_a1_other, "duc")
    client = login(cast.bloc_user)
    _publish(client, cast)
    doc = Document.objects.get()
    # gr_a itself only: its cells' members are not reached; Đức is named by login name.
    resp = _distribute(client, doc, units=[cast.gr_a.pk], people="duc")
    assert resp.status_code == 302
    assert login(cast.member_a1).get(reverse("documents:detail", args=[doc.pk])).status_code == 404
    assert login(other).get(reverse("documents:detail", args=[doc.pk])).status_code == 200
    assert Notification.objects.filter(user=other, kind="documents.new").exists()
    # An unknown card number is refused with a Vietnamese message; nothing is sent.
    resp = _distribute(login(cast.bloc_user), doc, people="99.999999 ai-do")
    assert resp.status_code == 200 and "ai-do" in resp.content.decode()
    assert Distribution.objects.filter(document=doc).count() == 1


def test_staff_can_only_send_inside_their_organization(cast, login):
    client = login(cast.staff_a)
    _publish(client, cast, unit=cast.gr_a.pk, number="05-KH/ĐU", kind="plan")
    doc = Document.objects.get()
    assert doc.unit == cast.gr_a
    resp = _distribute(client, doc, subtrees=[cast.gr_b.pk])
    assert resp.status_code == 404  # gr_b is not among the choices: out of reach
    assert not Distribution.objects.exists()
    with pytest.raises(Exception, match="ngoài tổ chức"):
        services.distribute(document=doc, actor=cast.staff_a, targets=[{"kind": TK.SUBTREE, "unit": cast.gr_b}])
    assert _distribute(client, doc, subtrees=[cast.gr_a.pk]).status_code == 302


def test_secret_document_only_to_entitled_and_every_view_logged(cast, login):
    client = login(cast.bloc_user)
    _publish(client, cast, secrecy="confidential", number="12-TB/ĐUK", kind="notice", title="Thông báo mật")
    doc = Document.objects.get()
    # Not to whole units.
    resp = _distribute(client, doc, subtrees=[cast.gr_a.pk])
    assert not Distribution.objects.exists()
    with pytest.raises(Exception, match="không gửi cho cả đơn vị"):
        services.distribute(document=doc, actor=cast.bloc_user, targets=[{"kind": TK.SUBTREE, "unit": cast.bloc}])
    resp = _distribute(client, doc, roles=[Role.CELL_SECRETARY], role_unit=cast.gr_a.pk)
    assert resp.status_code == 302
    SecretView.objects.all().delete()
    for user in (cast.member_a1, cast.staff_a, cast.inspector, cast.staff_b):
        assert login(user).get(reverse("documents:detail", args=[doc.pk])).status_code == 404
        assert doc not in login(user).get(reverse("documents:library")).context["page"]
    assert not SecretView.objects.exists()
    assert login(cast.secretary_a1).get(reverse("documents:detail", args=[doc.pk])).status_code == 200
    assert login(cast.secretary_a1).get(reverse("documents:detail", args=[doc.pk])).status_code == 200
    assert login(cast.bloc_user).get(reverse("documents:detail", args=[doc.pk])).status_code == 200
    views = list(SecretView.objects.order_by("pk").values_list("user__username", "action"))
    assert views == [("secretary_a1", "view"), ("secretary_a1", "view"), ("bloc", "view")]
    assert not Receipt.objects.filter(document=doc).exists()  # opened, not yet read
    login(cast.secretary_a1).post(reverse("documents:mark_read", args=[doc.pk]))
    assert Receipt.objects.filter(document=doc, user=cast.secretary_a1).count() == 1
    # The bloc office's audit page lists them; nobody else may open it.
    page = login(cast.bloc_user).get(reverse("documents:secret_log"))
    assert len(page.context["page"]) == 3 and "Hoàng Văn Bình" in page.content.decode()
    assert login(cast.staff_a).get(reverse("documents:secret_log")).status_code == 404


def test_readers_by_unit_receipts_and_reminders(cast, login):
    member_b = member_login(cast.m_b1, "member_b1")
    member_c = member_login(cast.m_c, "member_c")
    client = login(cast.bloc_user)
    _publish(client, cast)
    doc = Document.objects.get()
    assert _distribute(client, doc, subtrees=[cast.bloc.pk]).status_code == 302
    # Nobody has a row yet: five members reached, none read.
    assert not Receipt.objects.exists()
    assert reach.summary(doc) == (5, 0)
    login(cast.member_a1).get(reverse("documents:detail", args=[doc.pk]))
    assert not Receipt.objects.exists()  # opening is not reading (issue 14 §7)
    login(cast.member_a1).post(reverse("documents:mark_read", args=[doc.pk]))
    login(member_c).post(reverse("documents:mark_read", args=[doc.pk]))
    login(member_c).post(reverse("documents:mark_read", args=[doc.pk]))  # twice: one receipt
    assert Receipt.objects.count() == 2
    resp = login(cast.bloc_user).get(reverse("documents:readers", args=[doc.pk]))
    rows = {r["unit"].pk: (r["reached"], r["read"], r["unread"]) for r in resp.context["rows"]}
    assert rows == {cast.gr_a.pk: (3, 1, 2), cast.gr_b.pk: (1, 0, 1), cast.cell_c.pk: (1, 1, 0)}
    assert (resp.context["reached"], resp.context["read"], resp.context["percent"]) == (5, 2, 40)
    resp = login(cast.bloc_user).get(reverse("documents:readers", args=[doc.pk]), {"sort": "percent"})
    assert [r["unit"].pk for r in resp.context["rows"]] == [cast.gr_b.pk, cast.gr_a.pk, cast.cell_c.pk]
    # Drill into gr_a.
    resp = login(cast.bloc_user).get(reverse("documents:readers", args=[doc.pk]), {"unit": cast.gr_a.pk})
    rows = {r["unit"].pk: (r["reached"], r["read"]) for r in resp.context["rows"]}
    assert rows == {cast.cell_a1.pk: (2, 1), cast.cell_a2.pk: (1, 0)}
    # staff_b sees only Sở Y tế; may not drill into gr_a.
    resp = login(cast.staff_b).get(reverse("documents:readers", args=[doc.pk]))
    assert [(r["unit"].pk, r["reached"]) for r in resp.context["rows"]] == [(cast.cell_b1.pk, 1)]
    assert (
        login(cast.staff_b).get(reverse("documents:readers", args=[doc.pk]), {"unit": cast.gr_a.pk}).status_code == 404
    )
    # Remind: only the reached logins who have not opened it (member_b1), not the readers.
    resp = login(cast.bloc_user).post(reverse("documents:remind", args=[doc.pk]))
    assert resp.status_code == 302
    reminded = set(Notification.objects.filter(kind="documents.reminder").values_list("user__username", flat=True))
    assert reminded == {member_b.username}
    assert login(cast.staff_a).post(reverse("documents:remind", args=[doc.pk])).status_code == 404


def test_secretary_records_members_conveyed_at_the_meeting(cast, login):
    doc = sent_resolution(cast)
    client = login(cast.secretary_a1)
    resp = client.get(reverse("documents:readers", args=[doc.pk]))
    assert set(resp.context["convey_form"].fields["members"].queryset) == {cast.m_a1, cast.m_a1_other}
    client.post(reverse("documents:convey", args=[doc.pk]), {"members": [cast.m_a1_other.pk]})
    r = Receipt.objects.get(member=cast.m_a1_other)
    assert r.recorded_by == cast.secretary_a1 and r.user is None
    # A member outside the secretary's cell cannot be recorded.
    client.post(reverse("documents:convey", args=[doc.pk]), {"members": [cast.m_a2.pk]})
    assert not Receipt.objects.filter(member=cast.m_a2).exists()
    assert reach.summary(doc) == (3, 1)


def test_daily_reminders_follow_the_rule(cast, login):
    doc = sent_resolution(cast)  # sent 20/11/2026 to gr_a; member_a1 has a login
    call_command("document_reminders", stdout=io.StringIO())
    # Today 01/12/2026 in the product, but the command takes the real date: drive the service directly.
    Notification.objects.all().delete()
    Distribution.objects.update(reminded_on=None)
    assert services.send_reminders(today=D(2026, 11, 26)) == 0  # 6 days: not yet (rule: 7)
    assert services.send_reminders(today=D(2026, 11, 27)) == 1
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["member_a1"]
    assert services.send_reminders(today=D(2026, 11, 28)) == 0  # once
    # A committee's own rule: 3 days for Khối.
    from dangbo.rules.models import Rule, RuleVersion

    rule = Rule.objects.get(key="documents.reminder_days")
    RuleVersion.objects.create(
        rule=rule, value=3, legal_basis="Quy chế của Đảng ủy Khối", effective_from=D(2026, 1, 1), scope_unit=cast.bloc
    )
    doc2 = sent_resolution(cast)
    Distribution.objects.filter(document=doc2).update(sent_on=D(2026, 11, 24))
    assert services.send_reminders(today=D(2026, 11, 27)) == 1
    assert not Distribution.objects.filter(reminded_on__isnull=True).exists()
    assert doc.pk != doc2.pk


def test_replacing_a_document_marks_the_old_one(cast, login):
    client = login(cast.bloc_user)
    _publish(client, cast, number="01-QĐ/ĐUK", title="Quy chế làm việc cũ", kind="regulation")
    old = Document.objects.get()
    _publish(client, cast, number="02-QĐ/ĐUK", title="Quy chế làm việc mới", kind="regulation", replaces=old.pk)
    old.refresh_from_db()
    new = Document.objects.get(number="02-QĐ/ĐUK")
    assert old.replaced_by == new and not old.in_force
    resp = client.get(reverse("documents:library"), {"validity": "in_force"})
    assert [d.pk for d in resp.context["page"]] == [new.pk]
    resp = _distribute(client, old, subtrees=[cast.bloc.pk])
    assert "đã được thay thế" in resp.content.decode()


def test_a_replaced_document_outside_the_members_reach_is_named_not_linked(cast, login):
    client = login(cast.bloc_user)
    _publish(client, cast, number="01-QĐ/ĐUK", title="Quy chế làm việc cũ", kind="regulation")
    old = Document.objects.get()
    _publish(client, cast, number="02-QĐ/ĐUK", title="Quy chế làm việc mới", kind="regulation", replaces=old.pk)
    new = Document.objects.get(number="02-QĐ/ĐUK")
    _distribute(client, new, subtrees=[cast.bloc.pk])  # only the new one reaches the members
    body = login(cast.member_a1).get(reverse("documents:detail", args=[new.pk])).content.decode()
    assert "Quy chế làm việc cũ" in body
    assert reverse("documents:detail", args=[old.pk]) not in body
    assert login(cast.member_a1).get(reverse("documents:detail", args=[old.pk])).status_code == 404
    body = login(cast.bloc_user).get(reverse("documents:detail", args=[new.pk])).content.decode()
    assert reverse("documents:detail", args=[old.pk]) in body


def test_news_reaches_members_and_shows_on_the_home_page(cast, login):
    client = login(cast.bloc_user)
    resp = client.post(
        reverse("documents:new_news"),
        {
            "kind": "news",
            "title": "Hội nghị trực tuyến quán triệt Nghị quyết Đại hội XIV",
            "summary": "Sáng 05/12/2026, đảng viên dự tại điểm cầu của đơn vị.",
            "issued_on": "01/12/2026",
            "issuer": "Đảng ủy Khối",
            "secrecy": "normal",
            "unit": cast.bloc.pk,
        },
    )
    news = Document.objects.get()
    assert resp.status_code == 302 and news.kind == "news"
    _distribute(client, news, subtrees=[cast.bloc.pk])
    client = login(cast.member_a1)
    home = client.get(reverse("core:home"))
    assert "Hội nghị trực tuyến" in home.content.decode()
    assert [d.pk for d in client.get(reverse("documents:news")).context["page"]] == [news.pk]
    client.get(reverse("documents:detail", args=[news.pk]))
    assert "Hội nghị trực tuyến" in client.get(reverse("core:home")).content.decode()  # opened, not read
    client.post(reverse("documents:mark_read", args=[news.pk]))
    assert "Hội nghị trực tuyến" not in client.get(reverse("core:home")).content.decode()


def test_inbox_and_library_query_counts_are_bounded(cast, login, django_assert_max_num_queries):
    for i in range(25):
        doc = services.publish(
            actor=None,
            unit=cast.bloc,
            kind="directive",
            number=f"{i}-CT/ĐUK",
            title=f"Chỉ thị số {i}",
            issued_on=D(2026, 1, 1) + datetime.timedelta(days=i),
            issuer="Đảng ủy Khối",
        )
        services.distribute(document=doc, actor=None, targets=[{"kind": TK.SUBTREE, "unit": cast.bloc}])
    client = login(cast.member_a1)
    with django_assert_max_num_queries(12):
        resp = client.get(reverse("documents:home"), {"tab": "all"})
    assert len(resp.context["page"]) == 25
    with django_assert_max_num_queries(12):
        resp = client.get(reverse("documents:library"), {"q": "chi thi"})
    assert len(resp.context["page"]) == 25
    with django_assert_max_num_queries(25):
        login(cast.bloc_user).get(reverse("documents:readers", args=[doc.pk]))


def test_secretary_fills_a_plan_from_the_template(cast, login):
    client = login(cast.secretary_a1)
    resp = client.post(
        reverse("documents:template_fill", args=["ke-hoach"]),
        {"unit": cast.cell_a1.pk, "day": "05/01/2027", "period": "năm 2027", "term": "2025–2030", "place": "Hà Nội"},
    )
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    doc = Docx(io.BytesIO(resp.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    text += "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "CHI BỘ PHÒNG NGÂN SÁCH" in text and "ĐẢNG BỘ SỞ TÀI CHÍNH" in text
    assert "Hà Nội, ngày 05 tháng 01 năm 2027" in text
    assert "của 2 đảng viên (2 chính thức, 0 dự bị)" in text
    assert "Hoàng Văn Bình" in text  # the cell's secretary
    assert "nhiệm kỳ 2025–2030" in text
    assert "{{" not in text
    # Units outside the secretary's cell are out of reach.
    resp = client.post(
        reverse("documents:template_fill", args=["ke-hoach"]),
        {"unit": cast.cell_b1.pk, "day": "05/01/2027", "period": "năm 2027", "term": "2025–2030", "place": "Hà Nội"},
    )
    assert resp.status_code == 404


def _template_docx(*paragraphs):
    return SimpleUploadedFile("mau.docx", docx_bytes(*paragraphs))


def test_upload_template_validated_then_filled(cast, login):
    client = login(cast.bloc_user)
    url = reverse("documents:template_upload")
    resp = client.post(url, {"name": "Mẫu lạ", "kind": "other", "file": _template_docx("{{ ten_chi_bo }}")})
    assert resp.status_code == 200 and "ten_chi_bo" in resp.content.decode()
    assert "biến mà hệ thống không biết" in resp.content.decode()
    resp = client.post(url, {"name": "Mẫu hỏng", "kind": "other", "file": _template_docx("{% if %}")})
    assert "không phải mẫu Word hợp lệ" in resp.content.decode()
    resp = client.post(url, {"name": "Sai loại", "kind": "other", "file": SimpleUploadedFile("a.pdf", b"%PDF")})
    assert resp.status_code == 200
    assert not FormTemplate.objects.exists()
    resp = client.post(
        url, {"name": "Giấy mời họp", "kind": "other", "file": _template_docx("Kính gửi {{ unit_name }} ({{ date }})")}
    )
    assert resp.status_code == 302
    t = FormTemplate.objects.get()
    resp = login(cast.staff_a).post(
        reverse("documents:template_fill", args=[t.key]),
        {"unit": cast.gr_a.pk, "day": "02/01/2027", "period": "x", "term": "y", "place": "z"},
    )
    text = "\n".join(p.text for p in Docx(io.BytesIO(resp.content)).paragraphs)
    assert "Kính gửi Đảng bộ Sở Tài chính (02/01/2027)" in text
    assert login(cast.staff_a).post(url, {}).status_code == 404


def test_period_figures(cast):
    member_login(cast.m_b1, "member_b1")
    doc = sent_resolution(cast)  # 20/11/2026, gr_a: 3 members
    services.record_read(doc, cast.member_a1)
    figures = {f.key: f for f in period_figures(cast.gr_a, D(2026, 11, 1), D(2026, 11, 30))}
    assert figures["documents.published"].value == 1
    assert str(figures["documents.read_percent"].value) == "33.3"
    figures = {f.key: f for f in period_figures(cast.gr_b, D(2026, 11, 1), D(2026, 11, 30))}
    assert figures["documents.published"].value == 0 and figures["documents.read_percent"].value is None
    figures = {f.key: f for f in period_figures(cast.gr_a, D(2026, 12, 1), D(2026, 12, 31))}
    assert figures["documents.published"].value == 0


def test_member_without_login_counts_as_recipient(cast):
    doc = sent_resolution(cast)
    assert reach.summary(doc) == (3, 0)
    Member.objects.filter(pk=cast.m_a2.pk).update(status=Member.Status.TRANSFERRED_OUT)
    assert reach.summary(doc) == (2, 0)  # only current members are reached


# --- Issue 14 §7: reading in the page; read only when the reader says so ---------------------------------


def test_opening_a_document_or_its_file_does_not_mark_it_read_the_button_does(cast, login):
    doc = sent_resolution(cast)
    client = login(cast.member_a1)
    page = client.get(reverse("documents:detail", args=[doc.pk]))
    assert page.status_code == 200 and 'data-testid="mark-read"' in page.content.decode()
    assert "Tôi đã đọc" in page.content.decode()
    for att in doc.attachments.all():
        client.get(reverse("documents:attachment", args=[att.pk]))
    assert not Receipt.objects.filter(document=doc).exists()
    assert client.get(reverse("documents:mark_read", args=[doc.pk])).status_code == 405  # GET never counts
    assert not Receipt.objects.filter(document=doc).exists()
    resp = client.post(reverse("documents:mark_read", args=[doc.pk]))
    assert resp.status_code == 302
    receipt = Receipt.objects.get(document=doc)
    assert receipt.user == cast.member_a1 and receipt.member == cast.m_a1
    client.post(reverse("documents:mark_read", args=[doc.pk]))
    assert Receipt.objects.filter(document=doc).count() == 1
    page = client.get(reverse("documents:detail", args=[doc.pk])).content.decode()
    assert 'data-testid="mark-read"' not in page and 'data-testid="receipt"' in page


def test_the_read_button_is_csrf_protected(cast):
    from django.test import Client

    doc = sent_resolution(cast)
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.member_a1)
    assert client.post(reverse("documents:mark_read", args=[doc.pk])).status_code == 403
    assert not Receipt.objects.filter(document=doc).exists()


def test_a_word_file_is_shown_in_the_page_as_escaped_text(cast, login):
    from django.core.files.base import ContentFile

    doc = sent_resolution(cast)
    att = doc.attachments.get(name="nq.docx")
    att.file.save("nq.docx", ContentFile(docx_bytes("Điều 1. Mục tiêu", "<script>alert(1)</script>")), save=True)
    page = login(cast.member_a1).get(reverse("documents:detail", args=[doc.pk])).content.decode()
    assert 'data-testid="document-text"' in page
    assert "<p>Điều 1. Mục tiêu</p>" in page
    assert "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>" in page
    assert "<script>alert(1)</script>" not in page


def test_members_reached_are_notified_once_with_a_link_to_read(cast, login, django_assert_max_num_queries):
    """Issue 14 §4: the members of a targeted unit find the document in their bell, once."""
    doc = sent_resolution(cast)
    url = reverse("documents:detail", args=[doc.pk])
    rows = Notification.objects.filter(user=cast.member_a1, kind="documents.new", url=url)
    assert rows.count() == 1
    with django_assert_max_num_queries(12):  # sending again: a fixed number of queries, nothing new
        services.notify_in_batches(
            users=services._reached_users(doc, list(doc.distributions.get().targets.select_related("unit"))),
            title="x",
            url=url,
            kind="documents.new",
        )
    services.distribute(
        document=doc,
        actor=cast.bloc_user,
        targets=[{"kind": Target.Kind.SUBTREE, "unit": cast.gr_a}],
        sent_on=datetime.date(2026, 11, 21),
    )
    assert rows.count() == 1
    page = login(cast.member_a1).get(reverse("core:notifications")).content.decode()
    assert "Văn bản mới: " + doc.title[:30] in page
    note = rows.get()
    assert login(cast.member_a1).post(reverse("core:notification_open", args=[note.pk]))["Location"] == url
