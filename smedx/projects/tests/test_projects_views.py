"""Stage 4 registration and implementation pages: happy paths, outsiders, wrong methods and bad input."""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from smedx.core.creditcode import make_credit_code
from smedx.projects.models import ChangeRequest, Invoice, Milestone, ProgressReport, Project
from smedx.projects.services import filing as services
from smedx.projects.tests.test_projects_services import StageFourCase
from smedx.testing.projects import draft_project, make_plan, pdf, registered_project

SELLER = make_credit_code("500112", 78)


def formset_data(prefix, rows, extra_keys=()):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{n}-{key}"] = value
    return data


def edit_data(project, **changes):
    data = {
        "title": "MES 项目",
        "contract_number": "HT-9",
        "contract_signed_on": "2026-03-01",
        "contract_amount": "180000",
        "target_level": "2",
        "goal_production_line": "产线联网",
        "goal_management": "",
        "goal_data_flow": "",
        "enterprise_signatory": "王明",
        "provider_signatory": "李强",
        "version": str(project.version),
        **formset_data(
            "items",
            [
                {"kind": "software", "description": "MES 订阅", "quantity": "1", "unit_price": "120000"},
                {"kind": "service", "description": "实施", "quantity": "20", "unit_price": "3000"},
            ],
        ),
        **formset_data("milestones", [{"name": "上线", "due_date": "2026-06-30", "deliverable": "MES"}]),
        **formset_data(
            "kpis",
            [{"direction": "data_flow", "name": "数据打通率", "baseline": "10", "target": "60", "unit": "%"}],
        ),
    }
    data.update(changes)
    return data


class FilingPageTests(StageFourCase):
    def test_it_starts_a_project_from_the_plan(self):
        self.login(self.enterprise_user)
        url = reverse("projects:project_create", args=[self.plan.pk])
        self.assertContains(self.client.get(url), "Start the project filing")
        response = self.client.post(url)
        project = Project.objects.get(plan=self.plan)
        self.assertRedirects(response, reverse("projects:project_edit", args=[project.pk]))
        # A second visit goes to the project instead of starting another.
        self.assertRedirects(self.client.get(url), reverse("projects:project_detail", args=[project.pk]))

    def test_it_hides_the_plan_from_another_enterprise(self):
        self.login(self.other_enterprise_user)
        response = self.client.post(reverse("projects:project_create", args=[self.plan.pk]))
        self.assertEqual(response.status_code, 404)
        self.assertFalse(Project.objects.exists())

    def test_it_saves_the_filing_with_its_lists(self):
        project = draft_project(self.enterprise_user, self.plan, complete=False)
        self.login(self.enterprise_user)
        data = edit_data(project, contract_upload=pdf())
        response = self.client.post(reverse("projects:project_edit", args=[project.pk]), data)
        self.assertRedirects(response, reverse("projects:project_detail", args=[project.pk]))
        project.refresh_from_db()
        self.assertEqual(project.title, "MES 项目")
        self.assertEqual(project.parties["provider_signatory"], "李强")
        self.assertTrue(project.contract_file)
        self.assertEqual(project.kpis.get().direction, "data_flow")
        self.assertEqual(project.milestones.count(), 1)

    def test_it_keeps_everything_typed_when_the_input_is_wrong(self):
        project = draft_project(self.enterprise_user, self.plan, complete=False)
        self.login(self.enterprise_user)
        data = edit_data(project, title="我输入的标题", **{"items-1-quantity": "-3"})
        response = self.client.post(reverse("projects:project_edit", args=[project.pk]), data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "我输入的标题")
        self.assertContains(response, "数据打通率")
        self.assertContains(response, "Give a quantity above zero.")
        self.assertNotEqual(Project.objects.get(pk=project.pk).title, "我输入的标题")

    def test_it_keeps_everything_typed_when_someone_saved_first(self):
        project = draft_project(self.enterprise_user, self.plan, complete=False)
        self.login(self.enterprise_user)
        stale = edit_data(project, title="我的版本")
        url = reverse("projects:project_edit", args=[project.pk])
        self.client.post(url, edit_data(project, title="同事的版本"))
        response = self.client.post(url, stale)
        self.assertContains(response, "Someone changed this project meanwhile")
        self.assertContains(response, "我的版本")
        self.assertEqual(Project.objects.get(pk=project.pk).title, "同事的版本")

    def test_it_refuses_the_edit_page_to_officers_and_the_provider(self):
        project = draft_project(self.enterprise_user, self.plan, complete=False)
        url = reverse("projects:project_edit", args=[project.pk])
        for persona, code in ((self.district, 403), (self.provider, 403), (self.other_enterprise_user, 404)):
            self.login(persona)
            with self.subTest(persona=persona.username):
                self.assertEqual(self.client.post(url, edit_data(project)).status_code, code)

    def test_it_submits_only_with_the_declaration(self):
        project = draft_project(self.enterprise_user, self.plan)
        self.login(self.enterprise_user)
        url = reverse("projects:project_submit", args=[project.pk])
        response = self.client.post(url, {})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Project.objects.get(pk=project.pk).status, Project.Status.DRAFT)
        response = self.client.post(url, {"declared": "on"})
        self.assertRedirects(response, reverse("projects:project_detail", args=[project.pk]))
        self.assertEqual(Project.objects.get(pk=project.pk).status, Project.Status.SUBMITTED)

    def test_it_lists_what_keeps_a_draft_from_being_submitted(self):
        project = draft_project(self.enterprise_user, self.plan, complete=False)
        self.login(self.enterprise_user)
        response = self.client.get(reverse("projects:project_submit", args=[project.pk]))
        self.assertContains(response, "Upload the signed contract.")
        response = self.client.post(reverse("projects:project_submit", args=[project.pk]), {"declared": "on"})
        self.assertEqual(Project.objects.get(pk=project.pk).status, Project.Status.DRAFT)


