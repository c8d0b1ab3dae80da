"""Pages of stage 3: needs, the shortlist, recommendations, invitations, research, proposals, the plan."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smedx.accounts import people
from smedx.assessments.levels import level_label
from smedx.core.access import get_visible
from smedx.core.actions import run_form_service, run_service
from smedx.core.paging import BoundedPaginator, page_query
from smedx.enterprises.models import Enterprise
from smedx.proposals import forms, matching, metrics, pool, services
from smedx.proposals.compare import comparison
from smedx.proposals.models import (
    ConflictAcknowledgement,
    Invitation,
    Need,
    Proposal,
    Research,
    TransformationPlan,
)
from smedx.providers.models import Solution

PAGE_SIZE = 25
LIST_RIGHTS = (
    "proposals.need:list",
    "proposals.need:edit",
    "proposals.need:recommend",
    "proposals.proposal:edit",
    "proposals.proposal:comment",
)
FOLLOW_RIGHTS = services.FOLLOW_RIGHTS


def _any_right(user, rights):
    if not user.is_authenticated or not any(user.has_right(r) for r in rights):
        raise PermissionDenied


def _need(user, pk, rights=None) -> Need:
    need = get_visible(Need.objects.select_related("enterprise__region", "source_assessment"), user, pk=pk)
    if rights:
        _any_right(user, rights)
    return need


def _own_need(user, pk) -> Need:
    """A need of the user's own enterprise, for changes; officers see it but get 403."""
    need = _need(user, pk)
    if not people.acts_for(user, need.enterprise.organisation_id, services.EDIT_NEED):
        raise PermissionDenied
    return need


# --- needs --------------------------------------------------------------------------------------------


