"""Refuse requests carrying characters no text column can hold: NUL bytes and lone surrogates.

PostgreSQL refuses NUL in text and no UTF-8 database can store a lone surrogate (`"\\ud800"` in
JSON), so either would turn a filter, a path parameter or a saved field into a server error. One
check here covers every input — path, query, cookies, form fields and JSON bodies —
so no view, form or endpoint has to remember it.
"""

import json
import re

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

from smedx.core.error_pages import is_api, json_error

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# In a Python string a valid surrogate pair is one character, so any surrogate left is a lone one.
BAD_TEXT = re.compile("[\x00\ud800-\udfff]")


class TooDeep(Exception):
    pass


def is_bad_text(text: str) -> bool:
    return BAD_TEXT.search(text) is not None


def has_bad_text(value) -> bool:
    """Any string in `value` or nested in its lists and dicts (keys included) is bad."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if is_bad_text(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return False


def _json_body(request):
    try:
        return json.loads(request.body)
    except ValueError:
        return None  # not JSON: the view refuses it, and nothing of it reaches the database
    except RecursionError as exc:
        raise TooDeep from exc


def _inputs(request):
    yield request.path_info
    yield list(request.GET.lists())
    yield request.COOKIES
    if request.content_type in FORM_TYPES:
        if request.method == "POST":  # file names need no check: Django drops unprintable characters
            yield list(request.POST.lists())
    elif request.method not in ("GET", "HEAD", "OPTIONS") and request.body:
        yield _json_body(request)


class RefuseBadCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if message := self.refusal(request):
            if is_api(request):
                return json_error(message, 400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def refusal(request) -> str | None:
        try:
            if not any(has_bad_text(value) for value in _inputs(request)):
                return None
        except TooDeep:
            return _("The request body is nested too deeply.")
        return _("The request contains a character that is not allowed (a NUL byte or a lone surrogate).")
