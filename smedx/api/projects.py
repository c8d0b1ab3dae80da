"""Stage 4 over HTTP: registered projects, milestones, progress reports and invoices.

The same access helper and services as the pages (`smedx.projects.services.filing`). Files (the
contract, evidence, payment proofs) are uploaded on the pages.
"""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from smedx.accounts import people
from smedx.api.schemas import MAX_PAGE_SIZE, ErrorOut
from smedx.core.access import get_visible
from smedx.core.audit import client_ip
from smedx.projects.models import Milestone, Project
from smedx.projects.services import filing as services

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
    p = _project(request.auth, project_id)
    return {
        **_project_out(p),
        "goal_production_line": p.goal_production_line,
        "goal_management": p.goal_management,
        "goal_data_flow": p.goal_data_flow,
        "review_comment": p.review_comment,
        "items": list(p.items.values(*ProjectItemOut.model_fields)),
        "kpis": list(p.kpis.values(*KpiOut.model_fields)),
        "milestones": _milestones(p),
        "items_total": services.items_total(p),
        "eligible_total": services.eligible_total(p),
        "invoiced_total": services.invoiced_total(p),
    }


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
