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


def imported_modules(path: Path) -> set[str]:
    """The smedx modules a module imports, at the top or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return {name for name in found if name.startswith("smedx.")}


def imported_apps(path: Path) -> set[str]:
    return {name.split(".")[1] for name in imported_modules(path)}


def foreign_test_imports(order: list[str]) -> list[str]:
    """Test code that imports another app's test modules instead of the test-support package."""
    wrong = []
    for app in order:
        for path in sorted((ROOT / app).rglob("*.py")):
            for name in imported_modules(path):
                parts = name.split(".")
                if len(parts) > 2 and parts[2] == "tests" and parts[1] != app:
                    wrong.append(f"{path.relative_to(ROOT.parent)} imports {name}")
    return wrong


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

    def test_it_keeps_shared_test_code_in_the_test_support_package(self):
        wrong = foreign_test_imports(journey_order())
        self.assertFalse(wrong, "Use smedx.testing instead of another app's tests:\n" + "\n".join(wrong))

    def test_it_would_notice_an_earlier_app_importing_a_later_one(self):
        # The same walk with projects placed before enterprises must find projects' imports of it.
        order = journey_order()
        order.remove("projects")
        order.insert(order.index("enterprises"), "projects")
        self.assertTrue(any(line.startswith("smedx/projects/") for line in backward_imports(order)))
