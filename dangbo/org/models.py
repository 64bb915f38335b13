from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangbo.core.text import fold, nfc


class Cluster(models.Model):
    """Cụm: a group of grassroots units for consultations and quarterly briefings."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")

    def __str__(self):
        return self.name


class OrgUnitQuerySet(models.QuerySet):
    def active(self, on=None):
        """Units that exist on ``on`` (today by default)."""
        on = on or timezone.localdate()
        return self.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))

    def in_subtree(self, unit):
        return self.filter(path__startswith=unit.path)

    def grassroots(self):
        return self.filter(kind__in=OrgUnit.GRASSROOTS_KINDS)


class OrgUnit(models.Model):
    """Every party organization of the tree, from the bloc committee down to party groups.

    ``path`` is materialized ("/1/7/42/"): a subtree is ``path__startswith``, the
    same index on SQLite and PostgreSQL. Restructuring services keep ``path`` of
    the whole subtree in step and write an OrgUnitVersion for the history.
    """

    class Kind(models.TextChoices):
        BLOC = "bloc", _("Bloc party committee")
        GRASSROOTS_COMMITTEE = "grassroots_committee", _("Grassroots party committee")
        GRASSROOTS_CELL = "grassroots_cell", _("Grassroots party cell")
        SUB_COMMITTEE = "sub_committee", _("Sub-committee")
        SUBORDINATE_CELL = "subordinate_cell", _("Subordinate party cell")
        PARTY_GROUP = "party_group", _("Party group")

    class Sector(models.TextChoices):
        PARTY_AGENCY = "party_agency", _("Party agency")
        STATE_AGENCY = "state_agency", _("State agency")
        MASS_ORGANIZATION = "mass_organization", _("Mass organization")
        PUBLIC_SERVICE = "public_service", _("Public service unit")
        ENTERPRISE = "enterprise", _("Enterprise")
        OTHER = "other", _("Other")

    GRASSROOTS_KINDS = (Kind.GRASSROOTS_COMMITTEE, Kind.GRASSROOTS_CELL)
    # Kinds that hold members directly and hold cell meetings.
    CELL_KINDS = (Kind.GRASSROOTS_CELL, Kind.SUBORDINATE_CELL)
    # Which kinds may sit directly under which (Điều lệ Điều 21–25).
    ALLOWED_CHILDREN = {
        # A bloc may stand under a bloc or a higher committee modelled as one (seed 003: the city's
        # business bloc under the city committee); issue on history §6.
        Kind.BLOC: (Kind.BLOC, Kind.GRASSROOTS_COMMITTEE, Kind.GRASSROOTS_CELL),
        Kind.GRASSROOTS_COMMITTEE: (Kind.SUB_COMMITTEE, Kind.SUBORDINATE_CELL),
        Kind.SUB_COMMITTEE: (Kind.SUBORDINATE_CELL,),
        Kind.GRASSROOTS_CELL: (Kind.PARTY_GROUP,),
        Kind.SUBORDINATE_CELL: (Kind.PARTY_GROUP,),
        Kind.PARTY_GROUP: (),
    }

    name = models.CharField(_("name"), max_length=255)
    search_name = models.CharField(max_length=255, editable=False, db_index=True)
    code = models.CharField(_("code"), max_length=32, blank=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, related_name="children", on_delete=models.PROTECT
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), null=True, blank=True, related_name="units", on_delete=models.SET_NULL
    )
    valid_from = models.DateField(_("established on"))
    valid_to = models.DateField(_("ended on"), null=True, blank=True)
    ended_reason = models.CharField(_("reason ended"), max_length=255, blank=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("party organization")
        verbose_name_plural = _("party organizations")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="orgunit_dates_ordered",
            )
        ]

    def __str__(self):
        return self.name

    def set_name(self, name):
        self.name = nfc(" ".join(name.split()))
        self.search_name = fold(self.name)

    def compute_path(self):
        """Set ``path``/``depth`` from the parent (needs ``pk``)."""
        prefix = self.parent.path if self.parent_id else "/"
        self.path = f"{prefix}{self.pk}/"
        self.depth = self.path.count("/") - 2

    def ancestor_ids(self, include_self=False):
        ids = [int(x) for x in self.path.strip("/").split("/") if x]
        return ids if include_self else ids[:-1]

    def ancestors(self):
        return OrgUnit.objects.filter(pk__in=self.ancestor_ids()).order_by("depth")

    def is_in_subtree_of(self, other):
        return self.path.startswith(other.path)

    def is_active_on(self, day):
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)

    @property
    def is_active(self):
        return self.is_active_on(timezone.localdate())

    @property
    def is_cell(self):
        return self.kind in self.CELL_KINDS

    @property
    def is_grassroots(self):
        return self.kind in self.GRASSROOTS_KINDS


class OrgUnitVersion(models.Model):
    """What a unit was (name, kind, parent, cluster) over a period: the tree on any past date."""

    class Change(models.TextChoices):
        CREATED = "created", _("Established")
        RENAMED = "renamed", _("Renamed")
        MOVED = "moved", _("Moved under another unit")
        UPDATED = "updated", _("Details changed")
        MERGED_INTO = "merged_into", _("Merged into another unit")
        MERGED = "merged", _("Received a merged unit")
        SPLIT = "split", _("Split")
        SPLIT_FROM = "split_from", _("Established by a split")
        DISSOLVED = "dissolved", _("Dissolved")

    unit = models.ForeignKey(OrgUnit, related_name="versions", on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=32, choices=OrgUnit.Kind.choices)
    sector = models.CharField(_("sector"), max_length=32, choices=OrgUnit.Sector.choices, blank=True)
    parent = models.ForeignKey(
        OrgUnit, verbose_name=_("parent unit"), null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    cluster = models.ForeignKey(Cluster, null=True, blank=True, related_name="+", on_delete=models.SET_NULL)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)
    change = models.CharField(_("change"), max_length=20, choices=Change.choices)
    decision_no = models.CharField(_("decision number"), max_length=100, blank=True)
    related_unit = models.ForeignKey(OrgUnit, null=True, blank=True, related_name="+", on_delete=models.SET_NULL)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["unit_id", "valid_from", "id"]
        verbose_name = _("unit history entry")
        verbose_name_plural = _("unit history")
        indexes = [models.Index(fields=["unit", "valid_from"], name="orgunitversion_unit_from_idx")]

    def __str__(self):
        return f"{self.name} ({self.valid_from:%d/%m/%Y})"
