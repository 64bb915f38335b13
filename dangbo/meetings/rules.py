"""The numbers a meeting is judged by, from the rule registry (DOMAIN.md §5, seed 001).

Minimum length: a regular or extraordinary meeting needs ``meeting.min_minutes.regular``, or
``meeting.min_minutes.small_cell`` when the cell has fewer members than ``meeting.small_cell_threshold``
(nationally the same 90 minutes; a committee may override it for its subtree from a date, as the bloc
did in 2019 with 60 minutes). A thematic meeting needs ``meeting.min_minutes.thematic`` and a regular
meeting combined with a thematic one ``meeting.min_minutes.combined`` (before that rule existed, the
thematic minimum). The small-cell rule never lowers a thematic or combined meeting's minimum: HD 42
delegates only the ordinary meeting of small cells.

Cell size: members on the cell's books on the meeting date whose status is official or probationary
(the meeting's roll; exempted and suspended members are not counted, members temporarily away are).
"""

from django.core.exceptions import ValidationError

from dangbo.rules.registry import RuleMissing, rule, rule_version


def _version(key, day, unit):
    try:
        return rule_version(key, on=day, unit=unit)
    except RuleMissing as e:
        raise ValidationError(str(e))


def value(key, day, unit):
    try:
        return rule(key, on=day, unit=unit)
    except RuleMissing as e:
        raise ValidationError(str(e))


def minimum(kind, *, unit, day, size):
    """(minutes, RuleVersion) that applies to a meeting of ``kind`` in ``unit`` on ``day`` with ``size`` members."""
    from dangbo.meetings.models import Meeting

    K = Meeting.Kind
    if kind == K.THEMATIC:
        v = _version("meeting.min_minutes.thematic", day, unit)
    elif kind == K.COMBINED:
        try:
            v = rule_version("meeting.min_minutes.combined", on=day, unit=unit)
        except RuleMissing:
            v = _version("meeting.min_minutes.thematic", day, unit)
    else:
        threshold = value("meeting.small_cell_threshold", day, unit)
        key = "meeting.min_minutes.small_cell" if size < threshold else "meeting.min_minutes.regular"
        v = _version(key, day, unit)
    return int(v.value), v


def optional(key, day, unit):
    """The value, or None when no version was in force on ``day`` (e.g. a meeting held before the rule)."""
    try:
        return rule(key, on=day, unit=unit)
    except RuleMissing:
        return None
