"""Personal data downloads (Nghị định 13/2023/NĐ-CP): a person's own copy, and the bloc office's export of
everything about one member. Each download is written to the audit log."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.views.decorators.http import require_GET

from dangbo.accounts.access import is_bloc_office
from dangbo.core import personal_data
from dangbo.core.audit import record
from dangbo.members.models import Member


def _download(data, name):
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
    resp = HttpResponse(body, content_type="application/json; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{name}"'
    resp["Cache-Control"] = "no-store"
    return resp


@require_GET
def my_data(request):
    user = request.user
    member = Member.objects.filter(user=user).first()
    data = personal_data.collect(member=member, user=user, for_subject=True)
    record(actor=user, action="personal_data.export_own", obj=member or user, unit=member.unit if member else None)
    return _download(data, personal_data.filename(member, user))


@require_GET
def member_data(request, member_id):
    if not is_bloc_office(request.user):
        raise Http404
    member = get_object_or_404(Member.objects.select_related("unit"), pk=member_id)
    data = personal_data.collect(member=member)
    record(actor=request.user, action="personal_data.export", obj=member, unit=member.unit)
    return _download(data, personal_data.filename(member))


urlpatterns = [
    path("my-data/", my_data, name="my_data"),
    path("personal-data/<int:member_id>/", member_data, name="member_data"),
]
