"""Stage 4 over HTTP: filing and review, changes, milestones, progress reports, invoices,
supervision and acceptance.

The same access checks, forms and services as the pages (`smedx.projects.services.filing`,
`.supervision`, `.acceptance`). Files (the contract, evidence, payment proofs, acceptance documents)
are uploaded on the pages only: the API has no upload pattern yet.
"""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from smedx.accounts import people
from smedx.api.errors import InputError, validated, validated_rows
from smedx.api.schemas import MAX_PAGE_SIZE, ErrorOut
from smedx.core.access import get_visible
from smedx.core.audit import client_ip
from smedx.projects import metrics
from smedx.projects.forms import acceptance as acceptance_forms
from smedx.projects.forms import filing as forms
from smedx.projects.forms import supervision as supervision_forms
from smedx.projects.models import (
    AcceptanceApplication,
    ChangeRequest,
    Milestone,
    Project,
    Rectification,
    SupervisionAssignment,
)
from smedx.projects.services import acceptance, supervision
from smedx.projects.services import filing as services
from smedx.proposals.models import TransformationPlan

router = Router(tags=["projects"])


def error_responses(*codes):
    return dict.fromkeys((401, *codes), ErrorOut)


class ProjectOut(Schema):
    id: int
    plan_id: int
    enterprise_id: int
    enterprise: str
    provider_id: int
    provider: str
    title: str
    status: str = Field(
        description="draft, submitted, returned, registered, in_progress, completed, "
        "acceptance_applied, accepted, rectify or failed"
    )
    contract_number: str
    contract_signed_on: date | None
    contract_amount: Decimal = Field(description="yuan")
    target_level: int | None
    registered_at: datetime | None
    completed_at: datetime | None
    is_overdue: bool = Field(description="A milestone is past due and not confirmed")


class ProjectItemOut(Schema):
    kind: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    office_pc: bool
    eligible: bool


class KpiOut(Schema):
    direction: str = Field(description="production_line, management or data_flow")
    name: str
    baseline: Decimal
    target: Decimal
    unit: str


class MilestoneOut(Schema):
    id: int
    order: int
    name: str
    due_date: date
    deliverable: str
    status: str = Field(description="planned, reported or confirmed")
    reported_at: datetime | None
    confirmed_at: datetime | None


class ProjectDetailOut(ProjectOut):
    goal_production_line: str
    goal_management: str
    goal_data_flow: str
    review_comment: str
    items: list[ProjectItemOut]
    kpis: list[KpiOut]
    milestones: list[MilestoneOut]
    items_total: Decimal
    eligible_total: Decimal
    invoiced_total: Decimal


class ProjectPage(Schema):
    count: int
    page: int
    pages: int
    results: list[ProjectOut]


class ProjectFilters(Schema):
    status: str = Field("", description="One project status")
    overdue: bool = Field(False, description="Only projects with an overdue milestone")
    page: int = Field(1, ge=1)
    page_size: int = Field(25, ge=1, le=MAX_PAGE_SIZE)


class ProgressIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)


class ProgressOut(Schema):
    id: int
    milestone_id: int
    text: str
    created_at: datetime


class InvoiceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    number: str = Field(min_length=1, max_length=40)
    date: date
    amount: Decimal = Field(description="yuan")
    seller_code: str = Field(description="The seller's unified social credit code")
    paid_on: date | None = None


class InvoiceOut(Schema):
    id: int
    number: str
    date: date
    amount: Decimal
    seller_code: str
    paid_on: date | None
    has_payment_proof: bool
    is_duplicate: bool = Field(description="The same number from the same seller is recorded elsewhere")


def _project_out(p) -> dict:
    return {
        **{
            k: getattr(p, k)
            for k in ProjectOut.model_fields
            if hasattr(p, k) and k not in ("enterprise", "provider")
        },
        "enterprise": p.enterprise.name,
        "provider": p.provider.name,
        "is_overdue": bool(getattr(p, "is_overdue", False)),
    }


