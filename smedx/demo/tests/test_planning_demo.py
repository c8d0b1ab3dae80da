"""The stage 2 demo data: guides, policies, a standard applied in 渝北区, a plan, requests, read marks."""

from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from smedx.demo.planning import seed_planning
from smedx.planning.metrics import plan_progress
from smedx.planning.models import Application, Document, EnterpriseTier, Plan, PlanningRequest, ReadMark


def counts():
    models = [Document, Application, EnterpriseTier, Plan, PlanningRequest, ReadMark]
    return {model.__name__: model.objects.count() for model in models}


class SeedPlanningTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        out = StringIO()
        call_command("seed_demo", stdout=out)
        cls.output = out.getvalue()

    def test_it_seeds_every_part_and_says_so(self):
        self.assertIn(
            "Planning: 6 documents, 1 standard, 1 plan, 4 planning requests and 2 read marks", self.output
        )
        self.assertEqual(Document.objects.filter(kind="guide").current().count(), 4)
        self.assertEqual(Document.objects.filter(kind="policy").count(), 2)
        self.assertEqual(Document.objects.filter(superseded_at__isnull=False).count(), 1)
        self.assertEqual(
            set(PlanningRequest.objects.values_list("status", flat=True)), set(PlanningRequest.Status)
        )
        application = Application.objects.get()
        self.assertEqual(EnterpriseTier.objects.count(), sum(application.counts.values()))
        self.assertTrue(all(application.counts.values()), "every tier has enterprises")
        progress = plan_progress(Plan.objects.get())
        self.assertEqual(len(progress), 3)
        self.assertTrue(any(p.hits for p in progress))

    def test_it_creates_nothing_when_run_again(self):
        before = counts()
        out = StringIO()
        seed_planning(out)
        self.assertEqual(counts(), before)
        self.assertIn("0 documents, 0 standard, 0 plan, 0 planning requests and 0 read marks", out.getvalue())
