"""Stage 1 API: instruments, scoring without saving, self-assessments per persona, verification."""

from datetime import date

from smedx.assessments.levels import level_label
from smedx.assessments.loader import load_bundled
from smedx.assessments.models import Answer, Assessment, DiagnosisRequest
from smedx.assessments.services import diagnosis as services_diagnosis
from smedx.core.models import AuditEntry
from smedx.testing import make_enterprise
from smedx.testing.answer_sets import best, middling, scenes, worst
from smedx.testing.api import API, ApiTestCase
from smedx.testing.assessments import make_assessment

CODE, VERSION = "miit-2024-mfg", "2024.2"  # the newest: scenes 一级–四级 only, as on the official form
OLD_VERSION = "2024.1"  # the first: its scenes took 0 (未达一级) too
SCORE = f"/instruments/{CODE}/{VERSION}/score"


class AssessmentApiTestCase(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        load_bundled()

    def put(self, path, data, **kwargs):
        return self.client.put(API + path, data, content_type="application/json", **kwargs)

    def assertRefused(self, response, item, status=400):
        self.assertEqual(response.status_code, status, response.content)
        body = response.json()
        self.assertIn(item, body["detail"])
        self.assertIn(item, body["errors"])
        return body


class InstrumentApiTests(AssessmentApiTestCase):
    def test_it_lists_the_instruments_to_anyone_logged_in(self):
        for persona in ("outsider", "enterprise_user", "city"):
            with self.subTest(persona):
                self.act_as(persona)
                response = self.get("/instruments")
                self.assertEqual(response.status_code, 200)
                old, row = response.json()
                self.assertEqual((old["code"], old["version"]), (CODE, OLD_VERSION))
                self.assertEqual((row["code"], row["version"], row["status"]), (CODE, VERSION, "active"))
                self.assertEqual(row["title"], "中小企业数字化水平评测指标（2024年版）")
        self.act_as("anonymous")
        self.assertEqual(self.get("/instruments").status_code, 401)

    def test_it_gives_dimensions_items_with_options_and_points_and_scenes(self):
        self.act_as("outsider")
        data = self.get(f"/instruments/{CODE}/{VERSION}").json()
        self.assertEqual(data["total"], 100)
        self.assertEqual(
            [(d["code"], d["points"]) for d in data["dimensions"]], [("B", 50), ("M", 30), ("E", 20)]
        )
        self.assertEqual(data["dimensions"][0]["sub_dimensions"][0]["items"], ["B1", "B2", "B3"])
        items = {item["code"]: item for item in data["items"]}
        self.assertEqual(len(items), 15)
        b4 = items["B4"]
        self.assertEqual(len(b4["options"]), 15)
        self.assertEqual((b4["options"][0]["code"], b4["options"][0]["exclusive"]), ("A", True))
        self.assertEqual(b4["options"][-1]["points"], 0.9)
        self.assertEqual({f["key"] for f in items["B2"]["fields"]}, {"digital", "total", "rate"})
        self.assertTrue(items["B2"]["computes_option"])
        self.assertEqual(len(data["scenes"]), 16)
        self.assertEqual(sum(s["constrained"] for s in data["scenes"]), 10)
        self.assertEqual(len(data["scenes"][0]["levels"]), 4)
        self.assertEqual(data["scene_levels"], [1, 2, 3, 4])
        options = data["scenes"][0]["options"]
        self.assertEqual(
            [(o["level"], o["name"]) for o in options], [(1, "一级"), (2, "二级"), (3, "三级"), (4, "四级")]
        )
        self.assertEqual(options[0]["text"], data["scenes"][0]["levels"][0])
        self.assertEqual(data["level_rule"]["levels"][0], {
            "level": 4, "min_total": 80, "scene_level": 4, "min_scenes": 10, "min_constrained": 6
        })  # fmt: skip

    def test_it_still_shows_the_0_of_version_2024_1(self):
        self.act_as("outsider")
        data = self.get(f"/instruments/{CODE}/{OLD_VERSION}").json()
        self.assertEqual(data["scene_levels"], [0, 1, 2, 3, 4])
        self.assertEqual(data["scenes"][0]["options"][0], {"level": 0, "name": "未达一级", "text": ""})

    def test_it_answers_404_for_an_unknown_version(self):
        self.act_as("outsider")
        self.assertEqual(self.get(f"/instruments/{CODE}/1999").status_code, 404)
        self.assertEqual(self.post(f"/instruments/{CODE}/1999/score", {"answers": best()}).status_code, 404)


class ScoreApiTests(AssessmentApiTestCase):
    def score(self, answers, persona="outsider"):
        self.act_as(persona)
        return self.post(SCORE, {"answers": answers})

    def test_it_gives_100_and_level_4_for_every_best_option(self):
        response = self.score(best())
        self.assertEqual(response.status_code, 200, response.content)
        data = response.json()
        self.assertEqual((data["total"], data["level"], data["max"]), (100, 4, 100))
        self.assertEqual(data["level_name"], str(level_label(4)))
        self.assertEqual(data["dimensions"], {"B": 50, "M": 30, "E": 20})
        self.assertEqual(data["scenes"], scenes(4))
        self.assertIsNone(data["gap"])
        self.assertEqual(data["items"]["B4"]["points"], 10)

    def test_it_gives_the_gap_to_the_next_level(self):
        data = self.score(middling()).json()
        self.assertEqual((data["total"], data["level"]), (65.25, 3))
        self.assertEqual(data["dimensions"], {"B": 50, "M": 8.25, "E": 7})
        gap = data["gap"]
        self.assertEqual((gap["level"], gap["points_missing"]), (4, 14.75))
        self.assertEqual(gap["scenes"], [])
        first = gap["suggestions"][0]
        self.assertEqual(set(first), {"item", "option", "from", "gain", "cumulative"})
        self.assertEqual(
            (first["item"], first["option"], first["from"], first["gain"]), ("E1", "C", "B", 3.5)
        )

    def test_it_names_the_scenes_to_raise(self):
        gap = self.score(best(**scenes(3))).json()["gap"]
        self.assertEqual(len(gap["scenes"]), 10)
        self.assertEqual(set(gap["scenes"][0]), {"scene", "name", "constrained", "from", "to"})
        self.assertEqual((gap["scenes"][0]["from"], gap["scenes"][0]["to"]), (3, 4))

    def test_it_gives_0_and_level_0_for_every_none(self):
        data = self.score(worst()).json()
        self.assertEqual((data["total"], data["level"]), (0, 0))

    def test_it_refuses_none_together_with_other_options_naming_the_item(self):
        self.assertRefused(self.score(best(B1=["A", "B"])), "B1")

    def test_it_refuses_an_unknown_code(self):
        self.assertRefused(self.score(best(X9=["A"])), "X9")

    def test_it_refuses_an_unknown_option(self):
        self.assertRefused(self.score(best(B5=["Z"])), "B5")

    def test_it_refuses_a_scene_at_0_naming_the_scene(self):
        body = self.assertRefused(self.score(best(S03=0)), "S03")
        self.assertIn("level 0 (未达一级) is not offered", body["errors"]["S03"][0])

    def test_it_scores_a_scene_at_0_under_version_2024_1(self):
        self.act_as("outsider")
        response = self.post(f"/instruments/{CODE}/{OLD_VERSION}/score", {"answers": best(S03=0)})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["scenes"]["S03"], 0)

    def test_it_refuses_values_out_of_range(self):
        self.assertRefused(self.score(best(S03=5)), "S03")
        self.assertRefused(self.score(best(S04="3")), "S04")
        self.assertRefused(self.score(best(B2={"rate": 120})), "B2")
        self.assertRefused(self.score(best(B3={"networked": 120, "total": 100})), "B3")
        self.assertRefused(self.score(best(B5=["B", "C"])), "B5")

    def test_it_refuses_a_missing_item(self):
        answers = best()
        del answers["M3"]
        body = self.assertRefused(self.score(answers), "M3")
        self.assertEqual(set(body["errors"]), {"M3"})
        answers = best()
        del answers["S16"]
        self.assertRefused(self.score(answers), "S16")

    def test_it_accepts_figures_under_the_documented_names(self):
        answers = best(
            B2={"digital": 50, "total": 100},  # 50 % → D 4.5
            B3={"networked": 30},  # total from B2: 30 % → C 3
            E3={"employees_last": 100, "revenue_last": 1100, "employees_prev": 100, "revenue_prev": 1000},
            E1={"energy_last": 90, "energy_prev": 100},  # per revenue: 90/1100 < 100/1000 → down → C
            M4={"options": ["E"], "investment": 120},
        )
        data = self.score(answers).json()
        items = data["items"]
        self.assertEqual(
            (items["B2"]["options"], items["B2"]["points"], items["B2"]["value"]), (["D"], 4.5, 50)
        )
        self.assertEqual((items["B3"]["options"], items["B3"]["points"]), (["C"], 3))
        self.assertEqual(items["E3"]["options"], ["C"])
        self.assertEqual(items["E1"]["options"], ["C"])
        self.assertEqual(data["total"], 100 - 1.5 - 3)
        self.assertEqual(self.score(best(B2={"rate": 10})).json()["items"]["B2"]["options"], ["A"])
        self.assertEqual(self.score(best(B2={"rate": "10.01"})).json()["items"]["B2"]["options"], ["B"])

    def test_it_saves_nothing(self):
        self.act_as("enterprise_user")
        before = (Assessment.objects.count(), Answer.objects.count(), AuditEntry.objects.count())
        self.assertEqual(self.post(SCORE, {"answers": best()}).status_code, 200)
        self.assertEqual(
            (Assessment.objects.count(), Answer.objects.count(), AuditEntry.objects.count()), before
        )

    def test_it_needs_a_caller(self):
        self.assertEqual(self.score(best(), persona="anonymous").status_code, 401)

    def test_it_refuses_a_body_without_answers(self):
        self.act_as("outsider")
        for body in ({}, {"answers": ["B1"]}, {"answers": best(), "extra": 1}):
            with self.subTest(body=str(body)[:40]):
                self.assertEqual(self.post(SCORE, body).status_code, 422)

    def test_it_refuses_a_wrong_method(self):
        self.act_as("outsider")
        response = self.get(SCORE)
        self.assertEqual(response.status_code, 405)
        self.assertTrue(response.json()["detail"])


