"""What accounts contributes to the shared frame: rights, sign-up to-dos, shortcuts, navigation."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from smedx.accounts import auditlog
from smedx.accounts.models import Organisation
from smedx.core.frame import Hooks, NavEntry, Shortcut
from smedx.core.todos import Todo


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


def awaiting_approval(user):
    org = user.organisation if user.is_authenticated else None
    if org is None or org.status != Organisation.Status.PENDING:
        return []
    return [Todo(_("Your registration is awaiting approval"), reverse("workbench:home"))]


HOOKS = Hooks(
    audit_sentences=auditlog.SENTENCES,
    audit_fields=auditlog.FIELDS,
    rights={
        "committee": {"accounts.expert:act"},
        "platform": {"accounts.organisation:approve", "accounts.organisation:list"},
        "admin": {"accounts.membership:invite", "accounts.membership:manage"},
    },
    todos=(pending_organisations, awaiting_approval),
    shortcuts=(
        Shortcut(
            _("Provider sign-ups"),
            _("Review pending providers"),
            "bi-hourglass-split",
            "accounts:organisation_list",
            right="accounts.organisation:list",
            query="?kind=provider&status=pending",
        ),
        Shortcut(
            _("Organisations"),
            _("All organisations on the platform"),
            "bi-diagram-3",
            "accounts:organisation_list",
            right="accounts.organisation:list",
        ),
        Shortcut(
            _("My account"), _("Your details and password"), "bi-person-circle", "accounts:profile", order=90
        ),
        Shortcut(
            _("Invite colleagues"),
            _("Add people to your organisation"),
            "bi-person-plus",
            "accounts:invite",
            right="accounts.membership:invite",
            order=90,
        ),
        Shortcut(
            _("API tokens"),
            _("Connect other systems"),
            "bi-key",
            "accounts:profile",
            query="#tokens",
            order=90,
        ),
    ),
    nav=(
        NavEntry(
            _("Organisations"), "accounts:organisation_list", stage=9, rights=("accounts.organisation:list",)
        ),
    ),
)
