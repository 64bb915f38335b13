"""Everything the product holds about one person (Nghị định 13/2023/NĐ-CP: the data subject's right to
receive their data; the bloc office answering a request).

Found by the model relations rather than by a list that could fall behind: every row of every model with a
foreign key to the person's Member or User, the person's own Member and User rows, the audit entries about
their dossier and the log of who opened it. Secrets (password hash, TOTP keys, tokens) are left out.
"""

import datetime

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.db import models
from django.utils import timezone

from dangbo.core.models import AuditLog, ReadLog

SECRET_FIELDS = {"password", "key", "secret", "token", "session_key", "session_data", "bin_key"}
MAX_ROWS_PER_MODEL = 10000


def _fields(model):
    return [f.name for f in model._meta.concrete_fields if f.name not in SECRET_FIELDS and not f.primary_key]


def _rows(queryset):
    model = queryset.model
    rows = serializers.serialize("python", queryset[:MAX_ROWS_PER_MODEL], fields=_fields(model))
    return [{"id": r["pk"], **r["fields"]} for r in rows]


def _related(target_model, obj, skip):
    """{model label: rows} of the rows pointing at ``obj`` through a foreign key."""
    found = {}
    for model in apps.get_models():
        if model in skip:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey | models.OneToOneField) and field.related_model is target_model:
                qs = model._default_manager.filter(**{field.name: obj}).order_by("pk")
                rows = _rows(qs)
                if rows:
                    found.setdefault(model._meta.label, []).extend({"via": field.name, **r} for r in rows)
    return found


def collect(*, member=None, user=None, for_subject=False):
    """The person's data as a JSON-ready dict. ``for_subject``: the copy given to the person themself, in
    which the officials who opened or changed their dossier are not named (only when and which page)."""
    from dangbo.members.models import Member

    User = get_user_model()
    if member is not None and user is None:
        user = member.user
    if user is not None and member is None:
        member = Member.objects.filter(user=user).first()
    data = {
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "legal_basis": "Nghị định 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân",
        "member": _rows(Member.objects.filter(pk=member.pk))[0] if member else None,
        "user": _rows(User.objects.filter(pk=user.pk))[0] if user else None,
        "related": {},
    }
    skip = {Member, User}
    if member is not None:
        data["related"].update(_related(Member, member, skip))
        reads = ReadLog.objects.filter(member_id=member.pk).order_by("at", "pk")
        audit = AuditLog.objects.filter(model=Member._meta.label, object_id=str(member.pk)).order_by("at", "pk")
        data["dossier_reads"] = [
            {"at": r.at.isoformat(), "page": r.view, **({} if for_subject else {"user": str(r.user)})}
            for r in reads[:MAX_ROWS_PER_MODEL].select_related("user")
        ]
        data["dossier_changes"] = [
            {
                "at": a.at.isoformat(),
                "action": a.action,
                "changes": a.changes,
                "note": a.note,
                **({} if for_subject else {"actor": str(a.actor) if a.actor else ""}),
            }
            for a in audit[:MAX_ROWS_PER_MODEL].select_related("actor")
        ]
    if user is not None:
        for label, rows in _related(User, user, skip).items():
            data["related"].setdefault(label, []).extend(rows)
    return data


def filename(member=None, user=None):
    who = f"dangvien-{member.pk}" if member else f"taikhoan-{user.pk}"
    return f"du-lieu-ca-nhan-{who}-{datetime.date.today():%Y%m%d}.json"