def _project(user, project_id) -> Project:
    if not user.is_authenticated:
        raise Http404
    qs = services_qs(timezone.localdate())
    return get_visible(qs, user, pk=project_id)


def services_qs(today):
    return Project.objects.select_related("enterprise", "provider").annotate(
        is_overdue=services.overdue_q(today)
    )


@router.get("/projects", response={200: ProjectPage, **error_responses(403)})
def list_projects(request, filters: Query[ProjectFilters]):
    user = request.auth
    if not any(user.has_right(r) for r in services.LIST_RIGHTS):
        raise PermissionDenied
    today = timezone.localdate()
    qs = services_qs(today).visible_to(user).order_by("-created_at", "-id")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.overdue:
        qs = qs.filter(services.overdue_q(today))
    paginator = Paginator(qs, filters.page_size)
    try:
        page = paginator.page(filters.page)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "results": [_project_out(p) for p in page],
    }


def _milestones(project) -> list[dict]:
    return list(project.milestones.values(*MilestoneOut.model_fields))


@router.get("/projects/{project_id}", response={200: ProjectDetailOut, **error_responses(404)})
def get_project(request, project_id: int):
    return _project_detail(request.auth, project_id)


@router.get("/projects/{project_id}/milestones", response={200: list[MilestoneOut], **error_responses(404)})
def list_milestones(request, project_id: int):
    return _milestones(_project(request.auth, project_id))


def _milestone(user, milestone_id) -> Milestone:
    milestone = (
        Milestone.objects.select_related("project__enterprise__organisation", "project__provider")
        .filter(pk=milestone_id, project__in=Project.objects.visible_to(user))
        .first()
    )
    if milestone is None:
        raise Http404
    return milestone


@router.post(
    "/milestones/{milestone_id}/progress", response={201: ProgressOut, **error_responses(400, 403, 404, 422)}
)
def report_progress(request, milestone_id: int, payload: ProgressIn):
    """The provider reports a milestone's progress (attach evidence files on the page)."""
    milestone = _milestone(request.auth, milestone_id)
    if not people.acts_for(request.auth, milestone.project.provider_id, services.REPORT):
        raise PermissionDenied
    report = services.report_progress(
        milestone=milestone, actor=request.auth, text=payload.text, ip=client_ip(request)
    )
    return Status(201, report)


@router.post(
    "/milestones/{milestone_id}/confirm", response={200: MilestoneOut, **error_responses(400, 403, 404)}
)
def confirm_milestone(request, milestone_id: int):
    milestone = _milestone(request.auth, milestone_id)
    if not people.acts_for(request.auth, milestone.project.enterprise.organisation_id, services.CONFIRM):
        raise PermissionDenied
    return services.confirm_milestone(milestone=milestone, actor=request.auth, ip=client_ip(request))


def _invoice_out(invoice) -> dict:
    return {
        **{k: getattr(invoice, k) for k in ("id", "number", "date", "amount", "seller_code", "paid_on")},
        "has_payment_proof": invoice.payment_proof_id is not None,
        "is_duplicate": bool(invoice.is_duplicate),
    }


@router.get("/projects/{project_id}/invoices", response={200: list[InvoiceOut], **error_responses(404)})
def list_invoices(request, project_id: int):
    project = _project(request.auth, project_id)
    return [_invoice_out(i) for i in services.with_duplicate_flag(project.invoices.all())]


@router.post(
    "/projects/{project_id}/invoices", response={201: InvoiceOut, **error_responses(400, 403, 404, 422)}
)
def record_invoice(request, project_id: int, payload: InvoiceIn):
    """The enterprise records an invoice (upload the payment proof on the page)."""
    project = _project(request.auth, project_id)
    if not people.acts_for(request.auth, project.enterprise.organisation_id, services.INVOICE):
        raise PermissionDenied
    invoice = services.record_invoice(
        project=project, actor=request.auth, ip=client_ip(request), **payload.dict()
    )
    flagged = services.with_duplicate_flag(project.invoices.filter(pk=invoice.pk)).get()
    return Status(201, _invoice_out(flagged))


