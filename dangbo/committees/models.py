"""Committees (cấp ủy) and their terms, political standards appraisals, consultations and proposals,
and the library of good models (DOMAIN.md §1, §9).

A committee is the set of ``Seat`` rows of a unit in force on a day: every change is a dated row
(elected at a congress, elected or appointed between congresses, ended for a reason), so the
committee and the count of reinforced units for any past period read the same after later changes.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dangbo.core.text import fold, nfc


class Term(models.Model):
    """A congress of a unit and the term it opens (nhiệm kỳ); ``ends_on`` comes from the rules."""

    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("party organization"), related_name="terms", on_delete=models.PROTECT
    )
    congress_date = models.DateField(_("congress date"))
    ends_on = models.DateField(_("term ends on"))
    label = models.CharField(_("term"), max_length=50, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["unit_id", "-congress_date"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        constraints = [
            models.UniqueConstraint(fields=["unit", "congress_date"], name="committees_term_unique"),
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("congress_date")), name="committees_term_dates"),
        ]

    def __str__(self):
        return self.label or f"{self.congress_date:%Y}–{self.ends_on:%Y}"


class Seat(models.Model):
    """One member's position on a unit's committee from ``start_date`` to ``end_date`` (excluded)."""

    class Position(models.TextChoices):
        SECRETARY = "secretary", _("Secretary")
        DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
        STANDING = "standing", _("Standing committee member")
        MEMBER = "member", _("Committee member")
        INSPECTION_CHAIR = "inspection_chair", _("Inspection commission chair")
        INSPECTION_MEMBER = "inspection_member", _("Inspection commission member")

    class Method(models.TextChoices):
        CONGRESS = "congress", _("Elected at the congress")
        ELECTED = "elected", _("Elected between congresses")
        APPOINTED = "appointed", _("Appointed by the higher committee")

    class EndReason(models.TextChoices):
        TERM_END = "term_end", _("End of term")
        RETIRED = "retired", _("Retired")
        TRANSFERRED = "transferred", _("Transferred to other work")
        RESIGNED = "resigned", _("Relieved at own request")
        DISMISSED = "dismissed", _("Dismissed")
        OTHER = "other", _("Other")

    COMMITTEE_POSITIONS = (Position.SECRETARY, Position.DEPUTY_SECRETARY, Position.STANDING, Position.MEMBER)
    INSPECTION_POSITIONS = (Position.INSPECTION_CHAIR, Position.INSPECTION_MEMBER)

    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("party organization"), related_name="seats", on_delete=models.PROTECT
    )
    term = models.ForeignKey(
        Term, verbose_name=_("term"), null=True, blank=True, related_name="seats", on_delete=models.SET_NULL
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("party member"), related_name="seats", on_delete=models.PROTECT
    )
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    method = models.CharField(_("how"), max_length=20, choices=Method.choices)
    decision_no = models.CharField(_("decision number"), max_length=100, blank=True)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    end_reason = models.CharField(_("reason ended"), max_length=20, choices=EndReason.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit_id", "start_date", "pk"]
        verbose_name = _("committee seat")
        verbose_name_plural = _("committee seats")
        indexes = [models.Index(fields=["unit", "start_date"], name="committees_seat_unit_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="committees_seat_dates",
            )
        ]

    def __str__(self):
        return f"{self.member} – {self.get_position_display()}"

    def is_active_on(self, day):
        return self.start_date <= day and (self.end_date is None or day < self.end_date)

    @property
    def is_reinforcement(self):
        return self.method != self.Method.CONGRESS


class Appraisal(models.Model):
    """A political standards appraisal (thẩm định tiêu chuẩn chính trị): workflow, storage and audit only;
    the conclusion is what the appraisers decided, never computed."""

    class Purpose(models.TextChoices):
        PROMOTION = "promotion", _("Promotion")
        APPOINTMENT = "appointment", _("Appointment or reappointment")
        PLANNING = "planning", _("Cadre planning")
        ADMISSION = "admission", _("Admission to the Party")

    class Conclusion(models.TextChoices):
        PENDING = "pending", _("Under appraisal")
        MEETS = "meets", _("Meets the political standards")
        DOES_NOT_MEET = "does_not_meet", _("Does not meet the political standards")
        NOT_CONCLUDED = "not_concluded", _("Not concluded, more verification needed")

    class Secrecy(models.TextChoices):
        CONFIDENTIAL = "confidential", _("Confidential")
        SECRET = "secret", _("Secret")

    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("requesting unit"), related_name="appraisals", on_delete=models.PROTECT
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("party member"),
        null=True,
        blank=True,
        related_name="appraisals",
        on_delete=models.PROTECT,
    )
    subject_name = models.CharField(_("person appraised"), max_length=255)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    proposed_position = models.CharField(_("proposed position"), max_length=255, blank=True)
    request_no = models.CharField(_("request document number"), max_length=100, blank=True)
    requested_on = models.DateField(_("requested on"))
    scope = models.TextField(_("scope of the appraisal"))
    secrecy = models.CharField(_("classification"), max_length=20, choices=Secrecy.choices)
    conclusion = models.CharField(
        _("conclusion"), max_length=20, choices=Conclusion.choices, default=Conclusion.PENDING
    )
    conclusion_text = models.TextField(_("grounds of the conclusion"), blank=True)
    conclusion_no = models.CharField(_("conclusion document number"), max_length=100, blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-requested_on", "-pk"]
        verbose_name = _("political standards appraisal")
        verbose_name_plural = _("political standards appraisals")

    def __str__(self):
        return self.subject_name

    def get_absolute_url(self):
        return reverse("committees:appraisal", args=[self.pk])


class Department(models.TextChoices):
    """The bloc committee's advisory bodies a proposal can be assigned to."""

    OFFICE = "office", _("Office of the bloc committee")
    ORGANIZATION = "organization", _("Organization department")
    PROPAGANDA = "propaganda", _("Propaganda and mass mobilization department")
    INSPECTION = "inspection", _("Inspection commission")


