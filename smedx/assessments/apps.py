from django.utils.translation import gettext_lazy as _

from smedx.core import frame


class AssessmentsConfig(frame.HookedAppConfig):
    name = "smedx.assessments"
    label = "assessments"
    verbose_name = _("Assessments")