# --- filing and review ---------------------------------------------------------------------------


class ProjectItemIn(Schema):
    kind: str = Field(description="software, cloud, hardware, integration, service or other")
    description: str
    quantity: Decimal
    unit_price: Decimal = Field(description="yuan")
    office_pc: bool = Field(False, description="An office PC: never an eligible cost")


class ProjectMilestoneIn(Schema):
    name: str
    due_date: date
    deliverable: str = ""


class ProjectKpiIn(Schema):
    direction: str = Field("production_line", description="production_line, management or data_flow")
    name: str
    baseline: Decimal
    target: Decimal
    unit: str = ""


class ProjectPatchIn(Schema):
    """Only the fields sent are changed; a list sent replaces the one on the project."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(description="The version the change is based on; a newer one means a conflict")
    title: str | None = None
    contract_number: str | None = None
    contract_signed_on: date | None = None
    contract_amount: Decimal | None = Field(None, description="yuan")
    goal_production_line: str | None = None
    goal_management: str | None = None
    goal_data_flow: str | None = None
    enterprise_signatory: str | None = None
    provider_signatory: str | None = None
    items: list[ProjectItemIn] | None = None
    milestones: list[ProjectMilestoneIn] | None = None
    kpis: list[ProjectKpiIn] | None = None


class ProjectSubmitIn(Schema):
    model_config = ConfigDict(extra="forbid")

    declared: bool = Field(description="The contract, prices and information given are true and complete")


class ProjectReviewIn(Schema):
    model_config = ConfigDict(extra="forbid")

    decision: str = Field(description="register or return")
    comment: str = Field("", description="Required when returning")


class ProjectChangeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    description: str
    contract_amount: Decimal | None = Field(None, description="New contract amount in yuan")
    due_dates: dict[int, date] = Field({}, description="Milestone id → new due date (not confirmed ones)")


class ProjectChangeDecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    decision: str = Field(description="approve or refuse")
    comment: str = Field("", description="Required when refusing")


class ProjectChangeOut(Schema):
    id: int
    project_id: int
    description: str
    changes: dict
    status: str = Field(description="pending, approved or refused")
    comment: str
    created_at: datetime
    decided_at: datetime | None


def _project_detail(user, project_id) -> dict:
    p = _project(user, project_id)
    return {
        **_project_out(p),
        "goal_production_line": p.goal_production_line,
        "goal_management": p.goal_management,
        "goal_data_flow": p.goal_data_flow,
        "review_comment": p.review_comment,
        "items": list(p.items.values(*ProjectItemOut.model_fields)),
        "kpis": list(p.kpis.values(*KpiOut.model_fields)),
        "milestones": _milestones(p),
        "items_total": metrics.items_total(p),
        "eligible_total": metrics.eligible_total(p),
        "invoiced_total": metrics.invoiced_total(p),
    }


def _own(user, project_id, right=services.EDIT) -> Project:
    """A project of the caller's own enterprise; others who see it get 403, as on the pages."""
    project = _project(user, project_id)
    if not people.acts_for(user, project.enterprise.organisation_id, right):
        raise PermissionDenied
    return project


def _district(user, project_id) -> Project:
    project = _project(user, project_id)
    if not people.is_district_of(user, project.enterprise, services.REVIEW):
        raise PermissionDenied
    return project


@router.post(
    "/plans/{plan_id}/project", response={201: ProjectDetailOut, **error_responses(400, 403, 404, 409)}
)
def create_project(request, plan_id: int):
    """The enterprise starts filing the project of its selected plan (items, milestones, KPIs carried over)."""
    user = request.auth
    plan = get_visible(TransformationPlan.objects.select_related("enterprise"), user, pk=plan_id)
    if not (user.has_right(services.EDIT) and user.organisation.pk == plan.enterprise.organisation_id):
        raise PermissionDenied
    project = services.create_project_from_plan(plan=plan, actor=user, ip=client_ip(request))
    return Status(201, _project_detail(user, project.pk))


