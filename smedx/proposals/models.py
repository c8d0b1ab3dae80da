"""Stage 3 方案设计, demand side: needs, invitations, research, proposals, comments and the chosen plan.

need (draft → published → closed / fulfilled) → invitations to providers → research (调研) →
proposal (draft → submitted → selected / not selected, or withdrawn) → TransformationPlan (one per
need). A proposal by the provider that diagnosed the enterprise is flagged (conflict of interest) and
needs the district's ConflictAcknowledgement before it can be selected.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from smedx.accounts.models import Organisation
from smedx.assessments.levels import LEVEL_LABELS
from smedx.core.fields import MoneyField, not_negative
from smedx.core.status import StatusTone
from smedx.enterprises.models import Enterprise, visible_or, visible_through

MONEY = {"max_digits": 14, "decimal_places": 2}
LEVEL_CHOICES = list(enumerate(LEVEL_LABELS))


def _org(user):
    if not user.is_authenticated:
        return None
    org = user.organisation
    return org if org is not None and org.is_active else None


class NeedQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The enterprise and its officers see all its needs; the committee the published ones;
        a provider those it was invited to."""
        org = _org(user)
        if org is None:
            return self.none()
        other = None
        if org.kind == Organisation.Kind.COMMITTEE:
            other = ~Q(status=Need.Status.DRAFT)
        if org.kind == Organisation.Kind.PROVIDER:
            other = Q(pk__in=Invitation.objects.filter(provider=org).values("need_id"))
        visible = visible_or(user, "enterprise__", other)
        return self.none() if visible is None else self.filter(visible)


class Need(StatusTone, models.Model):
    """A need (需求) an enterprise publishes: scenes to raise, target level, budget and timeline."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")
        FULFILLED = "fulfilled", _("Plan chosen")

    STATUS_TONES = {
        Status.DRAFT: "secondary",
        Status.PUBLISHED: "primary",
        Status.CLOSED: "secondary",
        Status.FULFILLED: "success",
    }

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="needs"
    )
    title = models.CharField(_("title"), max_length=200)
    source_assessment = models.ForeignKey(
        "assessments.Assessment",
        verbose_name=_("based on the assessment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    current_level = models.PositiveSmallIntegerField(_("current level"), null=True, blank=True)
    target_level = models.PositiveSmallIntegerField(_("target level"), choices=LEVEL_CHOICES, null=True)
    budget = MoneyField(_("budget (yuan)"), null=True)
    start_month = models.DateField(_("start month"), null=True, blank=True)
    end_month = models.DateField(_("end month"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = NeedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        indexes = [models.Index(fields=["enterprise", "status"]), models.Index(fields=["status"])]
        constraints = not_negative("budget")

    def __str__(self):
        return self.title

    @property
    def audit_enterprise_id(self):
        return self.enterprise_id

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def can_be_closed(self) -> bool:
        """Neither closed nor fulfilled yet."""
        return self.is_draft or self.is_open


class NeedScene(models.Model):
    """One scene the need raises: from its level in the latest diagnosis to the target level."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="scenes")
    scene = models.CharField(_("scene"), max_length=10)
    name = models.CharField(_("name"), max_length=100, blank=True)
    current_level = models.PositiveSmallIntegerField(_("current level"), choices=LEVEL_CHOICES, default=0)
    target_level = models.PositiveSmallIntegerField(_("target level"), choices=LEVEL_CHOICES)

    class Meta:
        ordering = ["need", "scene"]
        verbose_name = _("scene of a need")
        verbose_name_plural = _("scenes of a need")
        constraints = [
            models.UniqueConstraint(fields=["need", "scene"], name="need_scene_once"),
            models.CheckConstraint(
                condition=Q(target_level__gt=models.F("current_level")), name="scene_raised"
            ),
        ]

    def __str__(self):
        return f"{self.scene} {self.name}"


