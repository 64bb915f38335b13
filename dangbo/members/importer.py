"""Excel import of members: read the workbook, check every row, then commit all rows or none.

A grassroots office usually holds its members in a spreadsheet. The template (``template_workbook``)
has the columns such an office has; ``read_workbook`` finds them by their headers (in any order),
``Checker`` explains every bad cell in Vietnamese, and ``commit_import`` checks everything again, then
writes the members, their admission events and intervals in one transaction that holds only the inserts.
"""

import datetime
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangbo.core import xlsx
from dangbo.core.audit import record
from dangbo.core.bulk import prepare_insert
from dangbo.core.dates import add_months
from dangbo.core.text import fold, nfc
from dangbo.members import tallies
from dangbo.members.intervals import intervals_from_events
from dangbo.members.models import Member, MemberEvent, MemberImport, MemberInterval
from dangbo.org.models import OrgUnit
from dangbo.rules.registry import rule_lookup

MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024
CHUNK = 500  # rows checked per step; a larger file shows its progress step by step
CARD_RE = re.compile(r"^\d{2}\.\d{6}$")
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # lazy
    help: object  # lazy
    required: bool = False
    width: int = 16
    text: bool = False  # stored as text in the template (keeps leading zeros)
    date: bool = False


COLUMNS = [
    Column("no", gettext_lazy("No."), gettext_lazy("Row number; not imported."), width=6),
    Column("full_name", gettext_lazy("Full name"), gettext_lazy("As on the citizen ID card."), True, 28),
    Column("sex", gettext_lazy("Sex"), gettext_lazy("Male or Female."), True, 9),
    Column("birth_date", gettext_lazy("Date of birth"), gettext_lazy("dd/mm/yyyy."), True, 13, date=True),
    Column(
        "national_id",
        gettext_lazy("Citizen ID number"),
        gettext_lazy("12 digits; unique. Keep the column as text so that Excel keeps the leading 0."),
        width=16,
        text=True,
    ),
    Column(
        "unit",
        gettext_lazy("Party cell"),
        gettext_lazy(
            "Name, code or path of the cell (“Đảng bộ Sở Tài chính / Chi bộ Văn phòng”), within the unit chosen "
            "on the import page: one file holds a whole bloc."
        ),
        True,
        34,
    ),
    Column("admission_date", gettext_lazy("Admission date"), gettext_lazy("dd/mm/yyyy."), True, 13, date=True),
    Column(
        "official_date",
        gettext_lazy("Official membership date"),
        gettext_lazy("dd/mm/yyyy; empty for a probationary member."),
        width=13,
        date=True,
    ),
    Column(
        "card_number",
        gettext_lazy("Party card number"),
        gettext_lazy("NN.NNNNNN; official members only; unique."),
        width=13,
        text=True,
    ),
    Column("ethnicity", gettext_lazy("Ethnicity"), gettext_lazy("For example Kinh, Tày, Mường."), width=12),
    Column("religion", gettext_lazy("Religion"), gettext_lazy("Empty or “Không” for none."), width=12),
    Column("hometown", gettext_lazy("Hometown"), gettext_lazy("Province or city."), width=18),
    Column("general_education", gettext_lazy("General education"), gettext_lazy("For example 12/12."), width=10),
    Column(
        "qualification",
        gettext_lazy("Professional qualification"),
        gettext_lazy("One of the values in the list."),
        width=14,
    ),
    Column(
        "theory_level",
        gettext_lazy("Political theory level"),
        gettext_lazy("One of the values in the list."),
        width=14,
    ),
    Column("position", gettext_lazy("Position"), gettext_lazy("Post in the agency."), width=24),
]
BY_KEY = {c.key: c for c in COLUMNS}

