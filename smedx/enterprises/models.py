from django.db import connection, models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from smedx.accounts.models import Organisation, Region
from smedx.core.fields import MAX_PEOPLE, MoneyField, between, not_negative
from smedx.core.status import StatusTone


class Stage(models.IntegerChoices):
    """The seed's 8-stage journey; 0 means the journey has not started."""

    NOT_STARTED = 0, _("Not started")
    DIAGNOSIS = 1, _("Diagnosis and assessment")
    STRATEGY = 2, _("Strategic planning")
    DESIGN = 3, _("Solution design")
    IMPLEMENTATION = 4, _("Project implementation")
    POLICY = 5, _("Policy support application")
    EVALUATION = 6, _("Outcome evaluation")
    PROMOTION = 7, _("Publicity and promotion")
    ITERATION = 8, _("Operation and iteration")


class SizeClass(models.TextChoices):
    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


class Level(models.IntegerChoices):
    """The overall digital level (0 未达一级 … 4 四级): one way to name it on every page and export."""

    BELOW_1 = 0, _("Below level 1")
    LEVEL_1 = 1, _("Level 1")
    LEVEL_2 = 2, _("Level 2")
    LEVEL_3 = 3, _("Level 3")
    LEVEL_4 = 4, _("Level 4")


class LevelBasis(models.TextChoices):
    """Which assessment the enterprise's current level comes from (latest verified, else latest self)."""

    VERIFIED = "verified", _("Verified on site")
    SELF = "self", _("Self-assessed")


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=30, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name


def visible_condition(user, prefix: str = "", region: str | None = None) -> Q | None:
    """The condition on enterprises (reached through `prefix`, e.g. "enterprise__") that `user` may see:
    Q() for the city (everything), the region for a district, the own row for an enterprise, None for
    nothing. Other apps filter their rows by it directly, never through an IN over every enterprise;
    a row that keeps its enterprise's region itself names that column as `region`."""
    if not user.is_authenticated or not user.has_right("enterprises.enterprise:view"):
        return None
    org = user.organisation
    if org.kind == Organisation.Kind.AUTHORITY:
        if org.level == Organisation.Level.CITY:
            return Q()
        return Q(**{region or f"{prefix}region_id": org.region_id})
    if org.kind == Organisation.Kind.ENTERPRISE:
        return Q(**{f"{prefix}organisation_id": org.pk})
    return None


class Bigrams(models.Func):
    """`smedx_bigrams(text)`: the distinct two-character pieces of the lower-cased text (PostgreSQL,
    created by migration 0005 with the GIN index over the enterprise names)."""

    function = "smedx_bigrams"
    output_field = models.TextField()


class ContainsAll(models.Func):
    """`a @> b`: array a holds every element of array b."""

    arg_joiner = " @> "
    template = "(%(expressions)s)"
    output_field = models.BooleanField()


class InArray(models.Func):
    """`column = ANY(ARRAY(subquery))`: the subquery runs once and its ids probe the column's index
    (PostgreSQL), where `column IN (subquery)` inside an OR is checked row by row."""

    arg_joiner = " = ANY(ARRAY"
    template = "(%(expressions)s))"
    output_field = models.BooleanField()


def search_condition(text: str, prefix: str = "") -> Q:
    """Name contains `text` (case-insensitive) or the credit code starts with it. On PostgreSQL a name
    search of two or more characters first narrows by the bigram index (two-character Chinese names
    such as 宏达 have no trigram), then checks the containment on the rows it found."""
    text = (text or "").strip()
    name = Q(**{f"{prefix}name__icontains": text})
    if connection.vendor == "postgresql" and len(text) >= 2:
        name &= Q(ContainsAll(Bigrams(models.F(f"{prefix}name")), Bigrams(models.Value(text))))
    # A credit code is digits and Latin capitals: a Chinese text cannot start one, and leaving the OR
    # out lets PostgreSQL check the bigram condition in the index alone, not again on every row found.
    if not (text.isascii() and text.isalnum()):
        return name
    return name | Q(**{f"{prefix}credit_code__startswith": text.upper()})


def visible_or(user, prefix: str, other: Q | None, region: str | None = None) -> Q | None:
    """`visible_condition` OR `other` (None: nothing more), minding that Q() | x would be just x."""
    condition = visible_condition(user, prefix, region)
    if condition is None or condition == Q():
        return other if condition is None else condition
    return condition if other is None else condition | other


