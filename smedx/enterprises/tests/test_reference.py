"""Facts from national standards: GB/T 4754-2017 industries and the 2011 enterprise size rule."""

from decimal import Decimal

from django.test import SimpleTestCase

from smedx.enterprises.reference import (
    division_choices,
    industries,
    industry_name,
    section_choices,
    section_of,
    size_class,
    size_group,
)


def size(division, employees, revenue):
    return size_class(division, employees, None if revenue is None else Decimal(revenue))


class IndustryTests(SimpleTestCase):
    def test_it_has_the_20_sections_a_to_t(self):
        codes = [code for code, _label in section_choices()]
        self.assertEqual(codes, list("ABCDEFGHIJKLMNOPQRST"))

    def test_it_has_the_97_divisions_from_01_to_97(self):
        codes = [code for code, _label in division_choices()]
        self.assertEqual(len(codes), 97)
        self.assertEqual(codes, [f"{n:02d}" for n in range(1, 98)])

    def test_it_puts_manufacturing_divisions_13_to_43_in_section_c(self):
        manufacturing = {code for code in industries() if len(code) == 2 and section_of(code) == "C"}
        self.assertEqual(manufacturing, {f"{n:02d}" for n in range(13, 44)})

    def test_it_maps_divisions_at_section_borders(self):
        expected = {
            "01": "A",
            "05": "A",
            "06": "B",
            "12": "B",
            "44": "D",
            "46": "D",
            "47": "E",
            "50": "E",
            "51": "F",
            "52": "F",
            "65": "I",
            "70": "K",
            "96": "S",
            "97": "T",
        }
        for division, section in expected.items():
            with self.subTest(division=division):
                self.assertEqual(section_of(division), section)

    def test_it_knows_no_section_for_a_section_or_unknown_code(self):
        self.assertIsNone(section_of("C"))
        self.assertIsNone(section_of("98"))
        self.assertIsNone(section_of(""))

    def test_it_names_industries(self):
        self.assertEqual(industry_name("C"), "制造业")
        self.assertEqual(industry_name("34"), "通用设备制造业")
        self.assertEqual(industry_name("65"), "软件和信息技术服务业")
        self.assertEqual(industry_name("99"), "")

    def test_it_labels_choices_with_code_and_name(self):
        self.assertIn(("C", "C 制造业"), section_choices())
        self.assertIn(("34", "34 通用设备制造业"), division_choices())


class SizeGroupTests(SimpleTestCase):
    def test_it_groups_divisions_as_the_2011_rule_does(self):
        expected = {
            "01": "agriculture",
            "08": "industry",
            "34": "industry",
            "44": "industry",
            "47": "construction",
            "51": "wholesale",
            "52": "retail",
            "54": "transport",
            "59": "warehousing",
            "60": "postal",
            "61": "hospitality",
            "62": "hospitality",
            "63": "telecom",
            "64": "telecom",
            "65": "software",
            "66": "other",
            "70": "real_estate",
            "71": "leasing",
            "72": "leasing",
            "73": "other",
            "97": "other",
        }
        for division, group in expected.items():
            with self.subTest(division=division):
                self.assertEqual(size_group(division), group)


class SizeClassTests(SimpleTestCase):
    def assertSizes(self, division, cases):
        for employees, revenue, expected in cases:
            with self.subTest(division=division, employees=employees, revenue=revenue):
                self.assertEqual(size(division, employees, revenue), expected)

    def test_it_classifies_industry_at_the_boundaries(self):
        # Industry: large ≥1000 staff and ≥40000万; medium ≥300 and ≥2000; small ≥20 and ≥300.
        self.assertSizes(
            "34",
            [
                (1000, 40000, "large"),
                (999, 40000, "medium"),
                (1000, "39999.99", "medium"),
                (300, 2000, "medium"),
                (299, 2000, "small"),
                (300, "1999.99", "small"),
                (20, 300, "small"),
                (19, 300, "micro"),
                (20, "299.99", "micro"),
                (0, 0, "micro"),
            ],
        )

    def test_it_needs_both_thresholds_not_just_many_staff(self):
        # Revenue below the small threshold makes a micro enterprise whatever the head count.
        self.assertSizes("34", [(5000, 250, "micro"), (5000, 1500, "small"), (5000, 39000, "medium")])
        # And much revenue with few staff is no larger than the staff allow.
        self.assertSizes("34", [(15, 90000, "micro"), (250, 90000, "small")])

    def test_it_classifies_retail(self):
        # Retail: large ≥300 and ≥20000; medium ≥50 and ≥500; small ≥10 and ≥100.
        self.assertSizes(
            "52",
            [
                (300, 20000, "large"),
                (299, 20000, "medium"),
                (50, 500, "medium"),
                (49, 500, "small"),
                (10, 100, "small"),
                (9, 100, "micro"),
                (10, 99, "micro"),
            ],
        )

    def test_it_classifies_wholesale(self):
        # Wholesale: large ≥200 and ≥40000; medium ≥20 and ≥5000; small ≥5 and ≥1000.
        self.assertSizes(
            "51",
            [
                (200, 40000, "large"),
                (199, 40000, "medium"),
                (20, 5000, "medium"),
                (20, 4999, "small"),
                (5, 1000, "small"),
                (4, 1000, "micro"),
                (5, 999, "micro"),
            ],
        )

    def test_it_classifies_software(self):
        # Software and IT services: large ≥300 and ≥10000; medium ≥100 and ≥1000; small ≥10 and ≥50.
        self.assertSizes(
            "65",
            [
                (300, 10000, "large"),
                (300, 9999, "medium"),
                (100, 1000, "medium"),
                (99, 1000, "small"),
                (10, 50, "small"),
                (10, 49, "micro"),
                (9, 50, "micro"),
            ],
        )

    def test_it_classifies_other_industries_by_employees_only(self):
        # Other (e.g. 73 research and development): large ≥300, medium ≥100, small ≥10 staff.
        self.assertSizes(
            "73",
            [
                (300, 0, "large"),
                (299, 1000000, "medium"),
                (100, 0, "medium"),
                (99, 0, "small"),
                (10, 0, "small"),
                (9, 1000000, "micro"),
            ],
        )

    def test_it_classifies_agriculture_by_revenue_only(self):
        self.assertSizes(
            "01",
            [
                (1, 20000, "large"),
                (5000, 19999, "medium"),
                (1, 500, "medium"),
                (1, 50, "small"),
                (1, 49, "micro"),
            ],
        )

    def test_it_gives_no_class_without_the_facts(self):
        self.assertEqual(size("34", None, 1000), "")
        self.assertEqual(size("34", 100, None), "")
