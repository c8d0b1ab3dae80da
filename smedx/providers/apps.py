from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvidersConfig(AppConfig):
    name = "smedx.providers"
    label = "providers"
    verbose_name = _("Providers")

    def ready(self):
        from smedx.assessments.report import register_catalogue
        from smedx.providers import todos  # noqa: F401  (registers workbench to-dos and panels)
        from smedx.providers.catalogue import report_links

        register_catalogue(report_links)
