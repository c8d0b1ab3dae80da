from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from smedx.assessments.loader import load_bundled
from smedx.projects.hooks import acceptance_todos
from smedx.projects.models import (
    AcceptanceDecision,
    Project,
    ProjectFile,
    Rectification,
    SupervisionAssignment,
    SupervisionVisit,
)
from smedx.projects.services import acceptance as acc
from smedx.testing import PersonaTestCase, make_user
from smedx.testing.acceptance import (
    RATING,
    before_after,
    complete_documents,
    make_project,
    supervise,
    verify_all,
)

PS = Project.Status


class SupervisionViewTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = make_project(cls.enterprise, cls.provider.organisation, by=cls.enterprise_user)
        cls.url = reverse("projects:supervision", args=[cls.project.pk])

    def post(self, name, pk, data):
        return self.client.post(reverse(f"projects:{name}", args=[pk]), data)

    def test_it_shows_the_assign_form_to_the_committee(self):
        self.login(self.expert)
        response = self.client.get(self.url)
        self.assertContains(response, reverse("projects:supervision_assign", args=[self.project.pk]))
        self.login(self.enterprise_user)
        response = self.client.get(self.url)
        self.assertNotContains(response, reverse("projects:supervision_assign", args=[self.project.pk]))

    def test_it_walks_assign_visit_rectify_fix_close(self):
        self.login(self.expert)
        self.post("supervision_assign", self.project.pk, {"expert": self.expert.pk})
        self.assertEqual(SupervisionAssignment.objects.get().expert, self.expert)
        today = timezone.localdate()
        self.post("supervision_visit", self.project.pk, {"visited_on": today, "findings": "正常"})
        self.assertTrue(SupervisionVisit.objects.exists())
        deadline = today + timedelta(days=10)
        self.post("rectification_issue", self.project.pk, {"description": "补录数据", "deadline": deadline})
        rectification = Rectification.objects.get()
        self.login(self.provider)
        response = self.client.get(self.url)
        self.assertContains(response, reverse("projects:rectification_fix", args=[rectification.pk]))
        self.post("rectification_fix", rectification.pk, {"note": "已补录"})
        self.login(self.expert)
        response = self.post("rectification_close", rectification.pk, {})
        self.assertRedirects(response, self.url)
        rectification.refresh_from_db()
        self.assertEqual(rectification.status, Rectification.Status.CLOSED)

    def test_it_keeps_nothing_on_bad_input(self):
        supervise(self.project, self.expert, self.expert)
        self.login(self.expert)
        response = self.post("rectification_issue", self.project.pk, {"description": "", "deadline": "x"})
        self.assertRedirects(response, self.url)
        past = timezone.localdate() - timedelta(days=1)
        self.post("rectification_issue", self.project.pk, {"description": "a", "deadline": past})
        self.assertFalse(Rectification.objects.exists())

    def test_it_refuses_the_assignment_to_others(self):
        self.login(self.enterprise_user)
        response = self.post("supervision_assign", self.project.pk, {"expert": self.expert.pk})
        self.assertEqual(response.status_code, 403)
        self.login(self.other_enterprise_user)
        response = self.post("supervision_visit", self.project.pk, {})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(SupervisionAssignment.objects.exists())

    def test_it_answers_405_to_a_get_of_an_action(self):
        self.login(self.expert)
        response = self.client.get(reverse("projects:supervision_assign", args=[self.project.pk]))
        self.assertEqual(response.status_code, 405)

    def test_it_hides_a_rectification_from_outsiders(self):
        rectification = Rectification.objects.create(
            project=self.project, issued_by=self.expert, description="x", deadline=timezone.localdate()
        )
        self.login(self.other_enterprise_user)
        response = self.post("rectification_fix", rectification.pk, {"note": "x"})
        self.assertEqual(response.status_code, 404)


class AcceptanceViewTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        load_bundled()
        cls.before, cls.after = before_after(cls.enterprise)
        cls.project = make_project(
            cls.enterprise,
            cls.provider.organisation,
            PS.COMPLETED,
            by=cls.enterprise_user,
            completed_days_ago=3,
        )
        cls.apply_url = reverse("projects:acceptance_apply", args=[cls.project.pk])
        cls.detail_url = reverse("projects:acceptance_detail", args=[cls.project.pk])

    def form(self, **changes):
        return {"before": self.before.pk, "after": self.after.pk, **RATING, "declared": "on", **changes}

    def test_it_shows_the_checklist_with_crosses_and_the_deadline(self):
        self.login(self.enterprise_user)
        response = self.client.get(self.apply_url)
        self.assertContains(response, 'data-ok="0"', count=8)
        self.assertContains(response, acc.deadline_of(self.project).isoformat())

    def test_it_uploads_a_document_of_the_checklist(self):
        self.login(self.enterprise_user)
        pdf = SimpleUploadedFile("form.pdf", b"%PDF-1.4 form", content_type="application/pdf")
        response = self.client.post(
            reverse("projects:acceptance_upload", args=[self.project.pk]),
            {"kind": "acceptance_form", "file": pdf},
        )
        self.assertRedirects(response, self.apply_url)
        self.assertEqual(ProjectFile.objects.get().kind, "acceptance_form")

    def test_it_refuses_a_file_that_is_not_what_it_claims(self):
        self.login(self.enterprise_user)
        fake = SimpleUploadedFile("form.pdf", b"MZ not a pdf", content_type="application/pdf")
        self.client.post(
            reverse("projects:acceptance_upload", args=[self.project.pk]),
            {"kind": "acceptance_form", "file": fake},
        )
        self.assertFalse(ProjectFile.objects.exists())

    def test_it_shows_what_is_missing_and_saves_nothing(self):
        self.login(self.enterprise_user)
        response = self.client.post(self.apply_url, self.form())
        self.assertContains(response, "Summary report")
        self.project.refresh_from_db()
        self.assertEqual(self.project.status, PS.COMPLETED)

    def test_it_requires_the_declaration(self):
        complete_documents(self.project)
        self.login(self.enterprise_user)
        data = self.form()
        del data["declared"]
        response = self.client.post(self.apply_url, data)
        self.assertEqual(response.status_code, 200)
        self.project.refresh_from_db()
        self.assertEqual(self.project.status, PS.COMPLETED)

    def test_it_walks_application_verification_and_decision(self):
        complete_documents(self.project)
        self.login(self.enterprise_user)
        response = self.client.post(self.apply_url, self.form())
        self.assertRedirects(response, self.detail_url)
        self.login(self.expert)
        response = self.client.get(self.detail_url)
        self.assertContains(response, reverse("projects:acceptance_verify", args=[self.project.pk]))
        response = self.client.post(reverse("projects:acceptance_verify", args=[self.project.pk]))
        self.assertEqual(response.status_code, 302)
        verify_all(
            acc.verification_request(self.project.acceptance_application).verified_assessment, self.expert
        )
        response = self.client.post(
            reverse("projects:acceptance_decide", args=[self.project.pk]),
            {"decision": "accepted", "reasons": "目标达成"},
        )
        self.assertRedirects(response, self.detail_url)
        self.assertEqual(AcceptanceDecision.objects.get().decision, "accepted")
        self.login(self.enterprise_user)
        response = self.client.get(self.detail_url)
        self.assertContains(response, 'data-testid="level-before"')
        self.assertContains(response, 'data-testid="decision"')

    def test_it_refuses_the_apply_page_to_others(self):
        for user, code in ((self.provider, 403), (self.district, 403), (self.other_enterprise_user, 404)):
            self.login(user)
            with self.subTest(user=user):
                self.assertEqual(self.client.get(self.apply_url).status_code, code)

    def test_it_refuses_the_decision_to_the_enterprise(self):
        self.login(self.enterprise_user)
        response = self.client.post(
            reverse("projects:acceptance_decide", args=[self.project.pk]),
            {"decision": "accepted", "reasons": "x"},
        )
        self.assertEqual(response.status_code, 403)


class FollowUpListTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for _n in range(3):
            make_project(cls.enterprise, cls.provider.organisation, by=cls.enterprise_user)
        make_project(
            cls.enterprise,
            cls.provider.organisation,
            PS.COMPLETED,
            by=cls.enterprise_user,
            completed_days_ago=1,
        )

    def test_it_lists_projects_to_assign_in_few_queries(self):
        self.login(self.expert)
        url = reverse("projects:acceptance_list") + "?todo=assign"
        self.client.get(url)
        with self.assertNumQueries(6):
            response = self.client.get(url)
        self.assertEqual(len(response.context["page"].object_list), 4)

    def test_it_gives_each_persona_its_todos(self):
        titles = [t.title for t in acceptance_todos(self.expert) if t.count]
        self.assertIn("Projects awaiting a supervising expert", titles)
        apply = [t.title for t in acceptance_todos(self.enterprise_user)]
        self.assertTrue(any("Apply for the acceptance" in t for t in apply))
        supervise(Project.objects.first(), self.expert, self.expert)
        Rectification.objects.create(
            project=Project.objects.first(),
            issued_by=self.expert,
            description="x",
            deadline=timezone.localdate(),
        )
        self.assertIn(
            "Open rectifications to fix", [t.title for t in acceptance_todos(self.provider) if t.count]
        )
        self.assertEqual(acceptance_todos(self.district), [])

    def test_it_refuses_the_list_to_officers(self):
        self.login(make_user("plain"))
        self.assertEqual(self.client.get(reverse("projects:acceptance_list")).status_code, 403)
