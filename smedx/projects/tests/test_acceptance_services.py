from datetime import timedelta

from django.test import override_settings

from smedx.assessments.loader import load_bundled
from smedx.assessments.models import Assessment, DiagnosisRequest
from smedx.core.errors import ConflictError, DomainError
from smedx.core.models import AuditEntry, Notification
from smedx.projects.models import AcceptanceDecision, Project, ProviderRating
from smedx.projects.services import acceptance as acc
from smedx.testing import PersonaTestCase, make_user
from smedx.testing.acceptance import (
    RATING,
    before_after,
    complete_documents,
    make_project,
    verify_all,
)

PS = Project.Status


class AcceptanceTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        load_bundled()
        cls.second_expert = make_user("expert_two", cls.expert.organisation)
        cls.before, cls.after = before_after(cls.enterprise)
        cls.project = make_project(
            cls.enterprise,
            cls.provider.organisation,
            PS.COMPLETED,
            by=cls.enterprise_user,
            completed_days_ago=10,
        )
        complete_documents(cls.project, cls.enterprise_user)

    def apply(self, project=None, actor=None, **kwargs):
        values = {"before": self.before, "after": self.after, "rating": RATING, "declared": True, **kwargs}
        return acc.apply_for_acceptance(
            project=project or self.project, actor=actor or self.enterprise_user, **values
        )

    def applied(self):
        self.apply()
        self.project.refresh_from_db()
        return self.project

    def verified(self):
        project = self.applied()
        verification = acc.start_acceptance_verification(project=project, actor=self.expert)
        return verify_all(verification, self.expert)


class ApplyTests(AcceptanceTestCase):
    def test_it_applies_with_the_checklist_complete_and_rates_the_provider(self):
        with self.captureOnCommitCallbacks(execute=True):
            application = self.apply()
        self.project.refresh_from_db()
        self.assertEqual(self.project.status, PS.ACCEPTANCE_APPLIED)
        self.assertEqual(application.after_assessment, self.after)
        self.assertTrue(all(application.checklist.values()))
        self.assertEqual(ProviderRating.objects.get(project=self.project).quality, 5)
        self.assertTrue(AuditEntry.objects.filter(action="projects.acceptanceapplication.applied").exists())
        self.assertTrue(Notification.objects.filter(recipient=self.expert).exists())

    def test_it_lists_every_missing_item(self):
        bare = make_project(
            self.enterprise,
            self.provider.organisation,
            PS.COMPLETED,
            by=self.enterprise_user,
            completed_days_ago=1,
        )
        with self.assertRaises(DomainError) as caught:
            self.apply(bare, before=None, after=self.before)
        message = str(caught.exception)
        for label in (
            "Acceptance application form",
            "Financial check sheet",
            "Summary report",
            "Outcome evidence",
            "Contract",
            "Invoices with payment proof",
            "Assessment before the project (T0)",
            "Assessment after the project (T1)",
        ):
            self.assertIn(label, message)
        bare.refresh_from_db()
        self.assertEqual(bare.status, PS.COMPLETED)

    def test_it_refuses_after_the_window_and_gives_the_deadline(self):
        late = make_project(
            self.enterprise,
            self.provider.organisation,
            PS.COMPLETED,
            by=self.enterprise_user,
            completed_days_ago=91,
        )
        complete_documents(late)
        with self.assertRaises(DomainError) as caught:
            self.apply(late)
        self.assertIn(acc.deadline_of(late).isoformat(), str(caught.exception))

    @override_settings(PROJECT_ACCEPTANCE_WINDOW_DAYS=5)
    def test_it_reads_the_window_from_the_settings(self):
        with self.assertRaises(DomainError):
            self.apply()

    def test_it_refuses_a_project_not_completed(self):
        for status in (PS.IN_PROGRESS, PS.REGISTERED, PS.ACCEPTED, PS.FAILED):
            Project.objects.filter(pk=self.project.pk).update(status=status)
            with self.subTest(status=status), self.assertRaises(DomainError):
                self.apply()

    def test_it_refuses_everybody_but_the_enterprise(self):
        for actor in (self.provider, self.district, self.expert, self.other_enterprise_user, self.outsider):
            with self.subTest(actor=actor), self.assertRaises(DomainError):
                self.apply(actor=actor)
        self.assertFalse(ProviderRating.objects.exists())

    def test_it_refuses_a_bad_rating_or_no_declaration(self):
        with self.assertRaises(DomainError):
            self.apply(rating={**RATING, "quality": 6})
        with self.assertRaises(DomainError):
            self.apply(rating={**RATING, "value": None})
        with self.assertRaises(DomainError):
            self.apply(declared=False)
        self.project.refresh_from_db()
        self.assertEqual(self.project.status, PS.COMPLETED)

    def test_it_refuses_the_t0_as_the_after_assessment(self):
        with self.assertRaises(DomainError):
            self.apply(after=self.before)


