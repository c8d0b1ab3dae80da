"""State changes of classification standards: their tiers, versions and application to the region."""

import logging

from django.db import connection, transaction
from django.db.models import Exists, F, Max, OuterRef
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from smedx.accounts import people
from smedx.core import audit
from smedx.core.errors import DomainError
from smedx.planning import rules
from smedx.planning.models import Application, EnterpriseTier, Standard, Tier

STANDARD = "planning.standard:manage"
logger = logging.getLogger(__name__)


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
    if standard.applications.filter(status__in=Application.RUNNING).exists():
        raise DomainError(_("This standard is being applied now; wait until it is done."))


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


def apply_standard(*, standard, actor, seen=None, ip=None) -> Application:
    """Ask for the standard to be applied to its region: a waiting application, which the task worker
    classifies (`classify_enterprises`); the caller queues it (`planning.tasks.run_application`).

    Two officers pressing the button at once get one application: the standard's row is locked, an
    application of the region still waiting or running refuses another, and `seen` (the id of the
    latest application of this standard the officer's page showed, 0 for none) refuses a press made
    on a page that is out of date. Earlier applications stay untouched. The audit entry is written
    when the worker is done, with the counts (`ip` is taken for the services' one call shape).
    """
    with transaction.atomic():
        locked = _lock_standard(standard, actor)
        if not locked.tiers.exists():
            raise DomainError(_("Add at least one tier before applying the standard."))
        _check_not_applying(locked)
        latest = locked.applications.select_related("applied_by").first()
        if seen is not None and (latest.pk if latest else 0) != seen:
            raise DomainError(
                _(
                    "%(who)s applied this standard at %(when)s, after you opened the page. "
                    "See that application before applying it again."
                )
                % {"who": latest.applied_by or "—", "when": _local(latest.applied_at)}
            )
        return Application.objects.create(standard=locked, region_id=locked.region_id, applied_by=actor)


def _check_not_applying(standard):
    busy = (
        Application.objects.filter(region_id=standard.region_id, status__in=Application.RUNNING)
        .select_related("applied_by", "standard")
        .first()
    )
    if busy is not None:
        raise DomainError(
            _("%(who)s is applying %(standard)s to this region now; wait until it is done.")
            % {"who": busy.applied_by or "—", "standard": busy.standard}
        )


def _local(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "Y-m-d H:i")


def classify_enterprises(application: Application) -> Application:
    """Write the tiers of a waiting application in one transaction, or none of them (then it failed).

    One INSERT … SELECT per tier writes the enterprises whose first matching rule is that tier's, with
    the rules' own SQL (`rules.rule_q`), so the database does the work and the counts are the rows
    inserted. The standard's row stays locked meanwhile, so its tiers cannot change.
    """
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status != Application.Status.QUEUED:
            return application  # already taken, by another worker or an earlier run
        application.status = Application.Status.RUNNING
        application.save(update_fields=["status"])
    try:
        with transaction.atomic():
            _classify(application)
    except Exception:
        logger.exception("application %s of standard %s failed", application.pk, application.standard_id)
        Application.objects.filter(pk=application.pk).update(
            status=Application.Status.FAILED,
            error=_("Nothing was written because of an internal error. Please apply the standard again."),
            finished_at=timezone.now(),
        )
    application.refresh_from_db()
    return application


def _classify(application):
    standard = Standard.objects.select_for_update().select_related("region").get(pk=application.standard_id)
    counts = _insert_tiers(application, standard.region, list(standard.tiers.all()))
    application.counts, application.status = counts, Application.Status.DONE
    application.finished_at = timezone.now()
    application.save(update_fields=["counts", "status", "finished_at"])
    standard.status, standard.applied_at = Standard.Status.APPLIED, application.applied_at
    standard.save(update_fields=["status", "applied_at"])
    audit.record(
        "planning.standard.applied",
        actor=application.applied_by,
        obj=standard,
        data={"application": application.pk, "enterprises": sum(counts.values())},
    )


def _insert_tiers(application, region, tiers) -> dict[str, int]:
    """{tier id: enterprises written}, one statement per tier, in the tiers' order.

    Tier by tier, the region's enterprises that match the tier's rule (`rules.rule_q`) and are not
    written yet: the first matching tier wins, as in the preview's CASE (`rules.tier_case`), while each
    statement tests one rule only.
    """
    quote = connection.ops.quote_name
    table = quote(EnterpriseTier._meta.db_table)
    names = ", ".join(
        quote(EnterpriseTier._meta.get_field(name).column)
        for name in ("application", "enterprise", "tier", "assigned_at")
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    written = EnterpriseTier.objects.filter(application_id=application.pk, enterprise_id=OuterRef("pk"))
    remaining = rules.scope(region).exclude(Exists(written)).order_by()
    counts = {}
    with connection.cursor() as cursor:
        for tier in tiers:
            matched = remaining.filter(rules.rule_q(tier.rule)).values(matched_id=F("pk"))
            select, params = matched.query.sql_with_params()
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT %s, matched.matched_id, %s, %s FROM ({select}) matched",
                [application.pk, tier.pk, now, *params],
            )
            counts[str(tier.pk)] = cursor.rowcount
    return counts


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
