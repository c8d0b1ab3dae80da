"""Stage 2 over HTTP: the guide and policy library with read marks, classification standards and
tiers, district implementation plans with their targets' progress, and planning support requests.

The same access checks, forms and services as the pages (`smedx.planning.services.library`,
`.support`, `.standards`, `.plans`). Files (document attachments, plan documents, the document answering a
planning request) are uploaded and downloaded on the pages only: the API has no upload pattern yet.
"""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from smedx.api.errors import InputError, validated
from smedx.api.schemas import MAX_PAGE_SIZE, ErrorOut
from smedx.core.access import get_visible, require_right
from smedx.core.audit import client_ip
from smedx.enterprises.models import Enterprise
from smedx.enterprises.reference import industry_name
from smedx.planning import metrics, rules, tasks
from smedx.planning.forms import library as library_forms
from smedx.planning.forms import plans as plan_forms
from smedx.planning.forms import standards as standard_forms
from smedx.planning.forms import support as support_forms
from smedx.planning.hooks import latest_applications
from smedx.planning.models import Document, Plan, PlanningRequest, ReadMark, Standard, Tier
from smedx.planning.services import library, plans, standards, support

router = Router(tags=["planning"])

VIEW, MANAGE, READ = "planning.document:view", "planning.document:manage", "planning.document:read"
STANDARD, PLAN_VIEW, PLAN = "planning.standard:manage", "planning.plan:view", "planning.plan:manage"
REQUEST_LIST, REQUEST_CREATE = "planning.request:list", "planning.request:create"


def error_responses(*codes):
    return dict.fromkeys((401, *codes), ErrorOut)


def _page(qs, page, page_size, out) -> dict:
    paginator = Paginator(qs, page_size)
    try:
        current = paginator.page(page)
    except EmptyPage:
        current = paginator.page(paginator.num_pages)
    return {
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "results": [out(row) for row in current],
    }


# --- guides and policy documents -----------------------------------------------------------------


class PlanningDocumentOut(Schema):
    id: int
    kind: str = Field(description="guide or policy")
    level: str = Field(description="national, city or district")
    status: str = Field(description="draft, published or withdrawn")
    title: str
    summary: str
    issuer: str
    authority_id: int
    region_id: int
    version: int
    supersedes_id: int | None = Field(description="The version this one replaces")
    published_at: datetime | None
    superseded_at: datetime | None
    industries: list[str] = Field(description="GB/T 4754 divisions; empty: all industries")
    scenes: list[str] = Field(description="Scene codes S01–S16")
    is_read: bool | None = Field(None, description="Enterprises: the own organisation marked it read")
    readers: int | None = Field(None, description="Authorities: organisations that marked it read")


class PlanningAttachmentOut(Schema):
    id: int
    name: str
    size: int


class PlanningDocumentDetailOut(PlanningDocumentOut):
    body: str
    attachments: list[PlanningAttachmentOut] = Field(description="Download them on the document page")
    later_version_id: int | None = Field(description="A newer version the caller may see")


class PlanningDocumentPage(Schema):
    count: int
    page: int
    pages: int
    results: list[PlanningDocumentOut]


class PlanningDocumentFilters(Schema):
    """The filters of the library page, as query parameters."""

    q: str = Field("", description="Words of the title or summary")
    kind: str = ""
    level: str = ""
    industry: str = Field("", description="GB/T 4754 two-digit division")
    scene: str = Field("", description="Scene code, S01–S16")
    status: str = Field("", description="Authorities: draft, published or withdrawn")
    read: str = Field("", description="Enterprises: 0 not yet read, 1 read")
    versions: bool = Field(False, description="Show earlier versions too")
    page: int = Field(1, ge=1)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


class PlanningDocumentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field(description="guide or policy")
    level: str = Field(description="The city: national or city; a district: district")
    issuer: str = Field("", description="Empty for the own authority")
    title: str
    summary: str = ""
    body: str = Field("", description="Plain text; an empty line starts a new paragraph")
    industries: list[str] = Field([], description="GB/T 4754 divisions; empty: all industries")
    scenes: list[str] = Field([], description="Scene codes S01–S16")


class PlanningDocumentPatch(Schema):
    """Only the fields sent are changed; a draft only."""

    model_config = ConfigDict(extra="forbid")

    kind: str | None = None
    level: str | None = None
    issuer: str | None = None
    title: str | None = None
    summary: str | None = None
    body: str | None = None
    industries: list[str] | None = None
    scenes: list[str] | None = None


