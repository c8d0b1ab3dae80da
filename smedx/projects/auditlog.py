"""How the audit codes of projects read in the history and the audit log (installed through its hooks)."""

from django.utils.translation import gettext_lazy as _

from smedx.core.history import value_text
from smedx.core.templatetags.smedx import yuan
from smedx.projects.models import ProjectFile


def _due_dates(value):
    return value_text(sorted(value.values()) if isinstance(value, dict) else value)


SENTENCES = {
    "projects.project.created": _("%(actor)s created the project %(object)s"),
    "projects.project.updated": _("%(actor)s updated the project %(object)s"),
    "projects.project.submitted": _("%(actor)s filed the project %(object)s"),
    "projects.project.registered": _("%(actor)s registered the project %(object)s"),
    "projects.project.returned": _("%(actor)s returned the project %(object)s for changes"),
    "projects.change_request.requested": _("%(actor)s asked for a change to %(object)s"),
    "projects.change_request.approved": _("%(actor)s approved the change %(object)s"),
    "projects.change_request.refused": _("%(actor)s refused the change %(object)s"),
    "projects.milestone.reported": _("%(actor)s reported progress on %(object)s with %(files)s files"),
    "projects.milestone.confirmed": _("%(actor)s confirmed the milestone %(object)s"),
    "projects.milestone.flagged_overdue": _(
        "%(actor)s flagged the milestone %(object)s as overdue (due %(due)s)"
    ),
    "projects.invoice.recorded": _("%(actor)s recorded the invoice %(object)s of %(amount)s"),
    "projects.supervisionassignment.created": _("%(actor)s assigned the supervision %(object)s"),
    "projects.supervisionvisit.recorded": _("%(actor)s recorded the supervision visit of %(visited_on)s"),
    "projects.rectification.issued": _("%(actor)s ordered the rectification %(object)s by %(deadline)s"),
    "projects.rectification.fixed": _("%(actor)s reported the rectification %(object)s as done"),
    "projects.rectification.closed": _("%(actor)s closed the rectification %(object)s"),
    "projects.acceptanceapplication.applied": _("%(actor)s applied for acceptance: %(object)s"),
    "projects.acceptanceapplication.verification_started": _(
        "%(actor)s started the acceptance verification of %(object)s"
    ),
    "projects.acceptancedecision.accepted": _("%(actor)s accepted the project: %(object)s"),
    "projects.acceptancedecision.rectify": _(
        "%(actor)s asked for rectification before acceptance: %(object)s"
    ),
    "projects.acceptancedecision.failed": _("%(actor)s decided the project failed acceptance: %(object)s"),
    "projects.projectfile.uploaded": _("%(actor)s uploaded %(name)s"),
}


def _file_kind(value):
    try:
        return str(ProjectFile.Kind(value).label)
    except ValueError:
        return str(value)


FIELDS = {
    "kind": (_("kind of file"), _file_kind),
    "project": None,
    "expert": None,
    "report": None,
    "before": None,
    "after": None,
    "request": None,
    "verification": None,
    "verified": None,
    "version": _("version"),
    "contract_amount": (_("contract amount"), yuan),
    "amount": (_("amount"), yuan),
    "duplicate": _("possible duplicate"),
    "due": _("due"),
    "due_dates": (_("new due dates"), _due_dates),
    "deadline": _("deadline"),
    "files": _("files"),
    "project_completed": _("project completed"),
    "rating": _("rating"),
    "again": _("applied again"),
    "reasons": _("reasons"),
    "description": _("description"),
}
