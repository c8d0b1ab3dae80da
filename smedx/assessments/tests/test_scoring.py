"""Scoring the 2024 instrument with hand-computed answer sets. Pure functions: no database.

The engine's own tests run on version 2024.1, whose scenes also take 0 (未达一级), as old answers do;
`OfficialScenesTests` holds 2024.2, the newest, to the official form's scene levels 1 to 4.
"""

from decimal import Decimal as D

from django.test import SimpleTestCase

from smedx.assessments.scoring import ScoringError, score
from smedx.assessments.spec import parse_instrument, parse_level_rule
from smedx.testing.answer_sets import (
    CONSTRAINED,
    GUIDING,
    best,
    instrument,
    middling,
    official,
    rule,
    scenes,
    worst,
)


def run(answers, **kwargs):
    return score(instrument(), answers, rule(), **kwargs)


class TotalsAndLevelsTests(SimpleTestCase):
    def test_it_gives_100_and_level_4_for_every_best_option(self):
        result = run(best())
        self.assertEqual(result.total, D(100))
        self.assertEqual(result.level, 4)
        self.assertEqual(result.level_name, "四级")
        self.assertEqual({k: v.points for k, v in result.dimensions.items()}, {"B": 50, "M": 30, "E": 20})
        self.assertIsNone(result.gap)

    def test_it_adds_b4_exactly_to_10(self):
        # 13 × 0.7 + 0.9 = 10 exactly; floats would give 9.999999999999998.
        result = run(best())
        self.assertEqual(result.items["B4"].points, D("10"))
        self.assertEqual(result.sub_dimensions["B.2"].points, D("10"))

    def test_it_adds_sub_dimensions(self):
        # B.1 = B1 8 + B2 6 + B3 6 = 20; B.4 = B6 5 + B7 5 = 10; M.2 = M3 7.5 + M4 7.5 = 15; E.3 = 3 + 3 = 6
        subs = run(best()).sub_dimensions
        self.assertEqual(subs["B.1"].points, 20)
        self.assertEqual(subs["B.4"].points, 10)
        self.assertEqual(subs["M.2"].points, 15)
        self.assertEqual(subs["E.3"].points, 6)

    def test_it_gives_level_4_with_exactly_10_scenes_of_which_6_constrained(self):
        # 6 constrained + 4 guiding at 4; the rest at 3.
        four = CONSTRAINED[:6] + GUIDING[:4]
        result = run(best(**scenes(3, **dict.fromkeys(four, 4))))
        self.assertEqual(result.level, 4)

    def test_it_refuses_level_4_with_10_scenes_but_only_5_constrained(self):
        # 5 constrained + 5 guiding at 4, the rest at 3: 四级 fails, 三级 holds (16 at ≥3, 10 constrained).
        four = CONSTRAINED[:5] + GUIDING[:5]
        result = run(best(**scenes(3, **dict.fromkeys(four, 4))))
        self.assertEqual(result.level, 3)

    def test_it_refuses_level_4_with_9_scenes_at_4(self):
        four = CONSTRAINED[:9]
        self.assertEqual(run(best(**scenes(3, **dict.fromkeys(four, 4)))).level, 3)

    def test_it_gives_0_and_no_level_for_every_none_and_lowest_option(self):
        result = run(worst())
        self.assertEqual(result.total, 0)
        self.assertEqual(result.level, 0)
        self.assertEqual(result.level_name, "未达一级")
        self.assertEqual(result.gap.level, 1)
        self.assertEqual(result.gap.points_missing, 20)

    def test_it_compares_the_unrounded_total(self):
        # best() keeping only B4 B and O (0.7 + 0.9 = 1.6 instead of 10), M2 B (1.875 instead of 7.5) and
        # M3 B (1.5 instead of 7.5): 100 − 8.4 − 5.625 − 6 = 79.975. Rounded to a whole number it would be
        # 80; unrounded it is below 80, so 三级 although every scene is at 四级.
        result = run(best(B4=["B", "O"], M2=["B"], M3=["B"]))
        self.assertEqual(result.total, D("79.975"))
        self.assertEqual(result.total_display, D("79.98"))
        self.assertEqual(result.level, 3)
        self.assertEqual(result.gap.points_missing, D("0.025"))

    def test_it_reaches_a_level_at_exactly_its_threshold(self):
        # best() with B1 B2 B3 B5 B6 B7 at their lowest (8+6+6+10+5+5 = 40 less): exactly 60 → 三级
        # (every scene at 3); one B4 option less (0.7) → 59.3 → 二级.
        lowest = dict.fromkeys(["B1", "B2", "B3", "B5", "B6", "B7"], ["A"])
        result = run(best(**lowest, **scenes(3)))
        self.assertEqual((result.total, result.level), (D(60), 3))
        result = run(best(**lowest, **scenes(3), B4=list("BCDEFGHIJKLMO")))
        self.assertEqual((result.total, result.level), (D("59.3"), 2))

    def test_it_falls_to_the_highest_level_whose_conditions_all_hold_when_scenes_fail(self):
        # middling(): 65.25 ≥ 60, but at ≥三级 only 4 constrained scenes (S01 S03 S06 S07) + 6 guiding = 10;
        # 三级 needs ≥ 5 constrained → fails; 二级: all 16 at ≥2, 10 constrained → holds.
        levels = scenes(2, **dict.fromkeys(GUIDING + ["S01", "S03", "S06", "S07"], 3))
        result = run(middling(**levels))
        self.assertEqual(result.total, D("65.25"))
        self.assertEqual(result.level, 2)

    def test_it_refuses_level_2_with_6_scenes_at_2_of_which_only_2_constrained(self):
        # 4 guiding (S02 S04 S05 S14) + 2 constrained (S01 S03) at 2, the rest at 1; total 65.25.
        # 二级 needs 3 constrained → fails; 一级: 16 at ≥1, 10 constrained, 65.25 ≥ 20 → 一级.
        levels = scenes(1, **dict.fromkeys(["S02", "S04", "S05", "S14", "S01", "S03"], 2))
        result = run(middling(**levels))
        self.assertEqual(result.level, 1)
        self.assertEqual([(s.scene, s.current, s.target) for s in result.gap.scenes], [("S06", 1, 2)])
        self.assertEqual(result.gap.points_missing, 0)

    def test_it_needs_the_scene_conditions_for_level_1_too_under_2024_1(self):
        # 100 points but only 5 scenes at ≥1: not even 一级 (a result the official form cannot give).
        result = run(best(**scenes(0, S01=4, S03=4, S06=4, S07=4, S08=4)))
        self.assertEqual(result.level, 0)
        self.assertEqual([s.scene for s in result.gap.scenes], ["S09"])


