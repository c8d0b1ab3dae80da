from django.utils.translation import gettext_lazy as _

from smedx.core import frame


class ProvidersConfig(frame.HookedAppConfig):
    name = "smedx.providers"
    label = "providers"
    verbose_name = _("Providers")
