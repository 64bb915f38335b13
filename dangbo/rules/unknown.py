"""Facts of the past entered before any version of a rule they needed (issue 13).

``rules.registry.noting_unknown_rules`` lets such a fact through with the rule's first version; this
module keeps each case (``UnknownRuleCase``) for a person to confirm, and opens them for a user.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.accounts.access import is_bloc_office, is_staff_user
from dangbo.core import audit
from dangbo.org.access import units_visible_to
from dangbo.rules.models import UnknownRuleCase


def record_cases(cases, *, actor, page):
    """Keep each noted case once (the same rule, day, unit and page are one case); returns those kept."""
    kept = []
    with transaction.atomic():
        for c in cases:
            case, created = UnknownRuleCase.objects.get_or_create(
                rule=c.assumed.rule,
                day=c.day,
                unit_id=c.unit_id,
                page=page[:500],
                defaults={"assumed": c.assumed, "entered_by": actor if getattr(actor, "pk", None) else None},
            )
            if created:
                audit.record(actor=actor, action="rule_unknown", obj=case, unit=case.unit, note=case.page)
            kept.append(case)
    return kept


def cases_for(user):
    """The cases a user may see: those of units in their scope; those of no unit for the bloc office."""
    if not is_staff_user(user):
        return UnknownRuleCase.objects.none()
    scope = Q(unit__in=units_visible_to(user).values("pk"))
    if is_bloc_office(user):
        scope |= Q(unit__isnull=True)
    return UnknownRuleCase.objects.filter(scope).select_related("rule", "unit", "assumed", "entered_by", "confirmed_by")


def get_case_for_user(user, pk):
    case = cases_for(user).filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def confirm(*, case, actor, note=""):
    """The bloc office confirms that the applied version held on that day; not the one who entered it."""
    if case.confirmed_at:
        raise ValidationError(_("This case has already been confirmed."))
    if case.entered_by_id and case.entered_by_id == actor.pk:
        raise ValidationError(_("The case is confirmed by someone other than the person who entered the fact."))
    with transaction.atomic():
        case.confirmed_by, case.confirmed_at, case.note = actor, timezone.now(), note.strip()
        case.save(update_fields=["confirmed_by", "confirmed_at", "note"])
        audit.record(actor=actor, action="confirm", obj=case, unit=case.unit, note=case.note)
    return case