class AssessmentReadApiTests(AssessmentApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.own = make_assessment(cls.enterprise, middling(), period="T0")
        cls.own_draft = make_assessment(
            cls.enterprise, {"B1": ["B"]}, period="T1", status=Assessment.Status.DRAFT
        )
        cls.other = make_assessment(cls.other_enterprise, best(), period="T0")
        cls.far = make_assessment(cls.far_enterprise, worst(), period="T0")
        Answer.objects.filter(assessment=cls.own, item_code="B1").update(answered_by=cls.enterprise_colleague)

    def ids_seen_by(self, persona, **query):
        self.act_as(persona)
        response = self.get("/assessments", **query)
        if response.status_code != 200:
            return response.status_code
        return {row["id"] for row in response.json()["results"]}

    def test_it_scopes_the_list_to_what_each_persona_may_see(self):
        own, draft, other, far = self.own.pk, self.own_draft.pk, self.other.pk, self.far.pk
        expected = {
            "city": {own, draft, other, far},
            "district": {own, draft, other},
            "other_district": {far},
            "expert": set(),
            "provider": set(),
            "enterprise_user": {own, draft},
            "other_enterprise_user": {other},
            "platform": set(),
            "outsider": set(),
            "anonymous": 401,
        }
        for persona in self.PERSONAS:
            with self.subTest(persona):
                self.assertEqual(self.ids_seen_by(persona), expected[persona])

    def test_it_filters_like_the_officer_list(self):
        cases = [
            ({"status": "draft"}, {self.own_draft.pk}),
            ({"level": "3"}, {self.own.pk}),
            ({"level": "none"}, {self.own_draft.pk}),
            ({"period": "T1"}, {self.own_draft.pk}),
            ({"region": "500105"}, {self.far.pk}),
            ({"q": "测试企业乙"}, {self.other.pk}),
            ({"kind": "verified"}, set()),
        ]
        for query, ids in cases:
            with self.subTest(query):
                self.assertEqual(self.ids_seen_by("city", **query), ids)

    def test_it_refuses_bad_filters_naming_the_field(self):
        self.act_as("district")
        for query, field in [({"status": "bogus"}, "status"), ({"region": "500105"}, "region")]:
            with self.subTest(query):
                response = self.get("/assessments", **query)
                self.assertEqual(response.status_code, 422)
                self.assertIn(field, response.json()["errors"])

    def test_it_lists_without_a_query_per_row(self):
        self.act_as("city")
        # session, user, membership, count, page
        with self.assertNumQueries(5):
            self.get("/assessments")
        for _n in range(5):
            make_assessment(make_enterprise(self.home_region), middling())
        with self.assertNumQueries(5):
            response = self.get("/assessments")
        self.assertEqual(response.json()["count"], 9)

    def test_it_gives_an_assessment_with_its_answers(self):
        self.act_as("enterprise_user")
        data = self.get(f"/assessments/{self.own.pk}").json()
        self.assertEqual((data["period"], data["kind"], data["status"]), ("T0", "self", "submitted"))
        self.assertEqual((data["total"], data["level"]), (65.25, 3))
        self.assertEqual(data["instrument"], f"{CODE} {VERSION}")
        self.assertEqual(data["enterprise"]["name"], "测试企业甲")
        answers = {a["item_code"]: a for a in data["answers"]}
        self.assertEqual(len(answers), 31)
        self.assertEqual(answers["M2"]["value"], ["B", "C"])
        self.assertEqual(answers["S01"]["value"], 4)
        self.assertEqual(answers["B1"]["answered_by"], "colleague")
        self.assertEqual((data["result"]["total"], data["result"]["dimensions"]["M"]), (65.25, 8.25))
        self.assertEqual(
            set(data["result"]["gap"]["suggestions"][0]), {"item", "option", "from", "gain", "cumulative"}
        )

    def test_it_shows_an_assessment_only_to_who_may_see_it(self):
        own, other, far = self.own.pk, self.other.pk, self.far.pk
        expected = {
            "city": {own: 200, other: 200, far: 200},
            "district": {own: 200, other: 200, far: 404},
            "other_district": {own: 404, other: 404, far: 200},
            "expert": {own: 404, other: 404, far: 404},
            "provider": {own: 404, other: 404, far: 404},
            "enterprise_user": {own: 200, other: 404, far: 404},
            "other_enterprise_user": {own: 404, other: 200, far: 404},
            "platform": {own: 404, other: 404, far: 404},
            "outsider": {own: 404, other: 404, far: 404},
            "anonymous": {own: 401, other: 401, far: 401},
        }
        for persona in self.PERSONAS:
            self.act_as(persona)
            for pk, status in expected[persona].items():
                with self.subTest(persona=persona, pk=pk):
                    self.assertEqual(self.get(f"/assessments/{pk}").status_code, status)
                    self.assertEqual(self.get(f"/assessments/{pk}/result").status_code, status)

    def test_it_gives_the_stored_result(self):
        self.act_as("district")
        data = self.get(f"/assessments/{self.own.pk}/result").json()
        self.assertEqual(
            (data["total"], data["level"], data["status"], data["partial"]), (65.25, 3, "submitted", False)
        )
        self.assertEqual(data["dimensions"], {"B": 50, "M": 8.25, "E": 7})
        self.assertEqual(data["gap"]["level"], 4)

    def test_it_gives_a_drafts_result_as_provisional(self):
        self.act_as("enterprise_user")
        data = self.get(f"/assessments/{self.own_draft.pk}/result").json()
        self.assertEqual((data["status"], data["partial"], data["total"]), ("draft", True, 2))
        self.assertIn("B2", data["missing"])


class AssessmentWriteApiTests(AssessmentApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.draft = make_assessment(cls.enterprise, {}, period="T0", status=Assessment.Status.DRAFT)

    def test_it_starts_a_self_assessment_for_the_callers_enterprise(self):
        self.act_as("enterprise_user")
        response = self.post("/assessments", {"period": "T1"})
        self.assertEqual(response.status_code, 201, response.content)
        data = response.json()
        self.assertEqual((data["period"], data["status"], data["kind"]), ("T1", "draft", "self"))
        created = Assessment.objects.get(pk=data["id"])
        self.assertEqual(created.enterprise, self.enterprise)
        self.assertTrue(AuditEntry.objects.filter(action="assessments.assessment.created").exists())

    def test_it_refuses_a_second_self_assessment_for_a_period(self):
        self.act_as("enterprise_user")
        response = self.post("/assessments", {"period": "T0"})
        self.assertEqual(response.status_code, 400)
        self.assertTrue(response.json()["detail"])
        self.assertEqual(Assessment.objects.count(), 1)

    def test_it_refuses_a_bad_period(self):
        self.act_as("enterprise_user")
        self.assertEqual(self.post("/assessments", {"period": "X1"}).status_code, 400)
        self.assertEqual(self.post("/assessments", {"period": "T1", "bogus": 1}).status_code, 422)
        self.assertEqual(Assessment.objects.count(), 1)

    def test_it_lets_only_enterprise_members_start(self):
        expected = {
            "city": 403,
            "district": 403,
            "expert": 403,
            "provider": 403,
            "outsider": 403,
            "anonymous": 401,
        }
        for persona, status in expected.items():
            with self.subTest(persona):
                self.act_as(persona)
                self.assertEqual(self.post("/assessments", {"period": "T1"}).status_code, status)
        self.assertEqual(Assessment.objects.count(), 1)

    def test_it_saves_an_answer_and_the_provisional_total(self):
        self.act_as("enterprise_user")
        response = self.put(f"/assessments/{self.draft.pk}/answers/B1", {"value": ["B", "C"]})
        self.assertEqual(response.status_code, 200, response.content)
        data = response.json()
        self.assertTrue(data["changed"])
        self.assertEqual((data["answer"]["value"], data["answer"]["answered_by"]), (["B", "C"], "enterprise"))
        self.assertEqual(data["total"], 4)
        self.assertEqual(data["assessment_version"], self.draft.version + 1)
        self.assertEqual(Answer.objects.get(assessment=self.draft, item_code="B1").value, ["B", "C"])

    def test_it_saves_figures_and_the_option_they_give(self):
        self.act_as("enterprise_user")
        response = self.put(
            f"/assessments/{self.draft.pk}/answers/B2", {"value": {"digital": 50, "total": 100}}
        )
        self.assertEqual(response.json()["answer"]["value"]["options"], ["D"])

    def test_it_refuses_a_bad_answer_naming_the_item_and_saves_nothing(self):
        self.act_as("enterprise_user")
        self.assertRefused(self.put(f"/assessments/{self.draft.pk}/answers/B1", {"value": ["A", "B"]}), "B1")
        self.assertRefused(self.put(f"/assessments/{self.draft.pk}/answers/S01", {"value": 7}), "S01")
        self.assertRefused(self.put(f"/assessments/{self.draft.pk}/answers/Q7", {"value": ["A"]}), "Q7")
        self.assertFalse(Answer.objects.filter(assessment=self.draft).exists())

    def test_it_refuses_a_bare_number_for_a_numeric_item_naming_it(self):
        self.act_as("enterprise_user")
        for value in (-1, {"options": -1}, {"options": "B"}):
            with self.subTest(value=value):
                body = self.assertRefused(
                    self.put(f"/assessments/{self.draft.pk}/answers/B2", {"value": value}), "B2"
                )
                self.assertEqual(body["errors"]["B2"], ["B2: give the chosen option letters as a list"])
        self.assertFalse(Answer.objects.filter(assessment=self.draft).exists())

    def test_it_refuses_a_change_based_on_someone_elses_older_answer(self):
        self.act_as("enterprise_user")
        first = self.put(f"/assessments/{self.draft.pk}/answers/B5", {"value": ["B"]}).json()
        token = first["answer"]["version"]
        self.client.force_login(self.enterprise_colleague)
        self.put(f"/assessments/{self.draft.pk}/answers/B5", {"value": ["C"], "version": token})
        self.act_as("enterprise_user")
        response = self.put(f"/assessments/{self.draft.pk}/answers/B5", {"value": ["D"], "version": token})
        self.assertEqual(response.status_code, 409)
        self.assertEqual(Answer.objects.get(assessment=self.draft, item_code="B5").value, ["C"])

    def test_it_keeps_other_people_from_answering(self):
        expected = {
            "other_enterprise_user": 404,
            "outsider": 404,
            "expert": 404,
            "district": 403,
            "anonymous": 401,
        }
        for persona, status in expected.items():
            with self.subTest(persona):
                self.act_as(persona)
                response = self.put(f"/assessments/{self.draft.pk}/answers/B1", {"value": ["B"]})
                self.assertEqual(response.status_code, status)
        self.assertFalse(Answer.objects.filter(assessment=self.draft).exists())

    def fill(self, answers):
        for code, value in answers.items():
            Answer.objects.create(assessment=self.draft, item_code=code, value=value)

    def submit(self, **body):
        return self.post(
            f"/assessments/{self.draft.pk}/submit", {"declared": True, "version": self.draft.version, **body}
        )

    def test_it_submits_with_the_declaration(self):
        self.fill(middling())
        self.act_as("enterprise_user")
        response = self.submit()
        self.assertEqual(response.status_code, 200, response.content)
        data = response.json()
        self.assertEqual((data["status"], data["total"], data["level"]), ("submitted", 65.25, 3))
        self.draft.refresh_from_db()
        self.assertTrue(self.draft.declared)
        again = self.put(f"/assessments/{self.draft.pk}/answers/B1", {"value": ["B"]})
        self.assertEqual(again.status_code, 400)

    def test_it_refuses_to_submit_without_the_declaration(self):
        self.fill(middling())
        self.act_as("enterprise_user")
        response = self.submit(declared=False)
        self.assertEqual(response.status_code, 400)
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.status, "draft")

    def test_it_names_every_unanswered_item_when_submitting(self):
        answers = middling()
        del answers["M3"], answers["S07"]
        self.fill(answers)
        self.act_as("enterprise_user")
        response = self.submit()
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.json()["errors"]), {"M3", "S07"})

    def test_it_refuses_a_submission_based_on_an_older_version(self):
        self.fill(middling())
        self.act_as("enterprise_user")
        self.assertEqual(self.submit(version=self.draft.version - 1).status_code, 409)

    def test_it_keeps_other_people_from_submitting(self):
        self.fill(middling())
        for persona, status in {"other_enterprise_user": 404, "district": 403, "anonymous": 401}.items():
            with self.subTest(persona):
                self.act_as(persona)
                self.assertEqual(self.submit().status_code, status)
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.status, "draft")


