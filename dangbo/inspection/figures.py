"""Supervision, inspection and discipline figures of a subtree over a period (the seeds' sentence: "Cấp ủy các
cấp đã tiến hành giám sát thường xuyên 6 tổ chức, 170 đảng viên; Ủy ban kiểm tra các cấp giám sát thường xuyên
164 đảng viên, 32 tổ chức đảng").

A case counts in the period when it started in it (not cancelled) and was conducted by a subject in the
subtree; its organizations and members are counted once per group (an organization supervised twice by
committees in a quarter is one organization). "Committees" are the committees, standing committees and
cells; "commissions" the inspection commissions.
"""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from dangbo.core.figures import Figure
from dangbo.inspection.models import COMMISSION_SUBJECTS, COMMITTEE_SUBJECTS, Case, DisciplineCase, Target
from dangbo.org.dated import subtree_on

GROUPS = {"": None, "committee_": COMMITTEE_SUBJECTS, "commission_": COMMISSION_SUBJECTS}
ACTS = {"supervised": Case.SUPERVISION_KINDS, "inspected": Case.INSPECTION_KINDS}


def targets_in(unit, start, end):
    return Target.objects.filter(
        case__started_on__gte=start,
        case__started_on__lte=end,
        case__subject_unit__in=subtree_on(unit, end),  # the tree of the period's last day
    ).exclude(case__state=Case.State.CANCELLED)


def counts(unit, start, end):
    """{"supervised_orgs": n, "committee_supervised_members": n, …, "discipline_members": n} in two queries."""
    aggregates = {}
    for prefix, subjects in GROUPS.items():
        for act, kinds in ACTS.items():
            q = Q(case__kind__in=kinds)
            if subjects:
                q &= Q(case__subject__in=subjects)
            aggregates[f"{prefix}{act}_orgs"] = Count("org", distinct=True, filter=q)
            aggregates[f"{prefix}{act}_members"] = Count("member", distinct=True, filter=q)
    out = targets_in(unit, start, end).aggregate(**aggregates)
    decided = DisciplineCase.objects.filter(
        effective_on__gte=start,
        effective_on__lte=end,
        unit__in=subtree_on(unit, end),
        state=DisciplineCase.State.DECIDED,  # an annulled decision is closed and no longer counts
    )
    out.update(
        decided.aggregate(
            discipline_members=Count("member", distinct=True), discipline_orgs=Count("org", distinct=True)
        )
    )
    return out


def breakdown(unit, start, end):
    """[(subject, kind, orgs, members)] for the table by subject and kind."""
    return list(
        targets_in(unit, start, end)
        .values_list("case__subject", "case__kind")
        .annotate(orgs=Count("org", distinct=True), members=Count("member", distinct=True))
        .order_by("case__subject", "case__kind")
    )


def sentence(c):
    return _(
        "Committees at all levels supervised %(c_orgs)s organizations and %(c_members)s members; inspection "
        "commissions at all levels supervised %(k_members)s members and %(k_orgs)s party organizations."
    ) % {
        "c_orgs": c["committee_supervised_orgs"],
        "c_members": c["committee_supervised_members"],
        "k_members": c["commission_supervised_members"],
        "k_orgs": c["commission_supervised_orgs"],
    }


def labels():
    return {
        "supervised_orgs": _("Organizations supervised"),
        "supervised_members": _("Members supervised"),
        "inspected_orgs": _("Organizations inspected"),
        "inspected_members": _("Members inspected"),
        "committee_supervised_orgs": _("Organizations supervised by committees"),
        "committee_supervised_members": _("Members supervised by committees"),
        "committee_inspected_orgs": _("Organizations inspected by committees"),
        "committee_inspected_members": _("Members inspected by committees"),
        "commission_supervised_orgs": _("Organizations supervised by inspection commissions"),
        "commission_supervised_members": _("Members supervised by inspection commissions"),
        "commission_inspected_orgs": _("Organizations inspected by inspection commissions"),
        "commission_inspected_members": _("Members inspected by inspection commissions"),
        "discipline_members": _("Members disciplined"),
        "discipline_orgs": _("Organizations disciplined"),
    }


def period_figures(unit, start, end):
    c = counts(unit, start, end)
    section = _("Inspection, supervision and discipline")
    return [Figure(key=f"inspection.{k}", label=label, value=c[k], section=section) for k, label in labels().items()]