class PlanningReadMarkOut(Schema):
    document_id: int
    read_at: datetime


class PlanningReaderOut(Schema):
    enterprise_id: int
    enterprise: str
    read_at: datetime | None = Field(description="Empty in the list of those who have not read it")


class PlanningReadersOut(Schema):
    read_count: int = Field(description="Enterprises of the caller's area that read it")
    unread_count: int = Field(description="Enterprises it fits that have not read it yet")
    fitting_count: int
    show: str = Field(description="read or unread: which list `results` is")
    count: int
    page: int
    pages: int
    results: list[PlanningReaderOut]


def _document_out(d) -> dict:
    data = {name: getattr(d, name) for name in PlanningDocumentOut.model_fields if hasattr(d, name)}
    data.update({"industries": d.industry_list, "scenes": d.scene_list})
    data.setdefault("is_read", None)
    data.setdefault("readers", None)
    return data


def _documents(user):
    qs = Document.objects.visible_to(user)
    if user.has_right(READ):
        marks = ReadMark.objects.filter(document=OuterRef("pk"), organisation_id=user.organisation.pk)
        qs = qs.annotate(is_read=Exists(marks))
    if user.has_right(MANAGE):
        readers = ReadMark.objects.filter(document=OuterRef("pk")).order_by().values("document")
        qs = qs.annotate(readers=Coalesce(Subquery(readers.annotate(n=Count("pk")).values("n")), 0))
    return qs


@router.get("/documents", response={200: PlanningDocumentPage, **error_responses(403, 422)})
def list_documents(request, filters: Query[PlanningDocumentFilters]):
    """The library as its page shows it: current versions unless `versions`, newest first."""
    user = request.auth
    require_right(user, VIEW)
    query = filters.model_dump(exclude={"page", "page_size"})
    query = {k: v for k, v in query.items() if v not in ("", False)}
    form = library_forms.LibraryFilterForm(query or None, user=user)
    if form.is_bound:
        validated(form)
    qs = form.apply(_documents(user)).order_by("-published_at", "-id")
    return _page(qs, filters.page, filters.page_size, _document_out)


def _document_detail(user, document_id) -> dict:
    document = get_visible(_documents(user), user, pk=document_id)
    later = Document.objects.visible_to(user).filter(supersedes=document).values_list("pk", flat=True).first()
    return {
        **_document_out(document),
        "body": document.body,
        "attachments": list(document.attachments.values("id", "name", "size")),
        "later_version_id": later,
    }


@router.get("/documents/{document_id}", response={200: PlanningDocumentDetailOut, **error_responses(404)})
def get_document(request, document_id: int):
    return _document_detail(request.auth, document_id)


def _document_form(user, data, document=None) -> dict:
    form = library_forms.DocumentForm(data, user=user, document=document)
    validated(form)
    return form.data_for_service()


@router.post("/documents", response={201: PlanningDocumentDetailOut, **error_responses(400, 403, 422)})
def create_document(request, payload: PlanningDocumentIn):
    """An authority drafts a guide or policy; attach files on the page."""
    user = request.auth
    require_right(user, MANAGE)
    data = _document_form(user, payload.model_dump())
    document = library.create_document(actor=user, data=data, ip=client_ip(request))
    return Status(201, _document_detail(user, document.pk))


def _own_document(user, document_id) -> Document:
    """A document of the caller's own authority (403 without the right, 404 for another's)."""
    document = get_visible(Document, user, pk=document_id, right=MANAGE)
    if document.authority_id != user.organisation.pk:
        raise Http404
    return document


@router.patch(
    "/documents/{document_id}",
    response={200: PlanningDocumentDetailOut, **error_responses(400, 403, 404, 422)},
)
def update_document(request, document_id: int, payload: PlanningDocumentPatch):
    """Change a draft; a published document gets a new version instead."""
    user = request.auth
    document = _own_document(user, document_id)
    current = {f: getattr(document, f) for f in library.DOCUMENT_FIELDS}
    current.update({"industries": document.industry_list, "scenes": document.scene_list})
    data = _document_form(user, {**current, **payload.model_dump(exclude_unset=True, exclude_none=True)})
    library.update_document(document=document, actor=user, data=data, ip=client_ip(request))
    return _document_detail(user, document.pk)


