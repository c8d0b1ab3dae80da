"""Needs, invitations, research, proposals, comments, conflicts and the selection of a plan.

Every state change is one function here, called by the pages and the API alike.
"""

from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from smedx.accounts import people
from smedx.assessments.models import Assessment
from smedx.core import audit
from smedx.core.errors import ConflictError, DomainError
from smedx.core.formatting import joined
from smedx.core.notifications import notify
from smedx.enterprises.models import Stage
from smedx.enterprises.services.casefile import advance_stage
from smedx.proposals import conflicts, pool
from smedx.proposals.models import (
    ConflictAcknowledgement,
    Invitation,
    Need,
    NeedScene,
    Proposal,
    ProposalComment,
    ProposalItem,
    ProposalKpi,
    ProposalMilestone,
    ProposalScene,
    Recommendation,
    Research,
    TransformationPlan,
)

EDIT_NEED, SELECT = "proposals.need:edit", "proposals.proposal:select"
EDIT_PROPOSAL, COMMENT = "proposals.proposal:edit", "proposals.proposal:comment"
RECOMMEND, ACKNOWLEDGE = "proposals.need:recommend", "proposals.conflict:acknowledge"
NEED_FIELDS = ("title", "target_level", "budget", "start_month", "end_month", "description")
# Who follows a need (shortlist, comparison): the enterprise, its officers, the committee.
FOLLOW_RIGHTS = ("proposals.need:edit", "proposals.need:list", "proposals.need:recommend")
RESEARCH_FIELDS = (
    "researched_on",
    "people_met",
    "strategy",
    "production",
    "management_model",
    "organisation",
)
PS = Proposal.Status


def _require(allowed: bool):
    if not allowed:
        raise DomainError(_("You may not do this."))


def need_url(need) -> str:
    return reverse("proposals:need_detail", args=[need.pk])


def proposal_url(proposal) -> str:
    return reverse("proposals:proposal_detail", args=[proposal.pk])


def _lock_need(need) -> Need:
    return Need.objects.select_for_update().select_related("enterprise").get(pk=need.pk)


def _lock_proposal(proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update()
        .select_related("need__enterprise", "provider")
        .get(pk=proposal.pk)
    )


# --- needs --------------------------------------------------------------------------------------------


def latest_diagnosis(enterprise):
    """The latest rated assessment: submitted self-assessments and verified ones count."""
    rated = (Assessment.Status.SUBMITTED, Assessment.Status.VERIFIED)
    return (
        Assessment.objects.filter(enterprise=enterprise, status__in=rated)
        .order_by("-submitted_at", "-created_at", "-id")
        .first()
    )


def _scene_names(assessment) -> dict:
    spec = assessment.instrument.spec
    return {code: scene.name for code, scene in spec.scenes.items()}


def draft_need_from_diagnosis(*, enterprise, actor, ip=None) -> Need:
    """A draft need pre-filled from the latest diagnosis: the gap's scenes, to the levels the next level asks."""
    _require(people.acts_for(actor, enterprise.organisation_id, EDIT_NEED))
    assessment = latest_diagnosis(enterprise)
    if assessment is None:
        raise DomainError(_("Submit a self-assessment first: a need starts from its result."))
    result = assessment.result or {}
    gap = result.get("gap") or {}
    level = assessment.level or 0
    with transaction.atomic():
        need = Need.objects.create(
            enterprise=enterprise,
            title=_("Digital transformation of %(enterprise)s") % {"enterprise": enterprise},
            source_assessment=assessment,
            current_level=assessment.level,
            target_level=gap.get("level", min(level + 1, 4)),
            created_by=actor,
        )
        NeedScene.objects.bulk_create(
            NeedScene(
                need=need, scene=s["scene"], name=s["name"], current_level=s["from"], target_level=s["to"]
            )
            for s in gap.get("scenes", [])
            if s["to"] > s["from"]
        )
        audit.record(
            "proposals.need.created", actor=actor, obj=need, ip=ip, data={"assessment": assessment.pk}
        )
    return need


def scene_choices(need) -> list[tuple[str, str, int]]:
    """Every scene of the need's diagnosis: (code, name, current level)."""
    assessment = need.source_assessment
    if assessment is None:
        return [(s.scene, s.name, s.current_level) for s in need.scenes.all()]
    names = _scene_names(assessment)
    levels = (assessment.result or {}).get("scenes", {})
    return [(code, name, int(levels.get(code, 0))) for code, name in names.items()]


