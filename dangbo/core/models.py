from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditLog(models.Model):
    """One row per write: who, what, when, which unit, old → new.

    ``unit_path`` is the org-unit path at the time of the write, so the log can
    be filtered by subtree without joining a tree that may have been restructured since.
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    model = models.CharField(_("object type"), max_length=64, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    unit_id = models.BigIntegerField(_("unit id"), null=True, blank=True)
    unit_path = models.CharField(_("unit path"), max_length=255, blank=True, db_index=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["model", "object_id"], name="audit_object_idx")]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.object_repr}"


class ReadLog(models.Model):
    """Each opening of a member dossier (party records are secret documents)."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE)
    member_id = models.BigIntegerField(_("member id"), db_index=True)
    member_repr = models.CharField(_("member"), max_length=255)
    unit_path = models.CharField(_("unit path"), max_length=255, blank=True, db_index=True)
    view = models.CharField(_("page"), max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("dossier read")
        verbose_name_plural = _("dossier reads")

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.member_repr}"


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), related_name="notifications", on_delete=models.CASCADE
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    kind = models.CharField(_("kind"), max_length=64, blank=True)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("content"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self):
        return self.title


class PushSubscription(models.Model):
    """A browser (a phone's home-screen app, say) that asked for Web Push notifications for its user.

    ``endpoint`` is the push service's address for that browser; ``p256dh`` and ``auth`` its keys
    (base64url), with which each notification is encrypted so that only that browser can read it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), related_name="push_subscriptions", on_delete=models.CASCADE
    )
    endpoint = models.URLField(_("address"), max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")

    def __str__(self):
        return f"{self.user} · {self.endpoint[:40]}"


class Heartbeat(models.Model):
    """The last sign of life of a background process (``worker``), read by /healthz."""

    name = models.CharField(_("name"), max_length=64, unique=True)
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self):
        return f"{self.name} {self.at:%d/%m/%Y %H:%M:%S}"


class DailyRun(models.Model):
    """One run of ``manage.py daily``: each command's outcome in ``results``
    (``[{"command", "ok", "output", "error", "seconds"}]``)."""

    started_at = models.DateTimeField(_("started"), db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    ok = models.BooleanField(_("succeeded"), default=False)
    results = models.JSONField(_("results"), default=list, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("daily run")
        verbose_name_plural = _("daily runs")

    def __str__(self):
        return f"{self.started_at:%d/%m/%Y %H:%M}"

    @property
    def failed(self):
        return [r for r in self.results if not r.get("ok")]
