"""From points and gates to a level (Quy định 366 Điều 11; HD 21-HD/BTCTW; DOMAIN.md §8).

Every number comes from the rule registry, read once per unit and period end (``thresholds``). The level is
the one the points give, lowered by the gates: excellent needs no task late and enough tasks exceeding the
requirements; good needs no task late; complete allows a share of late tasks; a discipline in force during
the period, a disqualifying case or too few targets achieved make it "not complete". Exempted and suspended
members are not classified.
"""

from dataclasses import asdict, dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from dangbo.members.models import Member
from dangbo.review.models import Level
from dangbo.rules.registry import rule

KEYS = {
    "excellent": "review.excellent_min_points",
    "good": "review.good_min_points",
    "complete": "review.complete_min_points",
    "exceeding_min": "review.excellent_exceeding_min_percent",
    "late_max": "review.complete_max_late_percent",
    "targets_min": "review.targets_min_percent",
    "quota_percent": "review.excellent_quota_percent_of_good",
    "quota_mode": "review.excellent_quota_mode",
    "common_max": "review.common_max_points",
    "results_max": "review.results_max_points",
    "failed_years": "removal.failed_review_years",
}


@dataclass(frozen=True)
class Thresholds:
    excellent: Decimal
    good: Decimal
    complete: Decimal
    exceeding_min: Decimal
    late_max: Decimal
    targets_min: Decimal
    quota_percent: Decimal
    quota_mode: str
    common_max: Decimal
    results_max: Decimal
    failed_years: int

    def as_json(self):
        return {k: str(v) for k, v in asdict(self).items()}


def thresholds(unit, on):
    values = {name: rule(key, on=on, unit=unit) for name, key in KEYS.items()}
    return Thresholds(
        **{
            k: (v if k == "quota_mode" else int(v) if k == "failed_years" else Decimal(str(v)))
            for k, v in values.items()
        }
    )


def not_classified_reason(status):
    if status == Member.Status.EXEMPTED:
        return _("Exempted from party work and meetings: not classified.")
    if status == Member.Status.SUSPENDED:
        return _("Suspended from party activity: not classified.")
    return ""


def level_from_points(score, t):
    if score >= t.excellent:
        return Level.EXCELLENT
    if score >= t.good:
        return Level.GOOD
    if score >= t.complete:
        return Level.COMPLETE
    return Level.NOT_COMPLETE


def classify(
    *,
    score,
    t,
    status=Member.Status.OFFICIAL,
    disciplined=(),
    disqualifier="",
    disqualifier_note="",
    late=None,
    exceeding=None,
    targets=None,
):
    """(level, reasons) for one member. ``disciplined``: the DISCIPLINED events dated in the period."""
    reason = not_classified_reason(status)
    if reason:
        return Level.NOT_CLASSIFIED, [reason]
    reasons = []
    for ev in disciplined:
        reasons.append(
            _("Disciplined on %(day)s (%(form)s): not completing tasks.")
            % {"day": ev.date.strftime("%d/%m/%Y"), "form": ev.note or ev.decision_no or "—"}
        )
    if disqualifier:
        from dangbo.review.models import MemberReview

        label = MemberReview.Disqualifier(disqualifier).label
        reasons.append(_("%(case)s: %(note)s.") % {"case": label, "note": disqualifier_note.strip().rstrip(".")})
    if targets is not None and targets < t.targets_min:
        reasons.append(
            _("Achieved %(p)s%% of the assigned targets, under %(min)s%%: not completing tasks.")
            % {"p": _num(targets), "min": _num(t.targets_min)}
        )
    if reasons:
        return Level.NOT_COMPLETE, reasons
    level = level_from_points(score, t)
    late = late or Decimal(0)
    exceeding = exceeding or Decimal(0)
    if level == Level.EXCELLENT and (exceeding < t.exceeding_min or late > 0):
        reasons.append(
            _("%(p)s points, but excellence needs every task on time and at least %(min)s%% exceeding requirements.")
            % {"p": _num(score), "min": _num(t.exceeding_min)}
        )
        level = Level.GOOD
    if level == Level.GOOD and late > 0:
        reasons.append(_("Good needs every task on time; %(late)s%% were late.") % {"late": _num(late)})
        level = Level.COMPLETE
    if level == Level.COMPLETE and late > t.late_max:
        reasons.append(
            _("Over %(max)s%% of tasks late (%(late)s%%): not completing tasks.")
            % {"max": _num(t.late_max), "late": _num(late)}
        )
        level = Level.NOT_COMPLETE
    return level, reasons


def classify_unit(*, score, t, leader_disciplined=False):
    """An organization's level: points, and for excellence no leadership member disciplined in the period."""
    level = level_from_points(score, t)
    reasons = []
    if level == Level.EXCELLENT and leader_disciplined:
        reasons.append(_("A member holding a leadership post was disciplined in the period: not excellent."))
        level = Level.GOOD
    return level, reasons


def quota_exceeded(excellent, good, t):
    """Excellent may not exceed ``quota_percent`` of good in a grassroots organization (exactly the share is
    allowed). Integer arithmetic: 2 excellent of 10 good is 20%, allowed; 3 is not."""
    return Decimal(excellent) * 100 > t.quota_percent * Decimal(good)


def quota_max(good, t):
    return int((t.quota_percent * Decimal(good)) // 100)


def _num(value):
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", ",")
