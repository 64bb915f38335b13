"""Who may see and act on study campaigns. Out of scope is a 404.

- A member sees a published campaign only when their unit is among its targets (and they study: official
  or probationary); everyone else gets 404, even with the URL.
- Staff see the campaigns organized in their scope and those whose targets reach into it (a bloc-wide
  campaign is seen by every grassroots committee, with the completion of its own subtree).
- The organizing unit's writers (bloc office, grassroots staff, cell secretary covering it) edit the
  campaign, its question bank and publish it. Writers covering a target unit hold sessions, record
  attendance, review learning reports and remind members there. Inspection reads.
"""

from django.db.models import Q
from django.http import Http404

from dangbo.accounts.access import WRITE_ROLES, covers, is_staff_user, path_q, scope_paths
from dangbo.members.models import Member
from dangbo.org.models import OrgUnit
from dangbo.study.models import STUDY_STATUSES, Campaign, Progress


def _prefixes(path):
    """ "/1/7/42/" → ["/1/", "/1/7/", "/1/7/42/"]: the paths of a unit and its ancestors."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def reaches_q(paths):
    """Campaigns organized in, or targeting a unit in or above, one of the subtrees ``paths``."""
    q = path_q("unit__path", paths) | path_q("targets__unit__path", paths)
    for p in paths:
        q |= Q(targets__subtree=True, targets__unit__path__in=_prefixes(p))
    return q


def study_member(user):
    """The member a login studies as (None for a staff-only account or a non-studying status)."""
    member = getattr(user, "member", None) if user.is_authenticated else None
    if member is None or member.status not in STUDY_STATUSES:
        return None
    return member


def member_campaigns(member):
    """Published campaigns targeting ``member``'s unit."""
    if member is None:
        return Campaign.objects.none()
    unit = member.unit
    q = Q(targets__unit_id=unit.pk) | Q(targets__subtree=True, targets__unit__path__in=_prefixes(unit.path))
    ids = Campaign.objects.filter(q, state=Campaign.State.PUBLISHED).values("pk")
    return Campaign.objects.filter(pk__in=ids)


def campaigns_visible_to(user):
    paths = scope_paths(user)
    if paths:
        ids = Campaign.objects.filter(reaches_q(paths)).values("pk")
        return Campaign.objects.filter(pk__in=ids)
    return member_campaigns(study_member(user))


def get_campaign_for_user(user, pk, *, manage=False, staff=False):
    """The campaign if ``user`` may see it; ``staff``: only as staff; ``manage``: may edit it."""
    try:
        campaign = campaigns_visible_to(user).select_related("unit").prefetch_related("targets__unit").get(pk=pk)
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise Http404
    if (staff or manage) and not is_staff_user(user):
        raise Http404
    if manage and not can_manage(user, campaign):
        raise Http404
    return campaign


def can_manage(user, campaign):
    return covers(user, campaign.unit.path, roles=WRITE_ROLES)


def write_paths(user):
    return scope_paths(user, roles=WRITE_ROLES)


def can_act_in(user, unit):
    """Hold sessions, record attendance, review reports, remind: a writer covering ``unit``."""
    return covers(user, unit.path, roles=WRITE_ROLES)


def target_units(campaign, paths=None, targets=None):
    """The units whose members must study ``campaign`` (within the subtrees ``paths`` when given)."""
    q = Q(pk__in=[])
    for t in campaign.targets.all() if targets is None else targets:
        q |= Q(path__startswith=t.unit.path) if t.subtree else Q(pk=t.unit_id)
    qs = OrgUnit.objects.filter(q)
    if paths is not None:
        qs = qs.filter(path_q("path", paths))
    return qs


def target_members(campaign, paths=None, targets=None):
    """Members who must study ``campaign`` (within the subtrees ``paths`` when given). The units are a
    subquery (``unit_id IN (…)``), not a join on the path: SQLite then reads the member index by unit
    instead of scanning every member."""
    units = target_units(campaign, paths, targets).values("pk")
    return Member.objects.filter(unit_id__in=units, status__in=STUDY_STATUSES)


def get_progress_for_user(user, campaign, pk, *, write=False):
    """A member's progress row as seen by staff covering the member's unit (``write``: may review)."""
    try:
        p = Progress.objects.select_related("member__unit", "campaign").get(pk=pk, campaign=campaign)
    except (Progress.DoesNotExist, ValueError, TypeError):
        raise Http404
    roles = WRITE_ROLES if write else None
    ok = covers(user, p.member.unit.path, roles=roles) if roles else covers(user, p.member.unit.path)
    if not ok:
        raise Http404
    return p


def require_staff(user):
    if not is_staff_user(user):
        raise Http404