def _main_data(project, payload) -> dict:
    """The project's current fields, with the ones sent, as the page's project form sees them."""
    current = {name: getattr(project, name) for name in services.PROJECT_FIELDS}
    current.update({k: project.parties.get(k, "") for k in ("enterprise_signatory", "provider_signatory")})
    sent = payload.model_dump(exclude={"items", "milestones", "kpis"}, exclude_unset=True)
    data = {**current, **sent}
    return {k: v for k, v in data.items() if v is not None}


@router.patch(
    "/projects/{project_id}", response={200: ProjectDetailOut, **error_responses(400, 403, 404, 409, 422)}
)
def update_project(request, project_id: int, payload: ProjectPatchIn):
    """Change a draft or returned project; upload the signed contract on the page."""
    user = request.auth
    project = _own(user, project_id)
    main = validated(forms.ProjectForm(_main_data(project, payload), instance=project))
    items = payload.items
    items = (
        [i.model_dump() for i in items] if items is not None else list(project.items.values(*forms.ITEM_KEYS))
    )
    milestones = payload.milestones
    milestones = (
        [m.model_dump() for m in milestones]
        if milestones is not None
        else list(project.milestones.values(*forms.MILESTONE_KEYS))
    )
    kpis = payload.kpis
    kpis = [k.model_dump() for k in kpis] if kpis is not None else list(project.kpis.values(*forms.KPI_KEYS))
    if not items or not milestones:
        raise InputError({"items": [str(_("Give at least one line item and one milestone."))]})
    data = dict(main)
    data.pop("contract_upload", None)
    version = data.pop("version")
    services.update_project(
        project=project,
        actor=user,
        data=data,
        version=version,
        items=validated_rows(forms.ItemForm, items, "items"),
        milestones=validated_rows(forms.MilestoneForm, milestones, "milestones"),
        kpis=validated_rows(forms.KpiForm, kpis, "kpis"),
        ip=client_ip(request),
    )
    return _project_detail(user, project.pk)


@router.post(
    "/projects/{project_id}/submit", response={200: ProjectDetailOut, **error_responses(400, 403, 404, 422)}
)
def submit_project(request, project_id: int, payload: ProjectSubmitIn):
    """File the project with the district; what is still missing comes back as the refusal."""
    user = request.auth
    project = _own(user, project_id)
    validated(forms.SubmitForm(payload.model_dump()))
    services.submit_project(project=project, actor=user, declared=True, ip=client_ip(request))
    return _project_detail(user, project.pk)


@router.post(
    "/projects/{project_id}/review", response={200: ProjectDetailOut, **error_responses(403, 404, 409, 422)}
)
def review_project(request, project_id: int, payload: ProjectReviewIn):
    """The enterprise's district registers the project or returns it with comments."""
    user = request.auth
    project = _district(user, project_id)
    data = validated(forms.ReviewForm(payload.model_dump()))
    services.review_project(
        project=project,
        actor=user,
        register=data["decision"] == "register",
        comment=data["comment"],
        ip=client_ip(request),
    )
    return _project_detail(user, project.pk)


# --- change requests -----------------------------------------------------------------------------


def _change_out(change) -> dict:
    return {name: getattr(change, name) for name in ProjectChangeOut.model_fields}


@router.get("/projects/{project_id}/changes", response={200: list[ProjectChangeOut], **error_responses(404)})
def list_changes(request, project_id: int):
    project = _project(request.auth, project_id)
    return [_change_out(c) for c in project.change_requests.all()]


