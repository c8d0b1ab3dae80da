"""The body of a button that runs one service: call it, tell the user how it went."""

from django.contrib import messages

from smedx.core.audit import client_ip
from smedx.core.errors import DomainError


def run_service(request, call, /, *, done, **objects):
    """Call `call(actor=…, ip=…, **objects)`; message `done` or the refusal. Returns the result or None.

    `request` and `call` are positional-only, so a service taking `request=` (a diagnosis request, say)
    gets it through `objects`. With `done=None` nothing is said on success (the next page shows it).
    """
    return _run(request, call, done, lambda exc: messages.error(request, str(exc)), objects)


def run_form_service(request, form, call, /, *, done, field=None, warnings=(), **objects):
    """`run_service` for a page that shows its form again on a refusal, keeping what was typed.

    The refusal becomes an error of `form` (on `field`, or on the whole form) instead of a message;
    on success `warnings` (things the form noticed but allowed) are shown before `done`.
    Returns the result, or None when refused.
    """
    return _run(request, call, done, lambda exc: form.add_error(field, str(exc)), objects, warnings)


def _run(request, call, done, refused, objects, warnings=()):
    try:
        result = call(actor=request.user, ip=client_ip(request), **objects)
    except DomainError as exc:
        refused(exc)
        return None
    for warning in warnings:
        messages.warning(request, warning)
    messages.success(request, done)  # Django drops an empty message: done=None says nothing
    return result


def form_errors(request, form):
    """Show every error of an invalid form as a message (for buttons that post a small form)."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
