from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Document(models.Model):
    """A party document (resolution, directive, conclusion, …) held in the library of the unit that
    published it in the system. Study campaigns (``study``) and implementation programmes (``programmes``)
    refer to it."""

    class Kind(models.TextChoices):
        RESOLUTION = "resolution", _("Resolution")
        DIRECTIVE = "directive", _("Directive")
        CONCLUSION = "conclusion", _("Conclusion")
        REGULATION = "regulation", _("Regulation")
        GUIDANCE = "guidance", _("Guidance")
        PLAN = "plan", _("Plan")
        NOTICE = "notice", _("Notice")
        PROJECT = "project", _("Project")
        REPORT = "report", _("Report")
        OTHER = "other", _("Other")

    class Secrecy(models.TextChoices):
        NORMAL = "normal", _("Not secret")
        CONFIDENTIAL = "confidential", _("Confidential")
        SECRET = "secret", _("Secret")
        TOP_SECRET = "top_secret", _("Top secret")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("number and symbol"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=500)
    summary = models.TextField(_("summary"), blank=True)
    issued_on = models.DateField(_("date issued"))
    issuer = models.CharField(_("issuing body"), max_length=255)
    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("published by unit"), related_name="documents", on_delete=models.PROTECT
    )
    secrecy = models.CharField(_("secrecy level"), max_length=20, choices=Secrecy.choices, default=Secrecy.NORMAL)
    replaced_by = models.ForeignKey(
        "self", verbose_name=_("replaced by"), null=True, blank=True, related_name="replaces", on_delete=models.SET_NULL
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return f"{self.number} {self.title}".strip()

    @property
    def in_force(self):
        return self.replaced_by_id is None
