"""Vietnamese first, English selectable (DESIGN.md §6).

(a) every app's Vietnamese catalog is complete: no empty msgstr, no fuzzy entry;
(b) pages are Vietnamese by default and English after switching;
(c) the login page is Vietnamese by default.
"""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)
PO_FILES = sorted(ROOT.glob("dangbo/*/locale/vi/LC_MESSAGES/django.po"))
_KEYWORD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+(".*")$')


def parse_po(text):
    """Entries of a .po file as dicts: msgid, msgid_plural, msgstr (list), flags, line.

    A small parser for this test only (no dependency): keywords followed by one
    or more quoted string lines; ``#,`` lines carry the flags; ``#~`` obsolete
    entries are skipped.
    """
    entries = []
    entry, key = None, None

    def finish():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            if not line:
                finish()
                entry, key = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "msgstr": {}, "line": lineno}
        if line.startswith("#,"):
            entry["flags"] |= {f.strip() for f in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        m = _KEYWORD.match(line)
        if m:
            key, value = m.group(1), ast.literal_eval(m.group(2))
        elif line.startswith('"') and key:
            value = ast.literal_eval(line)
        else:
            raise ValueError(f"line {lineno}: cannot parse {raw!r}")
        if key.startswith("msgstr"):
            index = int(key[7:-1]) if "[" in key else 0
            entry["msgstr"][index] = entry["msgstr"].get(index, "") + value
        elif m:
            entry[key] = value
        else:
            entry[key] += value
    finish()
    return entries


def test_parser_reads_plural_and_continued_strings():
    text = (
        '#, fuzzy\nmsgid ""\nmsgstr ""\n"Language: vi\\n"\n\n'
        '#: a.py:1\n#, python-format\nmsgid "%(n)s item"\nmsgid_plural ""\n"%(n)s items"\nmsgstr[0] "%(n)s mục"\n\n'
        'msgid "A"\nmsgstr ""\n\n#~ msgid "old"\n#~ msgstr ""\n'
    )
    header, plural, empty = parse_po(text)
    assert header["msgid"] == "" and "fuzzy" in header["flags"]
    assert plural["msgid_plural"] == "%(n)s items" and plural["msgstr"] == {0: "%(n)s mục"}
    assert "python-format" in plural["flags"]
    assert empty["msgid"] == "A" and empty["msgstr"] == {0: ""}


def test_core_catalog_exists():
    assert ROOT / "dangbo/core/locale/vi/LC_MESSAGES/django.po" in PO_FILES


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalog_is_complete(po):
    entries = parse_po(po.read_text(encoding="utf-8"))
    problems = []
    for e in entries:
        where = f"{po.relative_to(ROOT)}:{e['line']} {e['msgid']!r}"
        if "fuzzy" in e["flags"]:
            problems.append(f"fuzzy: {where}")
        if e["msgid"] and (not e["msgstr"] or not all(s.strip() for s in e["msgstr"].values())):
            problems.append(f"untranslated: {where}")
    assert not problems, "\n".join(problems)


def test_home_is_vietnamese_then_english_after_switching(cast, login):
    client = login(cast.bloc_user)
    body = client.get(reverse("core:home")).content.decode()
    assert '<html lang="vi">' in body
    for label in ("Đảng bộ số", "Tổng quan", "Nhật ký thao tác", "Thông báo", "Đăng xuất"):
        assert label in body, label
    assert "Audit log" not in body

    resp = client.post(reverse("set_language"), {"language": "en", "next": reverse("core:home")})
    assert resp.status_code == 302
    body = client.get(reverse("core:home")).content.decode()
    assert '<html lang="en">' in body
    for label in ("Digital Party Committee", "Overview", "Audit log", "Notifications", "Log out"):
        assert label in body, label
    assert "Nhật ký thao tác" not in body

    client.post(reverse("set_language"), {"language": "vi", "next": reverse("core:home")})
    assert "Nhật ký thao tác" in client.get(reverse("core:home")).content.decode()


def test_summary_sentence_in_vietnamese(cast, login):
    body = login(cast.bloc_user).get(reverse("core:home")).content.decode()
    assert "Đảng bộ Khối Thử nghiệm có 3 tổ chức cơ sở đảng với 5 đảng viên." in body


def test_login_page_is_vietnamese_by_default(client, db):
    resp = client.get(reverse("accounts:login"))
    assert resp.status_code == 200
    body = resp.content.decode()
    assert '<html lang="vi">' in body
    assert "Đảng bộ số" in body
    assert "Đăng nhập" in body
    assert "Log in" not in body
    # ...and offers English.
    assert 'data-testid="language-form"' in body


def test_every_string_marked_in_code_and_templates_has_a_vietnamese_translation(tmp_path):
    """(d) Extract the messages again (makemessages, on a copy) and find none untranslated: a string marked
    for translation but missing from the catalogs shows in English on a Vietnamese page (issue on pages §1:
    the transfer buttons and the sealed-dossier checklist, marked with an alias xgettext does not know)."""
    import os
    import shutil
    import subprocess
    import sys

    if not shutil.which("xgettext"):
        pytest.skip("gettext is not installed")
    copy = tmp_path / "src"
    shutil.copytree(ROOT / "dangbo", copy / "dangbo", ignore=shutil.ignore_patterns("__pycache__", "*.mo", "tests"))
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    # Django merges every app's catalog at run time: a string is translated when any catalog translates it.
    translated, wanted = set(), {}
    for po in sorted((copy / "dangbo").glob("*/locale/vi/LC_MESSAGES/django.po")):
        app = po.parents[3]
        proc = subprocess.run(
            [sys.executable, str(copy / "manage.py"), "makemessages", "-l", "vi", "--no-obsolete", "-v", "0"],
            cwd=app,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert proc.returncode == 0, proc.stderr
        for e in parse_po(po.read_text(encoding="utf-8")):
            if not e["msgid"]:
                continue
            if any(e["msgstr"].values()) and "fuzzy" not in e["flags"]:
                translated.add(e["msgid"])
            else:
                wanted.setdefault(e["msgid"], app.name)
    untranslated = {msgid: app for msgid, app in wanted.items() if msgid not in translated}

    assert not untranslated, untranslated


def test_no_translation_alias_that_extraction_cannot_see():
    """makemessages knows ``_``, ``gettext``, ``gettext_lazy``, ``ngettext``, ``pgettext`` …; an alias such as
    ``gettext_lazy as _l`` hides every string marked with it from the catalogs."""
    known = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}
    known |= {"npgettext", "npgettext_lazy"}
    aliases = re.compile(r"from django\.utils\.translation import[^\n]*\b(\w*gettext\w*) as (\w+)")
    bad = []
    for path in (ROOT / "dangbo").rglob("*.py"):
        for original, alias in aliases.findall(path.read_text(encoding="utf-8")):
            if alias not in known:
                bad.append(f"{path.relative_to(ROOT)}: {original} as {alias}")
    assert not bad, bad
