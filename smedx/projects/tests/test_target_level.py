"""The target level is the plan's: carried from the proposal (or the need) into the project, shown by name."""

from django.urls import reverse

from smedx.assessments.levels import level_label
from smedx.projects.models import Project
from smedx.projects.services import filing as services
from smedx.projects.tests.test_projects_services import StageFourCase
from smedx.proposals.models import Need, Proposal
from smedx.testing.projects import make_plan


class TargetLevelTests(StageFourCase):
    def aim(self, proposal_level, need_level=3):
        plan = make_plan(self.enterprise, self.provider_org, by=self.enterprise_user)
        Proposal.objects.filter(pk=plan.proposal_id).update(expected_level=proposal_level)
        Need.objects.filter(pk=plan.need_id).update(target_level=need_level)
        plan.refresh_from_db()
        return services.create_project_from_plan(plan=plan, actor=self.enterprise_user)

    def test_it_carries_the_level_of_the_selected_proposal(self):
        self.assertEqual(self.aim(3, need_level=2).target_level, 3)

    def test_it_falls_back_to_the_level_of_the_need(self):
        self.assertEqual(self.aim(None, need_level=3).target_level, 3)

    def test_it_keeps_the_plan_s_level_when_the_filing_asks_another(self):
        project = self.aim(3)
        project = self.update(project, target_level=4)
        project.refresh_from_db()
        self.assertEqual(project.target_level, 3)

    def test_it_shows_the_target_level_by_name(self):
        project = self.aim(3)
        self.login(self.enterprise_user)
        response = self.client.get(reverse("projects:project_detail", args=[project.pk]))
        self.assertContains(
            response, f'<dd class="col-sm-8" data-testid="target-level">{level_label(3)}</dd>', html=True
        )

    def test_it_names_the_level_in_its_choices(self):
        self.assertEqual(Project(target_level=3).get_target_level_display(), level_label(3))
