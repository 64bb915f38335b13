from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.http import require_GET

from dangbo.accounts.access import scope_paths
from dangbo.core.health import CHECKS, run_checks
from dangbo.core.models import Notification
from dangbo.core.plugins import app_modules
from dangbo.members.access import members_visible_to
from dangbo.members.models import Member
from dangbo.org.access import units_visible_to
from dangbo.org.models import OrgUnit


@require_GET
@login_not_required
def favicon(request):
    """/favicon.ico, which browsers ask for on their own: the site's icon (a permanent redirect to the static file)."""
    return HttpResponsePermanentRedirect(static("core/favicon.svg"))


@require_GET
@login_not_required
def healthz(request):
    """200 when the database, the worker's heartbeat, the last daily run and free disk are all fine;
    503 naming the failing parts otherwise (for the monitoring). ``?check=database`` (the reverse proxy's
    check) asks only whether this web process answers with its database: a stopped worker or a late daily
    job is the administrator's alarm, not a reason for the proxy to stop serving pages."""
    asked = [name for name in request.GET.getlist("check") if name in CHECKS]
    checks = run_checks(only=asked or None)
    failing = [name for name, c in checks.items() if not c["ok"]]
    body = {"status": "fail" if failing else "ok", "time": timezone.now().isoformat(), "checks": checks}
    if failing:
        body["failing"] = failing
    return JsonResponse(body, status=503 if failing else 200)


def home(request):
    user = request.user
    units = units_visible_to(user).active()
    members = members_visible_to(user).current()
    by_status = dict(members.values_list("status").annotate(n=Count("pk")).order_by())
    roots = list(OrgUnit.objects.filter(path__in=scope_paths(user)).order_by("path"))
    ctx = {
        "scope_units": roots,
        "scope_unit": roots[0] if len(roots) == 1 else None,
        "grassroots_count": units.filter(kind__in=OrgUnit.GRASSROOTS_KINDS).count(),
        "cell_count": units.filter(kind__in=OrgUnit.CELL_KINDS).count(),
        "member_count": sum(by_status.values()),
        "official_count": by_status.get(Member.Status.OFFICIAL, 0),
        "probationary_count": by_status.get(Member.Status.PROBATIONARY, 0),
        "my_member": Member.objects.select_related("unit").filter(user=user).first(),
        "recent_notifications": list(
            Notification.objects.filter(user=user, read_at__isnull=True).order_by("-created_at", "-id")[:5]
        ),
        "app_panels": [panel for module in app_modules("panels") for panel in module.home_panels(request)],
    }
    return render(request, "core/home.html", ctx)
