"""Scenes, industries and levels are shown by name, never as bare codes."""

from django.test import SimpleTestCase
from django.utils import translation

from smedx.providers.models import ProviderProfile, SolutionScene


class NameTests(SimpleTestCase):
    def test_it_names_a_solution_scenes_levels(self):
        row = SolutionScene(scene="S05", from_level=2, to_level=3)
        with translation.override("zh-hans"):
            self.assertEqual(row.rise, "二级 → 三级")
            self.assertEqual(str(row), f"S05 {row.name} 二级 → 三级")

    def test_it_names_the_industries_and_scenes_a_provider_serves(self):
        profile = ProviderProfile(industries=",34,", scenes=",S05,")
        self.assertEqual(profile.industry_labels, ["34 通用设备制造业"])
        self.assertEqual(profile.scene_labels, ["S05 计划排程"])
