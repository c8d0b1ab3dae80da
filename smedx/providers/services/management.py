"""The pool seen by those who run it: the committee's review, the decision, the public notice (公示)
with its objections, the listing, and the provider's standing afterwards (warnings, suspension,
removal, the yearly review, the diagnosis-institution flag).

Every step moves the profile through `application.change_status`, so each one leaves a history row
the provider sees, one audit entry `providers.<model>.<past_verb>` and a notification on commit.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from smedx.accounts import people
from smedx.accounts.models import Organisation
from smedx.core import audit
from smedx.core.errors import DomainError
from smedx.core.notifications import notify
from smedx.providers.models import DECIDE, MANAGE, REVIEW, ExpertReview, Objection, ProviderProfile
from smedx.providers.services.application import change_status, check_right, lock_profile, refuse_status

S = ProviderProfile.Status
DEFAULT_NOTICE_DAYS = 7


def notice_days() -> int:
    """How long a public notice runs: `settings.PROVIDER_NOTICE_DAYS`, 7 days unless set."""
    return getattr(settings, "PROVIDER_NOTICE_DAYS", DEFAULT_NOTICE_DAYS)


# --- review by the committee, decision by the platform or the city -------------------------------


def start_review(*, profile, actor, ip=None) -> ProviderProfile:
    check_right(actor, DECIDE, _("You may not decide on pool applications."))
    with transaction.atomic():
        locked = lock_profile(profile)
        refuse_status(locked, (S.APPLIED,))
        change_status(
            locked,
            S.UNDER_REVIEW,
            actor=actor,
            ip=ip,
            action="review_started",
            reason=_("The expert committee reviews the application."),
        )
        notify(
            people.committee_experts(),
            verb="providers.profile.review_started",
            title=_("Please review the pool application of %(name)s") % {"name": locked.name},
            url=reverse("providers:review", args=[locked.pk]),
        )
    return locked


def review_application(
    *, profile, actor, scores: dict, opinion: str, recommend=True, ip=None
) -> ExpertReview:
    """A committee expert scores the application (0–100 per criterion); a second call revises the first."""
    check_right(actor, REVIEW, _("Only committee experts review pool applications."))
    if not opinion.strip():
        raise DomainError(_("Write your opinion."))
    if any(not 0 <= int(scores[c]) <= 100 for c in ExpertReview.CRITERIA):
        raise DomainError(_("Each score is between 0 and 100."))
    with transaction.atomic():
        locked = lock_profile(profile)
        refuse_status(locked, (S.UNDER_REVIEW,), _("The application is not under review."))
        review, created = ExpertReview.objects.update_or_create(
            profile=locked,
            round=locked.round,
            expert=actor,
            defaults={
                **{c: int(scores[c]) for c in ExpertReview.CRITERIA},
                "opinion": opinion,
                "recommend": recommend,
            },
        )
        audit.record(
            "providers.review." + ("submitted" if created else "revised"),
            actor=actor,
            obj=locked,
            ip=ip,
            data={**{c: int(scores[c]) for c in ExpertReview.CRITERIA}, "recommend": recommend},
        )
        if created:
            notify(
                people.pool_managers(),
                verb="providers.review.submitted",
                title=_("%(expert)s reviewed the pool application of %(name)s")
                % {"expert": actor, "name": locked.name},
                url=reverse("providers:manage_detail", args=[locked.pk]),
            )
    return review


def decide_review(*, profile, actor, approve: bool, reason="", days: int | None = None, ip=None):
    """After the experts: publish the public notice (公示) for `days` days, or send it back to draft."""
    check_right(actor, DECIDE, _("You may not decide on pool applications."))
    if not approve and not reason.strip():
        raise DomainError(_("Say why the application is sent back; the provider sees it."))
    with transaction.atomic():
        locked = lock_profile(profile)
        refuse_status(locked, (S.UNDER_REVIEW,), _("The application is not under review."))
        if not approve:
            return change_status(locked, S.DRAFT, actor=actor, reason=reason, ip=ip, action="rejected")
        if not locked.expert_reviews.filter(round=locked.round).exists():
            raise DomainError(_("No committee expert has reviewed the application yet."))
        return publish_notice(profile=locked, actor=actor, days=days, reason=reason, ip=ip)


def publish_notice(*, profile, actor, days: int | None = None, reason="", ip=None) -> ProviderProfile:
    """Part of `decide_review` (locked, under review): the notice runs from today for `days` days."""
    days = notice_days() if days is None else int(days)
    if not 1 <= days <= 60:
        raise DomainError(_("A public notice runs for 1 to 60 days."))
    today = timezone.localdate()
    profile.notice_start, profile.notice_end = today, today + timedelta(days=days)
    text = reason or _("Public notice from %(start)s to %(end)s.") % {
        "start": profile.notice_start,
        "end": profile.notice_end,
    }
    return change_status(
        profile,
        S.IN_PUBLIC_NOTICE,
        actor=actor,
        reason=text,
        ip=ip,
        action="notice_published",
        fields=["notice_start", "notice_end"],
        data={"days": days},
    )


def raise_objection(*, profile, actor, text: str, ip=None) -> Objection:
    """Anybody logged in may object to a provider in public notice."""
    if actor is None or not actor.is_authenticated:
        raise DomainError(_("Log in to raise an objection."))
    if not text.strip():
        raise DomainError(_("Write your objection."))
    with transaction.atomic():
        locked = lock_profile(profile)
        refuse_status(locked, (S.IN_PUBLIC_NOTICE,), _("Objections are taken only during the public notice."))
        objection = Objection.objects.create(profile=locked, author=actor, text=text.strip())
        audit.record("providers.objection.raised", actor=actor, obj=objection, ip=ip)
        notify(
            people.pool_managers(),
            verb="providers.objection.raised",
            title=_("An objection to %(name)s was raised during its public notice") % {"name": locked.name},
            body=objection.text,
            url=reverse("providers:manage_detail", args=[locked.pk]),
        )
    return objection


def resolve_objection(*, objection, actor, upheld: bool, resolution: str, ip=None) -> Objection:
    """Dismiss an objection, or uphold it: the application goes back to draft with the resolution as reason."""
    check_right(actor, DECIDE, _("You may not decide on pool applications."))
    if not resolution.strip():
        raise DomainError(_("Say how the objection was resolved."))
    with transaction.atomic():
        profile = lock_profile(objection.profile)
        locked = Objection.objects.select_for_update().get(pk=objection.pk)
        if locked.status != Objection.Status.OPEN:
            raise DomainError(_("This objection has already been resolved."))
        locked.status = Objection.Status.UPHELD if upheld else Objection.Status.DISMISSED
        locked.resolution, locked.resolved_by, locked.resolved_at = resolution, actor, timezone.now()
        locked.save(update_fields=["status", "resolution", "resolved_by", "resolved_at"])
        audit.record(
            f"providers.objection.{locked.status}",
            actor=actor,
            obj=locked,
            ip=ip,
            data={"resolution": resolution},
        )
        if upheld and profile.status == S.IN_PUBLIC_NOTICE:
            change_status(profile, S.DRAFT, actor=actor, reason=resolution, ip=ip, action="rejected")
    return locked


def list_provider(*, profile, actor, reason="", ip=None) -> ProviderProfile:
    """List a provider once its public notice is over and no objection is open (`actor` None: the daily task)."""
    if actor is not None:
        check_right(actor, DECIDE, _("You may not decide on pool applications."))
    with transaction.atomic():
        locked = lock_profile(profile)
        refuse_status(locked, (S.IN_PUBLIC_NOTICE,), _("Only a provider in public notice can be listed."))
        if not locked.notice_over:
            raise DomainError(
                _("The public notice runs until %(date)s; the provider can be listed from that day.")
                % {"date": locked.notice_end}
            )
        if locked.objections.open().exists():
            raise DomainError(_("An objection is still open; resolve it first."))
        today = timezone.localdate()
        locked.listed_at = timezone.now()
        locked.next_review_on = today + timedelta(days=365)
        change_status(
            locked,
            S.LISTED,
            actor=actor,
            reason=reason or _("Listed in the provider pool after the public notice."),
            ip=ip,
            action="listed",
            fields=["listed_at", "next_review_on"],
        )
    return locked


def list_due_providers(today: date | None = None) -> list[ProviderProfile]:
    """The daily run: list every provider whose notice is over without an open objection."""
    today = today or timezone.localdate()
    due = (
        ProviderProfile.objects.filter(status=S.IN_PUBLIC_NOTICE, notice_end__lte=today)
        .exclude(objections__status=Objection.Status.OPEN)
        .distinct()
    )
    listed = []
    for profile in due:
        try:
            listed.append(list_provider(profile=profile, actor=None))
        except DomainError:  # somebody acted first, or an objection came in meanwhile
            continue
    return listed


# --- standing in the pool ------------------------------------------------------------------------


def _needs_reason(reason):
    if not reason.strip():
        raise DomainError(_("Give the reason; the provider sees it."))


def warn_provider(*, profile, actor, reason: str, deadline: date, ip=None) -> ProviderProfile:
    check_right(actor, MANAGE, _("You may not manage the provider pool."))
    _needs_reason(reason)
    if deadline <= timezone.localdate():
        raise DomainError(_("The deadline to rectify must be in the future."))
    with transaction.atomic():
        locked = lock_profile(profile)
        refuse_status(locked, (S.LISTED, S.WARNED))
        locked.warning_deadline = deadline
        return change_status(
            locked,
            S.WARNED,
            actor=actor,
            reason=reason,
            ip=ip,
            action="warned",
            fields=["warning_deadline"],
            data={"deadline": str(deadline)},
        )


def suspend_provider(*, profile, actor, reason: str, ip=None) -> ProviderProfile:
    check_right(actor, MANAGE, _("You may not manage the provider pool."))
    _needs_reason(reason)
    with transaction.atomic():
        locked = lock_profile(profile)
        refuse_status(locked, (S.LISTED, S.WARNED))
        return change_status(locked, S.SUSPENDED, actor=actor, reason=reason, ip=ip, action="suspended")


def reinstate_provider(*, profile, actor, reason: str, ip=None) -> ProviderProfile:
    check_right(actor, MANAGE, _("You may not manage the provider pool."))
    _needs_reason(reason)
    with transaction.atomic():
        locked = lock_profile(profile)
        refuse_status(locked, (S.WARNED, S.SUSPENDED))
        locked.warning_deadline = None
        return change_status(
            locked,
            S.LISTED,
            actor=actor,
            reason=reason,
            ip=ip,
            action="reinstated",
            fields=["warning_deadline"],
        )


def remove_provider(*, profile, actor, reason: str, ip=None) -> ProviderProfile:
    check_right(actor, MANAGE, _("You may not manage the provider pool."))
    _needs_reason(reason)
    with transaction.atomic():
        locked = lock_profile(profile)
        refuse_status(locked, (S.LISTED, S.WARNED, S.SUSPENDED))
        return change_status(locked, S.REMOVED, actor=actor, reason=reason, ip=ip, action="removed")


YEARLY_DECISIONS = ("keep", "warn", "suspend")


def yearly_review(*, profile, actor, decision: str, reason: str, deadline: date | None = None, ip=None):
    """The yearly review of a listed provider: keep it (clearing a warning), warn it, or suspend it."""
    check_right(actor, MANAGE, _("You may not manage the provider pool."))
    _needs_reason(reason)
    if decision not in YEARLY_DECISIONS:
        raise DomainError(_("Choose keep, warn or suspend."))
    if decision == "warn" and (deadline is None or deadline <= timezone.localdate()):
        raise DomainError(_("The deadline to rectify must be in the future."))
    with transaction.atomic():
        locked = lock_profile(profile)
        refuse_status(locked, (S.LISTED, S.WARNED))
        today = timezone.localdate()
        locked.last_reviewed_on, locked.next_review_on = today, today + timedelta(days=365)
        fields = ["last_reviewed_on", "next_review_on", "warning_deadline"]
        to = {"keep": S.LISTED, "warn": S.WARNED, "suspend": S.SUSPENDED}[decision]
        locked.warning_deadline = deadline if decision == "warn" else None
        text = _("Yearly review: %(reason)s") % {"reason": reason}
        return change_status(
            locked,
            to,
            actor=actor,
            reason=text,
            ip=ip,
            action="yearly_reviewed",
            fields=fields,
            data={"decision": decision},
        )


def flag_diagnosis_institution(*, profile, actor, flag: bool, reason="", ip=None) -> Organisation:
    """The platform lists (or unlists) a provider as a diagnosis institution (诊断机构)."""
    check_right(actor, "providers.institution:flag", _("Only the platform flags diagnosis institutions."))
    with transaction.atomic():
        locked = lock_profile(profile)
        if flag and locked.status not in ProviderProfile.PUBLIC:
            raise DomainError(_("Only a listed provider can be a diagnosis institution."))
        org = Organisation.objects.select_for_update().get(pk=locked.organisation_id)
        if org.is_diagnosis_institution == flag:
            return org
        org.is_diagnosis_institution = flag
        org.save(update_fields=["is_diagnosis_institution"])
        audit.record(
            "providers.profile." + ("institution_flagged" if flag else "institution_unflagged"),
            actor=actor,
            obj=locked,
            ip=ip,
            data={"reason": reason},
        )
        notify(
            people.members(org),
            verb="providers.profile.institution_flagged",
            title=_("You are now a diagnosis institution")
            if flag
            else _("You are no longer a diagnosis institution"),
            body=reason,
            url=reverse("providers:pool"),
        )
    return org
