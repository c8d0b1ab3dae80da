"""Loading instrument and level-rule files: checked completely, written at once, never changed in place."""

import copy
import json
import tempfile
from decimal import Decimal as D
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import TestCase

from smedx.assessments.loader import load_bundled, load_file, load_instrument, load_level_rule
from smedx.assessments.models import Dimension, Instrument, Item, LevelRule, Option, Scene
from smedx.assessments.spec import InstrumentError
from smedx.testing.answer_sets import raw_instrument, raw_official, raw_rule

OPTIONS_PER_ITEM = {
    "B1": 5, "B2": 5, "B3": 5, "B4": 15, "B5": 5, "B6": 5, "B7": 5,
    "M1": 6, "M2": 5, "M3": 6, "M4": 5,
    "E1": 3, "E2": 3, "E3": 3, "E4": 3,
}  # fmt: skip


def item_of(data: dict, code: str) -> dict:
    for dim in data["dimensions"]:
        for sub in dim["subDimensions"]:
            for item in sub["items"]:
                if item["code"] == code:
                    return item
    raise KeyError(code)


class TempFileMixin:
    def write(self, data: dict) -> Path:
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        path = Path(folder.name) / "instrument.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return path


class LoadBundledTests(TestCase):
    def test_it_loads_the_2024_instrument_as_rows(self):
        loaded = load_bundled()
        self.assertEqual([item.created for item in loaded], [True, True, True])
        instrument = Instrument.objects.get(code="miit-2024-mfg", version="2024.1")
        Instrument.objects.exclude(pk=instrument.pk).delete()  # the rows of 2024.1 only
        self.assertEqual(instrument.title, "中小企业数字化水平评测指标（2024年版）")
        self.assertEqual(instrument.total, 100)
        self.assertEqual(
            list(Dimension.objects.filter(parent=None).values_list("code", "name", "points")),
            [("B", "数字化基础", 50), ("M", "数字化管理", 30), ("E", "数字化成效", 20)],
        )
        self.assertEqual(Dimension.objects.exclude(parent=None).count(), 9)
        items = {item.code: item for item in Item.objects.all()}
        self.assertEqual(list(items), list(OPTIONS_PER_ITEM))
        self.assertEqual({code: item.options.count() for code, item in items.items()}, OPTIONS_PER_ITEM)
        self.assertEqual(Option.objects.count(), 79)
        self.assertEqual(items["B2"].dimension.name, "设备系统")
        self.assertEqual(items["B2"].kind, "numeric")
        self.assertTrue(items["B2"].description.startswith("设备数字化率：是指企业现有生产设备的数字化程度"))
        self.assertEqual(items["B2"].form_fields[2]["name"], "实现数字化的生产设备数量为（台）")
        self.assertEqual(Option.objects.get(item=items["B4"], code="O").points, D("0.9"))
        self.assertEqual(Option.objects.get(item=items["M3"], exclusive=True).code, "A")
        self.assertEqual(Scene.objects.count(), 16)
        self.assertEqual(Scene.objects.filter(constrained=True).count(), 10)
        s08 = Scene.objects.get(code="S08")
        self.assertEqual((s08.category, s08.name), ("生产执行数字化", "设备管理"))
        self.assertTrue(s08.level_3.startswith("基于信息化系统实现设备关键运行参数数据的实时采集"))

    def test_it_checks_the_sums_of_the_2024_instrument(self):
        spec = load_bundled()[0].obj.spec
        self.assertEqual(sum(o.points for o in spec.items["B4"].options), D(10))
        self.assertEqual(sum(d.points for d in spec.top_dimensions), D(100))
        for dim in spec.dimensions.values():
            parts = [spec.items[c].points for c in dim.items] + [
                spec.dimensions[c].points for c in dim.children
            ]
            self.assertEqual(sum(parts), dim.points, dim.code)

    def test_it_loads_the_level_rule_from_its_file_as_the_active_one(self):
        load_bundled()
        rule = LevelRule.objects.active_for("miit-2024-mfg")
        self.assertEqual((rule.code, rule.version), ("miit-2024-default", "1"))
        thresholds = [
            (t.level, t.min_total, t.scene_level, t.min_scenes, t.min_constrained) for t in rule.spec.levels
        ]
        self.assertEqual(
            thresholds, [(4, 80, 4, 10, 6), (3, 60, 3, 8, 5), (2, 40, 2, 6, 3), (1, 20, 1, 6, 3)]
        )
        self.assertFalse(rule.data["official"])

    def test_it_does_nothing_when_loading_twice(self):
        load_bundled()
        counts = (
            Instrument.objects.count(),
            Item.objects.count(),
            Option.objects.count(),
            LevelRule.objects.count(),
        )
        self.assertEqual([item.created for item in load_bundled()], [False, False, False])
        after = (
            Instrument.objects.count(),
            Item.objects.count(),
            Option.objects.count(),
            LevelRule.objects.count(),
        )
        self.assertEqual(after, counts)

    def test_it_loads_through_the_commands(self):
        out = StringIO()
        call_command("load_instruments", stdout=out)
        self.assertIn("miit-2024-mfg 2024.1: loaded", out.getvalue())
        self.assertIn("miit-2024-mfg 2024.2: loaded", out.getvalue())
        out = StringIO()
        call_command("load_instruments", stdout=out)
        self.assertIn("miit-2024-mfg 2024.1: unchanged", out.getvalue())
        self.assertIn("miit-2024-mfg 2024.2: unchanged", out.getvalue())
        self.assertIn("miit-2024-default 1: unchanged", out.getvalue())


