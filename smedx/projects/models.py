"""Stage 4 项目实施: a selected plan becomes a registered project (备案) with its contract, itemised
prices, milestones and KPIs, reviewed by the enterprise's district; then implemented (progress,
invoices, change requests), supervised (监理) and accepted (验收).

Services: `services/filing.py` (registration and implementation), `services/supervision.py`,
`services/acceptance.py`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from smedx.accounts.models import Organisation
from smedx.assessments.levels import LEVEL_LABELS
from smedx.core.fields import MoneyField, not_negative
from smedx.core.status import StatusTone
from smedx.enterprises.models import DistrictRow, Enterprise, visible_through
from smedx.proposals.models import ProposalItem, TransformationPlan, _org

DIRECTION_CHOICES = [
    ("production_line", _("Production line")),
    ("management", _("Management")),
    ("data_flow", _("Data flow")),
]
TARGET_LEVEL_CHOICES = [(n, LEVEL_LABELS[n]) for n in range(1, 5)]


def project_file_path(instance, filename):
    return f"projects/{instance.project.enterprise_id}/{instance.project_id}/{filename}"


def contract_path(instance, filename):
    return f"projects/{instance.enterprise_id}/contracts/{filename}"


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The enterprise and its district (city: all), the provider doing it, the committee once submitted."""
        org = _org(user)
        if org is None:
            return self.none()
        if org.kind == Organisation.Kind.PROVIDER:
            return self.filter(provider=org)
        if org.kind == Organisation.Kind.COMMITTEE:
            return self.exclude(status=Project.Status.DRAFT)
        return visible_through(self, user, "enterprise__", region="region_id")


