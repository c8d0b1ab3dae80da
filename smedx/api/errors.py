"""Every error the API answers is JSON: `{"detail": "..."}`, plus `"errors": {field: [messages]}` for input."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, ValidationError

from smedx.api.auth import TokenRejected
from smedx.core.errors import ConflictError, DomainError

NON_FIELD = "__all__"


class InputError(Exception):
    """The input was refused by a form; `errors` maps field names to messages, as Django forms do."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__(errors)

    @classmethod
    def from_form(cls, form):
        return cls({field: [str(m) for m in messages] for field, messages in form.errors.items()})


def validated(form) -> dict:
    """The cleaned data of a page's form bound to the JSON payload, or a 422 naming each field."""
    if not form.is_valid():
        raise InputError.from_form(form)
    return form.cleaned_data


def validated_rows(form_class, rows, name="") -> list[dict]:
    """Each row through the page's row form; errors are named `items.0.quantity` (or `0.quantity`)."""
    out = []
    for index, row in enumerate(rows):
        form = form_class(row)
        if not form.is_valid():
            prefix = f"{name}.{index}" if name else str(index)
            raise InputError({f"{prefix}.{k}": [str(m) for m in v] for k, v in form.errors.items()})
        out.append(form.cleaned_data)
    return out


def _field_of(loc) -> str:
    """`("body", "payload", "credit_code")` → `credit_code`; `("query", "page_size")` → `page_size`."""
    parts = [part for part in loc[1:] if isinstance(part, str)]
    if loc and loc[0] == "body":
        parts = parts[1:]  # the name of the body parameter itself
    return parts[-1] if parts else NON_FIELD


def register(api):
    def respond(request, status, detail, errors=None):
        body = {"detail": detail} if errors is None else {"detail": detail, "errors": errors}
        return api.create_response(request, body, status=status)

    @api.exception_handler(ValidationError)
    def schema_invalid(request, exc):
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            errors.setdefault(_field_of(error.get("loc", ())), []).append(error.get("msg", ""))
        return respond(request, 422, _("The input is not valid."), errors)

    @api.exception_handler(InputError)
    def form_invalid(request, exc):
        return respond(request, 422, _("The input is not valid."), exc.errors)

    @api.exception_handler(DomainError)
    def refused(request, exc):
        return respond(request, 400, str(exc), {NON_FIELD: [str(exc)]})

    @api.exception_handler(ConflictError)
    def conflict(request, exc):
        return respond(request, 409, str(exc), {NON_FIELD: [str(exc)]})

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return respond(request, 403, str(exc) or _("You may not do this."))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, 404, _("Not found."))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        detail = exc.message if isinstance(exc, TokenRejected) else _("Log in or send an API token.")
        response = respond(request, 401, detail)
        response["WWW-Authenticate"] = 'Bearer realm="smedx"'
        return response
