"""The provider pool (服务商资源池) and the solution catalogue (小快轻准).

A provider organisation (already approved by the platform as an account) applies to the pool with a
`ProviderProfile`; committee experts review it, the platform or city publishes a public notice (公示),
then lists it. Only listed (or warned) providers appear in public and may publish `Solution`s.
Codes lists (industries, scenes) are stored as ",34,36," so one `contains` lookup finds a code.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from smedx.accounts.models import Organisation, Region
from smedx.assessments.levels import level_label
from smedx.core.fields import MAX_PEOPLE, MoneyField, between, not_negative
from smedx.core.status import StatusTone
from smedx.enterprises.models import Enterprise
from smedx.providers.reference import industry_label, scene_label, scene_name, unpack

MANAGE = "providers.provider:manage"
DECIDE = "providers.application:decide"
REVIEW = "providers.application:review"
EDIT_PROFILE = "providers.profile:edit"
EDIT_SOLUTION = "providers.solution:edit"


def _own_org_id(user):
    if not user.is_authenticated or user.organisation is None:
        return None
    return user.organisation.pk


class ProviderProfileQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status__in=ProviderProfile.PUBLIC)

    def visible_to(self, user):
        """Managers see every profile, experts every application, a provider its own, anyone the public ones."""
        if user.is_authenticated and (user.has_right(MANAGE) or user.has_right(DECIDE)):
            return self.all()
        # The public notice (公示) is public too: anyone may read it and object.
        shown = Q(status__in=(*ProviderProfile.PUBLIC, ProviderProfile.Status.IN_PUBLIC_NOTICE))
        if user.is_authenticated and user.has_right(REVIEW):
            shown |= ~Q(status=ProviderProfile.Status.DRAFT)
        if (org_id := _own_org_id(user)) is not None:
            shown |= Q(organisation_id=org_id)
        return self.filter(shown)


class ProviderProfile(StatusTone, models.Model):
    """One provider organisation's application to the pool, and its standing once listed."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPLIED = "applied", pgettext_lazy("provider status", "Applied")
        UNDER_REVIEW = "under_review", _("Under review")
        IN_PUBLIC_NOTICE = "in_public_notice", _("In public notice")
        LISTED = "listed", _("Listed")
        WARNED = "warned", _("Warned")
        SUSPENDED = "suspended", _("Suspended")
        REMOVED = "removed", _("Removed")

    # Shown in public, may publish solutions and be matched.
    PUBLIC = (Status.LISTED, Status.WARNED)
    # The application is with the reviewers: the provider cannot change it.
    FROZEN = (Status.APPLIED, Status.UNDER_REVIEW, Status.IN_PUBLIC_NOTICE)
    STATUS_TONES = {
        Status.DRAFT: "secondary",
        Status.APPLIED: "primary",
        Status.UNDER_REVIEW: "primary",
        Status.IN_PUBLIC_NOTICE: "info",
        Status.LISTED: "success",
        Status.WARNED: "warning",
        Status.SUSPENDED: "danger",
        Status.REMOVED: "danger",
    }

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("provider"), on_delete=models.CASCADE, related_name="provider_profile"
    )
    introduction = models.TextField(_("introduction"), blank=True)
    founded_year = models.PositiveSmallIntegerField(
        _("year founded"), null=True, blank=True, validators=between(1900, 2100)
    )
    registered_capital = MoneyField(_("registered capital (10k yuan)"), max_digits=12, null=True, blank=True)
    staff_count = models.PositiveIntegerField(
        _("staff"), null=True, blank=True, validators=between(0, MAX_PEOPLE)
    )
    rnd_staff = models.PositiveIntegerField(
        _("R&D staff"), null=True, blank=True, validators=between(0, MAX_PEOPLE)
    )
    industries = models.CharField(_("industries served"), max_length=400, blank=True)
    scenes = models.CharField(_("scenes served"), max_length=200, blank=True)
    regions = models.ManyToManyField(
        Region, verbose_name=_("service regions"), blank=True, related_name="provider_profiles"
    )
    last_year_revenue = MoneyField(_("last year's revenue (10k yuan)"), null=True, blank=True)
    net_profit = models.DecimalField(
        _("net profit (10k yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    debt_ratio = models.DecimalField(
        _("debt ratio (%)"), max_digits=5, decimal_places=2, null=True, blank=True, validators=between(0, 100)
    )
    wants_diagnosis_institution = models.BooleanField(_("applies as a diagnosis institution"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # Which application this is: a rejected one goes back to draft and is submitted again as round 2.
    round = models.PositiveSmallIntegerField(_("application round"), default=0)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    notice_start = models.DateField(_("public notice from"), null=True, blank=True)
    notice_end = models.DateField(_("public notice until"), null=True, blank=True)
    listed_at = models.DateTimeField(_("listed"), null=True, blank=True)
    warning_deadline = models.DateField(_("rectify by"), null=True, blank=True)
    # 1.0–5.0 stars, derived from scorecards in a later stage; empty until then.
    rating = models.DecimalField(_("rating"), max_digits=2, decimal_places=1, null=True, blank=True)
    last_reviewed_on = models.DateField(_("last yearly review"), null=True, blank=True)
    next_review_on = models.DateField(_("next yearly review"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProviderProfileQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("provider profile")
        verbose_name_plural = _("provider profiles")
        constraints = not_negative("registered_capital", "last_year_revenue")

    def __str__(self):
        return self.organisation.name

    @property
    def name(self):
        return self.organisation.name

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC

    @property
    def is_frozen(self) -> bool:
        return self.status in self.FROZEN

    @property
    def is_draft(self) -> bool:
        """Being written, or sent back after a rejection: not yet with the reviewers."""
        return self.status == self.Status.DRAFT

    @property
    def is_in_public_notice(self) -> bool:
        return self.status == self.Status.IN_PUBLIC_NOTICE

    @property
    def is_warned(self) -> bool:
        return self.status == self.Status.WARNED

    @property
    def is_removed(self) -> bool:
        return self.status == self.Status.REMOVED

    @property
    def industry_codes(self) -> list[str]:
        return unpack(self.industries)

    @property
    def industry_labels(self) -> list[str]:
        return [industry_label(code) for code in self.industry_codes]

    @property
    def scene_codes(self) -> list[str]:
        return unpack(self.scenes)

    @property
    def scene_labels(self) -> list[str]:
        return [scene_label(code) for code in self.scene_codes]

    @property
    def notice_over(self) -> bool:
        return self.notice_end is not None and timezone.localdate() >= self.notice_end

    @property
    def stars(self) -> str:
        if self.rating is None:
            return ""
        full = int(float(self.rating) + 0.5)
        return "★" * full + "☆" * (5 - full)


class InsiderQuerySet(models.QuerySet):
    """Rows of an application seen by the provider itself and by the pool's managers and reviewers."""

    def _insiders(self, user) -> Q | None:
        """None: every row; otherwise the condition."""
        if user.has_right(MANAGE) or user.has_right(DECIDE):
            return None
        shown = Q(pk__in=[])
        if user.has_right(REVIEW):
            shown |= ~Q(profile__status=ProviderProfile.Status.DRAFT)
        if (org_id := _own_org_id(user)) is not None:
            shown |= Q(profile__organisation_id=org_id)
        return shown

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        shown = self._insiders(user)
        return self.all() if shown is None else self.filter(shown)


class ProviderCertificate(models.Model):
    """A qualification or certificate (资质证书) with its scanned file."""

    profile = models.ForeignKey(ProviderProfile, on_delete=models.CASCADE, related_name="certificates")
    name = models.CharField(_("certificate"), max_length=200)
    issuer = models.CharField(_("issued by"), max_length=200)
    number = models.CharField(_("number"), max_length=100, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="providers/certificates/%Y/%m/", blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InsiderQuerySet.as_manager()

    class Meta:
        ordering = ["profile", "name", "id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self):
        return self.name

    @property
    def expired(self) -> bool:
        return self.valid_until is not None and self.valid_until < timezone.localdate()


class ProviderReferenceQuerySet(InsiderQuerySet):
    def confirmations_for(self, user):
        """References the admins of `user`'s enterprise are asked to confirm (or have answered)."""
        if not user.is_authenticated or user.membership is None or user.membership.role != "admin":
            return self.none()
        org = user.organisation
        if org.kind != Organisation.Kind.ENTERPRISE or not org.is_active:
            return self.none()
        return self.filter(enterprise__organisation_id=org.pk).exclude(
            confirmation=ProviderReference.Confirmation.NOT_ASKED
        )

    def visible_to(self, user):
        """Insiders, and the customer enterprise's admins once they are asked."""
        if not user.is_authenticated:
            return self.none()
        shown = self._insiders(user)
        if shown is None:
            return self.all()
        return self.filter(shown | Q(pk__in=ProviderReference.objects.confirmations_for(user).values("pk")))


class ProviderReference(models.Model):
    """A reference customer (参考客户): an SME that has used the provider's solution for six months or more."""

    class Confirmation(models.TextChoices):
        NOT_ASKED = "not_asked", _("Not asked")
        ASKED = "asked", _("Asked")
        CONFIRMED = "confirmed", _("Confirmed")
        DENIED = "denied", _("Denied")

    profile = models.ForeignKey(ProviderProfile, on_delete=models.CASCADE, related_name="references")
    # The customer's case file when it is on the platform; otherwise only its name and code.
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="provider_references",
    )
    customer_name = models.CharField(_("customer"), max_length=200)
    customer_credit_code = models.CharField(_("unified social credit code"), max_length=18)
    solution_used = models.CharField(_("solution used"), max_length=200)
    since = models.DateField(_("in use since"))
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    confirmation = models.CharField(
        _("confirmation"), max_length=10, choices=Confirmation.choices, default=Confirmation.NOT_ASKED
    )
    asked_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProviderReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["profile", "since", "id"]
        verbose_name = _("reference customer")
        verbose_name_plural = _("reference customers")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "customer_credit_code"], name="one_reference_per_customer"
            )
        ]

    def __str__(self):
        return self.customer_name

    @property
    def audit_enterprise_id(self):
        return self.enterprise_id

    def months_in_use(self, today: date | None = None) -> int:
        today = today or timezone.localdate()
        months = (today.year - self.since.year) * 12 + today.month - self.since.month
        return months - (today.day < self.since.day)

    @property
    def can_be_asked(self) -> bool:
        return self.enterprise_id is not None and self.confirmation in (
            self.Confirmation.NOT_ASKED,
            self.Confirmation.DENIED,
        )

    @property
    def is_awaiting_confirmation(self) -> bool:
        """The customer was asked and has not answered yet."""
        return self.confirmation == self.Confirmation.ASKED


class ProviderStatusChange(models.Model):
    """One row per step of the pool lifecycle, with the reason shown to the provider (the history)."""

    profile = models.ForeignKey(ProviderProfile, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=20, choices=ProviderProfile.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=ProviderProfile.Status.choices)
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.profile}: {self.from_status} → {self.to_status}"


REVIEW_CRITERIA = ("capability", "references", "finances", "solution_fit")


class ExpertReview(models.Model):
    """A committee expert's scores (0–100 per criterion) and opinion on one round of an application."""

    CRITERIA = REVIEW_CRITERIA

    profile = models.ForeignKey(ProviderProfile, on_delete=models.CASCADE, related_name="expert_reviews")
    round = models.PositiveSmallIntegerField(_("application round"))
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    capability = models.PositiveSmallIntegerField(_("capability"))
    references = models.PositiveSmallIntegerField(_("reference customers"))
    finances = models.PositiveSmallIntegerField(_("finances"))
    solution_fit = models.PositiveSmallIntegerField(_("solution fit"))
    opinion = models.TextField(_("opinion"))
    recommend = models.BooleanField(_("recommends listing"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["profile", "-round", "created_at"]
        verbose_name = _("expert review")
        verbose_name_plural = _("expert reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "round", "expert"], name="one_review_per_expert_and_round"
            ),
            *(
                models.CheckConstraint(condition=Q(**{f"{c}__lte": 100}), name=f"review_{c}_at_most_100")
                for c in REVIEW_CRITERIA
            ),
        ]

    def __str__(self):
        return f"{self.profile} · {self.expert}"

    @property
    def total(self) -> float:
        return round(sum(getattr(self, c) for c in self.CRITERIA) / len(self.CRITERIA), 1)


class ObjectionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Objection.Status.OPEN)


class Objection(StatusTone, models.Model):
    """An objection (异议) raised during the public notice; an open one blocks the listing."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("status", "Open")
        DISMISSED = "dismissed", _("Dismissed")
        UPHELD = "upheld", _("Upheld")

    STATUS_TONES = {Status.OPEN: "warning", Status.DISMISSED: "secondary", Status.UPHELD: "danger"}

    profile = models.ForeignKey(ProviderProfile, on_delete=models.CASCADE, related_name="objections")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("objection"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self):
        return f"{self.profile}: {self.text[:40]}"

    @property
    def is_open(self) -> bool:
        """Not yet resolved: it blocks the listing."""
        return self.status == self.Status.OPEN


class SolutionQuerySet(models.QuerySet):
    def catalogue(self):
        """What the public sees: published solutions of listed (or warned) providers."""
        return self.filter(status=Solution.Status.PUBLISHED, provider__status__in=ProviderProfile.PUBLIC)

    def visible_to(self, user):
        if user.is_authenticated and user.has_right(MANAGE):
            return self.all()
        shown = Q(status=Solution.Status.PUBLISHED, provider__status__in=ProviderProfile.PUBLIC)
        if (org_id := _own_org_id(user)) is not None:
            shown |= Q(provider__organisation_id=org_id)
        return self.filter(shown)

    def raising(self, scene: str):
        return self.filter(Exists(SolutionScene.objects.filter(solution=OuterRef("pk"), scene=scene)))

    def for_industry(self, division: str):
        """Solutions for every industry (none named) or naming `division`."""
        return self.filter(Q(industries="") | Q(industries__contains=f",{division},"))

    def serving(self, region):
        """Solutions whose provider serves `region` or the whole city."""
        served = ProviderProfile.regions.through.objects.filter(
            Q(region=region) | Q(region__parent__isnull=True), providerprofile_id=OuterRef("provider_id")
        )
        return self.filter(Exists(served))


class Solution(StatusTone, models.Model):
    """A solution in the catalogue (小快轻准): which scenes it raises to which level, for how much."""

    class Deployment(models.TextChoices):
        SAAS = "saas", _("SaaS")
        ON_PREMISES = "on_premises", _("On premises")
        HYBRID = "hybrid", _("Hybrid")

    class PriceUnit(models.TextChoices):
        PER_YEAR = "per_year", _("per year")
        PER_SET = "per_set", _("per set")
        PER_USER_YEAR = "per_user_year", _("per user per year")
        PER_PROJECT = "per_project", _("per project")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    STATUS_TONES = {Status.DRAFT: "secondary", Status.PUBLISHED: "success", Status.WITHDRAWN: "secondary"}

    provider = models.ForeignKey(
        ProviderProfile, verbose_name=_("provider"), on_delete=models.CASCADE, related_name="solutions"
    )
    name = models.CharField(_("name"), max_length=100)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    # Words the report links by (e.g. "MES,设备联网"); also searched.
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    industries = models.CharField(_("industries"), max_length=400, blank=True)
    deployment = models.CharField(_("deployment"), max_length=12, choices=Deployment.choices)
    price_min = MoneyField(_("price from (yuan)"), max_digits=12)
    price_max = MoneyField(_("price up to (yuan)"), max_digits=12)
    price_unit = models.CharField(_("price unit"), max_length=15, choices=PriceUnit.choices)
    delivery_days = models.PositiveIntegerField(_("typical delivery (days)"), validators=between(1, 3650))
    references = models.ManyToManyField(
        ProviderReference, verbose_name=_("reference customers"), blank=True, related_name="solutions"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SolutionQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("solution")
        verbose_name_plural = _("solutions")
        indexes = [models.Index(fields=["status", "price_min"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(price_max__gte=models.F("price_min")), name="solution_price_range"
            ),
            *not_negative("price_min", "price_max"),
        ]

    def __str__(self):
        return self.name

    @property
    def industry_codes(self) -> list[str]:
        return unpack(self.industries)

    @property
    def industry_labels(self) -> list[str]:
        return [industry_label(code) for code in self.industry_codes]

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def keyword_list(self) -> list[str]:
        return [word.strip() for word in self.keywords.replace("，", ",").split(",") if word.strip()]


class SolutionScene(models.Model):
    """A scene of the 2024 instrument a solution raises, from which level to which."""

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="scenes")
    scene = models.CharField(_("scene"), max_length=3, db_index=True)
    from_level = models.PositiveSmallIntegerField(_("from level"), default=0)
    to_level = models.PositiveSmallIntegerField(_("to level"))

    class Meta:
        ordering = ["solution", "scene"]
        verbose_name = _("scene raised")
        verbose_name_plural = _("scenes raised")
        constraints = [
            models.UniqueConstraint(fields=["solution", "scene"], name="one_row_per_solution_scene"),
            models.CheckConstraint(
                condition=Q(to_level__gt=models.F("from_level"), to_level__lte=4), name="scene_level_rises"
            ),
        ]

    def __str__(self):
        return f"{scene_label(self.scene)} {self.rise}"

    @property
    def name(self) -> str:
        return scene_name(self.scene)

    @property
    def from_level_label(self) -> str:
        return level_label(self.from_level)

    @property
    def to_level_label(self) -> str:
        return level_label(self.to_level)

    @property
    def rise(self) -> str:
        """ "二级 → 三级": levels by name, never "2→3"."""
        return f"{self.from_level_label} → {self.to_level_label}"
