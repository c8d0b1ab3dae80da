"""`bench_assessments` keeps running: scoring is printed beside its floor, a bare sum of the points."""

from io import StringIO

from django.core.management import call_command
from django.test import TestCase


class BenchAssessmentsTests(TestCase):
    def test_it_prints_scoring_beside_its_floor(self):
        out = StringIO()
        call_command("bench_assessments", n=5, pdfs=0, stdout=out)
        self.assertIn("scoring 5 answer sets", out.getvalue())
        self.assertIn("floor, summing the same answers' points in a bare loop", out.getvalue())
