"""`bench_pages` keeps running on the demo data: every declared page answers 200 and its floor runs.

No timing is asserted; the figures are the command's to print.
"""

import json
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.test import TestCase

from smedx.demo.pages import PAGES
from smedx.demo.tests.test_seed_demo import seed


class BenchPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        seed()

    def run_bench(self):
        out = StringIO()
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "pages.json"
            call_command("bench_pages", repeat=1, json_path=str(path), stdout=out)
            return out.getvalue(), json.loads(path.read_text(encoding="utf-8"))

    def test_it_prints_a_row_for_every_declared_page_with_its_floor(self):
        output, data = self.run_bench()
        rows = data["pages"]
        self.assertEqual([(r["page"], r["persona"]) for r in rows], [(p.name, p.persona) for p in PAGES])
        for row in rows:
            with self.subTest(page=row["page"], persona=row["persona"]):
                self.assertEqual(row["status"], 200, row["path"])
                self.assertGreater(row["queries"], 0)
                self.assertGreater(row["floor_queries"], 0)
                self.assertIsNotNone(row["floor_ms"])
                self.assertIn(f"{row['path']}", output)
        table = output.splitlines()
        self.assertIn("enterprises", table[0])
        self.assertEqual(len(table), 2 + len(PAGES))
