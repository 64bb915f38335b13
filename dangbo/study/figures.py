"""Study figures for periodic reports (see dangbo.core.figures), for ``unit``'s subtree:

- ``study.campaigns``: published or closed campaigns with their deadline in the period that target at
  least one unit of the subtree;
- ``study.members_studied``: over those campaigns, target members of the subtree who completed by the end
  of the period (a member counts once per campaign);
- ``study.studied_percent``: that number over the target members of the subtree for those campaigns
  (official and probationary members; exempted and suspended members are not in the denominator).

Target members are those on the books on the campaign's deadline in its target units *of that day*,
within ``unit``'s subtree of that day (``org.dated``, ``members.intervals``): a report on 2021 counts
the cells and members of 2021, whatever moved, joined or left since. The cost grows with the
campaigns and the units, one indexed query on the intervals per campaign.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangbo.core.figures import Figure
from dangbo.members.intervals import intervals_on
from dangbo.members.models import Member, MemberInterval
from dangbo.org.dated import subtree_on
from dangbo.study.access import reaches_q, target_members
from dangbo.study.models import STUDY_STATUSES, Campaign, Progress

SECTION = _("Study of resolutions")


def target_member_ids_on(campaign, unit, day):
    """Ids of the members who had to study ``campaign`` on ``day``: on the books in a target unit (or
    under a target with its sub-units) and in ``unit``'s subtree, all as of that day; for a deadline
    not yet past, the members on the books now. A member whose history the register does not hold
    (no interval at all: entered without events) is counted where they are now."""
    now = target_members(campaign, [unit.path])
    if day >= timezone.localdate():
        return now.values("pk")
    targets = Q(pk__in=[])
    for t in campaign.targets.all():
        targets |= Q(unit_id__in=subtree_on(t.unit, day)) if t.subtree else Q(unit_id=t.unit_id)
    then = (
        intervals_on(day)
        .filter(targets, unit_id__in=subtree_on(unit, day), status__in=STUDY_STATUSES)
        .values("member_id")
    )
    no_history = now.filter(~Exists(MemberInterval.objects.filter(member_id=OuterRef("pk")))).values("pk")
    return Member.objects.filter(Q(pk__in=then) | Q(pk__in=no_history)).values("pk")


def period_figures(unit, start, end):
    campaigns = list(
        Campaign.objects.filter(
            pk__in=Campaign.objects.filter(reaches_q([unit.path])).values("pk"),
            state__in=[Campaign.State.PUBLISHED, Campaign.State.CLOSED],
            deadline__gte=start,
            deadline__lte=end,
        ).prefetch_related("targets__unit")
    )
    until = timezone.make_aware(datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time()))
    target = studied = 0
    n = 0
    for c in campaigns:
        members = target_member_ids_on(c, unit, c.deadline)
        t = members.count()
        if not t:
            continue
        n += 1
        target += t
        studied += Progress.objects.filter(campaign=c, completed_at__lt=until, member_id__in=members).count()
    percent = None
    if target:
        percent = (Decimal(studied * 100) / Decimal(target)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return [
        Figure("study.campaigns", _("Study campaigns with a deadline in the period"), n, SECTION),
        Figure("study.members_studied", _("Members who completed the study"), studied, SECTION, _("members")),
        Figure("study.studied_percent", _("Members who studied, of the target members"), percent, SECTION, "%"),
    ]
