"""Links shown only to those who may open them: a provider not selected, a reviewer of a pool application.
The crawl over every persona's pages is smedx/core/tests/test_links.py."""

from django.urls import reverse

from smedx.proposals.models import Invitation, Need, Proposal, TransformationPlan
from smedx.providers.models import ProviderProfile, Solution
from smedx.testing import PersonaTestCase
from smedx.testing.proposals import ProjectsTestCase
from smedx.testing.providers import make_solution, provider_with_admin


class PlanLinkTests(ProjectsTestCase):
    def test_it_does_not_link_a_provider_not_selected_to_the_winners_plan(self):
        need = Need.objects.create(
            enterprise=self.enterprise, title="需求", status=Need.Status.FULFILLED, target_level=2, budget=30
        )
        won = Invitation.objects.create(
            need=need, provider=self.provider_org, status=Invitation.Status.PROPOSED
        )
        lost = Invitation.objects.create(
            need=need, provider=self.second_org, status=Invitation.Status.PROPOSED
        )
        winner = Proposal.objects.create(
            need=need,
            invitation=won,
            provider=self.provider_org,
            title="甲方案",
            status=Proposal.Status.SELECTED,
        )
        Proposal.objects.create(
            need=need,
            invitation=lost,
            provider=self.second_org,
            title="乙方案",
            status=Proposal.Status.NOT_SELECTED,
        )
        plan = TransformationPlan.objects.create(
            need=need, proposal=winner, enterprise=self.enterprise, selected_by=self.enterprise_user
        )
        plan_url = reverse("proposals:plan_detail", args=[plan.pk])
        detail = reverse("proposals:need_detail", args=[need.pk])
        self.login(self.second)
        self.assertEqual(self.client.get(plan_url).status_code, 404)
        self.assertNotContains(self.client.get(detail), plan_url)
        self.login(self.provider)
        self.assertContains(self.client.get(detail), plan_url)


class SolutionLinkTests(PersonaTestCase):
    def test_it_does_not_link_a_reviewer_to_a_solution_they_cannot_open(self):
        profile, _admin = provider_with_admin(
            "待评服务商", "reviewed_provider", ProviderProfile.Status.UNDER_REVIEW
        )
        withdrawn = make_solution(profile, name="已撤回方案", status=Solution.Status.WITHDRAWN)
        self.login(self.expert)
        response = self.client.get(reverse("providers:review", args=[profile.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "已撤回方案")
        url = reverse("providers:solution_detail", args=[withdrawn.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertNotContains(response, url)
