from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TableFile(models.Model):
    """A table file loaded by the bloc office: a corrected or new version of a statistical table, in force
    from ``effective_from`` (it overrides the shipped file of the same family from that day)."""

    family = models.CharField(_("table number"), max_length=40)
    code = models.CharField(_("table code"), max_length=100)
    title = models.CharField(_("title"), max_length=500)
    effective_from = models.DateField(_("in force from"))
    data = models.JSONField(_("table"))
    file_name = models.CharField(_("file name"), max_length=255)
    note = models.TextField(_("note"), blank=True)
    active = models.BooleanField(_("in use"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("loaded by"), null=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)

    class Meta:
        ordering = ["family", "-effective_from", "-id"]
        verbose_name = _("statistical table file")
        verbose_name_plural = _("statistical table files")

    def __str__(self):
        return f"{self.code} ({self.effective_from:%d/%m/%Y})"
