from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "smedx.enterprises"
    label = "enterprises"
    verbose_name = _("Enterprises")

    def ready(self):
        from smedx.enterprises import stats, todos  # noqa: F401  (register workbench to-dos and panels)
