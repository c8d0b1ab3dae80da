"""The workbench leads with the next steps: the enterprise's journey and its one action forward; the first to-do
of everybody else, prominent; shortcuts in journey order."""

from django.urls import reverse

from smedx.assessments.loader import load_bundled
from smedx.assessments.models import Assessment
from smedx.assessments.services import diagnosis
from smedx.planning.models import ReadMark
from smedx.projects.models import Milestone, Project
from smedx.proposals.models import Invitation, Need, Proposal
from smedx.testing import PersonaTestCase
from smedx.testing.acceptance import make_project
from smedx.testing.answer_sets import middling
from smedx.testing.assessments import make_assessment
from smedx.testing.planning import make_document
from smedx.testing.projects import make_plan

HOME = reverse("workbench:home")


class EnterpriseNextStepTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        load_bundled()

    def next_step(self):
        self.login(self.enterprise_user)
        response = self.client.get(HOME)
        self.assertContains(response, 'data-testid="next-steps"')
        return response.context["journey"]["next_step"], response

    def assertNextStep(self, title, url):
        step, response = self.next_step()
        self.assertEqual((str(step.title), step.url), (title, url))
        self.assertContains(response, f'href="{url}" data-testid="next-step"')

    def test_it_shows_the_eight_stages_of_the_journey(self):
        self.enterprise.stage = 1
        self.enterprise.save(update_fields=["stage"])
        _step, response = self.next_step()
        stages = response.context["journey"]["stages"]
        self.assertEqual([s.number for s in stages], list(range(1, 9)))
        self.assertEqual(stages[0].status, "in_progress")
        self.assertContains(response, 'data-stage="1" data-status="in_progress"')
        self.assertContains(response, 'data-stage="8" data-status="not_started"')

    def test_it_leads_from_the_self_assessment_to_the_diagnosis_and_the_guides(self):
        self.assertNextStep("Fill in the self-assessment", reverse("assessments:self_start"))
        draft = make_assessment(self.enterprise, middling(), status=Assessment.Status.DRAFT)
        self.assertNextStep(
            "Continue the self-assessment", reverse("assessments:self_overview", args=[draft.pk])
        )
        draft.delete()
        submitted = make_assessment(self.enterprise, middling())
        self.enterprise.stage = 1
        self.enterprise.save(update_fields=["stage"])
        self.assertNextStep(
            "Ask for an on-site diagnosis of your self-assessment",
            reverse("assessments:diagnosis_request", args=[submitted.pk]),
        )
        diagnosis.request_diagnosis(assessment=submitted, actor=self.enterprise_user, route="district")
        self.assertNextStep(
            "Read the guides and policies to plan your transformation", reverse("planning:library")
        )
        ReadMark.objects.create(
            document=make_document(self.district),
            organisation=self.enterprise.organisation,
            user=self.enterprise_user,
        )
        self.assertNextStep("Publish a need for providers to propose", reverse("proposals:need_create"))

    def test_it_leads_to_the_proposal_to_choose(self):
        self.enterprise.stage = 3
        self.enterprise.save(update_fields=["stage"])
        need = Need.objects.create(
            enterprise=self.enterprise,
            title="MES 需求",
            status=Need.Status.PUBLISHED,
            target_level=2,
            budget=30,
        )
        provider = self.provider.organisation
        invitation = Invitation.objects.create(
            need=need, provider=provider, status=Invitation.Status.PROPOSED
        )
        step, _response = self.next_step()
        self.assertIsNone(step)
        Proposal.objects.create(
            need=need,
            invitation=invitation,
            provider=provider,
            title="方案",
            status=Proposal.Status.SUBMITTED,
        )
        self.assertNextStep(
            "Choose a proposal for MES 需求", reverse("proposals:need_compare", args=[need.pk])
        )

    def test_it_leads_through_the_project_to_the_acceptance_and_then_names_stage_five(self):
        self.enterprise.stage = 3
        self.enterprise.save(update_fields=["stage"])
        provider = self.provider.organisation
        plan = make_plan(self.enterprise, provider, by=self.enterprise_user)
        self.assertNextStep(
            f"File the project of the plan {plan}", reverse("projects:project_create", args=[plan.pk])
        )
        plan.delete()
        project = make_project(self.enterprise, provider, by=self.enterprise_user)
        Milestone.objects.create(
            project=project,
            name="上线",
            due_date="2026-06-30",
            deliverable="MES",
            status=Milestone.Status.REPORTED,
        )
        self.assertNextStep(
            f"Confirm the milestone {project} · 上线", reverse("projects:project_detail", args=[project.pk])
        )
        Project.objects.filter(pk=project.pk).update(status=Project.Status.COMPLETED)
        self.assertNextStep(
            f"Apply for the acceptance of {project}", reverse("projects:acceptance_apply", args=[project.pk])
        )
        Project.objects.filter(pk=project.pk).update(status=Project.Status.ACCEPTED)
        step, response = self.next_step()
        self.assertEqual(step.stage, 5)
        self.assertIn("once stage 5, policy support, is on the platform", str(step.title))

    def test_it_says_when_others_act_next(self):
        self.enterprise.stage = 4
        self.enterprise.save(update_fields=["stage"])
        make_project(self.enterprise, self.provider.organisation, by=self.enterprise_user)
        _step, response = self.next_step()
        self.assertContains(response, 'data-testid="next-step-none"')

    def test_it_orders_the_shortcuts_by_the_journey(self):
        self.login(self.enterprise_user)
        titles = [str(card["title"]) for card in self.client.get(HOME).context["shortcuts"]]
        journey = [
            "Our case file",
            "Self-assessment",
            "Guides and policies",
            "Needs",
            "Projects",
            "My account",
        ]
        self.assertEqual([t for t in titles if t in journey], journey)

    def test_it_orders_the_enterprise_to_dos_by_the_journey(self):
        provider = self.provider.organisation
        project = make_project(self.enterprise, provider, by=self.enterprise_user)
        Milestone.objects.create(
            project=project,
            name="上线",
            due_date="2026-06-30",
            deliverable="MES",
            status=Milestone.Status.REPORTED,
        )
        plan = make_plan(self.enterprise, provider, by=self.enterprise_user)
        self.login(self.enterprise_user)
        titles = [str(todo.title) for todo in self.client.get(HOME).context["todos"]]
        filing = titles.index(f"File the project of the plan {plan}")
        self.assertLess(filing, titles.index(f"Confirm the milestone {project} · 上线"))


class OthersNextStepTests(PersonaTestCase):
    def test_it_makes_the_first_to_do_of_an_officer_prominent(self):
        from smedx.workbench.tests.test_views import sign_up

        sign_up(self.home_region, 901)
        self.login(self.district)
        response = self.client.get(HOME)
        first = response.context["todos"][0]
        self.assertContains(response, f'href="{first.url}" data-testid="next-step"')
        self.assertNotIn("journey", response.context)

    def test_it_says_nothing_waits_for_an_expert_with_no_to_do(self):
        self.login(self.expert)
        response = self.client.get(HOME)
        self.assertContains(response, 'data-testid="next-step-none"')
