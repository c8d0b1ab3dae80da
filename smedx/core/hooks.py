"""What core contributes to the shared frame: the audit log's right, shortcut and navigation, the API link."""

from django.utils.translation import gettext_lazy as _

from smedx.core.frame import Hooks, NavEntry, Shortcut

HOOKS = Hooks(
    # The whole audit log spans all districts; a district sees the trail on its case files.
    rights={"city": {"core.audit:view"}, "platform": {"core.audit:view"}},
    shortcuts=(
        Shortcut(
            _("Audit log"), _("Who did what, when"), "bi-journal-text", "core:audit", right="core.audit:view"
        ),
    ),
    nav=(
        NavEntry(_("Audit log"), "core:audit", stage=9, rights=("core.audit:view",)),
        NavEntry(_("API"), "api-1.0.0:openapi-view", stage=9),
    ),
)
