"""The body of a button that runs one service: call it, tell the user how it went."""

from django.contrib import messages

from smedx.core.audit import client_ip
from smedx.core.errors import DomainError


def run_service(request, call, /, *, done, **objects):
    """Call `call(actor=…, ip=…, **objects)`; message `done` or the refusal. Returns the result or None.

    `request` and `call` are positional-only, so a service taking `request=` (a diagnosis or planning
    request) gets it through `objects`. `done` may be a function of the result giving the message
    (a count of what was done, say); `done=None` says nothing, for a view whose message depends on
    the result.
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
    message = done(result) if callable(done) else done
    if message:
        messages.success(request, message)
    return result


def form_errors(request, form):
    """Show every error of an invalid form as a message (for buttons that post a small form)."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
