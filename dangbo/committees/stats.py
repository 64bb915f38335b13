"""Committee figures: who sat on the committees of a subtree on a day, by age, sex, education and theory."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from dangbo.committees.models import Seat
from dangbo.core.dates import years_before
from dangbo.members.models import Member

UNIVERSITY = (Member.Qualification.BACHELOR, Member.Qualification.MASTER, Member.Qualification.DOCTOR)
HIGH_THEORY = (Member.TheoryLevel.ADVANCED, Member.TheoryLevel.BACHELOR)


def seats_on(day, units_qs):
    """Committee seats (not inspection) in force on ``day`` in ``units_qs``."""
    return Seat.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gt=day),
        unit_id__in=units_qs.values("pk"),
        start_date__lte=day,
        position__in=Seat.COMMITTEE_POSITIONS,
    )


def percent(part, whole):
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def composition(day, units_qs):
    """Counts and percentages of the committee members (each person once) on ``day``."""
    seats = seats_on(day, units_qs)
    people = Member.objects.filter(pk__in=seats.values("member_id")).values_list(
        "sex", "birth_date", "qualification", "theory_level"
    )
    cutoff = years_before(day, 40)
    n = women = young = university = theory = 0
    for sex, birth, qualification, theory_level in people:
        n += 1
        women += sex == Member.Sex.FEMALE
        young += bool(birth and birth > cutoff)
        university += qualification in UNIVERSITY
        theory += theory_level in HIGH_THEORY
    return {
        "day": day,
        "units": seats.values("unit_id").distinct().count(),
        "members": n,
        "women": women,
        "women_percent": percent(women, n),
        "under_40": young,
        "under_40_percent": percent(young, n),
        "university": university,
        "university_percent": percent(university, n),
        "high_theory": theory,
        "high_theory_percent": percent(theory, n),
    }
