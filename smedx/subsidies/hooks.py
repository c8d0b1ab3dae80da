"""What stage 5 contributes to the shared frame: so far its right and audit sentences."""

from django.utils.translation import gettext_lazy as _

from smedx.core.frame import Hooks, NavEntry

HOOKS = Hooks(
    # The city and the districts issue support policies (a district for its own district).
    rights={"everyone": {"subsidies.policy:view"}, "authority": {"subsidies.policy:manage"}},
    nav=(NavEntry(_("Policies"), "subsidies:policy_list", stage=5, rights=("subsidies.policy:view",)),),
    audit_sentences={
        "subsidies.policy.created": _("%(actor)s drafted the policy %(object)s"),
        "subsidies.policy.published": _("%(actor)s published the policy %(object)s"),
    },
    audit_fields={"eligible": _("eligible enterprises")},
)
