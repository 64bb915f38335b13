"""Home-page cards: a member's open campaigns with progress and deadline; staff, the campaigns open in
their scope with the completion of their own subtree."""

from django.utils import timezone

from dangbo.accounts.access import is_staff_user, scope_paths
from dangbo.org.models import OrgUnit
from dangbo.study.access import campaigns_visible_to, member_campaigns, study_member
from dangbo.study.models import Campaign, Progress
from dangbo.study.services import completion_by_unit

STAFF_PANEL_SIZE = 4


def home_panels(request):
    user = request.user
    today = timezone.localdate()
    panels = []
    member = study_member(user)
    if member is not None:
        campaigns = list(member_campaigns(member).filter(opens_on__lte=today).order_by("deadline", "pk"))
        campaigns = [c for c in campaigns if c.last_day >= today]
        if campaigns:
            progress = {p.campaign_id: p for p in Progress.objects.filter(member=member, campaign__in=campaigns)}
            rows = [(c, progress.get(c.pk)) for c in campaigns if not getattr(progress.get(c.pk), "completed_at", None)]
            if rows:
                panels.append({"template": "study/panel_member.html", "rows": rows, "today": today})
    if is_staff_user(user):
        paths = scope_paths(user)
        roots = list(OrgUnit.objects.filter(path__in=paths).order_by("path"))
        campaigns = list(
            campaigns_visible_to(user)
            .filter(state=Campaign.State.PUBLISHED, opens_on__lte=today, deadline__gte=today)
            .select_related("unit")
            .prefetch_related("targets__unit")
            .order_by("deadline", "pk")[:STAFF_PANEL_SIZE]
        )
        if campaigns and roots:
            root = roots[0]
            rows = [(c, completion_by_unit(c, root)[1]) for c in campaigns]
            panels.append({"template": "study/panel_staff.html", "rows": rows, "root": root})
    return panels
