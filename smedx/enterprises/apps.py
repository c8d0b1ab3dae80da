from django.utils.translation import gettext_lazy as _

from smedx.core import frame


class EnterprisesConfig(frame.HookedAppConfig):
    name = "smedx.enterprises"
    label = "enterprises"
    verbose_name = _("Enterprises")
