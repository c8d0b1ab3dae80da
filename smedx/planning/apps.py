from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "smedx.planning"
    label = "planning"
    verbose_name = _("Strategic planning")

    def ready(self):
        from smedx.core import todos
        from smedx.enterprises import journey
        from smedx.enterprises.forms import register_filter
        from smedx.planning import hooks

        journey.register(2, hooks.journey_stage)
        todos.register(hooks.unread_guides_todo)
        todos.register(hooks.open_requests_todo)
        register_filter("tier", hooks.tier_field, hooks.filter_by_tier)
