"""Every state change of people and organisations. HTML views and the API call these."""

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from smedx.accounts import people
from smedx.accounts.models import ApiToken, ExpertProfile, Invitation, Membership, Organisation, User
from smedx.core import audit
from smedx.core.errors import DomainError
from smedx.core.notifications import notify

INVITATION_DAYS = 7


def create_user(*, username, password, email="", display_name="", phone="") -> User:
    user = User(username=username, email=email, display_name=display_name, phone=phone)
    user.set_password(password)
    user.save()
    return user


def sign_up_organisation(*, kind, name, admin: dict, region=None, credit_code="", contact_phone="", ip=None):
    """Create a pending organisation with its first admin. Used by provider and enterprise sign-up."""
    with transaction.atomic():
        org = Organisation.objects.create(
            name=name,
            kind=kind,
            region=region,
            status=Organisation.Status.PENDING,
            credit_code=credit_code,
            contact_phone=contact_phone,
        )
        user = create_user(**admin)
        Membership.objects.create(user=user, organisation=org, role=Membership.Role.ADMIN)
        audit.record(
            "accounts.organisation.signed_up",
            actor=user,
            obj=org,
            organisation=org,
            data={"kind": kind},
            ip=ip,
        )
        notify(
            _reviewers_of(org),
            verb="organisation.signed_up",
            title=_("%(name)s signed up and awaits your approval") % {"name": org.name},
            url=reverse("accounts:organisation_review", args=[org.pk]),
        )
    return org, user


def _reviewers_of(org):
    """Who decides on a pending organisation: platform operators for providers."""
    return people.platform_operators() if org.kind == Organisation.Kind.PROVIDER else User.objects.none()


def review_organisation(*, org, actor, approve: bool, comment="", ip=None, enterprise_id=None):
    """Approve or reject a pending organisation. Two reviewers at once get one decision.

    Providers are decided by the platform; enterprises by their district, through
    `enterprises.services.casefile.review_enterprise`, which checks the district first.
    """
    may = actor.has_right("accounts.organisation:approve") or (
        org.kind == Organisation.Kind.ENTERPRISE and actor.has_right("enterprises.enterprise:approve")
    )
    if not may:
        raise DomainError(_("You may not decide on this registration."))
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=org.pk)
        if locked.status != Organisation.Status.PENDING:
            raise DomainError(
                _("“%(name)s” has already been decided: %(status)s.")
                % {"name": locked.name, "status": locked.get_status_display()}
            )
        locked.status = Organisation.Status.ACTIVE if approve else Organisation.Status.REJECTED
        locked.review_comment = comment
        locked.reviewed_at = timezone.now()
        locked.save(update_fields=["status", "review_comment", "reviewed_at"])
        action = "approved" if approve else "rejected"
        audit.record(
            f"accounts.organisation.{action}",
            actor=actor,
            obj=locked,
            ip=ip,
            enterprise_id=enterprise_id,
            data={"comment": comment},
        )
        title = (
            _("Your registration of “%(name)s” was approved")
            if approve
            else _("Your registration of “%(name)s” was rejected")
        ) % {"name": locked.name}
        notify(people.members(locked), verb=f"organisation.{action}", title=title, body=comment, url="/")
    org.refresh_from_db()
    return org


def invite_member(*, org, actor, email, role=Membership.Role.MEMBER, ip=None):
    """Create an invitation and return (invitation, raw token); the link is mailed by the caller."""
    import secrets

    if not actor.has_right("accounts.membership:invite") or actor.organisation != org:
        raise DomainError(_("Only an administrator of this organisation can invite colleagues."))
    if Invitation.objects.open().filter(organisation=org, email__iexact=email).exists():
        raise DomainError(_("%(email)s already has an open invitation.") % {"email": email})
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            organisation=org,
            email=email,
            role=role,
            token_hash=Invitation.hash(raw),
            invited_by=actor,
            expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
        )
        audit.record(
            "accounts.invitation.created",
            actor=actor,
            obj=invitation,
            ip=ip,
            data={"email": email, "role": role},
        )
    return invitation, raw


def find_invitation(raw: str):
    return (
        Invitation.objects.open()
        .select_related("organisation")
        .filter(token_hash=Invitation.hash(raw))
        .first()
    )


def accept_invitation(*, raw_token, username, password, display_name="", phone="", ip=None) -> User:
    with transaction.atomic():
        invitation = (
            Invitation.objects.open()
            .select_for_update()
            .filter(token_hash=Invitation.hash(raw_token))
            .first()
        )
        if invitation is None:
            raise DomainError(_("This invitation link is invalid, expired or already used."))
        user = create_user(
            username=username,
            password=password,
            email=invitation.email,
            display_name=display_name,
            phone=phone,
        )
        Membership.objects.create(user=user, organisation=invitation.organisation, role=invitation.role)
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        audit.record(
            "accounts.invitation.accepted",
            actor=user,
            obj=invitation,
            organisation=invitation.organisation,
            ip=ip,
        )
        notify(
            [invitation.invited_by],
            verb="invitation.accepted",
            title=_("%(user)s joined %(org)s") % {"user": user, "org": invitation.organisation},
        )
    return user


def revoke_invitation(*, invitation, actor, ip=None):
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.accepted_at or locked.revoked_at:
            raise DomainError(_("This invitation is no longer open."))
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit.record("accounts.invitation.revoked", actor=actor, obj=locked, ip=ip)


def set_expert_profile(*, user, actor, fields_of_expertise, industries="", employer="", title=""):
    with transaction.atomic():
        profile, created = ExpertProfile.objects.update_or_create(
            user=user,
            defaults={
                "fields_of_expertise": fields_of_expertise,
                "industries": industries,
                "employer": employer,
                "title": title,
            },
        )
        audit.record(
            "accounts.expertprofile." + ("created" if created else "updated"), actor=actor, obj=profile
        )
    return profile


def create_api_token(*, user, name, ip=None):
    """Return (token, raw). The raw value is shown once and never stored."""
    raw = ApiToken.new_raw()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, token_hash=ApiToken.hash(raw), last_four=raw[-4:]
        )
        audit.record("accounts.apitoken.created", actor=user, obj=token, ip=ip)
    return token, raw


def revoke_api_token(*, token, actor, ip=None):
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at:
            raise DomainError(_("This token was already revoked."))
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit.record("accounts.apitoken.revoked", actor=actor, obj=locked, ip=ip)


def user_for_token(raw: str):
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=ApiToken.hash(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    # One write per request is cheap enough; it tells the owner which tokens are really used.
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def send_invitation_mail(*, invitation, link):
    from django.core.mail import send_mail

    subject = _("%(org)s invites you to smedx") % {"org": invitation.organisation}
    body = _(
        "%(who)s invites you to join %(org)s on the SME digital transformation platform.\n\n"
        "Open this link within %(days)d days to create your account:\n%(link)s\n"
    ) % {"who": invitation.invited_by, "org": invitation.organisation, "days": INVITATION_DAYS, "link": link}
    send_mail(subject, body, None, [invitation.email])
