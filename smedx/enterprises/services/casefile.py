"""Every state change of the enterprise case file. HTML views, imports and the API call these."""

from collections import Counter

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from smedx.accounts import people
from smedx.accounts import services as account_services
from smedx.accounts.models import Organisation, User
from smedx.core import audit, frame, tallies
from smedx.core.errors import ConflictError, DomainError
from smedx.core.notifications import notify
from smedx.enterprises import tallies as enterprise_tallies
from smedx.enterprises.models import Enterprise, Stage
from smedx.enterprises.reference import section_of, size_class

# Fields a person edits; everything else is derived or set by a workflow.
EDITABLE = [
    "name",
    "region",
    "industry_division",
    "industry_code",
    "employees",
    "revenue",
    "above_scale",
    "address",
    "contact_name",
    "contact_phone",
]


def derive(enterprise: Enterprise) -> None:
    """Fill the fields computed from the facts: industry section and size class, and "transformed" once
    the journey has reached project implementation (stage 1's services add the after-assessments)."""
    enterprise.industry_section = section_of(enterprise.industry_division) or ""
    enterprise.size_class = size_class(enterprise.industry_division, enterprise.employees, enterprise.revenue)
    if enterprise.stage >= Stage.IMPLEMENTATION:
        enterprise.transformed = True


def create_enterprise(*, actor, data: dict, tags=(), ip=None) -> Enterprise:
    """An officer files a new enterprise case file (active at once)."""
    if not actor.has_right("enterprises.enterprise:create"):
        raise DomainError(_("You may not create enterprises."))
    enterprise = Enterprise(
        **{key: data[key] for key in EDITABLE if key in data}, credit_code=data["credit_code"]
    )
    _check_region_for(actor, enterprise.region)
    derive(enterprise)
    with transaction.atomic():
        if Enterprise.objects.filter(credit_code=enterprise.credit_code).exists():
            raise DomainError(
                _("An enterprise with the code %(code)s is already on the platform.")
                % {"code": enterprise.credit_code}
            )
        enterprise.save()
        tallies.moved(Counter(), enterprise_tallies.snapshot(enterprise))
        enterprise.tags.set(tags)
        audit.record(
            "enterprises.enterprise.created",
            actor=actor,
            obj=enterprise,
            ip=ip,
            data={"credit_code": enterprise.credit_code},
        )
    return enterprise


def _check_region_for(actor, region):
    district = people.district_authority_of(actor)
    if district is not None and region.pk != district.region_id:
        raise DomainError(_("You can only file enterprises of %(region)s.") % {"region": district.region})


def update_enterprise(*, enterprise, actor, data: dict, version: int, tags=None, ip=None) -> Enterprise:
    """Save edited facts. `version` is the one the form was based on; a newer one means a conflict."""
    if not actor.has_right("enterprises.enterprise:change"):
        raise DomainError(_("You may not change this enterprise."))
    with transaction.atomic():
        locked = _lock_visible(enterprise, actor)
        if locked.version != version:
            raise ConflictError(
                _(
                    "Somebody else changed this enterprise in the meantime. Your changes were not saved; "
                    "load the current version and apply them again."
                )
            )
        counted = enterprise_tallies.snapshot(locked)
        changed = {}
        new_code = data.get("credit_code", locked.credit_code)
        if new_code != locked.credit_code:
            # Officers correct mistyped codes; the enterprise's own form has no code field.
            if Enterprise.objects.filter(credit_code=new_code).exclude(pk=locked.pk).exists():
                raise DomainError(
                    _("An enterprise with the code %(code)s is already on the platform.") % {"code": new_code}
                )
            changed["credit_code"] = new_code
            locked.credit_code = new_code
        for key in EDITABLE:
            if key in data and getattr(locked, key) != data[key]:
                changed[key] = str(data[key])
                setattr(locked, key, data[key])
        if "region" in changed:
            _check_region_for(actor, locked.region)
        derive(locked)
        locked.version += 1
        locked.save(
            update_fields=[
                *EDITABLE,
                "credit_code",
                "industry_section",
                "size_class",
                "version",
                "updated_at",
            ]
        )
        tallies.moved(counted, enterprise_tallies.snapshot(locked))
        if "region" in changed:
            for follow in frame.extensions("enterprises.region_moved"):
                follow(locked.pk, locked.region_id)
        if tags is not None:
            old = set(locked.tags.values_list("pk", flat=True))
            new = {tag.pk for tag in tags}
            if old != new:
                locked.tags.set(tags)
                changed["tags"] = ", ".join(tag.name for tag in tags)
        audit.record(
            "enterprises.enterprise.updated", actor=actor, obj=locked, ip=ip, data={"changed": changed}
        )
    return locked


