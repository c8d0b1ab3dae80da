"""The body of a button that runs one service: call it, tell the user how it went."""

from django.contrib import messages

from smedx.core.audit import client_ip
from smedx.core.errors import DomainError


def run_service(request, call, *, done, **objects):
    """Call `call(actor=…, ip=…, **objects)`; message `done` or the refusal. Returns the result or None."""
    try:
        result = call(actor=request.user, ip=client_ip(request), **objects)
    except DomainError as exc:
        messages.error(request, str(exc))
        return None
    messages.success(request, done)
    return result


def run_form_service(request, form, call, *, done, field=None, warnings=(), **objects):
    """`run_service` for a page that shows its form again on a refusal, keeping what was typed.

    The refusal becomes an error of `form` (on `field`, or on the whole form) instead of a message;
    on success `warnings` (things the form noticed but allowed) are shown before `done`.
    Returns the result, or None when refused.
    """
    try:
        result = call(actor=request.user, ip=client_ip(request), **objects)
    except DomainError as exc:
        form.add_error(field, str(exc))
        return None
    for warning in warnings:
        messages.warning(request, warning)
    messages.success(request, done)
    return result


def form_errors(request, form):
    """Show every error of an invalid form as a message (for buttons that post a small form)."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
