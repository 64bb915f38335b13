"""Labels and sections of the figures that the core apps (org, members, admission, transfers, lifecycle)
offer to periodic reports, kept here so that the reports app owns their wording and translation, and
the helper those figures share: "the member was in this subtree on that day"."""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from dangbo.core.figures import Figure

ORGANIZATION = _("Party organizations")
MEMBERS = _("Party members")
DEVELOPMENT = _("Member development")
MOVEMENTS = _("Transfers of party activity")
LIFECYCLE = _("Changes in membership")

LABELS = {
    "org.grassroots_count": (_("Grassroots party organizations"), ORGANIZATION),
    "org.cells_count": (_("Party cells"), ORGANIZATION),
    "org.grassroots_committees": (_("Grassroots party committees"), ORGANIZATION),
    "org.grassroots_cells": (_("Grassroots party cells"), ORGANIZATION),
    "org.subordinate_cells": (_("Subordinate party cells"), ORGANIZATION),
    "org.cells_founded": (_("New party cells founded"), ORGANIZATION),
    "org.units_dissolved": (_("Organizations dissolved"), ORGANIZATION),
    "org.units_merged": (_("Organizations merged into another"), ORGANIZATION),
    "members.total": (_("Party members"), MEMBERS),
    "members.official": (_("Official members"), MEMBERS),
    "members.probationary": (_("Probationary members"), MEMBERS),
    "members.women": (_("Women members"), MEMBERS),
    "members.exempted": (_("Members exempted from party work"), MEMBERS),
    "admission.admitted": (_("New members admitted"), DEVELOPMENT),
    "admission.recognized": (_("Probationary members recognised as official"), DEVELOPMENT),
    "admission.target": (_("Admission target of the year"), DEVELOPMENT),
    "admission.percent_of_target": (_("Admitted, per cent of the year's target"), DEVELOPMENT),
    "admission.members_at_year_start": (_("Members at the end of the previous year"), DEVELOPMENT),
    "admission.percent_of_members": (
        _("Admitted, per cent of the members at the end of the previous year"),
        DEVELOPMENT,
    ),
    "admission.share_target": (_("Target as a share of the members (%)"), DEVELOPMENT),
    "admission.share_exceeded_by": (_("Share admitted above the target (percentage points)"), DEVELOPMENT),
    "transfers.received": (_("Members received by official transfer"), MOVEMENTS),
    "transfers.sent_out": (_("Members transferred away officially"), MOVEMENTS),
    "transfers.internal": (_("Official transfers inside the organization"), MOVEMENTS),
    "transfers.temporary_received": (_("Members received temporarily"), MOVEMENTS),
    "transfers.temporary_sent_out": (_("Members sent away temporarily"), MOVEMENTS),
    "lifecycle.deceased": (_("Members deceased"), LIFECYCLE),
    "lifecycle.removed": (_("Members removed from the list"), LIFECYCLE),
    "lifecycle.expelled": (_("Members expelled"), LIFECYCLE),
    "lifecycle.badges_awarded": (_("Party badges awarded"), LIFECYCLE),
    "lifecycle.cards_issued": (_("Party cards issued"), LIFECYCLE),
}


UNKNOWN = _("A figure no longer computed")


def labels_of(keys, unit, start, end):
    """{key: (label, section)} for ``keys`` of a report of ``unit`` over ``start``..``end``: the label each app
    gives its figure (``dangbo.core.figures.collect``), this module's for the core apps' figures, and a
    Vietnamese placeholder for a key no app offers any more — never the key itself."""
    from dangbo.core.figures import collect

    offered = collect(unit, start, end)
    out = {}
    for key in keys:
        if key in offered:
            out[key] = (offered[key].label, offered[key].section)
        elif key in LABELS:
            out[key] = LABELS[key]
        else:
            out[key] = (UNKNOWN, "")
    return out


def figure(key, value):
    label, section = LABELS[key]
    return Figure(key=key, label=label, value=value, section=section)


def was_in(unit, day_ref, member_ref="member_id", *, on):
    """Exists(): the member (``member_ref``) was on the books of ``unit``'s subtree on the row's day
    (``day_ref``, a field of the counted row), read from MemberInterval so later moves of members change
    nothing; the subtree is the tree of ``on`` (the period's last day, ``dangbo.org.dated``), so later moves
    of units change nothing either."""
    from dangbo.members.models import MemberInterval
    from dangbo.org.dated import subtree_on

    return Exists(
        MemberInterval.objects.filter(
            member_id=OuterRef(member_ref), unit_id__in=subtree_on(unit, on), valid_from__lte=OuterRef(day_ref)
        ).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=OuterRef(day_ref)))
    )