class GapTests(SimpleTestCase):
    def test_it_names_the_fewest_scenes_constrained_first(self):
        # As in the fall-back case above: 三级 lacks one constrained scene at ≥3. All other constrained
        # scenes are at 2, so the first of them in order, S08 设备管理, must rise from 2 to 3.
        levels = scenes(2, **dict.fromkeys(GUIDING + ["S01", "S03", "S06", "S07"], 3))
        gap = run(middling(**levels)).gap
        self.assertEqual(gap.level, 3)
        self.assertEqual(gap.points_missing, 0)
        self.assertEqual(
            [(s.scene, s.name, s.current, s.target) for s in gap.scenes], [("S08", "设备管理", 2, 3)]
        )

    def test_it_prefers_the_scenes_closest_to_the_target(self):
        # At ≥1: S16 S06 (at 2), S07 S08 S09 S02 S04 (at 1) = 7, constrained S06 S07 S08 S09 = 4 → 一级.
        # At ≥2: S16 S06 = 2, constrained 1 → not 二级 (needs 6 with 3 constrained).
        # Two constrained must rise: the closest, S07 and S08 (at 1), not S01 or S03 (at 0, earlier in
        # order); then two more of any kind, the closest again: S09 (constrained, at 1) and S02 (at 1).
        levels = scenes(0, S16=2, S06=2, S07=1, S08=1, S09=1, S02=1, S04=1)
        result = run(middling(**levels))
        self.assertEqual(result.level, 1)
        self.assertEqual(result.gap.level, 2)
        steps = [(s.scene, s.constrained, s.current, s.target) for s in result.gap.scenes]
        self.assertEqual(
            steps, [("S07", True, 1, 2), ("S08", True, 1, 2), ("S09", True, 1, 2), ("S02", False, 1, 2)]
        )

    def test_it_lists_the_cheapest_points_first_and_how_many_close_the_gap(self):
        # middling() with B5 C (5 instead of 10) and B1 B,C (4 instead of 8): 65.25 − 5 − 4 = 56.25.
        # Every scene at 3 → 三级 scenes hold, 56.25 < 60 → 二级; 3.75 points missing.
        result = run(middling(B5=["C"], B1=["B", "C"], **scenes(3)))
        self.assertEqual(result.total, D("56.25"))
        self.assertEqual(result.level, 2)
        gap = result.gap
        self.assertEqual((gap.level, gap.points_missing, gap.scenes), (3, D("3.75"), ()))
        steps = [(s.item, s.option, s.current, s.gain) for s in gap.suggestions]
        self.assertEqual(
            steps[:9],
            [
                ("E1", "C", "B", D("3.5")),  # 持平 → 降低
                ("E2", "C", "B", D("3.5")),
                ("B5", "D", "C", D("2.5")),  # the next better option, not the best one
                ("B1", "D", None, D("2")),
                ("B1", "E", None, D("2")),
                ("M2", "D", None, D("1.875")),
                ("M2", "E", None, D("1.875")),
                ("M4", "B", "A", D("1.875")),
                ("M1", "D", "C", D("1.5")),
            ],
        )
        self.assertEqual(
            [s[:2] for s in steps[9:]],
            [("M3", "C"), ("M3", "D"), ("M3", "E"), ("M3", "F"), ("E3", "B"), ("E4", "B")],
        )
        self.assertEqual(gap.suggestions[1].cumulative, D("7"))
        self.assertEqual(gap.suggestions_needed, 2)  # 3.5 + 3.5 ≥ 3.75

    def test_it_reports_the_gap_as_plain_data(self):
        data = run(middling(B5=["C"], B1=["B", "C"], **scenes(3))).as_dict()
        self.assertEqual(data["total"], "56.25")
        self.assertEqual(data["dimensions"]["B"], {"points": "41", "max": "50"})
        self.assertEqual(
            data["gap"]["suggestions"][0],
            {"item": "E1", "option": "C", "from": "B", "gain": "3.5", "cumulative": "3.5"},
        )
        self.assertEqual(run(best()).as_dict(float)["total"], 100.0)


