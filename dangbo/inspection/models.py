"""Inspection, supervision and discipline (kiểm tra, giám sát, thi hành kỷ luật; DOMAIN.md §7).

A ``Plan`` is a subject's annual programme; its objects and content are the ``Case`` rows it lists (planned,
then run). A case is one supervision or inspection by one subject (committee, standing committee,
inspection commission, cell) of organizations and members (``Target`` rows), with its team, dated
``Step`` rows, a conclusion and ``Recommendation`` rows followed up to their end.

A ``DisciplineCase`` is one member's (or one organization's) discipline: the violation, the hearing,
deferrals, the votes and the decision, which writes the member's DISCIPLINED event (and the EXPELLED status
change for an expulsion); ``Appeal`` rows follow it. ``StateDiscipline`` records the intake of a state or
mass-organization discipline notified to the party organization.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Subject(models.TextChoices):
    """Who supervises or inspects (chủ thể, 296 Điều 3)."""

    COMMITTEE = "committee", _("Party committee")
    STANDING = "standing", _("Standing committee")
    COMMISSION = "commission", _("Inspection commission")
    CELL = "cell", _("Party cell")


# The seeds' two groups: "cấp ủy các cấp" (committees, their standing committees and the cells) and
# "ủy ban kiểm tra các cấp" (inspection commissions).
COMMITTEE_SUBJECTS = (Subject.COMMITTEE, Subject.STANDING, Subject.CELL)
COMMISSION_SUBJECTS = (Subject.COMMISSION,)


class Plan(models.Model):
    """The annual inspection and supervision plan of one subject of one unit."""

    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("unit"), related_name="+", on_delete=models.PROTECT)
    subject = models.CharField(_("subject"), max_length=12, choices=Subject.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.CharField(_("plan number"), max_length=100, blank=True)
    content = models.TextField(_("content"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, related_name="+", on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "unit__path", "subject"]
        verbose_name = _("inspection and supervision plan")
        verbose_name_plural = _("inspection and supervision plans")
        constraints = [models.UniqueConstraint(fields=["unit", "subject", "year"], name="inspection_plan_unique")]

    def __str__(self):
        return f"{self.get_subject_display()} – {self.unit} – {self.year}"

    def get_absolute_url(self):
        return reverse("inspection:plan", args=[self.pk])


class Case(models.Model):
    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular supervision")
        THEMATIC = "thematic", _("Thematic supervision")
        THEMATIC_INSPECTION = "thematic_inspection", _("Thematic inspection")
        VIOLATION = "violation", _("Inspection on signs of violation")
        IMPLEMENTATION = "implementation", _("Inspection of resolution implementation")

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RUNNING = "running", _("In progress")
        CONCLUDED = "concluded", _("Concluded")
        CANCELLED = "cancelled", _("Cancelled")

    SUPERVISION_KINDS = (Kind.REGULAR, Kind.THEMATIC)
    INSPECTION_KINDS = (Kind.THEMATIC_INSPECTION, Kind.VIOLATION, Kind.IMPLEMENTATION)

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), null=True, blank=True, related_name="cases", on_delete=models.SET_NULL
    )
    # The subject: which body of which unit runs it.
    subject_unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("conducted by"), related_name="+", on_delete=models.PROTECT
    )
    subject = models.CharField(_("subject"), max_length=12, choices=Subject.choices)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    # The organization concerned (inspected, or whose members are supervised).
    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("organization concerned"), related_name="+", on_delete=models.PROTECT
    )
    title = models.CharField(_("title"), max_length=255)
    content = models.TextField(_("content"), blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.PLANNED)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True, db_index=True)
    decision_no = models.CharField(_("decision number"), max_length=100, blank=True)
    team_leader = models.CharField(_("team leader"), max_length=255, blank=True)
    team = models.TextField(_("team members"), blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    conclusion_no = models.CharField(_("conclusion number"), max_length=100, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, related_name="+", on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("inspection or supervision case")
        verbose_name_plural = _("inspection and supervision cases")
        indexes = [models.Index(fields=["started_on", "subject", "kind"], name="inspection_case_period_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("inspection:case", args=[self.pk])

    @property
    def is_supervision(self):
        return self.kind in self.SUPERVISION_KINDS


class Target(models.Model):
    """One object of a case: an organization or a member (đối tượng)."""

    case = models.ForeignKey(Case, related_name="targets", on_delete=models.CASCADE)
    org = models.ForeignKey("org.OrgUnit", null=True, blank=True, related_name="+", on_delete=models.PROTECT)
    member = models.ForeignKey("members.Member", null=True, blank=True, related_name="+", on_delete=models.PROTECT)

    class Meta:
        ordering = ["case_id", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(org__isnull=True, member__isnull=False) | Q(org__isnull=False, member__isnull=True),
                name="inspection_target_one_object",
            ),
            models.UniqueConstraint(fields=["case", "org"], name="inspection_target_org_once"),
            models.UniqueConstraint(fields=["case", "member"], name="inspection_target_member_once"),
        ]

    def __str__(self):
        return str(self.org or self.member)


class Step(models.Model):
    case = models.ForeignKey(Case, related_name="steps", on_delete=models.CASCADE)
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("step"), max_length=255)
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    document_no = models.CharField(_("document number"), max_length=100, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["case_id", "order", "pk"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self):
        return self.title

    def is_overdue(self, today):
        return self.done_on is None and self.due_on is not None and self.due_on < today


class Recommendation(models.Model):
    case = models.ForeignKey(Case, related_name="recommendations", on_delete=models.CASCADE)
    text = models.TextField(_("recommendation"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_on = models.DateField(_("carried out on"), null=True, blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)

    class Meta:
        ordering = ["case_id", "pk"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self):
        return self.text[:60]


class Form(models.TextChoices):
    """Forms of discipline (296 Điều 9; QĐ 69 Điều 7)."""

    REPRIMAND = "reprimand", _("Reprimand")
    WARNING = "warning", _("Warning")
    DISMISSAL = "dismissal", _("Removal from post")
    EXPULSION = "expulsion", _("Expulsion")
    DISSOLUTION = "dissolution", _("Dissolution")


# What the member's record says (MemberEvent.note): the Vietnamese name, as the dossier is written.
FORM_NOTE = {
    Form.REPRIMAND: "Khiển trách",
    Form.WARNING: "Cảnh cáo",
    Form.DISMISSAL: "Cách chức",
    Form.EXPULSION: "Khai trừ",
    Form.DISSOLUTION: "Giải tán",
}


class Body(models.TextChoices):
    """The deciding body, on the unit ``DisciplineCase.deciding_unit``."""

    CELL = "cell", _("Party cell (its meeting)")
    CELL_COMMITTEE = "cell_committee", _("Cell committee (chi ủy)")
    COMMITTEE = "committee", _("Party committee")
    STANDING = "standing", _("Standing committee")
    COMMISSION = "commission", _("Inspection commission")


class DisciplineCase(models.Model):
    class Category(models.TextChoices):
        ORDINARY = "ordinary", _("Ordinary violation")
        INTERNAL_POLITICS = "internal_politics", _("Internal political matters")
        SECURITY = "security", _("Harm to security, defence or foreign affairs")
        DIPLOMA = "diploma", _("Use of illegal diplomas or certificates")

    class State(models.TextChoices):
        OPEN = "open", _("Under consideration")
        DECIDED = "decided", _("Decided")
        NOT_DISCIPLINED = "not_disciplined", _("Not disciplined")
        CLOSED = "closed", _("Closed")

    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("party member"),
        null=True,
        blank=True,
        related_name="discipline_cases",
        on_delete=models.PROTECT,
    )
    org = models.ForeignKey(
        "org.OrgUnit",
        verbose_name=_("party organization"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    # The unit the case belongs to (the member's unit when opened, or the organization): scope and figures.
    unit = models.ForeignKey("org.OrgUnit", related_name="+", on_delete=models.PROTECT)
    inspection_case = models.ForeignKey(
        Case,
        verbose_name=_("from the inspection"),
        null=True,
        blank=True,
        related_name="discipline_cases",
        on_delete=models.SET_NULL,
    )
    violation = models.TextField(_("violation"))
    violation_on = models.DateField(_("date of the violation"))
    # A later violation restarts the limitation period (QĐ 69 Điều 4).
    new_violation_on = models.DateField(_("date of a new violation"), null=True, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.ORDINARY)
    higher_task = models.BooleanField(_("concerns a task assigned by a higher level"), default=False)
    holds_post = models.BooleanField(_("holds a party post"), default=False)
    proposed_form = models.CharField(_("proposed form"), max_length=12, choices=Form.choices)
    deciding_unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("deciding unit"), related_name="+", on_delete=models.PROTECT
    )
    deciding_body = models.CharField(_("deciding body"), max_length=16, choices=Body.choices)
    heard_on = models.DateField(_("member heard on"), null=True, blank=True)
    hearing_refusals = models.PositiveSmallIntegerField(_("unexcused refusals to attend"), default=0)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    form = models.CharField(_("form decided"), max_length=12, choices=Form.choices, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    effective_on = models.DateField(_("in force from"), null=True, blank=True, db_index=True)
    decision_no = models.CharField(_("decision number"), max_length=100, blank=True)
    received_on = models.DateField(_("decision received on"), null=True, blank=True)
    rule_values = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, related_name="+", on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("discipline case")
        verbose_name_plural = _("discipline cases")
        constraints = [
            models.CheckConstraint(
                condition=Q(org__isnull=True, member__isnull=False) | Q(org__isnull=False, member__isnull=True),
                name="discipline_one_object",
            )
        ]

    def __str__(self):
        return str(self.member or self.org)

    def get_absolute_url(self):
        return reverse("inspection:discipline", args=[self.pk])

    @property
    def name(self):
        return self.member.full_name if self.member_id else self.org.name


class Deferral(models.Model):
    """Discipline deferred (296 Điều 8.7) while the member is pregnant, nursing a child under 12 months or
    seriously ill."""

    class Reason(models.TextChoices):
        PREGNANCY = "pregnancy", _("Pregnancy")
        INFANT = "infant", _("Nursing a child under 12 months")
        ILLNESS = "illness", _("Serious illness")

    case = models.ForeignKey(DisciplineCase, related_name="deferrals", on_delete=models.CASCADE)
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["case_id", "starts_on"]
        verbose_name = _("deferral")
        verbose_name_plural = _("deferrals")

    def __str__(self):
        return self.get_reason_display()


class Vote(models.Model):
    class Stage(models.TextChoices):
        PROPOSAL = "proposal", _("Proposal (expulsion)")
        DECISION = "decision", _("Decision")

    case = models.ForeignKey(DisciplineCase, related_name="votes", on_delete=models.CASCADE)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    form = models.CharField(_("form"), max_length=12, choices=Form.choices)
    held_on = models.DateField(_("vote held on"))
    # Official members of the cell, or members of the deciding body (the denominator).
    total = models.PositiveSmallIntegerField(_("members with a vote"))
    in_favour = models.PositiveSmallIntegerField(_("in favour"))
    passed = models.BooleanField(default=False)
    threshold = models.JSONField(default=list)

    class Meta:
        ordering = ["case_id", "held_on", "pk"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")

    def __str__(self):
        return f"{self.in_favour}/{self.total}"


class Appeal(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "pending", _("Being handled")
        UPHELD = "upheld", _("Decision upheld")
        CHANGED = "changed", _("Form changed")
        ANNULLED = "annulled", _("Decision annulled")

    case = models.ForeignKey(DisciplineCase, related_name="appeals", on_delete=models.CASCADE)
    filed_on = models.DateField(_("filed on"))
    content = models.TextField(_("content"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    decided_on = models.DateField(_("answered on"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)

    class Meta:
        ordering = ["-filed_on", "-pk"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self):
        return f"{self.case} – {self.filed_on:%d/%m/%Y}"


class StateDiscipline(models.Model):
    """A state or mass-organization discipline of a member, to be notified to the party organization
    within the rule's days (296 Điều 8.5)."""

    member = models.ForeignKey(
        "members.Member", verbose_name=_("party member"), related_name="+", on_delete=models.PROTECT
    )
    authority = models.CharField(_("deciding agency or organization"), max_length=255)
    form = models.CharField(_("form of discipline"), max_length=255)
    decision_no = models.CharField(_("decision number"), max_length=100)
    decided_on = models.DateField(_("decided on"))
    notified_on = models.DateField(_("notified to the party organization on"), null=True, blank=True)
    due_on = models.DateField(_("to be notified by"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, related_name="+", on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("state discipline notice")
        verbose_name_plural = _("state discipline notices")

    def __str__(self):
        return f"{self.member} – {self.decision_no}"

    @property
    def late(self):
        return self.notified_on is not None and self.notified_on > self.due_on
