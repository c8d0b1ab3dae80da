"""Evidence files (self-assessment and verification) go through core's upload module, both ways."""

from django.test import override_settings
from django.urls import reverse

from smedx.assessments.models import AnswerReview, Evidence
from smedx.assessments.services import diagnosis as services_diagnosis
from smedx.assessments.services import self_assessment as services
from smedx.assessments.tests.test_diagnosis_services import DiagnosisTestCase
from smedx.assessments.tests.test_self_services import SelfAssessmentTestCase
from smedx.core.errors import DomainError
from smedx.testing.uploads import UploadAssertions, html_as_pdf, pdf

REFUSED_TYPE = "Only PDF, JPG, PNG, XLSX and DOCX files are accepted, and the content must match the name."
SANDBOX = "default-src 'none'; sandbox"


class SelfEvidenceUploadTests(UploadAssertions, SelfAssessmentTestCase):
    def setUp(self):
        super().setUp()
        self.draft = self.start()

    def upload(self, file):
        return services.upload_evidence(
            assessment=self.draft, actor=self.enterprise_user, item_code="B5", file=file
        )

    def test_it_refuses_html_renamed_to_pdf(self):
        with self.assertStoresNothing(Evidence), self.assertRaisesMessage(DomainError, REFUSED_TYPE):
            self.upload(html_as_pdf())

    @override_settings(EVIDENCE_MAX_BYTES=10)
    def test_it_refuses_a_file_over_the_limit(self):
        with (
            self.assertStoresNothing(Evidence),
            self.assertRaisesMessage(DomainError, "The file is larger than"),
        ):
            self.upload(pdf())

    def test_it_sends_the_evidence_back_as_a_sandboxed_attachment(self):
        evidence = self.upload(pdf("系统截图.pdf"))
        self.login(self.enterprise_user)
        response = self.client.get(reverse("assessments:self_evidence_download", args=[evidence.pk]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn("filename*=utf-8''%E7%B3%BB%E7%BB%9F", response["Content-Disposition"])
        self.assertEqual(response["Content-Security-Policy"], SANDBOX)


class VerificationEvidenceUploadTests(UploadAssertions, DiagnosisTestCase):
    def adjust(self, verification, file):
        return services_diagnosis.verify_answer(
            verification=verification,
            actor=self.expert,
            item_code="M1",
            accept=False,
            value=["A"],
            reason="没有规划文件",
            evidence=file,
        )

    def assertRefused(self, message, file, **settings):  # noqa: N802
        _request, verification = self.verifying()
        with (
            override_settings(**settings),
            self.assertStoresNothing(Evidence),
            self.assertRaisesMessage(DomainError, message),
        ):
            self.adjust(verification, file)
        self.assertEqual(verification.answers.get(item_code="M1").review, AnswerReview.PENDING)

    def test_it_refuses_html_renamed_to_pdf(self):
        self.assertRefused(REFUSED_TYPE, html_as_pdf())

    def test_it_refuses_a_file_over_the_limit(self):
        self.assertRefused("The file is larger than", pdf(), EVIDENCE_MAX_BYTES=10)

    def test_it_refuses_html_renamed_to_pdf_in_the_form(self):
        request, _verification = self.verifying()
        self.login(self.expert)
        with self.assertStoresNothing(Evidence):
            response = self.client.post(
                reverse("assessments:diagnosis_verify_answer", args=[request.pk, "M1"]),
                {"M1-options": "A", "M1-reason": "r", "M1-evidence": html_as_pdf()},
            )
        self.assertContains(response, REFUSED_TYPE, status_code=400)

    def test_it_sends_the_evidence_back_as_a_sandboxed_attachment(self):
        request, verification = self.verifying()
        self.adjust(verification, pdf("规划.pdf"))
        evidence = Evidence.objects.get()
        self.login(self.expert)
        response = self.client.get(reverse("assessments:diagnosis_evidence", args=[request.pk, evidence.pk]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertEqual(response["Content-Security-Policy"], SANDBOX)
