"""Party badges (Huy hiệu Đảng, DOMAIN.md §11): party age, occasions, eligibility and award decisions.

Party age counts from the admission decision (``Member.party_age_from``). Gaps are deducted: from a removal
or expulsion to the next admission (readmission) in the events, plus a manual adjustment in months with its
reason (``BadgeFlag``), since the deduction rule itself is unverified (DOMAIN.md §11). A restoration after
an annulled exit leaves no gap.

Eligibility for occasion D and milestone Y (rules ``badge.milestones_years``, ``badge.occasions``):
the member reaches Y years by D; or by D + N months when flagged seriously ill (N =
``badge.early_months_ill_30_65`` or ``…_70_90``); or, having died in the year before D, by the date of death
+ ``badge.posthumous_early_months``. Not when the milestone (or a higher one) was already awarded, and not
while deferred after discipline: a DISCIPLINED event (written by the inspection app, its form in the note)
defers until its date + ``badge.deferral_months_*`` of that form; a manual ``BadgeFlag.deferred_until``
still applies, the later of the two wins. When several milestones are open the highest reached is listed.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.core.audit import record
from dangbo.core.dates import add_months, years_before
from dangbo.lifecycle.models import BadgeAward, BadgeDecision, BadgeFlag
from dangbo.members.models import Member, MemberEvent
from dangbo.rules.registry import RuleMissing, rule

S = Member.Status
ELIGIBLE_STATUSES = (S.OFFICIAL, S.EXEMPTED)
EXIT_KINDS = (MemberEvent.Kind.REMOVED, MemberEvent.Kind.EXPELLED)
# The form of a DISCIPLINED event (its note: the Vietnamese name, or the code) → the deferral rule.
DEFERRAL_RULES = {
    "khien trach": "badge.deferral_months_reprimand",
    "reprimand": "badge.deferral_months_reprimand",
    "canh cao": "badge.deferral_months_warning",
    "warning": "badge.deferral_months_warning",
    "cach chuc": "badge.deferral_months_dismissal",
    "dismissal": "badge.deferral_months_dismissal",
}


def _rule(key, day, unit=None):
    try:
        return rule(key, on=day, unit=unit)
    except RuleMissing as e:
        raise ValidationError(str(e))


class RuleCache:
    """Rule values by (key, day) for one unit, so a list of thousands asks the registry a few times."""

    def __init__(self, unit=None):
        self.unit, self.values = unit, {}

    def __call__(self, key, day):
        if (key, day) not in self.values:
            self.values[key, day] = _rule(key, day, self.unit)
        return self.values[key, day]


def occasion_days(day, unit=None):
    """The (day, month) pairs of rule ``badge.occasions`` in force on ``day``: "03/02, 19/05, 02/09, 07/11"."""
    text = _rule("badge.occasions", day, unit)
    out = []
    for part in str(text).split(","):
        d, _sep, m = part.strip().partition("/")
        if d.isdigit() and m.isdigit():
            out.append((int(d), int(m)))
    return sorted(out, key=lambda dm: (dm[1], dm[0]))


def upcoming_occasions(today=None, n=4, unit=None):
    today = today or timezone.localdate()
    dates = []
    for year in (today.year, today.year + 1, today.year + 2):
        for d, m in occasion_days(datetime.date(year, 1, 1) if year > today.year else today, unit):
            day = datetime.date(year, m, d)
            if day >= today:
                dates.append(day)
    return sorted(set(dates))[:n]


def next_occasion(day_month, today=None):
    """The next date (from ``today`` on) that is ``(day, month)``: "the next 2/9"."""
    today = today or timezone.localdate()
    d, m = day_month
    day = datetime.date(today.year, m, d)
    return day if day >= today else datetime.date(today.year + 1, m, d)


def gap_days(member, events=None):
    """Days outside the Party between an exit (removal, expulsion) and a readmission, after party age starts."""
    start = member.party_age_from
    events = events if events is not None else list(member.events.order_by("date", "id"))
    total, left = 0, None
    for e in events:
        if start and e.date < start:
            continue
        if e.kind in EXIT_KINDS and left is None:
            left = e.date
        elif e.kind == MemberEvent.Kind.RESTORED and left is not None:
            left = None  # annulled: no gap
        elif e.kind == MemberEvent.Kind.ADMITTED and left is not None:
            total += (e.date - left).days
            left = None
    return total


def reached_on(member, years, *, flag=None, gaps=0):
    start = member.party_age_from
    if start is None:
        return None
    day = years_before(start, -years)  # 29/02 + Y years → 28/02 when that year has none
    if flag and flag.adjust_months:
        day = add_months(day, flag.adjust_months)
    return day + datetime.timedelta(days=gaps)


def discipline_deferral(events, occasion, rules):
    """The day until which DISCIPLINED ``events`` defer a badge (None when none does): each discipline in
    force by ``occasion`` defers for its form's months of good correction."""
    from dangbo.core.text import fold

    until = None
    for e in events:
        if e.kind != MemberEvent.Kind.DISCIPLINED or e.date > occasion:
            continue
        key = DEFERRAL_RULES.get(fold(e.note or "").strip())
        if key is None:
            continue
        day = add_months(e.date, rules(key, occasion))
        until = day if until is None or day > until else until
    return until


