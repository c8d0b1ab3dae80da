"""The one access helper: load an object through its `visible_to(user)` queryset or answer 404."""

from django.core.exceptions import PermissionDenied
from django.http import Http404


def get_visible(model_or_qs, user, *, right: str | None = None, **lookup):
    qs = model_or_qs.objects.all() if hasattr(model_or_qs, "objects") else model_or_qs
    try:
        obj = qs.visible_to(user).get(**lookup)
    except qs.model.DoesNotExist as exc:
        # Outsiders must not learn that the object exists.
        raise Http404 from exc
    if right is not None and not user.has_right(right):
        raise PermissionDenied
    return obj


def require_right(user, right: str):
    if not user.is_authenticated or not user.has_right(right):
        raise PermissionDenied
