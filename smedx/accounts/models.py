import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from smedx.core.status import StatusTone


class Region(models.Model):
    """An administrative division: the city and its district-level divisions (GB/T 2260 codes)."""

    code = models.CharField(_("division code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=50)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    @property
    def is_city(self):
        return self.parent_id is None


class Organisation(StatusTone, models.Model):
    class Kind(models.TextChoices):
        AUTHORITY = "authority", _("Authority")
        COMMITTEE = "committee", _("Expert committee")
        PROVIDER = "provider", _("Service provider")
        ENTERPRISE = "enterprise", _("Enterprise")
        PLATFORM = "platform", _("Platform operator")

    class Level(models.TextChoices):
        CITY = "city", _("City")
        DISTRICT = "district", _("District")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending approval")
        ACTIVE = "active", _("Active")
        REJECTED = "rejected", _("Rejected")

    STATUS_TONES = {Status.PENDING: "warning", Status.ACTIVE: "success", Status.REJECTED: "danger"}

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    # A provider the platform lists as a diagnosis institution (诊断机构) for on-site diagnoses.
    is_diagnosis_institution = models.BooleanField(_("diagnosis institution"), default=False)
    review_comment = models.TextField(_("review comment"), blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="authority")
                | models.Q(level__in=["city", "district"], region__isnull=False),
                name="authority_has_level_and_region",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class User(AbstractUser):
    display_name = models.CharField(_("name"), max_length=100, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or self.username

    @cached_property
    def membership(self):
        return Membership.objects.select_related("organisation__region").filter(user=self).first()

    @property
    def organisation(self):
        return self.membership.organisation if self.membership else None

    @cached_property
    def rights(self) -> frozenset[str]:
        from smedx.accounts.rights import rights_for

        return rights_for(self)

    def has_right(self, right: str) -> bool:
        return right in self.rights


class Membership(models.Model):
    """A user belongs to exactly one organisation; its admins manage colleagues."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        MEMBER = "member", _("Member")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    title = models.CharField(_("position"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "-role", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"


class ExpertProfile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="expert_profile")
    fields_of_expertise = models.CharField(_("fields of expertise"), max_length=300)
    industries = models.CharField(_("industries"), max_length=300, blank=True, help_text=_("GB/T 4754 codes"))
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    title = models.CharField(_("professional title"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("expert profile")
        verbose_name_plural = _("expert profiles")

    def __str__(self):
        return str(self.user)


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=10, choices=Membership.Role.choices, default="member")
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    @staticmethod
    def hash(raw: str) -> str:
        return _token_hash(raw)


class ApiToken(models.Model):
    """A personal access token. Only its hash is stored; the raw value is shown once."""

    PREFIX = "smx_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    last_four = models.CharField(max_length=4)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} (…{self.last_four})"

    @classmethod
    def new_raw(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def hash(raw: str) -> str:
        return _token_hash(raw)

    @property
    def is_active(self):
        return self.revoked_at is None
