"""The history pages: an enterprise's assessments by period, T0 against T1, re-scoring an earlier one."""

from decimal import Decimal as D

from django.urls import reverse

from smedx.assessments.levels import level_label
from smedx.assessments.loader import load_bundled, load_instrument
from smedx.assessments.models import Assessment, Instrument, LevelRule
from smedx.assessments.tests.test_history import version_2
from smedx.testing import PersonaTestCase
from smedx.testing.answer_sets import best, middling, scenes
from smedx.testing.assessments import make_assessment


class HistoryTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        load_bundled()
        cls.v1 = Instrument.objects.get(version="2024.1")
        # Rated under the first version, 2024.1, as older assessments are.
        t0 = middling(B5=["C"], **scenes(3))
        cls.t0 = make_assessment(cls.enterprise, t0, period="T0", instrument=cls.v1)  # 60.25 三级
        cls.t1 = make_assessment(cls.enterprise, best(), period="T1", instrument=cls.v1)  # 100 四级
        cls.t2_draft = make_assessment(
            cls.enterprise, {"B1": ["B"]}, period="T2", status=Assessment.Status.DRAFT
        )
        cls.other = make_assessment(cls.other_enterprise, best(), period="T0")

    def url(self, name, pk=None):
        return reverse(f"assessments:{name}", kwargs={"pk": pk or self.enterprise.pk})


class EnterpriseHistoryTests(HistoryTestCase):
    def test_it_lists_the_assessments_by_period(self):
        self.login(self.enterprise_colleague)
        response = self.client.get(self.url("history"))
        self.assertEqual(response.status_code, 200)
        periods = response.context["periods"]
        self.assertEqual([period for period, _rows in periods], ["T0", "T1", "T2"])
        self.assertContains(response, "60.25")
        self.assertContains(response, level_label(4))
        self.assertContains(response, self.url("compare"))
        self.assertContains(response, self.url("rescore", self.t0.pk))
        self.assertNotContains(response, self.url("rescore", self.t2_draft.pk))

    def test_it_shows_an_officer_of_the_district(self):
        self.login(self.district)
        self.assertEqual(self.client.get(self.url("history")).status_code, 200)

    def test_it_hides_the_history_from_others(self):
        for user in (self.other_enterprise_user, self.other_district, self.expert, self.outsider):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url("history")).status_code, 404)

    def test_it_offers_no_comparison_with_one_rated_assessment(self):
        self.login(self.other_enterprise_user)
        response = self.client.get(self.url("history", self.other_enterprise.pk))
        self.assertFalse(response.context["can_compare"])
        self.assertNotContains(response, 'data-testid="compare"')

    def test_it_answers_405_to_a_post(self):
        self.login(self.enterprise_user)
        for name, pk in (("history", None), ("compare", None), ("rescore", self.t0.pk)):
            with self.subTest(name):
                self.assertEqual(self.client.post(self.url(name, pk)).status_code, 405)


class CompareTests(HistoryTestCase):
    def test_it_compares_the_first_and_the_last_rated_period_by_default(self):
        self.login(self.enterprise_user)
        response = self.client.get(self.url("compare"))
        self.assertEqual(response.status_code, 200)
        comparison = response.context["comparison"]
        self.assertEqual((comparison.total.before, comparison.total.after), (D("60.25"), D(100)))
        self.assertContains(response, "+39.75")
        self.assertContains(response, 'data-testid="item-M1"')
        self.assertContains(response, 'data-testid="scene-S01"')

    def test_it_compares_the_two_chosen(self):
        t0_verified = make_assessment(
            self.enterprise,
            middling(B5=["B"], **scenes(3)),
            kind=Assessment.Kind.VERIFIED,
            status=Assessment.Status.VERIFIED,
            verified_from=self.t0,
        )
        self.login(self.district)
        response = self.client.get(self.url("compare"), {"before": self.t0.pk, "after": t0_verified.pk})
        self.assertEqual(response.context["comparison"].total.delta, D("-2.5"))
        self.assertContains(response, "-2.50")

    def test_it_refuses_the_same_assessment_twice(self):
        self.login(self.enterprise_user)
        response = self.client.get(self.url("compare"), {"before": self.t0.pk, "after": self.t0.pk})
        self.assertIsNone(response.context["comparison"])
        self.assertTrue(response.context["form"].non_field_errors())

    def test_it_refuses_a_draft_or_another_enterprises_assessment(self):
        self.login(self.city)
        for other in (self.t2_draft, self.other):
            with self.subTest(other.pk):
                response = self.client.get(self.url("compare"), {"before": self.t0.pk, "after": other.pk})
                self.assertEqual(response.status_code, 200)
                self.assertIsNone(response.context["comparison"])
                self.assertIn("after", response.context["form"].errors)
                self.assertNotContains(response, self.other_enterprise.name)

    def test_it_says_when_there_is_nothing_to_compare(self):
        self.login(self.other_enterprise_user)
        response = self.client.get(self.url("compare", self.other_enterprise.pk))
        self.assertFalse(response.context["enough"])
        self.assertIsNone(response.context["comparison"])

    def test_it_hides_the_page_from_others(self):
        self.login(self.other_enterprise_user)
        self.assertEqual(self.client.get(self.url("compare")).status_code, 404)

    def test_it_says_when_the_older_answers_were_re_scored(self):
        v2 = load_instrument(version_2()).obj
        t3 = make_assessment(self.enterprise, best(), period="T3", instrument=v2)
        self.login(self.enterprise_user)
        response = self.client.get(self.url("compare"), {"before": self.t0.pk, "after": t3.pk})
        self.assertContains(response, 'data-testid="notes"')
        self.assertEqual(response.context["comparison"].total.before, D("61.25"))


class RescoreTests(HistoryTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.v2 = load_instrument(version_2()).obj
        cls.rule = LevelRule.objects.get(active=True)

    def test_it_re_scores_under_the_newest_version_by_default_and_saves_nothing(self):
        self.login(self.district)
        response = self.client.get(self.url("rescore", self.t0.pk))
        self.assertEqual(response.status_code, 200)
        comparison = response.context["comparison"]
        self.assertEqual((comparison.total.before, comparison.total.after), (D("60.25"), D("61.25")))
        self.assertContains(response, "2024.5")
        self.t0.refresh_from_db()
        self.assertEqual((self.t0.total, self.t0.level, self.t0.instrument_id), (D("60.25"), 3, self.v1.pk))
        self.assertEqual(self.t0.result["total"], "60.25")

    def test_it_re_scores_under_the_version_chosen(self):
        self.login(self.enterprise_user)
        response = self.client.get(
            self.url("rescore", self.t0.pk), {"instrument": self.v1.pk, "rule": self.rule.pk}
        )
        self.assertEqual(response.context["comparison"].total.delta, 0)

    def test_it_refuses_an_unknown_version(self):
        self.login(self.enterprise_user)
        response = self.client.get(
            self.url("rescore", self.t0.pk), {"instrument": 999999, "rule": self.rule.pk}
        )
        self.assertIsNone(response.context["comparison"])
        self.assertIn("instrument", response.context["form"].errors)

    def test_it_does_not_re_score_a_draft(self):
        self.login(self.enterprise_user)
        response = self.client.get(self.url("rescore", self.t2_draft.pk))
        self.assertEqual(response.status_code, 200)
        self.assertIsNone(response.context["form"])

    def test_it_hides_the_page_from_others(self):
        for user in (self.other_enterprise_user, self.other_district, self.outsider):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url("rescore", self.t0.pk)).status_code, 404)
