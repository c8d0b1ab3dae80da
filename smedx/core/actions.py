"""The body of a button that runs one service: call it, tell the user how it went."""

from django.contrib import messages

from smedx.core.audit import client_ip
from smedx.core.errors import DomainError


def run_service(request, call, /, *, done, **objects):
    """Call `call(actor=…, ip=…, **objects)`; message `done` or the refusal. Returns the result or None.

    `done` may be a function of the result giving the message (e.g. a count of what was done).
    `request` and `call` are positional only, so a service's own `request=` object passes through.
    """
    try:
        result = call(actor=request.user, ip=client_ip(request), **objects)
    except DomainError as exc:
        messages.error(request, str(exc))
        return None
    messages.success(request, done(result) if callable(done) else done)
    return result


def form_errors(request, form):
    """Show every error of an invalid form as a message (for buttons that post a small form)."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def run_form_service(request, form, call, /, *, done, **objects):
    """Like `run_service` for a page that re-renders its form: a refusal becomes the form's error,
    so what was typed stays on the page. Returns the result, or None when refused."""
    try:
        result = call(actor=request.user, ip=client_ip(request), **objects)
    except DomainError as exc:
        form.add_error(None, str(exc))
        return None
    messages.success(request, done)
    return result
