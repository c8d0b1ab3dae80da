"""Enterprise case files over HTTP: the same forms, access helper and services as the pages."""

from django.core.paginator import EmptyPage, Paginator
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from smedx.accounts.models import Organisation, Region
from smedx.api.errors import InputError
from smedx.api.schemas import (
    EnterpriseFilters,
    EnterpriseIn,
    EnterpriseOut,
    EnterprisePage,
    EnterprisePatch,
    EnterpriseSaved,
    ErrorOut,
)
from smedx.core.access import get_visible, require_right
from smedx.core.audit import client_ip
from smedx.core.formatting import mask_phone
from smedx.enterprises.forms.casefile import (
    EnterpriseFilterForm,
    EnterpriseForm,
    EnterpriseSelfForm,
)
from smedx.enterprises.models import Enterprise
from smedx.enterprises.services import casefile as services

router = Router(tags=["enterprises"])

LIST, CREATE, CHANGE = (
    "enterprises.enterprise:list",
    "enterprises.enterprise:create",
    "enterprises.enterprise:change",
)


def error_responses(*codes):
    return dict.fromkeys((401, *codes), ErrorOut)


def _enterprises():
    return Enterprise.objects.select_related("region").prefetch_related("tags")


def _out(enterprise, *, full_phone: bool, warnings=None) -> dict:
    data = {name: getattr(enterprise, name) for name in EnterpriseOut.model_fields}
    data["tags"] = list(enterprise.tags.all())
    if not full_phone:
        data["contact_phone"] = mask_phone(enterprise.contact_phone)
    if warnings is not None:
        data["warnings"] = [str(warning) for warning in warnings]
    return data


def _region_value(value):
    """A district may be given by its id or by its 6-digit division code."""
    text = str(value).strip()
    if len(text) == 6 and text.isdigit():
        region = Region.objects.filter(code=text).first()
        return region.pk if region else text
    return value


def _filter_data(filters: EnterpriseFilters) -> dict:
    data = filters.model_dump(exclude={"page", "page_size"}, exclude_none=True)
    if "above_scale" in data:
        data["above_scale"] = "1" if data["above_scale"] else "0"
    if data.get("region"):
        data["region"] = _region_value(data["region"])
    return data


@router.get("", response={200: EnterprisePage, **error_responses(403, 422)})
def list_enterprises(request, filters: Query[EnterpriseFilters]):
    """Enterprises visible to the caller, filtered like the list page."""
    user = request.auth
    require_right(user, LIST)
    form = EnterpriseFilterForm(_filter_data(filters), user=user)
    if not form.is_valid():
        raise InputError.from_form(form)
    paginator = Paginator(form.apply(_enterprises().visible_to(user)), filters.page_size)
    try:
        rows = paginator.page(filters.page).object_list
    except EmptyPage:
        rows = []
    return {
        "count": paginator.count,
        "page": filters.page,
        "pages": paginator.num_pages,
        "results": [_out(enterprise, full_phone=False) for enterprise in rows],
    }


@router.get("/{int:enterprise_id}", response={200: EnterpriseOut, **error_responses(404)})
def get_enterprise(request, enterprise_id: int):
    """One case file; 404 when the caller may not know it exists."""
    user = request.auth
    enterprise = get_visible(_enterprises(), user, pk=enterprise_id)
    return _out(enterprise, full_phone=user.has_right(CHANGE))


@router.post("", response={201: EnterpriseSaved, **error_responses(400, 403, 422)})
def create_enterprise(request, payload: EnterpriseIn):
    """File a new case file (officers)."""
    user = request.auth
    require_right(user, CREATE)
    data = payload.model_dump()
    data["region"] = _region_value(data["region"])
    form = EnterpriseForm(data)
    if not form.is_valid():
        raise InputError.from_form(form)
    enterprise = services.create_enterprise(
        actor=user, data=form.facts(), tags=form.cleaned_data["tags"], ip=client_ip(request)
    )
    enterprise = _enterprises().get(pk=enterprise.pk)
    return Status(201, _out(enterprise, full_phone=user.has_right(CHANGE), warnings=form.warnings))


@router.patch(
    "/{int:enterprise_id}", response={200: EnterpriseSaved, **error_responses(400, 403, 404, 409, 422)}
)
def update_enterprise(request, enterprise_id: int, payload: EnterprisePatch):
    """Change some facts; `version` must be the one the change is based on, else 409."""
    user = request.auth
    enterprise = get_visible(_enterprises(), user, pk=enterprise_id, right=CHANGE)
    own = user.organisation.kind == Organisation.Kind.ENTERPRISE
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    form_class = EnterpriseSelfForm if own else EnterpriseForm
    # The enterprise's own form has no district, credit code or tags: refuse them rather than drop them.
    if not_on_form := sorted(set(changes) - set(form_class.base_fields)):
        raise InputError({name: [_("You may not change this field.")] for name in not_on_form})
    form = form_class(_bound_data(enterprise, form_class, changes), instance=enterprise)
    if not form.is_valid():
        raise InputError.from_form(form)
    # Only what was sent goes to the service, so a field nobody touched is never written back.
    facts = {key: form.cleaned_data[key] for key in changes if key != "tags"}
    services.update_enterprise(
        enterprise=enterprise,
        actor=user,
        data=facts,
        version=version,
        tags=form.cleaned_data["tags"] if "tags" in changes else None,
        ip=client_ip(request),
    )
    enterprise = _enterprises().get(pk=enterprise.pk)
    return _out(enterprise, full_phone=user.has_right(CHANGE), warnings=form.warnings)


def _bound_data(enterprise, form_class, changes: dict) -> dict:
    """The form sees the whole case file as it is, with the sent fields changed."""
    fields = [name for name in form_class.Meta.fields if name != "tags"]
    data = model_to_dict(enterprise, fields=fields)
    if "tags" in form_class.Meta.fields:
        data["tags"] = [tag.pk for tag in enterprise.tags.all()]
    data.update(changes)
    if "region" in changes:
        data["region"] = _region_value(changes["region"])
    return data