class BandTests(SimpleTestCase):
    def band(self, code, figures, **more):
        return run(best(**{code: figures}, **more)).items[code]

    def test_it_puts_each_edge_of_the_option_texts_into_the_right_band(self):
        # Option texts: A [0-10%] 0, B (10%,20%] 1.5, C (20%,40%] 3, D (40%,60%] 4.5, E (60%,100%] 6.
        cases = [
            (0, 100, "A", "0"),
            (10, 100, "A", "0"),  # exactly 10 % is still A
            (1001, 10000, "B", "1.5"),  # 10.01 %, just above 10 %
            (20, 100, "B", "1.5"),
            (201, 1000, "C", "3"),
            (40, 100, "C", "3"),
            (401, 1000, "D", "4.5"),
            (60, 100, "D", "4.5"),
            (601, 1000, "E", "6"),
            (100, 100, "E", "6"),  # 100 %
        ]
        for digital, total, option, points in cases:
            with self.subTest(digital=digital, total=total):
                item = self.band("B2", {"digital": digital, "total": total})
                self.assertEqual((item.options, item.points), ((option,), D(points)))

    def test_it_computes_the_rate_exactly(self):
        # 1/3 = 33.33… % → C; 2/20 = 10 % exactly → A (no float rounding over the edge).
        self.assertEqual(self.band("B2", {"digital": 1, "total": 3}).options, ("C",))
        item = self.band("B2", {"digital": 2, "total": 20})
        self.assertEqual((item.options, item.value), (("A",), D(10)))

    def test_it_takes_the_total_of_b3_from_b2(self):
        # 联网率 = 联网设备 / 总生产设备数量 (B2's total): 30/50 = 60 % → D 4.5; 31/50 = 62 % → E 6.
        figures = {"digital": 40, "total": 50}
        self.assertEqual(self.band("B3", {"networked": 30}, B2=figures).options, ("D",))
        self.assertEqual(self.band("B3", {"networked": 31}, B2=figures).options, ("E",))
        self.assertEqual(self.band("B3", {"networked": 5, "total": 50}).options, ("A",))

    def test_it_accepts_the_rate_itself(self):
        self.assertEqual(self.band("B2", {"rate": 10}).options, ("A",))
        self.assertEqual(self.band("B2", {"rate": "10.5"}).options, ("B",))
        self.assertEqual(self.band("B3", {"rate": 100}).options, ("E",))

    def test_it_scores_the_band_in_the_total(self):
        # best() has B2 E (6); 25 % is C (3): 100 − 3 = 97.
        self.assertEqual(run(best(B2={"digital": 25, "total": 100})).total, 97)

    def test_it_accepts_figures_that_agree_with_the_chosen_option(self):
        item = self.band("B2", {"options": ["C"], "digital": 25, "total": 100})
        self.assertEqual(item.options, ("C",))


