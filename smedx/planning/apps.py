from django.utils.translation import gettext_lazy as _

from smedx.core import frame


class PlanningConfig(frame.HookedAppConfig):
    name = "smedx.planning"
    label = "planning"
    verbose_name = _("Strategic planning")
