"""The demo never shows a state the services could not reach: it is seeded once and every demo object walked.

Dates follow each other (requested → assigned → visited → verified; submitted → registered → completed →
applied → decided), statuses agree with their timestamps and child rows, and sums add up.
"""

import re
from datetime import timedelta
from decimal import Decimal

from django.db.models import Sum
from django.test import TestCase
from django.urls import reverse
from django.utils.timezone import localdate

from smedx.accounts.models import User
from smedx.assessments.models import Assessment, DiagnosisRequest
from smedx.demo.tests.test_seed_demo import seed
from smedx.enterprises.models import Stage
from smedx.projects.models import Project, ReviewStep
from smedx.projects.services import acceptance
from smedx.providers.models import ProviderProfile
from smedx.providers.services.management import notice_days

PS, R = Project.Status, DiagnosisRequest.Status
FILED = [s for s in PS.values if s != PS.DRAFT]
REGISTERED = [s for s in FILED if s not in (PS.SUBMITTED, PS.RETURNED)]
APPLIED = (PS.ACCEPTANCE_APPLIED, PS.ACCEPTED, PS.RECTIFY, PS.FAILED)
DECIDED = (PS.ACCEPTED, PS.RECTIFY, PS.FAILED)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class DemoInvariantTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        seed()

    def test_it_seeds_something_to_walk(self):
        self.assertTrue(Project.objects.filter(status__in=APPLIED).exists())
        self.assertTrue(DiagnosisRequest.objects.exclude(assigned_at=None).exists())
        self.assertTrue(ProviderProfile.objects.exclude(notice_start=None).exists())

    def test_it_assigns_visits_and_verifies_each_diagnosis_after_it_was_requested(self):
        for request in DiagnosisRequest.objects.select_related("verified_assessment"):
            with self.subTest(request=request.pk, status=request.status):
                self.assertEqual(request.assigned_at is None, request.status in (R.REQUESTED, R.CANCELLED))
                if request.assigned_at is not None:
                    self.assertLessEqual(request.requested_at, request.assigned_at)
                if request.visited_on is not None:
                    self.assertLessEqual(localdate(request.assigned_at), request.visited_on)
                verified = request.verified_assessment
                if verified is not None and verified.submitted_at is not None:
                    self.assertLessEqual(request.visited_on, localdate(verified.submitted_at))

    def test_it_gives_every_submitted_assessment_its_submission_time(self):
        done = Assessment.objects.filter(status__in=(Assessment.Status.SUBMITTED, Assessment.Status.VERIFIED))
        self.assertFalse(done.filter(submitted_at=None).exists())

    def test_it_shows_one_notice_period_for_each_provider(self):
        for profile in ProviderProfile.objects.exclude(notice_start=None).prefetch_related("status_changes"):
            with self.subTest(provider=str(profile)):
                self.assertEqual(profile.notice_end - profile.notice_start, timedelta(days=notice_days()))
                noticed = [c for c in profile.status_changes.all() if c.to_status == "in_public_notice"]
                self.assertTrue(noticed)
                latest = max(noticed, key=lambda c: c.created_at)
                self.assertEqual(localdate(latest.created_at), profile.notice_start)
                for day in ISO_DATE.findall(latest.reason):
                    self.assertIn(day, (str(profile.notice_start), str(profile.notice_end)))
                if profile.listed_at is not None:
                    self.assertGreaterEqual(localdate(profile.listed_at), profile.notice_end)

    def test_it_files_and_registers_every_project_in_order(self):
        for project in Project.objects.filter(status__in=FILED).prefetch_related("review_steps"):
            with self.subTest(project=str(project), status=project.status):
                actions = [step.action for step in project.review_steps.all()]
                self.assertIsNotNone(project.submitted_at)
                self.assertTrue(project.declared)
                self.assertIn(ReviewStep.Action.SUBMITTED, actions)
                if project.status in REGISTERED:
                    self.assertIn(ReviewStep.Action.REGISTERED, actions)
                    self.assertLessEqual(project.submitted_at, project.registered_at)
                if project.completed_at is not None:
                    self.assertLessEqual(project.registered_at, project.completed_at)

    def test_it_confirms_milestones_invoices_and_applies_before_a_decision(self):
        for project in Project.objects.filter(status__in=(PS.COMPLETED, *APPLIED)):
            with self.subTest(project=str(project), status=project.status):
                self.assertFalse(project.milestones.exclude(status="confirmed").exists())
                invoiced = project.invoices.aggregate(total=Sum("amount"))["total"] or Decimal(0)
                self.assertGreater(invoiced, 0)
                self.assertLessEqual(invoiced, project.contract_amount)
                if project.status not in APPLIED:
                    continue
                self.assertTrue(project.invoices.exclude(payment_proof=None).exists())
                application = project.acceptance_application
                self.assertLessEqual(project.completed_at, application.applied_at)
                if project.status in DECIDED:
                    decision = project.acceptance_decision
                    self.assertEqual(decision.decision, project.status)
                    self.assertLessEqual(application.applied_at, decision.decided_at)

    def test_it_sums_the_items_to_the_contract_amount(self):
        for project in Project.objects.all():
            with self.subTest(project=str(project)):
                total = project.items.aggregate(total=Sum("amount"))["total"]
                self.assertEqual(total, project.contract_amount)

    def test_it_accepts_only_projects_without_open_rectifications_at_the_plan_s_level(self):
        for project in Project.objects.select_related("plan__proposal", "plan__need"):
            with self.subTest(project=str(project)):
                aim = project.plan.proposal.expected_level or project.plan.need.target_level
                self.assertEqual(project.target_level, aim)
                if project.status == PS.ACCEPTED:
                    self.assertFalse(acceptance.unclosed_rectifications(project).exists())

    def test_it_puts_each_enterprise_at_the_stage_its_projects_reached(self):
        for project in Project.objects.select_related("enterprise"):
            with self.subTest(project=str(project), status=project.status):
                reached = Stage.DESIGN
                if project.status in REGISTERED:
                    reached = Stage.IMPLEMENTATION
                if project.status == PS.ACCEPTED:
                    reached = Stage.POLICY
                self.assertGreaterEqual(project.enterprise.stage, reached)

    def test_it_shows_an_applied_project_as_filed_and_invoiced(self):
        project = Project.objects.filter(status=PS.ACCEPTANCE_APPLIED).first()
        self.client.force_login(User.objects.get(username="city_officer"))
        response = self.client.get(reverse("projects:project_detail", args=[project.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(
            response, 'data-testid="review-history">\n        <li class="list-group-item text-body'
        )
        self.assertNotContains(response, 'data-testid="invoiced-total" class="">¥0.00')