def update_need(*, need, actor, data: dict, scenes: dict, ip=None) -> Need:
    """Edit a draft need; `scenes` maps scene codes to target levels (the current level comes from the diagnosis)."""
    _require(people.acts_for(actor, need.enterprise.organisation_id, EDIT_NEED))
    known = {code: (name, current) for code, name, current in scene_choices(need)}
    rows = []
    for code, target in scenes.items():
        if code not in known:
            raise DomainError(_("Unknown scene %(scene)s.") % {"scene": code})
        name, current = known[code]
        if not current < int(target) <= 4:
            raise DomainError(
                _("%(scene)s: the target level must be above the current level %(level)s.")
                % {"scene": code, "level": current}
            )
        rows.append(NeedScene(need=need, scene=code, name=name, current_level=current, target_level=target))
    with transaction.atomic():
        locked = _lock_need(need)
        if locked.status != Need.Status.DRAFT:
            raise DomainError(_("Only a draft need can be changed."))
        for name in NEED_FIELDS:
            if name in data:
                setattr(locked, name, data[name])
        locked.save(update_fields=[*[n for n in NEED_FIELDS if n in data], "updated_at"])
        locked.scenes.all().delete()
        NeedScene.objects.bulk_create(rows)
        audit.record(
            "proposals.need.updated", actor=actor, obj=locked, ip=ip, data={"scenes": sorted(scenes)}
        )
    return locked


def publish_need(*, need, actor, ip=None) -> Need:
    _require(people.acts_for(actor, need.enterprise.organisation_id, EDIT_NEED))
    with transaction.atomic():
        locked = _lock_need(need)
        if locked.status != Need.Status.DRAFT:
            raise DomainError(_("This need is already published."))
        missing = [
            label
            for label, ok in (
                (_("at least one scene"), locked.scenes.exists()),
                (_("a target level"), locked.target_level is not None),
                (_("a budget"), locked.budget is not None),
            )
            if not ok
        ]
        if missing:
            raise DomainError(_("Before publishing, give %(what)s.") % {"what": joined(missing)})
        locked.status = Need.Status.PUBLISHED
        locked.published_by, locked.published_at = actor, timezone.now()
        locked.save(update_fields=["status", "published_by", "published_at", "updated_at"])
        audit.record("proposals.need.published", actor=actor, obj=locked, ip=ip)
        advance_stage(enterprise=locked.enterprise, stage=Stage.DESIGN, actor=actor)
        notify(
            people.committee_experts(),
            verb="proposals.need.published",
            title=_("New need: %(need)s") % {"need": locked},
            body=str(locked.enterprise),
            url=need_url(locked),
        )
    return locked


def close_need(*, need, actor, ip=None) -> Need:
    _require(people.acts_for(actor, need.enterprise.organisation_id, EDIT_NEED))
    with transaction.atomic():
        locked = _lock_need(need)
        if locked.status not in (Need.Status.DRAFT, Need.Status.PUBLISHED):
            raise DomainError(_("This need is no longer open."))
        locked.status = Need.Status.CLOSED
        locked.save(update_fields=["status", "updated_at"])
        audit.record("proposals.need.closed", actor=actor, obj=locked, ip=ip)
    return locked


def _check_open(need):
    if need.status != Need.Status.PUBLISHED:
        raise DomainError(_("This need is not open for proposals."))


# --- recommendations and invitations ------------------------------------------------------------------


def _check_listed(provider):
    if not pool.listed_providers().filter(pk=provider.pk).exists():
        raise DomainError(_("%(provider)s is not listed in the provider pool.") % {"provider": provider})


def recommend_provider(*, need, actor, provider, solution=None, note="", ip=None) -> Recommendation:
    _require(actor.is_authenticated and actor.has_right(RECOMMEND))
    _check_open(need)
    _check_listed(provider)
    if solution is not None and solution.provider_id != pool.profile_id(provider):
        raise DomainError(_("The solution is not one of this provider's."))
    with transaction.atomic():
        rec = Recommendation.objects.create(
            need=need, provider=provider, solution=solution, note=note, recommended_by=actor
        )
        audit.record("proposals.recommendation.created", actor=actor, obj=rec, ip=ip, data={"need": need.pk})
        notify(
            people.members(need.enterprise.organisation),
            verb="proposals.recommendation.created",
            title=_("An expert recommends %(provider)s") % {"provider": provider},
            body=note,
            url=need_url(need),
        )
    return rec


