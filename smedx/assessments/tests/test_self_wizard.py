"""The wizard pages: start, overview, sections, autosave of one item, evidence, submit."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from smedx.assessments.models import Answer, Assessment, Evidence, Instrument
from smedx.assessments.services import self_assessment as services
from smedx.assessments.tests.test_self_services import SelfAssessmentTestCase
from smedx.core.todos import todos_for
from smedx.enterprises.journey import journey
from smedx.testing.answer_sets import best

HTMX = {"HTTP_HX_REQUEST": "true"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


class StartPageTests(SelfAssessmentTestCase):
    url = reverse("assessments:self_start")

    def test_it_starts_a_self_assessment(self):
        self.login(self.enterprise_user)
        self.assertContains(self.client.get(self.url), "T0")
        response = self.client.post(self.url, {"period": "T0"})
        assessment = Assessment.objects.get()
        self.assertRedirects(response, reverse("assessments:self_overview", args=[assessment.pk]))

    def test_it_offers_the_next_period_once_t0_exists(self):
        self.start()
        self.login(self.enterprise_user)
        response = self.client.get(self.url)
        self.assertEqual([c[0] for c in response.context["form"].fields["period"].choices], ["T1"])
        self.assertContains(
            response, reverse("assessments:self_overview", args=[Assessment.objects.get().pk])
        )

    def test_it_refuses_a_period_already_taken(self):
        self.start()
        self.login(self.enterprise_colleague)
        response = self.client.post(self.url, {"period": "T0"})
        self.assertEqual(response.status_code, 200)  # form error: T0 is no longer a choice
        self.assertEqual(Assessment.objects.count(), 1)

    def test_it_refuses_officers(self):
        self.login(self.district)
        self.assertEqual(self.client.post(self.url, {"period": "T0"}).status_code, 403)
        self.assertFalse(Assessment.objects.exists())


class WizardPageTests(SelfAssessmentTestCase):
    def setUp(self):
        super().setUp()
        self.draft = self.start()

    def section(self, key="B"):
        return reverse("assessments:self_section", args=[self.draft.pk, key])

    def test_it_shows_each_item_with_its_definition_fields_and_options(self):
        self.login(self.enterprise_user)
        response = self.client.get(self.section("B"))
        item = self.spec.items["B2"]
        self.assertContains(response, item.title)
        self.assertContains(response, item.description.strip()[:20])
        self.assertContains(response, 'name="f_digital"')
        self.assertContains(response, "台")  # the unit
        self.assertContains(response, "data-exclusive")  # B1's 无
        self.assertContains(
            response, 'hx-post="' + reverse("assessments:self_answer", args=[self.draft.pk, "B1"])
        )

    def test_it_shows_the_four_level_texts_of_each_scene(self):
        self.login(self.enterprise_user)
        response = self.client.get(self.section("scenes-1"))
        for text in self.spec.scenes["S01"].levels:
            self.assertContains(response, text)
        # 一级 to 四级 only, as on the official form: no 未达一级.
        self.assertContains(response, 'name="level"', count=4 * 4)
        self.assertNotContains(response, 'name="level" value="0"')

    def test_it_shows_who_answered_each_item_last(self):
        self.fill(self.draft, {"B1": ["B"]}, user=self.enterprise_colleague)
        self.login(self.enterprise_user)
        response = self.client.get(self.section("B"))
        self.assertContains(response, "answered by colleague")
        overview = self.client.get(reverse("assessments:self_overview", args=[self.draft.pk]))
        self.assertContains(overview, "last answered by colleague")
        self.assertContains(overview, "1 / 7")
        self.assertContains(overview, "Continue where you left off: 数字化基础")

    def test_it_shows_the_draft_read_only_to_officers(self):
        self.login(self.district)
        response = self.client.get(self.section("B"))
        self.assertContains(response, "<fieldset disabled>")
        self.assertNotContains(response, "hx-post")

    def test_it_hides_the_draft_from_another_enterprise(self):
        self.login(self.other_enterprise_user)
        self.assertEqual(self.client.get(self.section("B")).status_code, 404)
        self.assertEqual(
            self.client.get(reverse("assessments:self_overview", args=[self.draft.pk])).status_code, 404
        )

    def test_it_answers_404_for_an_unknown_section(self):
        self.login(self.enterprise_user)
        self.assertEqual(self.client.get(self.section("X")).status_code, 404)

    def test_it_runs_as_many_queries_on_a_full_section_as_on_an_empty_one(self):
        self.login(self.enterprise_user)
        self.client.get(self.section("B"))
        with CaptureQueriesContext(connection) as empty:
            self.client.get(self.section("B"))
        self.fill(self.draft, best())
        for code in ("B1", "B2", "B4"):
            Evidence.objects.create(
                assessment=self.draft,
                item_code=code,
                file="x.pdf",
                original_name="x.pdf",
                content_type="",
                size=1,
            )
        with self.assertNumQueries(len(empty)):
            self.client.get(self.section("B"))
        # session, user, membership, assessment, answers, evidence, unread notifications
        self.assertEqual(len(empty), 7)


class AutosaveTests(SelfAssessmentTestCase):
    def setUp(self):
        super().setUp()
        self.draft = self.start()
        self.login(self.enterprise_user)

    def post(self, code, data, **extra):
        url = reverse("assessments:self_answer", args=[self.draft.pk, code])
        return self.client.post(url, data, **{**HTMX, **extra})

    def test_it_saves_one_item_and_answers_with_its_block(self):
        response = self.post("B1", {"options": ["B", "C"], "seen": ""})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'id="item-B1"')
        self.assertContains(response, 'data-testid="saved-B1"')
        self.assertContains(response, 'hx-swap-oob="true"')  # the running score beside it
        self.assertEqual(Answer.objects.get(item_code="B1").value, ["B", "C"])
        self.assertContains(response, "4.00")

    def test_it_shows_the_band_the_figures_give(self):
        response = self.post("B2", {"f_digital": "80", "f_total": "100", "f_rate": "", "seen": ""})
        band = re.search(r'data-testid="band-B2">(.*?)</div>', response.content.decode(), re.S)[1]
        self.assertIn("80.00 %", band)
        self.assertIn("option E", band)
        self.assertIn("(60%,100%]", band)
        self.assertContains(response, 'value="E" id="B2-E" checked disabled')  # the figures decide
        self.assertEqual(Answer.objects.get(item_code="B2").value["options"], ["E"])

    def test_it_shows_the_change_e3_computes_and_what_e1_still_needs(self):
        figures = {"f_employees_last": "100", "f_revenue_last": "5500", "f_employees_prev": "100"}
        response = self.post("E3", {**figures, "f_revenue_prev": "5000", "seen": ""})
        band = re.search(r'data-testid="band-E3">(.*?)</div>', response.content.decode(), re.S)[1]
        self.assertIn("+10.00 %", band)
        self.assertIn("option C", band)
        # E1 and E4 take E3's revenue: they come along, out of band, showing it.
        self.assertContains(response, 'id="item-E1" data-testid="item-E1" hx-swap-oob="true"')
        self.assertContains(response, 'id="item-E4" data-testid="item-E4" hx-swap-oob="true"')
        self.assertContains(response, "5500", count=3)  # E3's own field, and E1's and E4's borrowed line
        response = self.post("E1", {"f_energy_last": "300", "f_energy_prev": "", "seen": ""})
        self.assertContains(response, "Fill in the remaining figures")
        self.assertContains(response, "5500")  # E3's revenue, borrowed

    def test_it_lets_the_option_count_while_the_figures_are_incomplete(self):
        response = self.post("E3", {"f_employees_last": "100", "options": ["B"], "seen": ""})
        self.assertContains(response, 'value="B" id="E3-B" checked>')
        self.assertNotContains(response, 'data-testid="band-E3"')
        self.assertEqual(
            Answer.objects.get(item_code="E3").value, {"options": ["B"], "employees_last": "100"}
        )

    def test_it_shows_the_error_and_keeps_the_typed_value(self):
        response = self.post("B2", {"f_digital": "120", "f_total": "100", "f_rate": "", "seen": ""})
        self.assertContains(response, 'data-testid="error-B2"')
        self.assertContains(response, 'value="120"')
        self.assertFalse(Answer.objects.exists())

    def test_it_shows_a_text_that_is_not_a_number_as_an_error(self):
        response = self.post("B2", {"f_digital": "八十", "f_total": "100", "seen": ""})
        self.assertContains(response, 'data-testid="error-B2"')
        self.assertContains(response, 'value="八十"')
        self.assertFalse(Answer.objects.exists())

    def test_it_refuses_none_with_other_options(self):
        response = self.post("B7", {"options": ["A", "C"], "seen": ""})
        self.assertContains(response, 'data-testid="error-B7"')
        self.assertFalse(Answer.objects.exists())

    def test_it_saves_a_scene_level(self):
        self.post("S06", {"level": "3", "seen": ""})
        self.assertEqual(Answer.objects.get(item_code="S06").value, 3)

    def test_it_refuses_a_scene_level_of_0_which_the_official_form_does_not_offer(self):
        response = self.post("S06", {"level": "0", "seen": ""})
        self.assertContains(response, 'data-testid="error-S06"')
        self.assertFalse(Answer.objects.exists())

    def test_it_still_takes_0_in_a_draft_under_2024_1(self):
        self.draft.instrument = Instrument.objects.get(version="2024.1")
        self.draft.save(update_fields=["instrument"])
        self.post("S06", {"level": "0", "seen": ""})
        self.assertEqual(Answer.objects.get(item_code="S06").value, 0)

    def test_it_shows_a_colleagues_newer_answer_instead_of_overwriting_it(self):
        self.fill(self.draft, {"M1": ["B"]})
        seen = services.version_token(Answer.objects.get(item_code="M1"))
        self.fill(self.draft, {"M1": ["D"]}, user=self.enterprise_colleague)
        response = self.post("M1", {"options": ["C"], "seen": seen})
        self.assertContains(response, "colleague changed this item")
        self.assertEqual(Answer.objects.get(item_code="M1").value, ["D"])

    def test_it_redirects_to_the_item_without_htmx(self):
        url = reverse("assessments:self_answer", args=[self.draft.pk, "B5"])
        response = self.client.post(url, {"options": "C", "seen": ""})
        self.assertRedirects(
            response,
            reverse("assessments:self_section", args=[self.draft.pk, "B"]) + "#item-B5",
            fetch_redirect_response=False,
        )
        self.assertEqual(Answer.objects.get(item_code="B5").value, ["C"])

    def test_it_refuses_a_submitted_assessment(self):
        self.fill(self.draft, best())
        services.submit_assessment(
            assessment=self.draft, actor=self.enterprise_user, declared=True, version=self.draft.version
        )
        response = self.post("B1", {"options": ["A"], "seen": ""})
        self.assertContains(response, "can no longer be changed")
        self.assertEqual(Answer.objects.get(item_code="B1").value, ["B", "C", "D", "E"])

    def test_it_answers_404_to_another_enterprise_and_for_an_unknown_item(self):
        self.login(self.other_enterprise_user)
        self.assertEqual(self.post("B1", {"options": ["B"]}).status_code, 404)
        self.login(self.enterprise_user)
        self.assertEqual(self.post("Z1", {"options": ["B"]}).status_code, 404)
        self.assertFalse(Answer.objects.exists())

    def test_it_answers_403_to_an_officer(self):
        self.login(self.district)
        self.assertEqual(self.post("B1", {"options": ["B"]}).status_code, 403)
        self.assertFalse(Answer.objects.exists())

    def test_it_answers_405_to_a_get(self):
        url = reverse("assessments:self_answer", args=[self.draft.pk, "B1"])
        self.assertEqual(self.client.get(url).status_code, 405)

    def test_it_answers_401_to_htmx_once_the_session_has_expired(self):
        self.client.logout()
        response = self.post("B1", {"options": ["B"]})
        self.assertEqual(response.status_code, 401)
        url = reverse("assessments:self_answer", args=[self.draft.pk, "B1"])
        self.assertEqual(self.client.post(url, {"options": ["B"]}).status_code, 302)
        self.assertFalse(Answer.objects.exists())


class EvidenceTests(SelfAssessmentTestCase):
    def setUp(self):
        super().setUp()
        self.draft = self.start()
        self.login(self.enterprise_user)
        self.url = reverse("assessments:self_evidence_upload", args=[self.draft.pk, "B5"])

    def upload(self, name, content, content_type="application/octet-stream"):
        return self.client.post(self.url, {"file": SimpleUploadedFile(name, content, content_type)}, **HTMX)

    def test_it_stores_a_pdf_under_a_generated_name_and_serves_it_back(self):
        response = self.upload("../../系统截图.pdf", PDF)
        self.assertContains(response, "系统截图.pdf")
        evidence = Evidence.objects.get()
        self.assertEqual(
            (evidence.item_code, evidence.content_type, evidence.size), ("B5", "application/pdf", len(PDF))
        )
        self.assertNotIn("系统截图", evidence.file.name)
        self.assertTrue(evidence.file.name.startswith(f"evidence/{self.enterprise.pk}/{self.draft.pk}/"))
        download = self.client.get(reverse("assessments:self_evidence_download", args=[evidence.pk]))
        self.assertEqual(b"".join(download.streaming_content), PDF)
        self.assertIn("attachment", download["Content-Disposition"])

    def test_it_refuses_a_file_whose_content_is_not_what_its_name_says(self):
        response = self.upload("report.pdf", b"MZ\x90\x00 not a pdf")
        self.assertContains(response, "Only PDF, JPG, PNG, XLSX and DOCX")
        response = self.upload("photo.pdf", PNG)
        self.assertContains(response, "Only PDF, JPG, PNG, XLSX and DOCX")
        self.assertFalse(Evidence.objects.exists())

    def test_it_accepts_office_files_by_their_content(self):
        import io

        from openpyxl import Workbook

        buffer = io.BytesIO()
        Workbook().save(buffer)
        self.upload("设备台账.xlsx", buffer.getvalue())
        self.assertEqual(Evidence.objects.get().content_type.split(".")[-1], "sheet")

    def test_it_refuses_a_file_over_the_limit(self):
        with override_settings(EVIDENCE_MAX_BYTES=len(PDF) - 1):
            response = self.upload("big.pdf", PDF)
        self.assertContains(response, "larger than")
        self.assertFalse(Evidence.objects.exists())

    def test_it_removes_a_file(self):
        self.upload("a.png", PNG)
        evidence = Evidence.objects.get()
        name = evidence.file.name
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("assessments:self_evidence_delete", args=[evidence.pk]), **HTMX
            )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Evidence.objects.exists())
        self.assertFalse(evidence.file.storage.exists(name))

    def test_it_refuses_uploads_by_officers_and_other_enterprises(self):
        self.login(self.district)
        self.assertEqual(self.upload("a.pdf", PDF).status_code, 403)
        self.login(self.other_enterprise_user)
        self.assertEqual(self.upload("a.pdf", PDF).status_code, 404)
        self.assertFalse(Evidence.objects.exists())


class SubmitPageTests(SelfAssessmentTestCase):
    def setUp(self):
        super().setUp()
        self.draft = self.start()
        self.url = reverse("assessments:self_submit", args=[self.draft.pk])
        self.login(self.enterprise_user)

    def test_it_lists_the_missing_items_with_links(self):
        answers = best()
        del answers["E2"], answers["S11"]
        self.fill(self.draft, answers)
        response = self.client.get(self.url)
        self.assertContains(
            response, reverse("assessments:self_section", args=[self.draft.pk, "E"]) + "#item-E2"
        )
        self.assertContains(
            response, reverse("assessments:self_section", args=[self.draft.pk, "scenes-3"]) + "#item-S11"
        )
        response = self.client.post(self.url, {"declared": "on", "version": self.draft.version})
        self.assertContains(response, "Not yet answered: E2 产品质量, S11 采购管理.")
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.status, Assessment.Status.DRAFT)

    def test_it_needs_the_declaration(self):
        self.fill(self.draft, best())
        response = self.client.post(self.url, {"version": self.draft.version})
        self.assertContains(response, "Confirm the truthfulness declaration")
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.status, Assessment.Status.DRAFT)

    def test_it_submits_and_shows_the_result(self):
        self.fill(self.draft, best())
        response = self.client.post(self.url, {"declared": "on", "version": self.draft.version})
        self.assertRedirects(response, reverse("assessments:result", args=[self.draft.pk]))
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.status, Assessment.Status.SUBMITTED)

    def test_it_refuses_officers(self):
        self.login(self.district)
        self.assertEqual(self.client.post(self.url, {"declared": "on", "version": 1}).status_code, 403)


class EntryPointTests(SelfAssessmentTestCase):
    def test_it_asks_the_enterprise_to_fill_in_then_to_continue(self):
        self.assertEqual(
            [(str(t.title), t.url) for t in todos_for(self.enterprise_user)],
            [("Fill in the self-assessment", reverse("assessments:self_start"))],
        )
        draft = self.start()
        self.assertEqual(
            [t.url for t in todos_for(self.enterprise_colleague)],
            [reverse("assessments:self_overview", args=[draft.pk])],
        )
        self.fill(draft, best())
        services.submit_assessment(
            assessment=draft, actor=self.enterprise_user, declared=True, version=draft.version
        )
        self.assertEqual(todos_for(self.enterprise_user), [])
        self.assertEqual(
            todos_for(self.district),
            [t for t in todos_for(self.district) if "self-assessment" not in str(t.title)],
        )

    def test_it_shows_the_enterprise_its_assessments_on_the_workbench(self):
        self.login(self.enterprise_user)
        response = self.client.get(reverse("workbench:home"))
        self.assertContains(response, 'data-testid="self-assessment-panel"')
        self.assertContains(response, reverse("assessments:self_start"))
        draft = self.start()
        response = self.client.get(reverse("workbench:home"))
        self.assertContains(response, reverse("assessments:self_overview", args=[draft.pk]))
        self.login(self.district)
        self.assertNotContains(
            self.client.get(reverse("workbench:home")), 'data-testid="self-assessment-panel"'
        )

    def test_it_lists_the_assessments_on_stage_1_of_the_case_file(self):
        draft = self.start()
        stage = journey(self.enterprise)[0]
        self.assertEqual(stage.started_at, draft.created_at)
        self.assertEqual(
            stage.items,
            [("T0 Self-assessment · Draft", reverse("assessments:self_overview", args=[draft.pk]))],
        )
        self.fill(draft, best())
        services.submit_assessment(
            assessment=draft, actor=self.enterprise_user, declared=True, version=draft.version
        )
        items = journey(self.enterprise)[0].items
        self.assertEqual(
            items[0],
            ("T0 Self-assessment · Submitted · Level 4", reverse("assessments:result", args=[draft.pk])),
        )
        self.assertEqual(items[1], ("T0 diagnosis report", reverse("assessments:report", args=[draft.pk])))
