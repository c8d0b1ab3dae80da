"""State changes of planning support requests: the enterprise asks, the district or its provider answers."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from smedx.accounts import people
from smedx.accounts.models import Organisation
from smedx.core import audit, uploads
from smedx.core.errors import DomainError
from smedx.core.notifications import notify
from smedx.enterprises.models import Enterprise
from smedx.enterprises.services.casefile import advance_stage
from smedx.planning import files
from smedx.planning.models import PlanningRequest

ANSWER = "planning.request:answer"


def active_providers():
    return Organisation.objects.filter(kind=Organisation.Kind.PROVIDER, status=Organisation.Status.ACTIVE)


def request_planning(*, enterprise, actor, need: str, provider=None, ip=None) -> PlanningRequest:
    """The enterprise asks its district for planning help, or records the provider it engaged (stage 2)."""
    if not actor.has_right("planning.request:create"):
        raise DomainError(_("You may not ask for planning support."))
    if not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
        raise DomainError(_("This enterprise is not yours."))
    if provider is not None and not active_providers().filter(pk=provider.pk).exists():
        raise DomainError(_("Choose an active service provider."))
    if not need.strip():
        raise DomainError(_("Describe what you need."))
    route = PlanningRequest.Route.PROVIDER if provider else PlanningRequest.Route.DISTRICT
    with transaction.atomic():
        request = PlanningRequest.objects.create(
            enterprise=enterprise, route=route, provider=provider, need=need.strip(), requested_by=actor
        )
        audit.record(
            "planning.planning_request.created", actor=actor, obj=request, ip=ip, data={"route": route}
        )
        advance_stage(enterprise=enterprise, stage=2, actor=actor)
        recipients = people.members(provider) if provider else people.district_officers(enterprise.region)
        notify(
            recipients,
            verb="planning.request.created",
            title=_("%(name)s asks for planning support") % {"name": enterprise.name},
            url=reverse("planning:request_detail", args=[request.pk]),
        )
    return request


def can_answer(actor, request) -> bool:
    if request.route == PlanningRequest.Route.PROVIDER:
        return people.acts_for(actor, request.provider_id, ANSWER)
    return people.is_district_of(actor, request.enterprise, ANSWER)


def answer_request(*, request, actor, answer: str, document=None, ip=None) -> PlanningRequest:
    """The district (or the engaged provider) answers, optionally with the plan document."""
    if not can_answer(actor, request):
        raise DomainError(_("You may not answer this request."))
    if not answer.strip():
        raise DomainError(_("Write the answer."))
    kind = None if document is None else uploads.check(document, kinds=files.KINDS, max_bytes=files.MAX_BYTES)
    written = None
    try:
        with transaction.atomic():
            locked = PlanningRequest.objects.select_for_update().get(pk=request.pk)
            if locked.status != PlanningRequest.Status.REQUESTED:
                raise DomainError(_("This request has already been answered or closed."))
            locked.status, locked.answer = PlanningRequest.Status.ANSWERED, answer.strip()
            locked.answered_by, locked.answered_at = actor, timezone.now()
            fields = ["status", "answer", "answered_by", "answered_at"]
            if document is not None:
                uploads.store(locked.document, document, kind=kind)
                written = locked.document
                locked.document_name = uploads.original_name(document)
                fields += ["document", "document_name"]
            locked.save(update_fields=fields)
            audit.record("planning.planning_request.answered", actor=actor, obj=locked, ip=ip)
            notify(
                people.members(locked.enterprise.organisation),
                verb="planning.request.answered",
                title=_("Your planning request was answered"),
                url=reverse("planning:request_detail", args=[locked.pk]),
            )
    except Exception:
        if written is not None:
            written.storage.delete(written.name)
        raise
    return locked


def close_request(*, request, actor, ip=None) -> PlanningRequest:
    """The enterprise closes its request (withdrawn, or done after the answer)."""
    if not actor.has_right("planning.request:create"):
        raise DomainError(_("You may not close this request."))
    with transaction.atomic():
        locked = PlanningRequest.objects.select_for_update().get(pk=request.pk)
        if not Enterprise.objects.visible_to(actor).filter(pk=locked.enterprise_id).exists():
            raise DomainError(_("This enterprise is not yours."))
        if locked.status == PlanningRequest.Status.CLOSED:
            raise DomainError(_("This request is already closed."))
        locked.status, locked.closed_at = PlanningRequest.Status.CLOSED, timezone.now()
        locked.save(update_fields=["status", "closed_at"])
        audit.record("planning.planning_request.closed", actor=actor, obj=locked, ip=ip)
    return locked
