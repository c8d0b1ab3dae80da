"""Project files (contracts, progress evidence, payment proofs, acceptance documents) go through core's uploads."""

from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from smedx.core.creditcode import make_credit_code
from smedx.core.errors import DomainError
from smedx.projects.models import Invoice, ProgressReport, Project, ProjectFile
from smedx.projects.services import acceptance
from smedx.projects.services import filing as services
from smedx.projects.tests.test_projects_services import StageFourCase
from smedx.testing.acceptance import make_project
from smedx.testing.projects import (
    ITEMS,
    KPIS,
    MILESTONES,
    make_plan,
    project_data,
    registered_project,
)
from smedx.testing.uploads import DOCX, UploadAssertions, html_as_pdf, pdf

REFUSED_TYPE = "Only PDF, JPG, PNG, XLSX and DOCX files are accepted, and the content must match the name."


class ProjectUploadTests(UploadAssertions, StageFourCase):
    def uploads(self):
        """Each project upload as a call taking the file, with the models it would add rows to."""
        draft = services.create_project_from_plan(plan=self.plan, actor=self.enterprise_user)
        second_plan = make_plan(self.enterprise, self.provider_org, by=self.enterprise_user)
        underway = registered_project(self.enterprise_user, self.district, second_plan)
        accepting = make_project(self.enterprise, self.provider_org, by=self.enterprise_user)

        def contract(file):
            services.update_project(
                project=draft,
                actor=self.enterprise_user,
                data=project_data(draft),
                items=ITEMS,
                milestones=MILESTONES,
                kpis=KPIS,
                version=draft.version,
                contract_file=file,
            )

        def progress(file):
            milestone = underway.milestones.first()
            services.report_progress(milestone=milestone, actor=self.provider, text="联网", files=[file])

        def proof(file):
            services.record_invoice(
                project=underway,
                actor=self.enterprise_user,
                number="INV-9",
                date=date(2026, 4, 1),
                amount=Decimal("100"),
                seller_code=make_credit_code("500112", 78),
                payment_proof=file,
            )

        def document(file):
            acceptance.upload_acceptance_file(
                project=accepting, actor=self.enterprise_user, kind="acceptance_form", file=file
            )

        return {
            "contract": (contract, [ProjectFile, Project]),
            "progress": (progress, [ProjectFile, ProgressReport]),
            "payment proof": (proof, [ProjectFile, Invoice]),
            "acceptance document": (document, [ProjectFile]),
        }

    def assertRefused(self, message, make_file, **settings):  # noqa: N802
        for name, (upload, models) in self.uploads().items():
            with (
                self.subTest(upload=name),
                override_settings(**settings),
                self.assertStoresNothing(*models),
                self.assertRaisesMessage(DomainError, message),
            ):
                upload(make_file())
        self.assertFalse(Project.objects.get(plan=self.plan).contract_file)

    def test_it_refuses_html_renamed_to_pdf(self):
        self.assertRefused(REFUSED_TYPE, html_as_pdf)

    def test_it_refuses_a_file_over_the_limit(self):
        self.assertRefused("The file is larger than", pdf, EVIDENCE_MAX_BYTES=10)

    def test_it_refuses_html_renamed_to_pdf_on_the_acceptance_page(self):
        project = make_project(self.enterprise, self.provider_org, by=self.enterprise_user)
        self.login(self.enterprise_user)
        with self.assertStoresNothing(ProjectFile):
            self.client.post(
                reverse("projects:acceptance_upload", args=[project.pk]),
                {"kind": "acceptance_form", "file": html_as_pdf()},
            )


class ProjectDownloadTests(StageFourCase):
    def test_it_sends_the_contract_under_its_number_with_the_right_extension(self):
        project = services.create_project_from_plan(plan=self.plan, actor=self.enterprise_user)
        contract = SimpleUploadedFile("合同.docx", DOCX)
        services.update_project(
            project=project,
            actor=self.enterprise_user,
            data=project_data(project, contract_number="HT-7"),
            items=ITEMS,
            milestones=MILESTONES,
            kpis=KPIS,
            version=project.version,
            contract_file=contract,
        )
        self.login(self.enterprise_user)
        response = self.client.get(reverse("projects:project_contract", args=[project.pk]))
        self.assertEqual(response["Content-Disposition"], 'attachment; filename="HT-7.docx"')
        self.assertTrue(response["Content-Type"].endswith("wordprocessingml.document"))
        self.assertEqual(response["Content-Security-Policy"], "default-src 'none'; sandbox")

    def test_it_sends_a_project_file_as_a_sandboxed_attachment(self):
        project = make_project(self.enterprise, self.provider_org, by=self.enterprise_user)
        row = acceptance.upload_acceptance_file(
            project=project, actor=self.enterprise_user, kind="acceptance_form", file=pdf("验收申请表.pdf")
        )
        self.login(self.enterprise_user)
        response = self.client.get(reverse("projects:project_file", args=[project.pk, row.pk]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn("filename*=utf-8''%E9%AA%8C%E6%94%B6", response["Content-Disposition"])
        self.assertEqual(response["Content-Security-Policy"], "default-src 'none'; sandbox")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
