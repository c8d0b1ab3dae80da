"""How the audit codes of planning read in the history and the audit log (installed through its hooks)."""

from django.utils.translation import gettext_lazy as _

SENTENCES = {
    "planning.document.created": _("%(actor)s created the document %(object)s"),
    "planning.document.updated": _("%(actor)s updated the document %(object)s"),
    "planning.document.published": _("%(actor)s published version %(v)s of %(object)s"),
    "planning.document.withdrawn": _("%(actor)s withdrew the document %(object)s"),
    "planning.document.versioned": _("%(actor)s started version %(v)s of %(object)s"),
    "planning.document.read": _("%(actor)s read %(object)s"),
    "planning.attachment.uploaded": _("%(actor)s attached %(name)s to %(object)s"),
    "planning.attachment.deleted": _("%(actor)s removed the attachment %(name)s from %(object)s"),
    "planning.plan.created": _("%(actor)s drew up the plan %(object)s with %(targets)s targets"),
    "planning.plan.updated": _("%(actor)s updated the plan %(object)s (%(targets)s targets)"),
    "planning.plan.published": _("%(actor)s published the plan %(object)s"),
    "planning.standard.created": _("%(actor)s created the classification standard %(object)s"),
    "planning.standard.updated": _("%(actor)s updated the classification standard %(object)s"),
    "planning.standard.versioned": _("%(actor)s started version %(v)s of the standard %(object)s"),
    "planning.standard.applied": _(
        "%(actor)s applied the standard %(object)s to %(enterprises)s enterprises"
    ),
    "planning.tier.created": _("%(actor)s added the tier %(object)s"),
    "planning.tier.updated": _("%(actor)s updated the tier %(object)s"),
    "planning.tier.deleted": _("%(actor)s deleted the tier %(object)s"),
    "planning.planning_request.created": _("%(actor)s asked for planning support: %(object)s"),
    "planning.planning_request.answered": _("%(actor)s answered the planning request %(object)s"),
    "planning.planning_request.closed": _("%(actor)s closed the planning request %(object)s"),
}

FIELDS = {
    "v": _("version"),
    "targets": _("targets"),
    "rule": _("rule"),
    "application": None,
    "enterprises": _("enterprises"),
}
