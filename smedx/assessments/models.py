"""Versioned instruments loaded from data files, level rules, and the enterprises' assessments.

An instrument version never changes once loaded (results refer to it); its file content is kept in
`Instrument.data` and its rows (dimensions, items, options, scenes) exist so pages and the API can
query them. Scoring reads the parsed file, `Instrument.spec`, never the rows.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from smedx.assessments import spec as specs
from smedx.core.status import StatusTone
from smedx.enterprises.models import DistrictRow, Enterprise, visible_or

# Parsed files by checksum: an instrument version is immutable, so its parse can be shared.
_SPECS: dict[str, object] = {}


def _cached(checksum: str, data: dict, parse):
    if checksum not in _SPECS:
        _SPECS[checksum] = parse(data)
    return _SPECS[checksum]


POINTS = {"max_digits": 7, "decimal_places": 3}


class ItemKind(models.TextChoices):
    SINGLE = specs.SINGLE, _("Single choice")
    MULTIPLE = specs.MULTIPLE, _("Multiple choice")
    NUMERIC = specs.NUMERIC, _("Figures giving a band")
    SCENE = specs.SCENE, _("Scene level")
    TEXT = specs.TEXT, _("Free text")
    EXPERT = specs.EXPERT, _("Expert-scored")


class InstrumentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Instrument.Status.ACTIVE)

    def newest(self, code: str):
        """The active versions of `code`, newest first: the highest version, not the last loaded."""
        rows = self.active().filter(code=code)
        return sorted(rows, key=lambda row: (row.version_key, row.loaded_at, row.pk), reverse=True)

    def current(self, code: str):
        """The newest active version of `code`, for new assessments."""
        return next(iter(self.newest(code)), None)


class Instrument(StatusTone, models.Model):
    class Kind(models.TextChoices):
        ASSESSMENT = "assessment", _("Self-assessment")
        EVALUATION = "evaluation", _("Expert evaluation")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        RETIRED = "retired", _("Retired")

    STATUS_TONES = {Status.DRAFT: "secondary", Status.ACTIVE: "success", Status.RETIRED: "secondary"}

    code = models.CharField(_("code"), max_length=50)
    version = models.CharField(_("version"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ASSESSMENT)
    sector = models.CharField(_("sector"), max_length=50, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    total = models.DecimalField(_("total points"), **POINTS)
    default_level_rule = models.CharField(_("default level rule"), max_length=50, blank=True)
    data = models.JSONField(_("data file"))
    checksum = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(_("loaded"), auto_now_add=True)

    objects = InstrumentQuerySet.as_manager()

    class Meta:
        ordering = ["code", "-loaded_at"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="instrument_code_version")]

    def __str__(self):
        return f"{self.title} ({self.version})"

    @property
    def version_key(self) -> tuple:
        return specs.version_key(self.version)

    @property
    def spec(self) -> specs.InstrumentSpec:
        return _cached(self.checksum, self.data, specs.parse_instrument)


class Dimension(models.Model):
    """A dimension (一级) or, with a parent, a sub-dimension (二级)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="dimensions")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=200)
    points = models.DecimalField(_("points"), **POINTS)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["instrument", "order", "id"]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        constraints = [models.UniqueConstraint(fields=["instrument", "code"], name="dimension_code")]

    def __str__(self):
        return self.name