# Words people write for a choice besides its label.
ALIASES = {
    "qualification": {
        "khong": "none",
        "so cap": "vocational",
        "trung cap": "vocational",
        "cao dang": "college",
        "dai hoc": "bachelor",
        "cu nhan": "bachelor",
        "ky su": "bachelor",
        "thac si": "master",
        "tien si": "doctor",
    },
    "theory_level": {
        "khong": "none",
        "so cap": "elementary",
        "trung cap": "intermediate",
        "cao cap": "advanced",
        "cao cap ly luan chinh tri": "advanced",
        "cu nhan": "bachelor",
    },
}
CHOICES = {"qualification": Member.Qualification, "theory_level": Member.TheoryLevel}


# Other headers offices use for the same column (folded).
OTHER_HEADERS = {
    "no": {"tt", "so tt", "so thu tu"},
    "full_name": {"ho ten", "ho va ten dang vien"},
    "sex": {"gioi"},
    "birth_date": {"ngay thang nam sinh", "ngay, thang, nam sinh"},
    "national_id": {"cccd", "so can cuoc", "so can cuoc cong dan", "so dinh danh", "so dinh danh ca nhan"},
    "unit": {"chi bo sinh hoat", "don vi", "noi sinh hoat"},
    "card_number": {"so the", "so the dang"},
    "general_education": {"trinh do giao duc pho thong", "hoc van", "van hoa", "trinh do van hoa"},
    "qualification": {"chuyen mon"},
    "theory_level": {"trinh do ly luan chinh tri", "llct", "ly luan"},
    "position": {"chuc vu, chuc danh", "chuc danh"},
}


def _labels(column):
    """The header texts accepted for ``column``: its label now and in Vietnamese, and other usual names."""
    with translation.override("vi"):
        vi = fold(str(column.label))
    return {fold(str(column.label)), vi, *OTHER_HEADERS.get(column.key, ())}


def _choice_map(key):
    mapping = dict(ALIASES[key])
    for value, label in CHOICES[key].choices:
        mapping[fold(str(label))] = value
        with translation.override("vi"):
            mapping[fold(str(label))] = value
        mapping[value] = value
    return mapping


# ---- the template ---------------------------------------------------------------------------
def template_workbook():
    """The documented template (.xlsx bytes): a sheet to fill and a sheet that explains each column."""
    wb = xlsx.Book()
    ws = wb.sheet(_("Members"))
    for i, col in enumerate(COLUMNS, 1):
        ws.put(1, i, str(col.label) + (" *" if col.required else ""), bold=True, fill="FFF2CC")
        ws.widths({i: col.width})
        if col.text:
            ws.number_format(i, range(2, 2002), "@")
        if col.date:
            ws.number_format(i, range(2, 2002), "DD/MM/YYYY")
    ws.freeze("B2")
    lists = {
        "sex": [str(label) for _v, label in Member.Sex.choices],
        "qualification": [str(label) for _v, label in Member.Qualification.choices],
        "theory_level": [str(label) for _v, label in Member.TheoryLevel.choices],
    }
    for key, values in lists.items():
        letter = xlsx.get_column_letter([c.key for c in COLUMNS].index(key) + 1)
        ws.choice_list(f"{letter}2:{letter}5000", values, _("Choose a value from the list."))

    guide = wb.sheet(_("Guide"))
    guide.widths([30, 12, 80])
    guide.append([_("Import of party members – template")], bold=True, size=13)
    guide.append(
        [
            _(
                "Fill the first sheet, one member per row, from row 2. Columns marked * are required. "
                "The whole file is checked before anything is saved: if one row is wrong, nothing is imported."
            )
        ]
    )
    guide.append([])
    guide.append([_("Column"), _("Required"), _("How to fill it")], bold=True)
    for col in COLUMNS:
        guide.append([str(col.label), _("yes") if col.required else "", str(col.help)])
    guide.append([])
    guide.append([_("Accepted values")], bold=True)
    for key, values in lists.items():
        guide.append([str(BY_KEY[key].label), "", ", ".join(values)])
    guide.append([])
    guide.append([_("Example row")], bold=True)
    example = {
        "no": "1",
        "full_name": "Nguyễn Văn An",
        "sex": str(Member.Sex.MALE.label),
        "birth_date": "15/03/1985",
        "national_id": "001085012345",
        "unit": "Chi bộ Phòng Ngân sách",
        "admission_date": "19/05/2010",
        "official_date": "19/05/2011",
        "card_number": "48.123456",
        "ethnicity": "Kinh",
        "religion": "Không",
        "hometown": "Nghệ An",
        "general_education": "12/12",
        "qualification": str(Member.Qualification.BACHELOR.label),
        "theory_level": str(Member.TheoryLevel.INTERMEDIATE.label),
        "position": "Chuyên viên",
    }
    guide.append([str(c.label) for c in COLUMNS])
    guide.append([example[c.key] for c in COLUMNS])
    return wb.save()


