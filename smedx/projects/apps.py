from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "smedx.projects"
    label = "projects"
    verbose_name = _("Needs and proposals")

    def ready(self):
        from smedx.assessments import conflicts as assessment_conflicts
        from smedx.core import todos
        from smedx.enterprises import journey
        from smedx.projects import conflicts
        from smedx.projects import todos as project_todos

        journey.register(3, project_todos.journey_stage)
        for fn in project_todos.TODOS:
            todos.register(fn)
        assessment_conflicts.register(conflicts.proposal_rule)
        from smedx.projects import views_acceptance

        todos.register(views_acceptance.acceptance_todos)
        from smedx.projects import todos_projects

        journey.register(4, todos_projects.journey_stage)
        for fn in todos_projects.TODOS:
            todos.register(fn)