class Item(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=50)
    ref = models.CharField(_("reference"), max_length=20, blank=True)
    indicator = models.CharField(_("indicator"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    title = models.TextField(_("title"))
    description = models.TextField(_("definition"), blank=True)
    note = models.TextField(_("note"), blank=True)
    points = models.DecimalField(_("maximum points"), **POINTS)
    order = models.PositiveSmallIntegerField(default=0)
    # Data fields asked with the item, how they compute its option, and the evidence it asks for.
    form_fields = models.JSONField(default=list, blank=True)
    compute = models.JSONField(null=True, blank=True)
    evidence = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["instrument", "order", "id"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [models.UniqueConstraint(fields=["instrument", "code"], name="item_code")]

    def __str__(self):
        return f"{self.code} {self.indicator or self.title}"


class Option(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="options")
    code = models.CharField(_("code"), max_length=4)
    text = models.TextField(_("text"))
    points = models.DecimalField(_("points"), **POINTS)
    exclusive = models.BooleanField(_("excludes the others"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["item", "order", "id"]
        verbose_name = _("option")
        verbose_name_plural = _("options")
        constraints = [models.UniqueConstraint(fields=["item", "code"], name="option_code")]

    def __str__(self):
        return f"{self.code}. {self.text}"


class Scene(models.Model):
    """A digital business scene (数字化经营应用场景), rated 1 to 4 (0, 未达一级, too in version 2024.1)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="scenes")
    code = models.CharField(_("code"), max_length=50)
    category = models.CharField(_("category"), max_length=100, blank=True)
    name = models.CharField(_("name"), max_length=100)
    constrained = models.BooleanField(_("constrained"), default=False)
    level_1 = models.TextField(_("level 1"))
    level_2 = models.TextField(_("level 2"))
    level_3 = models.TextField(_("level 3"))
    level_4 = models.TextField(_("level 4"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["instrument", "order", "id"]
        verbose_name = _("scene")
        verbose_name_plural = _("scenes")
        constraints = [models.UniqueConstraint(fields=["instrument", "code"], name="scene_code")]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def level_texts(self) -> list[str]:
        return [self.level_1, self.level_2, self.level_3, self.level_4]


class LevelRuleQuerySet(models.QuerySet):
    def active_for(self, instrument_code: str):
        return self.filter(instrument_code=instrument_code, active=True).first()


class LevelRule(models.Model):
    """The rule turning a total and scene levels into a level. A change is a new version (a new row)."""

    code = models.CharField(_("code"), max_length=50)
    version = models.CharField(_("version"), max_length=20)
    instrument_code = models.CharField(_("instrument"), max_length=50, db_index=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    data = models.JSONField(_("rule"))
    checksum = models.CharField(max_length=64)
    active = models.BooleanField(_("active"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = LevelRuleQuerySet.as_manager()

    class Meta:
        ordering = ["instrument_code", "-created_at", "-id"]
        verbose_name = _("level rule")
        verbose_name_plural = _("level rules")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="level_rule_code_version"),
            models.UniqueConstraint(
                fields=["instrument_code"], condition=Q(active=True), name="one_active_level_rule"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return specs.versioned_name(self.title or self.code, self.version)

    @property
    def spec(self) -> specs.LevelRuleSpec:
        return _cached(self.checksum, self.data, specs.parse_level_rule)


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Whoever may see the enterprise sees its assessments: its own people and its officers.

        The expert or diagnosis institution assigned to an on-site diagnosis sees the self-assessment
        it verifies and the verified assessment it produces, as long as the request is not cancelled.
        """
        assigned_q = None
        org = user.organisation if user.is_authenticated else None
        if org is not None and org.is_active and org.kind in ("committee", "provider"):
            who = Q(expert=user) | Q(institution=org) if org.kind == "provider" else Q(expert=user)
            assigned = DiagnosisRequest.objects.filter(who).exclude(status=DiagnosisRequest.Status.CANCELLED)
            assigned_q = Exists(assigned.filter(assessment=OuterRef("pk"))) | Exists(
                assigned.filter(verified_assessment=OuterRef("pk"))
            )
        visible = visible_or(user, "enterprise__", assigned_q, region="region_id")
        return self.none() if visible is None else self.filter(visible)


class Assessment(StatusTone, DistrictRow):
    """One rating of one enterprise in one period: its self-assessment, or an expert's verification of it."""

    class Kind(models.TextChoices):
        SELF = "self", _("Self-assessment")
        VERIFIED = "verified", _("Verified on site")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        VERIFIED = "verified", _("Verified")

    STATUS_TONES = {Status.DRAFT: "secondary", Status.SUBMITTED: "primary", Status.VERIFIED: "success"}

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="assessments"
    )
    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.PROTECT, related_name="assessments"
    )
    level_rule = models.ForeignKey(
        LevelRule, verbose_name=_("level rule"), on_delete=models.PROTECT, related_name="assessments"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SELF)
    # T0 before the transformation, T1 after, T2… later.
    period = models.CharField(_("period"), max_length=4, default="T0")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    verified_from = models.ForeignKey(
        "self",
        verbose_name=_("self-assessment verified"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="verifications",
    )
    total = models.DecimalField(_("total"), null=True, blank=True, **POINTS)
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    # `scoring.Result.as_dict()`: dimension, sub-dimension and item points, scene levels, the gap.
    result = models.JSONField(_("result"), default=dict, blank=True)
    declared = models.BooleanField(_("truthfulness declared"), default=False)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Bumped by every change; a save based on an older version is refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [
            models.Index(fields=["enterprise", "period", "kind"]),
            models.Index(fields=["status", "level"]),
            models.Index(fields=["-created_at", "-id"], name="assessment_list_order"),
            models.Index(fields=["region", "-created_at", "-id"], name="assessment_region_list_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="self", verified_from__isnull=True)
                | Q(kind="verified", verified_from__isnull=False),
                name="verified_assessment_has_source",
            ),
            models.CheckConstraint(condition=Q(period__regex=r"^T[0-9]{1,3}$"), name="assessment_period"),
        ]

    def __str__(self):
        return f"{self.enterprise} {self.period} {self.get_kind_display()}"

    @property
    def audit_enterprise_id(self):
        return self.enterprise_id

    @property
    def is_draft(self) -> bool:
        """Still being filled in: its score is provisional."""
        return self.status == self.Status.DRAFT

    @property
    def is_locked(self) -> bool:
        return not self.is_draft

    @property
    def can_be_verified(self) -> bool:
        """A submitted self-assessment, which an on-site diagnosis may verify."""
        return self.kind == self.Kind.SELF and self.status == self.Status.SUBMITTED

    def answer_dict(self) -> dict:
        """The answers in the scoring format, `{item code: value}`."""
        return dict(self.answers.values_list("item_code", "value"))


class AnswerReview(models.TextChoices):
    """What the verifying expert did with one answer of the self-assessment."""

    PENDING = "", _("Not yet checked")
    ACCEPTED = "accepted", _("Accepted")
    ADJUSTED = "adjusted", _("Adjusted")


class Answer(models.Model):
    """One item's (or scene's) answer; the last person to change it is kept."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    item_code = models.CharField(_("item"), max_length=50)
    # Letters list, scene level, figures object, text or {"points", "comment"}: see scoring.py.
    value = models.JSONField(_("answer"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), auto_now=True)
    # In a verified assessment: what the expert did with the self-assessed answer, and why.
    review = models.CharField(_("check"), max_length=10, choices=AnswerReview.choices, default="", blank=True)
    reason = models.TextField(_("reason for the adjustment"), blank=True)

    class Meta:
        ordering = ["assessment", "id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item_code"], name="one_answer_per_item")
        ]

    def __str__(self):
        return f"{self.item_code}: {self.value}"


def evidence_path(instance, filename):
    return f"evidence/{instance.assessment.enterprise_id}/{instance.assessment_id}/{filename}"


class EvidenceQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(assessment__in=Assessment.objects.visible_to(user))


class Evidence(models.Model):
    """A file proving one answer (type and size checked on upload, stored outside the web root)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    item_code = models.CharField(_("item"), max_length=50)
    file = models.FileField(_("file"), upload_to=evidence_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["assessment", "item_code", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.original_name

    @property
    def audit_enterprise_id(self):
        return self.assessment.enterprise_id


class DiagnosisRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The enterprise and its officers; the committee; the assigned expert or institution."""
        if not user.is_authenticated or user.organisation is None or not user.organisation.is_active:
            return self.none()
        org = user.organisation
        if org.kind == "committee":
            return self.all()
        # Only committee members are assigned as experts (people.committee_experts), and they see all:
        # an officer's or an enterprise's rows need no "OR expert = me", which would scan the province.
        assigned = None
        if org.kind == "provider":
            assigned = Q(expert=user) | Q(institution=org) | Q(preferred_institution=org)
        visible = visible_or(user, "enterprise__", assigned, region="region_id")
        return self.none() if visible is None else self.filter(visible)


class DiagnosisRequest(StatusTone, DistrictRow):
    """An enterprise asks for an on-site diagnosis (现场诊断) that verifies its self-assessment."""

    class Route(models.TextChoices):
        DISTRICT = "district", _("Ask the district to arrange it")
        INSTITUTION = "institution", _("Chosen diagnosis institution")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ASSIGNED = "assigned", _("Assigned")
        VISITED = "visited", _("Visit recorded")
        VERIFIED = "verified", _("Verified")
        CANCELLED = "cancelled", _("Cancelled")

    STATUS_TONES = {
        Status.REQUESTED: "warning",
        Status.ASSIGNED: "primary",
        Status.VISITED: "info",
        Status.VERIFIED: "success",
        Status.CANCELLED: "secondary",
    }

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="diagnosis_requests"
    )
    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("self-assessment"),
        on_delete=models.PROTECT,
        related_name="diagnosis_requests",
    )
    route = models.CharField(_("route"), max_length=12, choices=Route.choices)
    preferred_institution = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("chosen institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("what the enterprise wants looked at"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned expert"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="diagnosis_assignments",
    )
    institution = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("assigned institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="diagnosis_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    verified_assessment = models.OneToOneField(
        Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="diagnosis_request"
    )
    # On-site visit record (现场诊断记录).
    visited_on = models.DateField(_("visit date"), null=True, blank=True)
    visitors = models.JSONField(
        _("visitors"), default=list, blank=True
    )  # [{name, organisation, role, contact}]
    main_products = models.TextField(_("main products"), blank=True)
    process_flow = models.TextField(_("process flow"), blank=True)
    intelligent_equipment = models.TextField(_("intelligent equipment"), blank=True)
    industrial_software = models.TextField(_("industrial software"), blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = DiagnosisRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("on-site diagnosis request")
        verbose_name_plural = _("on-site diagnosis requests")
        indexes = [
            models.Index(fields=["-requested_at", "-id"], name="diagnosis_list_order"),
            models.Index(fields=["region", "-requested_at", "-id"], name="diagnosis_region_list_order"),
            models.Index(fields=["region", "status"], name="diagnosis_region_status"),
            # The committee's and the experts' to-dos: the open requests of the city, and one expert's.
            models.Index(fields=["status"], name="diagnosis_status"),
            models.Index(fields=["expert", "status"], name="diagnosis_expert_status"),
            models.Index(fields=["expert", "-requested_at", "-id"], name="diagnosis_expert_list_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(route="institution") | Q(preferred_institution__isnull=False),
                name="institution_route_names_institution",
            )
        ]

    def __str__(self):
        return f"{self.enterprise} {self.get_status_display()}"

    @property
    def audit_enterprise_id(self):
        return self.enterprise_id

    @property
    def is_awaiting_assignment(self) -> bool:
        return self.status == self.Status.REQUESTED

    @property
    def is_awaiting_visit(self) -> bool:
        """Assigned to a verifier who has not yet recorded the visit."""
        return self.status == self.Status.ASSIGNED

    @property
    def is_visited(self) -> bool:
        """The visit is recorded; the verification is under way."""
        return self.status == self.Status.VISITED

    @property
    def is_with_verifier(self) -> bool:
        return self.is_awaiting_visit or self.is_visited


class Recommendation(models.Model):
    """The committee recommends an expert or a diagnosis institution for a request."""

    request = models.ForeignKey(DiagnosisRequest, on_delete=models.CASCADE, related_name="recommendations")
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    institution = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    note = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "id"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.CheckConstraint(
                condition=Q(expert__isnull=False) | Q(institution__isnull=False), name="recommends_someone"
            )
        ]

    def __str__(self):
        return str(self.expert or self.institution)


class ConflictDeclaration(StatusTone, models.Model):
    """A verifier declares an interest in the enterprise; verifying needs the district's approval."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting decision")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    STATUS_TONES = {Status.PENDING: "warning", Status.APPROVED: "success", Status.REFUSED: "danger"}

    request = models.ForeignKey(DiagnosisRequest, on_delete=models.CASCADE, related_name="conflicts")
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    description = models.TextField(_("the interest"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("conflict of interest declaration")
        verbose_name_plural = _("conflict of interest declarations")

    def __str__(self):
        return f"{self.declared_by}: {self.get_status_display()}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def audit_enterprise_id(self):
        return self.request.enterprise_id
