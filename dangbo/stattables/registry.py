"""The table files: checking one, the shipped ones (``tables/*.json``), the office's uploads, and which
version applies to a period.

A table file (JSON) names its ``family`` (the number of the table in every set: "1" is the increase and
decrease of members in the 2012 set as in the 2021 set), its ``code`` ("1-BTCTW"), the instrument and the
dates it applies to, the columns, the rows (each with the expression of every figure it shows, see
``expr``), the identities checked before export, and the header and signature blocks. For a period, the
version applying is the one in force on the period's last day; an uploaded file (TableFile) in force then
wins over the shipped one, the latest effective date first.
"""

import datetime
import json
import re
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext as _

from dangbo.stattables import expr
from dangbo.stattables.sources import is_known

TABLES_DIR = Path(__file__).parent / "tables"
FORMAT = 1
MAX_ROWS = 400
MAX_COLUMNS = 20
ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,39}$")
COLUMN_KINDS = ("code", "label", "value", "ratio", "share")
PERIODS = ("current", "previous_year")
TEXT_LIMIT = 500


class TableError(ValueError):
    """A table file that cannot be used; ``errors`` is the list of Vietnamese messages."""

    def __init__(self, errors):
        super().__init__("; ".join(errors))
        self.errors = errors


def _expr_message(where, text, err):
    reasons = {
        "empty": _("the expression is empty"),
        "length": _("the expression is too long"),
        "depth": _("the expression has too many nested brackets"),
        "character": _("the character “%(text)s” is not allowed"),
        "bracket": _("a bracket is not closed"),
        "operand": _("a number or a figure name is missing"),
        "trailing": _("unexpected “%(text)s”"),
    }
    reason = reasons.get(err.code, reasons["operand"]) % {"text": err.detail}
    return _("%(where)s: the expression “%(expr)s” cannot be read: %(reason)s.") % {
        "where": where,
        "expr": text[:80],
        "reason": reason,
    }


def _ref(value):
    """``value`` when it can name a row or a column (a text), else None (a list or a number never does)."""
    return value if isinstance(value, str) else None


def _date(value):
    if value is None:
        return None
    return datetime.date.fromisoformat(value)


def _text(data, key, errors, where, *, required=True):
    value = data.get(key)
    if value is None or value == "":
        if required:
            errors.append(_("%(where)s: “%(key)s” is missing.") % {"where": where, "key": key})
        return ""
    if not isinstance(value, str) or len(value) > TEXT_LIMIT:
        errors.append(
            _("%(where)s: “%(key)s” must be a text of at most %(n)s characters.")
            % {"where": where, "key": key, "n": TEXT_LIMIT}
        )
        return ""
    return value


def _lines(block, errors, where):
    if not isinstance(block, dict):
        errors.append(_("%(where)s must be an object with “left” and “right” lists of lines.") % {"where": where})
        return
    for side in ("left", "right"):
        lines = block.get(side, [])
        if not isinstance(lines, list) or not all(isinstance(x, str) and len(x) <= TEXT_LIMIT for x in lines):
            errors.append(_("%(where)s: “%(side)s” must be a list of texts.") % {"where": where, "side": side})


