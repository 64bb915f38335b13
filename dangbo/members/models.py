from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from dangbo.core.text import fold, nfc


def vietnamese_sort_key(full_name):
    """Given name first, then the rest: Vietnamese lists are alphabetical by given name."""
    words = fold(full_name).split()
    return " ".join(words[-1:] + words[:-1])


def photo_path(member, filename):
    """Photos live under MEDIA_ROOT with an unguessable name and are served only through the access check."""
    import uuid

    return f"members/photos/{uuid.uuid4().hex}.jpg"


class MemberQuerySet(models.QuerySet):
    """Every bulk write of a field the unit tallies count (``members.tallies``) keeps them in step, in the
    same transaction: ``update`` (which ``bulk_update`` calls) and ``bulk_create`` here, ``save`` and deletion on
    the model."""

    def in_subtree(self, unit):
        return self.filter(unit__path__startswith=unit.path)

    def update(self, **kwargs):
        from dangbo.members import tallies

        if not tallies.touches(kwargs):
            return super().update(**kwargs)
        with transaction.atomic(using=self.db):
            before = tallies.snapshot(self)
            n = super().update(**kwargs)
            tallies.retally(before, tallies.snapshot_ids(before))
        return n

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        from dangbo.members import tallies

        with transaction.atomic(using=self.db):
            objs = super().bulk_create(objs, *args, **kwargs)
            tallies.retally({}, {o.pk or id(o): tallies.row_of(o) for o in objs})
        return objs

    bulk_create.alters_data = True

    def current(self):
        """Members still on the books (not transferred out, removed, expelled or deceased)."""
        return self.filter(status__in=Member.CURRENT_STATUSES)


