"""The provider's own application to the pool: profile, certificates, reference customers, submission.

Each step is one function `verb_noun(*, obj, actor, ...)`: it checks the right and the state, locks
the profile (two reviewers at once get one result), writes a `ProviderStatusChange` row with the
reason the provider sees, one audit entry `providers.<model>.<past_verb>`, and notifies on commit.
The status helpers here (`check_right`, `lock_profile`, `refuse_status`, `change_status`) are shared
with the pool's management (`services/management.py`); the catalogue's steps are in `services/catalogue.py`.
"""

from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from smedx.accounts import people
from smedx.accounts.models import User
from smedx.core import audit, uploads
from smedx.core.errors import DomainError
from smedx.core.notifications import notify
from smedx.enterprises.models import Enterprise
from smedx.providers.models import (
    EDIT_PROFILE,
    ProviderCertificate,
    ProviderProfile,
    ProviderReference,
    ProviderStatusChange,
)
from smedx.providers.reference import pack

S = ProviderProfile.Status
C = ProviderReference.Confirmation
MIN_REFERENCES = 5
REFERENCE_MONTHS = 6
CERTIFICATE_KINDS = uploads.SCANS
CERTIFICATE_MAX_BYTES = 5 * uploads.MB
PROFILE_FIELDS = [
    "introduction",
    "founded_year",
    "registered_capital",
    "staff_count",
    "rnd_staff",
    "industries",
    "scenes",
    "last_year_revenue",
    "net_profit",
    "debt_ratio",
    "wants_diagnosis_institution",
]


def check_right(actor, right, message):
    if actor is None or not actor.has_right(right):
        raise DomainError(message)


def lock_profile(profile) -> ProviderProfile:
    return ProviderProfile.objects.select_for_update().select_related("organisation").get(pk=profile.pk)


def _own(actor, profile):
    if not people.acts_for(actor, profile.organisation_id):
        raise DomainError(_("This is not your organisation's profile."))


def change_status(
    profile, to, *, actor, reason="", ip=None, action, fields=(), data=None, notify_provider=True
):
    """Move `profile` (locked) to status `to`: save, history row, audit entry, tell the provider."""
    previous = profile.status
    profile.status = to
    profile.save(update_fields=["status", "updated_at", *fields])
    ProviderStatusChange.objects.create(
        profile=profile, from_status=previous, to_status=to, reason=reason, actor=actor
    )
    audit.record(
        f"providers.profile.{action}",
        actor=actor,
        obj=profile,
        ip=ip,
        data={"from": previous, "to": to, "reason": reason, **(data or {})},
    )
    if notify_provider:
        notify(
            people.members(profile.organisation),
            verb=f"providers.profile.{action}",
            title=_("Provider pool: your status is now “%(status)s”")
            % {"status": profile.get_status_display()},
            body=reason,
            url=reverse("providers:pool"),
        )
    return profile


def refuse_status(profile, allowed, message=None):
    if profile.status not in allowed:
        raise DomainError(
            message
            or _("This cannot be done while the provider is “%(status)s”.")
            % {"status": profile.get_status_display()}
        )


# --- the provider's own application --------------------------------------------------------------


def profile_of(organisation) -> ProviderProfile | None:
    return ProviderProfile.objects.filter(organisation=organisation).first()


def save_profile(*, organisation, actor, data: dict, regions=None, ip=None) -> ProviderProfile:
    """Create or update the provider's profile; refused while the application is with the reviewers."""
    check_right(actor, EDIT_PROFILE, _("You may not edit a provider profile."))
    if not people.acts_for(actor, organisation.pk):
        raise DomainError(_("This is not your organisation's profile."))
    data = dict(data)
    for key in ("industries", "scenes"):
        if key in data and not isinstance(data[key], str):
            data[key] = pack(data[key])
    with transaction.atomic():
        profile, created = ProviderProfile.objects.get_or_create(organisation=organisation)
        profile = lock_profile(profile)
        if profile.is_frozen:
            raise DomainError(_("The application is being reviewed; the profile cannot be changed now."))
        if profile.status == S.REMOVED:
            raise DomainError(_("The provider was removed from the pool."))
        changed = {}
        for key in PROFILE_FIELDS:
            if key in data and getattr(profile, key) != data[key]:
                changed[key] = str(data[key])
                setattr(profile, key, data[key])
        profile.save(update_fields=[*PROFILE_FIELDS, "updated_at"])
        if regions is not None:
            old = set(profile.regions.values_list("pk", flat=True))
            if old != {r.pk for r in regions}:
                profile.regions.set(regions)
                changed["regions"] = ", ".join(r.name for r in regions)
        audit.record(
            "providers.profile." + ("created" if created else "updated"),
            actor=actor,
            obj=profile,
            ip=ip,
            data={"changed": changed},
        )
    return profile


