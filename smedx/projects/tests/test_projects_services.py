"""Stage 4 registration and implementation services: every transition allowed and refused, per persona."""

from datetime import date
from decimal import Decimal
from io import StringIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from smedx.core.creditcode import make_credit_code
from smedx.core.errors import ConflictError, DomainError
from smedx.core.models import AuditEntry, Notification
from smedx.core.tasks import run_daily_job
from smedx.enterprises.models import Stage
from smedx.projects import metrics
from smedx.projects.models import ChangeRequest, Invoice, Milestone, Project, ProjectFile, ReviewStep
from smedx.projects.services import filing as services
from smedx.testing import PersonaTestCase
from smedx.testing.projects import (
    ITEMS,
    KPIS,
    MILESTONES,
    draft_project,
    make_plan,
    pdf,
    project_data,
    registered_project,
)

SELLER = make_credit_code("500112", 77)


class StageFourCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.provider_org = cls.provider.organisation
        cls.plan = make_plan(cls.enterprise, cls.provider_org, by=cls.enterprise_user)

    def update(self, project, **changes):
        items = changes.pop("items", ITEMS)
        milestones = changes.pop("milestones", MILESTONES)
        return services.update_project(
            project=project,
            actor=self.enterprise_user,
            data=project_data(project, **changes),
            items=items,
            milestones=milestones,
            kpis=KPIS,
            version=project.version,
        )


class CreateAndEditTests(StageFourCase):
    def test_it_prefills_the_project_from_the_selected_proposal(self):
        project = services.create_project_from_plan(plan=self.plan, actor=self.enterprise_user)
        self.assertEqual(project.status, Project.Status.DRAFT)
        self.assertEqual(project.provider, self.provider_org)
        self.assertEqual(project.contract_amount, Decimal("180000"))
        self.assertEqual(project.target_level, 2)
        self.assertEqual(project.items.count(), 2)
        self.assertEqual(list(project.milestones.values_list("order", "name")), [(1, "上线"), (2, "验收")])
        self.assertEqual(project.kpis.get().name, "设备联网率")
        self.assertTrue(AuditEntry.objects.filter(action="projects.project.created").exists())

    def test_it_refuses_a_second_project_from_the_same_plan(self):
        services.create_project_from_plan(plan=self.plan, actor=self.enterprise_user)
        with self.assertRaises(ConflictError):
            services.create_project_from_plan(plan=self.plan, actor=self.enterprise_colleague)

    def test_it_lets_only_the_enterprise_start_its_project(self):
        for persona in (self.other_enterprise_user, self.provider, self.district, self.city, self.outsider):
            with self.subTest(persona=persona.username), self.assertRaises(DomainError):
                services.create_project_from_plan(plan=self.plan, actor=persona)
        self.assertFalse(Project.objects.exists())

    def test_it_refuses_a_stale_version_and_keeps_the_newer_data(self):
        project = draft_project(self.enterprise_user, self.plan, complete=False)
        stale = Project.objects.get(pk=project.pk)
        self.update(project, title="新标题")
        with self.assertRaises(ConflictError):
            self.update(stale, title="旧标题")
        self.assertEqual(Project.objects.get(pk=project.pk).title, "新标题")

    def test_it_never_counts_an_office_pc_as_eligible(self):
        project = draft_project(self.enterprise_user, self.plan, complete=False)
        pcs = {
            "kind": "hardware",
            "description": "办公电脑",
            "quantity": 2,
            "unit_price": 5000,
            "office_pc": True,
        }
        sensor = {"kind": "hardware", "description": "采集网关", "quantity": 1, "unit_price": 10000}
        project = self.update(project, items=[*ITEMS, pcs, sensor], contract_amount=Decimal("200000"))
        self.assertEqual(metrics.items_total(project), Decimal("200000"))
        self.assertEqual(metrics.eligible_total(project), Decimal("190000"))
        self.assertFalse(project.items.get(description="办公电脑").eligible)

    def test_it_refuses_changes_by_others_and_after_submission(self):
        project = draft_project(self.enterprise_user, self.plan)
        with self.assertRaises(DomainError):
            services.update_project(project=project, actor=self.provider, data={}, version=project.version)
        services.submit_project(project=project, actor=self.enterprise_user, declared=True)
        with self.assertRaises(DomainError):
            self.update(Project.objects.get(pk=project.pk))


