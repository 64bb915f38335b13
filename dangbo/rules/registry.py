"""The rule registry (DESIGN.md §5): ``rule("meeting.min_minutes.regular", on=day, unit=cell)``.

Resolution order: among versions in force on ``on``, a committee's override
for an ancestor of ``unit`` (the nearest one) beats the national value;
between versions of the same scope the latest ``effective_from`` wins.
"""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.rules.models import Rule, RuleVersion


class RuleMissing(LookupError):
    """No version of the rule applies (unknown key, or a date before its first version); the message
    is in Vietnamese so a view may show it as it is."""


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
        if not Rule.objects.filter(key=key).exists():
            raise RuleMissing(_("There is no rule %(key)s in the registry.") % {"key": key})
        day = (on or timezone.localdate()).strftime("%d/%m/%Y")
        raise RuleMissing(_("No rule %(key)s is in force on %(day)s.") % {"key": key, "day": day})

    def depth(v):
        return len(v.scope_unit.path) if v.scope_unit_id else 0

    return max(candidates, key=lambda v: (depth(v), v.effective_from, v.pk))


def rule(key, *, on=None, unit=None):
    return rule_version(key, on=on, unit=unit).value


def rule_lookup(key, *, unit=None):
    """A function ``day -> value or None`` for many dates at once (an import of thousands of rows):
    the versions of ``key`` for ``unit`` are read in one query and resolved as ``rule_version`` does."""
    qs = RuleVersion.objects.filter(rule__key=key).select_related("scope_unit")
    ancestor_ids = unit.ancestor_ids(include_self=True) if unit else []
    versions = list(qs.filter(Q(scope_unit__isnull=True) | Q(scope_unit_id__in=ancestor_ids)))

    def value_on(day):
        in_force = [v for v in versions if v.covers(day)]
        if not in_force:
            return None
        best = max(in_force, key=lambda v: (len(v.scope_unit.path) if v.scope_unit_id else 0, v.effective_from, v.pk))
        return best.value

    return value_on


def rules_in_force(*, on=None, unit=None):
    """{key: RuleVersion} of every rule on ``on`` for ``unit``, in one query (the rules page)."""
    on = on or timezone.localdate()
    qs = (
        RuleVersion.objects.filter(effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=on))
        .select_related("rule", "scope_unit")
    )
    ancestor_ids = unit.ancestor_ids(include_self=True) if unit else []
    qs = qs.filter(Q(scope_unit__isnull=True) | Q(scope_unit_id__in=ancestor_ids))
    best = {}
    for v in qs:
        key = (len(v.scope_unit.path) if v.scope_unit_id else 0, v.effective_from, v.pk)
        if v.rule.key not in best or key > best[v.rule.key][0]:
            best[v.rule.key] = (key, v)
    return {k: v for k, (_key, v) in best.items()}


def format_value(value, value_unit):
    """The value as people read it: 2/3, 30, 40, 45 …, 0,5 %."""
    if value_unit == Rule.ValueUnit.RATIO and isinstance(value, list) and len(value) == 2:
        return f"{value[0]}/{value[1]}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    text = f"{value:g}".replace(".", ",") if isinstance(value, float) else str(value)
    if value_unit == Rule.ValueUnit.PERCENT:
        return f"{text} %"
    if value_unit in (Rule.ValueUnit.COUNT, Rule.ValueUnit.TEXT, Rule.ValueUnit.LIST):
        return text
    return f"{text} {Rule.ValueUnit(value_unit).label}"