class Member(models.Model):
    """A party member. The full 2-HSĐV profile comes with the member registry (issue 3)."""

    class Status(models.TextChoices):
        PROBATIONARY = "probationary", _("Probationary")
        OFFICIAL = "official", _("Official")
        EXEMPTED = "exempted", _("Exempted from party work")
        SUSPENDED = "suspended", _("Suspended")
        TRANSFERRED_OUT = "transferred_out", _("Transferred out")
        REMOVED = "removed", _("Removed from the list")
        EXPELLED = "expelled", _("Expelled")
        DECEASED = "deceased", _("Deceased")

    class Sex(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    class Qualification(models.TextChoices):
        NONE = "none", _("None")
        VOCATIONAL = "vocational", _("Vocational")
        COLLEGE = "college", _("College")
        BACHELOR = "bachelor", _("Bachelor")
        MASTER = "master", _("Master")
        DOCTOR = "doctor", _("Doctor")

    class TheoryLevel(models.TextChoices):
        NONE = "none", _("None")
        ELEMENTARY = "elementary", _("Elementary")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ADVANCED = "advanced", _("Advanced")
        BACHELOR = "bachelor", _("Bachelor of political theory")

    CURRENT_STATUSES = (Status.PROBATIONARY, Status.OFFICIAL, Status.EXEMPTED, Status.SUSPENDED)

    full_name = models.CharField(_("full name"), max_length=255)
    search_name = models.CharField(max_length=255, editable=False, db_index=True)
    # Vietnamese order: by given name, then family and middle names ("an nguyen van").
    sort_name = models.CharField(max_length=255, editable=False, db_index=True, default="")
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("party unit"), related_name="members", on_delete=models.PROTECT
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OFFICIAL)
    # "Ngày vào Đảng" is the ceremony date; party age counts from the date of the admission decision
    # (DOMAIN.md §3). An imported or older dossier may hold only the first.
    admission_date = models.DateField(_("admission date"), null=True, blank=True)
    admission_decision_date = models.DateField(_("admission decision date"), null=True, blank=True)
    official_date = models.DateField(_("official membership date"), null=True, blank=True)
    card_number = models.CharField(_("party card number"), max_length=9, null=True, blank=True, unique=True)
    position = models.CharField(_("position"), max_length=255, blank=True)
    # Part of the 2-HSĐV profile (DOMAIN.md §2); the rest comes with the full dossier.
    national_id = models.CharField(_("citizen ID number"), max_length=12, null=True, blank=True, unique=True)
    hometown = models.CharField(_("hometown"), max_length=255, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=50, blank=True, db_index=True)
    religion = models.CharField(_("religion"), max_length=50, blank=True, db_index=True)
    general_education = models.CharField(_("general education"), max_length=10, blank=True)
    qualification = models.CharField(
        _("professional qualification"), max_length=20, choices=Qualification.choices, blank=True, db_index=True
    )
    theory_level = models.CharField(
        _("political theory level"), max_length=20, choices=TheoryLevel.choices, blank=True, db_index=True
    )
    # More of 2-HSĐV: identity, residence (2025 administrative units), occupation, photo.
    other_names = models.CharField(_("other names"), max_length=255, blank=True)
    birth_place = models.CharField(_("place of birth"), max_length=255, blank=True)
    occupation = models.CharField(_("current occupation"), max_length=255, blank=True)
    residence_province = models.PositiveSmallIntegerField(_("province of residence"), null=True, blank=True)
    residence_ward = models.PositiveIntegerField(_("ward or commune of residence"), null=True, blank=True)
    residence_address = models.CharField(_("house number and street"), max_length=255, blank=True)
    # Where the member is on temporary transfer (sinh hoạt tạm thời); ``unit`` stays the official place,
    # which alone counts the member in totals and vote denominators (DOMAIN.md §4).
    temporary_unit = models.ForeignKey(
        "org.OrgUnit",
        verbose_name=_("temporary party unit"),
        null=True,
        blank=True,
        related_name="temporary_members",
        on_delete=models.PROTECT,
    )
    photo = models.ImageField(_("photo"), upload_to=photo_path, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        related_name="member",
        on_delete=models.SET_NULL,
    )

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["unit_id", "full_name"]
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        indexes = [
            models.Index(fields=["unit", "status"], name="member_unit_status_idx"),
            models.Index(fields=["birth_date"], name="member_birth_date_idx"),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        """Saves the member and moves its counts in the unit tallies (``members.tallies``) in one transaction."""
        from dangbo.members import tallies

        update_fields = kwargs.get("update_fields")
        if update_fields is not None and not tallies.touches(update_fields):
            return super().save(*args, **kwargs)
        with transaction.atomic(using=kwargs.get("using")):
            before = (
                {} if self._state.adding or self.pk is None else tallies.snapshot(Member.objects.filter(pk=self.pk))
            )
            super().save(*args, **kwargs)
            after = tallies.updated(before, [self], update_fields) if before else {self.pk: tallies.row_of(self)}
            tallies.retally(before, after)

    save.alters_data = True

    @property
    def residence(self):
        from dangbo.core.places import address

        return address(self.residence_address, self.residence_province, self.residence_ward)

    def clean(self):
        from django.core.exceptions import ValidationError

        from dangbo.core.places import ward_in_province

        errors = {}
        if self.residence_ward and not ward_in_province(self.residence_province, self.residence_ward):
            errors["residence_ward"] = _("This ward or commune is not in the chosen province.")
        if self.temporary_unit_id and self.temporary_unit_id == self.unit_id:
            errors["temporary_unit"] = _("The temporary unit must differ from the official unit.")
        if errors:
            raise ValidationError(errors)

    @property
    def party_age_from(self):
        """The date party age counts from: the admission decision, else the admission date."""
        return self.admission_decision_date or self.admission_date

    def set_name(self, name):
        self.full_name = nfc(" ".join(name.split()))
        self.search_name = fold(self.full_name)
        self.sort_name = vietnamese_sort_key(self.full_name)


class MemberEvent(models.Model):
    """Every change of a member's status or unit, dated, with its decision."""

    class Kind(models.TextChoices):
        ADMITTED = "admitted", _("Admitted")
        MADE_OFFICIAL = "made_official", _("Recognised as official member")
        TRANSFERRED_IN = "transferred_in", _("Transferred in")
        TRANSFERRED_OUT = "transferred_out", _("Transferred out")
        UNIT_CHANGED = "unit_changed", _("Unit changed by restructuring")
        EXEMPTED = "exempted", _("Exempted")
        REMOVED = "removed", _("Removed from the list")
        EXPELLED = "expelled", _("Expelled")
        DECEASED = "deceased", _("Deceased")
        CORRECTED = "corrected", _("Dossier corrected")
        # Used by the lifecycle apps (issue 4): a temporary transfer keeps the official unit.
        TEMPORARY_OUT = "temporary_out", _("Temporary transfer started")
        TEMPORARY_END = "temporary_end", _("Temporary transfer ended")
        EXEMPTION_ENDED = "exemption_ended", _("Exemption ended")
        SUSPENDED = "suspended", _("Suspended")
        RESTORED = "restored", _("Membership restored")
        # Written by the inspection app (issue 7): a discipline decision in force from ``date`` (the form in
        # ``note``); the review and the badges read it.
        DISCIPLINED = "disciplined", _("Disciplined")

    member = models.ForeignKey(Member, related_name="events", on_delete=models.CASCADE)
    kind = models.CharField(_("event"), max_length=32, choices=Kind.choices)
    date = models.DateField(_("date"))
    from_unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("from unit"), null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    to_unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("to unit"), null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    status_after = models.CharField(_("status after"), max_length=20, choices=Member.Status.choices, blank=True)
    decision_no = models.CharField(_("decision number"), max_length=100, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["member_id", "date", "id"]
        verbose_name = _("member event")
        verbose_name_plural = _("member events")
        indexes = [
            models.Index(fields=["member", "date"], name="memberevent_member_date_idx"),
            # Admissions of a year by unit (admission.stats, the targets page): by kind and date.
            models.Index(fields=["kind", "date"], name="memberevent_kind_date_idx"),
        ]

    def __str__(self):
        return f"{self.member} – {self.get_kind_display()} – {self.date:%d/%m/%Y}"


class MemberInterval(models.Model):
    """Derived from MemberEvent: where a member was and in which status over [valid_from, valid_to).

    Kept in step with the events in the same transaction (``members.intervals.rebuild_intervals``)
    so that "how many members in this subtree on date X" is one indexed range query, not a replay.
    """

    member = models.ForeignKey(Member, related_name="intervals", on_delete=models.CASCADE)
    unit = models.ForeignKey("org.OrgUnit", related_name="+", on_delete=models.PROTECT)
    status = models.CharField(max_length=20, choices=Member.Status.choices)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["member_id", "valid_from"]
        indexes = [
            models.Index(fields=["valid_from", "valid_to"], name="memberinterval_dates_idx"),
            models.Index(fields=["unit", "valid_from"], name="memberinterval_unit_idx"),
        ]

    def __str__(self):
        return f"{self.member_id} {self.status} {self.valid_from}–{self.valid_to}"


class UnitTally(models.Model):
    """How many of a unit's members have one value of one dimension today: derived from Member, kept in step in
    the same transaction as every write of a counted field (``members.tallies``), so that the figures of a
    subtree read units × categories rows, not its members. ``rebuild_tallies`` recounts them from the members.

    ``status`` counts every member; the other dimensions count the members on the books only.
    """

    class Dimension(models.TextChoices):
        STATUS = "status", "status"
        SEX = "sex", "sex"
        ETHNICITY = "ethnicity", "ethnicity"
        QUALIFICATION = "qualification", "qualification"
        THEORY = "theory_level", "theory_level"
        BIRTH_YEAR = "birth_year", "birth_year"
        BIRTH_MONTH = "birth_month", "birth_month"

    unit = models.ForeignKey("org.OrgUnit", related_name="+", on_delete=models.CASCADE)
    dimension = models.CharField(max_length=16, choices=Dimension.choices)
    value = models.CharField(max_length=50, blank=True)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "dimension", "value"], name="unittally_unit_dimension_value_uniq")
        ]
        # The figures read only the index: the subtree's units, the dimensions, their values and counts.
        indexes = [models.Index(fields=["unit", "dimension", "value", "count"], name="unittally_covering_idx")]

    def __str__(self):
        return f"{self.unit_id} {self.dimension}={self.value}: {self.count}"


