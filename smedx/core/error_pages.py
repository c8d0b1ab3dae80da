"""Django's error handlers (config/urls.py): JSON `{"detail": ...}` under /api/, Django's pages elsewhere.

The API's own errors are answered by its exception handlers; these catch what happens outside them:
unknown paths, bodies refused before a view runs, and unexpected exceptions (logged by Django's
`django.request` logger with the traceback, which never reaches the caller).
"""

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

API_PREFIX = "/api/"


def is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def json_error(detail: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": str(detail)}, status=status, json_dumps_params={"ensure_ascii": False})


def bad_request(request, exception):
    if not is_api(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return json_error(_("The request body is too large."), 413)
    return json_error(_("The request could not be understood."), 400)


def permission_denied(request, exception):
    if not is_api(request):
        return defaults.permission_denied(request, exception)
    return json_error(_("You may not do this."), 403)


def page_not_found(request, exception):
    if not is_api(request):
        return defaults.page_not_found(request, exception)
    return json_error(_("Not found."), 404)


def server_error(request):
    if not is_api(request):
        return defaults.server_error(request)
    return json_error(
        _("Something went wrong on our side. The error was logged; please try again later."), 500
    )