class VerificationTests(AcceptanceTestCase):
    def test_it_starts_the_verification_of_the_t1_by_the_acting_expert(self):
        project = self.applied()
        verification = acc.start_acceptance_verification(project=project, actor=self.expert)
        self.assertEqual(verification.kind, Assessment.Kind.VERIFIED)
        self.assertEqual(verification.verified_from, self.after)
        request = DiagnosisRequest.objects.get(assessment=self.after)
        self.assertEqual((request.expert, request.status), (self.expert, DiagnosisRequest.Status.VISITED))

    def test_it_refuses_a_second_start_and_other_experts(self):
        project = self.applied()
        acc.start_acceptance_verification(project=project, actor=self.expert)
        with self.assertRaises(DomainError):
            acc.start_acceptance_verification(project=project, actor=self.expert)
        with self.assertRaises(DomainError):
            acc.start_acceptance_verification(project=project, actor=self.second_expert)

    def test_it_refuses_people_outside_the_committee_and_projects_not_applied(self):
        with self.assertRaises(DomainError):
            acc.start_acceptance_verification(project=self.project, actor=self.expert)
        project = self.applied()
        for actor in (self.provider, self.enterprise_user, self.city):
            with self.subTest(actor=actor), self.assertRaises(DomainError):
                acc.start_acceptance_verification(project=project, actor=actor)


class DecisionTests(AcceptanceTestCase):
    def test_it_refuses_to_decide_before_the_verification(self):
        project = self.applied()
        with self.assertRaises(DomainError):
            acc.decide_acceptance(project=project, actor=self.expert, decision="accepted", reasons="好")
        self.assertFalse(AcceptanceDecision.objects.exists())

    def test_it_accepts_and_shows_the_levels_before_and_after(self):
        verified = self.verified()
        with self.captureOnCommitCallbacks(execute=True):
            decision = acc.decide_acceptance(
                project=self.project, actor=self.second_expert, decision="accepted", reasons="目标达成"
            )
        self.project.refresh_from_db()
        self.assertEqual(self.project.status, PS.ACCEPTED)
        self.assertEqual(decision.verified_assessment, verified)
        self.assertEqual(set(decision.experts.all()), {self.expert, self.second_expert})
        self.assertTrue(
            Notification.objects.filter(recipient=self.enterprise_user, verb="projects.acceptance.accepted")
        )
        summary = acc.acceptance_summary(self.project)
        self.assertEqual((summary.before_level, summary.after_level), (self.before.level, verified.level))
        self.assertTrue(summary.is_verified)
        self.assertTrue(summary.dimensions)
        with self.assertRaises(ConflictError):
            acc.decide_acceptance(project=self.project, actor=self.expert, decision="failed", reasons="x")

    def test_it_sends_back_to_rectify_and_takes_a_new_application_after_the_window(self):
        self.verified()
        acc.decide_acceptance(project=self.project, actor=self.expert, decision="rectify", reasons="补充材料")
        Project.objects.filter(pk=self.project.pk).update(
            completed_at=self.project.completed_at - timedelta(days=200)
        )
        self.apply()
        self.project.refresh_from_db()
        self.assertEqual(self.project.status, PS.ACCEPTANCE_APPLIED)
        # the T1 already verified counts again
        acc.decide_acceptance(project=self.project, actor=self.expert, decision="failed", reasons="未达标")
        self.project.refresh_from_db()
        self.assertEqual(self.project.status, PS.FAILED)
        self.assertEqual(AcceptanceDecision.objects.get().decision, "failed")

    def test_it_refuses_bad_input_and_people_outside_the_committee(self):
        self.verified()
        for actor in (self.provider, self.enterprise_user, self.district, self.city):
            with self.subTest(actor=actor), self.assertRaises(DomainError):
                acc.decide_acceptance(project=self.project, actor=actor, decision="accepted", reasons="好")
        with self.assertRaises(DomainError):
            acc.decide_acceptance(project=self.project, actor=self.expert, decision="maybe", reasons="好")
        with self.assertRaises(DomainError):
            acc.decide_acceptance(project=self.project, actor=self.expert, decision="accepted", reasons=" ")
        with self.assertRaises(DomainError):
            acc.decide_acceptance(
                project=self.project,
                actor=self.expert,
                decision="accepted",
                reasons="好",
                verified_after=self.after,
            )
        self.project.refresh_from_db()
        self.assertEqual(self.project.status, PS.ACCEPTANCE_APPLIED)


class SummaryTests(AcceptanceTestCase):
    def test_it_is_empty_before_any_application(self):
        summary = acc.acceptance_summary(self.project)
        self.assertEqual((summary.before, summary.after, summary.dimensions), (None, None, []))

    def test_it_compares_the_self_assessed_t1_until_it_is_verified(self):
        self.apply()
        summary = acc.acceptance_summary(self.project)
        self.assertEqual(summary.after, self.after)
        self.assertFalse(summary.is_verified)
        self.assertEqual(summary.comparison.level.before, self.before.level)