class MemberImport(models.Model):
    """One uploaded Excel file of members: its rows, the problems found, and whether it was committed."""

    class State(models.TextChoices):
        CHECKING = "checking", _("Being checked")
        INVALID = "invalid", _("Has errors; nothing saved")
        READY = "ready", _("Ready to import")
        COMMITTING = "committing", _("Being imported")
        IMPORTED = "imported", _("Imported")

    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("import into"), related_name="+", on_delete=models.PROTECT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), related_name="+", on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file_name = models.CharField(_("file"), max_length=255)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.CHECKING)
    total = models.PositiveIntegerField(_("rows"), default=0)
    checked = models.PositiveIntegerField(default=0)
    # [{"row": 5, "values": {column key: text}, "numeric": [keys typed as numbers]}]
    rows = models.JSONField(default=list)
    # [{"row": 5, "column": "Ngày sinh", "message": "…", "level": "error" | "warning"}]
    issues = models.JSONField(default=list)
    imported = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(null=True, blank=True)
    # When the commit was handed to the background worker (state COMMITTING), and by whom.
    commit_requested_at = models.DateTimeField(null=True, blank=True)
    commit_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("member import")
        verbose_name_plural = _("member imports")

    def __str__(self):
        return self.file_name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("members:import_detail", kwargs={"pk": self.pk})

    @property
    def errors(self):
        return [i for i in self.issues if i["level"] == "error"]

    @property
    def error_count(self):
        return len(self.errors)

    @property
    def error_rows(self):
        return len({i["row"] for i in self.errors})

    @property
    def percent(self):
        return round(100 * self.checked / self.total) if self.total else 100


@receiver(post_delete, sender=Member)
def _untally_deleted_member(sender, instance, **kwargs):
    from dangbo.members import tallies

    tallies.retally({instance.pk: tallies.row_of(instance)}, {})
