from django.utils.translation import gettext_lazy as _

from smedx.core import frame


class WorkbenchConfig(frame.HookedAppConfig):
    """The top floor of the frame: the home page that gathers every app's to-dos, panels and shortcuts."""

    name = "smedx.workbench"
    label = "workbench"
    verbose_name = _("Workbench")