def missing_for_application(profile: ProviderProfile | None, today: date | None = None) -> list[str]:
    """What stops the application from being submitted, in words the provider understands."""
    if profile is None:
        return [_("Fill in the profile.")]
    today = today or timezone.localdate()
    missing = []
    if not profile.introduction.strip():
        missing.append(_("Write an introduction."))
    facts = ("founded_year", "registered_capital", "staff_count", "last_year_revenue", "debt_ratio")
    if any(getattr(profile, key) is None for key in facts):
        missing.append(_("Give the company facts and the financial basics."))
    if not profile.industry_codes:
        missing.append(_("Name the industries you serve."))
    if not profile.scene_codes:
        missing.append(_("Name the scenes you serve."))
    if not profile.regions.exists():
        missing.append(_("Name the districts you serve."))
    references = list(profile.references.all())
    ripe = [r for r in references if r.months_in_use(today) >= REFERENCE_MONTHS]
    if len(ripe) < MIN_REFERENCES:
        missing.append(
            _(
                "Add at least %(min)s reference customers who have used your solution for %(months)s months "
                "or more (now %(count)s)."
            )
            % {"min": MIN_REFERENCES, "months": REFERENCE_MONTHS, "count": len(ripe)}
        )
    return missing


def submit_application(*, profile, actor, ip=None) -> ProviderProfile:
    check_right(actor, EDIT_PROFILE, _("You may not apply for the provider pool."))
    _own(actor, profile)
    with transaction.atomic():
        locked = lock_profile(profile)
        refuse_status(locked, (S.DRAFT,), _("The application has already been submitted."))
        if missing := missing_for_application(locked):
            raise DomainError(
                _("The application is not complete: %(missing)s") % {"missing": " ".join(missing)}
            )
        locked.round += 1
        locked.submitted_at = timezone.now()
        change_status(
            locked,
            S.APPLIED,
            actor=actor,
            ip=ip,
            action="submitted",
            fields=["round", "submitted_at"],
            reason=_("Application submitted."),
            notify_provider=False,
        )
        notify(
            people.pool_managers(),
            verb="providers.profile.submitted",
            title=_("%(name)s applied to the provider pool") % {"name": locked.name},
            url=reverse("providers:manage_detail", args=[locked.pk]),
        )
    return locked


# --- certificates and reference customers --------------------------------------------------------


def _editable_profile(profile, actor):
    check_right(actor, EDIT_PROFILE, _("You may not edit a provider profile."))
    _own(actor, profile)
    locked = lock_profile(profile)
    if locked.is_frozen:
        raise DomainError(_("The application is being reviewed; the profile cannot be changed now."))
    if locked.status == S.REMOVED:
        raise DomainError(_("The provider was removed from the pool."))
    return locked


def add_certificate(*, profile, actor, data: dict, file=None, ip=None) -> ProviderCertificate:
    kind = uploads.check(file, kinds=CERTIFICATE_KINDS, max_bytes=CERTIFICATE_MAX_BYTES) if file else None
    written = None
    try:
        with transaction.atomic():
            locked = _editable_profile(profile, actor)
            cert = ProviderCertificate(profile=locked, uploaded_by=actor, **data)
            if file:
                cert.original_name = uploads.original_name(file)
                cert.content_type = uploads.TYPES[kind].content_type
                cert.size = file.size
                uploads.store(cert.file, file, kind=kind)
                written = cert.file
            cert.save()
            audit.record(
                "providers.certificate.added", actor=actor, obj=cert, ip=ip, data={"name": cert.name}
            )
    except Exception:
        if written is not None:
            written.storage.delete(written.name)
        raise
    return cert


def delete_certificate(*, certificate, actor, ip=None):
    with transaction.atomic():
        _editable_profile(certificate.profile, actor)
        audit.record(
            "providers.certificate.deleted",
            actor=actor,
            obj=certificate,
            ip=ip,
            data={"name": certificate.name},
        )
        stored = certificate.file.name
        certificate.delete()
        if stored:
            transaction.on_commit(lambda: certificate.file.storage.delete(stored))


def six_months_ago(today: date | None = None) -> date:
    """The latest "in use since" date a reference customer may give (Singapore's six-month rule)."""
    today = today or timezone.localdate()
    month = today.month - REFERENCE_MONTHS
    year, month = today.year + (month - 1) // 12, (month - 1) % 12 + 1
    for day in (today.day, 30, 29, 28):
        try:
            return today.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return today - timedelta(days=183)


