"""State changes of implementation plans (实施方案) and their targets."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smedx.accounts import people
from smedx.core import audit, uploads
from smedx.core.errors import DomainError
from smedx.planning import files
from smedx.planning.models import Plan, Target

PLAN = "planning.plan:manage"
PLAN_FIELDS = ["title", "summary", "period_start", "period_end"]
TARGET_FIELDS = ["division", "metric", "level", "value", "due_date"]


def _check_manage(actor):
    if not actor.has_right(PLAN):
        raise DomainError(_("You may not manage implementation plans."))


def _check_targets(targets):
    for target in targets:
        if target["metric"] != Target.Metric.TRANSFORMED and target.get("level") is None:
            raise DomainError(_("A target on levels needs the level."))
        if target["metric"] == Target.Metric.SHARE_AT_LEVEL and target["value"] > 100:
            raise DomainError(_("A share is at most 100%."))


def _write_plan(plan, data, targets):
    for key in PLAN_FIELDS:
        setattr(plan, key, data[key])
    plan.save()
    plan.targets.all().delete()
    Target.objects.bulk_create(
        Target(plan=plan, order=n, **{key: target.get(key) for key in TARGET_FIELDS})
        for n, target in enumerate(targets)
    )


def save_plan(*, actor, data: dict, targets: list[dict], document=None, plan=None, ip=None) -> Plan:
    """Create a plan (`plan` None) or change a draft one; the targets replace the previous ones."""
    _check_manage(actor)
    _check_targets(targets)
    if data["period_end"] < data["period_start"]:
        raise DomainError(_("The plan ends before it starts."))
    kind = None if document is None else uploads.check(document, kinds=files.KINDS, max_bytes=files.MAX_BYTES)
    org = actor.organisation
    written = None
    try:
        with transaction.atomic():
            if plan is None:
                plan = Plan(authority=org, region_id=org.region_id, created_by=actor)
                action = "planning.plan.created"
            else:
                plan = Plan.objects.select_for_update().get(pk=plan.pk)
                if not people.acts_for(actor, plan.authority_id):
                    raise DomainError(_("Only the authority that made this plan changes it."))
                if plan.status != Plan.Status.DRAFT:
                    raise DomainError(_("A published plan is kept as it was."))
                action = "planning.plan.updated"
            if document is not None:
                uploads.store(plan.document, document, kind=kind)
                written = plan.document
                plan.document_name = uploads.original_name(document)
            _write_plan(plan, data, targets)
            audit.record(action, actor=actor, obj=plan, ip=ip, data={"targets": len(targets)})
    except Exception:
        if written is not None:
            written.storage.delete(written.name)
        raise
    return plan


def publish_plan(*, plan, actor, ip=None) -> Plan:
    _check_manage(actor)
    with transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        if not people.acts_for(actor, locked.authority_id):
            raise DomainError(_("Only the authority that made this plan changes it."))
        if locked.status != Plan.Status.DRAFT:
            raise DomainError(_("This plan is already published."))
        if not locked.targets.exists():
            raise DomainError(_("Add at least one target before publishing."))
        locked.status, locked.published_at = Plan.Status.PUBLISHED, timezone.now()
        locked.save(update_fields=["status", "published_at"])
        audit.record("planning.plan.published", actor=actor, obj=locked, ip=ip)
    return locked