class Recommendation(models.Model):
    """A committee expert recommends a provider (and optionally one of its solutions) for a need."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="recommendations")
    provider = models.ForeignKey(
        Organisation, verbose_name=_("provider"), on_delete=models.CASCADE, related_name="+"
    )
    solution = models.ForeignKey(
        "providers.Solution",
        verbose_name=_("solution"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("why"), blank=True)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["need", "id"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self):
        return str(self.provider)

    @property
    def audit_enterprise_id(self):
        return self.need.enterprise_id


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, user):
        org = _org(user)
        if org is None:
            return self.none()
        if org.kind == Organisation.Kind.PROVIDER:
            return self.filter(provider=org)
        return self.filter(need__in=Need.objects.visible_to(user))


class Invitation(StatusTone, models.Model):
    """The enterprise invites a provider to propose for its need."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        DECLINED = "declined", _("Declined")
        PROPOSED = "proposed", _("Proposed")

    STATUS_TONES = {Status.INVITED: "primary", Status.DECLINED: "secondary", Status.PROPOSED: "success"}

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="invitations")
    provider = models.ForeignKey(
        Organisation, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="need_invitations"
    )
    solution = models.ForeignKey(
        "providers.Solution",
        verbose_name=_("solution"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.INVITED)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decline_reason = models.TextField(_("reason"), blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation to propose")
        verbose_name_plural = _("invitations to propose")
        constraints = [models.UniqueConstraint(fields=["need", "provider"], name="invite_provider_once")]

    def __str__(self):
        return f"{self.provider} → {self.need}"

    @property
    def audit_enterprise_id(self):
        return self.need.enterprise_id

    @property
    def is_awaiting_answer(self) -> bool:
        """The provider has neither declined nor proposed yet."""
        return self.status == self.Status.INVITED

    @property
    def can_be_answered(self) -> bool:
        return self.is_awaiting_answer and self.need.is_open


class ResearchQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The provider who did it, the enterprise and its officers, the committee."""
        org = _org(user)
        if org is None:
            return self.none()
        if org.kind == Organisation.Kind.PROVIDER:
            return self.filter(invitation__provider=org)
        if org.kind == Organisation.Kind.COMMITTEE:
            return self.all()
        return visible_through(self, user, "invitation__need__enterprise__")


class Research(models.Model):
    """The provider's research of the enterprise (调研), recorded before it proposes."""

    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="research")
    researched_on = models.DateField(_("date"))
    people_met = models.TextField(_("people met"))
    strategy = models.TextField(_("strategy"))
    production = models.TextField(_("production"))
    management_model = models.TextField(_("management model"))
    organisation = models.TextField(_("organisation"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    objects = ResearchQuerySet.as_manager()

    class Meta:
        verbose_name = _("research")
        verbose_name_plural = _("research")

    def __str__(self):
        return f"{self.invitation.provider} {self.researched_on}"

    @property
    def audit_enterprise_id(self):
        return self.invitation.need.enterprise_id


class ProposalQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A draft only inside its provider; once submitted, the enterprise, its officers and the committee."""
        org = _org(user)
        if org is None:
            return self.none()
        if org.kind == Organisation.Kind.PROVIDER:
            return self.filter(provider=org)
        shown = self.exclude(status=Proposal.Status.DRAFT)
        if org.kind == Organisation.Kind.COMMITTEE:
            return shown
        return visible_through(shown, user, "need__enterprise__")


class Proposal(StatusTone, models.Model):
    """A provider's proposal (方案) for a need: scope, priced items, schedule, expected gains."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        SELECTED = "selected", _("Selected")
        NOT_SELECTED = "not_selected", _("Not selected")

    STATUS_TONES = {
        Status.DRAFT: "secondary",
        Status.SUBMITTED: "primary",
        Status.WITHDRAWN: "secondary",
        Status.SELECTED: "success",
        Status.NOT_SELECTED: "secondary",
    }

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="proposals")
    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="proposal")
    provider = models.ForeignKey(
        Organisation, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="proposals"
    )
    title = models.CharField(_("title"), max_length=200)
    scope = models.TextField(_("scope"))
    expected_level = models.PositiveSmallIntegerField(_("expected level"), choices=LEVEL_CHOICES, null=True)
    total = MoneyField(_("total (yuan)"), default=0)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    # Why it is a conflict of interest, found on submission (empty: none). Selection checks again.
    conflict = models.TextField(_("conflict of interest"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [
            models.Index(fields=["need", "status"]),
            models.Index(fields=["provider", "status"]),
            # The district's to-do "conflicts to acknowledge" reads only the open flagged proposals.
            models.Index(
                fields=["need"],
                name="proposal_open_conflicts",
                condition=Q(status="submitted") & ~Q(conflict=""),
            ),
        ]
        constraints = not_negative("total")

    def __str__(self):
        return self.title

    @property
    def audit_enterprise_id(self):
        return self.need.enterprise_id

    @property
    def is_flagged(self) -> bool:
        return bool(self.conflict)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_submitted(self) -> bool:
        """Submitted and still in the running: neither withdrawn nor decided."""
        return self.status == self.Status.SUBMITTED


class ProposalItem(models.Model):
    class Kind(models.TextChoices):
        SOFTWARE = "software", _("Software")
        CLOUD = "cloud", _("Cloud service")
        HARDWARE = "hardware", _("Hardware")
        INTEGRATION = "integration", _("Integration")
        SERVICE = "service", _("Service")
        OTHER = "other", _("Other")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    unit_price = MoneyField(_("unit price (yuan)"))
    amount = MoneyField(_("amount (yuan)"))

    class Meta:
        ordering = ["proposal", "id"]
        verbose_name = _("line item")
        verbose_name_plural = _("line items")
        constraints = not_negative("unit_price", "amount")

    def __str__(self):
        return self.description


class ProposalMilestone(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(_("milestone"), max_length=200)
    due_date = models.DateField(_("due date"))
    deliverable = models.CharField(_("deliverable"), max_length=300, blank=True)

    class Meta:
        ordering = ["proposal", "due_date", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return self.name


class ProposalKpi(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(_("indicator"), max_length=200)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=30, blank=True)

    class Meta:
        ordering = ["proposal", "id"]
        verbose_name = _("expected gain")
        verbose_name_plural = _("expected gains")

    def __str__(self):
        return self.name


class ProposalScene(models.Model):
    """A scene the proposal promises to raise, and to which level."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="scenes")
    scene = models.CharField(_("scene"), max_length=10)
    target_level = models.PositiveSmallIntegerField(_("target level"), choices=LEVEL_CHOICES)

    class Meta:
        ordering = ["proposal", "scene"]
        verbose_name = _("scene of a proposal")
        verbose_name_plural = _("scenes of a proposal")
        constraints = [models.UniqueConstraint(fields=["proposal", "scene"], name="proposal_scene_once")]

    def __str__(self):
        return f"{self.scene} → {self.target_level}"


class ProposalComment(models.Model):
    """A committee expert's comment (专家意见) on a proposal."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["proposal", "created_at", "id"]
        verbose_name = _("expert comment")
        verbose_name_plural = _("expert comments")

    def __str__(self):
        return f"{self.author}: {self.body[:40]}"

    @property
    def audit_enterprise_id(self):
        return self.proposal.need.enterprise_id


class ConflictAcknowledgement(models.Model):
    """The district authority knowingly accepts that a conflicted provider may be selected."""

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="acknowledgement")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"))
    created_at = models.DateTimeField(_("acknowledged"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest acknowledgement")
        verbose_name_plural = _("conflict of interest acknowledgements")

    def __str__(self):
        return f"{self.officer}: {self.proposal}"

    @property
    def audit_enterprise_id(self):
        return self.proposal.need.enterprise_id


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        org = _org(user)
        if org is None:
            return self.none()
        if org.kind == Organisation.Kind.PROVIDER:
            return self.filter(proposal__provider=org)
        if org.kind == Organisation.Kind.COMMITTEE:
            return self.all()
        return visible_through(self, user, "need__enterprise__")


class TransformationPlan(models.Model):
    """The proposal an enterprise chose for a need: its transformation plan, where projects start."""

    need = models.OneToOneField(Need, on_delete=models.PROTECT, related_name="plan")
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="plan")
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="plans"
    )
    selected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    selected_at = models.DateTimeField(_("selected"), auto_now_add=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-selected_at", "-id"]
        verbose_name = _("transformation plan")
        verbose_name_plural = _("transformation plans")

    def __str__(self):
        return str(self.proposal)

    @property
    def audit_enterprise_id(self):
        return self.enterprise_id