@router.post(
    "/projects/{project_id}/changes", response={201: ProjectChangeOut, **error_responses(400, 403, 404, 422)}
)
def request_change(request, project_id: int, payload: ProjectChangeIn):
    """After registration the enterprise asks its district to change the amount or due dates."""
    user = request.auth
    project = _own(user, project_id)
    milestones = list(project.milestones.all())
    unknown = set(payload.due_dates) - {m.pk for m in milestones if m.status != Milestone.Status.CONFIRMED}
    if unknown:
        raise InputError({"due_dates": [str(_("That milestone is not part of this project."))]})
    data = {"description": payload.description, "contract_amount": payload.contract_amount}
    data.update({f"due_{pk}": day for pk, day in payload.due_dates.items()})
    form = forms.ChangeRequestForm({k: v for k, v in data.items() if v is not None}, milestones=milestones)
    validated(form)
    change = services.request_change(
        project=project,
        actor=user,
        description=form.cleaned_data["description"],
        changes=form.changes(),
        ip=client_ip(request),
    )
    return Status(201, _change_out(change))


@router.post(
    "/changes/{change_id}/decide", response={200: ProjectChangeOut, **error_responses(403, 404, 409, 422)}
)
def decide_change(request, change_id: int, payload: ProjectChangeDecisionIn):
    user = request.auth
    change = ChangeRequest.objects.filter(pk=change_id, project__in=Project.objects.visible_to(user)).first()
    if change is None:
        raise Http404
    _district(user, change.project_id)
    data = validated(forms.ChangeDecisionForm(payload.model_dump()))
    decided = services.decide_change(
        change=change,
        actor=user,
        approve=data["decision"] == "approve",
        comment=data["comment"],
        ip=client_ip(request),
    )
    return _change_out(decided)


# --- supervision ---------------------------------------------------------------------------------


class SupervisionVisitOut(Schema):
    id: int
    expert: str
    visited_on: date
    findings: str


class RectificationOut(Schema):
    id: int
    project_id: int
    description: str
    deadline: date
    status: str = Field(description="open, fixed or closed")
    fixed_note: str
    fixed_at: datetime | None
    closed_at: datetime | None


class SupervisionOut(Schema):
    project_id: int
    expert_id: int | None = Field(description="The supervising expert; none before the assignment")
    expert: str
    visits: list[SupervisionVisitOut]
    rectifications: list[RectificationOut]


class SupervisionAssignIn(Schema):
    model_config = ConfigDict(extra="forbid")

    expert: int = Field(description="User id of an expert of the committee")


class SupervisionVisitIn(Schema):
    model_config = ConfigDict(extra="forbid")

    visited_on: date
    findings: str


class RectificationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    description: str
    deadline: date


class RectificationFixIn(Schema):
    model_config = ConfigDict(extra="forbid")

    note: str


def _rectification_out(r) -> dict:
    return {name: getattr(r, name) for name in RectificationOut.model_fields}


def _supervision_out(project) -> dict:
    assignment = SupervisionAssignment.objects.filter(project=project).select_related("expert").first()
    return {
        "project_id": project.pk,
        "expert_id": assignment.expert_id if assignment else None,
        "expert": str(assignment.expert) if assignment else "",
        "visits": [
            {"id": v.pk, "expert": str(v.expert), "visited_on": v.visited_on, "findings": v.findings}
            for v in project.supervision_visits.select_related("expert")
        ],
        "rectifications": [_rectification_out(r) for r in project.rectifications.all()],
    }


def _supervised(user, project_id) -> Project:
    """A project the caller sees, acted on by its supervising expert only (403 for the others)."""
    project = _project(user, project_id)
    if not supervision.is_supervisor(user, project):
        raise PermissionDenied
    return project


@router.get("/projects/{project_id}/supervision", response={200: SupervisionOut, **error_responses(404)})
def get_supervision(request, project_id: int):
    return _supervision_out(_project(request.auth, project_id))


