"""How the audit codes of proposals read in the history and the audit log (installed through its hooks)."""

from django.utils.translation import gettext_lazy as _

SENTENCES = {
    "proposals.need.created": _("%(actor)s drafted the need %(object)s"),
    "proposals.need.updated": _("%(actor)s updated the need %(object)s"),
    "proposals.need.published": _("%(actor)s published the need %(object)s"),
    "proposals.need.closed": _("%(actor)s closed the need %(object)s"),
    "proposals.recommendation.created": _("%(actor)s recommended a provider: %(object)s"),
    "proposals.invitation.created": _("%(actor)s invited a provider: %(object)s"),
    "proposals.invitation.declined": _("%(actor)s declined the invitation %(object)s"),
    "proposals.research.recorded": _("%(actor)s recorded the research %(object)s"),
    "proposals.proposal.created": _("%(actor)s drafted the proposal %(object)s, %(total)s"),
    "proposals.proposal.updated": _("%(actor)s updated the proposal %(object)s, %(total)s"),
    "proposals.proposal.submitted": _("%(actor)s submitted the proposal %(object)s"),
    "proposals.proposal.withdrawn": _("%(actor)s withdrew the proposal %(object)s"),
    "proposals.proposal.selected": _("%(actor)s selected the proposal %(object)s"),
    "proposals.proposalcomment.created": _("%(actor)s commented: %(object)s"),
    "proposals.conflictacknowledgement.created": _("%(actor)s acknowledged the conflict %(object)s"),
}

FIELDS = {
    "assessment": None,
    "need": None,
    "provider": None,
    "proposal": None,
    "plan": None,
    "not_selected": None,
    "new": _("first visit"),
    "conflict": _("with a declared conflict"),
}
