"""Transfers of party activity (chuyển sinh hoạt đảng, DOMAIN.md §4).

A Transfer is a status field plus one service per allowed step (``transfers.services``); each step
keeps its date. The member's unit or status changes only in the step that makes the move real
(receipt confirmed by the receiving unit; hand-over for a transfer out of the system).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Transfer(models.Model):
    class Kind(models.TextChoices):
        OFFICIAL_INTERNAL = "official_internal", _("Official transfer within the system")
        OFFICIAL_OUT = "official_out", _("Official transfer out of the system")
        OFFICIAL_IN = "official_in", _("Official transfer in from outside")
        TEMPORARY = "temporary", _("Temporary transfer")

    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        LETTER_ISSUED = "letter_issued", _("Introduction letter issued")
        RECORD_SENT = "record_sent", _("Record handed over")
        RECEIVED = "received", _("Receipt confirmed")
        ENDED = "ended", _("Temporary transfer ended")
        CANCELLED = "cancelled", _("Cancelled")

    class Purpose(models.TextChoices):
        WORK = "work", _("Work or residence")
        STUDY = "study", _("Full-time study")

    OFFICIAL_KINDS = (Kind.OFFICIAL_INTERNAL, Kind.OFFICIAL_OUT, Kind.OFFICIAL_IN)
    # States in which a transfer still waits for a step (a temporary one also while the member is away).
    OPEN_STATES = (State.REQUESTED, State.LETTER_ISSUED, State.RECORD_SENT)

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.REQUESTED)
    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), related_name="transfers", on_delete=models.PROTECT
    )
    from_unit = models.ForeignKey(
        "org.OrgUnit",
        verbose_name=_("from unit"),
        null=True,
        blank=True,
        related_name="transfers_out",
        on_delete=models.PROTECT,
    )
    to_unit = models.ForeignKey(
        "org.OrgUnit",
        verbose_name=_("to unit"),
        null=True,
        blank=True,
        related_name="transfers_in",
        on_delete=models.PROTECT,
    )
    # The party organization outside the system: where the member goes (out) or comes from (in).
    outside_party = models.CharField(_("party organization outside the system"), max_length=255, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    # The decision (job transfer, retirement, change of residence …) whose effect starts the 60-day clock.
    decision_no = models.CharField(_("decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision effective date"), null=True, blank=True)
    letter_no = models.CharField(_("introduction letter number"), max_length=100, blank=True)
    letter_date = models.DateField(_("introduction letter date"), null=True, blank=True)
    letter_issuer = models.CharField(_("issued by"), max_length=255, blank=True)
    requested_on = models.DateField(_("requested on"))
    record_sent_on = models.DateField(_("record handed over on"), null=True, blank=True)
    received_on = models.DateField(_("receipt confirmed on"), null=True, blank=True)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=255, blank=True)
    # Temporary transfers: the planned period and the actual end.
    purpose = models.CharField(_("purpose"), max_length=8, choices=Purpose.choices, blank=True)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    # Deadlines as computed from the rule registry when the step that starts them was taken.
    complete_by = models.DateField(_("to be completed by"), null=True, blank=True)
    present_by = models.DateField(_("letter to be presented by"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, related_name="+", on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-requested_on", "-pk"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        indexes = [
            models.Index(fields=["state", "kind"], name="transfer_state_kind_idx"),
            models.Index(fields=["received_on"], name="transfer_received_idx"),
            models.Index(fields=["record_sent_on"], name="transfer_record_sent_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.member}"

    def get_absolute_url(self):
        return reverse("transfers:detail", kwargs={"pk": self.pk})

    @property
    def is_official(self):
        return self.kind in self.OFFICIAL_KINDS

    @property
    def is_open(self):
        """Still waiting for a step: the record is not handed over out of the system yet, the receiver
        has not confirmed, or the temporary stay has not ended."""
        if self.state in (self.State.CANCELLED, self.State.ENDED):
            return False
        if self.kind == self.Kind.OFFICIAL_OUT:
            return self.state in (self.State.REQUESTED, self.State.LETTER_ISSUED)
        if self.kind == self.Kind.TEMPORARY:
            return True
        return self.state in self.OPEN_STATES

    @property
    def destination(self):
        return self.to_unit.name if self.to_unit_id else self.outside_party

    @property
    def origin(self):
        return self.from_unit.name if self.from_unit_id else self.outside_party


class TransferStep(models.Model):
    """One dated step of a transfer, by whom: the timeline of the detail page."""

    transfer = models.ForeignKey(Transfer, related_name="steps", on_delete=models.CASCADE)
    state = models.CharField(_("state"), max_length=16, choices=Transfer.State.choices)
    date = models.DateField(_("date"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["transfer_id", "created_at", "pk"]

    def __str__(self):
        return f"{self.transfer_id} {self.state} {self.date:%d/%m/%Y}"


class ReminderSent(models.Model):
    """A deadline reminder already sent (the reminder command is idempotent)."""

    transfer = models.ForeignKey(Transfer, related_name="+", on_delete=models.CASCADE)
    deadline = models.CharField(max_length=32)
    days_before = models.IntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["transfer", "deadline", "days_before"], name="transfer_reminder_once")
        ]

    def __str__(self):
        return f"{self.transfer_id} {self.deadline} −{self.days_before}"
