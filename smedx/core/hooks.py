"""What core contributes to the shared frame: the audit log's right, shortcut and navigation, the API link,
exports (their to-do, their audit sentences, the daily clean-up)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from smedx.core import exports
from smedx.core.frame import DailyJob, Hooks, NavEntry, Shortcut
from smedx.core.models import ExportJob
from smedx.core.todos import Todo


def ready_exports(user):
    """Exports written in the background and not yet downloaded."""
    count = ExportJob.objects.visible_to(user).ready().count()
    return [Todo(_("Exports ready to download"), reverse("core:export_list"), count)]


HOOKS = Hooks(
    # The whole audit log spans all districts; a district sees the trail on its case files.
    rights={"city": {"core.audit:view"}, "platform": {"core.audit:view"}},
    todos=(ready_exports,),
    shortcuts=(
        Shortcut(
            _("Audit log"), _("Who did what, when"), "bi-journal-text", "core:audit", right="core.audit:view"
        ),
    ),
    nav=(
        NavEntry(_("Audit log"), "core:audit", stage=9, rights=("core.audit:view",)),
        NavEntry(_("API"), "api-1.0.0:openapi-view", stage=9),
    ),
    daily_jobs=(
        DailyJob(
            "delete_old_exports",
            exports.delete_old_exports,
            "exports older than EXPORT_KEEP_DAYS days",
        ),
    ),
    audit_sentences={
        "core.export.started": _("%(actor)s started an export of %(object)s"),
        "core.export.downloaded": _("%(actor)s downloaded the export %(object)s (%(rows)s rows)"),
    },
    audit_fields={"filters": _("filters"), "background": _("in the background")},
)
