"""The stage 3 pages: happy paths, refusals, bad input, and query counts on the lists."""

from django.test import override_settings
from django.urls import reverse

from smedx.assessments.models import Assessment
from smedx.enterprises.models import Level
from smedx.proposals import services
from smedx.proposals.models import Invitation, Need, Proposal, Research, TransformationPlan
from smedx.testing.proposals import (
    RESEARCH,
    ProjectsTestCase,
    proposal_for,
    published_need,
    solution,
)


def formset(prefix, rows, extra=1):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows) + extra),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


PROPOSAL_POST = {
    "title": "MES 方案",
    "scope": "MES 与设备联网",
    "expected_level": "2",
    **formset("items", [{"kind": "software", "description": "MES", "quantity": "2", "unit_price": "50000"}]),
    **formset("milestones", [{"name": "上线", "due_date": "2026-06-30", "deliverable": "系统"}]),
    **formset("kpis", [{"name": "联网率", "baseline": "20", "target": "80", "unit": "%"}]),
    "scenes-scene_S01": "2",
}


class NeedPageTests(ProjectsTestCase):
    def test_it_drafts_a_need_from_the_diagnosis_and_opens_its_editor(self):
        self.login(self.enterprise_user)
        self.assertContains(self.client.get(reverse("proposals:need_create")), "S01")
        response = self.client.post(reverse("proposals:need_create"))
        need = Need.objects.get()
        self.assertRedirects(response, reverse("proposals:need_edit", args=[need.pk]))

    def test_it_refuses_a_need_without_a_diagnosis_and_saves_nothing(self):
        Assessment.objects.update(status=Assessment.Status.DRAFT)
        self.login(self.enterprise_user)
        response = self.client.post(reverse("proposals:need_create"), follow=True)
        self.assertContains(response, "Submit a self-assessment first")
        self.assertFalse(Need.objects.exists())

    def test_it_saves_the_edited_need_and_refuses_an_end_before_the_start(self):
        need = services.draft_need_from_diagnosis(enterprise=self.enterprise, actor=self.enterprise_user)
        self.login(self.enterprise_user)
        url = reverse("proposals:need_edit", args=[need.pk])
        data = {
            "title": "MES",
            "target_level": "2",
            "budget": "300000",
            "start_month": "2026-05",
            "end_month": "2026-03",
            "description": "",
            "scenes-scene_S01": "3",
        }
        response = self.client.post(url, data)
        self.assertContains(response, "The end month is before the start month.")
        self.assertNotEqual(Need.objects.get(pk=need.pk).title, "MES")
        response = self.client.post(url, {**data, "end_month": "2026-12"})
        self.assertRedirects(response, reverse("proposals:need_detail", args=[need.pk]))
        need.refresh_from_db()
        self.assertEqual((need.title, need.end_month.isoformat()), ("MES", "2026-12-01"))
        self.assertEqual(list(need.scenes.values_list("scene", "target_level")), [("S01", 3)])
        self.client.post(reverse("proposals:need_publish", args=[need.pk]))
        self.assertEqual(Need.objects.get(pk=need.pk).status, Need.Status.PUBLISHED)

    def test_it_names_the_scene_levels_on_the_need_and_the_proposal(self):
        need = published_need(self.enterprise, self.enterprise_user)
        scene = need.scenes.get(scene="S01")
        self.login(self.enterprise_user)
        response = self.client.get(reverse("proposals:need_detail", args=[need.pk]))
        wanted = f"S01 {scene.name}：{Level(scene.current_level).label} → {Level(scene.target_level).label}"
        self.assertContains(response, wanted)
        self.assertNotContains(response, f"：{scene.current_level} → {scene.target_level}<")
        invitation = services.invite_provider(
            need=need, actor=self.enterprise_user, provider=self.provider_org
        )
        proposal = proposal_for(invitation, self.provider)
        response = self.client.get(reverse("proposals:proposal_detail", args=[proposal.pk]))
        self.assertContains(response, f"S01 {scene.name} → {Level.LEVEL_2.label}")

    def test_it_answers_405_to_a_get_on_the_actions(self):
        need = published_need(self.enterprise, self.enterprise_user)
        self.login(self.enterprise_user)
        for name in ("need_publish", "need_close", "need_invite", "need_select"):
            with self.subTest(name):
                self.assertEqual(
                    self.client.get(reverse(f"proposals:{name}", args=[need.pk])).status_code, 405
                )

    def test_it_lists_needs_in_a_fixed_number_of_queries(self):
        for _ in range(3):
            published_need(self.enterprise, self.enterprise_user)
        self.login(self.district)
        url = reverse("proposals:need_list")
        self.client.get(url)
        with self.assertNumQueries(6):
            response = self.client.get(url)
        self.assertEqual(len(response.context["page"]), 3)


