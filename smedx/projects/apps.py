from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "smedx.projects"
    label = "projects"
    verbose_name = _("Project implementation")

    def ready(self):
        from smedx.core import todos
        from smedx.enterprises import journey
        from smedx.projects import hooks

        journey.register(4, hooks.journey_stage)
        for fn in hooks.TODOS:
            todos.register(fn)
        todos.register(hooks.acceptance_todos)