def _document_action(request, document_id, call, status=200):
    user = request.auth
    result = call(document=_own_document(user, document_id), actor=user, ip=client_ip(request))
    return Status(status, _document_detail(user, result.pk))


@router.post(
    "/documents/{document_id}/publish",
    response={200: PlanningDocumentDetailOut, **error_responses(400, 403, 404)},
)
def publish_document(request, document_id: int):
    """Publish a draft; a new version supersedes the one it was made from."""
    return _document_action(request, document_id, library.publish_document)


@router.post(
    "/documents/{document_id}/withdraw",
    response={200: PlanningDocumentDetailOut, **error_responses(400, 403, 404)},
)
def withdraw_document(request, document_id: int):
    return _document_action(request, document_id, library.withdraw_document)


@router.post(
    "/documents/{document_id}/new-version",
    response={201: PlanningDocumentDetailOut, **error_responses(400, 403, 404)},
)
def new_document_version(request, document_id: int):
    """A draft copy with the next version number; publishing it supersedes this one."""
    return _document_action(request, document_id, library.new_document_version, status=201)


@router.post(
    "/documents/{document_id}/read", response={200: PlanningReadMarkOut, **error_responses(400, 403, 404)}
)
def mark_document_read(request, document_id: int):
    """The enterprise confirms it has read the document; marking it again changes nothing."""
    user = request.auth
    document = get_visible(Document, user, pk=document_id, right=READ)
    mark = library.mark_read(document=document, actor=user, ip=client_ip(request))
    return {"document_id": document.pk, "read_at": mark.read_at}


@router.get(
    "/documents/{document_id}/readers", response={200: PlanningReadersOut, **error_responses(403, 404)}
)
def list_document_readers(
    request,
    document_id: int,
    show: str = Query("unread", description="read or unread"),
    page: int = Query(1, ge=1),
    page_size: int = Query(50, ge=1, le=MAX_PAGE_SIZE),
):
    """Who in the officer's area has read the document, and which enterprises it fits have not yet."""
    user = request.auth
    document = get_visible(Document, user, pk=document_id, right=MANAGE)
    area = Enterprise.objects.visible_to(user)
    marks = ReadMark.objects.filter(document=document)
    read_orgs = marks.values("organisation_id")
    fitting = document.fitting_enterprises().filter(pk__in=area.values("pk"))
    unread = fitting.filter(organisation__isnull=False).exclude(organisation_id__in=read_orgs)
    show = "read" if show == "read" else "unread"
    if show == "read":
        rows = marks.filter(organisation__enterprise__in=area).select_related("organisation__enterprise")

        def out(mark):
            enterprise = mark.organisation.enterprise
            return {"enterprise_id": enterprise.pk, "enterprise": enterprise.name, "read_at": mark.read_at}

    else:
        rows = unread.order_by("name", "pk")

        def out(enterprise):
            return {"enterprise_id": enterprise.pk, "enterprise": enterprise.name, "read_at": None}

    return {
        "read_count": area.filter(organisation_id__in=read_orgs).count(),
        "unread_count": unread.count(),
        "fitting_count": fitting.count(),
        "show": show,
        **_page(rows, page, page_size, out),
    }


# --- classification standards --------------------------------------------------------------------


class PlanningStandardOut(Schema):
    id: int
    name: str
    version: int
    status: str = Field(description="draft or applied")
    region_id: int
    region: str
    authority_id: int
    applied_at: datetime | None
    is_current: bool = Field(description="Its latest application is the region's current one")


class PlanningTierOut(Schema):
    id: int
    order: int
    code: str
    name: str
    description: str
    rule: dict = Field(description="Conditions over enterprise facts; see `PlanningTierIn`")
    conditions: list[str] = Field(description="The rule in words")
    enterprises: int = Field(description="Enterprises of the region it would classify now")


class PlanningApplicationOut(Schema):
    id: int
    standard_id: int
    applied_at: datetime
    status: str = Field(
        description="queued or running while the task worker classifies, then done (or failed, nothing written)"
    )
    counts: dict[str, int] = Field(description="Tier id → enterprises classified in it (when done)")


class PlanningStandardDetailOut(PlanningStandardOut):
    tiers: list[PlanningTierOut]
    unmatched: int = Field(description="Enterprises no tier matches now")
    applications: list[PlanningApplicationOut]


class PlanningStandardIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str