class ChangeTests(SimpleTestCase):
    E3_UP = {"employees_last": 100, "revenue_last": 5500, "employees_prev": 100, "revenue_prev": 5000}

    def item(self, code, **answers):
        return run(best(**answers)).items[code]

    def test_it_compares_revenue_per_employee(self):
        # 55 vs 50 万元 per person: up 10 % → C 增加 3.
        item = self.item("E3", E3=self.E3_UP)
        self.assertEqual((item.options, item.points, item.value), (("C",), D(3), D(10)))
        # 5000/100 = 50 vs 5500/110 = 50: flat → B 1.5.
        flat = {**self.E3_UP, "revenue_prev": 5500, "employees_prev": 110, "revenue_last": 5000}
        self.assertEqual(self.item("E3", E3=flat).options, ("B",))

    def test_it_compares_energy_per_revenue(self):
        # Energy up from 1000 to 1050 t, revenue up from 5000 to 5500 万元:
        # 1050/5500 = 0.1909 < 1000/5000 = 0.2 per 万元 → 降低 → C 7, although the energy itself rose.
        item = self.item("E1", E1={"energy_last": 1050, "energy_prev": 1000}, E3=self.E3_UP)
        self.assertEqual((item.options, item.points), (("C",), D(7)))
        # Energy up 20 % while revenue rose 10 % → 增加 → A 0.
        item = self.item("E1", E1={"energy_last": 1200, "energy_prev": 1000}, E3=self.E3_UP)
        self.assertEqual((item.options, item.points), (("A",), D(0)))

    def test_it_compares_cost_per_revenue(self):
        # 4400/5500 = 0.8 = 4000/5000 → 持平 → B 1.5.
        item = self.item("E4", E4={"cost_last": 4400, "cost_prev": 4000}, E3=self.E3_UP)
        self.assertEqual((item.options, item.points), (("B",), D("1.5")))

    def test_it_asks_for_the_revenue_when_only_the_energy_is_given(self):
        with self.assertRaisesMessage(ScoringError, "E1: give the figures of E3, or choose an option"):
            run(best(E1={"energy_last": 900, "energy_prev": 1000}))

    def test_it_uses_the_chosen_option_of_a_draft_without_all_figures(self):
        item = self.item("E1", E1={"options": ["B"], "energy_last": 900})
        self.assertEqual(item.options, ("B",))

    def test_it_keeps_data_fields_of_single_choice_items(self):
        item = self.item("M4", M4={"options": ["C"], "investment": 120})
        self.assertEqual((item.options, item.points), (("C",), D("3.75")))


