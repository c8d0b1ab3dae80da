"""Stage 4 API per persona: supervision (assign, visit, rectify, fix, close) and acceptance."""

from datetime import timedelta

from django.utils import timezone

from smedx.assessments.loader import load_bundled
from smedx.projects.models import AcceptanceDecision, Project, Rectification, SupervisionVisit
from smedx.projects.services import acceptance
from smedx.testing.acceptance import (
    RATING,
    before_after,
    complete_documents,
    make_project,
    supervise,
    verify_all,
)
from smedx.testing.api import ApiTestCase

PS = Project.Status


class SupervisionApiTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = make_project(cls.enterprise, cls.provider.organisation, by=cls.enterprise_user)

    def test_it_lets_the_committee_assign_the_supervisor(self):
        url = f"/projects/{self.project.pk}/supervision/assign"
        for persona, status in (("other_enterprise_user", 404), ("enterprise_user", 403), ("district", 403)):
            with self.subTest(persona):
                self.act_as(persona)
                self.assertEqual(self.post(url, {"expert": self.expert.pk}).status_code, status)
        self.act_as("expert")
        self.assertEqual(self.post(url, {"expert": self.provider.pk}).status_code, 422)
        response = self.post(url, {"expert": self.expert.pk})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["expert_id"], self.expert.pk)
        self.assertEqual(self.post(url, {"expert": self.expert.pk}).status_code, 409)

    def test_it_walks_visit_rectification_fix_and_close(self):
        supervise(self.project, self.expert, self.expert)
        today = timezone.localdate()
        visit = {"visited_on": today.isoformat(), "findings": "进度正常"}
        rectify = {"description": "补录数据", "deadline": (today + timedelta(days=10)).isoformat()}
        self.act_as("provider")
        self.assertEqual(self.post(f"/projects/{self.project.pk}/supervision/visits", visit).status_code, 403)
        self.act_as("expert")
        future = {**visit, "visited_on": (today + timedelta(days=1)).isoformat()}
        self.assertEqual(
            self.post(f"/projects/{self.project.pk}/supervision/visits", future).status_code, 400
        )
        self.assertEqual(self.post(f"/projects/{self.project.pk}/supervision/visits", visit).status_code, 201)
        self.assertEqual(SupervisionVisit.objects.count(), 1)
        url = f"/projects/{self.project.pk}/rectifications"
        self.assertEqual(self.post(url, {**rectify, "deadline": "x"}).status_code, 422)
        response = self.post(url, rectify)
        self.assertEqual(response.status_code, 201)
        rectification = response.json()["id"]
        self.assertEqual(
            self.post(f"/rectifications/{rectification}/close", {}).status_code, 400
        )  # not fixed
        self.act_as("enterprise_user")
        self.assertEqual(self.post(f"/rectifications/{rectification}/fix", {"note": "x"}).status_code, 403)
        self.act_as("other_enterprise_user")
        self.assertEqual(self.post(f"/rectifications/{rectification}/fix", {"note": "x"}).status_code, 404)
        self.act_as("provider")
        self.assertEqual(self.post(f"/rectifications/{rectification}/fix", {"note": ""}).status_code, 422)
        response = self.post(f"/rectifications/{rectification}/fix", {"note": "已补录"})
        self.assertEqual(response.json()["status"], "fixed")
        self.assertEqual(self.post(f"/rectifications/{rectification}/close", {}).status_code, 403)
        self.act_as("expert")
        self.assertEqual(self.post(f"/rectifications/{rectification}/close", {}).json()["status"], "closed")
        self.assertEqual(Rectification.objects.get().status, "closed")
        self.act_as("enterprise_user")
        body = self.get(f"/projects/{self.project.pk}/supervision").json()
        self.assertEqual((len(body["visits"]), body["rectifications"][0]["status"]), (1, "closed"))
        self.act_as("other_district")
        self.assertEqual(self.get(f"/projects/{self.project.pk}/supervision").status_code, 404)


class AcceptanceApiTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        load_bundled()
        cls.before, cls.after = before_after(cls.enterprise)
        cls.project = make_project(
            cls.enterprise,
            cls.provider.organisation,
            PS.COMPLETED,
            by=cls.enterprise_user,
            completed_days_ago=3,
        )
        cls.url = f"/projects/{cls.project.pk}/acceptance"

    def application(self, **changes):
        return {"before": self.before.pk, "after": self.after.pk, **RATING, "declared": True, **changes}

    def test_it_takes_the_application_from_the_enterprise_only(self):
        for persona, status in (("other_enterprise_user", 404), ("provider", 403), ("district", 403)):
            with self.subTest(persona):
                self.act_as(persona)
                self.assertEqual(self.post(self.url + "/apply", self.application()).status_code, status)
        self.act_as("enterprise_user")
        self.assertEqual(self.post(self.url + "/apply", self.application(quality=9)).status_code, 422)
        self.assertEqual(self.post(self.url + "/apply", self.application(declared=False)).status_code, 422)
        response = self.post(self.url + "/apply", self.application())
        self.assertEqual(response.status_code, 400)  # the documents are missing
        self.assertIn("summary", response.json()["detail"].lower())
        complete_documents(self.project)
        response = self.post(self.url + "/apply", self.application())
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["status"], "acceptance_applied")
        self.assertTrue(all(check["ok"] for check in body["checks"]))

    def test_it_walks_verification_and_decision_by_the_committee(self):
        complete_documents(self.project)
        self.act_as("enterprise_user")
        self.post(self.url + "/apply", self.application())
        self.assertEqual(self.post(self.url + "/verify", {}).status_code, 403)
        self.assertEqual(
            self.post(self.url + "/decide", {"decision": "accepted", "reasons": "x"}).status_code, 403
        )
        self.act_as("other_district")
        self.assertEqual(self.post(self.url + "/verify", {}).status_code, 404)
        self.act_as("expert")
        self.assertEqual(
            self.post(self.url + "/decide", {"decision": "accepted", "reasons": "x"}).status_code, 400
        )
        response = self.post(self.url + "/verify", {})
        self.assertEqual(response.status_code, 200)
        application = self.project.acceptance_application
        verify_all(acceptance.verification_request(application).verified_assessment, self.expert)
        self.assertEqual(
            self.post(self.url + "/decide", {"decision": "maybe", "reasons": "x"}).status_code, 422
        )
        response = self.post(self.url + "/decide", {"decision": "accepted", "reasons": "目标达成"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual((response.json()["decision"], response.json()["status"]), ("accepted", "accepted"))
        self.assertEqual(AcceptanceDecision.objects.get().decision, "accepted")
        self.assertEqual(
            self.post(self.url + "/decide", {"decision": "failed", "reasons": "x"}).status_code, 409
        )
        self.act_as("district")
        self.assertIsNotNone(self.get(self.url).json()["verified_assessment_id"])