class SubmitTests(StageFourCase):
    def test_it_files_a_complete_project_and_tells_the_district(self):
        project = draft_project(self.enterprise_user, self.plan)
        with self.captureOnCommitCallbacks(execute=True):
            project = services.submit_project(project=project, actor=self.enterprise_user, declared=True)
        self.assertEqual(project.status, Project.Status.SUBMITTED)
        self.assertTrue(project.declared)
        self.assertEqual(project.declared_by, self.enterprise_user)
        self.assertEqual(project.review_steps.get().action, ReviewStep.Action.SUBMITTED)
        self.assertTrue(Notification.objects.filter(recipient=self.district).exists())
        self.assertFalse(Notification.objects.filter(recipient=self.other_district).exists())

    def test_it_refuses_items_that_do_not_add_up_to_the_contract_and_gives_both_sums(self):
        project = draft_project(self.enterprise_user, self.plan)
        project = self.update(project, contract_amount=Decimal("200000"))
        with self.assertRaisesMessage(
            DomainError, "180,000.00 yuan but the contract amount is 200,000.00 yuan"
        ):
            services.submit_project(project=project, actor=self.enterprise_user, declared=True)
        self.assertEqual(Project.objects.get(pk=project.pk).status, Project.Status.DRAFT)

    def test_it_refuses_without_milestones_declaration_or_contract(self):
        no_milestone = self.update(draft_project(self.enterprise_user, self.plan), milestones=[])
        with self.assertRaisesMessage(DomainError, "at least one milestone"):
            services.submit_project(project=no_milestone, actor=self.enterprise_user, declared=True)
        with self.assertRaisesMessage(DomainError, "Declare"):
            services.submit_project(project=no_milestone, actor=self.enterprise_user, declared=False)
        other_plan = make_plan(self.enterprise, self.provider_org, by=self.enterprise_user)
        no_contract = self.update(
            services.create_project_from_plan(plan=other_plan, actor=self.enterprise_user)
        )
        with self.assertRaisesMessage(DomainError, "Upload the signed contract"):
            services.submit_project(project=no_contract, actor=self.enterprise_user, declared=True)

    def test_it_lets_only_the_enterprise_submit(self):
        project = draft_project(self.enterprise_user, self.plan)
        for persona in (self.provider, self.district, self.other_enterprise_user):
            with self.subTest(persona=persona.username), self.assertRaises(DomainError):
                services.submit_project(project=project, actor=persona, declared=True)


class ReviewTests(StageFourCase):
    def setUp(self):
        self.project = draft_project(self.enterprise_user, self.plan)
        services.submit_project(project=self.project, actor=self.enterprise_user, declared=True)

    def test_it_registers_and_moves_the_journey_to_stage_four(self):
        with self.captureOnCommitCallbacks(execute=True):
            project = services.review_project(project=self.project, actor=self.district, register=True)
        self.assertEqual(project.status, Project.Status.REGISTERED)
        self.assertEqual(project.registered_by, self.district)
        self.enterprise.refresh_from_db()
        self.assertEqual(self.enterprise.stage, Stage.IMPLEMENTATION)
        self.assertTrue(Notification.objects.filter(recipient=self.provider).exists())
        self.assertEqual(
            list(project.review_steps.values_list("action", flat=True)), ["submitted", "registered"]
        )

    def test_it_returns_with_a_comment_and_the_enterprise_resubmits(self):
        with self.assertRaisesMessage(DomainError, "Say what must be changed"):
            services.review_project(project=self.project, actor=self.district, register=False, comment=" ")
        project = services.review_project(
            project=self.project, actor=self.district, register=False, comment="补充合同"
        )
        self.assertEqual(project.status, Project.Status.RETURNED)
        self.assertFalse(project.declared)
        project = self.update(project, title="修改后")
        project = services.submit_project(project=project, actor=self.enterprise_user, declared=True)
        self.assertEqual(project.status, Project.Status.SUBMITTED)
        self.assertEqual(project.review_steps.count(), 3)

    def test_it_refuses_reviewers_outside_the_district(self):
        for persona in (self.other_district, self.city, self.expert, self.enterprise_user, self.provider):
            with self.subTest(persona=persona.username), self.assertRaises(DomainError):
                services.review_project(project=self.project, actor=persona, register=True)
        self.assertEqual(Project.objects.get(pk=self.project.pk).status, Project.Status.SUBMITTED)

    def test_it_refuses_a_second_decision(self):
        services.review_project(project=self.project, actor=self.district, register=True)
        with self.assertRaises(ConflictError):
            services.review_project(project=self.project, actor=self.district, register=False, comment="晚了")
        self.assertEqual(Project.objects.get(pk=self.project.pk).status, Project.Status.REGISTERED)