# ---- reading ---------------------------------------------------------------------------------
def _text(value):
    """A cell as text, and whether it was written in decomposed Unicode (NFD)."""
    if value is None:
        return "", False
    if isinstance(value, datetime.datetime):
        return value.date().strftime("%d/%m/%Y"), False
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y"), False
    if isinstance(value, float) and value.is_integer():
        return str(int(value)), False
    if isinstance(value, (int, float)):
        return str(value), False
    text = " ".join(str(value).split())
    return nfc(text), not unicodedata.is_normalized("NFC", text)


def read_workbook(uploaded):
    """``(rows, warnings)`` from an uploaded .xlsx, or ValidationError with a Vietnamese reason.

    ``rows``: ``[{"row": n, "values": {key: text}, "numeric": [keys typed as numbers]}]``.
    """
    if uploaded.size > MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB. Split it into several files."))
    try:
        wb = xlsx.read(uploaded)
    except (zipfile.BadZipFile, *xlsx.READ_ERRORS):
        raise ValidationError(_("This is not an Excel file (.xlsx). Save it as .xlsx from the template and try again."))
    ws = wb.worksheets[0]
    others = [sheet.title for sheet in wb.worksheets[1:] if _holds_data(sheet)]
    header_row, mapping = None, {}
    rows_iter = ws.iter_rows(values_only=True)
    wanted = {c.key: _labels(c) for c in COLUMNS}
    for n, row in enumerate(rows_iter, 1):
        found = {}
        for i, value in enumerate(row):
            label = fold(_text(value)[0].rstrip("* ").strip())
            for key, labels in wanted.items():
                if label in labels and key not in found.values():
                    found[i] = key
        if "full_name" in found.values():
            header_row, mapping = n, found
            break
        if n >= 10:
            break
    if header_row is None:
        raise ValidationError(
            _("No header row with the column “%(column)s” in the first 10 rows. Use the template.")
            % {"column": BY_KEY["full_name"].label}
        )
    missing = [str(c.label) for c in COLUMNS if c.required and c.key not in mapping.values() and c.key != "unit"]
    if missing:
        raise ValidationError(_("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)})
    rows, warnings = [], []
    for n, row in enumerate(rows_iter, header_row + 1):
        values, numeric = {}, []
        for i, key in mapping.items():
            raw = row[i] if i < len(row) else None
            text, was_nfd = _text(raw)
            values[key] = text
            if isinstance(raw, (int, float)) and not isinstance(raw, bool):
                numeric.append(key)
            if was_nfd:
                warnings.append(
                    _issue(n, key, _("Written in decomposed Unicode (NFD); converted to the standard form (NFC)."))
                )
        values.pop("no", None)
        if not any(values.values()):
            continue
        rows.append({"row": n, "values": values, "numeric": numeric})
        if len(rows) > MAX_ROWS:
            raise ValidationError(
                _("The file has more than %(max)s members. Split it into several files.")
                % {"max": number_format(MAX_ROWS, force_grouping=True)}
            )
    wb.close()
    if not rows:
        raise ValidationError(_("The file has no member rows under the header."))
    if others:
        message = _(
            "Only the first sheet (“%(first)s”) is read. These sheets also hold data and were not read: "
            "%(others)s. Move their members to the first sheet or import them as separate files."
        ) % {"first": ws.title, "others": ", ".join(f"“{t}”" for t in others)}
        warnings.insert(0, {"row": 0, "column": "", "message": str(message), "level": "warning"})
    return rows, warnings


def _holds_data(sheet, rows=200):
    """Whether a sheet has any value in its first ``rows`` rows (a blank or notes-free sheet is no concern)."""
    for row in sheet.iter_rows(max_row=rows, values_only=True):
        if any(v is not None and str(v).strip() for v in row):
            return True
    return False


def _issue(row, key, message, level="warning"):
    return {"row": row, "column": str(BY_KEY[key].label) if key else "", "message": str(message), "level": level}


# ---- checking --------------------------------------------------------------------------------
def _rule_unknown(row, key, day, what):
    """A warning, not an error: no rule version covers ``day`` (issue on history §2)."""
    return _issue(
        row,
        key,
        _(
            "Rule unknown for %(day)s: no rule on %(what)s was in force then, so it is not checked; "
            "a person must confirm it."
        )
        % {"day": day.strftime("%d/%m/%Y"), "what": what},
    )


def parse_date(text):
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


# A cell written with the units above it: "Đảng bộ Sở Tài chính / Chi bộ Văn phòng" (or with >, ›, », \).
PATH_SEP = "/"
_PATH_SPLIT = re.compile(r"\s*[/>›»\\]\s*")


class Checker:
    """Checks rows of one import against the database and against the rest of the file."""

    def __init__(self, imp, rows):
        self.imp = imp
        self.scope = imp.unit
        self.today = timezone.localdate()
        cells = (
            OrgUnit.objects.active()
            .in_subtree(self.scope)
            .filter(kind__in=OrgUnit.CELL_KINDS)
            .select_related("parent")
            .order_by("path")
        )
        self.by_name, self.by_code, self.by_path = {}, {}, {}
        names = dict(OrgUnit.objects.in_subtree(self.scope).values_list("pk", "name"))
        for cell in cells:
            for name in {fold(cell.name), fold(cell.name).removeprefix("chi bo ")}:
                self.by_name.setdefault(name, []).append(cell)
            if cell.code:
                self.by_code[fold(cell.code)] = cell
            # Its path from the unit chosen on the page (that unit's name may lead), every tail of it too:
            # "Đảng bộ Sở Tài chính / Chi bộ Văn phòng" is enough in a file for the whole bloc.
            chain = [fold(names[pk]) for pk in cell.ancestor_ids(include_self=True) if pk in names]
            for last in {chain[-1], chain[-1].removeprefix("chi bo ")}:
                for i in range(len(chain) - 1):
                    self.by_path.setdefault(PATH_SEP.join([*chain[i:-1], last]), []).append(cell)
        self.min_age_months = rule_lookup("admission.age_min_months", unit=self.scope)
        self.probation_months = rule_lookup("member.probation_months", unit=self.scope)
        self.choices = {key: _choice_map(key) for key in CHOICES}
        # Where each card and citizen ID number first appears in the file.
        self.first_row = {"card_number": {}, "national_id": {}}
        for r in rows:
            for key in self.first_row:
                value = self._normal_id(key, r["values"].get(key, ""), key in r.get("numeric", []))[0]
                if value:
                    self.first_row[key].setdefault(value, r["row"])

    @staticmethod
    def _normal_id(key, text, numeric):
        """``(value, fixed)``: the number as stored, and whether Excel's formatting was repaired."""
        text = text.replace(" ", "")
        if key == "national_id":
            if numeric and text.isdigit() and 10 <= len(text) < 12:
                return text.zfill(12), True  # Excel dropped the leading zeros (province code 001–096)
            return text, False
        if text.isdigit() and len(text) == 8:
            return f"{text[:2]}.{text[2:]}", True
        return text, False

    def check(self, rows):
        """``(clean_rows, issues)`` for ``rows`` (a chunk): clean rows are those without errors."""
        cards = [self._normal_id("card_number", r["values"].get("card_number", ""), False)[0] for r in rows]
        ids = [
            self._normal_id("national_id", r["values"].get("national_id", ""), "national_id" in r.get("numeric", []))[0]
            for r in rows
        ]
        taken_cards = set(
            Member.objects.filter(card_number__in=[c for c in cards if c]).values_list("card_number", flat=True)
        )
        taken_ids = set(
            Member.objects.filter(national_id__in=[i for i in ids if i]).values_list("national_id", flat=True)
        )
        clean, issues = [], []
        for r in rows:
            values, errors = self._row(r, taken_cards, taken_ids, issues)
            if errors:
                issues.extend(errors)
            else:
                clean.append(values)
        return clean, issues

    def _row(self, r, taken_cards, taken_ids, issues):
        n, v = r["row"], r["values"]
        errors = []

        def error(key, message):
            errors.append(_issue(n, key, message, level="error"))

        out = {"row": n}
        name = v.get("full_name", "")
        if not name:
            error("full_name", _("The full name is empty."))
        elif len(name.split()) < 2 or any(ch.isdigit() for ch in name):
            error(
                "full_name", _("“%(value)s” is not a full name (family and given name, no digits).") % {"value": name}
            )
        elif len(name) > 255:
            error("full_name", _("The name is longer than 255 characters."))
        out["full_name"] = name

        sex = fold(v.get("sex", ""))
        sexes = {fold(str(label)): value for value, label in Member.Sex.choices}
        with translation.override("vi"):
            sexes.update({fold(str(label)): value for value, label in Member.Sex.choices})
        sexes.update({"nam": Member.Sex.MALE, "nu": Member.Sex.FEMALE})
        if sex not in sexes:
            error("sex", _("Write Male or Female (found “%(value)s”).") % {"value": v.get("sex", "")})
        out["sex"] = sexes.get(sex)

        dates = {}
        for key in ("birth_date", "admission_date", "official_date"):
            text = v.get(key, "")
            if not text:
                if BY_KEY[key].required:
                    error(key, _("The date is empty."))
                dates[key] = None
                continue
            day = parse_date(text)
            if day is None:
                error(key, _("“%(value)s” is not a date; write dd/mm/yyyy.") % {"value": text})
            elif day > self.today:
                error(key, _("%(day)s is in the future.") % {"day": day.strftime("%d/%m/%Y")})
                day = None
            elif day.year < 1900:
                error(key, _("%(day)s is too early.") % {"day": day.strftime("%d/%m/%Y")})
                day = None
            dates[key] = day
        birth, admitted, official = dates["birth_date"], dates["admission_date"], dates["official_date"]
        if birth and admitted:
            months = self.min_age_months(admitted)
            if admitted <= birth:
                error("admission_date", _("The admission date is before the date of birth."))
            elif months is None:  # a fact of the past is held; the missing rule is flagged for a person
                issues.append(_rule_unknown(n, "admission_date", admitted, _("the minimum age")))
            elif months and admitted < add_months(birth, months):
                error(
                    "admission_date",
                    _("Admitted before the minimum age of %(years)s years.") % {"years": f"{months / 12:g}"},
                )
        if admitted and official:
            probation = self.probation_months(admitted)
            if official <= admitted:
                error("official_date", _("The official membership date must be after the admission date."))
            elif probation is None:
                issues.append(_rule_unknown(n, "official_date", admitted, _("the probation period")))
            elif probation and official < add_months(admitted, probation):
                error(
                    "official_date",
                    _("Official less than %(months)s months after admission (the probation period).")
                    % {"months": probation},
                )
        out.update({k: d.isoformat() if d else None for k, d in dates.items()})

        unit_text = v.get("unit", "")
        unit = None
        if not unit_text:
            if self.scope.kind in OrgUnit.CELL_KINDS:
                unit = self.scope
            else:
                error("unit", _("The party cell is empty."))
        else:
            key = fold(unit_text)
            unit = self.by_code.get(key)
            if unit is None:
                parts = [p for p in (fold(p) for p in _PATH_SPLIT.split(unit_text)) if p]
                found = self.by_path.get(PATH_SEP.join(parts), []) if len(parts) > 1 else []
                # A name may hold a slash itself ("Chi bộ Kế hoạch/Đầu tư"): then it is a name.
                found = found or self.by_name.get(key) or self.by_name.get(key.removeprefix("chi bo "), [])
                if len(found) > 1:
                    error(
                        "unit",
                        _("Several cells are called “%(value)s”; write the cell's code: %(codes)s.")
                        % {
                            "value": unit_text,
                            "codes": "; ".join(
                                f"{c.code} ({c.parent.name})" if c.parent else c.code for c in found if c.code
                            ),
                        },
                    )
                elif not found:
                    error(
                        "unit",
                        _("There is no cell “%(value)s” in %(scope)s.") % {"value": unit_text, "scope": self.scope},
                    )
                else:
                    unit = found[0]
        out["unit"] = unit.pk if unit else None

        for key, taken in (("national_id", taken_ids), ("card_number", taken_cards)):
            value, fixed = self._normal_id(key, v.get(key, ""), key in r.get("numeric", []))
            out[key] = value or None
            if not value:
                continue
            if key == "national_id" and not (value.isdigit() and len(value) == 12):
                error(key, _("The citizen ID number has 12 digits (found “%(value)s”).") % {"value": v.get(key)})
                continue
            if key == "card_number" and not CARD_RE.match(value):
                error(key, _("The card number is written NN.NNNNNN (found “%(value)s”).") % {"value": v.get(key)})
                continue
            if fixed:
                issues.append(_issue(n, key, _("Read as %(value)s.") % {"value": value}))
            first = self.first_row[key].get(value)
            if first is not None and first != n:
                error(key, _("%(value)s is also on row %(row)s.") % {"value": value, "row": first})
            elif value in taken:
                error(key, _("%(value)s already belongs to a member in the registry.") % {"value": value})
        if out["card_number"] and not official:
            error("card_number", _("Only official members hold a party card; the official membership date is empty."))

        for key in ("qualification", "theory_level"):
            text = v.get(key, "")
            value = self.choices[key].get(fold(text)) if text else ""
            if value is None:
                allowed = ", ".join(str(label) for _v, label in CHOICES[key].choices)
                error(key, _("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": allowed})
            out[key] = value or ""
        for key, limit in (
            ("ethnicity", 50),
            ("religion", 50),
            ("hometown", 255),
            ("general_education", 10),
            ("position", 255),
        ):
            text = v.get(key, "")
            if len(text) > limit:
                error(key, _("Longer than %(limit)s characters.") % {"limit": limit})
            out[key] = text
        if fold(out["religion"]) in {"khong", "none"}:
            out["religion"] = ""
        return out, errors


def check_step(imp):
    """Check the next chunk of an import in CHECKING state; returns the import, saved."""
    if imp.state != MemberImport.State.CHECKING:
        return imp
    checker = Checker(imp, imp.rows)
    chunk = imp.rows[imp.checked : imp.checked + CHUNK]
    _clean, issues = checker.check(chunk)
    imp.issues = imp.issues + issues
    imp.checked += len(chunk)
    if imp.checked >= imp.total:
        imp.state = MemberImport.State.INVALID if imp.error_count else MemberImport.State.READY
    imp.save(update_fields=["issues", "checked", "state"])
    return imp


class _RegistryChanged(Exception):
    """Raised inside the commit's transaction to roll it back: the registry changed since the check."""


COMMIT_STALE_SECONDS = 300  # a commit handed to the worker and not done after this may be started again


def commit_stalled(imp, now=None):
    if imp.state != MemberImport.State.COMMITTING or imp.commit_requested_at is None:
        return False
    now = now or timezone.now()
    return (now - imp.commit_requested_at).total_seconds() > COMMIT_STALE_SECONDS


def request_commit(imp, *, actor):
    """Hand the commit of a READY import (or of one whose commit stalled) to the background worker: the
    request only marks it COMMITTING and queues ``members.tasks.commit_member_import``, so no request runs
    the bulk write (run at once by the immediate backend of the tests). A second click finds it COMMITTING
    and queues nothing."""
    from dangbo.members.tasks import commit_member_import

    imp = MemberImport.objects.get(pk=imp.pk)
    claimable = imp.state == MemberImport.State.READY or commit_stalled(imp)
    claimed = claimable and MemberImport.objects.filter(pk=imp.pk, state=imp.state).update(
        state=MemberImport.State.COMMITTING,
        commit_requested_at=timezone.now(),
        commit_requested_by=actor if getattr(actor, "pk", None) else None,
    )
    if not claimed:
        if imp.state == MemberImport.State.COMMITTING:
            return imp  # already queued
        raise ValidationError(_("This import is not ready to be committed."))
    try:
        commit_member_import.enqueue(imp.pk)
    except DatabaseError:
        MemberImport.objects.filter(pk=imp.pk, state=MemberImport.State.COMMITTING).update(
            state=MemberImport.State.READY, commit_requested_at=None
        )
        raise ValidationError(_("The import could not be started now. Please try again in a moment.")) from None
    imp.refresh_from_db()
    return imp


def commit_import(imp, *, actor):
    """Write every row of a READY import, or nothing.

    The rows are checked again first, outside any write transaction (reads only: nobody waits on them), and
    the members, their events and intervals are built in memory. Then one transaction claims the import
    (READY → IMPORTED, so a second click writes nothing), checks what another request may have changed since
    (a cell closed; a card or citizen ID number taken, which the unique constraints refuse) and inserts the
    rows, their SQL parameters prepared beforehand (``dangbo.core.bulk``): only the inserts themselves hold the
    write lock (bench/bulk_writes.py: 20,000 rows, 12.3 s before, now about 3.5 times one raw INSERT … SELECT of
    the members alone; still over a second on SQLite at that size). If the registry changed, that transaction is
    rolled back and the import turns INVALID with the reasons.
    """
    imp = MemberImport.objects.get(pk=imp.pk)
    # READY when called directly; COMMITTING when the worker runs what ``request_commit`` queued.
    claim_from = imp.state
    if claim_from not in (MemberImport.State.READY, MemberImport.State.COMMITTING):
        raise ValidationError(_("This import is not ready to be committed."))
    clean, issues = _check_all(imp)
    if any(i["level"] == "error" for i in issues):
        return _mark_invalid(imp, issues)
    members, events, intervals = _build_rows(imp, clean, actor)
    unit_ids = {m.unit_id for m in members}
    # Every row's SQL parameters are ready before the write transaction starts (dangbo.core.bulk).
    member_rows = prepare_insert(Member, members)
    event_rows = prepare_insert(MemberEvent, events)
    interval_rows = prepare_insert(MemberInterval, intervals)
    tally_deltas = tallies.count_rows(tallies.row_of(m) for m in members)
    try:
        with transaction.atomic():
            claimed = MemberImport.objects.filter(pk=imp.pk, state=claim_from).update(
                state=MemberImport.State.IMPORTED,
                imported=len(members),
                imported_at=timezone.now(),
                issues=issues,  # warnings only
            )
            if not claimed:
                raise ValidationError(_("This import is not ready to be committed."))
            if OrgUnit.objects.active().filter(pk__in=unit_ids).count() != len(unit_ids):
                raise _RegistryChanged
            member_rows.run(set_ids=True)
            if member_rows.sqlite:  # the raw INSERT skips MemberQuerySet.bulk_create, which tallies otherwise
                tallies.apply(tally_deltas)
            event_rows.remap("member_id", lambda n: members[n].pk).run()
            interval_rows.remap("member_id", lambda n: members[n].pk).run()
            record(
                actor=actor,
                action="members.import",
                obj=imp.unit,
                unit=imp.unit,
                changes={"members": [None, len(members)]},
                note=imp.file_name,
            )
    except (_RegistryChanged, IntegrityError):
        # Checked again now that the transaction is rolled back: the errors say what changed.
        imp.refresh_from_db()
        _clean, issues = _check_all(imp)
        if not any(i["level"] == "error" for i in issues):
            issues.append(
                _issue(0, None, _("The registry changed while importing; check the file again."), level="error")
            )
        return _mark_invalid(imp, issues)
    refresh_planner_statistics(len(members))
    imp.refresh_from_db()
    return imp


ANALYZE_FROM_ROWS = 1000


def refresh_planner_statistics(rows):
    """After a large import PostgreSQL's planner learns the tables' new sizes at once, not when autovacuum
    comes by: the figures of a past day then use the indexes instead of nested scans of thousands of rows
    (and its own transaction's rows count, so the same holds inside a test). SQLite plans without them."""
    if rows < ANALYZE_FROM_ROWS or connection.vendor != "postgresql":
        return
    tables = [model._meta.db_table for model in (Member, MemberEvent, MemberInterval, OrgUnit)]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))


