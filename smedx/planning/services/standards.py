"""State changes of classification standards: their tiers, versions and application to the region."""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from smedx.accounts import people
from smedx.core import audit
from smedx.core.errors import DomainError
from smedx.planning import rules
from smedx.planning.models import Application, EnterpriseTier, Standard, Tier

STANDARD = "planning.standard:manage"
BATCH = 2000


def _check_manage(actor):
    if not actor.has_right(STANDARD):
        raise DomainError(_("You may not manage classification standards."))


def _lock_standard(standard, actor) -> Standard:
    _check_manage(actor)
    locked = Standard.objects.select_for_update().get(pk=standard.pk)
    if not people.acts_for(actor, locked.authority_id):
        raise DomainError(_("Only the authority that made this standard changes it."))
    return locked


def _check_draft(standard):
    if standard.status != Standard.Status.DRAFT:
        raise DomainError(_("An applied standard is kept as it was; make a new version to change it."))


def create_standard(*, actor, name: str, ip=None) -> Standard:
    _check_manage(actor)
    org = actor.organisation
    with transaction.atomic():
        standard = Standard.objects.create(
            authority=org, region_id=org.region_id, name=name, created_by=actor
        )
        audit.record("planning.standard.created", actor=actor, obj=standard, ip=ip)
    return standard


def rename_standard(*, standard, actor, name: str, ip=None) -> Standard:
    with transaction.atomic():
        locked = _lock_standard(standard, actor)
        _check_draft(locked)
        locked.name = name
        locked.save(update_fields=["name"])
        audit.record("planning.standard.updated", actor=actor, obj=locked, ip=ip)
    return locked


def save_tier(*, standard, actor, data: dict, tier=None, ip=None) -> Tier:
    """Add a tier (`tier` None) or change one; `data` has order, code, name, description and rule."""
    with transaction.atomic():
        locked = _lock_standard(standard, actor)
        _check_draft(locked)
        clash = locked.tiers.filter(code=data["code"])
        if tier is not None:
            clash = clash.exclude(pk=tier.pk)
        if clash.exists():
            raise DomainError(
                _("Another tier of this standard has the code %(code)s.") % {"code": data["code"]}
            )
        tier = tier or Tier(standard=locked)
        for key in ("order", "code", "name", "description", "rule"):
            setattr(tier, key, data[key])
        created = tier.pk is None
        tier.save()
        audit.record(
            "planning.tier." + ("created" if created else "updated"),
            actor=actor,
            obj=tier,
            ip=ip,
            data={"rule": tier.rule},
        )
    return tier


def delete_tier(*, tier, actor, ip=None):
    with transaction.atomic():
        locked = _lock_standard(tier.standard, actor)
        _check_draft(locked)
        audit.record("planning.tier.deleted", actor=actor, obj=tier, ip=ip)
        tier.delete()


def apply_standard(*, standard, actor, ip=None) -> Application:
    """Classify every active enterprise of the region and keep the result as a new application.

    The tier of each enterprise comes from one SQL CASE (the same as the preview); rows are written in
    batches. Earlier applications stay untouched: the latest application of a region is the current one.
    """
    with transaction.atomic():
        locked = _lock_standard(standard, actor)
        tiers = list(locked.tiers.all())
        if not tiers:
            raise DomainError(_("Add at least one tier before applying the standard."))
        application = Application.objects.create(
            standard=locked, region_id=locked.region_id, applied_by=actor
        )
        counts = {str(tier.pk): 0 for tier in tiers}
        pairs = (
            rules.classified(locked.region, tiers).filter(tier_id__isnull=False).values_list("pk", "tier_id")
        )
        batch = []
        for enterprise_id, tier_id in pairs.iterator(chunk_size=BATCH):
            counts[str(tier_id)] += 1
            batch.append(
                EnterpriseTier(application=application, enterprise_id=enterprise_id, tier_id=tier_id)
            )
            if len(batch) >= BATCH:
                EnterpriseTier.objects.bulk_create(batch)
                batch = []
        EnterpriseTier.objects.bulk_create(batch)
        application.counts = counts
        application.save(update_fields=["counts"])
        locked.status, locked.applied_at = Standard.Status.APPLIED, application.applied_at
        locked.save(update_fields=["status", "applied_at"])
        audit.record(
            "planning.standard.applied",
            actor=actor,
            obj=locked,
            ip=ip,
            data={"application": application.pk, "enterprises": sum(counts.values())},
        )
    return application


def new_standard_version(*, standard, actor, ip=None) -> Standard:
    """A draft copy of the standard and its tiers with the next version number."""
    with transaction.atomic():
        locked = _lock_standard(standard, actor)
        if locked.later_versions.filter(status=Standard.Status.DRAFT).exists():
            raise DomainError(_("A draft version of this standard already exists."))
        top = Standard.objects.filter(authority_id=locked.authority_id, name=locked.name).aggregate(
            v=Max("version")
        )
        draft = Standard.objects.create(
            authority_id=locked.authority_id,
            region_id=locked.region_id,
            name=locked.name,
            version=max(top["v"] or 0, locked.version) + 1,
            based_on=locked,
            created_by=actor,
        )
        Tier.objects.bulk_create(
            Tier(
                standard=draft,
                order=t.order,
                code=t.code,
                name=t.name,
                description=t.description,
                rule=t.rule,
            )
            for t in locked.tiers.all()
        )
        audit.record("planning.standard.versioned", actor=actor, obj=draft, ip=ip, data={"v": draft.version})
    return draft
