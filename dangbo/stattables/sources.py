"""The named figures the statistical tables read, for a unit's subtree over a period [start, end].

Everything comes from the events (MemberEvent, and the intervals derived from them) and the tree of the
period (``org.dated``): the members on the books the day before the period began and on its last day
(``members.intervals.members_on``), the events dated inside it, the structure of the members on the last
day, and the organizations by kind and sector on that day. A fixed number of queries whatever the number
of members: conditional aggregates and a few groupings whose rows grow with units or with the distinct
values of a field, never with the members.

The names are the vocabulary of the table files (see ``FIGURES``); ``dt_<name>`` / ``tg_<name>`` (and
``…_nu``, the women among them) are the members of an ethnic group / a religion, ``<name>`` being the
group's name folded (``fold``) with ``_`` between the words: ``dt_tay`` for "Tày", ``tg_phat_giao``.
"""

import datetime
import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, ExtractYear

from dangbo.core.dates import years_before
from dangbo.core.text import fold
from dangbo.members.intervals import intervals_on, members_on
from dangbo.members.models import Member, MemberEvent, MemberInterval
from dangbo.org.dated import subtree_on
from dangbo.org.models import OrgUnit, OrgUnitVersion

S = Member.Status
EK = MemberEvent.Kind
K = OrgUnit.Kind

# Age bands of the 2021 set (Biểu 2, 3): inclusive years; None above.
AGE_BANDS = [(18, 30), (31, 35), (36, 40), (41, 45), (46, 50), (51, 55), (56, 60), (61, None)]
# Admission eras (Biểu 3 II.3): [from, to] inclusive, None open.
ERAS = {
    "era_before_1945": (None, datetime.date(1945, 8, 18)),
    "era_1945_1954": (datetime.date(1945, 8, 19), datetime.date(1954, 7, 20)),
    "era_1954_1975": (datetime.date(1954, 7, 21), datetime.date(1975, 4, 30)),
    "era_from_1975": (datetime.date(1975, 5, 1), None),
}
SECTORS = [*OrgUnit.Sector.values, "none"]
ORG_KINDS = {
    "gc": K.GRASSROOTS_COMMITTEE,
    "gcell": K.GRASSROOTS_CELL,
    "sub": K.SUB_COMMITTEE,
    "scell": K.SUBORDINATE_CELL,
    "group": K.PARTY_GROUP,
    "bloc": K.BLOC,
}
NO_RELIGION = {"", "khong", "none", "khong ton giao"}

# Every fixed name a table may read, with what it counts (shown to the office on the table file page).
FIGURES = {
    "members_start": "members on the books the day before the period",
    "members_end": "members on the books on the last day",
    "admitted": "admitted in the period",
    "in_outside": "transferred in from outside the system",
    "in_inside": "transferred in from another unit of the system outside the subtree",
    "restored": "membership restored after removal or expulsion",
    "deceased": "deceased",
    "expelled": "expelled",
    "removed": "removed from the list",
    "removed_probationary": "removed from the list while probationary",
    "resigned": "asked to leave the party (not recorded separately: always 0)",
    "out_outside": "transferred out of the system",
    "out_inside": "transferred to another unit of the system outside the subtree",
    "women": "women on the last day",
    "probationary": "probationary members",
    "official": "official members",
    "exempted": "exempted from party work and activity",
    "suspended": "suspended",
    "minority": "ethnic minorities (recorded ethnicity other than Kinh)",
    "religious": "followers of a religion",
    "age_under_18": "younger than 18",
    "age_unknown": "date of birth not recorded",
    "age_average": "average age (years, one decimal)",
    "edu_literate": "general education: can read and write",
    "edu_primary": "general education: primary",
    "edu_lower_secondary": "general education: lower secondary",
    "edu_upper_secondary": "general education: upper secondary",
    "edu_unknown": "general education not recorded",
    "era_unknown": "admission date not recorded",
    "org_members_unassigned": "members of units outside any grassroots organization",
}
for low, high in AGE_BANDS:
    FIGURES[f"age_{low}_{high}" if high else f"age_over_{low - 1}"] = "age band"
for key in ERAS:
    FIGURES[key] = "admission era"
for value in Member.Qualification.values:
    FIGURES[f"qual_{value}"] = "professional qualification"
FIGURES["qual_unknown"] = "professional qualification not recorded"
for value in Member.TheoryLevel.values:
    FIGURES[f"theory_{value}"] = "political theory level"