def reference_too_recent(since: date) -> str | None:
    limit = six_months_ago()
    if since <= limit:
        return None
    return _(
        "A reference customer must have used the solution for at least six months: in use since %(limit)s or earlier."
    ) % {"limit": limit}


def add_reference(*, profile, actor, data: dict, ip=None) -> ProviderReference:
    """Add a reference customer; a credit code of an enterprise on the platform links its case file."""
    if error := reference_too_recent(data["since"]):
        raise DomainError(error)
    with transaction.atomic():
        locked = _editable_profile(profile, actor)
        code = data["customer_credit_code"]
        if locked.references.filter(customer_credit_code=code).exists():
            raise DomainError(_("This customer is already one of your references."))
        enterprise = Enterprise.objects.filter(credit_code=code).first()
        reference = ProviderReference(profile=locked, enterprise=enterprise, **data)
        if enterprise is not None:
            reference.customer_name = enterprise.name
        reference.save()
        audit.record(
            "providers.reference.added",
            actor=actor,
            obj=reference,
            ip=ip,
            data={"customer": reference.customer_name, "since": str(reference.since)},
        )
    return reference


def delete_reference(*, reference, actor, ip=None):
    with transaction.atomic():
        _editable_profile(reference.profile, actor)
        audit.record(
            "providers.reference.deleted",
            actor=actor,
            obj=reference,
            ip=ip,
            data={"customer": reference.customer_name},
        )
        reference.delete()


def _enterprise_admins(enterprise):
    if enterprise is None or enterprise.organisation_id is None:
        return User.objects.none()
    return people.users_where(organisation_id=enterprise.organisation_id, role="admin")


def ask_reference_confirmation(*, reference, actor, ip=None) -> ProviderReference:
    """Ask the customer enterprise's admins to confirm, through the platform, that they use the solution."""
    check_right(actor, EDIT_PROFILE, _("You may not edit a provider profile."))
    _own(actor, reference.profile)
    with transaction.atomic():
        locked = (
            ProviderReference.objects.select_for_update(of=("self",))
            .select_related("enterprise")
            .get(pk=reference.pk)
        )
        if locked.confirmation == C.CONFIRMED:
            raise DomainError(_("The customer has already confirmed this reference."))
        if locked.confirmation == C.ASKED:
            raise DomainError(_("The customer has already been asked."))
        admins = list(_enterprise_admins(locked.enterprise))
        if not admins:
            raise DomainError(
                _("This customer has no account on the platform; it cannot be asked to confirm here.")
            )
        locked.confirmation = C.ASKED
        locked.asked_at = timezone.now()
        locked.answered_by = None
        locked.answered_at = None
        locked.answer_comment = ""
        locked.save(
            update_fields=["confirmation", "asked_at", "answered_by", "answered_at", "answer_comment"]
        )
        audit.record("providers.reference.asked", actor=actor, obj=locked, ip=ip)
        notify(
            admins,
            verb="providers.reference.asked",
            title=_("%(provider)s names you as a reference customer: please confirm")
            % {"provider": reference.profile.name},
            url=reverse("providers:reference_confirm", args=[locked.pk]),
        )
    return locked


def answer_reference(*, reference, actor, confirmed: bool, comment="", ip=None) -> ProviderReference:
    """The customer's admin confirms or denies that it uses the provider's solution."""
    if not ProviderReference.objects.confirmations_for(actor).filter(pk=reference.pk).exists():
        raise DomainError(_("Only an administrator of the customer enterprise may answer."))
    with transaction.atomic():
        locked = ProviderReference.objects.select_for_update().get(pk=reference.pk)
        if locked.confirmation != C.ASKED:
            raise DomainError(_("This reference has already been answered."))
        locked.confirmation = C.CONFIRMED if confirmed else C.DENIED
        locked.answered_by = actor
        locked.answered_at = timezone.now()
        locked.answer_comment = comment
        locked.save(update_fields=["confirmation", "answered_by", "answered_at", "answer_comment"])
        audit.record(
            "providers.reference." + ("confirmed" if confirmed else "denied"),
            actor=actor,
            obj=locked,
            ip=ip,
            data={"comment": comment},
        )
        title = (
            _("%(customer)s confirmed it uses your solution")
            if confirmed
            else _("%(customer)s denied being your reference customer")
        )
        notify(
            people.members(reference.profile.organisation),
            verb="providers.reference.answered",
            title=title % {"customer": locked.customer_name},
            body=comment,
            url=reverse("providers:pool"),
        )
    return locked
