"""A table computed for a unit and a period: every cell from the table file's expressions over the
figures of the period (``sources.figures``), the identities checked, the numbers formatted the
Vietnamese way (1.234; 12,50)."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from dangbo.core.dates import years_before
from dangbo.stattables import expr, sources

PERIOD_KINDS = {
    "year": _("Year"),
    "h1": _("First half-year"),
    "h2": _("Second half-year"),
}


@dataclass(frozen=True)
class Period:
    kind: str
    year: int

    @property
    def start(self):
        return datetime.date(self.year, 7 if self.kind == "h2" else 1, 1)

    @property
    def end(self):
        return datetime.date(self.year, 6, 30) if self.kind == "h1" else datetime.date(self.year, 12, 31)

    @property
    def label(self):
        return f"{PERIOD_KINDS[self.kind]} {self.year}"

    def before(self):
        """The period just before (its end is this one's start − 1 day)."""
        if self.kind == "year":
            return Period("year", self.year - 1)
        return Period("h1", self.year) if self.kind == "h2" else Period("h2", self.year - 1)


class Env(dict):
    """Figures by name; an ethnic group or a religion nobody belongs to counts 0."""

    def get(self, name, default=None):
        if name in self:
            return self[name]
        return 0 if name.startswith(sources.OPEN_PREFIXES) else default


def _plain(value):
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


def vn_number(value, places=0):
    """1234 → "1.234"; 12.5 with 2 places → "12,50"; None → ""."""
    if value is None:
        return ""
    value = Decimal(value)
    if places:
        value = value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
        text = f"{value:,.{places}f}"
    elif value == value.to_integral_value():
        text = f"{int(value):,}"
    else:
        text = f"{value:,.1f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _ratio(num, den):
    if num is None or not den:
        return None
    return (Decimal(num) * 100 / Decimal(den)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class Computed:
    table: dict
    unit: object
    period: Period
    columns: list
    rows: list  # [{"row": row, "cells": [{"value", "text", "column"}], "failed": bool}]
    failures: list  # [{"label", "column", "left", "right", "rows"}]

    @property
    def ok(self):
        return not self.failures

    @property
    def unverified(self):
        return [r["row"] for r in self.rows if r["row"].get("unverified")]


def compute(table, unit, period):
    """The table ``table`` (a checked file) for ``unit``'s subtree over ``period``."""
    envs = {}

    def env(kind):
        p = (period.start, period.end)
        if kind == "previous_year":
            p = (years_before(period.start, 1), years_before(period.end, 1))
        elif kind == "previous_period":
            before = period.before()
            p = (before.start, before.end)
        if p not in envs:
            envs[p] = Env(sources.figures(unit, *p))
        return envs[p]

    columns = table["columns"]
    by_row = {}  # row id → {column key: value}
    lines = []
    for row in table["rows"]:
        values, cells = {}, []
        for col in columns:
            kind, value, places = col["kind"], None, 0
            if kind == "value":
                text = row.get(col.get("field", "value"))
                if text is not None:
                    value = _plain(expr.evaluate(expr.parse(text), env(col.get("period", "current"))))
                    if isinstance(value, Decimal):
                        places = 1
            elif kind == "ratio":
                value, places = _ratio(values.get(col["num"]), values.get(col["den"])), 2
            elif kind == "share":
                total = expr.evaluate(expr.parse(col["total"]), env("current"))
                value, places = _ratio(values.get(col["of"]), total), 2
            values[col["key"]] = value
            if kind == "code":
                shown = row.get("code", "")
            elif kind == "label":
                shown = row["label"]
            else:
                shown = vn_number(value, places)
            cells.append({"column": col, "value": value, "text": shown})
        by_row[row["id"]] = values
        lines.append({"row": row, "cells": cells, "failed": False})

    failures = []
    for ident in table.get("identities", []):
        field = ident.get("field", "value")
        for col in columns:
            if col["kind"] != "value" or col.get("field", "value") != field:
                continue
            left = by_row[ident["left"]][col["key"]]
            if "previous_period" in ident:
                if col.get("period", "current") != "current":
                    continue
                prev_row = next(r for r in table["rows"] if r["id"] == ident["previous_period"])
                text = prev_row.get(field)
                right = _plain(expr.evaluate(expr.parse(text), env("previous_period"))) if text else None
                involved = [ident["left"]]
            else:
                tree = expr.parse(ident["right"])
                local = Env(env(col.get("period", "current")))
                involved = [ident["left"]]
                for name in expr.names(tree):
                    if name in by_row:
                        local[name] = by_row[name][col["key"]]
                        involved.append(name)
                right = _plain(expr.evaluate(tree, local))
            if left != right:
                failures.append(
                    {"label": ident["label"], "column": col["title"], "left": left, "right": right, "rows": involved}
                )
    failed_rows = {rid for f in failures for rid in f["rows"]}
    for line in lines:
        line["failed"] = line["row"]["id"] in failed_rows
    return Computed(table=table, unit=unit, period=period, columns=columns, rows=lines, failures=failures)


def header_rows(columns):
    """The two header rows with their spans: [[(title, colspan, rowspan)], [(title, 1, 1)]] and the
    column numbers; a column without a group spans both rows, a group spans its columns."""
    top, bottom = [], []
    i = 0
    while i < len(columns):
        group = columns[i].get("group")
        if not group:
            top.append({"title": columns[i]["title"], "colspan": 1, "rowspan": 2, "start": i})
            i += 1
            continue
        j = i
        while j < len(columns) and columns[j].get("group") == group:
            bottom.append({"title": columns[j]["title"], "colspan": 1, "rowspan": 1, "start": j})
            j += 1
        top.append({"title": group, "colspan": j - i, "rowspan": 1, "start": i})
        i = j
    if not bottom:
        for cell in top:
            cell["rowspan"] = 1
    return top, bottom