class RefusedInputTests(SimpleTestCase):
    def refused(self, answers, message, **kwargs):
        with self.assertRaisesMessage(ScoringError, message) as ctx:
            run(answers, **kwargs)
        return ctx.exception

    def test_it_refuses_an_unknown_item(self):
        error = self.refused(best(B9=["A"]), "B9: there is no such item in miit-2024-mfg 2024.1")
        self.assertEqual(error.item, "B9")

    def test_it_refuses_an_unknown_option(self):
        self.assertEqual(self.refused(best(B1=["Z"]), "B1: there is no option Z").item, "B1")

    def test_it_refuses_none_together_with_other_options(self):
        self.refused(best(B4=["A", "B"]), "B4: “无” cannot be chosen together with other options")

    def test_it_refuses_two_options_on_a_single_choice_item(self):
        self.refused(best(B5=["B", "C"]), "B5: choose only one option")

    def test_it_refuses_an_option_given_twice(self):
        self.refused(best(B6=["B", "B"]), "B6: an option is given twice")

    def test_it_refuses_letters_not_given_as_a_list(self):
        self.refused(best(B1="B"), "B1: give the chosen option letters as a list")

    def test_it_refuses_a_scene_level_out_of_range(self):
        for value in (5, -1, "3", True, 2.5):
            with self.subTest(value=value):
                self.refused(best(S07=value), "S07: the scene level must be a whole number from 0 to 4")

    def test_it_refuses_a_negative_count(self):
        self.refused(
            best(B2={"digital": -1, "total": 10}), "B2: 实现数字化的生产设备数量为（台） cannot be negative"
        )

    def test_it_refuses_more_digital_equipment_than_equipment(self):
        self.refused(
            best(B2={"digital": 11, "total": 10}),
            "B2: 实现数字化的生产设备数量为（台） cannot be more than 其中生产设备数量为（台）",
        )

    def test_it_refuses_a_total_of_0(self):
        self.refused(best(B2={"digital": 0, "total": 0}), "B2: 其中生产设备数量为（台） must be more than 0")

    def test_it_refuses_a_borrowed_total_of_0(self):
        self.refused(
            best(B2={"rate": 50, "total": 0}, B3={"networked": 0}),
            "B3: 其中生产设备数量为（台） must be more than 0",
        )

    def test_it_refuses_a_rate_above_100(self):
        self.refused(best(B2={"rate": 120}), "B2: 120 is outside 0–100")

    def test_it_refuses_no_employees(self):
        figures = {"employees_last": 0, "revenue_last": 1, "employees_prev": 1, "revenue_prev": 1}
        self.refused(best(E3=figures), "E3: 企业上年员工人数为（人） must be more than 0")

    def test_it_refuses_text_as_a_number(self):
        self.refused(
            best(B2={"digital": "many", "total": 10}), "B2: 实现数字化的生产设备数量为（台） must be a number"
        )

    def test_it_refuses_an_unknown_input(self):
        self.refused(best(B2={"machines": 3}), "B2: there is no input “machines”")

    def test_it_refuses_figures_that_contradict_the_chosen_option(self):
        self.refused(
            best(B2={"options": ["E"], "digital": 1, "total": 100}), "B2: the figures give option A, not E"
        )

    def test_it_refuses_a_missing_item(self):
        answers = best()
        del answers["M3"]
        self.refused(answers, "M3: this item has not been answered")

    def test_it_refuses_an_empty_choice_as_missing(self):
        self.refused(best(B4=[]), "B4: this item has not been answered")

    def test_it_refuses_a_missing_scene(self):
        answers = best()
        del answers["S16"]
        self.refused(answers, "S16: this item has not been answered")

    def test_it_refuses_answers_that_are_not_an_object(self):
        with self.assertRaisesMessage(ScoringError, "The answers must be an object keyed by item code."):
            run([["B1", "A"]])


