"""Stage 4 API per persona: filing from the plan, the draft, submission, review and change requests."""

from smedx.projects.models import ChangeRequest, Project
from smedx.testing.api import ApiTestCase
from smedx.testing.projects import draft_project, make_plan, registered_project

ITEMS = [
    {"kind": "software", "description": "MES 订阅", "quantity": "1", "unit_price": "120000"},
    {"kind": "service", "description": "实施服务", "quantity": "20", "unit_price": "3000"},
]


class ProjectFilingApiTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = make_plan(cls.enterprise, cls.provider.organisation, by=cls.enterprise_user)

    def test_it_starts_the_project_from_the_plan_for_the_enterprise_only(self):
        url = f"/plans/{self.plan.pk}/project"
        for persona, status in (("other_enterprise_user", 404), ("district", 403), ("provider", 403),
                                ("anonymous", 401)):  # fmt: skip
            with self.subTest(persona):
                self.act_as(persona)
                self.assertEqual(self.post(url, {}).status_code, status)
        self.assertFalse(Project.objects.exists())
        self.act_as("enterprise_user")
        response = self.post(url, {})
        self.assertEqual(response.status_code, 201)
        body = response.json()
        self.assertEqual((body["status"], body["items_total"]), ("draft", "180000.00"))
        self.assertEqual(len(body["milestones"]), 2)
        self.assertEqual(self.post(url, {}).status_code, 409)

    def test_it_changes_the_draft_through_the_page_forms(self):
        project = draft_project(self.enterprise_user, self.plan, complete=False)
        url = f"/projects/{project.pk}"
        change = {"version": project.version, "contract_number": "HT-9", "items": ITEMS[:1]}
        self.act_as("provider")
        self.assertEqual(self.patch(url, change).status_code, 403)
        self.act_as("other_enterprise_user")
        self.assertEqual(self.patch(url, change).status_code, 404)
        self.act_as("enterprise_user")
        bad = {**change, "items": [{**ITEMS[0], "quantity": "0"}]}
        response = self.patch(url, bad)
        self.assertEqual(response.status_code, 422)
        self.assertIn("items.0.quantity", response.json()["errors"])
        self.assertEqual(self.patch(url, {**change, "items": []}).status_code, 422)
        response = self.patch(url, change)
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual((body["contract_number"], body["items_total"]), ("HT-9", "120000.00"))
        self.assertEqual(len(body["milestones"]), 2)  # not sent: kept
        self.assertEqual(self.patch(url, change).status_code, 409)  # the version is stale now

    def test_it_submits_only_a_complete_declared_draft(self):
        project = draft_project(self.enterprise_user, self.plan)
        url = f"/projects/{project.pk}/submit"
        self.act_as("district")
        self.assertEqual(self.post(url, {"declared": True}).status_code, 403)
        self.act_as("enterprise_user")
        self.assertEqual(self.post(url, {"declared": False}).status_code, 422)
        Project.objects.filter(pk=project.pk).update(contract_amount=1)
        self.assertEqual(self.post(url, {"declared": True}).status_code, 400)  # items do not add up
        Project.objects.filter(pk=project.pk).update(contract_amount=180000)
        response = self.post(url, {"declared": True})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], "submitted")

    def test_it_lets_the_own_district_register_or_return(self):
        project = draft_project(self.enterprise_user, self.plan)
        self.act_as("enterprise_user")
        self.post(f"/projects/{project.pk}/submit", {"declared": True})
        url = f"/projects/{project.pk}/review"
        for persona, status in (("other_district", 404), ("city", 403), ("enterprise_user", 403)):
            with self.subTest(persona):
                self.act_as(persona)
                self.assertEqual(self.post(url, {"decision": "register"}).status_code, status)
        self.act_as("district")
        response = self.post(url, {"decision": "return"})
        self.assertEqual(response.status_code, 422)
        self.assertIn("comment", response.json()["errors"])
        response = self.post(url, {"decision": "register"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], "registered")
        self.assertEqual(self.post(url, {"decision": "register"}).status_code, 409)


class ProjectChangeApiTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        plan = make_plan(cls.enterprise, cls.provider.organisation, by=cls.enterprise_user)
        cls.project = registered_project(cls.enterprise_user, cls.district, plan)
        cls.milestone = cls.project.milestones.first()

    def test_it_takes_a_change_request_from_the_enterprise_only(self):
        url = f"/projects/{self.project.pk}/changes"
        change = {"description": "延期一个月", "due_dates": {str(self.milestone.pk): "2026-08-31"}}
        self.act_as("provider")
        self.assertEqual(self.post(url, change).status_code, 403)
        self.act_as("other_enterprise_user")
        self.assertEqual(self.post(url, change).status_code, 404)
        self.act_as("enterprise_user")
        self.assertEqual(self.post(url, {**change, "description": ""}).status_code, 422)
        self.assertEqual(self.post(url, {**change, "due_dates": {"999999": "2026-08-31"}}).status_code, 422)
        response = self.post(url, change)
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.json()["changes"], {"due_dates": {str(self.milestone.pk): "2026-08-31"}})
        self.assertEqual(self.post(url, change).status_code, 400)  # one is already pending
        self.assertEqual(len(self.get(url).json()), 1)

    def test_it_lets_the_own_district_decide_a_change(self):
        change = ChangeRequest.objects.create(
            project=self.project,
            requested_by=self.enterprise_user,
            description="加价",
            changes={"contract_amount": "200000.00"},
        )
        url = f"/changes/{change.pk}/decide"
        for persona, status in (("other_district", 404), ("city", 403), ("enterprise_user", 403)):
            with self.subTest(persona):
                self.act_as(persona)
                self.assertEqual(self.post(url, {"decision": "approve"}).status_code, status)
        self.act_as("district")
        self.assertEqual(self.post(url, {"decision": "refuse"}).status_code, 422)
        response = self.post(url, {"decision": "approve"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], "approved")
        self.project.refresh_from_db()
        self.assertEqual(self.project.contract_amount, 200000)
        self.assertEqual(self.post(url, {"decision": "approve"}).status_code, 409)
