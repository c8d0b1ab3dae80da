"""Planning files (guide attachments, plan documents, answers to requests) go through core's upload module."""

from unittest.mock import patch

from django.urls import reverse

from smedx.core.errors import DomainError
from smedx.planning.models import Attachment, Document, Plan, PlanningRequest
from smedx.planning.services import library, plans, support
from smedx.planning.tests.test_library import data
from smedx.planning.tests.test_plans import PLAN, SHARE
from smedx.testing import PersonaTestCase
from smedx.testing.uploads import UploadAssertions, html_as_pdf, pdf

REFUSED_TYPE = "Only PDF, DOCX and XLSX files are accepted, and the content must match the name."
SMALL_LIMIT = patch("smedx.planning.files.MAX_BYTES", 10)


class PlanningUploadTests(UploadAssertions, PersonaTestCase):
    def uploads(self):
        """Each planning upload as a call taking the file, with the model whose rows it adds or changes."""
        document = library.create_document(actor=self.district, data=data())
        request = support.request_planning(
            enterprise=self.enterprise, actor=self.enterprise_user, need="规划"
        )

        def attach(file):
            library.add_attachment(document=document, actor=self.district, file=file)

        def plan(file):
            plans.save_plan(actor=self.district, data=PLAN, targets=[SHARE], document=file)

        def answer(file):
            support.answer_request(request=request, actor=self.district, answer="好", document=file)

        return {"attachment": (attach, Attachment), "plan": (plan, Plan), "answer": (answer, PlanningRequest)}

    def assertRefused(self, message, make_file):  # noqa: N802
        for name, (upload, model) in self.uploads().items():
            with (
                self.subTest(upload=name),
                self.assertStoresNothing(model),
                self.assertRaisesMessage(DomainError, message),
            ):
                upload(make_file())
        self.assertEqual(PlanningRequest.objects.get().status, PlanningRequest.Status.REQUESTED)

    def test_it_refuses_html_renamed_to_pdf(self):
        self.assertRefused(REFUSED_TYPE, html_as_pdf)

    def test_it_refuses_a_file_over_the_limit(self):
        with SMALL_LIMIT:
            self.assertRefused("The file is larger than", pdf)

    def test_it_refuses_html_renamed_to_pdf_in_the_forms(self):
        self.login(self.district)
        response = self.client.post(
            reverse("planning:document_create"), {**data(), "attachment": html_as_pdf()}
        )
        self.assertContains(response, REFUSED_TYPE, status_code=response.status_code)
        self.assertFalse(Document.objects.exists())


class PlanningDownloadTests(PersonaTestCase):
    def assertSafeDownload(self, response, name):  # noqa: N802
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn("attachment;", response["Content-Disposition"])
        self.assertIn(name, response["Content-Disposition"])
        self.assertEqual(response["Content-Security-Policy"], "default-src 'none'; sandbox")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")

    def test_it_sends_attachments_plans_and_answers_as_sandboxed_attachments(self):
        document = library.create_document(actor=self.district, data=data())
        attachment = library.add_attachment(document=document, actor=self.district, file=pdf("guide.pdf"))
        plan = plans.save_plan(actor=self.district, data=PLAN, targets=[SHARE], document=pdf("p.pdf"))
        request = support.request_planning(
            enterprise=self.enterprise, actor=self.enterprise_user, need="规划"
        )
        support.answer_request(request=request, actor=self.district, answer="好", document=pdf("a.pdf"))
        self.login(self.district)
        for url, name in (
            (reverse("planning:attachment_download", args=[attachment.pk]), "guide.pdf"),
            (reverse("planning:plan_document", args=[plan.pk]), "p.pdf"),
            (reverse("planning:request_document", args=[request.pk]), "a.pdf"),
        ):
            with self.subTest(url=url):
                self.assertSafeDownload(self.client.get(url), name)
