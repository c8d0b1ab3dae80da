"""Stage 2 战略规划: the guide and policy library, classification standards and tiers, district
implementation plans with targets, and planning support requests.

Industry and scene tags are stored as comma-wrapped code lists (",34,36,") so a plain `contains`
filter finds them on SQLite and PostgreSQL alike; an empty list means "all industries".
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from smedx.accounts.models import Organisation, Region
from smedx.core.status import StatusTone
from smedx.enterprises.models import Enterprise, visible_through


def pack_codes(codes) -> str:
    codes = [str(code).strip() for code in codes or () if str(code).strip()]
    return f",{','.join(codes)}," if codes else ""


def unpack_codes(text: str) -> list[str]:
    return [code for code in (text or "").split(",") if code]


def _authority(user):
    org = user.organisation if user.is_authenticated else None
    if org is None or not org.is_active or org.kind != Organisation.Kind.AUTHORITY:
        return None
    return org


def region_q(org, field="region") -> Q:
    """Rows of `org`'s area: the city sees all, a district its own region."""
    if org.level == Organisation.Level.CITY:
        return Q()
    return Q(**{f"{field}_id": org.region_id})


# --- guides and policy documents -------------------------------------------------------------------


class DocumentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Document.Status.PUBLISHED)

    def current(self):
        """Published and not replaced by a newer published version."""
        return self.published().filter(superseded_at__isnull=True)

    def fitting(self, enterprise):
        """Published documents for this enterprise's industry and region."""
        industry = Q(industries="") | Q(industries__contains=f",{enterprise.industry_division},")
        region = Q(level__in=[Document.Level.NATIONAL, Document.Level.CITY]) | Q(
            region_id=enterprise.region_id
        )
        return self.published().filter(industry, region)

    def visible_to(self, user):
        """An authority sees everything published and its own drafts; an enterprise what fits it;
        experts, providers and the platform everything published."""
        if not user.is_authenticated or not user.has_right("planning.document:view"):
            return self.none()
        org = user.organisation
        if org.kind == Organisation.Kind.ENTERPRISE:
            enterprise = Enterprise.objects.filter(organisation_id=org.pk).first()
            return self.fitting(enterprise) if enterprise is not None else self.none()
        if org.kind == Organisation.Kind.AUTHORITY:
            return self.filter(Q(status=Document.Status.PUBLISHED) | Q(authority_id=org.pk))
        return self.published()


class Document(StatusTone, models.Model):
    """A transformation guide (分行业转型指南) or policy document. A new version is a new row."""

    class Kind(models.TextChoices):
        GUIDE = "guide", _("Industry guide")
        POLICY = "policy", _("Policy document")

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        CITY = "city", _("City")
        DISTRICT = "district", _("District")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    STATUS_TONES = {Status.DRAFT: "secondary", Status.PUBLISHED: "success", Status.WITHDRAWN: "secondary"}

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    authority = models.ForeignKey(
        Organisation, verbose_name=_("authority"), on_delete=models.PROTECT, related_name="+"
    )
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    # Plain text; pages escape it and keep its paragraphs and line breaks.
    body = models.TextField(_("text"), blank=True)
    industries = models.CharField(_("industries"), max_length=400, blank=True)
    scenes = models.CharField(_("scenes"), max_length=200, blank=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("previous version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_version",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["status", "level", "region"])]

    def __str__(self):
        return self.title

    @property
    def industry_list(self) -> list[str]:
        return unpack_codes(self.industries)

    @property
    def scene_list(self) -> list[str]:
        return unpack_codes(self.scenes)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_superseded(self) -> bool:
        return self.superseded_at is not None

    def fitting_enterprises(self):
        """The active enterprises this document is meant for (industry and region)."""
        qs = Enterprise.objects.filter(status=Enterprise.Status.ACTIVE)
        if self.level == self.Level.DISTRICT:
            qs = qs.filter(region_id=self.region_id)
        if self.industries:
            qs = qs.filter(industry_division__in=self.industry_list)
        return qs


