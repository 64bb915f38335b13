from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from dangbo.members.access import members_visible_to
from dangbo.members.models import Member
from dangbo.org.access import units_visible_to
from dangbo.org.models import OrgUnit


@require_GET
@login_not_required
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "time": timezone.now().isoformat()})


def home(request):
    units = units_visible_to(request.user).active()
    members = members_visible_to(request.user).current()
    ctx = {
        "grassroots_count": units.filter(kind__in=OrgUnit.GRASSROOTS_KINDS).count(),
        "cell_count": units.filter(kind__in=OrgUnit.CELL_KINDS).count(),
        "member_count": members.count(),
        "official_count": members.filter(status=Member.Status.OFFICIAL).count(),
        "probationary_count": members.filter(status=Member.Status.PROBATIONARY).count(),
        "my_member": getattr(request.user, "member", None),
    }
    return render(request, "core/home.html", ctx)
