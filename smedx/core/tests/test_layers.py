"""The floors of the house: `core` imports nothing above it, and a domain app imports only earlier ones.

The journey order is the order of INSTALLED_APPS (core, accounts, enterprises, assessments, planning,
providers, proposals, projects, then the frame on top: workbench, api, demo). Test code may also use
the test-support package `smedx.testing`; everything else follows the same rule.
"""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.test import SimpleTestCase

ROOT = Path(settings.BASE_DIR) / "smedx"


def journey_order() -> list[str]:
    return [
        config.name.split(".")[1] for config in apps.get_app_configs() if config.name.startswith("smedx.")
    ]


def imported_apps(path: Path) -> set[str]:
    """The smedx packages a module imports, at the top or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        found |= {name.split(".")[1] for name in names if name.startswith("smedx.") and name.count(".") >= 1}
    return found


def backward_imports(order: list[str]) -> list[str]:
    rank = {app: i for i, app in enumerate(order)}
    wrong = []
    for app in order:
        for path in sorted((ROOT / app).rglob("*.py")):
            is_test = "tests" in path.relative_to(ROOT / app).parts
            for other in imported_apps(path) - {app}:
                if is_test and other == "testing":
                    continue
                if other not in rank or rank[other] > rank[app]:
                    wrong.append(f"{path.relative_to(ROOT.parent)} imports smedx.{other}")
    return wrong


class LayerTests(SimpleTestCase):
    def test_it_keeps_every_import_pointing_down_the_journey(self):
        wrong = backward_imports(journey_order())
        self.assertFalse(wrong, "Imports against the journey order:\n" + "\n".join(wrong))

    def test_it_would_notice_an_earlier_app_importing_a_later_one(self):
        # The same walk with projects placed before enterprises must find projects' imports of it.
        order = journey_order()
        order.remove("projects")
        order.insert(order.index("enterprises"), "projects")
        self.assertTrue(any(line.startswith("smedx/projects/") for line in backward_imports(order)))