def visible_through(qs, user, prefix: str, region: str | None = None):
    """`qs` (rows of an enterprise reached through `prefix`) cut to the enterprises `user` may see;
    `region`: the row's own district column, when it keeps one (`DistrictRow`)."""
    condition = visible_condition(user, prefix, region)
    return qs.none() if condition is None else qs.filter(condition)


class EnterpriseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Rows `user` may know exist: the city sees all, a district its region, an enterprise itself."""
        condition = visible_condition(user)
        return self.none() if condition is None else self.filter(condition)

    def awaiting_review(self):
        """A sign-up awaiting its decision, or a filed case file claimed by an organisation not yet
        approved. Written without a join so that PostgreSQL ORs two index scans (region and status;
        the few pending organisations' ids) instead of reading every case file of the district."""
        pending = Organisation.objects.filter(status=Organisation.Status.PENDING).order_by().values("pk")
        claimed = (
            Q(InArray(models.F("organisation_id"), models.Subquery(pending)))
            if connection.vendor == "postgresql"
            else Q(organisation_id__in=pending)
        )
        return self.filter(Q(status=Enterprise.Status.PENDING) | claimed)

    def search(self, text: str, prefix: str = ""):
        """Enterprises whose name contains `text` or whose credit code starts with it."""
        return self.filter(search_condition(text, prefix)) if (text or "").strip() else self


class Enterprise(StatusTone, models.Model):
    """The enterprise case file (一企一档): one row per enterprise, the root every stage links to."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending approval")
        ACTIVE = "active", _("Active")
        REJECTED = "rejected", _("Rejected")

    STATUS_TONES = {Status.PENDING: "warning", Status.ACTIVE: "success", Status.REJECTED: "danger"}

    name = models.CharField(_("enterprise name"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    region = models.ForeignKey(Region, verbose_name=_("district"), on_delete=models.PROTECT)
    industry_section = models.CharField(_("industry section"), max_length=1, db_index=True)
    industry_division = models.CharField(_("industry division"), max_length=2, db_index=True)
    industry_code = models.CharField(_("finer industry code"), max_length=4, blank=True)
    employees = models.PositiveIntegerField(_("employees"), validators=between(0, MAX_PEOPLE))
    revenue = MoneyField(_("annual revenue (10k yuan)"))
    size_class = models.CharField(_("size"), max_length=10, choices=SizeClass.choices, db_index=True)
    above_scale = models.BooleanField(_("above designated size (规上)"), default=False)
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="enterprises")
    organisation = models.OneToOneField(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="enterprise"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    stage = models.PositiveSmallIntegerField(_("stage"), choices=Stage.choices, default=Stage.NOT_STARTED)
    stage_changed_at = models.DateTimeField(null=True, blank=True)
    # The current level: its latest verified assessment, else its latest submitted self-assessment.
    # Kept on the row by stage 1's services (`assessments.standing`) so lists filter and sort on it.
    current_level = models.PositiveSmallIntegerField(
        _("current level"), choices=Level.choices, null=True, blank=True
    )
    current_score = models.DecimalField(
        _("current score"), max_digits=7, decimal_places=3, null=True, blank=True
    )
    current_basis = models.CharField(
        _("current level from"), max_length=10, choices=LevelBasis.choices, blank=True, default=""
    )
    # The level of its latest on-site verified assessment alone (None: never verified), and whether it
    # is "transformed" (reached project implementation or has a rated after-assessment, T1 or later):
    # kept by the same services, so the plan targets and filters read the row instead of the history.
    verified_level = models.PositiveSmallIntegerField(
        _("verified level"), choices=Level.choices, null=True, blank=True
    )
    transformed = models.BooleanField(_("transformed"), default=False)
    # Bumped by every update; a form posts the version it was based on, so concurrent edits conflict.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="enterprise_list_order"),
            models.Index(fields=["region", "-created_at", "-id"], name="enterprise_region_list_order"),
            models.Index(
                fields=["credit_code"], name="enterprise_code_prefix", opclasses=["varchar_pattern_ops"]
            ),
            # A district's active case files with the facts tier rules test: a classification counts
            # them from this index alone, without reading rows spread over the whole table.
            models.Index(
                fields=["region", "status"],
                include=["id", "size_class", "above_scale", "industry_division", "current_level"],
                name="enterprise_district_facts",
            ),
            models.Index(fields=["region", "industry_division"]),
            models.Index(fields=["stage"]),
            models.Index(fields=["region", "current_level"]),
            models.Index(fields=["current_score"]),
        ]
        constraints = not_negative("revenue")

    def __str__(self):
        return self.name

    @property
    def audit_enterprise_id(self):
        return self.pk

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def industry_label(self):
        from smedx.enterprises.reference import industry_name

        return f"{self.industry_division} {industry_name(self.industry_division)}"

    def awaits_review(self, organisation=None) -> bool:
        """A new sign-up, or a claim of a filed case file by an organisation not yet approved."""
        org = organisation if organisation is not None else self.organisation
        return self.status == self.Status.PENDING or (
            org is not None and org.status == Organisation.Status.PENDING
        )

    @property
    def division_code_matches(self) -> bool:
        return self.credit_code[2:8] == self.region.code


class DistrictRow(models.Model):
    """A stage's row that keeps its enterprise's district, so that a district's lists, counts and
    to-dos read only its own rows (an index on `region` and the list ordering) instead of joining
    every enterprise of the province. Set from the enterprise on creation (`save`; bulk writers set
    it themselves), moved with the enterprise by `follow_region`, which each app registers for the
    `enterprises.region_moved` extension of the case-file edit."""

    region = models.ForeignKey(
        Region, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.region_id is None:
            self.region_id = self.enterprise.region_id
        super().save(*args, **kwargs)


def follow_region(*models_):
    """The `enterprises.region_moved` extension that moves the rows of `models_` with their enterprise."""

    def follow(enterprise_id, region_id) -> int:
        return sum(
            model.objects.filter(enterprise_id=enterprise_id).update(region_id=region_id) for model in models_
        )

    return follow


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An import job is seen only inside the organisation that uploaded it."""
        if not user.is_authenticated or user.organisation is None:
            return self.none()
        return self.filter(organisation_id=user.organisation.pk)


class ImportJob(StatusTone, models.Model):
    """One uploaded Excel file of enterprises: checked row by row, then written all at once or not at all."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Waiting to be checked")
        VALIDATING = "validating", _("Checking")
        INVALID = "invalid", _("Has errors")
        VALID = "valid", _("Ready to import")
        COMMITTING = "committing", _("Writing")
        COMMITTED = "committed", _("Imported")
        FAILED = "failed", _("Failed")

    RUNNING = (Status.UPLOADED, Status.VALIDATING, Status.COMMITTING)
    STATUS_TONES = {
        Status.UPLOADED: "primary",
        Status.VALIDATING: "primary",
        Status.INVALID: "danger",
        Status.VALID: "success",
        Status.COMMITTING: "primary",
        Status.COMMITTED: "success",
        Status.FAILED: "danger",
    }

    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    # The checked cell texts (gzipped CSV), so writing need not parse the workbook again; then deleted.
    rows_file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="import_jobs")
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    committed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    warning_count = models.PositiveIntegerField(_("warnings"), default=0)
    # Lists of {"row", "column", "message"}; only the first few hundred are kept, the counts are exact.
    errors = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return self.original_name

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def is_valid(self) -> bool:
        """Every row passed: the file waits to be written."""
        return self.status == self.Status.VALID

    @property
    def is_invalid(self) -> bool:
        return self.status == self.Status.INVALID

    @property
    def has_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def is_committing(self) -> bool:
        return self.status == self.Status.COMMITTING

    @property
    def is_committed(self) -> bool:
        return self.status == self.Status.COMMITTED

    @property
    def progress_is_indeterminate(self) -> bool:
        """Not yet started, or writing all rows at once: there is no row count to show."""
        return self.status in (self.Status.UPLOADED, self.Status.COMMITTING)

    @property
    def runs_in_background(self) -> bool:
        from django.conf import settings

        return self.total_rows > settings.IMPORT_INLINE_ROWS

    @property
    def percent(self) -> int:
        if self.status in (self.Status.COMMITTED, self.Status.VALID, self.Status.INVALID):
            return 100
        if not self.total_rows:
            return 0
        return min(100, self.processed_rows * 100 // self.total_rows)
