"""The REST API under /api/v1/. Every endpoint needs a session or a token; the docs are public."""

import functools
import json

from django.http import HttpResponseNotAllowed
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.renderers import JSONRenderer

from smedx.accounts.rights import role_of
from smedx.api import errors
from smedx.api.auth import session_auth, token_auth
from smedx.api.enterprises import router as enterprises_router
from smedx.api.schemas import ErrorOut, MeOut


class Renderer(JSONRenderer):
    # Chinese names stay readable in the JSON instead of \u escapes.
    json_dumps_params = {"ensure_ascii": False}


def _json_not_allowed(view):
    """Ninja answers a wrong method with a plain-text 405; make it JSON like every other error."""

    @functools.wraps(view)  # keeps ninja's csrf_exempt flag
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            detail = _("The method %(method)s is not allowed here.") % {"method": request.method}
            response.content = json.dumps({"detail": detail}, ensure_ascii=False)
            response["Content-Type"] = "application/json; charset=utf-8"
        return response

    return wrapper


# Any operation that takes input may refuse it: the middleware (400) or the schema (422).
INPUT_ERRORS = {
    "400": "The request was refused, e.g. for a NUL byte or a lone surrogate in it",
    "422": "The input is not valid",
}


class Api(NinjaAPI):
    @property
    def urls(self):
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            pattern.callback = _json_not_allowed(pattern.callback)
        return patterns, app_name, namespace

    def get_openapi_schema(self, *args, **kwargs):
        """Document the input errors on every operation that takes input, so no answer is undocumented."""
        schema = super().get_openapi_schema(*args, **kwargs)
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                if operation.get("parameters") or operation.get("requestBody"):
                    for status, description in INPUT_ERRORS.items():
                        operation["responses"].setdefault(
                            status, {"description": description, "content": error}
                        )
        return schema


api = Api(
    title="smedx API",
    version="1.0.0",
    urls_namespace="api-1.0.0",
    description="Enterprise case files of the SME digital transformation platform. "
    "Authenticate with the browser session or a personal access token from your profile page, "
    "sent as `Authorization: Bearer smx_…`.",
    auth=[token_auth, session_auth],
    renderer=Renderer(),
    # No online validator badge: the docs page must not call any outside host.
    docs=Swagger(settings={"validatorUrl": None}),
)
errors.register(api)
api.add_router("/enterprises", enterprises_router)
api.add_router("", "smedx.api.assessments.router")  # instruments, assessments, verifications
api.add_router("", "smedx.api.providers.router")  # solution catalogue and listed providers (public)
api.add_router("/planning", "smedx.api.planning.router")  # library, standards, plans, requests (stage 2)
api.add_router("", "smedx.api.proposals.router")  # needs, matches, proposals, selection
api.add_router("", "smedx.api.projects.router")  # projects, milestones, invoices


@api.get("/me", response={200: MeOut, 401: ErrorOut}, tags=["accounts"])
def me(request):
    """Who is calling: organisation, role and rights."""
    user = request.auth
    membership = user.membership
    return {
        "username": user.username,
        "name": str(user),
        "organisation": membership.organisation if membership else None,
        "role": role_of(user),
        "membership_role": membership.role if membership else "",
        "rights": sorted(user.rights),
    }
