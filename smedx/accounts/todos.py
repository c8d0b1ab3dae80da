from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from smedx.accounts.models import Organisation
from smedx.core.todos import Todo, register


@register
def pending_organisations(user):
    if not user.has_right("accounts.organisation:approve"):
        return []
    count = Organisation.objects.filter(
        kind=Organisation.Kind.PROVIDER, status=Organisation.Status.PENDING
    ).count()
    return [
        Todo(
            _("Provider sign-ups awaiting approval"),
            reverse("accounts:organisation_list") + "?status=pending",
            count,
        )
    ]


@register
def awaiting_approval(user):
    org = user.organisation if user.is_authenticated else None
    if org is None or org.status != Organisation.Status.PENDING:
        return []
    return [Todo(_("Your registration is awaiting approval"), reverse("core:home"))]
