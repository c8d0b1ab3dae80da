from django.utils.translation import gettext_lazy as _

from smedx.core import frame


class CoreConfig(frame.HookedAppConfig):
    name = "smedx.core"
    label = "core"
    verbose_name = _("Core")
