"""Study figures for periodic reports (see dangbo.core.figures), for ``unit``'s subtree:

- ``study.campaigns``: published or closed campaigns with their deadline in the period that target at
  least one unit of the subtree;
- ``study.members_studied``: over those campaigns, target members of the subtree who completed by the end
  of the period (a member counts once per campaign);
- ``study.studied_percent``: that number over the target members of the subtree for those campaigns
  (official and probationary members; exempted and suspended members are not in the denominator).

Target members are counted as the members now on the books (the study app keeps no per-member row for
members who never started), so a report on an old period reflects today's membership of the target units.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangbo.core.figures import Figure
from dangbo.study.access import reaches_q, target_members
from dangbo.study.models import Campaign, Progress

SECTION = _("Study of resolutions")


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
        members = target_members(c, [unit.path])
        t = members.count()
        if not t:
            continue
        n += 1
        target += t
        studied += Progress.objects.filter(campaign=c, completed_at__lt=until, member__in=members.values("pk")).count()
    percent = None
    if target:
        percent = (Decimal(studied * 100) / Decimal(target)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return [
        Figure("study.campaigns", _("Study campaigns with a deadline in the period"), n, SECTION),
        Figure("study.members_studied", _("Members who completed the study"), studied, SECTION, _("members")),
        Figure("study.studied_percent", _("Members who studied, of the target members"), percent, SECTION, "%"),
    ]
