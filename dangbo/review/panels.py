"""Home cards: a member's open self-assessment; a cell secretary's (or committee's) review progress."""

from django.db.models import Count, Exists, OuterRef, Q

from dangbo.accounts.access import scope_paths
from dangbo.accounts.models import Role
from dangbo.review.models import Level, MemberReview, ReviewPeriod, UnitReview


def home_panels(request):
    user = request.user
    panels = []
    cell_open = UnitReview.objects.filter(period=OuterRef("period"), unit=OuterRef("unit"), state=UnitReview.State.OPEN)
    own = (
        MemberReview.objects.filter(member__user=user, self_submitted_at__isnull=True, appraised_at__isnull=True)
        .exclude(level=Level.NOT_CLASSIFIED)
        .exclude(period__state=ReviewPeriod.State.OPENING)
        .filter(Exists(cell_open))
        .select_related("period")
        .order_by("period__self_deadline")
        .first()
    )
    if own:
        panels.append({"template": "review/panel_member.html", "review": own})
    paths = scope_paths(user, roles=(Role.CELL_SECRETARY, Role.GRASSROOTS_STAFF))
    if paths:
        open_units = (
            UnitReview.objects.filter(unit__path__in=paths)
            .exclude(state=UnitReview.State.ANNOUNCED)
            .exclude(period__state=ReviewPeriod.State.OPENING)
            .select_related("period", "unit")
            .order_by("-period__year", "unit__path")[:3]
        )
        for ur in open_units:
            counts = MemberReview.objects.filter(period=ur.period, unit__path__startswith=ur.unit.path).aggregate(
                total=Count("pk", filter=~Q(level=Level.NOT_CLASSIFIED) | Q(appraised_at__isnull=False)),
                submitted=Count("pk", filter=Q(self_submitted_at__isnull=False)),
                appraised=Count("pk", filter=Q(appraised_at__isnull=False)),
            )
            panels.append({"template": "review/panel_unit.html", "ur": ur, **counts})
    return panels