@dataclass
class Eligible:
    member: Member
    years: int
    reached_on: datetime.date
    early: str  # "", "illness", "posthumous"
    deferred_until: datetime.date | None = None

    @property
    def early_label(self):
        return dict(BadgeAward.Early.choices).get(self.early, "")


def evaluate(member, occasion, *, flag=None, awarded=(), events=None, unit=None, rules=None):
    """The milestone ``member`` may be awarded on ``occasion`` (an ``Eligible``), else None."""
    if member.party_age_from is None:
        return None
    rules = rules or RuleCache(unit)
    milestones = sorted(rules("badge.milestones_years", occasion))
    top_awarded = max(awarded, default=0)
    gaps = gap_days(member, events)
    posthumous = member.status == S.DECEASED
    if posthumous:
        death = next((e.date for e in reversed(events or []) if e.kind == MemberEvent.Kind.DECEASED), None)
        if death is None:
            death = (
                member.events.filter(kind=MemberEvent.Kind.DECEASED)
                .order_by("-date")
                .values_list("date", flat=True)
                .first()
            )
        if death is None or death > occasion or death < years_before(occasion, 1):
            return None
    elif member.status not in ELIGIBLE_STATUSES:
        return None
    best = None
    for years in milestones:
        if years <= top_awarded or years in awarded:
            continue
        reached = reached_on(member, years, flag=flag, gaps=gaps)
        if reached <= occasion and not posthumous:
            best = Eligible(member, years, reached, "")
        elif posthumous:
            window = rules("badge.posthumous_early_months", occasion)
            if reached <= add_months(death, window):
                best = Eligible(member, years, reached, "posthumous")
        elif flag and flag.seriously_ill:
            key = "badge.early_months_ill_30_65" if years <= 65 else "badge.early_months_ill_70_90"
            window = rules(key, occasion)
            if reached <= add_months(occasion, window):
                best = Eligible(member, years, reached, "illness")
    if best:
        if events is None:
            events = list(member.events.filter(kind=MemberEvent.Kind.DISCIPLINED))
        deferred = [
            d for d in (flag.deferred_until if flag else None, discipline_deferral(events, occasion, rules)) if d
        ]
        if deferred and max(deferred) > occasion:
            best.deferred_until = max(deferred)
    return best


def eligibility(members, occasion, *, unit=None, include_deferred=True):
    """``Eligible`` rows for ``members`` (a queryset in scope) on ``occasion``, in a few queries."""
    rules = RuleCache(unit)
    milestones = rules("badge.milestones_years", occasion)
    widest = max(
        rules("badge.early_months_ill_70_90", occasion),
        rules("badge.early_months_ill_30_65", occasion),
        rules("badge.posthumous_early_months", occasion),
    )
    # Nobody younger in the Party than the first milestone minus the widest early window can qualify.
    latest_start = add_months(years_before(occasion, min(milestones)), widest + 1)
    cutoff = years_before(occasion, 1)
    qs = (
        members.filter(status__in=[*ELIGIBLE_STATUSES, S.DECEASED])
        .exclude(admission_decision_date__isnull=True, admission_date__isnull=True)
        .exclude(admission_decision_date__gt=latest_start)
        .exclude(admission_decision_date__isnull=True, admission_date__gt=latest_start)
        .select_related("unit", "badge_flag")
        .order_by("unit__path", "sort_name", "pk")
    )
    members = list(qs)
    ids = [m.pk for m in members]
    awarded = {}
    for member_id, years in BadgeAward.objects.filter(member_id__in=ids).values_list("member_id", "years"):
        awarded.setdefault(member_id, set()).add(years)
    events = {}
    with_history = (
        MemberEvent.objects.filter(member_id__in=ids)
        .filter(kind__in=[*EXIT_KINDS, MemberEvent.Kind.DECEASED, MemberEvent.Kind.DISCIPLINED])
        .values_list("member_id", flat=True)
    )
    history_ids = set(with_history)
    for e in MemberEvent.objects.filter(member_id__in=history_ids).order_by("member_id", "date", "id"):
        events.setdefault(e.member_id, []).append(e)
    rows = []
    for m in members:
        if m.status == S.DECEASED:
            death = next((e.date for e in reversed(events.get(m.pk, [])) if e.kind == MemberEvent.Kind.DECEASED), None)
            if death is None or death < cutoff:
                continue
        flag = getattr(m, "badge_flag", None)
        row = evaluate(m, occasion, flag=flag, awarded=awarded.get(m.pk, ()), events=events.get(m.pk, []), rules=rules)
        if row and (include_deferred or not row.deferred_until):
            rows.append(row)
    return rows