class PlanningTierIn(Schema):
    """A tier and its rule. Every condition given must hold; none given: a catch-all."""

    model_config = ConfigDict(extra="forbid")

    order: int = Field(1, description="Tiers are tried in order; the first match wins")
    code: str
    name: str
    description: str = ""
    size_class: list[str] = Field([], description="large, medium, small, micro")
    above_scale: bool | None = Field(None, description="规上 (true) or not (false); empty: either")
    industry_division: list[str] = Field([], description="GB/T 4754 divisions")
    region: list[str] = Field([], description="District codes; city standards only")
    level_min: int | None = None
    level_max: int | None = None
    level_in: list[int] = []
    tags: list[str] = Field([], description="Any of these tag names")


class PlanningTierPatch(Schema):
    """Only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid")

    order: int | None = None
    code: str | None = None
    name: str | None = None
    description: str | None = None
    size_class: list[str] | None = None
    above_scale: bool | None = None
    industry_division: list[str] | None = None
    region: list[str] | None = None
    level_min: int | None = None
    level_max: int | None = None
    level_in: list[int] | None = None
    tags: list[str] | None = None


class PlanningPreviewTierOut(Schema):
    tier_id: int
    code: str
    name: str
    enterprises: int


class PlanningPreviewOut(Schema):
    standard_id: int
    tiers: list[PlanningPreviewTierOut]
    unmatched: int


def _standard_out(s, current=None) -> dict:
    if current is None:
        current = set(latest_applications().values_list("standard_id", flat=True))
    data = {name: getattr(s, name) for name in PlanningStandardOut.model_fields if hasattr(s, name)}
    data.update({"region": s.region.name, "is_current": s.pk in current})
    return data


def _standard(user, standard_id) -> Standard:
    return get_visible(Standard.objects.select_related("region", "authority"), user, pk=standard_id)


def _own_standard(user, standard_id) -> Standard:
    standard = _standard(user, standard_id)
    if standard.authority_id != user.organisation.pk:
        raise Http404
    return standard


def _tier_rows(standard):
    tiers = list(standard.tiers.all())
    counts = metrics.tier_preview(standard.region, tiers)
    return tiers, counts


@router.get("/standards", response={200: list[PlanningStandardOut], **error_responses(403)})
def list_standards(request):
    user = request.auth
    require_right(user, STANDARD)
    current = set(latest_applications().values_list("standard_id", flat=True))
    qs = Standard.objects.visible_to(user).select_related("region")
    return [_standard_out(s, current) for s in qs]


def _standard_detail(user, standard_id) -> dict:
    standard = _standard(user, standard_id)
    tiers, counts = _tier_rows(standard)
    return {
        **_standard_out(standard),
        "tiers": [
            {
                **{k: getattr(t, k) for k in ("id", "order", "code", "name", "description", "rule")},
                "conditions": [str(c) for c in rules.describe(t.rule)],
                "enterprises": counts.get(t.pk, 0),
            }
            for t in tiers
        ],
        "unmatched": counts.get(None, 0),
        "applications": [_application_out(a) for a in standard.applications.all()],
    }


@router.get("/standards/{standard_id}", response={200: PlanningStandardDetailOut, **error_responses(404)})
def get_standard(request, standard_id: int):
    """A standard with its tiers, what each would classify now, and its past applications."""
    return _standard_detail(request.auth, standard_id)


@router.post("/standards", response={201: PlanningStandardDetailOut, **error_responses(400, 403, 422)})
def create_standard(request, payload: PlanningStandardIn):
    user = request.auth
    require_right(user, STANDARD)
    data = validated(standard_forms.StandardForm(payload.model_dump()))
    standard = standards.create_standard(actor=user, name=data["name"], ip=client_ip(request))
    return Status(201, _standard_detail(user, standard.pk))


@router.patch(
    "/standards/{standard_id}", response={200: PlanningStandardDetailOut, **error_responses(400, 404, 422)}
)
def update_standard(request, standard_id: int, payload: PlanningStandardIn):
    """Rename a draft standard."""
    user = request.auth
    standard = _own_standard(user, standard_id)
    data = validated(standard_forms.StandardForm(payload.model_dump()))
    standards.rename_standard(standard=standard, actor=user, name=data["name"], ip=client_ip(request))
    return _standard_detail(user, standard.pk)


def _tier_values(tier) -> dict:
    rule = tier.rule or {}
    values = {k: getattr(tier, k) for k in ("order", "code", "name", "description")}
    values.update(
        {k: rule.get(k, []) for k in ("size_class", "industry_division", "region", "level_in", "tags")}
    )
    values.update({k: rule.get(k) for k in ("above_scale", "level_min", "level_max")})
    return values


def _tier_form_data(values: dict) -> dict:
    """JSON values as the page's tier form receives them (its choices are strings)."""
    above = values.get("above_scale")

    def level(v):
        return "" if v is None else str(v)

    return {
        **values,
        "above_scale": "" if above is None else str(int(above)),
        "level_min": level(values.get("level_min")),
        "level_max": level(values.get("level_max")),
        "level_in": [str(n) for n in values.get("level_in") or []],
    }