def invite_provider(*, need, actor, provider, solution=None, ip=None) -> Invitation:
    _require(people.acts_for(actor, need.enterprise.organisation_id, EDIT_NEED))
    _check_listed(provider)
    with transaction.atomic():
        locked = _lock_need(need)
        _check_open(locked)
        if Invitation.objects.filter(need=locked, provider=provider).exists():
            raise DomainError(_("%(provider)s is already invited.") % {"provider": provider})
        invitation = Invitation.objects.create(
            need=locked, provider=provider, solution=solution, invited_by=actor
        )
        audit.record(
            "proposals.invitation.created", actor=actor, obj=invitation, ip=ip, data={"provider": provider.pk}
        )
        notify(
            people.members(provider),
            verb="proposals.invitation.created",
            title=_("%(enterprise)s invites you to propose") % {"enterprise": locked.enterprise},
            body=str(locked),
            url=reverse("proposals:research_edit", args=[invitation.pk]),
        )
    return invitation


def _lock_invitation(invitation) -> Invitation:
    return (
        Invitation.objects.select_for_update()
        .select_related("need__enterprise", "provider")
        .get(pk=invitation.pk)
    )


def decline_invitation(*, invitation, actor, reason="", ip=None) -> Invitation:
    _require(people.acts_for(actor, invitation.provider_id, EDIT_PROPOSAL))
    with transaction.atomic():
        locked = _lock_invitation(invitation)
        if locked.status != Invitation.Status.INVITED:
            raise DomainError(_("This invitation was already answered."))
        locked.status, locked.answered_at, locked.decline_reason = (
            Invitation.Status.DECLINED,
            timezone.now(),
            reason,
        )
        locked.save(update_fields=["status", "answered_at", "decline_reason"])
        audit.record("proposals.invitation.declined", actor=actor, obj=locked, ip=ip)
        notify(
            people.members(locked.need.enterprise.organisation),
            verb="proposals.invitation.declined",
            title=_("%(provider)s declined to propose") % {"provider": locked.provider},
            body=reason,
            url=need_url(locked.need),
        )
    return locked


# --- research -----------------------------------------------------------------------------------------


def record_research(*, invitation, actor, data: dict, ip=None) -> Research:
    _require(people.acts_for(actor, invitation.provider_id, EDIT_PROPOSAL))
    with transaction.atomic():
        locked = _lock_invitation(invitation)
        _check_open(locked.need)
        if locked.status != Invitation.Status.INVITED:
            raise DomainError(_("The research can only be recorded before proposing."))
        values = {name: data[name] for name in RESEARCH_FIELDS}
        research, created = Research.objects.update_or_create(
            invitation=locked, defaults={**values, "recorded_by": actor}
        )
        audit.record("proposals.research.recorded", actor=actor, obj=research, ip=ip, data={"new": created})
        if created:
            notify(
                people.members(locked.need.enterprise.organisation),
                verb="proposals.research.recorded",
                title=_("%(provider)s recorded its research") % {"provider": locked.provider},
                url=need_url(locked.need),
            )
    return research


# --- proposals ----------------------------------------------------------------------------------------


def _items(proposal, items):
    rows = []
    for item in items:
        quantity, price = Decimal(item["quantity"]), Decimal(item["unit_price"])
        if quantity <= 0 or price < 0:
            raise DomainError(_("Quantities must be positive and prices not negative."))
        amount = (quantity * price).quantize(Decimal("0.01"))
        rows.append(
            ProposalItem(
                proposal=proposal,
                kind=item["kind"],
                description=item["description"],
                quantity=quantity,
                unit_price=price,
                amount=amount,
            )
        )
    return rows


def _check_scenes(need, scenes: dict):
    wanted = set(need.scenes.values_list("scene", flat=True))
    for code, level in scenes.items():
        if code not in wanted:
            raise DomainError(_("%(scene)s is not a scene of this need.") % {"scene": code})
        if not 1 <= int(level) <= 4:
            raise DomainError(_("A scene level is 1 to 4."))


