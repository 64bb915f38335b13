"""The rules of discipline as functions (DOMAIN.md §7): who may decide which form for whom, the vote
thresholds, the limitation period and the deferrals. Each returns data or a Vietnamese reason; the
services refuse with it.

Authority matrix (296 Điều 10; QĐ 69; HD 08 — the finer lines of the last column are [unverified]):

=====================  ==============================================  ====================================
deciding body          members                                         organizations
=====================  ==============================================  ====================================
cell (its meeting)     its own members: reprimand, warning — not for   no
                       a task assigned by a higher level
cell committee         nothing (the chi ủy has no disciplinary power)  no
committee / standing   bloc or grassroots committee: every form, for   the organizations directly below
                       members of its subtree                          (reprimand, warning, dissolution)
inspection commission  of the bloc: every form; of a grassroots        no (the committee above decides)
                       committee: reprimand, warning
=====================  ==============================================  ====================================

and for every body: probationary members only reprimand or warning; removal from post only for a member
holding a post; organizations only reprimand, warning or dissolution.
"""

import datetime

from django.utils.translation import gettext as _

from dangbo.core.dates import add_months
from dangbo.inspection.models import Body, DisciplineCase, Form
from dangbo.members.models import Member
from dangbo.org.models import OrgUnit

K = OrgUnit.Kind
MEMBER_FORMS = (Form.REPRIMAND, Form.WARNING, Form.DISMISSAL, Form.EXPULSION)
PROBATIONARY_FORMS = (Form.REPRIMAND, Form.WARNING)
ORG_FORMS = (Form.REPRIMAND, Form.WARNING, Form.DISSOLUTION)
CELL_FORMS = (Form.REPRIMAND, Form.WARNING)
COMMITTEE_KINDS = (K.BLOC, K.GRASSROOTS_COMMITTEE)


def _label(form):
    return Form(form).label.lower()


def refusal(*, body, deciding_unit, form, member=None, org=None, higher_task=False, holds_post=False):
    """Why ``body`` of ``deciding_unit`` may not decide ``form`` for ``member`` (or ``org``); None when it may."""
    # What the object itself allows, whoever decides.
    if org is not None:
        if form not in ORG_FORMS:
            return _("A party organization can only be reprimanded, warned or dissolved.")
    else:
        if form not in MEMBER_FORMS:
            return _("A party member cannot be dissolved: choose reprimand, warning, removal from post or expulsion.")
        if member.status == Member.Status.PROBATIONARY and form not in PROBATIONARY_FORMS:
            return _("A probationary member can only be reprimanded or warned.")
        if form == Form.DISMISSAL and not holds_post:
            return _("Removal from post applies only to a member who holds a post.")
    if body == Body.CELL_COMMITTEE:
        return _("The cell committee (chi ủy) has no disciplinary power: the cell's meeting decides.")
    if body == Body.CELL:
        if deciding_unit.kind not in OrgUnit.CELL_KINDS:
            return _("Only a party cell decides as a cell.")
        if org is not None:
            return _("A cell does not discipline organizations: the committee directly above decides.")
        if member.unit_id != deciding_unit.pk:
            return _("A cell disciplines only its own members.")
        if higher_task:
            return _(
                "The violation concerns a task assigned by a higher level: the cell proposes the discipline to the "
                "competent committee and does not decide it."
            )
        if form not in CELL_FORMS:
            return _(
                "A cell decides only a reprimand or a warning; it proposes a %(form)s to the competent committee."
            ) % {"form": _label(form)}
        return None
    if deciding_unit.kind not in COMMITTEE_KINDS:
        return _("%(unit)s is not a committee with disciplinary power over this case.") % {"unit": deciding_unit.name}
    if org is not None:
        if body == Body.COMMISSION:
            return _(
                "An inspection commission does not discipline organizations: the committee directly above decides."
            )
        if org.parent_id != deciding_unit.pk:
            return _("An organization is disciplined by the committee directly above it, not by %(unit)s.") % {
                "unit": deciding_unit.name
            }
        return None
    if not member.unit.path.startswith(deciding_unit.path):
        return _("%(name)s is not a member under %(unit)s.") % {"name": member.full_name, "unit": deciding_unit.name}
    if body == Body.COMMISSION and deciding_unit.kind != K.BLOC and form not in CELL_FORMS:
        return _("The inspection commission of a grassroots committee decides only a reprimand or a warning.")
    return None


