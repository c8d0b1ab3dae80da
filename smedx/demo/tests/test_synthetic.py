"""The synthetic province holds what the services could have written: it is generated at a small N
on top of the demo and walked by the demo's own invariants, the kept facts and counts, and checks that
every copied row belongs to its own clone."""

from django.core.management import call_command
from django.db.models import F
from django.test import TestCase

from smedx.assessments import standing
from smedx.assessments.models import Answer, Assessment, DiagnosisRequest
from smedx.core.creditcode import credit_code_error
from smedx.core.models import AuditEntry
from smedx.demo.synthetic import Mix, enterprises, generate, reset_sequences, templates, weights
from smedx.demo.tests.test_demo_invariants import DemoInvariantTests
from smedx.demo.tests.test_seed_demo import seed
from smedx.enterprises import tallies
from smedx.enterprises.models import Enterprise
from smedx.projects.models import Invoice, Milestone, Project
from smedx.proposals.models import Proposal
from smedx.testing.counts import direct

N = 60


class SyntheticProvinceTests(DemoInvariantTests):
    """Every demo invariant, walked again over the demo and N clones."""

    @classmethod
    def setUpTestData(cls):
        seed()
        cls.before = Enterprise.objects.count(), Assessment.objects.count(), Project.objects.count()
        cls.written = generate(N, mix=Mix(assessments=1.5, projects=0.2), batch=25, say=lambda line: None)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        reset_sequences()  # the rows are rolled back, PostgreSQL's sequences are not

    def clones(self):
        return Enterprise.objects.filter(id__gte=enterprises.FIRST_ID)

    def test_it_adds_n_enterprises_with_their_case_files(self):
        self.assertEqual(self.clones().count(), N)
        self.assertEqual(Enterprise.objects.count(), self.before[0] + N)
        self.assertEqual(self.written["enterprises_enterprise"], N)
        self.assertGreater(Assessment.objects.count(), self.before[1])
        self.assertGreater(Project.objects.filter(enterprise__in=self.clones()).count(), 0)
        self.assertGreater(Answer.objects.filter(assessment__enterprise__in=self.clones()).count(), 0)

    def test_every_clone_has_a_valid_distinct_credit_code_and_no_login(self):
        codes = list(self.clones().values_list("credit_code", flat=True))
        self.assertEqual(len(set(codes)), N)
        self.assertEqual([c for c in codes if credit_code_error(c)], [])
        self.assertFalse(self.clones().exclude(organisation=None).exists())

    def test_every_copied_row_belongs_to_its_own_clone(self):
        clones = self.clones()
        mixed = {
            "assessment district": Assessment.objects.filter(enterprise__in=clones).exclude(
                region_id=F("enterprise__region_id")
            ),
            "request's assessment": DiagnosisRequest.objects.filter(enterprise__in=clones).exclude(
                assessment__enterprise_id=F("enterprise_id")
            ),
            "proposal's need": Proposal.objects.filter(need__enterprise__in=clones).exclude(
                invitation__need_id=F("need_id")
            ),
            "project's plan": Project.objects.filter(enterprise__in=clones).exclude(
                plan__enterprise_id=F("enterprise_id")
            ),
            "milestone": Milestone.objects.filter(project__enterprise__in=clones).exclude(
                project__plan__enterprise_id=F("project__enterprise_id")
            ),
            "invoice's proof": Invoice.objects.filter(project__enterprise__in=clones)
            .exclude(payment_proof=None)
            .exclude(payment_proof__project_id=F("project_id")),
        }
        for what, rows in mixed.items():
            with self.subTest(what):
                self.assertEqual(list(rows.values_list("pk", flat=True)), [])

    def test_the_trail_points_at_the_copies(self):
        trail = AuditEntry.objects.filter(enterprise_id__in=self.clones().values("id"))
        self.assertTrue(trail.exists())
        for entry in trail.filter(object_type="assessments.assessment"):
            with self.subTest(entry=entry.pk):
                copy = Assessment.objects.get(pk=int(entry.object_id))
                self.assertEqual(copy.enterprise_id, entry.enterprise_id)

    def test_the_kept_facts_and_counts_equal_a_direct_count(self):
        self.assertEqual({key: n for key, n in tallies.by_region().items() if n}, direct())
        for enterprise in self.clones():
            stored = {name: getattr(enterprise, name) for name in standing.FIELDS}
            self.assertEqual(stored, standing.facts_of(enterprise.pk, enterprise.stage), enterprise.name)

    def test_new_rows_get_keys_past_the_copies(self):
        top = Assessment.objects.order_by("-pk").values_list("pk", flat=True)[0]
        enterprise = self.clones().first()
        made = Assessment.objects.create(
            enterprise=enterprise, region=enterprise.region, instrument_id=Assessment.objects.first().instrument_id,
            level_rule_id=Assessment.objects.first().level_rule_id,
        )  # fmt: skip
        self.assertGreater(made.pk, top)

    def test_it_adds_more_on_a_second_run_and_refuses_zero(self):
        generate(5, say=lambda line: None)
        self.assertEqual(self.clones().count(), N + 5)
        with self.assertRaisesMessage(Exception, "at least 1"):
            call_command("generate_synthetic", "--enterprises", "0")


class TemplateWeightTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        seed()

    def test_the_weights_give_the_mix_asked_for(self):
        pool = templates()
        for mix in (Mix(), Mix(assessments=2.0, projects=0.05), Mix(assessments=0.8, projects=0.1)):
            with self.subTest(mix=mix):
                w = weights(pool, mix)
                self.assertAlmostEqual(sum(w), 1.0)
                self.assertAlmostEqual(
                    sum(x * t.projects for x, t in zip(w, pool, strict=True)), mix.projects, places=3
                )
                self.assertAlmostEqual(
                    sum(x * t.assessments for x, t in zip(w, pool, strict=True)), mix.assessments, places=2
                )
