"""Retention of the read log and the audit log (Nghị định 13/2023/NĐ-CP): rows older than the rules
``core.retention.read_log_months`` and ``core.retention.audit_log_months`` are deleted, by ``manage.py daily``."""

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from dangbo.core.models import AuditLog, ReadLog

READ_RULE = "core.retention.read_log_months"
AUDIT_RULE = "core.retention.audit_log_months"


def apply_retention(now=None):
    """Delete what the rules no longer keep; returns ``{"read_log": n, "audit_log": n}``. The purge itself
    is written to the audit log (so the last entry says what was removed and under which rule)."""
    from dangbo.core.audit import record
    from dangbo.rules.registry import rule_version

    now = now or timezone.now()
    today = timezone.localdate(now)
    read_v = rule_version(READ_RULE, on=today)
    audit_v = rule_version(AUDIT_RULE, on=today)
    with transaction.atomic():
        n_read, _ = ReadLog.objects.filter(at__lt=now - relativedelta(months=int(read_v.value))).delete()
        n_audit, _ = AuditLog.objects.filter(at__lt=now - relativedelta(months=int(audit_v.value))).delete()
        if n_read or n_audit:
            record(
                actor=None,
                action="retention.purge",
                obj=audit_v,
                changes={"read_log": [n_read, 0], "audit_log": [n_audit, 0]},
                note=f"{READ_RULE}={read_v.value}, {AUDIT_RULE}={audit_v.value}",
            )
    return {"read_log": n_read, "audit_log": n_audit}