class ShortlistInvitePageTests(ProjectsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.need = published_need(cls.enterprise, cls.enterprise_user)
        cls.solution = solution(cls.provider_profile, {"S01": 2, "S03": 2}, industries=["34"], name="云MES")

    def test_it_shows_the_shortlist_with_reasons_and_invites_from_it(self):
        self.login(self.enterprise_user)
        response = self.client.get(reverse("proposals:need_matches", args=[self.need.pk]))
        self.assertContains(response, "云MES")
        self.assertContains(response, "covers 2 of 4 scenes, 2 to the target level")
        response = self.client.post(
            reverse("proposals:need_invite", args=[self.need.pk]),
            {"provider": self.provider_org.pk, "solution": self.solution.pk, "next": "matches"},
        )
        self.assertRedirects(response, reverse("proposals:need_matches", args=[self.need.pk]))
        self.assertEqual(Invitation.objects.get().solution, self.solution)

    def test_it_refuses_to_invite_an_unknown_provider_and_refuses_officers(self):
        self.login(self.enterprise_user)
        self.client.post(reverse("proposals:need_invite", args=[self.need.pk]), {"provider": "999999"})
        self.assertFalse(Invitation.objects.exists())
        self.login(self.district)
        response = self.client.post(
            reverse("proposals:need_invite", args=[self.need.pk]), {"provider": self.provider_org.pk}
        )
        self.assertEqual(response.status_code, 403)

    def test_it_lets_an_expert_recommend_and_refuses_an_empty_note(self):
        self.login(self.expert)
        url = reverse("proposals:need_recommend", args=[self.need.pk])
        response = self.client.post(url, {"provider": self.second_org.pk, "note": ""})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(self.need.recommendations.exists())
        response = self.client.post(url, {"provider": self.second_org.pk, "note": "本地服务好"})
        self.assertRedirects(response, reverse("proposals:need_detail", args=[self.need.pk]))
        self.assertEqual(self.need.recommendations.get().note, "本地服务好")


class ProposalPageTests(ProjectsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.need = published_need(cls.enterprise, cls.enterprise_user)
        cls.invitation = services.invite_provider(
            need=cls.need, actor=cls.enterprise_user, provider=cls.provider_org
        )

    def test_it_sends_the_provider_to_research_before_the_proposal(self):
        self.login(self.provider)
        response = self.client.get(reverse("proposals:proposal_edit", args=[self.invitation.pk]))
        self.assertRedirects(response, reverse("proposals:research_edit", args=[self.invitation.pk]))
        data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in RESEARCH.items()}
        response = self.client.post(reverse("proposals:research_edit", args=[self.invitation.pk]), data)
        self.assertRedirects(response, reverse("proposals:proposal_edit", args=[self.invitation.pk]))
        self.assertEqual(Research.objects.get().people_met, "总经理 王明")

    def test_it_saves_a_proposal_with_its_lists_and_refuses_one_without_items(self):
        services.record_research(invitation=self.invitation, actor=self.provider, data=RESEARCH)
        self.login(self.provider)
        url = reverse("proposals:proposal_edit", args=[self.invitation.pk])
        self.assertContains(self.client.get(url), "items-TOTAL_FORMS")
        bad = {k: v for k, v in PROPOSAL_POST.items() if not k.startswith("items-")} | formset("items", [])
        response = self.client.post(url, bad)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Proposal.objects.exists())
        response = self.client.post(url, PROPOSAL_POST)
        proposal = Proposal.objects.get()
        self.assertRedirects(response, reverse("proposals:proposal_detail", args=[proposal.pk]))
        self.assertEqual(str(proposal.total), "100000.00")
        self.assertEqual(list(proposal.scenes.values_list("scene", "target_level")), [("S01", 2)])
        self.client.post(reverse("proposals:proposal_submit", args=[proposal.pk]))
        self.assertEqual(Proposal.objects.get().status, Proposal.Status.SUBMITTED)

    def test_it_compares_comments_and_selects_into_the_plan_on_the_case_file(self):
        first = proposal_for(self.invitation, self.provider)
        second_invitation = services.invite_provider(
            need=self.need, actor=self.enterprise_user, provider=self.second_org
        )
        proposal_for(
            second_invitation,
            self.second,
            items=[{"kind": "cloud", "description": "云", "quantity": 1, "unit_price": 80000}],
        )
        self.login(self.expert)
        self.client.post(reverse("proposals:proposal_comment", args=[first.pk]), {"body": "可行"})
        self.assertEqual(first.comments.get().author, self.expert)
        self.login(self.enterprise_user)
        response = self.client.get(reverse("proposals:need_compare", args=[self.need.pk]))
        self.assertContains(response, "¥180,000.00")
        self.assertContains(response, "¥80,000.00")
        self.assertEqual([c.comments for c in response.context["columns"]], [1, 0])
        response = self.client.post(
            reverse("proposals:need_select", args=[self.need.pk]), {"proposal": first.pk}
        )
        plan = TransformationPlan.objects.get()
        self.assertRedirects(response, reverse("proposals:plan_detail", args=[plan.pk]))
        case_file = self.client.get(reverse("enterprises:detail", args=[self.enterprise.pk]))
        self.assertContains(case_file, reverse("proposals:plan_detail", args=[plan.pk]))

    @override_settings(LANGUAGE_CODE="zh-hans")
    def test_it_shows_the_budget_beside_the_proposals_in_yuan_under_a_price_heading(self):
        proposal_for(self.invitation, self.provider)
        self.login(self.enterprise_user)
        for name in ("need_detail", "need_compare"):
            with self.subTest(name):
                url = reverse(f"proposals:{name}", args=[self.need.pk])
                response = self.client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
                self.assertContains(response, "¥300,000.00")  # the budget
                self.assertContains(response, "¥180,000.00")  # the proposal
                self.assertContains(response, "总价")
                self.assertNotContains(response, "万元")
                self.assertNotContains(response, "总分")

    def test_it_refuses_a_comment_by_the_enterprise(self):
        proposal = proposal_for(self.invitation, self.provider)
        self.login(self.enterprise_user)
        response = self.client.post(reverse("proposals:proposal_comment", args=[proposal.pk]), {"body": "x"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(proposal.comments.exists())

    def test_it_shows_the_provider_its_invitations(self):
        self.login(self.provider)
        response = self.client.get(reverse("proposals:invitation_list"))
        self.assertContains(response, self.need.title)
