"""Stage 4 API per persona: projects, milestones, progress reports and invoices over the same services."""

from smedx.core.creditcode import make_credit_code
from smedx.projects.models import Invoice, Milestone, ProgressReport
from smedx.testing.api import ApiTestCase
from smedx.testing.projects import draft_project, make_plan, registered_project

SELLER = make_credit_code("500112", 79)


class ProjectDeliveryApiTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        plan = make_plan(cls.enterprise, cls.provider.organisation, by=cls.enterprise_user)
        cls.project = registered_project(cls.enterprise_user, cls.district, plan)
        cls.milestone = cls.project.milestones.first()
        draft_project(cls.enterprise_user, make_plan(cls.enterprise, cls.provider.organisation, by=cls.city))

    def test_it_scopes_the_project_list_per_persona(self):
        # The committee does not see drafts; the district, city and enterprise see both projects.
        expected = {"enterprise_user": 2, "district": 2, "city": 2, "expert": 1, "provider": 2,
                    "other_district": 0, "other_enterprise_user": 0}  # fmt: skip
        for persona, count in expected.items():
            with self.subTest(persona):
                self.act_as(persona)
                response = self.get("/projects")
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.json()["count"], count)
        for persona, status in (("outsider", 403), ("platform", 403), ("anonymous", 401)):
            with self.subTest(persona):
                self.act_as(persona)
                self.assertEqual(self.get("/projects").status_code, status)

    def test_it_shows_a_project_with_its_totals(self):
        self.act_as("district")
        body = self.get(f"/projects/{self.project.pk}").json()
        self.assertEqual(body["status"], "registered")
        self.assertEqual(body["items_total"], "180000.00")
        self.assertEqual(len(body["milestones"]), 2)
        self.act_as("other_district")
        self.assertEqual(self.get(f"/projects/{self.project.pk}").status_code, 404)

    def test_it_takes_progress_from_the_provider_only(self):
        url = f"/milestones/{self.milestone.pk}/progress"
        self.act_as("enterprise_user")
        self.assertEqual(self.post(url, {"text": "完成"}).status_code, 403)
        self.act_as("other_enterprise_user")
        self.assertEqual(self.post(url, {"text": "完成"}).status_code, 404)
        self.act_as("provider")
        self.assertEqual(self.post(url, {"text": ""}).status_code, 422)
        self.assertEqual(self.post(url, {"text": "完成"}).status_code, 201)
        self.assertEqual(ProgressReport.objects.count(), 1)
        self.act_as("enterprise_user")
        response = self.post(f"/milestones/{self.milestone.pk}/confirm", {})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Milestone.objects.get(pk=self.milestone.pk).status, "confirmed")
        self.assertEqual(self.post(f"/milestones/{self.milestone.pk}/confirm", {}).status_code, 400)

    def test_it_records_invoices_and_refuses_a_bad_seller_code(self):
        url = f"/projects/{self.project.pk}/invoices"
        invoice = {"number": "A-1", "date": "2026-04-01", "amount": "1000", "seller_code": SELLER}
        self.act_as("provider")
        self.assertEqual(self.post(url, invoice).status_code, 403)
        self.act_as("enterprise_user")
        response = self.post(url, {**invoice, "seller_code": "bad"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Invoice.objects.exists())
        response = self.post(url, invoice)
        self.assertEqual(response.status_code, 201)
        self.assertFalse(response.json()["is_duplicate"])
        self.assertTrue(self.post(url, invoice).json()["is_duplicate"])
        self.assertEqual([i["is_duplicate"] for i in self.get(url).json()], [True, True])
