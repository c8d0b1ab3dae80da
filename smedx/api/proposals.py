"""Stage 3 over HTTP: needs, the matching shortlist, proposals and the selection of a plan.

The same access helper, forms and services as the pages (`smedx.projects.services`).
"""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, Paginator
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from smedx.accounts import people
from smedx.api.errors import InputError, validated, validated_rows
from smedx.api.schemas import MAX_PAGE_SIZE, ErrorOut
from smedx.core.access import get_visible, require_right
from smedx.core.audit import client_ip
from smedx.enterprises.models import Enterprise
from smedx.proposals import forms, matching, services
from smedx.proposals.models import Invitation, Need, Proposal, TransformationPlan

router = Router(tags=["needs and proposals"])


def error_responses(*codes):
    return dict.fromkeys((401, *codes), ErrorOut)


# --- schemas -------------------------------------------------------------------------------------


class NeedSceneOut(Schema):
    scene: str
    name: str
    current_level: int
    target_level: int


class NeedOut(Schema):
    id: int
    enterprise_id: int
    enterprise: str = Field(description="Enterprise name")
    title: str
    status: str = Field(description="draft, published, closed or fulfilled")
    current_level: int | None
    target_level: int | None
    budget: Decimal | None = Field(description="yuan (元)")
    start_month: date | None
    end_month: date | None
    description: str
    published_at: datetime | None
    created_at: datetime


class NeedDetailOut(NeedOut):
    scenes: list[NeedSceneOut]
    plan_proposal: int | None = Field(description="The selected proposal, once there is a plan")


class NeedPage(Schema):
    count: int
    page: int
    pages: int
    results: list[NeedOut]


class NeedFilters(Schema):
    status: str = Field("", description="draft, published, closed or fulfilled")
    page: int = Field(1, ge=1)
    page_size: int = Field(25, ge=1, le=MAX_PAGE_SIZE)


class NeedIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    target_level: int | None = None
    budget: Decimal | None = Field(None, description="yuan (元)")
    start_month: str | None = Field(None, description="YYYY-MM")
    end_month: str | None = Field(None, description="YYYY-MM")
    description: str | None = None
    scenes: dict[str, int] | None = Field(
        None, description="Scene code → target level; replaces the pre-filled ones"
    )


class MatchOut(Schema):
    rank: int
    solution_id: int
    solution: str
    provider_id: int = Field(description="The provider organisation, to invite")
    provider: str
    total: float = Field(description="Weighted score, 0–100")
    scores: dict[str, float] = Field(
        description="Weighted points per component: scenes, industry, region, price, rating, load"
    )
    reasons: list[str]


class ItemIO(Schema):
    kind: str = Field(description="software, cloud, hardware, integration, service or other")
    description: str
    quantity: Decimal
    unit_price: Decimal = Field(description="yuan")


class ProposalItemOut(ItemIO):
    amount: Decimal


class MilestoneIO(Schema):
    name: str
    due_date: date
    deliverable: str = ""


class KpiIO(Schema):
    name: str
    baseline: Decimal
    target: Decimal
    unit: str = ""


class ProposalOut(Schema):
    id: int
    need_id: int
    provider_id: int
    provider: str
    title: str
    status: str = Field(description="draft, submitted, withdrawn, selected or not_selected")
    total: Decimal = Field(description="yuan")
    expected_level: int | None
    conflict: str = Field(description="Why it is a conflict of interest; empty when none")
    submitted_at: datetime | None


class ProposalDetailOut(ProposalOut):
    scope: str
    items: list[ProposalItemOut]
    milestones: list[MilestoneIO]
    kpis: list[KpiIO]
    scenes: dict[str, int]
    comments: int


class ProposalIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str
    scope: str
    expected_level: int
    items: list[ItemIO]
    milestones: list[MilestoneIO]
    kpis: list[KpiIO] = []
    scenes: dict[str, int] = Field({}, description="Scene code → level the proposal reaches")
    submit: bool = Field(False, description="Submit at once instead of keeping a draft")


class SelectIn(Schema):
    model_config = ConfigDict(extra="forbid")

    proposal: int


class PlanOut(Schema):
    id: int
    need_id: int
    proposal_id: int
    selected_at: datetime


# --- needs ---------------------------------------------------------------------------------------