def _save_tier(request, standard, values, tier=None):
    form = standard_forms.TierForm(_tier_form_data(values), standard=standard, tier=tier)
    validated(form)
    standards.save_tier(
        standard=standard, actor=request.auth, data=form.tier_data(), tier=tier, ip=client_ip(request)
    )
    return _standard_detail(request.auth, standard.pk)


@router.post(
    "/standards/{standard_id}/tiers",
    response={201: PlanningStandardDetailOut, **error_responses(400, 404, 422)},
)
def create_tier(request, standard_id: int, payload: PlanningTierIn):
    """Add a tier to a draft standard of the caller's authority."""
    standard = _own_standard(request.auth, standard_id)
    return Status(201, _save_tier(request, standard, payload.model_dump()))


@router.patch("/tiers/{tier_id}", response={200: PlanningStandardDetailOut, **error_responses(400, 404, 422)})
def update_tier(request, tier_id: int, payload: PlanningTierPatch):
    tier = Tier.objects.filter(pk=tier_id).first()
    if tier is None:
        raise Http404
    standard = _own_standard(request.auth, tier.standard_id)
    values = {**_tier_values(tier), **payload.model_dump(exclude_unset=True)}
    return _save_tier(request, standard, values, tier)


@router.get("/standards/{standard_id}/preview", response={200: PlanningPreviewOut, **error_responses(404)})
def preview_standard(request, standard_id: int):
    """How many of the region's enterprises each tier would classify if the standard were applied now."""
    standard = _own_standard(request.auth, standard_id)
    tiers, counts = _tier_rows(standard)
    return {
        "standard_id": standard.pk,
        "tiers": [
            {"tier_id": t.pk, "code": t.code, "name": t.name, "enterprises": counts.get(t.pk, 0)}
            for t in tiers
        ],
        "unmatched": counts.get(None, 0),
    }


def _application_out(application) -> dict:
    return {
        "id": application.pk,
        "standard_id": application.standard_id,
        "applied_at": application.applied_at,
        "status": application.status,
        "counts": application.counts,
    }


@router.post(
    "/standards/{standard_id}/apply", response={201: PlanningApplicationOut, **error_responses(400, 404)}
)
def apply_standard(request, standard_id: int):
    """Classify the region's enterprises in the task worker; the application is kept as history.

    The answer is the new application, `queued` or `running` until the worker is done; its status and
    counts are then in `GET /standards/{standard_id}` under `applications`. One application of a
    region runs at a time: another is refused (400) until it is done.
    """
    standard = _own_standard(request.auth, standard_id)
    application = tasks.run_application(standard=standard, actor=request.auth, ip=client_ip(request))
    return Status(201, _application_out(application))


# --- district implementation plans ---------------------------------------------------------------


class PlanningTargetIn(Schema):
    division: str = Field("", description="GB/T 4754 division; empty: all industries")
    metric: str = Field(
        description="enterprises_transformed, enterprises_at_level or share_above_scale_at_level"
    )
    level: int | None = Field(None, description="Required for the level measures")
    value: Decimal
    due_date: date


class PlanningTargetOut(PlanningTargetIn):
    industry: str = Field(description="Name of the division")
    current: Decimal = Field(description="A count, or a share in %")
    hits: int
    base: int | None = Field(description="The denominator of a share")
    percent: int = Field(description="How far towards the target, 0–100")
    reached: bool
    at_start: Decimal = Field(description="The same figure when the plan started")
    projected: Decimal | None = Field(description="The figure at the due date at the pace since the start")
    at_risk: bool = Field(description="Not reached, and the pace since the start will not reach it in time")


