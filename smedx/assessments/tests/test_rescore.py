"""Re-scoring an earlier answer set under a newer instrument version, for comparison only."""

from decimal import Decimal as D

from django.test import TestCase

from smedx.accounts.models import Region
from smedx.assessments.loader import load_bundled, load_instrument
from smedx.assessments.models import Answer, Assessment, Instrument, LevelRule
from smedx.assessments.scoring import rescore, score
from smedx.assessments.spec import parse_instrument
from smedx.assessments.tests.test_loader import item_of
from smedx.testing import HOME_REGION, make_enterprise
from smedx.testing.answer_sets import middling, raw_instrument


class RescoreTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_bundled()
        cls.v1 = Instrument.objects.get(version="2024.1")
        cls.rule = LevelRule.objects.active_for("miit-2024-mfg")
        # In 2024.2 option C of B5 (多个业务环节) gives 6 points instead of 5; the best stays 10.
        data = raw_instrument()
        data["version"] = "2024.2"
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
        self.assertEqual(again.result.version, "2024.2")
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