FIGURES["theory_unknown"] = "political theory level not recorded"
for short in ORG_KINDS:
    FIGURES[f"org_{short}"] = "organizations of a kind"
    for sector in SECTORS:
        FIGURES[f"org_{sector}_{short}"] = "organizations of a kind in a sector (of their grassroots)"
for sector in SECTORS:
    FIGURES[f"mem_{sector}"] = "members in the grassroots organizations of a sector"
FIGURES.update(
    {
        "new_total": "admitted in the period (structure of the new members below)",
        "new_women": "women admitted",
        "new_minority": "ethnic minorities admitted",
        "new_religious": "followers of a religion admitted",
        "new_age_unknown": "admitted, date of birth not recorded",
        "new_age_average": "average age at admission (by years)",
        "new_qual_unknown": "admitted, qualification not recorded",
        "new_gc_admitting": "grassroots committees that admitted someone",
        "new_gcell_admitting": "grassroots cells that admitted someone",
    }
)
for low, high in AGE_BANDS:
    FIGURES["new_" + (f"age_{low}_{high}" if high else f"age_over_{low - 1}")] = "age at admission (by years)"
for value in Member.Qualification.values:
    FIGURES[f"new_qual_{value}"] = "qualification of the admitted"
for key in ("edu_literate", "edu_primary", "edu_lower_secondary", "edu_upper_secondary", "edu_unknown"):
    FIGURES["new_" + key] = "general education of the admitted"
OPEN_PREFIXES = ("dt_", "tg_")


def is_known(name):
    return name in FIGURES or name.startswith(OPEN_PREFIXES)


def slug(text):
    return re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")


def _age_band_name(low, high):
    return f"age_{low}_{high}" if high else f"age_over_{low - 1}"


def _education_band(value):
    """'12/12', '9/12', '7/10' → the figure name of its level (biết đọc viết, tiểu học, THCS, THPT)."""
    m = re.fullmatch(r"\s*(\d{1,2})\s*/\s*(10|12)\s*", value or "")
    if not m:
        return "edu_literate" if fold(value).startswith("biet doc") else "edu_unknown"
    grade, system = int(m.group(1)), int(m.group(2))
    primary, lower = (5, 9) if system == 12 else (4, 7)
    if grade <= 0:
        return "edu_literate"
    if grade <= primary:
        return "edu_primary"
    if grade <= lower:
        return "edu_lower_secondary"
    return "edu_upper_secondary"


def _closing(inside, end):
    """Structure of the members on the books on ``end``: one aggregate and four groupings."""
    qs = intervals_on(end).filter(unit_id__in=inside, status__in=Member.CURRENT_STATUSES)
    m = "member__"
    agg = {
        "members_end": Count("id"),
        "women": Count("id", filter=Q(member__sex=Member.Sex.FEMALE)),
        "probationary": Count("id", filter=Q(status=S.PROBATIONARY)),
        "official": Count("id", filter=Q(status=S.OFFICIAL)),
        "exempted": Count("id", filter=Q(status=S.EXEMPTED)),
        "suspended": Count("id", filter=Q(status=S.SUSPENDED)),
        "age_unknown": Count("id", filter=Q(member__birth_date__isnull=True)),
        "age_under_18": Count("id", filter=Q(member__birth_date__gt=years_before(end, 18))),
        "era_unknown": Count("id", filter=Q(party_from__isnull=True)),
        "qual_unknown": Count("id", filter=Q(member__qualification="")),
        "theory_unknown": Count("id", filter=Q(member__theory_level="")),
    }
    for low, high in AGE_BANDS:
        cond = Q(**{f"{m}birth_date__lte": years_before(end, low)})
        if high is not None:
            cond &= Q(**{f"{m}birth_date__gt": years_before(end, high + 1)})
        agg[_age_band_name(low, high)] = Count("id", filter=cond)
    for key, (first, last) in ERAS.items():
        cond = Q(party_from__isnull=False)
        if first:
            cond &= Q(party_from__gte=first)
        if last:
            cond &= Q(party_from__lte=last)
        agg[key] = Count("id", filter=cond)
    for value in Member.Qualification.values:
        agg[f"qual_{value}"] = Count("id", filter=Q(member__qualification=value))
    for value in Member.TheoryLevel.values:
        agg[f"theory_{value}"] = Count("id", filter=Q(member__theory_level=value))
    out = qs.annotate(party_from=Coalesce("member__admission_decision_date", "member__admission_date")).aggregate(**agg)
    # Average age from the years of birth (one row per year).
    total = n = 0
    for year, count in (
        qs.exclude(member__birth_date__isnull=True)
        .values_list("member__birth_date__year")
        .annotate(c=Count("id"))
        .order_by()
    ):
        total += (end.year - year) * count
        n += count
    out["age_average"] = (Decimal(total) / n).quantize(Decimal("0.1"), ROUND_HALF_UP) if n else None
    # General education: one row per recorded value.
    for key in ("edu_literate", "edu_primary", "edu_lower_secondary", "edu_upper_secondary", "edu_unknown"):
        out[key] = 0
    for value, count in qs.values_list("member__general_education").annotate(c=Count("id")).order_by():
        out[_education_band(value)] += count
    # Ethnicity and religion, with the women among them.
    minority = religious = 0
    for field, prefix in (("ethnicity", "dt_"), ("religion", "tg_")):
        rows = (
            qs.values_list(f"member__{field}")
            .annotate(c=Count("id"), w=Count("id", filter=Q(member__sex=Member.Sex.FEMALE)))
            .order_by()
        )
        for value, count, women in rows:
            key = slug(value)
            if not key:
                continue
            out[prefix + key] = out.get(prefix + key, 0) + count
            out[f"{prefix}{key}_nu"] = out.get(f"{prefix}{key}_nu", 0) + women
            if prefix == "dt_" and key != "kinh":
                minority += count
            if prefix == "tg_" and fold(value) not in NO_RELIGION:
                religious += count
    out["minority"], out["religious"] = minority, religious
    return out