class ReviewPageTests(StageFourCase):
    def setUp(self):
        self.project = draft_project(self.enterprise_user, self.plan)
        services.submit_project(project=self.project, actor=self.enterprise_user, declared=True)
        self.url = reverse("projects:project_review", args=[self.project.pk])

    def test_it_registers_the_project(self):
        self.login(self.district)
        self.assertContains(self.client.get(self.url), "180,000")
        response = self.client.post(self.url, {"decision": "register", "comment": ""})
        self.assertRedirects(response, reverse("projects:project_detail", args=[self.project.pk]))
        self.assertEqual(Project.objects.get(pk=self.project.pk).status, Project.Status.REGISTERED)

    def test_it_needs_a_comment_to_return(self):
        self.login(self.district)
        response = self.client.post(self.url, {"decision": "return", "comment": ""})
        self.assertContains(response, "Say what must be changed")
        self.assertEqual(Project.objects.get(pk=self.project.pk).status, Project.Status.SUBMITTED)

    def test_it_refuses_other_districts_and_the_city(self):
        for persona, code in ((self.other_district, 404), (self.city, 403), (self.enterprise_user, 403)):
            self.login(persona)
            with self.subTest(persona=persona.username):
                self.assertEqual(self.client.post(self.url, {"decision": "register"}).status_code, code)
        self.assertEqual(Project.objects.get(pk=self.project.pk).status, Project.Status.SUBMITTED)


