"""Writing the audit trail. Every service that changes data calls ``record``
inside its transaction, so the row and its audit entry land together or not at all."""

import datetime
import decimal

from django.db import models

from dangbo.core.models import AuditLog, ReadLog


def _plain(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def snapshot(obj, fields):
    """The current values of ``fields`` on ``obj``, ready to diff."""
    return {f: _plain(getattr(obj, f)) for f in fields}


def diff(before, after):
    """{field: [old, new]} for the fields whose value changed."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def record(*, actor, action, obj, unit=None, changes=None, note=""):
    """Append one audit row. ``unit`` is the org unit the write belongs to (for scoped browsing)."""
    if unit is None and obj.__class__.__name__ == "OrgUnit":
        unit = obj
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        model=obj._meta.label,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        unit_id=unit.pk if unit else None,
        unit_path=unit.path if unit else "",
        changes={k: [_plain(v[0]), _plain(v[1])] for k, v in (changes or {}).items()},
        note=note,
    )


def record_read(*, user, member, view=""):
    return ReadLog.objects.create(
        user=user,
        member_id=member.pk,
        member_repr=str(member)[:255],
        unit_path=member.unit.path if member.unit_id else "",
        view=view,
    )
