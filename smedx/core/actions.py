"""The body of a button that runs one service: call it, tell the user how it went."""

from django.contrib import messages

from smedx.core.audit import client_ip
from smedx.core.errors import DomainError


def _run(request, call, objects, refused, done):
    try:
        result = call(actor=request.user, ip=client_ip(request), **objects)
    except DomainError as exc:
        refused(str(exc))
        return None
    if done:
        messages.success(request, done)
    return result


def run_service(request, call, *, done, **objects):
    """Call `call(actor=…, ip=…, **objects)`; message `done` or the refusal. Returns the result or None.

    `done=None` sends no message, for a view whose message depends on the result.
    """
    return _run(request, call, objects, lambda error: messages.error(request, error), done)


def run_form_service(request, form, call, *, done, **objects):
    """Like `run_service`, but a refusal becomes the form's error, so the page shows again with what was typed."""
    return _run(request, call, objects, lambda error: form.add_error(None, error), done)


def form_errors(request, form):
    """Show every error of an invalid form as a message (for buttons that post a small form)."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
