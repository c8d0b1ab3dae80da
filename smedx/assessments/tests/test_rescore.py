"""Re-scoring an earlier answer set under a newer instrument version, for comparison only."""

from decimal import Decimal as D

from django.test import TestCase

from smedx.accounts.models import Region
from smedx.assessments import history
from smedx.assessments.loader import load_bundled, load_instrument
from smedx.assessments.models import Answer, Assessment, Instrument, LevelRule
from smedx.assessments.scoring import rescore, score
from smedx.assessments.spec import parse_instrument
from smedx.assessments.tests.test_loader import item_of
from smedx.testing import HOME_REGION, make_enterprise
from smedx.testing.answer_sets import best, middling, raw_instrument, raw_official, scenes


class RescoreTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_bundled()
        cls.v1 = Instrument.objects.get(version="2024.1")
        cls.rule = LevelRule.objects.active_for("miit-2024-mfg")
        # In a later 2024.5 option C of B5 (多个业务环节) gives 6 points instead of 5; the best stays 10.
        data = raw_official()
        data["version"] = "2024.5"
        item_of(data, "B5")["options"][2]["points"] = "6"
        cls.v2 = load_instrument(data).obj
        enterprise = make_enterprise(Region.objects.get(code=HOME_REGION))
        answers = middling(B5=["C"])  # 65.25 − 10 + 5 = 60.25
        result = score(cls.v1.spec, answers, cls.rule.spec)
        cls.assessment = Assessment.objects.create(
            enterprise=enterprise,
            instrument=cls.v1,
            level_rule=cls.rule,
            total=result.total,
            level=result.level,
            result=result.as_dict(),
            status=Assessment.Status.SUBMITTED,
        )
        Answer.objects.bulk_create(
            Answer(assessment=cls.assessment, item_code=k, value=v) for k, v in answers.items()
        )

    def test_it_gives_the_total_under_the_new_version_and_leaves_the_original_alone(self):
        answers = self.assessment.answer_dict()
        self.assertEqual(self.assessment.total, D("60.25"))
        again = rescore(answers, self.v2.spec, self.rule.spec)
        self.assertEqual(again.result.total, D("61.25"))  # 60.25 − 5 + 6
        self.assertEqual(again.result.version, "2024.5")
        self.assertEqual((again.dropped, again.unanswered), ((), ()))
        self.assertEqual(score(self.v1.spec, answers, self.rule.spec).total, D("60.25"))
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.total, D("60.25"))
        self.assertEqual(self.assessment.result["total"], "60.25")
        self.assertEqual(self.assessment.result["instrument"]["version"], "2024.1")
        self.assertEqual(self.assessment.instrument, self.v1)

    def test_it_reports_items_the_new_version_does_not_have(self):
        data = raw_instrument()
        data["version"] = "2024.3"
        item_of(data, "E2")["code"] = "E5"
        spec = parse_instrument(data)
        again = rescore(self.assessment.answer_dict(), spec, self.rule.spec)
        self.assertEqual(again.dropped, ("E2",))
        self.assertEqual(again.unanswered, ("E5",))
        self.assertEqual(again.result.total, D("56.75"))  # 60.25 − E2's 3.5


