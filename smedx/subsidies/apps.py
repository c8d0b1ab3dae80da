from django.utils.translation import gettext_lazy as _

from smedx.core import frame


class SubsidiesConfig(frame.HookedAppConfig):
    name = "smedx.subsidies"
    label = "subsidies"
    verbose_name = _("Policy applications")
