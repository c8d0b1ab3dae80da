"""Stage 5 优惠政策申报: support policies with eligibility over the platform's facts.

A policy's eligibility is data (`Policy.conditions`, read by `subsidies.eligibility`): conditions over
the enterprise's stored facts (district, industry, size, 规上, tags, current level), its tier under a
classification standard, and its projects (accepted; registered inside a window). Publishing a
policy writes the enterprises that meet them (`PolicyEligibility`) in one statement and tells them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from smedx.accounts.models import Organisation, Region
from smedx.core.fields import MoneyField, between, not_negative
from smedx.core.status import StatusTone
from smedx.enterprises.models import Enterprise


class PolicyQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Policy.Status.PUBLISHED)

    def visible_to(self, user):
        """Authorities: the city's and their own district's policies, drafts included (the city: all);
        every other active organisation: the published ones; nobody else any."""
        org = getattr(user, "organisation", None) if getattr(user, "is_authenticated", False) else None
        if org is None or not org.is_active:
            return self.none()
        if org.kind == Organisation.Kind.AUTHORITY:
            if org.region.parent_id is None:
                return self.all()
            return self.filter(Q(region_id=org.region_id) | Q(region__parent__isnull=True))
        return self.published()


class Policy(StatusTone, models.Model):
    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        CITY = "city", _("City")
        DISTRICT = "district", _("District")

    class Support(models.TextChoices):
        SHARE = "share", _("Share of the eligible investment, capped")
        FIXED = "fixed", _("Fixed award")
        INTEREST = "interest", _("Interest subsidy")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")

    STATUS_TONES = {Status.DRAFT: "secondary", Status.PUBLISHED: "success", Status.CLOSED: "info"}

    title = models.CharField(_("title"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    issuer = models.ForeignKey(
        Organisation, verbose_name=_("issuer"), on_delete=models.PROTECT, related_name="policies"
    )
    # The city (the region without parent) or one district: where the policy applies.
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    opens_on = models.DateField(_("applications open"))
    closes_on = models.DateField(_("applications close"))
    total_budget = MoneyField(_("total budget (元)"), max_digits=14, decimal_places=2)
    support = models.CharField(_("support type"), max_length=10, choices=Support.choices)
    # share / interest: percent of the base amount; fixed: ignored.
    rate = models.DecimalField(
        _("rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True, validators=between(0, 100)
    )
    cap = MoneyField(_("cap per enterprise (元)"), max_digits=14, decimal_places=2, null=True, blank=True)
    fixed_amount = MoneyField(_("fixed award (元)"), max_digits=14, decimal_places=2, null=True, blank=True)
    materials = models.JSONField(_("required materials"), default=list, blank=True)
    review_steps = models.JSONField(_("review steps"), default=list, blank=True)
    conditions = models.JSONField(_("eligibility"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    eligible_count = models.PositiveIntegerField(_("eligible enterprises"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        indexes = [models.Index(fields=["status", "-created_at", "-id"], name="policy_list_order")]
        constraints = [
            *not_negative("total_budget", "cap", "fixed_amount"),
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="policy_window"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class PolicyEligibility(models.Model):
    """An enterprise that met the policy's conditions when it was published."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="eligible")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="policy_eligibility")
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["policy", "enterprise"]
        verbose_name = _("eligible enterprise")
        verbose_name_plural = _("eligible enterprises")
        constraints = [models.UniqueConstraint(fields=["policy", "enterprise"], name="eligible_once")]
        indexes = [models.Index(fields=["enterprise", "policy"], name="eligibility_by_enterprise")]

    def __str__(self):
        return f"{self.enterprise} · {self.policy}"
