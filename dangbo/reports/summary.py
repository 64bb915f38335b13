"""The summary report of a subtree for a period: the narrative in the register of the bloc's quarterly
briefings, every figure computed from the data (a clause whose figure no app offers is left out), as a
Word document (docxtpl template made by docx/make_templates.py) and the statistical tables as Excel."""

from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.core import numbers
from dangbo.org.models import OrgUnit
from dangbo.reports import services
from dangbo.reports.models import Period, period_bounds, period_label

TEMPLATES = Path(__file__).resolve().parent / "docx"


def num(value):
    """A figure as Vietnamese prints it: 4.046, 12,5 (``dangbo.core.numbers``, one format everywhere)."""
    return numbers.fmt(value, 2)


def _v(figures, key):
    f = figures.get(key)
    return None if f is None else f.value


def _clause(figures, keys, text, *, any_nonzero=True, extra=None):
    """``text`` filled with the figures of ``keys`` ({name: key}); None when a figure is missing or all are 0."""
    values = {name: _v(figures, key) for name, key in keys.items()}
    if any(v is None for v in values.values()):
        return None
    if any_nonzero and not any(values.values()):
        return None
    return text % {**{name: num(v) for name, v in values.items()}, **(extra or {})}


def _sentence(clauses, lead=""):
    clauses = [c for c in clauses if c]
    if not clauses:
        return ""
    text = "; ".join(clauses)
    if lead:
        return f"{lead} {text}."
    return text[0].upper() + text[1:] + "."


def _rest_of_members(figures, total):
    """What the members' total holds besides the official and probationary members, so that the parts add
    up to the total (issue 14 §10: "246 (232 + 13)"): the exempted and the suspended members."""
    official, probationary = _v(figures, "members.official"), _v(figures, "members.probationary")
    if official is None or probationary is None:
        return ""
    rest = total - official - probationary
    text = ""
    exempted = min(_v(figures, "members.exempted") or 0, max(rest, 0))
    if exempted:
        text += _(", %(n)s exempted from party work") % {"n": num(exempted)}
        rest -= exempted
    if rest > 0:
        text += _(", %(n)s suspended from party activity") % {"n": num(rest)}
    return text


def period_lead(kind, number):
    if kind == Period.QUARTER:
        return _("In the quarter,")
    if kind == Period.HALF:
        return _("In the first six months of the year,") if number == 1 else _("In the last six months of the year,")
    return _("In the year,")


def _admitted(figures, start):
    """Seed 001's "kết nạp 59 đảng viên mới, bằng 1,14% so với tổng số đảng viên cuối năm 2018", with the
    plan when there is one (seed 003's "237 … đạt 53% kế hoạch")."""
    text = _clause(figures, {"n": "admission.admitted"}, _("admitted %(n)s outstanding people into the Party"))
    if not text:
        return None
    of_members = _v(figures, "admission.percent_of_members")
    if of_members is not None:
        text += _(", equal to %(p)s%% of the members at the end of %(year)s") % {
            "p": numbers.fmt(of_members),
            "year": start.year - 1,
        }
    of_plan = _v(figures, "admission.percent_of_target")
    if of_plan is not None:
        text += _(", %(p)s%% of the plan") % {"p": numbers.fmt(of_plan)}
    over = _v(figures, "admission.share_exceeded_by")
    if over is not None and over > 0:  # seed 004: "đạt 5% …, vượt 2% so với chỉ tiêu"
        text += _(", %(p)s%% above the target") % {"p": numbers.fmt(over)}
    return text