def save_proposal(
    *, invitation, actor, data: dict, items=(), milestones=(), kpis=(), scenes=None, ip=None
) -> Proposal:
    """Create or change the draft proposal of an invitation; its lists are replaced as given."""
    _require(people.acts_for(actor, invitation.provider_id, EDIT_PROPOSAL))
    scenes = scenes or {}
    with transaction.atomic():
        locked = _lock_invitation(invitation)
        need = locked.need
        _check_open(need)
        if not Research.objects.filter(invitation=locked).exists():
            raise DomainError(_("Record your research of the enterprise before proposing."))
        _check_scenes(need, scenes)
        proposal = Proposal.objects.select_for_update().filter(invitation=locked).first()
        created = proposal is None
        if created:
            proposal = Proposal(need=need, invitation=locked, provider=locked.provider, created_by=actor)
        elif proposal.status != PS.DRAFT:
            raise DomainError(_("Only a draft proposal can be changed."))
        proposal.title, proposal.scope = data["title"], data["scope"]
        proposal.expected_level = data.get("expected_level")
        item_rows = _items(proposal, items)
        proposal.total = sum((row.amount for row in item_rows), Decimal(0))
        if created:
            proposal.save()
        else:
            proposal.save(update_fields=["title", "scope", "expected_level", "total", "updated_at"])
            for related in (proposal.items, proposal.milestones, proposal.kpis, proposal.scenes):
                related.all().delete()
        for row in item_rows:
            row.proposal = proposal
        ProposalItem.objects.bulk_create(item_rows)
        ProposalMilestone.objects.bulk_create(ProposalMilestone(proposal=proposal, **m) for m in milestones)
        ProposalKpi.objects.bulk_create(ProposalKpi(proposal=proposal, **k) for k in kpis)
        ProposalScene.objects.bulk_create(
            ProposalScene(proposal=proposal, scene=code, target_level=level) for code, level in scenes.items()
        )
        verb = "created" if created else "updated"
        audit.record(
            f"proposals.proposal.{verb}",
            actor=actor,
            obj=proposal,
            ip=ip,
            data={"total": str(proposal.total)},
        )
    return proposal


def submit_proposal(*, proposal, actor, ip=None) -> Proposal:
    _require(people.acts_for(actor, proposal.provider_id, EDIT_PROPOSAL))
    with transaction.atomic():
        locked = _lock_proposal(proposal)
        _check_open(locked.need)
        if locked.status != PS.DRAFT:
            raise DomainError(_("Only a draft proposal can be submitted."))
        if not locked.items.exists() or not locked.milestones.exists():
            raise DomainError(_("A proposal needs at least one line item and one milestone."))
        reasons = conflicts.diagnosis_reasons(locked.provider, locked.need.enterprise)
        locked.status, locked.submitted_at, locked.conflict = PS.SUBMITTED, timezone.now(), " ".join(reasons)
        locked.save(update_fields=["status", "submitted_at", "conflict", "updated_at"])
        Invitation.objects.filter(pk=locked.invitation_id).update(
            status=Invitation.Status.PROPOSED, answered_at=timezone.now()
        )
        audit.record(
            "proposals.proposal.submitted", actor=actor, obj=locked, ip=ip, data={"conflict": bool(reasons)}
        )
        title = _("%(provider)s submitted a proposal") % {"provider": locked.provider}
        notify(
            people.members(locked.need.enterprise.organisation) + list(people.committee_experts()),
            verb="proposals.proposal.submitted",
            title=title,
            url=proposal_url(locked),
        )
        if reasons:
            notify(
                list(people.district_officers(locked.need.enterprise.region)),
                verb="proposals.proposal.flagged",
                title=_("A proposal needs your acknowledgement of a conflict of interest"),
                body=locked.conflict,
                url=reverse("proposals:conflict_acknowledge", args=[locked.pk]),
            )
    return locked


def withdraw_proposal(*, proposal, actor, ip=None) -> Proposal:
    _require(people.acts_for(actor, proposal.provider_id, EDIT_PROPOSAL))
    with transaction.atomic():
        locked = _lock_proposal(proposal)
        if locked.status != PS.SUBMITTED:
            raise DomainError(_("Only a submitted proposal can be withdrawn."))
        locked.status = PS.WITHDRAWN
        locked.save(update_fields=["status", "updated_at"])
        audit.record("proposals.proposal.withdrawn", actor=actor, obj=locked, ip=ip)
        notify(
            people.members(locked.need.enterprise.organisation),
            verb="proposals.proposal.withdrawn",
            title=_("%(provider)s withdrew its proposal") % {"provider": locked.provider},
            url=need_url(locked.need),
        )
    return locked