class Session(models.Model):
    """A consultation (tham vấn): the bloc or a committee hears the secretaries of a cluster or units."""

    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("holding committee"), related_name="+", on_delete=models.PROTECT
    )
    cluster = models.ForeignKey(
        "org.Cluster",
        verbose_name=_("cluster"),
        null=True,
        blank=True,
        related_name="consultations",
        on_delete=models.PROTECT,
    )
    title = models.CharField(_("title"), max_length=255)
    held_on = models.DateField(_("consultation date"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    chaired_by = models.CharField(_("chaired by"), max_length=255)
    invited = models.ManyToManyField(
        "org.OrgUnit", verbose_name=_("invited units (their secretaries)"), related_name="+", blank=True
    )
    attendees = models.TextField(_("other participants"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("committees:session", args=[self.pk])


class Proposal(models.Model):
    """An opinion or proposal (ý kiến, kiến nghị) raised at a consultation or submitted online, followed
    to its published answer."""

    class Category(models.TextChoices):
        STAFFING = "staffing", _("Staffing for party work")
        FUNDING = "funding", _("Funding and allowances")
        DOCUMENTS = "documents", _("Documents and guidance")
        IT = "it", _("Information technology")
        STUDY = "study", _("Studying resolutions")
        ORGANIZATION = "organization", _("Organization and members")
        OTHER = "other", _("Other")

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Sent to the bloc")
        ASSIGNED = "assigned", _("Assigned")
        ANSWERED = "answered", _("Answer drafted")
        PUBLISHED = "published", _("Answer published")

    OPEN_STATES = (State.SUBMITTED, State.ASSIGNED, State.ANSWERED)

    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("from organization"), related_name="proposals", on_delete=models.PROTECT
    )
    session = models.ForeignKey(
        Session,
        verbose_name=_("consultation"),
        null=True,
        blank=True,
        related_name="proposals",
        on_delete=models.PROTECT,
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        null=True,
        blank=True,
        related_name="proposals",
        on_delete=models.SET_NULL,
    )
    asker_name = models.CharField(_("who raised it"), max_length=255)
    category = models.CharField(_("proposal category"), max_length=20, choices=Category.choices)
    title = models.CharField(_("proposal subject"), max_length=255)
    text = models.TextField(_("content"))
    submitted_on = models.DateField(_("submitted on"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.SUBMITTED)
    department = models.CharField(_("assigned to"), max_length=20, choices=Department.choices, blank=True)
    assigned_on = models.DateField(_("assigned on"), null=True, blank=True)
    due_on = models.DateField(_("answer due by"), null=True, blank=True)
    answer = models.TextField(_("answer to the proposal"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_on", "-pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [models.Index(fields=["state", "due_on"], name="committees_proposal_due_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("committees:proposal", args=[self.pk])

    def is_overdue(self, today):
        """Not answered by its deadline (an answer drafted in time counts; publishing is the office's)."""
        return self.due_on is not None and self.answered_on is None and self.due_on < today

    @property
    def answered_late(self):
        return bool(self.due_on and self.answered_on and self.answered_on > self.due_on)


class GoodModel(models.Model):
    """A new model or good practice (mô hình mới, cách làm hay) a unit shares; published once the bloc
    approves it."""

    class Field(models.TextChoices):
        PARTY_BUILDING = "party_building", _("Party building and organization")
        CELL_MEETINGS = "cell_meetings", _("Cell meetings")
        STUDY = "study", _("Studying resolutions")
        INSPECTION = "inspection", _("Inspection and supervision")
        MASS = "mass", _("Mass mobilization and organizations")
        DIGITAL = "digital", _("Digital transformation")
        PROFESSIONAL = "professional", _("Professional work of the agency")

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting approval")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Returned")

    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("party organization"), related_name="+", on_delete=models.PROTECT
    )
    title = models.CharField(_("title"), max_length=255)
    field = models.CharField(_("field of work"), max_length=20, choices=Field.choices)
    summary = models.TextField(_("what it is"))
    results = models.TextField(_("results"), blank=True)
    started_on = models.DateField(_("applied since"), null=True, blank=True)
    search_text = models.TextField(editable=False, default="")
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.SUBMITTED)
    review_note = models.CharField(_("review note"), max_length=255, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    submitted_on = models.DateField(_("submitted on"))
    published_on = models.DateField(_("published on"), null=True, blank=True)

    class Meta:
        ordering = ["-published_on", "-submitted_on", "-pk"]
        verbose_name = _("good model")
        verbose_name_plural = _("good models")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("committees:model", args=[self.pk])

    def set_text(self, *, title, summary, results):
        self.title = nfc(" ".join(title.split()))
        self.summary = nfc(summary.strip())
        self.results = nfc(results.strip())
        self.search_text = " " + fold(" ".join([self.title, self.summary, self.results]))