class VerificationApiTests(AssessmentApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.source = make_assessment(cls.enterprise, middling(), period="T0")
        request = services_diagnosis.request_diagnosis(
            assessment=cls.source, actor=cls.enterprise_user, route=DiagnosisRequest.Route.DISTRICT
        )
        request = services_diagnosis.assign(request=request, actor=cls.district, expert=cls.expert)
        request = services_diagnosis.record_visit(
            request=request,
            actor=cls.expert,
            visited_on=date(2025, 3, 1),
            visitors=[{"name": "王工"}],
            main_products="齿轮",
            process_flow="",
            intelligent_equipment="",
            industrial_software="",
        )
        cls.verification = services_diagnosis.start_verification(request=request, actor=cls.expert)
        cls.request = request

    def review(self, code, **body):
        return self.post(f"/verifications/{self.verification.pk}/answers/{code}", {"accept": True, **body})

    def test_it_lets_the_assigned_expert_accept_and_adjust(self):
        self.act_as("expert")
        accepted = self.review("B1")
        self.assertEqual(accepted.status_code, 200, accepted.content)
        self.assertEqual((accepted.json()["review"], accepted.json()["value"]), ("accepted", best()["B1"]))
        adjusted = self.review("B5", accept=False, value=["C"], reason="只在两个环节使用")
        self.assertEqual(adjusted.status_code, 200, adjusted.content)
        self.assertEqual(
            (adjusted.json()["review"], adjusted.json()["reason"]), ("adjusted", "只在两个环节使用")
        )
        self.assertEqual(Answer.objects.get(assessment=self.verification, item_code="B5").value, ["C"])

    def test_it_refuses_an_adjustment_without_a_reason_or_with_a_bad_value(self):
        self.act_as("expert")
        self.assertEqual(self.review("B5", accept=False, value=["C"]).status_code, 400)
        self.assertRefused(self.review("B1", accept=False, value=["A", "B"], reason="x"), "B1")
        self.assertEqual(Answer.objects.get(assessment=self.verification, item_code="B5").review, "")

    def test_it_keeps_others_from_verifying(self):
        expected = {
            "district": 403,
            "enterprise_user": 403,
            "other_enterprise_user": 404,
            "provider": 404,
            "anonymous": 401,
        }
        for persona, status in expected.items():
            with self.subTest(persona):
                self.act_as(persona)
                self.assertEqual(self.review("B1").status_code, status)
                self.assertEqual(
                    self.post(f"/verifications/{self.verification.pk}/complete", {"version": 1}).status_code,
                    status,
                )
        self.assertFalse(Answer.objects.filter(assessment=self.verification).exclude(review="").exists())

    def test_it_accepts_the_remaining_answers_at_once_and_then_completes(self):
        self.act_as("expert")
        self.review("B5", accept=False, value=["B"], reason="仅单一环节")
        url = f"/verifications/{self.verification.pk}/accept-remaining"
        response = self.post(url, {})
        self.assertEqual(response.status_code, 200, response.content)
        pending = len(self.source.answer_dict()) - 1
        self.assertEqual(response.json()["accepted"], pending)
        reviews = Answer.objects.filter(assessment=self.verification).values_list("item_code", "review")
        self.assertEqual({code: review for code, review in reviews if code == "B5"}, {"B5": "adjusted"})
        self.assertEqual(sum(review == "accepted" for _code, review in reviews), pending)
        again = self.post(url, {})
        self.assertEqual(again.status_code, 400)
        self.assertIn("already checked", again.json()["detail"])
        done = self.post(
            f"/verifications/{self.verification.pk}/complete", {"version": response.json()["version"]}
        )
        self.assertEqual(done.status_code, 200, done.content)
        for persona in ("district", "provider"):
            with self.subTest(persona):
                self.act_as(persona)
                self.assertIn(self.post(url, {}).status_code, (403, 404))

    def test_it_does_not_take_a_self_assessment_for_a_verification(self):
        self.act_as("expert")
        response = self.post(f"/verifications/{self.source.pk}/answers/B1", {"accept": True})
        self.assertEqual(response.status_code, 404)

    def test_it_completes_once_every_answer_is_checked(self):
        self.act_as("expert")
        self.verification.refresh_from_db()
        early = self.post(
            f"/verifications/{self.verification.pk}/complete", {"version": self.verification.version}
        )
        self.assertEqual(early.status_code, 400)
        for code in self.source.answer_dict():
            if code != "B5":
                services_diagnosis.verify_answer(
                    verification=self.verification, actor=self.expert, item_code=code, accept=True
                )
        self.review("B5", accept=False, value=["B"], reason="仅单一环节")
        self.verification.refresh_from_db()
        response = self.post(
            f"/verifications/{self.verification.pk}/complete", {"version": self.verification.version}
        )
        self.assertEqual(response.status_code, 200, response.content)
        data = response.json()
        self.assertEqual(
            (data["status"], data["kind"], data["verified_from"]), ("verified", "verified", self.source.pk)
        )
        self.assertEqual(data["total"], 65.25 - 7.5)
        self.request.refresh_from_db()
        self.assertEqual(self.request.status, DiagnosisRequest.Status.VERIFIED)