def _events(inside, start, end):
    """Increases and decreases of the subtree (the tree of ``end``) by the events dated in [start, end]."""
    before = MemberInterval.objects.filter(member_id=OuterRef("member_id"), valid_from__lt=OuterRef("date")).order_by(
        "-valid_from"
    )
    at = MemberInterval.objects.filter(member_id=OuterRef("member_id"), valid_from=OuterRef("date"))
    qs = MemberEvent.objects.filter(date__gte=start, date__lte=end).annotate(
        unit_before=Subquery(before.values("unit_id")[:1]),
        status_before=Subquery(before.values("status")[:1]),
        unit_at=Coalesce(F("to_unit_id"), Subquery(at.values("unit_id")[:1]), output_field=IntegerField()),
    )
    was_in = Q(unit_before__in=inside, status_before__in=Member.CURRENT_STATUSES)
    from_in = Q(from_unit_id__in=inside)
    to_in = Q(to_unit_id__in=inside)
    return qs.aggregate(
        admitted=Count("id", filter=Q(kind=EK.ADMITTED, unit_at__in=inside)),
        in_outside=Count("id", filter=Q(kind=EK.TRANSFERRED_IN, from_unit__isnull=True) & to_in),
        in_inside=Count("id", filter=Q(kind=EK.TRANSFERRED_IN, from_unit__isnull=False) & to_in & ~from_in),
        restored=Count(
            "id",
            filter=Q(kind=EK.RESTORED, unit_at__in=inside, status_before__in=(S.REMOVED, S.EXPELLED)),
        ),
        deceased=Count("id", filter=Q(kind=EK.DECEASED) & was_in),
        expelled=Count("id", filter=Q(kind=EK.EXPELLED) & was_in),
        removed=Count("id", filter=Q(kind=EK.REMOVED) & was_in),
        removed_probationary=Count(
            "id", filter=Q(kind=EK.REMOVED, unit_before__in=inside, status_before=S.PROBATIONARY)
        ),
        out_outside=Count("id", filter=Q(kind=EK.TRANSFERRED_OUT) & from_in),
        out_inside=Count("id", filter=Q(kind=EK.TRANSFERRED_IN, to_unit__isnull=False) & from_in & ~to_in),
    )


