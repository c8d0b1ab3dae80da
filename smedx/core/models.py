from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from smedx.core.status import StatusTone


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The audit log is append-only")

    def delete(self):
        raise TypeError("The audit log is append-only")


class AuditEntry(models.Model):
    """One row per state change or security event. Never updated, never deleted."""

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.SET_NULL
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    # The enterprise whose case file this entry belongs to, so the case file shows its trail cheaply.
    enterprise_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise TypeError("The audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The audit log is append-only")


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    verb = models.CharField(max_length=100)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.title


class Tally(models.Model):
    """A pre-aggregated count: how many rows of one kind (`key`, e.g. "enterprises.level:3") a district
    has. Kept by the services that change those rows (`core.tallies`), so a chart or a workbench reads
    38 small rows instead of counting a province; tests compare every key with a direct count."""

    region_id = models.PositiveIntegerField()
    key = models.CharField(max_length=60)
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "region_id"], name="tally_once")]

    def __str__(self):
        return f"{self.key}@{self.region_id}={self.n}"


class ExportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An export is its owner's alone: it holds what their rights let them see."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)

    def ready(self):
        """Done and not yet downloaded: the workbench's to-do."""
        return self.filter(status=ExportJob.Status.DONE, downloaded_at__isnull=True)


class ExportJob(StatusTone, models.Model):
    """One Excel export of a list (an `ExportKind` of some app) with the filters it was asked with.

    Small ones are written in the request; the others by the task worker, which runs the kind's rows
    again from `params` as the owner and stores the file under MEDIA_ROOT/exports/ for a few days.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Exporting")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    RUNNING = (Status.QUEUED, Status.RUNNING)
    STATUS_TONES = {
        Status.QUEUED: "secondary",
        Status.RUNNING: "primary",
        Status.DONE: "success",
        Status.FAILED: "danger",
    }

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=100)
    # The page's filters as {name: [values]}, read again by the worker.
    params = models.JSONField(_("filters"), default=dict, blank=True)
    language = models.CharField(max_length=10, blank=True)
    in_background = models.BooleanField(default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    downloaded_at = models.DateTimeField(_("downloaded"), null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        indexes = [models.Index(fields=["owner", "status"])]

    def __str__(self):
        return str(self.title)

    @property
    def title(self):
        from smedx.core.frame import export_kinds

        kind = export_kinds().get(self.kind)
        return kind.title if kind is not None else self.kind

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def is_waiting(self) -> bool:
        """Queued: no worker has taken it yet."""
        return self.status == self.Status.QUEUED

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def has_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def progress_is_indeterminate(self) -> bool:
        """Waiting, or counting the rows: there is no share to show yet."""
        return self.is_waiting or (self.is_running and self.rows_total is None)

    @property
    def percent(self) -> int:
        if self.is_done:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)