@login_required
def need_list(request):
    _any_right(request.user, LIST_RIGHTS)
    submitted = Count("proposals", filter=~Q(proposals__status=Proposal.Status.DRAFT), distinct=True)
    qs = (
        Need.objects.visible_to(request.user)
        .select_related("enterprise__region")
        .annotate(n_invited=Count("invitations", distinct=True), n_proposals=submitted)
    )
    status = request.GET.get("status", "")
    if status in Need.Status.values:
        qs = qs.filter(status=status)
    if request.GET.get("conflicts") == "pending":
        qs = qs.filter(Exists(metrics.unacknowledged_conflicts().filter(need=OuterRef("pk"))))
    page = BoundedPaginator(qs.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    enterprise = _own_enterprise(request.user)
    context = {
        "page": page,
        "query": page_query(request),
        "status": status,
        "statuses": Need.Status.choices,
        "can_create": enterprise is not None,
    }
    return render(request, "proposals/need_list.html", context)


def _own_enterprise(user):
    if not user.has_right("proposals.need:edit"):
        return None
    return Enterprise.objects.filter(organisation_id=user.organisation.pk).first()


@login_required
def need_create(request):
    enterprise = _own_enterprise(request.user)
    if enterprise is None:
        raise PermissionDenied
    assessment = services.latest_diagnosis(enterprise)
    if request.method == "POST":
        done = _("A draft need was prepared from your diagnosis. Check it and publish it.")
        need = run_service(request, services.draft_need_from_diagnosis, done=done, enterprise=enterprise)
        if need is not None:
            return redirect("proposals:need_edit", pk=need.pk)
    gap = (assessment.result or {}).get("gap") if assessment else None
    context = {"enterprise": enterprise, "assessment": assessment, "gap": gap, "level_label": level_label}
    if assessment is not None:
        context["level"] = level_label(assessment.level)
        context["next_level"] = level_label(gap["level"]) if gap else ""
        context["gap_scenes"] = [
            {**s, "from_label": level_label(s["from"]), "to_label": level_label(s["to"])}
            for s in (gap or {}).get("scenes", [])
        ]
    return render(request, "proposals/need_create.html", context)


@login_required
def need_detail(request, pk):
    need = _need(request.user, pk)
    user = request.user
    proposals = (
        Proposal.objects.visible_to(user)
        .filter(need=need)
        .select_related("provider")
        .annotate(n_comments=Count("comments"))
        .order_by("submitted_at", "id")
    )
    invitations = (
        Invitation.objects.visible_to(user)
        .filter(need=need)
        .select_related("provider")
        .annotate(has_research=Exists(Research.objects.filter(invitation=OuterRef("pk"))))
        .order_by("created_at", "id")
    )
    context = {
        "need": need,
        "scenes": need.scenes.all(),
        "current_level": level_label(need.current_level),
        "target_level": level_label(need.target_level),
        "recommendations": need.recommendations.select_related("provider", "solution", "recommended_by"),
        "invitations": invitations,
        "invited_ids": {i.provider_id for i in invitations},
        "proposals": proposals,
        # Only those who may open the plan see it: a provider not selected is not linked to the winner's.
        "plan": TransformationPlan.objects.visible_to(user)
        .filter(need=need)
        .select_related("proposal__provider")
        .first(),
        "is_owner": people.acts_for(user, need.enterprise.organisation_id, services.EDIT_NEED),
        "can_follow": any(user.has_right(r) for r in FOLLOW_RIGHTS),
        "can_recommend": user.has_right("proposals.need:recommend") and need.is_open,
    }
    return render(request, "proposals/need_detail.html", context)


@login_required
def need_edit(request, pk):
    need = _own_need(request.user, pk)
    if need.status != Need.Status.DRAFT:
        messages.info(request, _("Only a draft need can be changed."))
        return redirect("proposals:need_detail", pk=need.pk)
    selected = dict(need.scenes.values_list("scene", "target_level"))
    form = forms.NeedForm(request.POST or None, instance=need)
    scenes = forms.SceneTargetsForm(
        request.POST or None, scenes=services.scene_choices(need), selected=selected, prefix="scenes"
    )
    if request.method == "POST" and form.is_valid() and scenes.is_valid():
        data = {name: form.cleaned_data[name] for name in services.NEED_FIELDS}
        saved = run_form_service(
            request,
            form,
            services.update_need,
            done=_("The need was saved."),
            need=need,
            data=data,
            scenes=scenes.targets(),
        )
        if saved is not None:
            return redirect("proposals:need_detail", pk=need.pk)
    return render(request, "proposals/need_edit.html", {"need": need, "form": form, "scenes": scenes})


def _post_service(request, pk, call, done):
    need = _own_need(request.user, pk)
    run_service(request, call, done=done, need=need)
    return redirect("proposals:need_detail", pk=need.pk)


@login_required
@require_POST
def need_publish(request, pk):
    return _post_service(request, pk, services.publish_need, _("The need was published."))


@login_required
@require_POST
def need_close(request, pk):
    return _post_service(request, pk, services.close_need, _("The need was closed."))


# --- matching, recommendations, invitations -------------------------------------------------------------


@login_required
def need_matches(request, pk):
    need = _need(request.user, pk, FOLLOW_RIGHTS)
    matches = matching.shortlist(need)
    invited = set(need.invitations.values_list("provider_id", flat=True))
    context = {
        "need": need,
        "matches": matches,
        "labels": matching.component_labels(),
        "weights": matching.weights(),
        "invited": invited,
        "is_owner": people.acts_for(request.user, need.enterprise.organisation_id, services.EDIT_NEED)
        and need.is_open,
    }
    return render(request, "proposals/need_matches.html", context)


@login_required
@require_POST
def need_invite(request, pk):
    need = _own_need(request.user, pk)
    provider = pool.listed_providers().filter(pk=request.POST.get("provider") or 0).first()
    solution = Solution.objects.catalogue().filter(pk=request.POST.get("solution") or 0).first()
    if provider is None:
        messages.error(request, _("Choose a provider listed in the pool."))
        return redirect("proposals:need_matches", pk=need.pk)
    done = _("%(provider)s was invited to propose.") % {"provider": provider}
    run_service(request, services.invite_provider, done=done, need=need, provider=provider, solution=solution)
    back = "proposals:need_matches" if request.POST.get("next") == "matches" else "proposals:need_detail"
    return redirect(back, pk=need.pk)


@login_required
def need_recommend(request, pk):
    need = _need(request.user, pk, ("proposals.need:recommend",))
    form = forms.RecommendForm(request.POST or None, providers=pool.listed_providers().order_by("name"))
    if request.method == "POST" and form.is_valid():
        recommendation = run_form_service(
            request,
            form,
            services.recommend_provider,
            done=_("Your recommendation was added."),
            need=need,
            provider=form.cleaned_data["provider"],
            note=form.cleaned_data["note"],
        )
        if recommendation is not None:
            return redirect("proposals:need_detail", pk=need.pk)
    return render(request, "proposals/need_recommend.html", {"need": need, "form": form})


@login_required
def invitation_list(request):
    _any_right(request.user, ("proposals.proposal:edit",))
    rows = (
        Invitation.objects.visible_to(request.user)
        .select_related("need__enterprise__region", "proposal")
        .annotate(has_research=Exists(Research.objects.filter(invitation=OuterRef("pk"))))
        .order_by("-created_at", "-id")
    )
    page = BoundedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "proposals/invitation_list.html", {"page": page})


