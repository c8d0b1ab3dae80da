"""The diagnosis report page: who may read it, what it holds, and the order of its recommendations."""

from unittest.mock import patch

from django.urls import reverse

from smedx.assessments import report as report_module
from smedx.assessments.levels import level_label
from smedx.assessments.models import Answer, Assessment, DiagnosisRequest, Scene
from smedx.assessments.report import CatalogueLink, build_report, report_queryset
from smedx.assessments.scoring import score
from smedx.assessments.tests.matrix_report import make_assessment
from smedx.testing import PersonaTestCase
from smedx.testing import answer_sets as sets

# B at its best, M and E middling, every scene at 2 and S01 at 3: 65.25 points, 二级, because only one
# scene reaches 三级. The gap to 三级 is scenes only (constrained ones first), no points.
SCENES_SHORT = sets.middling(**sets.scenes(2, S01=3))
# Every scene at 3 but B5 at "无": 55.25 points, 二级; 三级 needs 4.75 more points and no scene.
POINTS_SHORT = sets.middling(B5=["A"], **sets.scenes(3))


def report_of(assessment):
    return build_report(report_queryset().get(pk=assessment.pk))


class ReportAccessTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.assessment = make_assessment(cls.enterprise, SCENES_SHORT, user=cls.enterprise_user)
        cls.url = reverse("assessments:report", kwargs={"pk": cls.assessment.pk})

    def test_it_shows_the_report_to_the_enterprise(self):
        self.login(self.enterprise_colleague)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        for text in ("测试企业甲", "数字化基础", "网络建设", "设备数字化", "生产管控", "APS 高级计划排程"):
            self.assertContains(response, text)
        self.assertContains(response, f">{level_label(2)}<")
        self.assertContains(response, 'class="radar-chart"')
        self.assertContains(response, reverse("assessments:report_pdf", kwargs={"pk": self.assessment.pk}))

    def test_it_shows_the_report_to_the_district_officer(self):
        self.login(self.district)
        self.assertContains(self.client.get(self.url), "测试企业甲")

    def test_it_hides_the_report_from_everyone_else(self):
        pdf = reverse("assessments:report_pdf", kwargs={"pk": self.assessment.pk})
        for user in (
            self.other_enterprise_user,
            self.other_district,
            self.provider,
            self.expert,
            self.outsider,
        ):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(self.url).status_code, 404)
                self.assertEqual(self.client.get(pdf).status_code, 404)

    def test_it_sends_visitors_to_the_login_page(self):
        response = self.client.get(self.url)
        self.assertRedirects(response, f"{reverse('login')}?next={self.url}", fetch_redirect_response=False)

    def test_it_answers_404_for_an_assessment_that_does_not_exist(self):
        self.login(self.enterprise_user)
        url = reverse("assessments:report", kwargs={"pk": self.assessment.pk + 1000})
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_it_takes_no_post(self):
        self.login(self.enterprise_user)
        self.assertEqual(self.client.post(self.url).status_code, 405)
        pdf = reverse("assessments:report_pdf", kwargs={"pk": self.assessment.pk})
        self.assertEqual(self.client.post(pdf).status_code, 405)

    def test_it_reads_the_report_in_a_fixed_number_of_queries(self):
        self.login(self.enterprise_user)
        self.client.get(self.url)  # warm the session and the instrument file's parse
        # session, user, memberships, notifications, the assessment, its answers (the catalogue's one
        # query is counted by the providers app's tests)
        hooked = patch.object(report_module, "catalogue_hook", return_value=None)
        hooked.start()
        self.addCleanup(hooked.stop)
        with self.assertNumQueries(6):
            self.client.get(self.url)


class ReportContentTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.scenes_short = make_assessment(cls.enterprise, SCENES_SHORT)
        cls.points_short = make_assessment(cls.enterprise, POINTS_SHORT, period="T1")

    def test_it_shows_the_profile_results_and_gap_of_the_stored_result(self):
        report = report_of(self.scenes_short)
        self.assertEqual(str(report.total), "65.25")
        self.assertEqual(report.level, 2)
        self.assertEqual([d.name for d in report.dimensions], ["数字化基础", "数字化管理", "数字化成效"])
        self.assertEqual([str(d.points) for d in report.dimensions], ["50.00", "8.25", "7.00"])
        self.assertEqual(len(report.items), 15)
        self.assertEqual(len(report.scenes), 16)
        self.assertEqual(report.gap.level, 3)
        self.assertEqual(str(report.gap.points_missing), "0.00")

    def test_it_raises_the_scenes_the_gap_names_first_with_the_level_text_to_reach(self):
        report = report_of(self.scenes_short)
        gap = self.scenes_short.result["gap"]
        needed = report.needed_recommendations
        self.assertEqual([r.code for r in needed], [s["scene"] for s in gap["scenes"]])
        self.assertTrue(all(r.constrained for r in needed))  # the rule needs 5 constrained at 三级
        s06 = next(r for r in needed if r.code == "S06")
        self.assertEqual(
            s06.detail, Scene.objects.get(instrument=self.scenes_short.instrument, code="S06").level_3
        )
        self.assertEqual(s06.target, str(level_label(3)))

    def test_it_orders_the_items_as_the_gap_says(self):
        report = report_of(self.points_short)
        result = score(sets.instrument(), POINTS_SHORT, sets.rule())
        gap = result.gap
        self.assertEqual(gap.scenes, ())
        self.assertEqual(gap.suggestions_needed, 2)
        needed = [r.code for r in report.needed_recommendations]
        self.assertEqual(needed, ["E1", "E2"])
        further_items = [r.code for r in report.further_recommendations if r.kind == "item"]
        in_gap_order = list(dict.fromkeys(s.item for s in gap.suggestions[2:]))
        self.assertEqual(further_items, in_gap_order)
        self.assertEqual(further_items[:3], ["B5", "M2", "M4"])
        self.assertEqual(
            [r.rank for r in report.recommendations], list(range(1, len(report.recommendations) + 1))
        )

    def test_it_names_the_option_and_the_kinds_of_solution_for_an_item(self):
        report = report_of(self.points_short)
        b5 = next(r for r in report.recommendations if r.code == "B5")
        self.assertEqual(b5.target, "B")
        self.assertEqual(b5.detail, "单个业务环节")
        self.assertEqual(str(b5.gain), "2.50")
        self.assertEqual(b5.solutions[:3], ("ERP 企业资源计划", "MES 制造执行系统", "PLM 产品生命周期管理"))

    def test_it_gives_every_weakness_a_next_step(self):
        report = report_of(make_assessment(self.enterprise, sets.worst(), period="T2"))
        self.assertEqual(report.level, 0)
        codes = {r.code for r in report.recommendations}
        self.assertEqual(codes, set(sets.instrument().items) | set(sets.instrument().scenes))
        self.assertTrue(all(r.solutions for r in report.recommendations))
        b4 = next(r for r in report.recommendations if r.code == "B4" and "B" in r.target.split(", "))
        self.assertIn("PLM 产品生命周期管理", b4.solutions)  # B 产品设计's own kind

    def test_it_lists_what_still_falls_short_at_the_top_level(self):
        report = report_of(
            make_assessment(self.enterprise, sets.best(B1=["B", "C", "D"], S05=3), period="T3")
        )
        self.assertEqual(report.level, 4)
        self.assertIsNone(report.gap)
        self.assertEqual(
            [(r.code, r.target) for r in report.recommendations], [("B1", "E"), ("S05", str(level_label(4)))]
        )
        self.assertFalse(any(r.needed for r in report.recommendations))

    def test_it_says_where_catalogue_links_will_appear_until_there_is_one(self):
        hooked = patch.object(report_module, "catalogue_hook", return_value=None)
        hooked.start()
        self.addCleanup(hooked.stop)
        self.login(self.enterprise_user)
        response = self.client.get(reverse("assessments:report", kwargs={"pk": self.points_short.pk}))
        self.assertContains(response, 'data-testid="catalogue-pending"')
        self.assertNotContains(response, "/catalogue/")

    def test_it_links_the_catalogue_once_one_is_registered(self):
        calls = []

        def hook(kinds):
            calls.append(kinds)
            return {"E1": [CatalogueLink("节能服务商甲", "/catalogue/e1/")]}

        hooked = patch.object(report_module, "catalogue_hook", return_value=hook)
        hooked.start()
        self.addCleanup(hooked.stop)
        self.login(self.enterprise_user)
        response = self.client.get(reverse("assessments:report", kwargs={"pk": self.points_short.pk}))
        self.assertContains(response, '<a href="/catalogue/e1/">节能服务商甲</a>', html=True)
        self.assertNotContains(response, 'data-testid="catalogue-pending"')
        self.assertEqual(len(calls), 1)  # one call per report, so the catalogue can answer in one query
        self.assertIn("能源管理系统（EMS）", calls[0]["E1"])


class DraftReportTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        answers = {"B1": ["B"], "B2": ["E"], "S01": 2}
        cls.draft = make_assessment(cls.enterprise, answers, status=Assessment.Status.DRAFT)

    def test_it_marks_the_page_of_a_draft_and_scores_the_answers_so_far(self):
        self.login(self.enterprise_user)
        response = self.client.get(reverse("assessments:report", kwargs={"pk": self.draft.pk}))
        self.assertContains(response, 'data-testid="draft-banner"')
        self.assertNotContains(response, 'data-testid="download-pdf"')
        report = response.context["report"]
        self.assertTrue(report.draft)
        self.assertTrue(report.partial)
        self.assertEqual(str(report.total), "8.00")  # B1 B 2 + B2 E 6
        self.assertFalse(next(i for i in report.items if i.code == "B3").answered)

    def test_it_gives_a_draft_no_pdf(self):
        self.login(self.enterprise_user)
        url = reverse("assessments:report_pdf", kwargs={"pk": self.draft.pk})
        response = self.client.get(url, follow=True)
        self.assertRedirects(response, reverse("assessments:report", kwargs={"pk": self.draft.pk}))
        self.assertNotEqual(response["Content-Type"], "application/pdf")
        self.assertEqual(len(list(response.context["messages"])), 1)


class VerifiedReportTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        own = make_assessment(cls.enterprise, SCENES_SHORT, user=cls.enterprise_user)
        cls.verified = make_assessment(
            cls.enterprise,
            {**SCENES_SHORT, "B5": ["C"], "S01": 2},
            user=cls.expert,
            status=Assessment.Status.VERIFIED,
            kind=Assessment.Kind.VERIFIED,
            verified_from=own,
        )
        Answer.objects.filter(assessment=cls.verified).update(review="accepted")
        Answer.objects.filter(assessment=cls.verified, item_code="B5").update(
            review="adjusted", reason="ERP 仅覆盖财务与采购两个环节"
        )
        Answer.objects.filter(assessment=cls.verified, item_code="S01").update(
            review="adjusted", reason="设计图纸未纳入系统管理"
        )
        DiagnosisRequest.objects.create(
            enterprise=cls.enterprise,
            assessment=own,
            route=DiagnosisRequest.Route.DISTRICT,
            status=DiagnosisRequest.Status.VERIFIED,
            expert=cls.expert,
            verified_assessment=cls.verified,
        )

    def test_it_shows_both_totals_the_verifier_and_the_adjustment(self):
        self.login(self.enterprise_user)
        response = self.client.get(reverse("assessments:report", kwargs={"pk": self.verified.pk}))
        self.assertContains(response, 'data-testid="verification"')
        report = response.context["report"]
        v = report.verification
        self.assertEqual(
            (str(v.self_total), str(v.verified_total), str(v.difference)), ("65.25", "60.25", "-5.00")
        )
        self.assertEqual(v.adjusted, 2)
        self.assertEqual(v.verifier, str(self.expert))
        b5 = next(i for i in report.items if i.code == "B5")
        self.assertEqual((str(b5.self_points), str(b5.points)), ("10.00", "5.00"))
        self.assertTrue(b5.changed)
        self.assertContains(response, "ERP 仅覆盖财务与采购两个环节")
        s01 = report.scenes[0]
        self.assertEqual((s01.code, s01.self_level, s01.level), ("S01", 3, 2))
        self.assertContains(response, "设计图纸未纳入系统管理")
        self.assertEqual(len(report.radar.split('class="radar-series"')) - 1, 2)