def validate(data):
    """The checked table (``data`` with its dates as ``_start``/``_end``), or TableError."""
    errors = []
    if not isinstance(data, dict):
        raise TableError([_("The file must hold one table (a JSON object).")])
    if data.get("format") != FORMAT:
        errors.append(_("The file format must be %(n)s.") % {"n": FORMAT})
    where = _("The table")
    for key in ("family", "code", "title", "instrument"):
        _text(data, key, errors, where)
    for key in ("unit_label", "source"):
        _text(data, key, errors, where, required=False)
    try:
        start, end = _date(data.get("valid_from")), _date(data.get("valid_to"))
        if start is None:
            errors.append(_("The table: “valid_from” (the first day it applies, YYYY-MM-DD) is missing."))
        elif end is not None and end < start:
            errors.append(_("The table: “valid_to” is before “valid_from”."))
    except (TypeError, ValueError):
        errors.append(_("The table: the dates “valid_from” and “valid_to” must be written YYYY-MM-DD."))
    _lines(data.get("header", {}), errors, _("The header block"))
    _lines(data.get("signature", {}), errors, _("The signature block"))

    columns = data.get("columns")
    keys, fields = [], {}
    if not isinstance(columns, list) or not columns or len(columns) > MAX_COLUMNS:
        errors.append(_("The table must have between 1 and %(n)s columns.") % {"n": MAX_COLUMNS})
        columns = []
    for n, col in enumerate(columns, 1):
        cw = _("Column %(n)s") % {"n": n}
        if not isinstance(col, dict):
            errors.append(_("%(where)s must be an object.") % {"where": cw})
            continue
        key = col.get("key")
        if not isinstance(key, str) or not ID.match(key) or key in keys:
            errors.append(_("%(where)s: “key” must be a short name of letters and digits, unique.") % {"where": cw})
        keys.append(key)
        _text(col, "title", errors, cw)
        _text(col, "group", errors, cw, required=False)
        _text(col, "number", errors, cw, required=False)
        kind = col.get("kind")
        if kind not in COLUMN_KINDS:
            errors.append(
                _("%(where)s: “kind” must be one of %(kinds)s.") % {"where": cw, "kinds": ", ".join(COLUMN_KINDS)}
            )
        elif kind == "value":
            if col.get("period", "current") not in PERIODS:
                errors.append(
                    _("%(where)s: “period” must be one of %(periods)s.") % {"where": cw, "periods": ", ".join(PERIODS)}
                )
            field = col.get("field", "value")
            if not isinstance(field, str) or not ID.match(field):
                errors.append(_("%(where)s: “field” must be a short name of letters and digits.") % {"where": cw})
            else:
                fields[key] = field
        elif kind == "ratio":
            for ref in ("num", "den"):
                if _ref(col.get(ref)) not in fields:
                    errors.append(
                        _("%(where)s: “%(ref)s” must name an earlier figure column.") % {"where": cw, "ref": ref}
                    )
        elif kind == "share":
            if _ref(col.get("of")) not in fields:
                errors.append(_("%(where)s: “of” must name an earlier figure column.") % {"where": cw})
            _check_expr(col.get("total"), cw, errors, set())

    rows = data.get("rows")
    ids = set()
    if not isinstance(rows, list) or not rows or len(rows) > MAX_ROWS:
        errors.append(_("The table must have between 1 and %(n)s rows.") % {"n": MAX_ROWS})
        rows = []
    for n, row in enumerate(rows, 1):
        rw = _("Row %(n)s") % {"n": n}
        if not isinstance(row, dict):
            errors.append(_("%(where)s must be an object.") % {"where": rw})
            continue
        rid = row.get("id")
        if not isinstance(rid, str) or not ID.match(rid) or rid in ids:
            errors.append(_("%(where)s: “id” must be a short name of letters and digits, unique.") % {"where": rw})
        else:
            ids.add(rid)
            rw = _("Row %(id)s") % {"id": rid}
        _text(row, "label", errors, rw)
        _text(row, "code", errors, rw, required=False)
        _text(row, "note", errors, rw, required=False)
        indent = row.get("indent", 0)
        if not isinstance(indent, int) or isinstance(indent, bool) or not 0 <= indent <= 6:
            errors.append(_("%(where)s: “indent” must be a whole number from 0 to 6.") % {"where": rw})
        for flag in ("bold", "unverified"):
            if not isinstance(row.get(flag, False), bool):
                errors.append(_("%(where)s: “%(key)s” must be true or false.") % {"where": rw, "key": flag})
        for field in set(fields.values()):
            if row.get(field) is not None:
                _check_expr(row[field], rw, errors, set())

    identities = data.get("identities", [])
    if not isinstance(identities, list):
        errors.append(_("“identities” must be a list."))
        identities = []
    for n, ident in enumerate(identities, 1):
        iw = _("Identity %(n)s") % {"n": n}
        if not isinstance(ident, dict):
            errors.append(_("%(where)s must be an object.") % {"where": iw})
            continue
        _text(ident, "label", errors, iw)
        if _ref(ident.get("left")) not in ids:
            errors.append(_("%(where)s: “left” must name a row.") % {"where": iw})
        if "previous_period" in ident:
            if _ref(ident["previous_period"]) not in ids:
                errors.append(_("%(where)s: “previous_period” must name a row.") % {"where": iw})
        else:
            _check_expr(ident.get("right"), iw, errors, ids)
        if _ref(ident.get("field", "value")) not in fields.values():
            errors.append(_("%(where)s: “field” must be the field of a figure column.") % {"where": iw})
    if errors:
        raise TableError(errors)
    data = dict(data)
    data["_start"], data["_end"] = start, end
    return data


def _check_expr(text, where, errors, rows):
    try:
        tree = expr.parse(text if isinstance(text, str) else "")
    except expr.ExprError as err:
        errors.append(_expr_message(where, text if isinstance(text, str) else "", err))
        return
    unknown = [n for n in expr.names(tree) if n not in rows and not is_known(n)]
    if unknown:
        errors.append(
            _("%(where)s: unknown figure names: %(names)s.") % {"where": where, "names": ", ".join(unknown[:10])}
        )


def parse_file(content):
    """A table from the bytes of an uploaded file, or TableError."""
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise TableError([_("The file is not a UTF-8 text file.")])
    except RecursionError:
        raise TableError([_("The file is nested too deeply to be a table.")])
    except json.JSONDecodeError as err:
        message = _("The file is not valid JSON (line %(line)s, column %(col)s).")
        raise TableError([message % {"line": err.lineno, "col": err.colno}])
    return validate(data)


@lru_cache(maxsize=1)
def shipped():
    """The tables shipped with the release (checked: a broken file fails loudly, in the tests)."""
    out = []
    for file in sorted(TABLES_DIR.glob("*.json")):
        table = validate(json.loads(file.read_text(encoding="utf-8")))
        table["_origin"] = file.name
        out.append(table)
    return out


def uploaded():
    from dangbo.stattables.models import TableFile

    out = []
    for tf in TableFile.objects.filter(active=True).order_by("effective_from", "id"):
        table = dict(tf.data)
        table["_start"], table["_end"] = tf.effective_from, _date(table.get("valid_to"))
        table["_upload"] = tf.pk
        table["_origin"] = tf.file_name
        out.append(table)
    return out


def all_tables():
    return [*shipped(), *uploaded()]


def families():
    """[(family, title)] of every table, by family number, titled as the latest version."""
    latest = {}
    for t in all_tables():
        if t["family"] not in latest or t["_start"] >= latest[t["family"]]["_start"]:
            latest[t["family"]] = t
    return sorted(((f, t["code"], t["title"]) for f, t in latest.items()), key=lambda x: (len(x[0]), x[0]))


def table_for(family, day):
    """The version of ``family`` in force on ``day`` (an upload first), or None."""
    found = [
        t
        for t in all_tables()
        if t["family"] == family and t["_start"] <= day and (t["_end"] is None or day <= t["_end"])
    ]
    if not found:
        return None
    return max(found, key=lambda t: (t["_start"], "_upload" in t, t.get("_upload", 0)))
