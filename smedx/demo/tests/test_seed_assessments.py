"""The stage 1 demo data: every state, every level, T0/T1 pairs, on-site diagnoses, and nothing twice."""

from io import StringIO

from django.core.management import call_command
from django.db.models import Count
from django.test import TestCase

from smedx.accounts.models import User
from smedx.assessments import history, standing
from smedx.assessments.models import Answer, Assessment, DiagnosisRequest, Instrument, Recommendation
from smedx.assessments.scoring import score
from smedx.core.models import AuditEntry
from smedx.demo.assessments import DEMO_COUNT
from smedx.enterprises.models import Enterprise, LevelBasis
from smedx.projects.models import AcceptanceApplication

S = Assessment.Status


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict:
    models = [Assessment, Answer, DiagnosisRequest, Recommendation, AuditEntry]
    return {model.__name__: model.objects.count() for model in models}


class SeedAssessmentsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = seed()

    def test_it_creates_nothing_when_run_again(self):
        before = counts()
        output = seed()
        self.assertEqual(counts(), before)
        self.assertIn("Assessments: 0 enterprises rated now", output)

    def test_it_rates_about_120_enterprises_and_says_so(self):
        self.assertEqual(Assessment.objects.values("enterprise").distinct().count(), DEMO_COUNT + 1)
        self.assertIn(f"Assessments: {DEMO_COUNT} enterprises rated now", self.output)

    def test_it_has_assessments_in_every_state(self):
        pairs = set(Assessment.objects.values_list("kind", "status").distinct())
        self.assertEqual(
            pairs,
            {
                ("self", S.DRAFT),
                ("self", S.SUBMITTED),
                ("self", S.VERIFIED),
                ("verified", S.DRAFT),  # a verification under way
                ("verified", S.VERIFIED),
            },
        )
        self.assertEqual(
            set(DiagnosisRequest.objects.values_list("status", flat=True)), set(DiagnosisRequest.Status)
        )
        self.assertTrue(Recommendation.objects.exists())

    def test_it_has_every_level_among_self_assessments_and_verifications(self):
        for kind in Assessment.Kind:
            with self.subTest(kind):
                levels = set(
                    Assessment.objects.filter(kind=kind)
                    .exclude(status=S.DRAFT)
                    .values_list("level", flat=True)
                )
                self.assertEqual(levels, {0, 1, 2, 3, 4})

    def test_it_stores_results_that_scoring_gives_again(self):
        rated = Assessment.objects.exclude(status=S.DRAFT).select_related("instrument", "level_rule")
        for assessment in rated.prefetch_related("answers"):
            answers = {a.item_code: a.value for a in assessment.answers.all()}
            result = score(assessment.instrument.spec, answers, assessment.level_rule.spec)
            self.assertEqual(
                (assessment.total, assessment.level), (result.total, result.level), assessment.pk
            )
            self.assertEqual(assessment.result["total"], result.as_dict()["total"])

    def test_it_rates_under_the_newest_version_with_the_official_scene_levels(self):
        newest = Instrument.objects.current("miit-2024-mfg")
        self.assertEqual(newest.version, "2024.2")
        scene_answers = Answer.objects.filter(assessment__instrument=newest, item_code__startswith="S")
        self.assertTrue(scene_answers.exists())
        self.assertEqual(set(scene_answers.values_list("value", flat=True)), {1, 2, 3, 4})

    def test_it_keeps_a_few_t0s_under_2024_1_to_show_re_scoring(self):
        old = Assessment.objects.filter(instrument__version="2024.1")
        self.assertGreaterEqual(old.count(), 5)
        self.assertEqual(set(old.values_list("kind", "period", "status")), {("self", "T0", S.SUBMITTED)})
        for t0 in old:
            with self.subTest(t0.pk):
                t1 = Assessment.objects.get(enterprise=t0.enterprise_id, period="T1", kind="self")
                self.assertEqual(t1.instrument.version, "2024.2")
                self.assertTrue(history.comparison_for(t0, t1).notes)  # re-scored under 2024.2

    def test_it_leaves_drafts_partly_answered(self):
        for draft in Assessment.objects.filter(kind="self", status=S.DRAFT).annotate(n=Count("answers")):
            with self.subTest(draft.pk):
                self.assertGreater(draft.n, 0)
                self.assertTrue(draft.result["missing"])
                self.assertIsNone(draft.level)

    def test_it_has_30_pairs_whose_t1_is_better(self):
        t1s = Assessment.objects.filter(period="T1").select_related("enterprise")
        self.assertGreaterEqual(t1s.count(), 30)
        for t1 in t1s:
            t0 = Assessment.objects.get(enterprise=t1.enterprise, period="T0", kind="self")
            with self.subTest(t1.enterprise.name):
                self.assertGreater(t1.level, t0.level)
                self.assertGreater(t1.total, t0.total)
                self.assertGreater(t1.submitted_at, t0.submitted_at)

    def test_it_adjusts_answers_with_reasons_in_verifications(self):
        # Stage 1's on-site diagnoses; acceptance verifications of a T1 (stage 4 demo) may accept everything.
        acceptance = AcceptanceApplication.objects.filter(after_assessment__isnull=False).values(
            "after_assessment"
        )
        done = (
            DiagnosisRequest.objects.filter(status="verified")
            .exclude(assessment__in=acceptance)
            .select_related("verified_assessment")
        )
        self.assertGreaterEqual(done.count(), 20)
        for request in done:
            verification = request.verified_assessment
            with self.subTest(request.pk):
                self.assertEqual(verification.status, S.VERIFIED)
                self.assertEqual(request.assessment.status, S.VERIFIED)
                adjusted = verification.answers.filter(review="adjusted")
                self.assertTrue(adjusted.exists())
                self.assertFalse(adjusted.filter(reason="").exists())
                self.assertFalse(verification.answers.filter(review="").exists())
                self.assertTrue(request.visitors)
                self.assertLessEqual(verification.total, request.assessment.total)

    def test_it_gives_the_demo_expert_visits_to_make(self):
        expert = User.objects.get(username="expert")
        statuses = set(DiagnosisRequest.objects.filter(expert=expert).values_list("status", flat=True))
        self.assertLessEqual({"assigned", "visited"}, statuses)

    def test_it_lets_the_demo_enterprise_submit_a_t0_with_a_useful_gap(self):
        user = User.objects.get(username="enterprise")
        assessment = Assessment.objects.get(
            enterprise__organisation=user.organisation, period="T0", kind="self"
        )
        self.assertEqual((assessment.period, assessment.status, assessment.level), ("T0", S.SUBMITTED, 2))
        gap = assessment.result["gap"]
        self.assertEqual(gap["level"], 3)
        self.assertTrue(gap["scenes"])
        self.assertTrue(gap["suggestions"])
        who = set(assessment.answers.values_list("answered_by__username", flat=True))
        self.assertEqual(who, {"enterprise", "enterprise_staff"})
        self.assertEqual(assessment.answers.get(item_code="B2").value["options"], ["C"])
        self.assertTrue(AuditEntry.objects.filter(action="assessments.assessment.submitted").exists())

    def test_it_moves_the_rated_enterprises_to_stage_1(self):
        rated = Assessment.objects.values("enterprise")
        self.assertFalse(Assessment.objects.filter(enterprise__stage=0).exists())
        self.assertEqual(rated.distinct().count(), DEMO_COUNT + 1)

    def test_it_shows_the_district_officer_the_districts_assessments(self):
        officer = User.objects.get(username="district_officer")
        visible = Assessment.objects.visible_to(officer)
        self.assertTrue(visible.exists())
        self.assertEqual(set(visible.values_list("enterprise__region__code", flat=True)), {"500112"})

    def test_it_stores_every_enterprise_s_current_level_as_the_rule_computes_it(self):
        # Also the enterprises rated through the services later in the seed (the demo enterprise, T1s).
        enterprises = Enterprise.objects.order_by("pk")
        for enterprise in enterprises:
            with self.subTest(enterprise=enterprise.name):
                expected = standing.facts_of(enterprise.pk, enterprise.stage)
                self.assertEqual({name: getattr(enterprise, name) for name in expected}, expected)
        self.assertTrue(enterprises.filter(current_basis=LevelBasis.VERIFIED).exists())
        self.assertTrue(enterprises.filter(current_basis=LevelBasis.SELF).exists())
