from django.utils.translation import gettext_lazy as _

from smedx.core import frame


class ProposalsConfig(frame.HookedAppConfig):
    name = "smedx.proposals"
    label = "proposals"
    verbose_name = _("Needs and proposals")
