"""What stage 5 contributes to the shared frame: so far its right and audit sentences."""

from django.utils.translation import gettext_lazy as _

from smedx.core.frame import Hooks

HOOKS = Hooks(
    # The city and the districts issue support policies (a district for its own district).
    rights={"authority": {"subsidies.policy:manage"}},
    audit_sentences={
        "subsidies.policy.created": _("%(actor)s drafted the policy %(object)s"),
        "subsidies.policy.published": _("%(actor)s published the policy %(object)s"),
    },
    audit_fields={"eligible": _("eligible enterprises")},
)