class ImplementationPageTests(StageFourCase):
    def setUp(self):
        self.project = registered_project(self.enterprise_user, self.district, self.plan)
        self.first, self.second = list(self.project.milestones.all())

    def test_it_takes_a_progress_report_with_evidence(self):
        self.login(self.provider)
        url = reverse("projects:milestone_report", args=[self.first.pk])
        response = self.client.post(url, {"text": "设备已联网", "files": [pdf("a.pdf"), pdf("b.pdf")]})
        self.assertRedirects(response, reverse("projects:project_detail", args=[self.project.pk]))
        report = ProgressReport.objects.get()
        self.assertEqual(report.files.count(), 2)

    def test_it_refuses_an_empty_report(self):
        self.login(self.provider)
        response = self.client.post(reverse("projects:milestone_report", args=[self.first.pk]), {"text": ""})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(ProgressReport.objects.exists())

    def test_it_confirms_by_post_only(self):
        services.report_progress(milestone=self.first, actor=self.provider, text="完成")
        self.login(self.enterprise_user)
        url = reverse("projects:milestone_confirm", args=[self.first.pk])
        self.assertEqual(self.client.get(url).status_code, 405)
        self.client.post(url)
        self.assertEqual(Milestone.objects.get(pk=self.first.pk).status, Milestone.Status.CONFIRMED)
        self.login(self.provider)
        self.assertEqual(
            self.client.post(reverse("projects:milestone_confirm", args=[self.second.pk])).status_code, 403
        )

    def test_it_shows_a_dash_not_none_for_a_person_no_longer_on_record(self):
        # Demo data and deleted accounts leave the confirming and declaring person empty (SET_NULL).
        services.report_progress(milestone=self.first, actor=self.provider, text="完成")
        services.confirm_milestone(milestone=self.first, actor=self.enterprise_user)
        Milestone.objects.filter(pk=self.first.pk).update(confirmed_by=None)
        Project.objects.filter(pk=self.project.pk).update(declared=True, declared_by=None)
        self.login(self.enterprise_user)
        page = self.client.get(reverse("projects:project_detail", args=[self.project.pk])).content.decode()
        self.assertNotIn("None", page)

    def test_it_records_an_invoice_and_flags_a_duplicate_on_the_page(self):
        other = registered_project(
            self.other_enterprise_user,
            self.district,
            make_plan(self.other_enterprise, self.provider.organisation, by=self.other_enterprise_user),
        )
        services.record_invoice(
            project=other,
            actor=self.other_enterprise_user,
            number="INV-1",
            date=date(2026, 4, 1),
            amount=Decimal("1000"),
            seller_code=SELLER,
        )
        self.login(self.enterprise_user)
        data = {
            "number": "INV-1",
            "date": "2026-04-02",
            "amount": "60000",
            "seller_code": SELLER,
            "proof": pdf(),
        }
        response = self.client.post(reverse("projects:invoice_create", args=[self.project.pk]), data)
        self.assertRedirects(response, reverse("projects:project_detail", args=[self.project.pk]))
        response = self.client.get(reverse("projects:project_detail", args=[self.project.pk]))
        self.assertContains(response, 'data-testid="duplicate"')
        self.assertContains(response, "60,000")

    def test_it_refuses_a_wrong_seller_code_and_saves_nothing(self):
        self.login(self.enterprise_user)
        data = {"number": "INV-2", "date": "2026-04-02", "amount": "100", "seller_code": "123"}
        response = self.client.post(reverse("projects:invoice_create", args=[self.project.pk]), data)
        self.assertContains(response, "18 characters")
        self.assertFalse(Invoice.objects.exists())

    def test_it_asks_for_and_decides_a_change(self):
        self.login(self.enterprise_user)
        data = {"description": "延期", "contract_amount": "", f"due_{self.first.pk}": "2026-08-31"}
        self.client.post(reverse("projects:change_create", args=[self.project.pk]), data)
        change = ChangeRequest.objects.get()
        self.assertEqual(change.changes, {"due_dates": {str(self.first.pk): "2026-08-31"}})
        self.login(self.district)
        url = reverse("projects:change_decide", args=[change.pk])
        self.assertContains(self.client.get(url), "2026-08-31")
        self.client.post(url, {"decision": "approve", "comment": ""})
        self.assertEqual(Milestone.objects.get(pk=self.first.pk).due_date, date(2026, 8, 31))

    def test_it_shows_the_detail_to_the_committee_but_not_to_another_district(self):
        url = reverse("projects:project_detail", args=[self.project.pk])
        self.login(self.expert)
        self.assertContains(self.client.get(url), "Itemised prices")
        self.login(self.other_district)
        self.assertEqual(self.client.get(url).status_code, 404)


class ProjectListTests(StageFourCase):
    def test_it_lists_and_filters_overdue_projects_in_few_queries(self):
        overdue = registered_project(self.enterprise_user, self.district, self.plan)
        Milestone.objects.filter(project=overdue).update(due_date=date(2020, 1, 1))
        for _n in range(3):
            plan = make_plan(self.enterprise, self.provider.organisation, by=self.enterprise_user)
            project = registered_project(self.enterprise_user, self.district, plan)
            Milestone.objects.filter(project=project).update(due_date=date(2099, 1, 1))
        self.login(self.district)
        url = reverse("projects:project_list")
        with self.assertNumQueries(6):
            response = self.client.get(url)
        self.assertEqual(len(response.context["page"].object_list), 4)
        response = self.client.get(url, {"overdue": "1"})
        self.assertEqual([p.pk for p in response.context["page"]], [overdue.pk])
        self.assertContains(response, 'data-testid="overdue"')

    def test_it_shows_the_other_district_nothing_and_refuses_the_platform(self):
        registered_project(self.enterprise_user, self.district, self.plan)
        self.login(self.other_district)
        response = self.client.get(reverse("projects:project_list"))
        self.assertEqual(len(response.context["page"].object_list), 0)
        self.login(self.platform)
        self.assertEqual(self.client.get(reverse("projects:project_list")).status_code, 403)


class DetailQueryTests(StageFourCase):
    def record(self, project, milestone, n):
        services.report_progress(milestone=milestone, actor=self.provider, text="进展", files=[pdf(), pdf()])
        services.record_invoice(
            project=project,
            actor=self.enterprise_user,
            number=f"N{n}",
            date=date(2026, 5, 1),
            amount=Decimal("100"),
            seller_code=SELLER,
            payment_proof=pdf(),
        )

    def test_it_shows_the_detail_in_the_same_queries_however_much_is_recorded(self):
        project = registered_project(self.enterprise_user, self.district, self.plan)
        first, second = list(project.milestones.all())
        self.record(project, first, 1)
        url = reverse("projects:project_detail", args=[project.pk])
        self.login(self.enterprise_user)
        self.client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as before:
            self.client.get(url)
        for n in range(2, 5):
            self.record(project, second, n)
        with self.assertNumQueries(len(before.captured_queries)):
            response = self.client.get(url)
        self.assertContains(response, "N4")