def case_refusal(case, form):
    return refusal(
        body=case.deciding_body,
        deciding_unit=case.deciding_unit,
        form=form,
        member=case.member,
        org=case.org,
        higher_task=case.higher_task,
        holds_post=case.holds_post,
    )


# ---- votes ------------------------------------------------------------------------------------------
def more_than(in_favour, total, ratio):
    """Strictly more than ``ratio`` of ``total`` (1/2: 5 of 10 is not enough, 6 of 10 is)."""
    num, den = ratio
    return in_favour * den > total * num


def at_least(in_favour, total, ratio):
    """At least ``ratio`` of ``total`` (2/3: 6 of 9 is enough, 5 of 9 is not)."""
    num, den = ratio
    return in_favour * den >= total * num


# ---- limitation ---------------------------------------------------------------------------------------
def limitation_years_key(form):
    """The rule key of the limitation period for ``form``, or None when there is none: expulsion of a
    member and dissolution of an organization (QĐ 69 Điều 4; docs/rules.md)."""
    if form == Form.REPRIMAND:
        return "discipline.limitation_years_reprimand"
    if form in (Form.WARNING, Form.DISMISSAL):
        return "discipline.limitation_years_warning"
    return None


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29/02 in a year without one
        return day.replace(year=day.year + years, day=28)


def limitation_ends(*, violation_on, later_violations, years):
    """The first day on which the violation of ``violation_on`` can no longer be disciplined.

    The period runs ``years`` from the violation; a new violation before it runs out starts it again from
    the new violation (QĐ 69 Điều 4). ``later_violations``: dates of the member's other violations. Counted
    as the civil code counts a period in years (Bộ luật Dân sự 2015, Điều 147–148; docs/rules.md): it ends
    at the end of the anniversary day, so that day can still be disciplined and the next cannot.
    """
    start = violation_on
    for day in sorted(d for d in later_violations if d and d > violation_on):
        if day <= add_years(start, years):
            start = day
    return add_years(start, years) + datetime.timedelta(days=1)


def limitation_end_for(case, form, rules, on):
    """``limitation_ends`` for a case (None: no limitation — an exempt category or expulsion), under the
    rule in force on ``on`` (the day of the vote)."""
    if case.category != DisciplineCase.Category.ORDINARY:
        return None
    key = limitation_years_key(form)
    if key is None:
        return None
    later = [case.new_violation_on]
    if case.member_id:
        # Another case of the member is a new violation, unless it was closed without discipline: such a
        # case restarts nothing (QĐ 69 Điều 4; docs/rules.md).
        later += list(
            DisciplineCase.objects.filter(member_id=case.member_id)
            .exclude(pk=case.pk)
            .exclude(state=DisciplineCase.State.NOT_DISCIPLINED)
            .values_list("violation_on", flat=True)
        )
    return limitation_ends(violation_on=case.violation_on, later_violations=later, years=rules(key, on))


# ---- deferral -----------------------------------------------------------------------------------------
def deferral_covering(deferrals, day):
    """The deferral in force on ``day`` (both ends included), or None."""
    return next((d for d in deferrals if d.starts_on <= day <= d.ends_on), None)


def infant_deferral_end(born_on, months):
    """A child born on ``born_on`` is under ``months`` months until the day before that many months."""
    return add_months(born_on, months) - datetime.timedelta(days=1)