class PartialTests(SimpleTestCase):
    def test_it_scores_a_draft_without_the_missing_items(self):
        # Only B1 B,C (4) and B5 D (7.5) answered, S01 at 3.
        result = run({"B1": ["B", "C"], "B5": ["D"], "S01": 3}, partial=True)
        self.assertEqual(result.total, D("11.5"))
        self.assertEqual(result.level, 0)
        self.assertIn("B2", result.missing)
        self.assertIn("S02", result.missing)
        self.assertNotIn("S01", result.missing)
        self.assertEqual(len(result.missing), 13 + 15)
        self.assertFalse(result.items["B2"].answered)

    def test_it_still_refuses_bad_answers_in_a_draft(self):
        with self.assertRaisesMessage(ScoringError, "B1: there is no option Z"):
            run({"B1": ["Z"]}, partial=True)

    def test_it_treats_incomplete_figures_of_a_draft_as_unanswered(self):
        result = run({"B2": {"digital": 40}}, partial=True)
        self.assertIn("B2", result.missing)


TINY = {
    "type": "instrument",
    "format": 1,
    "code": "tiny-expert",
    "version": "1",
    "title": "专家评分测试表",
    "kind": "evaluation",
    "total": "15",
    "dimensions": [
        {
            "code": "X",
            "name": "成效",
            "points": "15",
            "items": [
                {"code": "X1", "kind": "expert", "title": "降本增效", "points": "10"},
                {"code": "X2", "kind": "expert", "title": "示范带动", "points": "5"},
                {"code": "X3", "kind": "text", "title": "其他说明"},
            ],
        }
    ],
}


class ExpertTests(SimpleTestCase):
    def setUp(self):
        self.spec = parse_instrument(TINY)

    def test_it_adds_expert_points(self):
        # 7.5 + 5 = 12.5; the text item gives nothing and may be left out.
        answers = {"X1": {"points": "7.5", "comment": "成本下降明显"}, "X2": {"points": 5}}
        result = score(self.spec, answers)
        self.assertEqual(result.total, D("12.5"))
        self.assertEqual(result.items["X1"].comment, "成本下降明显")
        self.assertIsNone(result.level)
        self.assertEqual(score(self.spec, {**answers, "X3": "说明"}).total, D("12.5"))

    def test_it_refuses_expert_points_above_the_maximum(self):
        with self.assertRaisesMessage(ScoringError, "X1: at most 10 points"):
            score(self.spec, {"X1": {"points": 11}, "X2": {"points": 0}})

    def test_it_refuses_negative_or_too_fine_expert_points(self):
        for points, message in (
            (-1, "X2: points cannot be negative"),
            ("1.2345", "X2: points have at most three decimals"),
        ):
            with self.subTest(points=points), self.assertRaisesMessage(ScoringError, message):
                score(self.spec, {"X1": {"points": 1}, "X2": {"points": points}})

    def test_it_refuses_an_expert_answer_without_points(self):
        with self.assertRaisesMessage(ScoringError, "X1: this item has not been answered"):
            score(self.spec, {"X1": {"comment": "待评"}, "X2": {"points": 1}})

    def test_it_refuses_an_expert_answer_that_is_not_an_object(self):
        with self.assertRaisesMessage(ScoringError, "X1: give the points and a comment"):
            score(self.spec, {"X1": 7, "X2": {"points": 1}})

    def test_it_refuses_a_text_answer_that_is_not_text(self):
        with self.assertRaisesMessage(ScoringError, "X3: the answer must be a text"):
            score(self.spec, {"X1": {"points": 1}, "X2": {"points": 1}, "X3": 5})

    def test_it_suggests_the_missing_expert_points(self):
        # A rule for a table without scenes: level 1 from 14 points. 8 + 5 = 13 → 1 point missing;
        # only X1 can still gain (10 − 8 = 2).
        rule = parse_level_rule(
            {
                "type": "level-rule",
                "format": 1,
                "code": "tiny-rule",
                "version": "1",
                "instrument": "tiny-expert",
                "levels": [
                    {"level": 1, "minTotal": "14", "sceneLevel": 1, "minScenes": 0, "minConstrained": 0}
                ],
            }
        )
        result = score(self.spec, {"X1": {"points": 8}, "X2": {"points": 5}}, rule)
        self.assertEqual(result.level, 0)
        self.assertEqual(result.gap.points_missing, 1)
        self.assertEqual([(s.item, s.option, s.gain) for s in result.gap.suggestions], [("X1", None, 2)])
        self.assertEqual(result.gap.suggestions_needed, 1)
        self.assertEqual(score(self.spec, {"X1": {"points": 9}, "X2": {"points": 5}}, rule).level, 1)


