"""Stage 3 API per persona: needs, matches, proposals, selection — the same services as the pages."""

from smedx.proposals import services
from smedx.proposals.models import Need, Proposal, TransformationPlan
from smedx.testing.api import ApiTestCase
from smedx.testing.proposals import (
    RESEARCH,
    ProjectsTestCase,
    proposal_for,
    published_need,
    solution,
)

PROPOSAL = {
    "title": "接口方案",
    "scope": "MES",
    "expected_level": 2,
    "items": [{"kind": "software", "description": "MES", "quantity": "2", "unit_price": "1000.50"}],
    "milestones": [{"name": "上线", "due_date": "2026-06-30"}],
    "kpis": [{"name": "联网率", "baseline": "10", "target": "60", "unit": "%"}],
    "scenes": {"S01": 2},
}


class ProjectsApiTests(ApiTestCase, ProjectsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.need = published_need(cls.enterprise, cls.enterprise_user)
        cls.invitation = services.invite_provider(
            need=cls.need, actor=cls.enterprise_user, provider=cls.provider_org
        )
        solution(cls.provider_profile, {"S01": 2}, industries=["34"], name="云MES")

    def test_it_scopes_the_need_list_per_persona(self):
        expected = {
            "enterprise_user": 1,
            "district": 1,
            "city": 1,
            "expert": 1,
            "provider": 1,
            "other_district": 0,
            "other_enterprise_user": 0,
        }
        for persona, count in expected.items():
            with self.subTest(persona):
                self.act_as(persona)
                response = self.get("/needs")
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.json()["count"], count)
        for persona, status in (("outsider", 403), ("platform", 403), ("anonymous", 401)):
            with self.subTest(persona):
                self.act_as(persona)
                self.assertEqual(self.get("/needs").status_code, status)

    def test_it_creates_and_publishes_a_need_from_the_diagnosis(self):
        self.act_as("enterprise_user")
        response = self.post(
            "/needs", {"budget": "50", "start_month": "2026-04", "end_month": "2026-10", "scenes": {"S01": 3}}
        )
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(
            body["scenes"],
            [{"scene": "S01", "name": body["scenes"][0]["name"], "current_level": 1, "target_level": 3}],
        )
        response = self.post(f"/needs/{body['id']}/publish", {})
        self.assertEqual(response.json()["status"], "published")

    def test_it_refuses_bad_need_input_and_other_personas(self):
        self.act_as("enterprise_user")
        response = self.post("/needs", {"budget": "-1"})
        self.assertEqual(response.status_code, 422)
        self.assertIn("budget", response.json()["errors"])
        for persona, status in (("district", 403), ("provider", 403)):
            self.act_as(persona)
            self.assertEqual(self.post("/needs", {}).status_code, status)
            self.assertEqual(self.post(f"/needs/{self.need.pk}/publish", {}).status_code, 403)
        self.act_as("other_enterprise_user")
        self.assertEqual(self.get(f"/needs/{self.need.pk}").status_code, 404)

    def test_it_gives_the_matches_with_scores_and_reasons(self):
        self.act_as("enterprise_user")
        [match] = self.get(f"/needs/{self.need.pk}/matches").json()
        self.assertEqual(match["solution"], "云MES")
        self.assertEqual(set(match["scores"]), {"scenes", "industry", "region", "price", "rating", "load"})
        self.assertTrue(match["reasons"][0].startswith("covers 1 of 4 scenes"))
        self.act_as("provider")
        self.assertEqual(self.get(f"/needs/{self.need.pk}/matches").status_code, 403)

    def test_it_lets_the_invited_provider_propose_and_the_enterprise_select(self):
        services.record_research(invitation=self.invitation, actor=self.provider, data=RESEARCH)
        self.act_as("second")
        self.assertEqual(self.post(f"/needs/{self.need.pk}/proposals", PROPOSAL).status_code, 404)
        self.act_as("provider")
        response = self.post(f"/needs/{self.need.pk}/proposals", {**PROPOSAL, "submit": True})
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual((body["status"], body["total"]), ("submitted", "2001.00"))
        self.act_as("enterprise_user")
        self.assertEqual([p["id"] for p in self.get(f"/needs/{self.need.pk}/proposals").json()], [body["id"]])
        self.act_as("district")
        self.assertEqual(
            self.post(f"/needs/{self.need.pk}/select", {"proposal": body["id"]}).status_code, 403
        )
        self.act_as("enterprise_user")
        response = self.post(f"/needs/{self.need.pk}/select", {"proposal": body["id"]})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(TransformationPlan.objects.get().proposal_id, body["id"])
        response = self.post(f"/needs/{self.need.pk}/select", {"proposal": body["id"]})
        self.assertEqual(response.status_code, 409)

    def test_it_refuses_a_proposal_without_research_or_with_bad_items(self):
        self.act_as("provider")
        response = self.post(f"/needs/{self.need.pk}/proposals", PROPOSAL)
        self.assertEqual(response.status_code, 400)
        self.assertIn("Record your research", response.json()["detail"])
        services.record_research(invitation=self.invitation, actor=self.provider, data=RESEARCH)
        bad = {**PROPOSAL, "items": [{**PROPOSAL["items"][0], "kind": "magic"}]}
        self.assertEqual(self.post(f"/needs/{self.need.pk}/proposals", bad).status_code, 422)
        self.assertFalse(Proposal.objects.exists())

    def test_it_hides_drafts_from_the_enterprise(self):
        draft = proposal_for(self.invitation, self.provider, submit=False)
        self.act_as("enterprise_user")
        self.assertEqual(self.get(f"/proposals/{draft.pk}").status_code, 404)
        self.act_as("provider")
        self.assertEqual(self.get(f"/proposals/{draft.pk}").json()["status"], "draft")
        self.assertEqual(self.post(f"/proposals/{draft.pk}/submit", {}).json()["status"], "submitted")
        self.assertEqual(Need.objects.get(pk=self.need.pk).status, Need.Status.PUBLISHED)
