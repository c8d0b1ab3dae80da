from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from smedx.core.todos import Todo, register
from smedx.enterprises.models import Enterprise


@register
def pending_signups(user):
    if not user.has_right("enterprises.enterprise:approve"):
        return []
    count = Enterprise.objects.visible_to(user).awaiting_review().count()
    return [
        Todo(
            _("Enterprise sign-ups awaiting approval"), reverse("enterprises:list") + "?status=review", count
        )
    ]
