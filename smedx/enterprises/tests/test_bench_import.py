"""`bench_import` keeps running: a small file is imported, its floor printed and, with --rollback, undone."""

from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from smedx.enterprises.models import Enterprise, ImportJob


class BenchImportTests(TestCase):
    def test_it_imports_a_small_file_beside_its_floor_and_rolls_it_back(self):
        out = StringIO()
        call_command("bench_import", rows=20, rollback=True, stdout=out)
        output = out.getvalue()
        self.assertIn("enterprises in the database after the import: 20", output)
        self.assertIn("floor, reading the file with openpyxl alone", output)
        self.assertIn("rolled back", output)
        self.assertFalse(Enterprise.objects.exists())
        self.assertFalse(ImportJob.objects.exists())