def _need_out(need) -> dict:
    data = {name: getattr(need, name) for name in NeedOut.model_fields if name != "enterprise"}
    data["enterprise"] = need.enterprise.name
    return data


def _need_detail(need) -> dict:
    plan = TransformationPlan.objects.filter(need=need).first()
    return {
        **_need_out(need),
        "scenes": list(need.scenes.values("scene", "name", "current_level", "target_level")),
        "plan_proposal": plan.proposal_id if plan else None,
    }


def _need(user, need_id) -> Need:
    return get_visible(Need.objects.select_related("enterprise"), user, pk=need_id)


@router.get("/needs", response={200: NeedPage, **error_responses(403)})
def list_needs(request, filters: Query[NeedFilters]):
    """Needs the caller may see: its enterprise's, its district's, published ones for experts, invited ones for providers."""
    user = request.auth
    if not any(user.has_right(r) for r in (*services.FOLLOW_RIGHTS, "proposals.proposal:edit")):
        raise PermissionDenied
    qs = Need.objects.visible_to(user).select_related("enterprise").order_by("-created_at", "-id")
    if filters.status:
        qs = qs.filter(status=filters.status)
    paginator = Paginator(qs, filters.page_size)
    try:
        page = paginator.page(filters.page)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "results": [_need_out(n) for n in page],
    }


def _apply(need, user, payload: NeedIn, request):
    fields = payload.model_dump(exclude={"scenes"}, exclude_none=True)
    scenes = payload.scenes
    if not fields and scenes is None:
        return need
    current = {name: getattr(need, name) for name in services.NEED_FIELDS}
    form = forms.NeedForm({**{k: v for k, v in current.items() if v is not None}, **fields}, instance=need)
    validated(form)
    data = {name: form.cleaned_data[name] for name in services.NEED_FIELDS}
    if scenes is None:
        scenes = dict(need.scenes.values_list("scene", "target_level"))
    return services.update_need(need=need, actor=user, data=data, scenes=scenes, ip=client_ip(request))


@router.post("/needs", response={201: NeedDetailOut, **error_responses(400, 403, 422)})
def create_need(request, payload: NeedIn):
    """A draft need pre-filled from the enterprise's latest diagnosis; the fields given change it."""
    user = request.auth
    require_right(user, services.EDIT_NEED)
    enterprise = Enterprise.objects.filter(organisation_id=user.organisation.pk).first()
    if enterprise is None:
        raise PermissionDenied
    need = services.draft_need_from_diagnosis(enterprise=enterprise, actor=user, ip=client_ip(request))
    need = _apply(need, user, payload, request)
    return Status(201, _need_detail(Need.objects.get(pk=need.pk)))


@router.get("/needs/{need_id}", response={200: NeedDetailOut, **error_responses(404)})
def get_need(request, need_id: int):
    return _need_detail(_need(request.auth, need_id))


@router.patch("/needs/{need_id}", response={200: NeedDetailOut, **error_responses(400, 403, 404, 422)})
def update_need(request, need_id: int, payload: NeedIn):
    """Change a draft need."""
    need = _need(request.auth, need_id)
    if not people.acts_for(request.auth, need.enterprise.organisation_id, services.EDIT_NEED):
        raise PermissionDenied
    _apply(need, request.auth, payload, request)
    return _need_detail(Need.objects.get(pk=need.pk))


@router.post("/needs/{need_id}/publish", response={200: NeedDetailOut, **error_responses(400, 403, 404)})
def publish_need(request, need_id: int):
    need = _need(request.auth, need_id)
    if not people.acts_for(request.auth, need.enterprise.organisation_id, services.EDIT_NEED):
        raise PermissionDenied
    services.publish_need(need=need, actor=request.auth, ip=client_ip(request))
    return _need_detail(Need.objects.get(pk=need.pk))


@router.get("/needs/{need_id}/matches", response={200: list[MatchOut], **error_responses(403, 404)})
def need_matches(request, need_id: int, limit: int = Query(matching.SHORTLIST, ge=1, le=50)):
    """The ranked shortlist of solutions, each with its weighted component scores and the reasons."""
    need = _need(request.auth, need_id)
    if not any(request.auth.has_right(r) for r in services.FOLLOW_RIGHTS):
        raise PermissionDenied
    return [
        {
            "rank": m.rank,
            "solution_id": m.solution.pk,
            "solution": m.solution.name,
            "provider_id": m.provider.pk,
            "provider": m.provider.name,
            "total": m.total,
            "scores": m.scores,
            "reasons": [str(r) for r in m.reasons],
        }
        for m in matching.shortlist(need, limit=limit)
    ]


