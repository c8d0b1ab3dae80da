from django.utils.translation import gettext_lazy as _

from smedx.core import frame


class ProjectsConfig(frame.HookedAppConfig):
    name = "smedx.projects"
    label = "projects"
    verbose_name = _("Project implementation")
