"""How the audit codes of providers read in the history and the audit log (installed through its hooks)."""

from django.utils.translation import gettext_lazy as _

from smedx.core.history import value_text
from smedx.providers.models import ProviderProfile

SENTENCES = {
    "providers.profile.created": _("%(actor)s created the provider profile %(object)s"),
    "providers.profile.updated": _("%(actor)s updated the provider profile %(object)s"),
    "providers.profile.submitted": _("%(actor)s applied to the provider pool for %(object)s"),
    "providers.profile.review_started": _("%(actor)s started reviewing %(object)s"),
    "providers.profile.rejected": _("%(actor)s sent %(object)s back to draft"),
    "providers.profile.notice_published": _("%(actor)s published the public notice of %(object)s"),
    "providers.profile.listed": _("%(actor)s listed %(object)s in the provider pool"),
    "providers.profile.warned": _("%(actor)s warned %(object)s"),
    "providers.profile.suspended": _("%(actor)s suspended %(object)s"),
    "providers.profile.reinstated": _("%(actor)s reinstated %(object)s"),
    "providers.profile.removed": _("%(actor)s removed %(object)s from the pool"),
    "providers.profile.yearly_reviewed": _("%(actor)s recorded the yearly review of %(object)s"),
    "providers.profile.institution_flagged": _("%(actor)s marked %(object)s as a diagnosis institution"),
    "providers.profile.institution_unflagged": _(
        "%(actor)s no longer marks %(object)s as a diagnosis institution"
    ),
    "providers.certificate.added": _("%(actor)s added the certificate %(name)s"),
    "providers.certificate.deleted": _("%(actor)s deleted the certificate %(name)s"),
    "providers.reference.added": _("%(actor)s added the reference customer %(customer)s"),
    "providers.reference.deleted": _("%(actor)s deleted the reference customer %(customer)s"),
    "providers.reference.asked": _("%(actor)s asked the customer to confirm the reference %(object)s"),
    "providers.reference.confirmed": _("%(actor)s confirmed the reference %(object)s"),
    "providers.reference.denied": _("%(actor)s denied the reference %(object)s"),
    "providers.review.submitted": _("%(actor)s reviewed %(object)s"),
    "providers.review.revised": _("%(actor)s revised the review of %(object)s"),
    "providers.objection.raised": _("%(actor)s raised an objection: %(object)s"),
    "providers.objection.upheld": _("%(actor)s upheld the objection %(object)s"),
    "providers.objection.dismissed": _("%(actor)s dismissed the objection %(object)s"),
    "providers.solution.created": _("%(actor)s created the solution %(object)s"),
    "providers.solution.updated": _("%(actor)s updated the solution %(object)s"),
    "providers.solution.published": _("%(actor)s published the solution %(object)s"),
    "providers.solution.withdrawn": _("%(actor)s withdrew the solution %(object)s"),
}


def _changed(value):
    names = {f.name: f.verbose_name for f in ProviderProfile._meta.get_fields() if hasattr(f, "verbose_name")}
    return value_text([names.get(name, name) for name in value])


FIELDS = {
    "changed": (_("changed"), _changed),
    "customer": _("customer"),
    "since": _("since"),
    "recommend": _("recommended"),
    "resolution": _("resolution"),
    "scenes": _("scenes"),
    "capability": _("capability"),
    "references": _("references"),
    "finances": _("finances"),
    "solution_fit": _("solution fit"),
}