class ChangeTests(StageFourCase):
    def setUp(self):
        self.project = registered_project(self.enterprise_user, self.district, self.plan)
        self.first = self.project.milestones.first()

    def test_it_refuses_a_change_before_registration(self):
        other = draft_project(
            self.enterprise_user, make_plan(self.enterprise, self.provider_org, by=self.city)
        )
        with self.assertRaises(DomainError):
            services.request_change(project=other, actor=self.enterprise_user, description="x", changes={})

    def test_it_applies_an_approved_change(self):
        change = services.request_change(
            project=self.project,
            actor=self.enterprise_user,
            description="延期并增加预算",
            changes={"contract_amount": "190000", "due_dates": {str(self.first.pk): date(2026, 7, 31)}},
        )
        with self.assertRaisesMessage(DomainError, "already waiting"):
            services.request_change(
                project=self.project, actor=self.enterprise_user, description="再改", changes={}
            )
        services.decide_change(change=change, actor=self.district, approve=True)
        self.project.refresh_from_db()
        self.first.refresh_from_db()
        self.assertEqual(self.project.contract_amount, Decimal("190000"))
        self.assertEqual(self.first.due_date, date(2026, 7, 31))
        self.assertEqual(self.project.review_steps.last().action, ReviewStep.Action.CHANGE_APPROVED)
        with self.assertRaises(ConflictError):
            services.decide_change(change=change, actor=self.district, approve=False, comment="no")

    def test_it_refuses_a_change_with_a_reason_and_applies_nothing(self):
        change = services.request_change(
            project=self.project,
            actor=self.enterprise_user,
            description="加钱",
            changes={"contract_amount": "1"},
        )
        with self.assertRaisesMessage(DomainError, "Give a reason"):
            services.decide_change(change=change, actor=self.district, approve=False)
        for persona in (self.other_district, self.city, self.enterprise_user):
            with self.subTest(persona=persona.username), self.assertRaises(DomainError):
                services.decide_change(change=change, actor=persona, approve=True)
        change = services.decide_change(change=change, actor=self.district, approve=False, comment="无依据")
        self.assertEqual(change.status, ChangeRequest.Status.REFUSED)
        self.assertEqual(Project.objects.get(pk=self.project.pk).contract_amount, Decimal("180000"))

    def test_it_refuses_a_milestone_of_another_project(self):
        with self.assertRaises(DomainError):
            services.request_change(
                project=self.project,
                actor=self.enterprise_user,
                description="x",
                changes={"due_dates": {"999999": "2026-01-01"}},
            )


class ProgressTests(StageFourCase):
    def setUp(self):
        self.project = registered_project(self.enterprise_user, self.district, self.plan)
        self.first, self.second = list(self.project.milestones.all())

    def report(self, milestone, actor=None, files=()):
        return services.report_progress(
            milestone=milestone, actor=actor or self.provider, text="已上线", files=files
        )

    def test_it_records_progress_with_evidence_and_starts_the_project(self):
        self.report(self.first, files=[pdf("photo.pdf")])
        self.first.refresh_from_db()
        self.assertEqual(self.first.status, Milestone.Status.REPORTED)
        self.assertEqual(Project.objects.get(pk=self.project.pk).status, Project.Status.IN_PROGRESS)
        evidence = ProjectFile.objects.get(milestone=self.first)
        self.assertEqual(evidence.kind, ProjectFile.Kind.PROGRESS_EVIDENCE)
        self.assertEqual(evidence.original_name, "photo.pdf")

    def test_it_refuses_a_bad_file_and_saves_nothing(self):
        bad = SimpleUploadedFile("x.pdf", b"MZ not a pdf")
        with self.assertRaises(DomainError):
            self.report(self.first, files=[bad])
        self.assertFalse(self.first.reports.exists())
        self.assertEqual(Milestone.objects.get(pk=self.first.pk).status, Milestone.Status.PLANNED)

    def test_it_lets_only_the_provider_report(self):
        for persona in (self.enterprise_user, self.district, self.expert):
            with self.subTest(persona=persona.username), self.assertRaises(DomainError):
                self.report(self.first, persona)

    def test_it_confirms_only_a_reported_milestone_and_completes_the_project(self):
        with self.assertRaisesMessage(DomainError, "reported"):
            services.confirm_milestone(milestone=self.first, actor=self.enterprise_user)
        self.report(self.first)
        with self.assertRaises(DomainError):
            services.confirm_milestone(milestone=self.first, actor=self.provider)
        services.confirm_milestone(milestone=self.first, actor=self.enterprise_user)
        self.assertEqual(Project.objects.get(pk=self.project.pk).status, Project.Status.IN_PROGRESS)
        self.report(self.second)
        with self.captureOnCommitCallbacks(execute=True):
            services.confirm_milestone(milestone=self.second, actor=self.enterprise_colleague)
        project = Project.objects.get(pk=self.project.pk)
        self.assertEqual(project.status, Project.Status.COMPLETED)
        self.assertIsNotNone(project.completed_at)
        self.assertTrue(
            Notification.objects.filter(recipient=self.district, verb="projects.project.completed")
        )
        with self.assertRaises(DomainError):
            self.report(self.second)