def _own_invitation(user, pk) -> Invitation:
    invitation = get_visible(Invitation.objects.select_related("need__enterprise", "provider"), user, pk=pk)
    if not people.acts_for(user, invitation.provider_id, services.EDIT_PROPOSAL):
        raise PermissionDenied
    return invitation


@login_required
@require_POST
def invitation_decline(request, pk):
    invitation = _own_invitation(request.user, pk)
    form = forms.DeclineForm(request.POST)
    form.is_valid()
    run_service(
        request,
        services.decline_invitation,
        done=_("You declined the invitation."),
        invitation=invitation,
        reason=form.cleaned_data.get("reason", ""),
    )
    return redirect("proposals:invitation_list")


@login_required
def research_edit(request, pk):
    invitation = _own_invitation(request.user, pk)
    research = Research.objects.filter(invitation=invitation).first()
    form = forms.ResearchForm(request.POST or None, instance=research)
    if request.method == "POST" and form.is_valid():
        done = _("Your research was recorded. You may now write the proposal.")
        recorded = run_form_service(
            request, form, services.record_research, done=done, invitation=invitation, data=form.cleaned_data
        )
        if recorded is not None:
            return redirect("proposals:proposal_edit", pk=invitation.pk)
    context = {"invitation": invitation, "need": invitation.need, "form": form, "research": research}
    return render(request, "proposals/research_edit.html", context)


# --- proposals ----------------------------------------------------------------------------------------


@login_required
def proposal_edit(request, pk):
    invitation = _own_invitation(request.user, pk)
    proposal = Proposal.objects.filter(invitation=invitation).first()
    if proposal is not None and proposal.status != Proposal.Status.DRAFT:
        return redirect("proposals:proposal_detail", pk=proposal.pk)
    if not Research.objects.filter(invitation=invitation).exists():
        messages.info(request, _("Record your research of the enterprise before proposing."))
        return redirect("proposals:research_edit", pk=invitation.pk)
    bundle = forms.ProposalForms(request.POST or None, need=invitation.need, proposal=proposal)
    if request.method == "POST" and bundle.is_valid():
        done = _("The proposal was saved. Submit it when it is complete.")
        saved = run_form_service(
            request, bundle.main, services.save_proposal, done=done, invitation=invitation, **bundle.cleaned()
        )
        if saved is not None:
            return redirect("proposals:proposal_detail", pk=saved.pk)
    context = {"invitation": invitation, "need": invitation.need, "proposal": proposal, "forms": bundle}
    return render(request, "proposals/proposal_edit.html", context)


def _proposal(user, pk) -> Proposal:
    qs = Proposal.objects.select_related("need__enterprise__region", "provider", "invitation")
    return get_visible(qs, user, pk=pk)


def _scene_targets(proposal, need) -> list[dict]:
    """The proposal's scenes by code and name, with the level it promises by name."""
    names = dict(need.scenes.values_list("scene", "name"))
    return [
        {"scene": s.scene, "name": names.get(s.scene, ""), "target": s.get_target_level_display()}
        for s in proposal.scenes.all()
    ]


@login_required
def proposal_detail(request, pk):
    proposal = _proposal(request.user, pk)
    user = request.user
    need = proposal.need
    research = Research.objects.filter(invitation_id=proposal.invitation_id).first()
    is_owner = people.acts_for(user, need.enterprise.organisation_id, services.SELECT)
    context = {
        "proposal": proposal,
        "need": need,
        "items": proposal.items.all(),
        "milestones": proposal.milestones.all(),
        "kpis": proposal.kpis.all(),
        "scenes": _scene_targets(proposal, need),
        "comments": proposal.comments.select_related("author"),
        "research": research,
        "expected_level": level_label(proposal.expected_level),
        "acknowledgement": ConflictAcknowledgement.objects.filter(proposal=proposal)
        .select_related("officer")
        .first(),
        "is_provider": people.acts_for(user, proposal.provider_id, services.EDIT_PROPOSAL),
        "can_comment": user.has_right(services.COMMENT) and proposal.status == Proposal.Status.SUBMITTED,
        "can_acknowledge": people.is_district_of(user, need.enterprise, services.ACKNOWLEDGE),
        "can_select": is_owner and need.is_open and proposal.status == Proposal.Status.SUBMITTED,
        "refusal": services.selection_refusal(proposal)
        if proposal.status == Proposal.Status.SUBMITTED
        else "",
        "comment_form": forms.CommentForm(),
    }
    return render(request, "proposals/proposal_detail.html", context)


