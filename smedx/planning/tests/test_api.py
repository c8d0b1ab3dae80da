"""Stage 2 API per persona: the library and read marks, standards and tiers, plans, planning requests."""

from smedx.planning.models import Document, Plan, PlanningRequest, ReadMark, Standard
from smedx.testing.api import ApiTestCase
from smedx.testing.planning import make_document, rate

GUIDE = {"kind": "guide", "level": "district", "title": "机械行业指南", "industries": ["34"]}
TARGET = {"metric": "enterprises_at_level", "level": 2, "value": "3", "due_date": "2026-12-31"}
PLAN = {"title": "渝北区实施方案", "period_start": "2025-01-01", "period_end": "2026-12-31"}


class PlanningDocumentApiTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.guide = make_document(cls.district, industries=",34,")
        cls.other_guide = make_document(cls.other_district, title="江北指南")  # another district's
        cls.chemistry = make_document(cls.city, title="化工指南", industries=",26,")
        cls.draft = make_document(cls.district, title="草稿", status=Document.Status.DRAFT)

    def titles(self, **query):
        response = self.get("/planning/documents", **query)
        self.assertEqual(response.status_code, 200)
        return {d["title"] for d in response.json()["results"]}

    def test_it_lists_what_the_library_page_shows_per_persona(self):
        self.act_as("enterprise_user")
        self.assertEqual(self.titles(), {"机械行业数字化转型指南"})
        self.act_as("district")
        self.assertEqual(self.titles(), {"机械行业数字化转型指南", "江北指南", "化工指南", "草稿"})
        self.assertEqual(self.titles(status="draft"), {"草稿"})
        self.assertEqual(self.titles(industry="26", q="化工"), {"化工指南"})
        self.act_as("other_district")
        self.assertNotIn("草稿", self.titles())
        self.assertEqual(self.get("/planning/documents", industry="zz").status_code, 422)
        for persona, status in (("outsider", 403), ("anonymous", 401)):
            self.act_as(persona)
            self.assertEqual(self.get("/planning/documents").status_code, status)

    def test_it_shows_a_document_to_whom_it_fits_only(self):
        self.act_as("enterprise_user")
        body = self.get(f"/planning/documents/{self.guide.pk}").json()
        self.assertEqual(
            (body["body"], body["industries"], body["is_read"]), ("第一段\n\n第二段", ["34"], False)
        )
        self.assertEqual(self.get(f"/planning/documents/{self.other_guide.pk}").status_code, 404)
        self.assertEqual(self.get(f"/planning/documents/{self.draft.pk}").status_code, 404)

    def test_it_drafts_changes_and_publishes_for_the_own_authority(self):
        self.act_as("enterprise_user")
        self.assertEqual(self.post("/planning/documents", GUIDE).status_code, 403)
        self.act_as("district")
        self.assertEqual(self.post("/planning/documents", {**GUIDE, "level": "city"}).status_code, 422)
        response = self.post("/planning/documents", GUIDE)
        self.assertEqual(response.status_code, 201)
        pk = response.json()["id"]
        self.act_as("other_district")
        self.assertEqual(self.patch(f"/planning/documents/{pk}", {"title": "x"}).status_code, 404)
        self.act_as("expert")  # sees the published guide, may not manage it
        self.assertEqual(self.patch(f"/planning/documents/{self.guide.pk}", {"title": "x"}).status_code, 403)
        self.act_as("district")
        response = self.patch(f"/planning/documents/{pk}", {"title": "新标题"})
        self.assertEqual((response.json()["title"], response.json()["industries"]), ("新标题", ["34"]))
        self.assertEqual(self.post(f"/planning/documents/{pk}/publish", {}).json()["status"], "published")
        self.assertEqual(self.patch(f"/planning/documents/{pk}", {"title": "y"}).status_code, 400)
        self.assertEqual(self.post(f"/planning/documents/{pk}/publish", {}).status_code, 400)

    def test_it_supersedes_a_document_with_a_new_version(self):
        self.act_as("district")
        response = self.post(f"/planning/documents/{self.guide.pk}/new-version", {})
        self.assertEqual(response.status_code, 201)
        draft = response.json()
        self.assertEqual((draft["version"], draft["supersedes_id"]), (2, self.guide.pk))
        self.assertEqual(self.post(f"/planning/documents/{self.guide.pk}/new-version", {}).status_code, 400)
        self.post(f"/planning/documents/{draft['id']}/publish", {})
        self.assertIsNotNone(self.get(f"/planning/documents/{self.guide.pk}").json()["superseded_at"])
        self.assertEqual(self.titles(), {"机械行业数字化转型指南", "江北指南", "化工指南", "草稿"})
        self.assertEqual(len(self.get("/planning/documents", versions=True).json()["results"]), 5)

    def test_it_marks_read_and_tells_officers_who_has_read(self):
        url = f"/planning/documents/{self.guide.pk}"
        self.act_as("district")
        self.assertEqual(self.post(url + "/read", {}).status_code, 403)
        self.act_as("other_enterprise_user")
        self.assertEqual(self.get(url + "/readers").status_code, 403)
        self.act_as("enterprise_user")
        self.assertEqual(self.post(f"/planning/documents/{self.other_guide.pk}/read", {}).status_code, 404)
        self.assertEqual(self.post(url + "/read", {}).status_code, 200)
        self.assertEqual(self.post(url + "/read", {}).status_code, 200)  # a second mark changes nothing
        self.assertEqual(ReadMark.objects.count(), 1)
        self.assertTrue(self.get(url).json()["is_read"])
        self.assertEqual(self.titles(read="0"), set())
        self.act_as("district")
        body = self.get(url + "/readers").json()
        self.assertEqual((body["read_count"], body["unread_count"]), (1, 1))
        self.assertEqual([r["enterprise"] for r in body["results"]], ["测试企业乙"])
        body = self.get(url + "/readers", show="read").json()
        self.assertEqual([r["enterprise"] for r in body["results"]], ["测试企业甲"])
        readers = {d["id"]: d["readers"] for d in self.get("/planning/documents").json()["results"]}
        self.assertEqual((readers[self.guide.pk], readers[self.chemistry.pk]), (1, 0))


class PlanningStandardApiTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        rate(cls.enterprise, 3)

    def test_it_keeps_standards_to_authorities(self):
        for persona, status in (("enterprise_user", 403), ("expert", 403), ("anonymous", 401)):
            with self.subTest(persona):
                self.act_as(persona)
                self.assertEqual(self.get("/planning/standards").status_code, status)
                self.assertEqual(self.post("/planning/standards", {"name": "x"}).status_code, status)
        self.act_as("district")
        pk = self.post("/planning/standards", {"name": "分级标准"}).json()["id"]
        self.assertEqual([s["id"] for s in self.get("/planning/standards").json()], [pk])
        self.act_as("other_district")
        self.assertEqual(self.get(f"/planning/standards/{pk}").status_code, 404)
        self.assertEqual(
            self.post(f"/planning/standards/{pk}/tiers", {"code": "a", "name": "a"}).status_code, 404
        )
        self.act_as("city")
        self.assertEqual(self.get(f"/planning/standards/{pk}").status_code, 200)
        self.assertEqual(self.patch(f"/planning/standards/{pk}", {"name": "x"}).status_code, 404)

    def test_it_builds_tiers_previews_and_applies(self):
        self.act_as("district")
        pk = self.post("/planning/standards", {"name": "分级标准"}).json()["id"]
        self.assertEqual(self.post(f"/planning/standards/{pk}/apply", {}).status_code, 400)  # no tier yet
        url = f"/planning/standards/{pk}/tiers"
        response = self.post(url, {"code": "top", "name": "标杆", "level_min": 3, "level_max": 1})
        self.assertEqual(response.status_code, 422)
        self.assertIn("level_max", response.json()["errors"])
        response = self.post(url, {"code": "top", "name": "标杆", "level_min": 3})
        self.assertEqual(response.status_code, 201)
        self.assertEqual(self.post(url, {"code": "top", "name": "again"}).status_code, 400)
        self.post(url, {"order": 2, "code": "rest", "name": "普及"})
        tiers = self.get(f"/planning/standards/{pk}").json()["tiers"]
        self.assertEqual([(t["code"], t["enterprises"]) for t in tiers], [("top", 1), ("rest", 1)])
        response = self.patch(f"/planning/tiers/{tiers[0]['id']}", {"level_min": 4})
        self.assertEqual(response.json()["tiers"][0]["rule"], {"level_min": 4})
        preview = self.get(f"/planning/standards/{pk}/preview").json()
        self.assertEqual([t["enterprises"] for t in preview["tiers"]], [0, 2])
        self.act_as("other_district")
        self.assertEqual(self.post(f"/planning/standards/{pk}/apply", {}).status_code, 404)
        self.act_as("district")
        response = self.post(f"/planning/standards/{pk}/apply", {})
        self.assertEqual(response.status_code, 201)
        self.assertEqual(sum(response.json()["counts"].values()), 2)
        self.assertEqual(Standard.objects.get().status, "applied")
        self.assertTrue(self.get(f"/planning/standards/{pk}").json()["is_current"])
        self.assertEqual(self.patch(f"/planning/tiers/{tiers[0]['id']}", {"name": "x"}).status_code, 400)


class PlanningPlanApiTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        rate(cls.enterprise, 2)

    def test_it_drafts_and_publishes_a_plan_with_targets_and_progress(self):
        self.act_as("enterprise_user")
        self.assertEqual(self.post("/planning/plans", {**PLAN, "targets": [TARGET]}).status_code, 403)
        self.assertEqual(self.get("/planning/plans").status_code, 403)
        self.act_as("district")
        bad = {**PLAN, "targets": [{**TARGET, "level": None}]}
        response = self.post("/planning/plans", bad)
        self.assertEqual(response.status_code, 422)
        self.assertIn("targets.0.level", response.json()["errors"])
        self.assertEqual(self.post("/planning/plans", {**PLAN, "period_end": "2024-01-01"}).status_code, 422)
        response = self.post("/planning/plans", {**PLAN, "targets": [TARGET]})
        self.assertEqual(response.status_code, 201)
        plan = response.json()
        self.assertEqual((plan["status"], plan["targets"][0]["hits"]), ("draft", 1))
        url = f"/planning/plans/{plan['id']}"
        self.act_as("other_district")
        self.assertEqual(self.get(url).status_code, 404)
        self.assertEqual(self.patch(url, {"title": "x"}).status_code, 404)
        self.act_as("district")
        response = self.patch(url, {"title": "新方案"})
        self.assertEqual((response.json()["title"], len(response.json()["targets"])), ("新方案", 1))
        self.assertEqual(self.post(url + "/publish", {}).json()["status"], "published")
        self.assertEqual(self.patch(url, {"title": "y"}).status_code, 400)
        self.act_as("other_district")
        self.assertEqual(self.get(url).json()["targets"][0]["percent"], 33)
        self.assertEqual(self.post(url + "/publish", {}).status_code, 404)
        self.assertEqual(Plan.objects.get().title, "新方案")


class PlanningRequestApiTests(ApiTestCase):
    def test_it_takes_a_request_from_the_enterprise_and_the_answer_from_its_district(self):
        body = {"route": "district", "need": "想做三年规划"}
        for persona, status in (("district", 403), ("provider", 403), ("anonymous", 401)):
            with self.subTest(persona):
                self.act_as(persona)
                self.assertEqual(self.post("/planning/requests", body).status_code, status)
        self.act_as("enterprise_user")
        self.assertEqual(self.post("/planning/requests", {"route": "provider", "need": "x"}).status_code, 422)
        response = self.post("/planning/requests", body)
        self.assertEqual(response.status_code, 201)
        url = f"/planning/requests/{response.json()['id']}"
        self.assertEqual(self.post(url + "/answer", {"answer": "x"}).status_code, 403)
        self.act_as("other_enterprise_user")
        self.assertEqual(self.get(url).status_code, 404)
        self.act_as("other_district")
        self.assertEqual(self.post(url + "/answer", {"answer": "x"}).status_code, 404)
        self.act_as("city")
        self.assertEqual(self.post(url + "/answer", {"answer": "x"}).status_code, 403)
        self.act_as("district")
        self.assertEqual(self.get("/planning/requests").json()["count"], 1)
        self.assertEqual(self.post(url + "/answer", {"answer": ""}).status_code, 422)
        response = self.post(url + "/answer", {"answer": "建议先做设备联网"})
        self.assertEqual(response.json()["status"], "answered")
        self.assertEqual(self.post(url + "/answer", {"answer": "再答"}).status_code, 400)
        self.act_as("enterprise_user")
        self.assertEqual(self.get("/planning/requests", status="answered").json()["count"], 1)
        self.assertEqual(self.post(url + "/close", {}).json()["status"], "closed")
        self.assertEqual(PlanningRequest.objects.get().status, "closed")

    def test_it_records_the_provider_the_enterprise_engaged(self):
        self.act_as("enterprise_user")
        body = {"route": "provider", "provider": self.provider.organisation.pk, "need": "规划"}
        pk = self.post("/planning/requests", body).json()["id"]
        self.act_as("provider")
        self.assertEqual(self.post(f"/planning/requests/{pk}/answer", {"answer": "已完成"}).status_code, 200)
        self.act_as("district")  # sees it, but the provider answers a request routed to it
        self.assertEqual(self.post(f"/planning/requests/{pk}/answer", {"answer": "x"}).status_code, 403)
        request = PlanningRequest.objects.get()
        self.assertEqual((request.route, request.answered_by), ("provider", self.provider))