class SceneLevelZeroTests(TestCase):
    """A 2024.1 answer of 0 (未达一级) re-scored under 2024.2, whose scenes start at 一级 as on the official form."""

    @classmethod
    def setUpTestData(cls):
        load_bundled()
        cls.v1 = Instrument.objects.get(version="2024.1")
        cls.official = Instrument.objects.get(version="2024.2")
        cls.rule = LevelRule.objects.active_for("miit-2024-mfg")
        # 100 points, but only 5 scenes at ≥ 一级: 2024.1 rates it 未达一级, a result the official form
        # cannot give. Under 2024.2 the other 11 count as 一级: 16 at ≥ 1, 10 constrained → 一级; 二级
        # needs 6 scenes at ≥ 2 and has 5.
        cls.answers = best(**scenes(0, S01=4, S03=4, S06=4, S07=4, S08=4))
        result = score(cls.v1.spec, cls.answers, cls.rule.spec)
        cls.assessment = Assessment.objects.create(
            enterprise=make_enterprise(Region.objects.get(code=HOME_REGION)),
            instrument=cls.v1,
            level_rule=cls.rule,
            total=result.total,
            level=result.level,
            result=result.as_dict(),
            status=Assessment.Status.SUBMITTED,
        )
        Answer.objects.bulk_create(
            Answer(assessment=cls.assessment, item_code=k, value=v) for k, v in cls.answers.items()
        )
        cls.zeros = ("S02", "S04", "S05", "S09", "S10", "S11", "S12", "S13", "S14", "S15", "S16")

    def test_it_counts_an_old_0_as_level_1_and_reports_the_scene(self):
        self.assertEqual(self.assessment.level, 0)
        again = rescore(self.assessment.answer_dict(), self.official.spec, self.rule.spec)
        self.assertEqual(again.raised, self.zeros)
        self.assertEqual({again.result.scenes[code] for code in self.zeros}, {1})
        self.assertEqual(again.result.scenes["S01"], 4)
        self.assertEqual((again.result.total, again.result.level), (D(100), 1))
        self.assertEqual(again.result.gap.level, 2)

    def test_it_leaves_the_stored_assessment_alone(self):
        history.rescore_assessment(self.assessment, self.official, self.rule)
        self.assessment.refresh_from_db()
        self.assertEqual((self.assessment.instrument, self.assessment.level), (self.v1, 0))
        self.assertEqual(self.assessment.answer_dict()["S02"], 0)
        self.assertEqual(self.assessment.result["scenes"]["S02"], 0)

    def test_it_flags_the_raised_scenes_in_the_comparison(self):
        comparison = history.rescore_assessment(self.assessment, self.official, self.rule)
        self.assertEqual((comparison.level.before, comparison.level.after), (0, 1))
        scenes_by_code = {change.code: change for change in comparison.scenes}
        s02 = scenes_by_code["S02"]
        self.assertEqual((s02.before, s02.after), (0, 1))
        self.assertEqual(s02.after_answer, "Level 1 (answered 未达一级)")
        self.assertEqual(scenes_by_code["S01"].after_answer, "Level 4")
        notes = " ".join(comparison.notes)
        self.assertIn("S02, S04, S05", notes)
        self.assertIn(
            "were answered 未达一级, which 中小企业数字化水平评测指标（2024年版）, version 2024.2 does not offer",
            notes,
        )

    def test_it_flags_the_raised_scenes_of_the_earlier_period_against_a_later_one(self):
        later = best(**scenes(2))
        result = score(self.official.spec, later, self.rule.spec)
        t1 = Assessment.objects.create(
            enterprise=self.assessment.enterprise,
            instrument=self.official,
            level_rule=self.rule,
            period="T1",
            total=result.total,
            level=result.level,
            result=result.as_dict(),
            status=Assessment.Status.SUBMITTED,
        )
        Answer.objects.bulk_create(Answer(assessment=t1, item_code=k, value=v) for k, v in later.items())
        comparison = history.comparison_for(self.assessment, t1)
        self.assertEqual(comparison.instrument, "miit-2024-mfg 2024.2")
        s02 = next(change for change in comparison.scenes if change.code == "S02")
        self.assertEqual((s02.before, s02.after), (1, 2))
        self.assertEqual((s02.before_answer, s02.after_answer), ("Level 1 (answered 未达一级)", "Level 2"))
        self.assertEqual((comparison.level.before, comparison.level.after), (1, 2))

    def test_it_passes_a_0_on_to_a_version_that_offers_it(self):
        again = rescore(self.answers, self.v1.spec, self.rule.spec)
        self.assertEqual((again.raised, again.result.scenes["S02"], again.result.level), ((), 0, 0))