def _provider_action(request, pk, call, done):
    proposal = _proposal(request.user, pk)
    if not people.acts_for(request.user, proposal.provider_id, services.EDIT_PROPOSAL):
        raise PermissionDenied
    run_service(request, call, done=done, proposal=proposal)
    return redirect("proposals:proposal_detail", pk=proposal.pk)


@login_required
@require_POST
def proposal_submit(request, pk):
    return _provider_action(request, pk, services.submit_proposal, _("The proposal was submitted."))


@login_required
@require_POST
def proposal_withdraw(request, pk):
    return _provider_action(request, pk, services.withdraw_proposal, _("The proposal was withdrawn."))


@login_required
@require_POST
def proposal_comment(request, pk):
    proposal = _proposal(request.user, pk)
    if not request.user.has_right(services.COMMENT):
        raise PermissionDenied
    form = forms.CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the comment."))
        return redirect("proposals:proposal_detail", pk=proposal.pk)
    run_service(
        request,
        services.comment_proposal,
        done=_("Your comment was added."),
        proposal=proposal,
        body=form.cleaned_data["body"],
    )
    return redirect("proposals:proposal_detail", pk=proposal.pk)


@login_required
def conflict_acknowledge(request, pk):
    proposal = _proposal(request.user, pk)
    if not people.is_district_of(request.user, proposal.need.enterprise, services.ACKNOWLEDGE):
        raise PermissionDenied
    form = forms.AcknowledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        acknowledgement = run_form_service(
            request,
            form,
            services.acknowledge_conflict,
            done=_("The conflict of interest was acknowledged."),
            proposal=proposal,
            note=form.cleaned_data["note"],
        )
        if acknowledgement is not None:
            return redirect("proposals:proposal_detail", pk=proposal.pk)
    context = {
        "proposal": proposal,
        "form": form,
        "acknowledgement": ConflictAcknowledgement.objects.filter(proposal=proposal).first(),
    }
    return render(request, "proposals/conflict_acknowledge.html", context)


# --- comparison, selection, the plan -------------------------------------------------------------------


@login_required
def need_compare(request, pk):
    need = _need(request.user, pk, FOLLOW_RIGHTS)
    context = {
        "need": need,
        "columns": comparison(need, request.user),
        "can_select": people.acts_for(request.user, need.enterprise.organisation_id, services.SELECT)
        and need.is_open,
    }
    return render(request, "proposals/need_compare.html", context)


@login_required
@require_POST
def need_select(request, pk):
    need = _need(request.user, pk)
    if not people.acts_for(request.user, need.enterprise.organisation_id, services.SELECT):
        raise PermissionDenied
    form = forms.SelectForm(request.POST)
    proposal = None
    if form.is_valid():
        proposal = (
            Proposal.objects.visible_to(request.user)
            .filter(need=need, pk=form.cleaned_data["proposal"])
            .first()
        )
    if proposal is None:
        messages.error(request, _("Choose one of the submitted proposals."))
        return redirect("proposals:need_compare", pk=need.pk)
    done = _("%(provider)s's proposal is now your transformation plan.") % {"provider": proposal.provider}
    plan = run_service(request, services.select_proposal, done=done, need=need, proposal=proposal)
    if plan is None:
        return redirect("proposals:proposal_detail", pk=proposal.pk)
    return redirect("proposals:plan_detail", pk=plan.pk)


@login_required
def plan_detail(request, pk):
    qs = TransformationPlan.objects.select_related("need__enterprise", "proposal__provider", "selected_by")
    plan = get_visible(qs, request.user, pk=pk)
    proposal = plan.proposal
    context = {
        "plan": plan,
        "need": plan.need,
        "proposal": proposal,
        "items": proposal.items.all(),
        "milestones": proposal.milestones.all(),
        "kpis": proposal.kpis.all(),
        "expected_level": level_label(proposal.expected_level),
    }
    return render(request, "proposals/plan_detail.html", context)
