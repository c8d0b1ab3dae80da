"""Certificate scans go through core's upload module: refused when they lie about their type or are too big."""

from unittest.mock import patch

from django.urls import reverse

from smedx.providers.models import ProviderCertificate
from smedx.testing import PersonaTestCase
from smedx.testing.providers import complete_profile
from smedx.testing.uploads import PNG, UploadAssertions, html_as_pdf, pdf

ADD = reverse("providers:certificate_add")
FIELDS = {"name": "ISO 9001", "issuer": "CQC", "valid_until": "2030-01-01"}


class CertificateUploadTests(UploadAssertions, PersonaTestCase):
    def setUp(self):
        complete_profile(self.provider.organisation)
        self.login(self.provider)

    def test_it_refuses_html_renamed_to_pdf(self):
        with self.assertStoresNothing(ProviderCertificate):
            response = self.client.post(ADD, {**FIELDS, "file": html_as_pdf("资质证书.pdf")})
        self.assertContains(response, "Only PDF, JPG and PNG files are accepted, and the content must match")

    def test_it_refuses_a_file_over_the_limit(self):
        with (
            patch("smedx.providers.services.application.CERTIFICATE_MAX_BYTES", 10),
            self.assertStoresNothing(ProviderCertificate),
        ):
            response = self.client.post(ADD, {**FIELDS, "file": pdf("证书.pdf")})
        self.assertContains(response, "The file is larger than")

    def test_it_sends_the_scan_back_as_a_sandboxed_attachment(self):
        self.client.post(ADD, {**FIELDS, "file": pdf("证书.png", PNG)})
        certificate = ProviderCertificate.objects.get()
        self.assertNotIn("证书", certificate.file.name)
        response = self.client.get(reverse("providers:certificate_file", args=[certificate.pk]))
        self.assertEqual(response["Content-Type"], "image/png")
        self.assertEqual(
            response["Content-Disposition"],
            "attachment; filename=\"download.png\"; filename*=utf-8''%E8%AF%81%E4%B9%A6.png",
        )
        self.assertEqual(response["Content-Security-Policy"], "default-src 'none'; sandbox")
