"""What enterprises contributes to the shared frame: rights, to-dos, the region panel, shortcuts, navigation."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from smedx.accounts.models import Organisation
from smedx.core.frame import Hooks, NavEntry, Shortcut
from smedx.core.todos import Panel, Todo
from smedx.enterprises import auditlog, exports
from smedx.enterprises.metrics import region_summary
from smedx.enterprises.models import Enterprise


def pending_signups(user):
    if not user.has_right("enterprises.enterprise:approve"):
        return []
    count = Enterprise.objects.visible_to(user).awaiting_review().count()
    return [
        Todo(
            _("Enterprise sign-ups awaiting approval"), reverse("enterprises:list") + "?status=pending", count
        )
    ]


def region_panel(user):
    org = user.organisation if user.is_authenticated else None
    if (
        org is None
        or org.kind != Organisation.Kind.AUTHORITY
        or not user.has_right("enterprises.enterprise:list")
    ):
        return None
    return Panel("enterprises/_region_summary.html", {"summary": region_summary(user), "region": org.region})


def own_case_file(user):
    enterprise = getattr(user.organisation, "enterprise", None)
    return reverse("enterprises:detail", args=[enterprise.pk]) if enterprise else None


def own_name(user):
    return user.organisation.enterprise.name


def own_profile(user):
    enterprise = getattr(user.organisation, "enterprise", None)
    return reverse("enterprises:edit", args=[enterprise.pk]) if enterprise else None


OFFICER = {
    "enterprises.enterprise:view",
    "enterprises.enterprise:create",
    "enterprises.enterprise:change",
    "enterprises.enterprise:import",
    "enterprises.enterprise:export",
    "enterprises.enterprise:list",
}

HOOKS = Hooks(
    audit_sentences=auditlog.SENTENCES,
    audit_fields=auditlog.FIELDS,
    extensions={
        "core.audit_enterprise_search": [auditlog.search],
        "core.audit_enterprise_links": [auditlog.links],
    },
    rights={
        "authority": OFFICER,
        # Sign-ups are approved by the enterprise's district only, as the seed gives it; the city follows.
        "district": {"enterprises.enterprise:approve"},
        "enterprise": {"enterprises.enterprise:view", "enterprises.enterprise:change"},
    },
    todos=(pending_signups,),
    panels=(region_panel,),
    exports=(exports.KIND,),
    shortcuts=(
        Shortcut(_("Our case file"), own_name, "bi-folder2-open", own_case_file),
        Shortcut(
            _("Edit enterprise profile"),
            _("Size, industry, contact"),
            "bi-pencil-square",
            own_profile,
            right="enterprises.enterprise:change",
        ),
        Shortcut(
            _("Enterprises"),
            _("Search and filter case files"),
            "bi-buildings",
            "enterprises:list",
            right="enterprises.enterprise:list",
        ),
        Shortcut(
            _("Pending sign-ups"),
            _("Enterprises awaiting approval"),
            "bi-hourglass-split",
            "enterprises:list",
            right="enterprises.enterprise:approve",
            query="?status=pending",
        ),
        Shortcut(
            _("New enterprise"),
            _("File a case file"),
            "bi-plus-square",
            "enterprises:create",
            right="enterprises.enterprise:create",
        ),
        Shortcut(
            _("Import"),
            _("Upload an Excel file"),
            "bi-upload",
            "enterprises:import",
            right="enterprises.enterprise:import",
        ),
        Shortcut(
            _("My exports"),
            _("Excel files of your lists"),
            "bi-download",
            "core:export_list",
            right="enterprises.enterprise:export",
        ),
    ),
    nav=(NavEntry(_("Enterprises"), "enterprises:list", stage=0, rights=("enterprises.enterprise:list",)),),
)