def comment_proposal(*, proposal, actor, body: str, ip=None) -> ProposalComment:
    _require(actor.is_authenticated and actor.has_right(COMMENT))
    if proposal.status != PS.SUBMITTED:
        raise DomainError(_("Only a submitted proposal can be commented on."))
    if not body.strip():
        raise DomainError(_("Write the comment."))
    with transaction.atomic():
        comment = ProposalComment.objects.create(proposal=proposal, author=actor, body=body.strip())
        audit.record(
            "proposals.proposalcomment.created",
            actor=actor,
            obj=comment,
            ip=ip,
            data={"proposal": proposal.pk},
        )
        notify(
            people.members(proposal.need.enterprise.organisation) + people.members(proposal.provider),
            verb="proposals.proposalcomment.created",
            title=_("An expert commented on %(proposal)s") % {"proposal": proposal},
            body=comment.body[:200],
            url=proposal_url(proposal),
        )
    return comment


# --- conflicts of interest and the selection ----------------------------------------------------------


def acknowledge_conflict(*, proposal, actor, note: str, ip=None) -> ConflictAcknowledgement:
    _require(people.is_district_of(actor, proposal.need.enterprise, ACKNOWLEDGE))
    if not note.strip():
        raise DomainError(_("Say why the conflict of interest is acceptable."))
    with transaction.atomic():
        locked = _lock_proposal(proposal)
        if locked.status != PS.SUBMITTED or not conflicts.diagnosis_reasons(
            locked.provider, locked.need.enterprise
        ):
            raise DomainError(_("This proposal has no conflict of interest awaiting acknowledgement."))
        if ConflictAcknowledgement.objects.filter(proposal=locked).exists():
            raise DomainError(_("This conflict of interest was already acknowledged."))
        ack = ConflictAcknowledgement.objects.create(proposal=locked, officer=actor, note=note.strip())
        audit.record("proposals.conflictacknowledgement.created", actor=actor, obj=ack, ip=ip)
        notify(
            people.members(locked.need.enterprise.organisation),
            verb="proposals.conflictacknowledgement.created",
            title=_("The district acknowledged the conflict of interest of %(provider)s")
            % {"provider": locked.provider},
            body=ack.note,
            url=proposal_url(locked),
        )
    return ack


def selection_refusal(proposal) -> str:
    """Why the proposal cannot be selected for a conflict of interest; empty when nothing is in the way."""
    reasons = conflicts.diagnosis_reasons(proposal.provider, proposal.need.enterprise)
    if not reasons or ConflictAcknowledgement.objects.filter(proposal=proposal).exists():
        return ""
    return _("%(reasons)s Selecting it needs the district authority's acknowledgement first.") % {
        "reasons": " ".join(reasons)
    }


def select_proposal(*, need, proposal, actor, ip=None) -> TransformationPlan:
    """The enterprise chooses one proposal: it becomes the plan, the others are not selected."""
    _require(people.acts_for(actor, need.enterprise.organisation_id, SELECT))
    with transaction.atomic():
        locked = _lock_need(need)  # two clicks at once: the second waits here, then finds the plan
        if TransformationPlan.objects.filter(need=locked).exists():
            raise ConflictError(_("A proposal was already selected for this need."))
        _check_open(locked)
        chosen = _lock_proposal(proposal)
        if chosen.need_id != locked.pk or chosen.status != PS.SUBMITTED:
            raise DomainError(_("Only a submitted proposal for this need can be selected."))
        refusal = selection_refusal(chosen)
        if refusal:
            raise DomainError(refusal)
        plan = TransformationPlan.objects.create(
            need=locked, proposal=chosen, enterprise=locked.enterprise, selected_by=actor
        )
        chosen.status = PS.SELECTED
        chosen.save(update_fields=["status", "updated_at"])
        others = list(
            locked.proposals.filter(status=PS.SUBMITTED).exclude(pk=chosen.pk).select_related("provider")
        )
        Proposal.objects.filter(pk__in=[p.pk for p in others]).update(
            status=PS.NOT_SELECTED, updated_at=timezone.now()
        )
        locked.status = Need.Status.FULFILLED
        locked.save(update_fields=["status", "updated_at"])
        audit.record(
            "proposals.proposal.selected",
            actor=actor,
            obj=chosen,
            ip=ip,
            data={"need": locked.pk, "plan": plan.pk, "not_selected": [p.pk for p in others]},
        )
        notify(
            people.members(chosen.provider),
            verb="proposals.proposal.selected",
            title=_("Your proposal for %(enterprise)s was selected") % {"enterprise": locked.enterprise},
            url=proposal_url(chosen),
        )
        for other in others:
            notify(
                people.members(other.provider),
                verb="proposals.proposal.not_selected",
                title=_("Your proposal for %(enterprise)s was not selected")
                % {"enterprise": locked.enterprise},
                url=proposal_url(other),
            )
    return plan
