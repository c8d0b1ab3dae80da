"""How the audit codes of accounts read in the history and the audit log (installed through its hooks)."""

from django.utils.translation import gettext_lazy as _

from smedx.accounts.models import Membership, Organisation
from smedx.core.frame import AuditSentence


def _label(choices, value):
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _org_kind(value):
    return _label(Organisation.Kind, value)


def _role(value):
    return _label(Membership.Role, value)


SENTENCES = {
    "accounts.organisation.signed_up": _("%(actor)s signed up %(object)s"),
    "accounts.organisation.approved": _("%(actor)s approved the registration of %(object)s"),
    "accounts.organisation.rejected": _("%(actor)s rejected the registration of %(object)s"),
    "accounts.invitation.created": _("%(actor)s invited %(email)s"),
    "accounts.invitation.accepted": _("%(actor)s accepted the invitation %(object)s"),
    "accounts.invitation.revoked": _("%(actor)s revoked the invitation %(object)s"),
    "accounts.expertprofile.created": _("%(actor)s created the expert profile %(object)s"),
    "accounts.expertprofile.updated": _("%(actor)s updated the expert profile %(object)s"),
    "accounts.apitoken.created": _("%(actor)s created the API token %(object)s"),
    "accounts.apitoken.revoked": _("%(actor)s revoked the API token %(object)s"),
    "accounts.user.logged_in": AuditSentence(_("%(actor)s signed in"), login=True),
    "accounts.user.logged_out": AuditSentence(_("%(actor)s signed out"), login=True),
    "accounts.user.login_failed": AuditSentence(_("A sign-in as %(username)s failed"), login=True),
}

FIELDS = {
    "kind": (_("kind of organisation"), _org_kind),
    "comment": _("comment"),
    "email": _("email address"),
    "role": (_("role"), _role),
    "username": _("user name"),
}