# --- proposals -----------------------------------------------------------------------------------


def _proposal_out(p) -> dict:
    data = {name: getattr(p, name) for name in ProposalOut.model_fields if name != "provider"}
    data["provider"] = p.provider.name
    return data


def _proposal_detail(p) -> dict:
    return {
        **_proposal_out(p),
        "scope": p.scope,
        "items": list(p.items.values("kind", "description", "quantity", "unit_price", "amount")),
        "milestones": list(p.milestones.values("name", "due_date", "deliverable")),
        "kpis": list(p.kpis.values("name", "baseline", "target", "unit")),
        "scenes": dict(p.scenes.values_list("scene", "target_level")),
        "comments": p.comments.count(),
    }


@router.get("/needs/{need_id}/proposals", response={200: list[ProposalOut], **error_responses(404)})
def list_proposals(request, need_id: int):
    """The proposals for a need the caller may see (a provider sees only its own)."""
    need = _need(request.auth, need_id)
    qs = Proposal.objects.visible_to(request.auth).filter(need=need).select_related("provider")
    return [_proposal_out(p) for p in qs.order_by("submitted_at", "id")]


@router.post(
    "/needs/{need_id}/proposals", response={201: ProposalDetailOut, **error_responses(400, 403, 404, 422)}
)
def create_proposal(request, need_id: int, payload: ProposalIn):
    """The invited provider writes (or rewrites) its draft proposal; `submit` submits it too."""
    user = request.auth
    need = _need(user, need_id)
    require_right(user, services.EDIT_PROPOSAL)
    invitation = get_object_or_404(Invitation, need=need, provider_id=user.organisation.pk)
    main = forms.ProposalForm(payload.model_dump(include={"title", "scope", "expected_level"}))
    validated(main)
    items = validated_rows(forms.ItemForm, [i.model_dump() for i in payload.items])
    if not items or not payload.milestones:
        raise InputError({"items": ["Give at least one line item and one milestone."]})
    proposal = services.save_proposal(
        invitation=invitation,
        actor=user,
        data=main.cleaned_data,
        items=items,
        milestones=[m.model_dump() for m in payload.milestones],
        kpis=[k.model_dump() for k in payload.kpis],
        scenes=payload.scenes,
        ip=client_ip(request),
    )
    if payload.submit:
        proposal = services.submit_proposal(proposal=proposal, actor=user, ip=client_ip(request))
    return Status(201, _proposal_detail(Proposal.objects.select_related("provider").get(pk=proposal.pk)))


def _proposal(user, proposal_id) -> Proposal:
    return get_visible(Proposal.objects.select_related("provider", "need__enterprise"), user, pk=proposal_id)


@router.get("/proposals/{proposal_id}", response={200: ProposalDetailOut, **error_responses(404)})
def get_proposal(request, proposal_id: int):
    return _proposal_detail(_proposal(request.auth, proposal_id))


@router.post(
    "/proposals/{proposal_id}/submit", response={200: ProposalDetailOut, **error_responses(400, 403, 404)}
)
def submit_proposal(request, proposal_id: int):
    proposal = _proposal(request.auth, proposal_id)
    if not people.acts_for(request.auth, proposal.provider_id, services.EDIT_PROPOSAL):
        raise PermissionDenied
    services.submit_proposal(proposal=proposal, actor=request.auth, ip=client_ip(request))
    return _proposal_detail(_proposal(request.auth, proposal_id))


@router.post("/needs/{need_id}/select", response={200: PlanOut, **error_responses(400, 403, 404, 409)})
def select_proposal(request, need_id: int, payload: SelectIn):
    """The enterprise selects one submitted proposal: it becomes the transformation plan."""
    user = request.auth
    need = _need(user, need_id)
    if not people.acts_for(user, need.enterprise.organisation_id, services.SELECT):
        raise PermissionDenied
    proposal = get_object_or_404(Proposal.objects.visible_to(user), need=need, pk=payload.proposal)
    plan = services.select_proposal(need=need, proposal=proposal, actor=user, ip=client_ip(request))
    return {"id": plan.pk, "need_id": need.pk, "proposal_id": proposal.pk, "selected_at": plan.selected_at}