def _check_all(imp):
    checker = Checker(imp, imp.rows)
    clean, issues = [], []
    for start in range(0, len(imp.rows), CHUNK):
        rows_clean, rows_issues = checker.check(imp.rows[start : start + CHUNK])
        clean.extend(rows_clean)
        issues.extend(rows_issues)
    return clean, issues


def _mark_invalid(imp, issues):
    MemberImport.objects.filter(pk=imp.pk, state__in=[MemberImport.State.READY, MemberImport.State.COMMITTING]).update(
        issues=issues, state=MemberImport.State.INVALID
    )
    imp.refresh_from_db()
    return imp


def _build_rows(imp, clean, actor):
    """Unsaved members, events and intervals of the clean rows; an event's or interval's ``member_id`` is
    the index of its member in the list until the members are saved."""
    members = []
    for row in clean:
        official = row["official_date"] and datetime.date.fromisoformat(row["official_date"])
        m = Member(
            unit_id=row["unit"],
            sex=row["sex"],
            birth_date=datetime.date.fromisoformat(row["birth_date"]),
            status=Member.Status.OFFICIAL if official else Member.Status.PROBATIONARY,
            admission_date=datetime.date.fromisoformat(row["admission_date"]),
            official_date=official or None,
            card_number=row["card_number"],
            national_id=row["national_id"],
            ethnicity=row["ethnicity"],
            religion=row["religion"],
            hometown=row["hometown"],
            general_education=row["general_education"],
            qualification=row["qualification"],
            theory_level=row["theory_level"],
            position=row["position"],
        )
        m.set_name(row["full_name"])
        members.append(m)
    note = _("Imported from %(file)s") % {"file": imp.file_name}
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    events = []
    for n, m in enumerate(members):
        events.append(
            MemberEvent(
                member_id=n,
                kind=MemberEvent.Kind.ADMITTED,
                date=m.admission_date,
                to_unit_id=m.unit_id,
                status_after=Member.Status.PROBATIONARY,
                actor_id=actor_id,
                note=note,
            )
        )
        if m.official_date:
            events.append(
                MemberEvent(
                    member_id=n,
                    kind=MemberEvent.Kind.MADE_OFFICIAL,
                    date=m.official_date,
                    to_unit_id=m.unit_id,
                    status_after=Member.Status.OFFICIAL,
                    actor_id=actor_id,
                    note=note,
                )
            )
    intervals = intervals_from_events((e.member_id, e.date, e.to_unit_id, e.status_after) for e in events)
    return members, events, intervals


def start_import(*, uploaded, unit, actor):
    """Read the file into a new import in CHECKING state (ValidationError if the file itself is unusable).

    A small file is checked at once; a large one is checked step by step (``check_step``) so the
    page can show progress.
    """
    rows, warnings = read_workbook(uploaded)
    imp = MemberImport.objects.create(
        unit=unit,
        created_by=actor,
        file_name=(uploaded.name or "")[:255],
        total=len(rows),
        rows=rows,
        issues=warnings,
    )
    if imp.total <= CHUNK:
        check_step(imp)
    return imp