class PlanningPlanOut(Schema):
    id: int
    title: str
    summary: str
    status: str = Field(description="draft or published")
    region_id: int
    region: str
    authority_id: int
    period_start: date
    period_end: date
    published_at: datetime | None
    has_document: bool = Field(description="Download it on the plan page")


class PlanningPlanDetailOut(PlanningPlanOut):
    targets: list[PlanningTargetOut]


class PlanningPlanIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str
    summary: str = ""
    period_start: date
    period_end: date
    targets: list[PlanningTargetIn] = []


class PlanningPlanPatch(Schema):
    """Only the fields sent are changed; targets sent replace the plan's."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    summary: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    targets: list[PlanningTargetIn] | None = None


def _plan_out(plan) -> dict:
    data = {name: getattr(plan, name) for name in PlanningPlanOut.model_fields if hasattr(plan, name)}
    data.update({"region": plan.region.name, "has_document": bool(plan.document)})
    return data


def _plan_detail(user, plan_id) -> dict:
    plan = get_visible(Plan.objects.select_related("region"), user, pk=plan_id)
    targets = [
        {
            **{k: getattr(p.target, k) for k in plan_forms.TargetForm.base_fields},
            "industry": industry_name(p.target.division),
            "current": p.current,
            "hits": p.hits,
            "base": p.base,
            "percent": p.percent,
            "reached": p.reached,
            "at_start": p.at_start,
            "projected": p.projected,
            "at_risk": p.at_risk,
        }
        for p in metrics.plan_progress(plan)
    ]
    return {**_plan_out(plan), "targets": targets}


@router.get("/plans", response={200: list[PlanningPlanOut], **error_responses(403)})
def list_implementation_plans(request):
    user = request.auth
    require_right(user, PLAN_VIEW)
    return [_plan_out(p) for p in Plan.objects.visible_to(user).select_related("region")]


@router.get("/plans/{plan_id}", response={200: PlanningPlanDetailOut, **error_responses(404)})
def get_implementation_plan(request, plan_id: int):
    """A plan with the progress of each target, computed from the case files."""
    return _plan_detail(request.auth, plan_id)


def _plan_input(main: dict, targets: list[dict]) -> tuple[dict, list[dict]]:
    data = validated(plan_forms.PlanForm(main))
    rows = []
    for index, target in enumerate(targets):
        form = plan_forms.TargetForm(
            {**target, "level": "" if target.get("level") is None else target["level"]}
        )
        if not form.is_valid():
            raise InputError({f"targets.{index}.{k}": [str(m) for m in v] for k, v in form.errors.items()})
        rows.append(form.cleaned_data)
    return data, rows


def _save_plan(request, main, targets, plan=None):
    data, rows = _plan_input(main, targets)
    saved = plans.save_plan(actor=request.auth, data=data, targets=rows, plan=plan, ip=client_ip(request))
    return _plan_detail(request.auth, saved.pk)


@router.post("/plans", response={201: PlanningPlanDetailOut, **error_responses(400, 403, 422)})
def create_implementation_plan(request, payload: PlanningPlanIn):
    """A district drafts its implementation plan with targets; upload the plan document on the page."""
    require_right(request.auth, PLAN)
    targets = [t.model_dump() for t in payload.targets]
    return Status(201, _save_plan(request, payload.model_dump(exclude={"targets"}), targets))


def _own_plan(user, plan_id) -> Plan:
    plan = get_visible(Plan, user, pk=plan_id, right=PLAN)
    if plan.authority_id != user.organisation.pk:
        raise Http404
    return plan


@router.patch(
    "/plans/{plan_id}", response={200: PlanningPlanDetailOut, **error_responses(400, 403, 404, 422)}
)
def update_implementation_plan(request, plan_id: int, payload: PlanningPlanPatch):
    """Change a draft plan; a published plan is kept as it was."""
    plan = _own_plan(request.auth, plan_id)
    main = {f: getattr(plan, f) for f in plans.PLAN_FIELDS}
    main.update(payload.model_dump(exclude={"targets"}, exclude_unset=True, exclude_none=True))
    if payload.targets is None:
        targets = list(plan.targets.values(*plans.TARGET_FIELDS))
    else:
        targets = [t.model_dump() for t in payload.targets]
    return _save_plan(request, main, targets, plan)


@router.post(
    "/plans/{plan_id}/publish", response={200: PlanningPlanDetailOut, **error_responses(400, 403, 404)}
)
def publish_implementation_plan(request, plan_id: int):
    plan = _own_plan(request.auth, plan_id)
    plans.publish_plan(plan=plan, actor=request.auth, ip=client_ip(request))
    return _plan_detail(request.auth, plan.pk)


# --- planning support requests -------------------------------------------------------------------


class PlanningRequestOut(Schema):
    id: int
    enterprise_id: int
    enterprise: str
    route: str = Field(description="district or provider")
    provider_id: int | None
    need: str
    status: str = Field(description="requested, answered or closed")
    requested_at: datetime
    answer: str
    answered_at: datetime | None
    has_document: bool = Field(description="The answer came with a plan document (download it on the page)")
    closed_at: datetime | None


class PlanningRequestPage(Schema):
    count: int
    page: int
    pages: int
    results: list[PlanningRequestOut]


class PlanningRequestIn(Schema):
    model_config = ConfigDict(extra="forbid")

    route: str = Field(description="district: ask the district; provider: record the provider engaged")
    provider: int | None = Field(None, description="The provider organisation, for the provider route")
    need: str


class PlanningAnswerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    answer: str


def _request_out(r) -> dict:
    data = {name: getattr(r, name) for name in PlanningRequestOut.model_fields if hasattr(r, name)}
    data.update({"enterprise": r.enterprise.name, "has_document": bool(r.document)})
    return data


def _planning_request(user, request_id) -> PlanningRequest:
    return get_visible(PlanningRequest.objects.select_related("enterprise", "provider"), user, pk=request_id)


@router.get("/requests", response={200: PlanningRequestPage, **error_responses(403)})
def list_planning_requests(
    request,
    status: str = Query("", description="requested, answered or closed"),
    page: int = Query(1, ge=1),
    page_size: int = Query(20, ge=1, le=MAX_PAGE_SIZE),
):
    """Requests of the caller's enterprise, of its area for authorities, or to the provider itself."""
    user = request.auth
    require_right(user, REQUEST_LIST)
    qs = PlanningRequest.objects.visible_to(user).select_related("enterprise")
    if status in PlanningRequest.Status.values:
        qs = qs.filter(status=status)
    return _page(qs, page, page_size, _request_out)


