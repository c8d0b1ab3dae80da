from django.conf import settings

from smedx.core import frame
from smedx.core.models import Notification


def platform(request):
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = Notification.objects.visible_to(user).unread().count()
    return {"PLATFORM_NAME": settings.PLATFORM_NAME, "unread_notifications": unread, "nav": navigation(user)}


def navigation(user) -> list:
    """The top navigation: every app's entries this user may see, in journey order (stable by stage)."""
    if user is None:
        return []
    entries = sorted(frame.collect("nav"), key=lambda entry: (entry.stage, entry.order))
    return [entry for entry in entries if entry.shown_to(user)]
