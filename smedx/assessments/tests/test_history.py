"""T0 against T1, and re-scoring under another version: the pure comparison and the rows it reads."""

from decimal import Decimal as D

from django.test import SimpleTestCase, TestCase

from smedx.accounts.models import Region
from smedx.assessments import history
from smedx.assessments.history import Side, compare_periods, rescore_side
from smedx.assessments.levels import level_label
from smedx.assessments.loader import load_bundled, load_instrument, load_level_rule
from smedx.assessments.models import Answer, Assessment, Instrument, LevelRule
from smedx.assessments.spec import parse_instrument, parse_level_rule
from smedx.assessments.tests.test_loader import item_of
from smedx.testing import HOME_REGION, make_enterprise
from smedx.testing.answer_sets import (
    best,
    instrument,
    middling,
    raw_instrument,
    raw_official,
    raw_rule,
    rule,
    scenes,
)
from smedx.testing.assessments import make_assessment

SELF, VERIFIED = Assessment.Kind.SELF.label, Assessment.Kind.VERIFIED.label


def side(label, answers, spec=None, level_rule=None):
    return Side(label, answers, spec or instrument(), level_rule or rule())


def version_2():
    """A later version, 2024.5: option C of B5 gives 6 points instead of 5 (the best stays 10)."""
    data = raw_official()
    data["version"] = "2024.5"
    item_of(data, "B5")["options"][2]["points"] = "6"
    return data


def strict_rule():
    """Version 2 of the rule: 三级 needs 70 points instead of 60."""
    data = raw_rule()
    data["version"] = "2"
    data["levels"][1]["minTotal"] = "70"
    return data


class ComparePeriodsTests(SimpleTestCase):
    def test_it_gives_the_change_in_total_level_and_dimensions(self):
        # middling 65.25 (三级: every scene at 四级 but below 80) → best 100 (四级).
        comparison = compare_periods(side("T0", middling()), side("T1", best()))
        self.assertEqual((comparison.total.before, comparison.total.after), (D("65.25"), D(100)))
        self.assertEqual(comparison.total.delta, D("34.75"))
        self.assertEqual((comparison.level.before, comparison.level.after, comparison.level.delta), (3, 4, 1))
        self.assertEqual(comparison.level.after_answer, str(level_label(4)))
        dims = {d.change.code: d.change for d in comparison.dimensions}
        self.assertEqual({code: c.delta for code, c in dims.items()}, {"B": 0, "M": D("21.75"), "E": 13})
        self.assertEqual(dims["M"].max, D(30))
        self.assertEqual(comparison.notes, ())

    def test_it_gives_the_change_of_each_sub_dimension_and_item_with_the_answers(self):
        comparison = compare_periods(side("T0", middling()), side("T1", best()))
        subs = {s.change.code: s for d in comparison.dimensions for s in d.subs}
        # M.1 = M1 C 3 + M2 B,C 3.75 = 6.75 → 15
        self.assertEqual((subs["M.1"].change.before, subs["M.1"].change.after), (D("6.75"), D(15)))
        items = {item.code: item for item in comparison.items}
        self.assertEqual(len(items), 15)
        m1 = items["M1"]
        self.assertEqual((m1.before, m1.after, m1.delta), (D(3), D("7.5"), D("4.5")))
        self.assertEqual((m1.before_answer, m1.after_answer), ("C", "F"))
        self.assertEqual(items["M2"].before_answer, "B, C")
        self.assertEqual(items["B1"].direction, "same")
        self.assertEqual(
            [item.code for item in comparison.changed_items], ["M1", "M2", "M3", "M4", "E1", "E2", "E3", "E4"]
        )

    def test_it_gives_the_change_of_each_scene(self):
        before = middling(**scenes(2, S01=1))
        after = best(**scenes(2, S01=3, S16=4))
        comparison = compare_periods(side("T0", before), side("T1", after))
        by_code = {scene.code: scene for scene in comparison.scenes}
        self.assertEqual((by_code["S01"].before, by_code["S01"].after, by_code["S01"].delta), (1, 3, 2))
        self.assertTrue(by_code["S01"].constrained)
        self.assertEqual(by_code["S16"].delta, 2)
        self.assertFalse(by_code["S16"].constrained)
        self.assertEqual(by_code["S05"].direction, "same")
        self.assertEqual(
            (by_code["S01"].before_answer, by_code["S01"].after_answer),
            (str(level_label(1)), str(level_label(3))),
        )

    def test_it_shows_the_figures_behind_a_computed_option(self):
        after = best(B2={"digital": 50, "total": 100})  # 50 % → D
        comparison = compare_periods(side("T0", best()), side("T1", after))
        b2 = next(item for item in comparison.items if item.code == "B2")
        self.assertEqual((b2.before_answer, b2.after_answer), ("E", "D (50)"))
        self.assertEqual(b2.delta, D("-1.5"))
        self.assertEqual(b2.direction, "down")

    def test_it_re_scores_the_older_answers_under_the_newer_version_and_says_so(self):
        v2 = parse_instrument(version_2())
        before = side("T0", middling(B5=["C"]))  # 60.25 under 2024.1
        after = side("T1", best(), v2)
        comparison = compare_periods(before, after, instrument=v2)
        self.assertEqual(comparison.total.before, D("61.25"))  # B5 C is worth 6 in 2024.5
        self.assertEqual(comparison.instrument, "miit-2024-mfg 2024.5")
        self.assertEqual(len(comparison.notes), 1)
        self.assertIn("T0", comparison.notes[0])
        self.assertIn("2024.5", comparison.notes[0])

    def test_it_names_answers_the_newer_version_lacks_and_items_it_adds(self):
        data = raw_instrument()
        data["version"] = "2024.3"
        item_of(data, "E2")["code"] = "E5"
        v3 = parse_instrument(data)
        after = best(E5=["C"])
        del after["E2"]
        comparison = compare_periods(side("T0", middling()), side("T1", after, v3))
        notes = " ".join(comparison.notes)
        self.assertIn("E2", notes)
        self.assertIn("E5", notes)
        items = {item.code: item for item in comparison.items}
        self.assertEqual((items["E5"].before, items["E5"].before_answer), (D(0), "—"))

    def test_it_gives_the_level_by_the_rule_compared_under(self):
        strict = parse_level_rule(strict_rule())
        comparison = compare_periods(side("T0", middling()), side("T1", middling(), level_rule=strict))
        self.assertEqual((comparison.level.before, comparison.level.after), (2, 2))  # 65.25 < 70
        self.assertEqual(len(comparison.notes), 1)
        # The rule is named by its title and version, never by its code.
        self.assertIn(f"{strict.title}, version 2", comparison.notes[0])
        self.assertNotIn("miit-2024-default", comparison.notes[0])

    def test_it_re_scores_one_side_against_itself(self):
        v2 = parse_instrument(version_2())
        comparison = rescore_side(side("T0", middling(B5=["C"])), v2, rule())
        self.assertEqual((comparison.total.before, comparison.total.after), (D("60.25"), D("61.25")))
        b5 = next(item for item in comparison.items if item.code == "B5")
        self.assertEqual((b5.before, b5.after, b5.before_answer, b5.after_answer), (D(5), D(6), "C", "C"))
        self.assertEqual(comparison.before_label, "T0")
        self.assertIn("2024.5", comparison.after_label)


class HistoryRowsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_bundled()
        cls.v1 = Instrument.objects.get(version="2024.1")
        cls.v2 = load_instrument(version_2()).obj
        cls.rule = LevelRule.objects.get(active=True)
        cls.enterprise = make_enterprise(Region.objects.get(code=HOME_REGION))
        cls.t0 = make_assessment(cls.enterprise, middling(B5=["C"]), period="T0", instrument=cls.v1)
        cls.t0_verified = make_assessment(
            cls.enterprise,
            middling(B5=["B"]),
            period="T0",
            kind=Assessment.Kind.VERIFIED,
            status=Assessment.Status.VERIFIED,
            verified_from=cls.t0,
            instrument=cls.v1,
        )
        cls.t1 = make_assessment(cls.enterprise, best(), period="T1", instrument=cls.v2)

    def test_it_puts_the_earlier_period_first_whatever_the_order_given(self):
        comparison = history.comparison_for(self.t1, self.t0)
        self.assertEqual(comparison.before_label, f"T0 {SELF}")
        self.assertEqual(comparison.after_label, f"T1 {SELF}")
        self.assertEqual(comparison.total.after, D(100))

    def test_it_compares_under_the_newer_version_loaded(self):
        comparison = history.comparison_for(self.t0, self.t1)
        self.assertEqual(comparison.instrument, "miit-2024-mfg 2024.5")
        self.assertEqual(comparison.total.before, D("61.25"))
        self.assertTrue(comparison.notes)

    def test_it_compares_under_the_newer_rule(self):
        strict = load_level_rule(strict_rule()).obj
        self.t1.level_rule = strict
        self.t1.save(update_fields=["level_rule"])
        comparison = history.comparison_for(self.t0, self.t1)
        self.assertEqual(comparison.rule, "miit-2024-default 2")
        self.assertEqual(comparison.level.before, 2)

    def test_it_puts_the_self_assessment_before_its_verification(self):
        comparison = history.comparison_for(self.t0_verified, self.t0)
        self.assertEqual(comparison.before_label, f"T0 {SELF}")
        self.assertEqual(comparison.after_label, f"T0 {VERIFIED}")
        self.assertEqual(comparison.total.delta, D("-2.5"))  # B5 C 5 → B 2.5
        self.assertEqual(comparison.notes, ())

    def test_it_re_scores_without_changing_the_stored_result(self):
        stored = Assessment.objects.get(pk=self.t0.pk)
        answers_before = list(Answer.objects.filter(assessment=self.t0).values_list("item_code", "value"))
        comparison = history.rescore_assessment(stored, self.v2, self.rule)
        self.assertEqual(comparison.total.after, D("61.25"))
        again = Assessment.objects.get(pk=self.t0.pk)
        self.assertEqual((again.total, again.level), (D("60.25"), 3))
        self.assertEqual(again.result, stored.result)
        self.assertEqual(again.result["instrument"]["version"], "2024.1")
        self.assertEqual(again.instrument_id, self.v1.pk)
        self.assertEqual(again.version, stored.version)
        after = list(Answer.objects.filter(assessment=self.t0).values_list("item_code", "value"))
        self.assertEqual(after, answers_before)

    def test_it_groups_the_assessments_by_period(self):
        grouped = history.history_of([self.t1, self.t0_verified, self.t0])
        self.assertEqual(grouped, [("T0", [self.t0, self.t0_verified]), ("T1", [self.t1])])