def _organizations(ids, end):
    """Organizations by kind (and by the sector of their grassroots) on ``end``, and their members."""
    versions = (
        OrgUnitVersion.objects.filter(unit_id__in=ids, valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=end))
        .order_by("valid_from", "id")
        .values_list("unit_id", "kind", "sector", "parent_id")
    )
    units = {}
    for unit_id, kind, sector, parent_id in versions:
        units[unit_id] = (kind, sector, parent_id)
    # The grassroots organization each unit belongs to (itself for a grassroots one).
    grassroots = {}

    def root_of(pk, seen=()):
        if pk in grassroots:
            return grassroots[pk]
        info = units.get(pk)
        if info is None or pk in seen:
            return None
        found = pk if info[0] in OrgUnit.GRASSROOTS_KINDS else root_of(info[2], (*seen, pk))
        grassroots[pk] = found
        return found

    out = {f"org_{short}": 0 for short in ORG_KINDS}
    for sector in SECTORS:
        out[f"mem_{sector}"] = 0
        for short in ORG_KINDS:
            out[f"org_{sector}_{short}"] = 0
    short_of = {kind: short for short, kind in ORG_KINDS.items()}

    def sector_of(pk):
        root = root_of(pk)
        return (units[root][1] or "none") if root else None

    for pk, (kind, _sector, _parent) in units.items():
        short = short_of.get(kind)
        out[f"org_{short}"] += 1
        sector = sector_of(pk)
        if sector:
            out[f"org_{sector}_{short}"] += 1
    out["org_members_unassigned"] = 0
    counts = (
        intervals_on(end)
        .filter(unit_id__in=ids, status__in=Member.CURRENT_STATUSES)
        .values_list("unit_id")
        .annotate(c=Count("id"))
        .order_by()
    )
    for unit_id, count in counts:
        sector = sector_of(unit_id)
        if sector:
            out[f"mem_{sector}"] += count
        else:
            out["org_members_unassigned"] += count
    return out, root_of, units


def figures(unit, start, end):
    """{name: value} for ``unit``'s subtree over [start, end] (both days included)."""
    out = defaultdict(int)
    out["members_start"] = members_on(start - datetime.timedelta(days=1), unit).count()
    inside = subtree_on(unit, end)  # the tree of the period's last day, asked once
    out.update(_closing(inside, end))
    out.update(_events(inside, start, end))
    out["resigned"] = 0
    orgs, root_of, units = _organizations(inside, end)
    out.update(orgs)
    out.update(_admitted(inside, start, end, root_of, units))
    return out


def _admitted(inside, start, end, root_of, units):
    """The members admitted in [start, end] into the subtree: who they are (one aggregate), and the
    grassroots organizations that admitted someone (one grouping by unit)."""
    at = MemberInterval.objects.filter(member_id=OuterRef("member_id"), valid_from=OuterRef("date"))
    qs = (
        MemberEvent.objects.filter(kind=EK.ADMITTED, date__gte=start, date__lte=end)
        .annotate(unit_at=Coalesce(F("to_unit_id"), Subquery(at.values("unit_id")[:1]), output_field=IntegerField()))
        .filter(unit_at__in=inside)
        .annotate(age=ExtractYear("date") - ExtractYear("member__birth_date"))
    )
    agg = {
        "new_total": Count("id"),
        "new_women": Count("id", filter=Q(member__sex=Member.Sex.FEMALE)),
        "new_minority": Count("id", filter=~Q(member__ethnicity__in=("", "Kinh", "kinh"))),
        "new_religious": Count("id", filter=~Q(member__religion__in=("", "Không", "không", "Không tôn giáo"))),
        "new_age_unknown": Count("id", filter=Q(member__birth_date__isnull=True)),
        "new_qual_unknown": Count("id", filter=Q(member__qualification="")),
    }
    for low, high in AGE_BANDS:
        cond = Q(age__gte=low) if high is None else Q(age__gte=low, age__lte=high)
        agg["new_" + _age_band_name(low, high)] = Count("id", filter=cond)
    for value in Member.Qualification.values:
        agg[f"new_qual_{value}"] = Count("id", filter=Q(member__qualification=value))
    out = qs.aggregate(**agg)
    total = n = 0
    for age, count in qs.exclude(member__birth_date__isnull=True).values_list("age").annotate(c=Count("id")).order_by():
        total += age * count
        n += count
    out["new_age_average"] = (Decimal(total) / n).quantize(Decimal("0.1"), ROUND_HALF_UP) if n else None
    for key in ("edu_literate", "edu_primary", "edu_lower_secondary", "edu_upper_secondary", "edu_unknown"):
        out["new_" + key] = 0
    for value, count in qs.values_list("member__general_education").annotate(c=Count("id")).order_by():
        out["new_" + _education_band(value)] += count
    admitting = {root_of(pk) for pk in qs.order_by().values_list("unit_at", flat=True).distinct()}
    out["new_gc_admitting"] = sum(1 for pk in admitting if pk and units[pk][0] == K.GRASSROOTS_COMMITTEE)
    out["new_gcell_admitting"] = sum(1 for pk in admitting if pk and units[pk][0] == K.GRASSROOTS_CELL)
    return out