class InvoiceTests(StageFourCase):
    def setUp(self):
        self.project = registered_project(self.enterprise_user, self.district, self.plan)

    def record(self, project=None, actor=None, **changes):
        values = {
            "number": "12345678",
            "date": date(2026, 4, 1),
            "amount": Decimal("60000"),
            "seller_code": SELLER,
        }
        values.update(changes)
        return services.record_invoice(
            project=project or self.project, actor=actor or self.enterprise_user, **values
        )

    def test_it_records_an_invoice_with_payment_proof_and_sums_it(self):
        invoice = self.record(payment_proof=pdf("proof.pdf"), paid_on=date(2026, 4, 3))
        self.assertEqual(invoice.payment_proof.kind, ProjectFile.Kind.PAYMENT_PROOF)
        self.record(number="87654321", amount=Decimal("30000"))
        self.assertEqual(metrics.invoiced_total(self.project), Decimal("90000"))
        self.assertFalse(services.duplicate_invoices(invoice).exists())

    def test_it_refuses_a_bad_seller_code_and_saves_nothing(self):
        with self.assertRaisesMessage(DomainError, "check character"):
            self.record(seller_code=SELLER[:-1] + ("0" if SELLER[-1] != "0" else "1"))
        with self.assertRaises(DomainError):
            self.record(amount=Decimal("0"))
        self.assertFalse(Invoice.objects.exists())

    def test_it_flags_the_same_invoice_recorded_by_another_enterprise(self):
        first = self.record()
        other_plan = make_plan(self.other_enterprise, self.provider_org, by=self.other_enterprise_user)
        other = registered_project(self.other_enterprise_user, self.district, other_plan)
        with self.captureOnCommitCallbacks(execute=True):
            second = self.record(project=other, actor=self.other_enterprise_user, seller_code=SELLER.lower())
        self.assertEqual(list(services.duplicate_invoices(second)), [first])
        flagged = dict(services.with_duplicate_flag(Invoice.objects.all()).values_list("pk", "is_duplicate"))
        self.assertEqual(flagged, {first.pk: True, second.pk: True})
        self.assertTrue(
            Notification.objects.filter(recipient=self.district, verb="projects.invoice.duplicate")
        )
        third = self.record(number="99999999")
        self.assertFalse(services.duplicate_invoices(third).exists())

    def test_it_refuses_invoices_from_others_and_before_registration(self):
        for persona in (self.provider, self.district, self.other_enterprise_user):
            with self.subTest(persona=persona.username), self.assertRaises(DomainError):
                self.record(actor=persona)
        draft = draft_project(
            self.enterprise_user, make_plan(self.enterprise, self.provider_org, by=self.city)
        )
        with self.assertRaisesMessage(DomainError, "registered"):
            self.record(project=draft)


class OverdueTests(StageFourCase):
    def setUp(self):
        self.project = registered_project(self.enterprise_user, self.district, self.plan)
        self.first, self.second = list(self.project.milestones.all())  # due 2026-06-30 and 2026-09-30

    def test_it_flags_each_overdue_milestone_once_and_tells_everyone(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(services.flag_overdue_milestones(date(2026, 7, 15)), 1)
        self.first.refresh_from_db()
        self.assertIsNotNone(self.first.overdue_notified_at)
        for person in (self.provider, self.enterprise_user, self.district):
            self.assertEqual(
                Notification.objects.filter(recipient=person, verb="projects.milestone.overdue").count(), 1
            )
        self.assertEqual(services.flag_overdue_milestones(date(2026, 7, 16)), 0)
        self.assertEqual(services.flag_overdue_milestones(date(2026, 10, 1)), 1)

    def test_it_skips_confirmed_milestones_and_unregistered_projects(self):
        services.report_progress(milestone=self.first, actor=self.provider, text="完成")
        services.confirm_milestone(milestone=self.first, actor=self.enterprise_user)
        draft_project(self.enterprise_user, make_plan(self.enterprise, self.provider_org, by=self.city))
        self.assertEqual(services.flag_overdue_milestones(date(2026, 7, 15)), 0)

    def test_it_runs_through_the_task_and_the_command(self):
        Milestone.objects.filter(pk=self.first.pk).update(due_date=date(2020, 1, 1))
        Milestone.objects.filter(pk=self.second.pk).update(due_date=date(2099, 1, 1))
        self.assertEqual(run_daily_job.call("flag_overdue_milestones"), 1)
        Milestone.objects.filter(pk=self.second.pk).update(due_date=date(2020, 2, 1))
        out = StringIO()
        call_command("run_daily", "--now", "--only", "flag_overdue_milestones", stdout=out)
        self.assertIn("flag_overdue_milestones: 1", out.getvalue())
        self.assertIsNotNone(Milestone.objects.get(pk=self.second.pk).overdue_notified_at)
        call_command("run_daily", stdout=out)  # queued; the test backend runs it at once
        self.assertIn("flag_overdue_milestones: queued", out.getvalue())
        self.assertIn("list_due_providers: queued", out.getvalue())
