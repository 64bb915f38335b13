"""Meeting figures for periodic reports (see core.figures)."""

from decimal import Decimal

from django.utils.translation import gettext as _

from dangbo.core.figures import Figure
from dangbo.meetings import compliance


def period_figures(unit, start, end):
    report = compliance.compute(
        unit, start, end, kinds={compliance.NO_REGULAR, compliance.TOO_SHORT, compliance.WITH_WORK}
    )
    section = _("Party cell meetings")
    missing = sum(1 for b in report.breaches if b.kind == compliance.NO_REGULAR and not b.pending)
    percent = (
        (Decimal(report.present) * 100 / report.denominator).quantize(Decimal("0.1")) if report.denominator else None
    )
    return [
        Figure("meetings.regular_held", _("Regular cell meetings held"), report.regular_held, section),
        Figure("meetings.thematic_held", _("Thematic cell meetings held"), report.thematic_held, section),
        Figure("meetings.cells_without_regular", _("Cell-months without a regular meeting"), missing, section),
        Figure(
            "meetings.noncompliant",
            _("Meetings breaking the rules (too short, combined with work)"),
            report.noncompliant_meetings,
            section,
        ),
        Figure("meetings.attendance_percent", _("Attendance at cell meetings"), percent, section, "%"),
    ]