@transaction.atomic
def award(*, members, occasion, number, signed_on, unit, actor, badge_numbers=None):
    """One decision awarding each of ``members`` the milestone they are eligible for on ``occasion``."""
    from dangbo.accounts.access import own_case_refusal
    from dangbo.lifecycle.access import can_act

    number = (number or "").strip()
    if not number:
        raise ValidationError(_("Give the number of the decision."))
    if not members:
        raise ValidationError(_("Choose at least one member."))
    if signed_on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    if (occasion.day, occasion.month) not in occasion_days(occasion, unit):
        raise ValidationError(
            _("%(day)s is not an occasion for awarding party badges.") % {"day": occasion.strftime("%d/%m/%Y")}
        )
    decision = BadgeDecision.objects.create(
        unit=unit, number=number, signed_on=signed_on, occasion=occasion, created_by=actor
    )
    locked = (
        Member.objects.select_for_update(of=("self",))
        .select_related("unit", "badge_flag")
        .filter(pk__in=[m.pk for m in members])
    )
    awards = []
    for m in locked:
        reason = actor is not None and own_case_refusal(actor, subjects=[m])
        if reason:
            raise ValidationError(reason)
        if actor is not None and not can_act(actor, m, "award"):
            raise ValidationError(_("%(name)s is outside the units you decide for.") % {"name": m.full_name})
        done = set(m.badges.values_list("years", flat=True))
        row = evaluate(
            m,
            occasion,
            flag=getattr(m, "badge_flag", None),
            awarded=done,
            events=list(m.events.order_by("date", "id")),
            unit=unit,
        )
        if row is None:
            if done:
                raise ValidationError(
                    _("%(name)s has already been awarded the badge of %(years)s years and is not due another.")
                    % {"name": m.full_name, "years": max(done)}
                )
            raise ValidationError(
                _("%(name)s is not eligible for a party badge on %(day)s.")
                % {"name": m.full_name, "day": occasion.strftime("%d/%m/%Y")}
            )
        if row.deferred_until:
            raise ValidationError(
                _("The award to %(name)s is deferred until %(day)s.")
                % {"name": m.full_name, "day": row.deferred_until.strftime("%d/%m/%Y")}
            )
        awards.append(
            BadgeAward(
                member=m,
                decision=decision,
                years=row.years,
                occasion=occasion,
                reached_on=row.reached_on,
                early=row.early,
                badge_number=(badge_numbers or {}).get(m.pk, ""),
            )
        )
    BadgeAward.objects.bulk_create(awards)
    record(
        actor=actor,
        action="lifecycle.badge_decision",
        obj=decision,
        unit=unit,
        changes={"awards": [None, len(awards)]},
        note=number,
    )
    return decision


@transaction.atomic
def set_flag(*, member, seriously_ill, deferred_until, deferral_reason, adjust_months, adjust_reason, actor):
    if adjust_months and not adjust_reason.strip():
        raise ValidationError(_("Give the reason for adjusting the party age."))
    if deferred_until and not deferral_reason.strip():
        raise ValidationError(_("Give the reason for the deferral (the discipline decision)."))
    flag, _created = BadgeFlag.objects.get_or_create(member=member)
    before = {
        "seriously_ill": flag.seriously_ill,
        "deferred_until": flag.deferred_until,
        "adjust_months": flag.adjust_months,
    }
    flag.seriously_ill = seriously_ill
    flag.deferred_until = deferred_until
    flag.deferral_reason = deferral_reason.strip()
    flag.adjust_months = adjust_months or 0
    flag.adjust_reason = adjust_reason.strip()
    flag.save()
    after = {
        "seriously_ill": flag.seriously_ill,
        "deferred_until": flag.deferred_until,
        "adjust_months": flag.adjust_months,
    }
    record(
        actor=actor,
        action="lifecycle.badge_flag",
        obj=member,
        unit=member.unit,
        changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
    )
    return flag