class OfficialScenesTests(SimpleTestCase):
    """2024.2 offers each scene at 一级 to 四级 only, as the official 2024 form does."""

    def run_official(self, answers, **kwargs):
        return score(official(), answers, rule(), **kwargs)

    def test_it_refuses_a_scene_answer_of_0_naming_the_scene(self):
        with self.assertRaisesMessage(
            ScoringError,
            "S03: level 0 (未达一级) is not offered: the scene levels of miit-2024-mfg 2024.2 are 1 to 4",
        ) as ctx:
            self.run_official(best(S03=0))
        self.assertEqual(ctx.exception.item, "S03")

    def test_it_refuses_other_levels_out_of_range(self):
        for value in (5, -1, "1", True, 1.0):
            with (
                self.subTest(value=value),
                self.assertRaisesMessage(
                    ScoringError, "S07: the scene level must be a whole number from 1 to 4"
                ),
            ):
                self.run_official(best(S07=value))

    def test_it_gives_level_1_on_the_points_alone_when_every_scene_is_at_its_lowest(self):
        # The official form's lowest answers: every scene 一级. middling() with B1–B6 at "无"/lowest, so
        # B is B7's 5: 5 + 8.25 + 7 = 20.25 ≥ 20 → 一级, as the rule gives when every scene is at ≥ 一级.
        lowest = dict.fromkeys(["B1", "B2", "B3", "B4", "B5", "B6"], ["A"])
        result = self.run_official(middling(**lowest, **scenes(1)))
        self.assertEqual(result.total, D("20.25"))
        self.assertEqual((result.level, result.level_name), (1, "一级"))
        self.assertEqual(result.gap.level, 2)

    def test_it_leaves_no_scene_to_raise_for_level_1(self):
        # Every "无"/lowest option (0 points), every scene at 一级: below 一级 by points only.
        result = self.run_official(worst())
        self.assertEqual((result.total, result.level), (0, 0))
        self.assertEqual(result.gap.level, 1)
        self.assertEqual(result.gap.points_missing, 20)
        self.assertEqual(result.gap.scenes, ())

    def test_it_scores_the_official_answers_as_2024_1_does(self):
        answers = middling(**scenes(1, S01=3, S06=2, S16=4))
        old, new = run(answers), self.run_official(answers)
        self.assertEqual((new.total, new.level, new.scenes), (old.total, old.level, old.scenes))
