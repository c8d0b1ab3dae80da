"""The state questions assessment and diagnosis pages ask, answered by the models."""

from django.test import SimpleTestCase

from smedx.assessments.models import Assessment, DiagnosisRequest


class AssessmentStateTests(SimpleTestCase):
    def test_it_offers_verification_of_a_submitted_self_assessment_only(self):
        cases = [
            (Assessment.Kind.SELF, Assessment.Status.SUBMITTED, True),
            (Assessment.Kind.SELF, Assessment.Status.DRAFT, False),
            (Assessment.Kind.SELF, Assessment.Status.VERIFIED, False),
            (Assessment.Kind.VERIFIED, Assessment.Status.SUBMITTED, False),
        ]
        for kind, status, expected in cases:
            with self.subTest(kind=kind, status=status):
                self.assertIs(Assessment(kind=kind, status=status).can_be_verified, expected)

    def test_it_locks_every_assessment_that_is_no_longer_a_draft(self):
        for status in Assessment.Status:
            with self.subTest(status=status):
                a = Assessment(status=status)
                self.assertEqual((a.is_draft, a.is_locked), (status == "draft", status != "draft"))

    def test_it_leaves_a_request_with_its_verifier_from_assignment_until_verification(self):
        S = DiagnosisRequest.Status
        with_verifier = {s for s in S if DiagnosisRequest(status=s).is_with_verifier}
        self.assertEqual(with_verifier, {S.ASSIGNED, S.VISITED})