@router.post(
    "/projects/{project_id}/supervision/assign",
    response={200: SupervisionOut, **error_responses(400, 403, 404, 409, 422)},
)
def assign_supervisor(request, project_id: int, payload: SupervisionAssignIn):
    """The committee names the supervising expert."""
    user = request.auth
    project = _project(user, project_id)
    if not user.has_right(supervision.ASSIGN):
        raise PermissionDenied
    data = validated(supervision_forms.AssignForm(payload.model_dump()))
    supervision.assign_supervisor(project=project, actor=user, expert=data["expert"], ip=client_ip(request))
    return _supervision_out(project)


@router.post(
    "/projects/{project_id}/supervision/visits",
    response={201: SupervisionVisitOut, **error_responses(400, 403, 404, 422)},
)
def record_supervision_visit(request, project_id: int, payload: SupervisionVisitIn):
    user = request.auth
    project = _supervised(user, project_id)
    data = validated(supervision_forms.VisitForm(payload.model_dump()))
    visit = supervision.record_supervision_visit(project=project, actor=user, ip=client_ip(request), **data)
    return Status(
        201, {"id": visit.pk, "expert": str(user), "visited_on": visit.visited_on, "findings": visit.findings}
    )


@router.post(
    "/projects/{project_id}/rectifications",
    response={201: RectificationOut, **error_responses(400, 403, 404, 422)},
)
def issue_rectification(request, project_id: int, payload: RectificationIn):
    """The supervising expert asks for a rectification by a deadline."""
    user = request.auth
    project = _supervised(user, project_id)
    data = validated(supervision_forms.RectificationForm(payload.model_dump()))
    found = supervision.issue_rectification(project=project, actor=user, ip=client_ip(request), **data)
    return Status(201, _rectification_out(found))


def _rectification(user, rectification_id) -> Rectification:
    found = (
        Rectification.objects.filter(project__in=Project.objects.visible_to(user), pk=rectification_id)
        .select_related("project__provider", "project__enterprise")
        .first()
    )
    if found is None:
        raise Http404
    return found


@router.post(
    "/rectifications/{rectification_id}/fix",
    response={200: RectificationOut, **error_responses(400, 403, 404, 422)},
)
def fix_rectification(request, rectification_id: int, payload: RectificationFixIn):
    """The provider says what it did."""
    user = request.auth
    rectification = _rectification(user, rectification_id)
    if not people.acts_for(user, rectification.project.provider_id, supervision.FIX):
        raise PermissionDenied
    data = validated(supervision_forms.FixForm(payload.model_dump()))
    fixed = supervision.mark_rectification_fixed(
        rectification=rectification, actor=user, note=data["note"], ip=client_ip(request)
    )
    return _rectification_out(fixed)


@router.post(
    "/rectifications/{rectification_id}/close",
    response={200: RectificationOut, **error_responses(400, 403, 404)},
)
def close_rectification(request, rectification_id: int):
    """The supervising expert closes a rectification marked fixed."""
    user = request.auth
    rectification = _rectification(user, rectification_id)
    if not supervision.is_supervisor(user, rectification.project):
        raise PermissionDenied
    closed = supervision.close_rectification(rectification=rectification, actor=user, ip=client_ip(request))
    return _rectification_out(closed)


# --- acceptance ----------------------------------------------------------------------------------


class AcceptanceCheckOut(Schema):
    code: str
    label: str
    ok: bool


class AcceptanceOut(Schema):
    project_id: int
    status: str
    applied_at: datetime | None
    before_assessment_id: int | None
    after_assessment_id: int | None
    verified_assessment_id: int | None = Field(description="The completed on-site verification of the T1")
    checks: list[AcceptanceCheckOut]
    decision: str = Field(description="accepted, rectify or failed; empty before the decision")
    reasons: str


class AcceptanceApplyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    before: int = Field(description="Id of the submitted or verified T0 assessment")
    after: int = Field(description="Id of the submitted T1 (or later) self-assessment")
    quality: int = Field(description="Rating of the provider, 1–5")
    timeliness: int
    service: int
    value: int
    comment: str = ""
    declared: bool = Field(description="The application and its documents are true and complete")


