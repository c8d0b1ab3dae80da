"""The provider pool and the solution catalogue over HTTP: public reads, the same filters as the pages."""

from datetime import date, datetime
from decimal import Decimal

from django.core.paginator import EmptyPage, Paginator
from ninja import Field, Query, Router, Schema

from smedx.api.errors import InputError
from smedx.api.schemas import MAX_PAGE_SIZE, ErrorOut
from smedx.core.access import get_visible
from smedx.providers.forms.catalogue import CatalogueFilterForm
from smedx.providers.models import ProviderProfile, Solution
from smedx.providers.reference import scene_name
from smedx.providers.search import apply_filters, catalogue_queryset

router = Router(tags=["providers"])


class SceneRaisedOut(Schema):
    scene: str
    name: str
    from_level: int
    to_level: int


class ProviderRefOut(Schema):
    id: int
    name: str
    rating: Decimal | None = Field(description="1.0–5.0 stars; empty until scorecards exist")


class SolutionOut(Schema):
    id: int
    name: str
    summary: str
    provider: ProviderRefOut
    scenes: list[SceneRaisedOut]
    industries: list[str] = Field(description="GB/T 4754 divisions; empty: every industry")
    deployment: str = Field(description="saas, on_premises or hybrid")
    price_min: Decimal = Field(description="Yuan")
    price_max: Decimal = Field(description="Yuan")
    price_unit: str = Field(description="per_year, per_set, per_user_year or per_project")
    delivery_days: int
    keywords: list[str]
    published_at: datetime | None


class SolutionDetailOut(SolutionOut):
    description: str
    reference_count: int


class SolutionPage(Schema):
    count: int
    page: int
    pages: int
    results: list[SolutionOut]


class SolutionFilters(Schema):
    """The filters of the catalogue page, as query parameters."""

    q: str = Field("", description="Text in the name, summary, keywords or provider name")
    scene: str = Field("", description="Scene code S01…S16")
    industry: str = Field("", description="GB/T 4754 two-digit division")
    deployment: str = Field("", description="saas, on_premises or hybrid")
    price_max: Decimal | None = Field(None, description="Lowest price at most this many yuan")
    district: str = Field("", description="District id or 6-digit division code served")
    sort: str = Field("", description="empty (best rated), price, delivery or newest")
    page: int = Field(1, ge=1)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


class CertificateOut(Schema):
    name: str
    issuer: str
    number: str
    valid_until: date | None


class ProviderOut(Schema):
    id: int
    name: str
    status: str = Field(description="listed or warned")
    rating: Decimal | None
    is_diagnosis_institution: bool
    introduction: str
    founded_year: int | None
    staff_count: int | None
    industries: list[str]
    scenes: list[str]
    regions: list[str] = Field(description="6-digit division codes served (500000: the whole city)")
    listed_at: datetime | None


class ProviderDetailOut(ProviderOut):
    certificates: list[CertificateOut]
    solutions: list[SolutionOut]


class ProviderPage(Schema):
    count: int
    page: int
    pages: int
    results: list[ProviderOut]


def _solution(s: Solution) -> dict:
    return {
        **{
            name: getattr(s, name)
            for name in (
                "id",
                "name",
                "summary",
                "deployment",
                "price_min",
                "price_max",
                "price_unit",
                "delivery_days",
                "published_at",
            )
        },
        "provider": {"id": s.provider_id, "name": s.provider.organisation.name, "rating": s.provider.rating},
        "scenes": [
            {
                "scene": r.scene,
                "name": scene_name(r.scene),
                "from_level": r.from_level,
                "to_level": r.to_level,
            }
            for r in s.scenes.all()
        ],
        "industries": s.industry_codes,
        "keywords": s.keyword_list,
    }


def _provider(p: ProviderProfile) -> dict:
    return {
        **{
            name: getattr(p, name)
            for name in ("id", "status", "rating", "introduction", "founded_year", "staff_count", "listed_at")
        },
        "name": p.organisation.name,
        "is_diagnosis_institution": p.organisation.is_diagnosis_institution,
        "industries": p.industry_codes,
        "scenes": p.scene_codes,
        "regions": [r.code for r in p.regions.all()],
    }


def _page(qs, page, size):
    paginator = Paginator(qs, size)
    try:
        rows = paginator.page(page).object_list
    except EmptyPage:
        rows = []
    return paginator, rows


def _filter_data(filters: SolutionFilters) -> dict:
    data = filters.model_dump(exclude={"page", "page_size"}, exclude_none=True)
    text = str(data.get("district") or "")
    if len(text) == 6 and text.isdigit():
        from smedx.accounts.models import Region

        region = Region.objects.filter(code=text).first()
        data["district"] = region.pk if region else text
    return data


@router.get("/solutions", auth=None, response={200: SolutionPage, 422: ErrorOut})
def list_solutions(request, filters: Query[SolutionFilters]):
    """Published solutions of listed providers, filtered like the catalogue page. No login needed."""
    form = CatalogueFilterForm(_filter_data(filters))
    if not form.is_valid():
        raise InputError.from_form(form)
    paginator, rows = _page(
        apply_filters(catalogue_queryset(), form.cleaned_data), filters.page, filters.page_size
    )
    return {
        "count": paginator.count,
        "page": filters.page,
        "pages": paginator.num_pages,
        "results": [_solution(s) for s in rows],
    }


@router.get("/solutions/{int:solution_id}", auth=None, response={200: SolutionDetailOut, 404: ErrorOut})
def get_solution(request, solution_id: int):
    """One published solution of a listed provider."""
    solution = get_visible(catalogue_queryset(), request.user, pk=solution_id)
    return {
        **_solution(solution),
        "description": solution.description,
        "reference_count": solution.references.count(),
    }


def _providers():
    return ProviderProfile.objects.public().select_related("organisation").prefetch_related("regions")


@router.get("/providers", auth=None, response={200: ProviderPage})
def list_providers(request, page: int = Query(1, ge=1), page_size: int = Query(20, ge=1, le=MAX_PAGE_SIZE)):
    """Providers listed in the pool (listed or warned), by name. No login needed."""
    paginator, rows = _page(_providers(), page, page_size)
    return {
        "count": paginator.count,
        "page": page,
        "pages": paginator.num_pages,
        "results": [_provider(p) for p in rows],
    }


@router.get("/providers/{int:provider_id}", auth=None, response={200: ProviderDetailOut, 404: ErrorOut})
def get_provider(request, provider_id: int):
    """One listed provider with its certificates and published solutions."""
    profile = get_visible(_providers(), request.user, pk=provider_id)
    solutions = catalogue_queryset().filter(provider=profile)
    return {
        **_provider(profile),
        "certificates": list(profile.certificates.all()),
        "solutions": [_solution(s) for s in solutions],
    }
