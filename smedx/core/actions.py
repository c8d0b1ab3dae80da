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


def form_errors(request, form):
    """Show every error of an invalid form as a message (for buttons that post a small form)."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