def narrative(unit, kind, year, number, figures):
    """The paragraphs of the summary, each figure from ``figures`` (dangbo.core.figures.collect)."""
    start, end = period_bounds(kind, year, number)
    paragraphs = []
    members = _v(figures, "members.total")
    here = {"day": end.strftime("%d/%m/%Y"), "unit": unit.name}
    if unit.kind in OrgUnit.GRASSROOTS_KINDS:
        opening = _clause(
            figures,
            {"cells": "org.cells_count", "members": "members.total"},
            _("As of %(day)s, %(unit)s has %(cells)s party cells with %(members)s party members"),
            any_nonzero=False,
            extra=here,
        )
    else:
        opening = _clause(
            figures,
            {"grassroots": "org.grassroots_count", "members": "members.total"},
            _(
                "As of %(day)s, %(unit)s has %(grassroots)s grassroots party organizations "
                "with %(members)s party members"
            ),
            any_nonzero=False,
            extra=here,
        )
    if opening and members is not None:
        detail = _clause(
            figures,
            {"official": "members.official", "probationary": "members.probationary"},
            _("%(official)s official and %(probationary)s probationary"),
            any_nonzero=False,
        )
        if detail:
            detail += _rest_of_members(figures, members)
        paragraphs.append(f"{opening} ({detail})." if detail else f"{opening}.")
    lead = period_lead(kind, number)
    paragraphs.append(
        _sentence(
            [
                _clause(
                    figures, {"n": "committees.reinforced_units"}, _("reinforced the party committees of %(n)s units")
                ),
                _clause(figures, {"n": "org.cells_founded"}, _("founded %(n)s new party cells")),
                _admitted(figures, start),
                _clause(figures, {"n": "admission.recognized"}, _("recognised %(n)s official members")),
                _clause(
                    figures,
                    {
                        "n": "transfers.received_and_sent_out",
                        "received": "transfers.received",
                        "out": "transfers.sent_out",
                    },
                    # seed 002: "tiếp nhận và giới thiệu chuyển sinh hoạt đảng cho 118 đảng viên"
                    _(
                        "received and introduced to other organizations %(n)s members (received %(received)s, "
                        "introduced out %(out)s)"
                    ),
                ),
                _clause(
                    figures,
                    {"n": "transfers.internal"},
                    _("transferred the party activity of %(n)s members between its organizations"),
                ),
            ],
            lead,
        )
    )
    paragraphs.append(
        _sentence(
            [
                _clause(
                    figures,
                    {
                        "orgs": "inspection.committee_supervised_orgs",
                        "members": "inspection.committee_supervised_members",
                    },
                    _(
                        "party committees at all levels regularly supervised %(orgs)s organizations "
                        "and %(members)s members"
                    ),
                ),
                _clause(
                    figures,
                    {
                        "members": "inspection.commission_supervised_members",
                        "orgs": "inspection.commission_supervised_orgs",
                    },
                    _(
                        "inspection commissions at all levels regularly supervised %(members)s members "
                        "and %(orgs)s party organizations"
                    ),
                ),
                _clause(
                    figures,
                    {"orgs": "inspection.inspected_orgs", "members": "inspection.inspected_members"},
                    _("inspected %(orgs)s organizations and %(members)s members"),
                ),
                _clause(figures, {"n": "inspection.discipline_members"}, _("disciplined %(n)s members")),
            ]
        )
    )
    paragraphs.append(
        _sentence(
            [
                _clause(
                    figures,
                    {"regular": "meetings.regular_held", "thematic": "meetings.thematic_held"},
                    _("the cells held %(regular)s regular and %(thematic)s thematic meetings"),
                ),
                _clause(figures, {"p": "meetings.attendance_percent"}, _("the average attendance was %(p)s%%")),
                _clause(figures, {"n": "study.campaigns"}, _("%(n)s campaigns of studying resolutions were organized")),
                _clause(figures, {"p": "study.studied_percent"}, _("%(p)s%% of members took part in studying")),
            ]
        )
    )
    paragraphs.append(
        _sentence(
            [
                _clause(figures, {"n": "lifecycle.deceased"}, _("%(n)s members passed away")),
                _clause(figures, {"n": "lifecycle.removed"}, _("%(n)s members were removed from the list")),
                _clause(figures, {"n": "lifecycle.expelled"}, _("%(n)s members were expelled")),
                _clause(figures, {"n": "lifecycle.badges_awarded"}, _("%(n)s party badges were awarded")),
            ]
        )
    )
    return [p for p in paragraphs if p]


def summary(unit, kind, year, number):
    """Everything the summary report shows: figures, narrative, consolidation, submissions."""
    start, end = period_bounds(kind, year, number)
    figures = services.collect(unit, start, end)
    rows, accepted = services.consolidate(unit, kind, year, number, figures=figures)
    tracker = services.tracker(unit, kind, year, number)
    sections = {}
    for f in figures.values():
        if f.value is not None:
            sections.setdefault(str(f.section), []).append(f)
    return {
        "unit": unit,
        "start": start,
        "end": end,
        "label": period_label(kind, year, number),
        "figures": figures,
        "paragraphs": narrative(unit, kind, year, number, figures),
        "sections": list(sections.items()),
        "rows": rows,
        "accepted": accepted,
        "tracker": tracker,
    }


def _value_text(f):
    return numbers.percent(f.value, 2) if f.unit == "%" else num(f.value)


def render_docx(data):
    from dangbo.core import docx

    unit = data["unit"]
    today = timezone.localdate()
    submitted = [r for r in data["tracker"] if not r.missing]
    ctx = {
        "issuer_upper": unit.name.upper(),
        "parent_upper": (unit.parent.name.upper() if unit.parent_id else ""),
        "day": f"{today.day:02d}",
        "month": f"{today.month:02d}",
        "year": today.year,
        "period": str(data["label"]),
        "paragraphs": data["paragraphs"],
        "sections": [
            {"title": title, "rows": [{"label": str(f.label), "value": _value_text(f)} for f in figs]}
            for title, figs in data["sections"]
        ],
        "submitted": len(submitted),
        "expected": len(data["tracker"]),
        "accepted": len(data["accepted"]),
    }
    return docx.render(TEMPLATES / "summary.docx", ctx)


def render_xlsx(data):
    from dangbo.core import xlsx

    wb = xlsx.Book()
    ws = wb.sheet(_("Figures"))
    ws.append([_("Summary figures")], bold=True, size=13)
    ws.append([f"{data['unit'].name}: {data['start']:%d/%m/%Y} – {data['end']:%d/%m/%Y}"])
    ws.append([])
    ws.append([_("Section"), _("Figure"), _("System"), _("Sum of accepted reports"), _("Difference")], bold=True)
    for r in data["rows"]:
        value = r.system
        ws.append([r.section, r.label, value, r.declared, r.difference])
    ws.widths([28, 48, 16, 16, 16])

    ws2 = wb.sheet(_("Reports"))
    keys = [r.key for r in data["rows"] if r.key in services.countable(data["figures"])]
    labels = {r.key: r.label for r in data["rows"]}
    ws2.append([_("Unit"), _("State"), _("Submitted on"), *[labels[k] for k in keys]], bold=True)
    for row in data["tracker"]:
        rep = row.report
        ws2.append(
            [
                row.unit.name,
                rep.get_state_display() if rep else _("Not submitted"),
                rep.submitted_on.strftime("%d/%m/%Y") if rep and rep.submitted_on else "",
                *[(rep.declared.get(k) if rep else None) for k in keys],
            ]
        )
    ws2.widths({"A": 40})
    return wb.save()
