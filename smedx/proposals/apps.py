from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "smedx.proposals"
    label = "proposals"
    verbose_name = _("Needs and proposals")

    def ready(self):
        from smedx.assessments import conflicts as assessment_conflicts
        from smedx.core import todos
        from smedx.enterprises import journey
        from smedx.proposals import conflicts, hooks

        journey.register(3, hooks.journey_stage)
        for fn in hooks.TODOS:
            todos.register(fn)
        assessment_conflicts.register(conflicts.proposal_rule)