class OfficialScenesVersionTests(TestCase):
    """2024.2: the scenes take 1 to 4 only, as on the official form; 2024.1 stays for its answers."""

    def test_it_loads_2024_2_next_to_2024_1_and_makes_it_current(self):
        load_bundled()
        versions = list(Instrument.objects.filter(code="miit-2024-mfg").values_list("version", flat=True))
        self.assertEqual(sorted(versions), ["2024.1", "2024.2"])
        current = Instrument.objects.current("miit-2024-mfg")
        self.assertEqual(current.version, "2024.2")
        self.assertEqual(list(current.spec.scene_levels), [1, 2, 3, 4])
        old = Instrument.objects.get(version="2024.1")
        self.assertEqual(list(old.spec.scene_levels), [0, 1, 2, 3, 4])
        self.assertEqual(Scene.objects.filter(instrument=current).count(), 16)
        self.assertEqual(Option.objects.filter(item__instrument=current).count(), 79)

    def test_it_changes_nothing_but_the_scene_levels(self):
        old, new = raw_instrument(), raw_official()
        self.assertEqual(new.pop("lowestSceneLevel"), 1)
        self.assertNotIn("lowestSceneLevel", old)
        for key in ("version", "ours", "changes"):
            old.pop(key, None)
            new.pop(key)
        self.assertEqual(new, old)

    def test_it_keeps_the_highest_version_current_whatever_the_loading_order(self):
        newer = load_instrument(raw_official()).obj
        load_instrument(raw_instrument())  # 2024.1 loaded last
        self.assertEqual(Instrument.objects.current("miit-2024-mfg"), newer)

    def test_it_compares_versions_as_numbers(self):
        data = raw_official()
        data["version"] = "2024.10"
        tenth = load_instrument(data).obj
        load_instrument(raw_official())
        self.assertEqual(Instrument.objects.current("miit-2024-mfg"), tenth)

    def test_it_refuses_a_lowest_scene_level_other_than_0_or_1(self):
        data = raw_official()
        data["lowestSceneLevel"] = 2
        with self.assertRaisesMessage(
            InstrumentError, "miit-2024-mfg 2024.2: “lowestSceneLevel” must be 0 or 1"
        ):
            load_instrument(data)
        self.assertFalse(Instrument.objects.exists())