def attachment_path(instance, filename):
    return f"planning/documents/{instance.document_id}/{filename}"


class Attachment(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["document", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name


class ReadMark(models.Model):
    """An enterprise has read a document (确保企业知晓); one mark per organisation."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="read_marks")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    read_at = models.DateTimeField(_("read"), auto_now_add=True)

    class Meta:
        ordering = ["-read_at", "-id"]
        verbose_name = _("read mark")
        verbose_name_plural = _("read marks")
        constraints = [models.UniqueConstraint(fields=["organisation", "document"], name="one_read_mark")]

    def __str__(self):
        return f"{self.organisation} · {self.document}"


# --- classification standards ----------------------------------------------------------------------


class StandardQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An authority sees the standards of its area (the city sees all)."""
        org = _authority(user)
        if org is None or not user.has_right("planning.standard:manage"):
            return self.none()
        if org.level == Organisation.Level.CITY:
            return self.all()
        return self.filter(Q(authority_id=org.pk) | Q(region_id=org.region_id))


class Standard(StatusTone, models.Model):
    """An enterprise classification standard (企业分级分类标准) of one region; versions are rows."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPLIED = "applied", _("Applied")

    STATUS_TONES = {Status.DRAFT: "secondary", Status.APPLIED: "success"}

    authority = models.ForeignKey(
        Organisation, verbose_name=_("authority"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="later_versions"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = StandardQuerySet.as_manager()

    class Meta:
        ordering = ["region", "-created_at", "-id"]
        verbose_name = _("classification standard")
        verbose_name_plural = _("classification standards")

    def __str__(self):
        return f"{self.name} v{self.version}"

    @property
    def is_draft(self) -> bool:
        """Not yet applied: tiers may still change."""
        return self.status == self.Status.DRAFT


class Tier(models.Model):
    """A tier of a standard; its rule is data (see rules.py). Tiers are tried in order, first match wins."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="tiers")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=50)
    description = models.TextField(_("description"), blank=True)
    rule = models.JSONField(_("rule"), default=dict, blank=True)

    class Meta:
        ordering = ["standard", "order", "id"]
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")
        constraints = [models.UniqueConstraint(fields=["standard", "code"], name="tier_code")]

    def __str__(self):
        return self.name


class Application(StatusTone, models.Model):
    """One application of a standard to its region: the tiers of that moment, kept as history.

    Asked for by an officer (queued), its enterprise tiers are written by the task worker in one
    transaction (running), then it is done with its counts, or failed with nothing written. Only done
    applications count: the latest done application of a region is its current one.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Classifying")
        DONE = "done", _("Applied")
        FAILED = "failed", _("Failed")

    RUNNING = (Status.QUEUED, Status.RUNNING)
    STATUS_TONES = {
        Status.QUEUED: "secondary",
        Status.RUNNING: "primary",
        Status.DONE: "success",
        Status.FAILED: "danger",
    }

    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="applications")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField(_("applied"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    counts = models.JSONField(_("enterprises per tier"), default=dict)
    error = models.TextField(_("error"), blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-applied_at", "-id"]
        get_latest_by = ["applied_at", "id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [models.Index(fields=["region", "status"])]

    def __str__(self):
        return f"{self.standard} @ {self.applied_at:%Y-%m-%d}"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def has_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def enterprises(self) -> int:
        return sum(self.counts.values())


class EnterpriseTier(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="rows")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="planning_tiers")
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)

    class Meta:
        ordering = ["application", "tier", "enterprise"]
        verbose_name = _("enterprise tier")
        verbose_name_plural = _("enterprise tiers")
        constraints = [
            models.UniqueConstraint(fields=["application", "enterprise"], name="one_tier_per_application")
        ]
        indexes = [models.Index(fields=["tier", "enterprise"])]

    def __str__(self):
        return f"{self.enterprise} · {self.tier}"


# --- district implementation plans -----------------------------------------------------------------


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Authorities see the published plans of all and their own drafts."""
        org = _authority(user)
        if org is None or not user.has_right("planning.plan:view"):
            return self.none()
        return self.filter(Q(status=Plan.Status.PUBLISHED) | Q(authority_id=org.pk))


class Plan(StatusTone, models.Model):
    """A district implementation plan (区县实施方案): a document plus measurable targets."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    STATUS_TONES = {Status.DRAFT: "secondary", Status.PUBLISHED: "success"}

    authority = models.ForeignKey(
        Organisation, verbose_name=_("authority"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    document = models.FileField(_("plan document"), upload_to="planning/plans/%Y/", blank=True)
    document_name = models.CharField(max_length=200, blank=True)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "-id"]
        verbose_name = _("implementation plan")
        verbose_name_plural = _("implementation plans")
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="plan_period")
        ]

    def __str__(self):
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Target(models.Model):
    class Metric(models.TextChoices):
        TRANSFORMED = "enterprises_transformed", _("Enterprises transformed (count)")
        AT_LEVEL = "enterprises_at_level", _("Enterprises at level N or above (count)")
        SHARE_AT_LEVEL = "share_above_scale_at_level", _("Share of 规上 enterprises at level N or above (%)")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    # A GB/T 4754 division (细分行业); blank means all industries.
    division = models.CharField(_("industry division"), max_length=2, blank=True)
    metric = models.CharField(_("measure"), max_length=30, choices=Metric.choices)
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    value = models.DecimalField(_("target value"), max_digits=10, decimal_places=1)
    due_date = models.DateField(_("due"))
    order = models.PositiveSmallIntegerField(default=0)
    # The figure when the plan started (基期值), frozen the first time it is read on or after the
    # plan's first day (`metrics.progress_of`): nothing submitted later can change it, so it is
    # counted once instead of on every page view.
    baseline = models.DecimalField(_("baseline"), max_digits=10, decimal_places=1, null=True, editable=False)
    baseline_at = models.DateTimeField(_("baseline counted"), null=True, editable=False)

    class Meta:
        ordering = ["plan", "order", "id"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self):
        return f"{self.division or '*'} {self.get_metric_display()} {self.value}"

    @property
    def is_share(self) -> bool:
        return self.metric == self.Metric.SHARE_AT_LEVEL


# --- planning support -------------------------------------------------------------------------------


class PlanningRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The enterprise and the authorities of its area; the provider it engaged."""
        if not user.is_authenticated or not user.has_right("planning.request:list"):
            return self.none()
        org = user.organisation
        if org.kind == Organisation.Kind.PROVIDER:
            return self.filter(provider_id=org.pk)
        return visible_through(self, user, "enterprise__")


class PlanningRequest(StatusTone, models.Model):
    """An enterprise asks its district for planning help (规划), or records the provider it engaged."""

    class Route(models.TextChoices):
        DISTRICT = "district", _("Ask the district")
        PROVIDER = "provider", _("Engaged a provider")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    STATUS_TONES = {Status.REQUESTED: "warning", Status.ANSWERED: "success", Status.CLOSED: "secondary"}

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="planning_requests"
    )
    route = models.CharField(_("route"), max_length=10, choices=Route.choices, default=Route.DISTRICT)
    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("provider"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="planning_requests",
    )
    need = models.TextField(_("what the enterprise needs"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    document = models.FileField(_("plan document"), upload_to="planning/requests/%Y/", blank=True)
    document_name = models.CharField(max_length=200, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = PlanningRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("planning request")
        verbose_name_plural = _("planning requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(route="district", provider__isnull=True)
                | Q(route="provider", provider__isnull=False),
                name="planning_request_provider_route",
            )
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.get_status_display()}"

    @property
    def audit_enterprise_id(self):
        return self.enterprise_id