class Project(StatusTone, DistrictRow):
    """A registered transformation project (项目备案): the contract behind a selected plan."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        REGISTERED = "registered", pgettext_lazy("project", "Registered")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        ACCEPTANCE_APPLIED = "acceptance_applied", _("Acceptance applied")
        ACCEPTED = "accepted", pgettext_lazy("acceptance", "Accepted")
        RECTIFY = "rectify", _("To rectify")
        FAILED = "failed", _("Failed acceptance")

    EDITABLE = (Status.DRAFT, Status.RETURNED)
    UNDERWAY = (Status.REGISTERED, Status.IN_PROGRESS)
    STATUS_TONES = {
        Status.DRAFT: "secondary",
        Status.SUBMITTED: "primary",
        Status.RETURNED: "warning",
        Status.REGISTERED: "info",
        Status.IN_PROGRESS: "info",
        Status.COMPLETED: "success",
        Status.ACCEPTANCE_APPLIED: "primary",
        Status.ACCEPTED: "success",
        Status.RECTIFY: "warning",
        Status.FAILED: "danger",
    }

    plan = models.OneToOneField(TransformationPlan, on_delete=models.PROTECT, related_name="project")
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="projects"
    )
    provider = models.ForeignKey(
        Organisation, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="delivered_projects"
    )
    title = models.CharField(_("title"), max_length=200)
    contract_file = models.FileField(_("contract"), upload_to=contract_path, blank=True)
    contract_number = models.CharField(_("contract number"), max_length=60, blank=True)
    contract_signed_on = models.DateField(_("contract signed"), null=True, blank=True)
    contract_amount = MoneyField(_("contract amount (yuan)"), default=0)
    # {"enterprise_signatory": "...", "provider_signatory": "..."}
    parties = models.JSONField(_("parties"), default=dict, blank=True)
    goal_production_line = models.TextField(_("production line goal"), blank=True)
    goal_management = models.TextField(_("management goal"), blank=True)
    goal_data_flow = models.TextField(_("data flow goal"), blank=True)
    target_level = models.PositiveSmallIntegerField(
        _("target level"), choices=TARGET_LEVEL_CHOICES, null=True, blank=True
    )
    declared = models.BooleanField(_("truthfulness declared"), default=False)
    declared_at = models.DateTimeField(null=True, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    review_comment = models.TextField(_("review comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["provider", "status"]),
            models.Index(fields=["-created_at", "-id"], name="project_list_order"),
            models.Index(fields=["provider", "-created_at", "-id"], name="project_provider_list_order"),
            models.Index(fields=["region", "-created_at", "-id"], name="project_region_list_order"),
            models.Index(fields=["region", "status"], name="project_region_status"),
        ]
        constraints = not_negative("contract_amount")

    def __str__(self):
        return self.title

    @property
    def audit_enterprise_id(self):
        return self.enterprise_id

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_underway(self) -> bool:
        return self.status in self.UNDERWAY

    @property
    def is_awaiting_review(self) -> bool:
        """Submitted for filing; the district has not yet decided."""
        return self.status == self.Status.SUBMITTED

    @property
    def is_returned(self) -> bool:
        return self.status == self.Status.RETURNED

    @property
    def is_filed(self) -> bool:
        """Registered by the district (备案), whatever happened since."""
        return not self.is_editable and not self.is_awaiting_review

    @property
    def is_completed(self) -> bool:
        """The work is done and acceptance not yet applied for."""
        return self.status == self.Status.COMPLETED


class ProjectItem(models.Model):
    """One itemised price of the contract; office PCs are never eligible costs."""

    Kind = ProposalItem.Kind

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    unit_price = MoneyField(_("unit price (yuan)"))
    amount = MoneyField(_("amount (yuan)"))
    office_pc = models.BooleanField(_("office PC"), default=False)
    eligible = models.BooleanField(_("eligible cost"), default=True)

    class Meta:
        ordering = ["project_id", "id"]
        verbose_name = _("project item")
        verbose_name_plural = _("project items")
        constraints = [
            models.CheckConstraint(
                condition=Q(office_pc=False) | Q(eligible=False), name="office_pc_ineligible"
            ),
            *not_negative("unit_price", "amount"),
        ]

    def __str__(self):
        return self.description


class ProjectKpi(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="kpis")
    direction = models.CharField(_("direction"), max_length=20, choices=DIRECTION_CHOICES)
    name = models.CharField(_("indicator"), max_length=200)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=30, blank=True)

    class Meta:
        ordering = ["project_id", "id"]
        verbose_name = _("project indicator")
        verbose_name_plural = _("project indicators")

    def __str__(self):
        return self.name


class Milestone(StatusTone, models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        REPORTED = "reported", _("Reported")
        CONFIRMED = "confirmed", _("Confirmed")

    STATUS_TONES = {Status.PLANNED: "secondary", Status.REPORTED: "primary", Status.CONFIRMED: "success"}

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("milestone"), max_length=200)
    due_date = models.DateField(_("due date"))
    deliverable = models.CharField(_("deliverable"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    reported_at = models.DateTimeField(_("reported"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["project_id", "order", "due_date", "id"]
        verbose_name = _("project milestone")
        verbose_name_plural = _("project milestones")
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self):
        return self.name

    @property
    def audit_enterprise_id(self):
        return self.project.enterprise_id

    @property
    def is_reported(self) -> bool:
        """Progress is reported and waits for the enterprise to confirm it."""
        return self.status == self.Status.REPORTED

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED

    def is_overdue(self, today) -> bool:
        return not self.is_confirmed and self.due_date < today


class ProgressReport(models.Model):
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="reports")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("progress"))
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)

    class Meta:
        ordering = ["milestone_id", "created_at", "id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self):
        return self.text[:40]

    @property
    def audit_enterprise_id(self):
        return self.milestone.project.enterprise_id


class ProjectFile(models.Model):
    """A checked file of a project (evidence, invoice scan, acceptance documents …)."""

    class Kind(models.TextChoices):
        PROGRESS_EVIDENCE = "progress_evidence", _("Progress evidence")
        INVOICE = "invoice", _("Invoice")
        PAYMENT_PROOF = "payment_proof", _("Payment proof")
        ACCEPTANCE_FORM = "acceptance_form", _("Acceptance application form")
        FINANCIAL_CHECK = "financial_check", _("Financial check sheet")
        SUMMARY_REPORT = "summary_report", _("Summary report")
        OUTCOME_EVIDENCE = "outcome_evidence", _("Outcome evidence")
        OTHER = "other", _("Other")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="files")
    milestone = models.ForeignKey(
        Milestone, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    report = models.ForeignKey(
        ProgressReport, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=project_file_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["project_id", "kind", "id"]
        verbose_name = _("project file")
        verbose_name_plural = _("project files")
        indexes = [models.Index(fields=["project", "kind"])]

    def __str__(self):
        return self.original_name


class ChangeRequest(StatusTone, models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    STATUS_TONES = {Status.PENDING: "warning", Status.APPROVED: "success", Status.REFUSED: "danger"}

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="change_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    description = models.TextField(_("what changes and why"))
    # {"contract_amount": "123.00", "due_dates": {"<milestone id>": "2026-12-31"}}
    changes = models.JSONField(_("proposed changes"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        indexes = [models.Index(fields=["status"])]

    def __str__(self):
        return self.description[:40]

    @property
    def audit_enterprise_id(self):
        return self.project.enterprise_id

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class ReviewStep(models.Model):
    """One step of a project's review history."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        REGISTERED = "registered", pgettext_lazy("project", "Registered")
        CHANGE_APPROVED = "change_approved", _("Change approved")
        CHANGE_REFUSED = "change_refused", _("Change refused")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="review_steps")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["project_id", "created_at", "id"]
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")

    def __str__(self):
        return f"{self.project_id} {self.action}"


