"""The rule registry (DESIGN.md §5): ``rule("meeting.min_minutes.regular", on=day, unit=cell)``.

Resolution order: among versions in force on ``on``, a committee's override
for an ancestor of ``unit`` (the nearest one) beats the national value;
between versions of the same scope the latest ``effective_from`` wins.
The ancestors are those of ``on`` (``org.dated``): a cell moved out of a bloc
with a local rule is judged by it for the days before the move, and a move
dated in the future changes nothing before its date.

A fact of the past is never refused for want of a rule (issue 13): inside ``noting_unknown_rules()``
(every form a person posts, ``rules.middleware``), a rule asked for a past day before its first
version answers with that first version, and the case is noted so that a person confirms it
(``rules.unknown``). Outside, such a day raises ``RuleMissing`` as before.
"""

import contextlib
import contextvars
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.org.dated import ancestor_ids_on
from dangbo.rules.models import Rule, RuleVersion


class RuleMissing(LookupError):
    """No version of the rule applies (unknown key, or a date before its first version); the message
    is in Vietnamese so a view may show it as it is."""


@dataclass(frozen=True)
class Unknown:
    """A rule asked for ``day`` before any version of it: ``assumed`` (its first version) was applied."""

    key: str
    day: object
    unit_id: int | None
    assumed: RuleVersion


_noted = contextvars.ContextVar("dangbo_rules_unknown", default=None)


@contextlib.contextmanager
def noting_unknown_rules():
    """Within the block, a past day before a rule's first version takes that version; yields the list of
    ``Unknown`` cases met, in order, without repeats."""
    token = _noted.set([])
    try:
        yield _noted.get()
    finally:
        _noted.reset(token)


def _assume_first(rule, on, unit):
    """The first national version of ``rule`` when ``on`` is a past day before it, cases are noted and
    the rule lets its first version stand for earlier days (not the fees of 01-QĐ/TW: before them 342
    applied, with other values)."""
    noted = _noted.get()
    if noted is None or not rule.first_version_covers_past or on >= timezone.localdate():
        return None
    first = (
        RuleVersion.objects.filter(rule=rule, scope_unit__isnull=True, effective_from__gt=on)
        .select_related("rule")
        .order_by("effective_from", "pk")
        .first()
    )
    if first is None:
        return None
    case = Unknown(rule.key, on, getattr(unit, "pk", None), first)
    if case not in noted:
        noted.append(case)
    return first


def versions_in_force(key, *, on=None, unit=None, chain=None):
    """``chain``: the ids above ``unit`` on ``on`` (``ancestor_ids_on``), when the caller has them."""
    on = on or timezone.localdate()
    qs = (
        RuleVersion.objects.filter(rule__key=key, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=on))
        .select_related("rule", "scope_unit")
    )
    if unit is None:
        return qs.filter(scope_unit__isnull=True)
    ancestor_ids = chain if chain is not None else ancestor_ids_on(unit, on, include_self=True)
    return qs.filter(Q(scope_unit__isnull=True) | Q(scope_unit_id__in=ancestor_ids))


def rule_version(key, *, on=None, unit=None):
    """The RuleVersion that applies; store it on a decision to record which rule was applied."""
    on = on or timezone.localdate()
    chain = ancestor_ids_on(unit, on, include_self=True) if unit is not None else []
    candidates = list(versions_in_force(key, on=on, unit=unit, chain=chain))
    if not candidates:
        known = Rule.objects.filter(key=key).first()
        if known is None:
            raise RuleMissing(_("There is no rule %(key)s in the registry.") % {"key": key})
        assumed = _assume_first(known, on, unit)
        if assumed is not None:
            return assumed
        day = on.strftime("%d/%m/%Y")
        # People read the rule's name, not its key (issue 14 §2).
        raise RuleMissing(_("No rule %(key)s is in force on %(day)s.") % {"key": f"“{known.name}”", "day": day})

    # The nearest committee's override on that day wins: 0 for the national value, then down the chain.
    rank = {pk: i + 1 for i, pk in enumerate(chain)}
    return max(candidates, key=lambda v: (rank.get(v.scope_unit_id, 0), v.effective_from, v.pk))


_memo = contextvars.ContextVar("rule_lookups", default=None)


@contextlib.contextmanager
def lookups_once():
    """Within the block, ``rule`` reads each (key, unit) once (``rule_lookup``) and resolves every date from
    it: a page of many candidates of the same cells asks the database once per rule and cell, not per row."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def rule(key, *, on=None, unit=None):
    memo = _memo.get()
    if memo is not None:
        cache_key = (key, getattr(unit, "pk", None))
        if cache_key not in memo:
            if key not in memo:  # the versions of a key, read once for every unit (issue 15)
                memo[key] = _versions_of(key)
            memo[cache_key] = rule_lookup(key, unit=unit, versions=memo[key])
        value = memo[cache_key](on or timezone.localdate())
        if value is not None:
            return value
    return rule_version(key, on=on, unit=unit).value  # also says why no version applies


def _versions_of(key):
    """(national versions, committees' overrides) of ``key``."""
    qs = RuleVersion.objects.filter(rule__key=key).select_related("scope_unit")
    return list(qs.filter(scope_unit__isnull=True)), list(qs.filter(scope_unit__isnull=False))


def rule_lookup(key, *, unit=None, versions=None):
    """A function ``day -> value or None`` for many dates at once (an import of thousands of rows):
    the versions of ``key`` for ``unit`` are read in one query and resolved as ``rule_version`` does.
    ``versions``: ``_versions_of(key)`` when the caller has read them already."""
    versions, overrides = versions if versions is not None else _versions_of(key)
    chains = {}

    def value_on(day):
        in_force = [v for v in versions if v.covers(day)]
        if unit is not None and overrides:
            # The chain above ``unit`` on that day; only asked when some committee has an override.
            if day not in chains:
                chains[day] = {pk: i + 1 for i, pk in enumerate(ancestor_ids_on(unit, day, include_self=True))}
            rank = chains[day]
            in_force += [v for v in overrides if v.scope_unit_id in rank and v.covers(day)]
        else:
            rank = {}
        if not in_force:
            return None
        best = max(in_force, key=lambda v: (rank.get(v.scope_unit_id, 0), v.effective_from, v.pk))
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
    ancestor_ids = ancestor_ids_on(unit, on, include_self=True) if unit else []
    rank = {pk: i + 1 for i, pk in enumerate(ancestor_ids)}
    qs = qs.filter(Q(scope_unit__isnull=True) | Q(scope_unit_id__in=ancestor_ids))
    best = {}
    for v in qs:
        key = (rank.get(v.scope_unit_id, 0), v.effective_from, v.pk)
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