class RefusedFileTests(TempFileMixin, TestCase):
    def refused(self, data, message):
        with self.assertRaisesMessage(InstrumentError, message):
            load_file(self.write(data))
        self.assertFalse(Instrument.objects.exists())
        self.assertFalse(Item.objects.exists())

    def test_it_refuses_options_that_do_not_add_up_to_the_item(self):
        data = raw_instrument()
        item_of(data, "B1")["options"][1]["points"] = "3"
        self.refused(
            data, "miit-2024-mfg 2024.1 › B › B.1 › B1: the points of its options add up to 9, not 8"
        )

    def test_it_refuses_a_single_choice_item_whose_best_option_is_not_its_maximum(self):
        data = raw_instrument()
        item_of(data, "M1")["options"][5]["points"] = "7"
        self.refused(data, "M.1 › M1: its best option gives 7 points, not 7.5")

    def test_it_refuses_items_that_do_not_add_up_to_the_sub_dimension(self):
        data = raw_instrument()
        b6 = item_of(data, "B6")
        b6["points"] = "6"
        b6["options"][1]["points"] = "2.25"
        self.refused(data, "miit-2024-mfg 2024.1 › B › B.4: the points of its items add up to 11, not 10")

    def test_it_refuses_sub_dimensions_that_do_not_add_up_to_the_dimension(self):
        data = raw_instrument()
        data["dimensions"][1]["subDimensions"][0]["points"] = "16"
        self.refused(data, "miit-2024-mfg 2024.1 › M › M.1: the points of its items add up to 15, not 16")
        data["dimensions"][1]["points"] = "31"
        data["dimensions"][1]["subDimensions"][0]["points"] = "15"
        self.refused(data, "miit-2024-mfg 2024.1 › M: the points of its sub-dimensions add up to 30, not 31")

    def test_it_refuses_dimensions_that_do_not_add_up_to_the_total(self):
        data = raw_instrument()
        data["total"] = "90"
        self.refused(data, "miit-2024-mfg 2024.1: the points of its dimensions add up to 100, not 90")

    def test_it_refuses_a_duplicate_item_code(self):
        data = raw_instrument()
        item_of(data, "M1")["code"] = "B1"
        self.refused(data, "M.1 › B1: the code “B1” is used twice")

    def test_it_refuses_a_duplicate_option_code(self):
        data = raw_instrument()
        item_of(data, "B5")["options"][2]["code"] = "B"
        self.refused(data, "B5 › option B: the option code is used twice")

    def test_it_refuses_two_exclusive_options(self):
        data = raw_instrument()
        item_of(data, "B6")["options"][1].update(exclusive=True, points="0")
        self.refused(data, "B6: it has more than one exclusive option")

    def test_it_refuses_a_scene_without_its_four_levels(self):
        data = raw_instrument()
        data["scenes"][3]["levels"].pop()
        self.refused(data, "miit-2024-mfg 2024.1 › S04: a scene needs the texts of its four levels")

    def test_it_refuses_float_points(self):
        data = raw_instrument()
        item_of(data, "B4")["options"][1]["points"] = 0.7
        self.refused(data, "B4 › option B: “points” must be written as a string")

    def test_it_refuses_bands_with_a_gap(self):
        data = raw_instrument()
        item_of(data, "B2")["compute"]["bands"][1]["interval"] = "(11,20]"
        self.refused(data, "B2 › compute: the bands of A and B leave a gap or overlap")

    def test_it_refuses_a_borrowed_field_that_does_not_exist(self):
        data = raw_instrument()
        item_of(data, "B3")["compute"]["borrow"] = {"total": "B1"}
        self.refused(data, "B3: it borrows “total” from B1, which has no such field")

    def test_it_refuses_a_file_that_is_not_json(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        path = Path(folder.name) / "broken.json"
        path.write_text("{", encoding="utf-8")
        with self.assertRaisesMessage(InstrumentError, "broken.json cannot be read"):
            load_file(path)

    def test_it_refuses_a_broken_file_in_the_command(self):
        data = raw_instrument()
        data["total"] = "90"
        with self.assertRaisesMessage(CommandError, "add up to 100, not 90"):
            call_command("load_instrument", str(self.write(data)), stdout=StringIO())


class VersionTests(TempFileMixin, TestCase):
    def test_it_refuses_new_content_under_a_loaded_version(self):
        load_instrument(raw_instrument())
        data = raw_instrument()
        item_of(data, "B1")["title"] = "企业网络建设情况"
        with self.assertRaisesMessage(
            InstrumentError, "miit-2024-mfg 2024.1 is already loaded with different content"
        ):
            load_instrument(data)
        self.assertEqual(Item.objects.get(code="B1").title, "企业网络建设连接情况")

    def test_it_loads_a_new_version_next_to_the_old_one(self):
        load_instrument(raw_instrument())
        data = raw_instrument()
        data["version"] = "2024.2"
        loaded = load_file(self.write(data))
        self.assertTrue(loaded.created)
        self.assertEqual(Instrument.objects.filter(code="miit-2024-mfg").count(), 2)
        self.assertEqual(Instrument.objects.current("miit-2024-mfg"), loaded.obj)

    def test_it_keeps_the_active_rule_when_a_new_rule_version_is_loaded(self):
        first = load_level_rule(raw_rule()).obj
        data = copy.deepcopy(raw_rule())
        data["version"] = "2"
        data["levels"][0]["minTotal"] = "85"
        second = load_level_rule(data).obj
        self.assertEqual(LevelRule.objects.active_for("miit-2024-mfg"), first)
        self.assertFalse(second.active)
        self.assertEqual(second.spec.levels[0].min_total, 85)

    def test_it_refuses_a_rule_asking_for_another_comparison(self):
        data = raw_rule()
        data["comparison"] = ">"
        with self.assertRaisesMessage(InstrumentError, "only “>=” on the unrounded total is supported"):
            load_level_rule(data)
        self.assertFalse(LevelRule.objects.exists())
