"""dangbo.core.docx: templates are rendered sandboxed and escaped; an uploaded one is a plain form or refused."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document as Docx
from jinja2.exceptions import SecurityError, UndefinedError

from dangbo.core import docx
from dangbo.documents import templating
from dangbo.documents.models import FormTemplate
from dangbo.documents.tests.access_cases import docx_bytes


def _text(content):
    return "\n".join(p.text for p in Docx(io.BytesIO(content)).paragraphs)


def _attack(marker):
    """A template that, rendered by plain Jinja, runs a shell command creating ``marker``."""
    return "Kính gửi {{ lipsum.__globals__['os'].popen('touch " + str(marker) + "').read() }}"


def test_a_template_that_runs_code_is_refused_at_upload_and_never_run(cast, login, tmp_path):
    marker = tmp_path / "ran"
    client = login(cast.bloc_user)
    upload = SimpleUploadedFile("mau.docx", docx_bytes(_attack(marker)))
    resp = client.post(reverse("documents:template_upload"), {"name": "Mẫu", "kind": "other", "file": upload})
    assert resp.status_code == 200
    errors = resp.context["form"].errors["file"]
    assert "Mẫu có “{{ lipsum.__globals__['os'].popen('touch" in errors[0] and "không được phép" in errors[0]
    assert not marker.exists()
    assert not FormTemplate.objects.exists()


def test_a_template_stored_before_the_check_is_refused_when_filled(cast, login, tmp_path):
    marker = tmp_path / "ran"
    t = FormTemplate(name="Mẫu cũ", kind="other", uploaded_by=cast.bloc_user)
    t.file.save("cu.docx", ContentFile(docx_bytes(_attack(marker))), save=True)
    resp = login(cast.staff_a).post(
        reverse("documents:template_fill", args=[t.key]),
        {"unit": cast.gr_a.pk, "day": "02/01/2027", "period": "x", "term": "y", "place": "z"},
    )
    assert resp.status_code == 200 and "không được phép" in str(resp.context["form"].non_field_errors())
    assert not marker.exists()


def test_the_sandbox_stops_code_even_in_a_template_nobody_checked(tmp_path):
    marker = tmp_path / "ran"
    with pytest.raises((SecurityError, UndefinedError)):  # lipsum is not there
        docx.render(docx_bytes(_attack(marker)), {})
    assert not marker.exists()
    with pytest.raises(SecurityError):
        docx.render(docx_bytes("{{ ''.__class__.__mro__[1].__subclasses__() }}"), {})


@pytest.mark.parametrize(
    "tag",
    [
        "{{ unit_name.__class__ }}",
        "{{ unit_name.upper() }}",
        "{{ unit_name|format('x') }}",
        "{{ unit_name|attr('__class__') }}",
        "{{ unit_name[0] }}",
        "{{ unit_name if date else place }}",
        "{{ (1).__class__ }}",
        "{% set x = 1 %}",
        "{% include 'a.docx' %}",
        "{% for c in unit_name %}",
        "{{ range(10) }}",
    ],
)
def test_other_expressions_are_refused_by_name(tag):
    with pytest.raises(ValidationError) as e:
        end = "{% endfor %}" if tag.startswith("{% for") else ""
        docx.check_template(docx_bytes("Kính gửi", tag, end), templating.VARIABLES)
    assert f"“{tag}”" in e.value.messages[0] or "range" in e.value.messages[0]


def test_unknown_variables_are_listed():
    with pytest.raises(ValidationError) as e:
        docx.check_template(docx_bytes("{{ ten_chi_bo }} {{ lipsum }} {{ unit_name }}"), templating.VARIABLES)
    assert e.value.messages == ["Mẫu dùng biến mà hệ thống không biết: lipsum, ten_chi_bo."]


def test_the_forms_docxtpl_documents_are_accepted_and_rendered():
    source = docx_bytes(
        "{{ unit_name|upper }} – {{ secretary|default('…', true) }}",
        "{%p if members_total > 0 and not place %}",
        "Có {{ members_total }} đảng viên",
        "{%p endif %}",
        "{%p for v in votes %}",
        "{{ loop.index }}. {{ v.stage }}{% if not loop.last %};{% endif %}",
        "{%p endfor %}",
    )
    docx.check_template(source, templating.VARIABLES, lists={"votes": {"stage"}})
    ctx = {"unit_name": "Sở Kế hoạch & Đầu tư", "secretary": "", "members_total": 3, "place": "",
           "votes": [{"stage": "<đề nghị>"}, {"stage": "quyết định"}]}  # fmt: skip
    text = _text(docx.render(source, ctx))
    assert "SỞ KẾ HOẠCH & ĐẦU TƯ – …" in text and "Có 3 đảng viên" in text
    assert "1. <đề nghị>;" in text and "2. quyết định" in text and "{%" not in text
    # The builtin forms of the library pass the check they are held to.
    for b in templating.BUILTINS:
        docx.check_template((templating.DOCX_DIR / b.file).read_bytes(), templating.VARIABLES)


def test_jinja_in_headers_footers_and_properties_is_checked():
    doc = Docx()
    doc.add_paragraph("{{ unit_name }}")
    doc.sections[0].header.paragraphs[0].text = "{{ cycler.__init__.__globals__ }}"
    out = io.BytesIO()
    doc.save(out)
    with pytest.raises(ValidationError) as e:
        docx.check_template(out.getvalue(), templating.VARIABLES)
    assert "cycler.__init__.__globals__" in e.value.messages[0]
    doc = Docx()
    doc.core_properties.title = "{{ joiner.__init__.__globals__ }}"
    out = io.BytesIO()
    doc.save(out)
    with pytest.raises(ValidationError) as e:
        docx.check_template(out.getvalue(), templating.VARIABLES)
    assert "joiner.__init__.__globals__" in e.value.messages[0]


def test_values_are_written_literally():
    hostile = 'Kế hoạch & Đầu tư <b>"x"</b></w:t><w:r><w:t>chèn'
    text = _text(docx.render(docx_bytes("Kính gửi {{ unit_name }}."), {"unit_name": hostile}))
    assert f"Kính gửi {hostile}." in text
    doc = Docx()
    doc.core_properties.title = "Kế hoạch của {{ unit_name }}"
    out = io.BytesIO()
    doc.save(out)
    filled = Docx(io.BytesIO(docx.render(out.getvalue(), {"unit_name": hostile})))
    assert filled.core_properties.title == f"Kế hoạch của {hostile}"
