from django.conf import settings

from smedx.core.models import Notification


def platform(request):
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = Notification.objects.visible_to(user).unread().count()
    return {"PLATFORM_NAME": settings.PLATFORM_NAME, "unread_notifications": unread}