class AcceptanceVerificationOut(Schema):
    project_id: int
    verification_id: int = Field(
        description="The verification assessment; check its answers under /assessments"
    )
    diagnosis_request_id: int


class AcceptanceDecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    decision: str = Field(description="accepted, rectify or failed")
    reasons: str


def _acceptance_out(project) -> dict:
    application = AcceptanceApplication.objects.filter(project=project).first()
    decision = getattr(project, "acceptance_decision", None) if application else None
    verified = acceptance.verified_after(application)
    before = application.before_assessment if application else None
    after = application.after_assessment if application else None
    return {
        "project_id": project.pk,
        "status": project.status,
        "applied_at": application.applied_at if application else None,
        "before_assessment_id": before.pk if before else None,
        "after_assessment_id": after.pk if after else None,
        "verified_assessment_id": verified.pk if verified else None,
        "checks": [
            {"code": c.code, "label": str(c.label), "ok": c.ok}
            for c in acceptance.checklist(project, before, after)
        ],
        "decision": decision.decision if decision else "",
        "reasons": decision.reasons if decision else "",
    }


@router.get("/projects/{project_id}/acceptance", response={200: AcceptanceOut, **error_responses(404)})
def get_acceptance(request, project_id: int):
    return _acceptance_out(_project(request.auth, project_id))


@router.post(
    "/projects/{project_id}/acceptance/apply",
    response={200: AcceptanceOut, **error_responses(400, 403, 404, 422)},
)
def apply_for_acceptance(request, project_id: int, payload: AcceptanceApplyIn):
    """The enterprise applies with its T0 and T1 and rates the provider (upload documents on the page)."""
    user = request.auth
    project = _project(user, project_id)
    if not people.acts_for(user, project.enterprise.organisation_id, acceptance.APPLY):
        raise PermissionDenied
    form = acceptance_forms.ApplyForm(
        payload.model_dump(),
        before_choices=acceptance.before_choices(project.enterprise),
        after_choices=acceptance.after_choices(project.enterprise),
    )
    data = validated(form)
    acceptance.apply_for_acceptance(
        project=project,
        actor=user,
        before=data["before"],
        after=data["after"],
        rating=form.rating(),
        declared=data["declared"],
        ip=client_ip(request),
    )
    return _acceptance_out(_project(user, project_id))


def _decider(user, project_id) -> Project:
    project = _project(user, project_id)
    if not acceptance.may_decide(user):
        raise PermissionDenied
    return project


@router.post(
    "/projects/{project_id}/acceptance/verify",
    response={200: AcceptanceVerificationOut, **error_responses(400, 403, 404, 409)},
)
def start_acceptance_verification(request, project_id: int):
    """The acting expert opens the on-site verification of the T1, assigned to themself."""
    user = request.auth
    project = _decider(user, project_id)
    verification = acceptance.start_acceptance_verification(
        project=project, actor=user, ip=client_ip(request)
    )
    return {
        "project_id": project.pk,
        "verification_id": verification.pk,
        "diagnosis_request_id": verification.diagnosis_request.pk,
    }


@router.post(
    "/projects/{project_id}/acceptance/decide",
    response={200: AcceptanceOut, **error_responses(400, 403, 404, 409, 422)},
)
def decide_acceptance(request, project_id: int, payload: AcceptanceDecisionIn):
    """Accepted, rectify or failed, with reasons; needs the verified T1."""
    user = request.auth
    project = _decider(user, project_id)
    data = validated(acceptance_forms.DecisionForm(payload.model_dump()))
    acceptance.decide_acceptance(
        project=project, actor=user, decision=data["decision"], reasons=data["reasons"], ip=client_ip(request)
    )
    return _acceptance_out(_project(user, project_id))
