from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangbo.core.text import fold


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
        NEWS = "news", _("News and announcement")

    class Secrecy(models.TextChoices):
        NORMAL = "normal", _("Not secret")
        CONFIDENTIAL = "confidential", _("Confidential")
        SECRET = "secret", _("Secret")
        TOP_SECRET = "top_secret", _("Top secret")

    kind = models.CharField(_("document type"), max_length=20, choices=Kind.choices)
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
    subject = models.CharField(_("subject area"), max_length=255, blank=True)
    # Folded (dangbo.core.text.fold) number, title, summary, issuer, subject and the text of the attachments.
    search_text = models.TextField(default="", editable=False)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return f"{self.number} {self.title}".strip()

    def get_absolute_url(self):
        return reverse("documents:detail", args=[self.pk])

    @property
    def in_force(self):
        return self.replaced_by_id is None

    @property
    def is_secret(self):
        return self.secrecy != self.Secrecy.NORMAL

    @property
    def is_news(self):
        return self.kind == self.Kind.NEWS

    def refresh_search_text(self):
        parts = [self.number, self.title, self.summary, self.issuer, self.subject]
        parts += [a.text for a in self.attachments.all()] if self.pk else []
        self.search_text = fold(" ".join(p for p in parts if p))


def attachment_path(instance, filename):
    return f"documents/{instance.document_id}/{filename}"


class Attachment(models.Model):
    """A file of a document (PDF or Word); its text is extracted at upload and kept folded for search."""

    document = models.ForeignKey(Document, related_name="attachments", on_delete=models.CASCADE)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(default=0)
    text = models.TextField(default="", editable=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name

    @property
    def key(self):
        return f"u{self.pk}"


class Distribution(models.Model):
    """One sending of a document to a set of targets (units, subtrees, roles, named users).

    Nobody gets a row on sending: who is reached is computed from the targets (members of the
    targeted units by query), and a Receipt row is written when a recipient opens the document."""

    document = models.ForeignKey(Document, related_name="distributions", on_delete=models.CASCADE)
    sent_on = models.DateField(_("sent on"), db_index=True)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.TextField(_("note to recipients"), blank=True)
    reminded_on = models.DateField(_("last reminder"), null=True, blank=True)

    class Meta:
        ordering = ["-sent_on", "-pk"]
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")

    def __str__(self):
        return f"{self.document} – {self.sent_on:%d/%m/%Y}"


class Target(models.Model):
    class Kind(models.TextChoices):
        SUBTREE = "subtree", _("Unit and all units under it")
        UNIT = "unit", _("This unit only")
        ROLE = "role", _("Holders of a role in the unit and under it")
        USER = "user", _("Named person")

    distribution = models.ForeignKey(Distribution, related_name="targets", on_delete=models.CASCADE)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    unit = models.ForeignKey(
        "org.OrgUnit", null=True, blank=True, related_name="document_targets", on_delete=models.PROTECT
    )
    role = models.CharField(max_length=32, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="document_targets", on_delete=models.CASCADE
    )

    class Meta:
        indexes = [models.Index(fields=["kind", "unit"]), models.Index(fields=["role", "unit"])]

    def __str__(self):
        if self.kind == self.Kind.USER:
            return str(self.user)
        if self.kind == self.Kind.ROLE:
            from dangbo.accounts.models import Role

            return f"{Role(self.role).label} – {self.unit}"
        return str(self.unit)


class Receipt(models.Model):
    """A recipient opened the document (written once, on the first opening), or their cell secretary
    recorded that it was conveyed to a member without a login at the cell meeting (``recorded_by``)."""

    document = models.ForeignKey(Document, related_name="receipts", on_delete=models.CASCADE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="document_receipts", on_delete=models.CASCADE
    )
    member = models.ForeignKey(
        "members.Member", null=True, blank=True, related_name="document_receipts", on_delete=models.CASCADE
    )
    read_at = models.DateTimeField(_("read at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document", "user"], condition=models.Q(user__isnull=False), name="receipt_once_user"
            ),
            models.UniqueConstraint(
                fields=["document", "member"], condition=models.Q(member__isnull=False), name="receipt_once_member"
            ),
        ]

    def __str__(self):
        return f"{self.document_id} – {self.user_id or self.member_id}"


class SecretView(models.Model):
    """Every opening of a secret document (page or file): who, which, when."""

    class Action(models.TextChoices):
        VIEW = "view", _("Opened the page")
        DOWNLOAD = "download", _("Downloaded a file")

    document = models.ForeignKey(Document, related_name="secret_views", on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.VIEW)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.user_id} – {self.document_id} – {self.at}"


class FormTemplate(models.Model):
    """A Word template (docxtpl) uploaded by the bloc office; the built-in ones live in dangbo/documents/docx."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("Plan")
        REPORT = "report", _("Report")
        RESOLUTION = "resolution", _("Resolution")
        MINUTES = "minutes", _("Minutes")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("document type"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(_("Word file (.docx)"), upload_to="document-templates/", max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("template")
        verbose_name_plural = _("templates")

    def __str__(self):
        return self.name

    @property
    def key(self):
        return f"u{self.pk}"