class Invoice(models.Model):
    """An invoice the enterprise received for the project; duplicates are found by query, not stored."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="invoices")
    number = models.CharField(_("invoice number"), max_length=40)
    date = models.DateField(_("invoice date"))
    amount = MoneyField(_("amount (yuan)"))
    seller_code = models.CharField(_("seller credit code"), max_length=18)
    payment_proof = models.ForeignKey(
        ProjectFile,
        verbose_name=_("payment proof"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["project_id", "date", "id"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        indexes = [models.Index(fields=["number", "seller_code"])]
        constraints = not_negative("amount")

    def __str__(self):
        return self.number

    @property
    def audit_enterprise_id(self):
        return self.project.enterprise_id


class SupervisionAssignment(models.Model):
    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="supervision")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervising expert"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)

    class Meta:
        verbose_name = _("supervision assignment")
        verbose_name_plural = _("supervision assignments")

    def __str__(self):
        return f"{self.project} — {self.expert}"

    @property
    def audit_enterprise_id(self):
        return self.project.enterprise_id


class SupervisionVisit(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="supervision_visits")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField(_("visited on"))
    findings = models.TextField(_("findings"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project_id", "-visited_on", "-id"]
        verbose_name = _("supervision visit")
        verbose_name_plural = _("supervision visits")

    def __str__(self):
        return f"{self.project} {self.visited_on}"

    @property
    def audit_enterprise_id(self):
        return self.project.enterprise_id


class Rectification(StatusTone, models.Model):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("rectification", "Open")
        FIXED = "fixed", _("Fixed")
        CLOSED = "closed", _("Closed")

    STATUS_TONES = {Status.OPEN: "warning", Status.FIXED: "primary", Status.CLOSED: "success"}

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="rectifications")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    description = models.TextField(_("what to rectify"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    fixed_note = models.TextField(_("what was fixed"), blank=True)
    fixed_at = models.DateTimeField(_("fixed"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)

    class Meta:
        ordering = ["project_id", "deadline", "id"]
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self):
        return self.description[:40]

    @property
    def audit_enterprise_id(self):
        return self.project.enterprise_id

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_fixed(self) -> bool:
        """The provider reports it fixed; the supervisor has not yet closed it."""
        return self.status == self.Status.FIXED


class AcceptanceApplication(models.Model):
    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="acceptance_application")
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    applied_at = models.DateTimeField(_("applied"), auto_now_add=True)
    application_form = models.ForeignKey(
        ProjectFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    financial_check = models.ForeignKey(
        ProjectFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary_report = models.ForeignKey(
        ProjectFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    before_assessment = models.ForeignKey(
        "assessments.Assessment",
        verbose_name=_("assessment before (T0)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    after_assessment = models.ForeignKey(
        "assessments.Assessment",
        verbose_name=_("assessment after (T1)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # What the checklist found when applying: {"contract": true, "invoices": true, ...}
    checklist = models.JSONField(_("checklist"), default=dict, blank=True)
    declared = models.BooleanField(_("truthfulness declared"), default=False)

    class Meta:
        verbose_name = _("acceptance application")
        verbose_name_plural = _("acceptance applications")

    def __str__(self):
        return str(self.project)

    @property
    def audit_enterprise_id(self):
        return self.project.enterprise_id


RATING_CHOICES = [(n, str(n)) for n in range(1, 6)]


class ProviderRating(models.Model):
    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="provider_rating")
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    quality = models.PositiveSmallIntegerField(_("quality"), choices=RATING_CHOICES)
    timeliness = models.PositiveSmallIntegerField(_("timeliness"), choices=RATING_CHOICES)
    service = models.PositiveSmallIntegerField(_("service"), choices=RATING_CHOICES)
    value = models.PositiveSmallIntegerField(_("value for money"), choices=RATING_CHOICES)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("provider rating")
        verbose_name_plural = _("provider ratings")
        constraints = [
            models.CheckConstraint(
                condition=Q(quality__range=(1, 5))
                & Q(timeliness__range=(1, 5))
                & Q(service__range=(1, 5))
                & Q(value__range=(1, 5)),
                name="rating_one_to_five",
            )
        ]

    def __str__(self):
        return str(self.project)

    @property
    def audit_enterprise_id(self):
        return self.project.enterprise_id


class AcceptanceDecision(models.Model):
    class Decision(models.TextChoices):
        ACCEPTED = "accepted", pgettext_lazy("acceptance", "Accepted")
        RECTIFY = "rectify", _("To rectify")
        FAILED = "failed", _("Failed acceptance")

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="acceptance_decision")
    experts = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("experts"), related_name="+")
    verified_assessment = models.ForeignKey(
        "assessments.Assessment",
        verbose_name=_("verified after-assessment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    reasons = models.TextField(_("reasons"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)

    class Meta:
        verbose_name = _("acceptance decision")
        verbose_name_plural = _("acceptance decisions")

    def __str__(self):
        return f"{self.project}: {self.decision}"

    @property
    def is_accepted(self) -> bool:
        return self.decision == self.Decision.ACCEPTED

    @property
    def is_failed(self) -> bool:
        return self.decision == self.Decision.FAILED

    @property
    def audit_enterprise_id(self):
        return self.project.enterprise_id
