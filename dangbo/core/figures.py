"""Figures that apps offer to periodic reports (see core.plugins: ``<app>/figures.py``).

``period_figures(unit, start, end)`` returns the figures of ``unit``'s subtree for the period
``start``..``end`` (both included; for a stock such as a member count, as of ``end``), each computed
from the data as it stood then, so a report for a past period reads the same after later changes.
"""

from dataclasses import dataclass
from decimal import Decimal

from dangbo.core.plugins import app_modules


@dataclass(frozen=True)
class Figure:
    key: str  # stable and unique: "<app>.<name>", e.g. "meetings.regular_held"
    label: str  # what the report prints (translated)
    value: int | Decimal | None
    section: str = ""  # the report's heading it belongs under (translated)
    unit: str = ""  # "%", "members", … when the label alone does not say


def collect(unit, start, end):
    """Every app's figures for ``unit`` over ``start``..``end``, keyed by ``Figure.key``."""
    figures = {}
    for module in app_modules("figures"):
        if not hasattr(module, "period_figures"):  # this very module: core is an app too
            continue
        for f in module.period_figures(unit, start, end):
            if f.key in figures:
                raise ValueError(f"figure {f.key} offered twice")
            figures[f.key] = f
    return figures
