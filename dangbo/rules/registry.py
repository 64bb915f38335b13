"""The rule registry (DESIGN.md §5): ``rule("meeting.min_minutes.regular", on=day, unit=cell)``.

Resolution order: among versions in force on ``on``, a committee's override
for an ancestor of ``unit`` (the nearest one) beats the national value;
between versions of the same scope the latest ``effective_from`` wins.
"""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.rules.models import RuleVersion


class RuleMissing(LookupError):
    pass


def versions_in_force(key, *, on=None, unit=None):
    on = on or timezone.localdate()
    qs = (
        RuleVersion.objects.filter(rule__key=key, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=on))
        .select_related("rule", "scope_unit")
    )
    if unit is None:
        return qs.filter(scope_unit__isnull=True)
    ancestor_ids = unit.ancestor_ids(include_self=True)
    return qs.filter(Q(scope_unit__isnull=True) | Q(scope_unit_id__in=ancestor_ids))


def rule_version(key, *, on=None, unit=None):
    """The RuleVersion that applies; store it on a decision to record which rule was applied."""
    candidates = list(versions_in_force(key, on=on, unit=unit))
    if not candidates:
        raise RuleMissing(_("No rule %(key)s is in force on %(day)s.") % {"key": key, "day": _fmt(on)})

    def depth(v):
        return len(v.scope_unit.path) if v.scope_unit_id else 0

    return max(candidates, key=lambda v: (depth(v), v.effective_from, v.pk))


def rule(key, *, on=None, unit=None):
    return rule_version(key, on=on, unit=unit).value


def _fmt(day):
    return (day or timezone.localdate()).strftime("%d/%m/%Y") if isinstance(day, datetime.date) or day is None else day