@router.get("/requests/{request_id}", response={200: PlanningRequestOut, **error_responses(404)})
def get_planning_request(request, request_id: int):
    return _request_out(_planning_request(request.auth, request_id))


@router.post("/requests", response={201: PlanningRequestOut, **error_responses(400, 403, 404, 422)})
def create_planning_request(request, payload: PlanningRequestIn):
    """The enterprise asks its district for planning help, or records the provider it engaged."""
    user = request.auth
    require_right(user, REQUEST_CREATE)
    enterprise = Enterprise.objects.visible_to(user).first()
    if enterprise is None:
        raise Http404
    data = validated(
        support_forms.RequestForm({k: v for k, v in payload.model_dump().items() if v is not None})
    )
    created = support.request_planning(
        enterprise=enterprise, actor=user, need=data["need"], provider=data["provider"], ip=client_ip(request)
    )
    return Status(201, _request_out(_planning_request(user, created.pk)))


@router.post(
    "/requests/{request_id}/answer", response={200: PlanningRequestOut, **error_responses(400, 403, 404, 422)}
)
def answer_planning_request(request, request_id: int, payload: PlanningAnswerIn):
    """The district (or the engaged provider) answers; attach a plan document on the page."""
    user = request.auth
    planning_request = _planning_request(user, request_id)
    if not support.can_answer(user, planning_request):
        raise PermissionDenied
    data = validated(support_forms.AnswerForm(payload.model_dump()))
    support.answer_request(request=planning_request, actor=user, answer=data["answer"], ip=client_ip(request))
    return _request_out(_planning_request(user, request_id))


@router.post(
    "/requests/{request_id}/close", response={200: PlanningRequestOut, **error_responses(400, 403, 404)}
)
def close_planning_request(request, request_id: int):
    """The enterprise closes its request (withdrawn, or done after the answer)."""
    user = request.auth
    planning_request = _planning_request(user, request_id)
    if not user.has_right(REQUEST_CREATE):
        raise PermissionDenied
    support.close_request(request=planning_request, actor=user, ip=client_ip(request))
    return _request_out(_planning_request(user, request_id))