def sign_up_enterprise(*, data: dict, admin: dict, ip=None) -> tuple[Enterprise, User]:
    """An enterprise registers itself; its district authority approves it.

    A case file the district already filed (e.g. by import) is claimed by its credit code: it stays
    active and gets the new organisation, which is pending until the district approves. A code whose
    earlier sign-up was rejected may sign up again.
    """
    with transaction.atomic():
        existing = (
            Enterprise.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .filter(credit_code=data["credit_code"])
            .first()
        )
        claimed = existing is not None and existing.organisation_id is not None
        if claimed and existing.organisation.status != Organisation.Status.REJECTED:
            raise DomainError(
                _(
                    "The enterprise with the code %(code)s already has an account. "
                    "Ask its administrator to invite you."
                )
                % {"code": data["credit_code"]}
            )
        org, user = account_services.sign_up_organisation(
            kind=Organisation.Kind.ENTERPRISE,
            name=data["name"],
            admin=admin,
            region=data["region"],
            credit_code=data["credit_code"],
            contact_phone=data.get("contact_phone", ""),
            ip=ip,
        )
        if existing is None:
            enterprise = Enterprise(
                **{key: data[key] for key in EDITABLE if key in data},
                credit_code=data["credit_code"],
                status=Enterprise.Status.PENDING,
            )
            derive(enterprise)
            enterprise.organisation = org
            enterprise.save()
            tallies.moved(Counter(), enterprise_tallies.snapshot(enterprise))
        else:
            enterprise = existing
            counted = enterprise_tallies.snapshot(enterprise)
            enterprise.organisation = org
            if enterprise.status == Enterprise.Status.REJECTED:
                enterprise.status = Enterprise.Status.PENDING
            enterprise.save(update_fields=["organisation", "status", "updated_at"])
            tallies.moved(counted, enterprise_tallies.snapshot(enterprise))
        audit.record(
            "enterprises.enterprise.signed_up",
            actor=user,
            obj=enterprise,
            organisation=org,
            ip=ip,
            data={"claimed": existing is not None},
        )
        notify(
            people.district_officers(enterprise.region),
            verb="enterprise.signed_up",
            title=_("%(name)s signed up and awaits your approval") % {"name": enterprise.name},
            url=reverse("enterprises:detail", args=[enterprise.pk]),
        )
    return enterprise, user


def _lock_visible(enterprise, actor) -> Enterprise:
    """Lock the row, refusing an actor who may not see it (services are called by the API too)."""
    try:
        return Enterprise.objects.visible_to(actor).select_for_update().get(pk=enterprise.pk)
    except Enterprise.DoesNotExist as exc:
        raise DomainError(_("This enterprise is not in your area.")) from exc


def review_enterprise(*, enterprise, actor, approve: bool, comment="", ip=None) -> Enterprise:
    """The district decides on a sign-up or a claim; two officers at once get one decision.

    Rejecting a claim of a filed case file detaches the applicant and leaves the case file as it was.
    """
    if not actor.has_right("enterprises.enterprise:approve"):
        raise DomainError(_("You may not review enterprise sign-ups."))
    with transaction.atomic():
        locked = _lock_visible(enterprise, actor)
        org = Organisation.objects.select_for_update().filter(pk=locked.organisation_id).first()
        if not locked.awaits_review(org):
            raise DomainError(
                _("This sign-up has already been decided: %(status)s.")
                % {"status": locked.get_status_display()}
            )
        counted = enterprise_tallies.snapshot(locked)
        fields = ["status", "updated_at"]
        if approve:
            locked.status = Enterprise.Status.ACTIVE
        elif locked.status == Enterprise.Status.ACTIVE:  # a rejected claim
            locked.organisation = None
            fields.append("organisation")
        else:
            locked.status = Enterprise.Status.REJECTED
        locked.save(update_fields=fields)
        tallies.moved(counted, enterprise_tallies.snapshot(locked))
        if org is not None:
            account_services.review_organisation(
                org=org, actor=actor, approve=approve, comment=comment, ip=ip, enterprise_id=locked.pk
            )
        else:
            audit.record(
                "enterprises.enterprise." + ("approved" if approve else "rejected"),
                actor=actor,
                obj=locked,
                ip=ip,
                data={"comment": comment},
            )
    return locked


def advance_stage(*, enterprise, stage: int, actor=None) -> Enterprise:
    """Move the journey forward (never back). Called by the services of later stages."""
    with transaction.atomic():
        locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        if stage <= locked.stage:
            return locked
        previous, counted = locked.stage, enterprise_tallies.snapshot(locked)
        locked.stage = stage
        locked.stage_changed_at = timezone.now()
        derive(locked)
        locked.save(update_fields=["stage", "stage_changed_at", "transformed", "updated_at"])
        tallies.moved(counted, enterprise_tallies.snapshot(locked))
        audit.record(
            "enterprises.enterprise.stage_changed",
            actor=actor,
            obj=locked,
            data={"from": previous, "to": stage},
        )
    return locked
