"""The self-assessment's state changes: start, save one answer, evidence, submit."""

import threading
import unittest

from django.db import connection, connections
from django.utils import translation

from smedx.assessments.loader import load_bundled
from smedx.assessments.models import Answer, Assessment, DiagnosisRequest, Instrument
from smedx.assessments.scoring import ScoringError, score
from smedx.assessments.services import self_assessment as services
from smedx.core.errors import ConflictError, DomainError
from smedx.core.models import AuditEntry, Notification
from smedx.enterprises.models import Enterprise
from smedx.testing import ConcurrencyTestCase, PersonaTestCase, make_enterprise, make_org, make_user
from smedx.testing.answer_sets import best, middling, rule


class SelfAssessmentTestCase(PersonaTestCase):
    """Personas plus the bundled instrument; builders for drafts and answers."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        load_bundled()
        cls.instrument = Instrument.objects.current(services.INSTRUMENT_CODE)
        cls.spec = cls.instrument.spec

    def setUp(self):
        # Messages are asserted in English, the msgid language; pages are asked for in English too.
        translation.activate("en")
        self.addCleanup(translation.deactivate)
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    def start(self, enterprise=None, user=None, period="T0"):
        return services.start_assessment(
            enterprise=enterprise or self.enterprise, actor=user or self.enterprise_user, period=period
        )

    def fill(self, assessment, answers, user=None):
        for code, value in answers.items():
            services.save_answer(
                assessment=assessment, actor=user or self.enterprise_user, item_code=code, value=value
            )
        assessment.refresh_from_db()
        return assessment

    def submitted(self, answers=None, **kwargs):
        assessment = self.fill(self.start(**kwargs), answers or middling())
        return services.submit_assessment(
            assessment=assessment, actor=self.enterprise_user, declared=True, version=assessment.version
        )


class StartAssessmentTests(SelfAssessmentTestCase):
    def test_it_opens_a_draft_under_the_current_instrument_and_rule(self):
        assessment = self.start()
        self.assertEqual(assessment.status, Assessment.Status.DRAFT)
        self.assertEqual(assessment.instrument, self.instrument)
        self.assertEqual(assessment.instrument.version, "2024.2")  # the newest: scenes 一级–四级 only
        self.assertEqual(assessment.level_rule.code, "miit-2024-default")
        self.assertEqual(
            (assessment.kind, assessment.period, assessment.created_by), ("self", "T0", self.enterprise_user)
        )
        self.assertEqual(assessment.total, 0)
        self.assertTrue(assessment.result["partial"])
        self.assertEqual(len(assessment.result["missing"]), 31)
        self.assertTrue(AuditEntry.objects.filter(action="assessments.assessment.created").exists())

    def test_it_moves_the_journey_to_stage_1(self):
        self.start()
        self.enterprise.refresh_from_db()
        self.assertEqual(self.enterprise.stage, 1)

    def test_it_refuses_a_second_draft_for_the_same_period(self):
        self.start()
        with self.assertRaisesMessage(DomainError, "T0"):
            self.start(user=self.enterprise_colleague)
        self.assertEqual(Assessment.objects.count(), 1)

    def test_it_refuses_a_period_already_submitted(self):
        self.submitted()
        with self.assertRaisesMessage(DomainError, "already been submitted"):
            self.start()

    def test_it_opens_a_later_period_beside_a_submitted_one(self):
        self.submitted()
        self.assertEqual(self.start(period="T1").period, "T1")

    def test_it_refuses_officers_and_other_enterprises(self):
        with self.assertRaises(DomainError):
            self.start(user=self.district)
        with self.assertRaises(DomainError):
            self.start(user=self.other_enterprise_user)
        self.assertFalse(Assessment.objects.exists())

    def test_it_refuses_a_bad_period(self):
        with self.assertRaises(DomainError):
            self.start(period="X1")

    def test_it_refuses_when_no_instrument_is_active(self):
        Instrument.objects.update(status=Instrument.Status.RETIRED)
        with self.assertRaisesMessage(DomainError, "not available"):
            self.start()


class SaveAnswerTests(SelfAssessmentTestCase):
    def setUp(self):
        super().setUp()
        self.draft = self.start()

    def save(self, code, value, user=None, version=None):
        return services.save_answer(
            assessment=self.draft,
            actor=user or self.enterprise_user,
            item_code=code,
            value=value,
            version=version,
        )

    def test_it_saves_an_answer_with_who_gave_it_and_the_running_score(self):
        self.save("B1", ["B", "C"])
        answer = Answer.objects.get(assessment=self.draft, item_code="B1")
        self.assertEqual((answer.value, answer.answered_by), (["B", "C"], self.enterprise_user))
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.total, 4)
        self.assertEqual(self.draft.result["items"]["B1"]["points"], "4")
        self.assertEqual(self.draft.version, 2)

    def test_it_keeps_who_answered_last(self):
        self.save("M1", ["B"])
        self.save("M1", ["C"], user=self.enterprise_colleague)
        self.assertEqual(Answer.objects.get(item_code="M1").answered_by, self.enterprise_colleague)

    def test_it_writes_one_audit_entry_per_change_and_none_for_the_same_value(self):
        self.save("B5", ["C"])
        saved = self.save("B5", ["C"])
        self.assertFalse(saved.changed)
        self.assertEqual(AuditEntry.objects.filter(action="assessments.answer.saved").count(), 1)
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.version, 2)

    def test_it_computes_the_band_from_the_figures_and_stores_both(self):
        self.save("B2", {"digital": "80", "total": "100", "options": ["A"]})
        self.assertEqual(
            Answer.objects.get(item_code="B2").value, {"options": ["E"], "digital": "80", "total": "100"}
        )

    def test_it_puts_exactly_10_percent_in_the_lowest_band_and_just_above_in_the_next(self):
        self.save("B2", {"rate": "10"})
        self.assertEqual(Answer.objects.get(item_code="B2").value["options"], ["A"])
        self.save("B2", {"rate": "10.01"})
        self.assertEqual(Answer.objects.get(item_code="B2").value["options"], ["B"])

    def test_it_keeps_incomplete_figures_without_an_option(self):
        self.save("E3", {"employees_last": "100", "revenue_last": "5000"})
        self.assertEqual(Answer.objects.get(item_code="E3").value["options"], [])
        self.draft.refresh_from_db()
        self.assertIn("E3", self.draft.result["missing"])

    def test_it_refuses_none_together_with_other_options(self):
        with self.assertRaises(ScoringError) as caught:
            self.save("B6", ["A", "B"])
        self.assertEqual(caught.exception.item, "B6")
        self.assertFalse(Answer.objects.exists())

    def test_it_refuses_more_digital_machines_than_machines(self):
        with self.assertRaisesMessage(ScoringError, "B2"):
            self.save("B2", {"digital": "120", "total": "100"})
        self.assertFalse(Answer.objects.exists())

    def test_it_refuses_an_unknown_item_and_a_scene_level_out_of_range(self):
        with self.assertRaises(ScoringError):
            self.save("Z9", ["A"])
        with self.assertRaises(ScoringError):
            self.save("S01", 5)

    def test_it_refuses_a_scene_level_of_0_under_the_newest_instrument(self):
        # The official 2024 form offers 一级 to 四级 only; a new assessment is made under 2024.2.
        with self.assertRaisesMessage(ScoringError, "S03: level 0 (未达一级) is not offered") as caught:
            self.save("S03", 0)
        self.assertEqual(caught.exception.item, "S03")
        self.assertFalse(Answer.objects.exists())

    def test_it_clears_an_emptied_answer(self):
        self.save("B4", ["B"])
        saved = self.save("B4", [])
        self.assertIsNone(saved.answer)
        self.assertFalse(Answer.objects.exists())

    def test_it_recomputes_items_that_borrow_figures(self):
        self.save("B2", {"digital": "50", "total": "100"})
        self.save("B3", {"networked": "40"})
        self.assertEqual(Answer.objects.get(item_code="B3").value["options"], ["C"])  # 40 %
        self.save("B2", {"digital": "50", "total": "50"})
        self.assertEqual(Answer.objects.get(item_code="B3").value["options"], ["E"])  # 80 %
        self.assertEqual(Answer.objects.get(item_code="B3").answered_by, self.enterprise_user)

    def test_it_flags_a_borrowing_item_that_no_longer_adds_up(self):
        self.save("B2", {"digital": "50", "total": "100"})
        self.save("B3", {"networked": "40"})
        self.save("B2", {"digital": "20", "total": "20"})
        b3 = Answer.objects.get(item_code="B3")
        self.assertEqual(b3.value, {"options": [], "networked": "40"})
        self.draft.refresh_from_db()
        self.assertIn("B3", self.draft.result["problems"])
        self.assertEqual(self.draft.total, 6)  # B2 alone

    def test_it_refuses_a_change_over_a_colleagues_newer_answer(self):
        self.save("M2", ["B"])
        seen = services.version_token(Answer.objects.get(item_code="M2"))
        self.save("M2", ["C"], user=self.enterprise_colleague)
        with self.assertRaises(ConflictError):
            self.save("M2", ["D"], version=seen)
        self.assertEqual(Answer.objects.get(item_code="M2").value, ["C"])

    def test_it_lets_the_same_person_save_twice_from_an_older_page(self):
        self.save("M2", ["B"])
        seen = services.version_token(Answer.objects.get(item_code="M2"))
        self.save("M2", ["C"])
        self.save("M2", ["D"], version=seen)
        self.assertEqual(Answer.objects.get(item_code="M2").value, ["D"])

    def test_it_refuses_changes_to_a_submitted_assessment(self):
        submitted = self.submitted(period="T1")
        with self.assertRaisesMessage(DomainError, "can no longer be changed"):
            services.save_answer(
                assessment=submitted, actor=self.enterprise_user, item_code="B1", value=["A"]
            )

    def test_it_refuses_officers_and_other_enterprises(self):
        with self.assertRaises(DomainError):
            self.save("B1", ["B"], user=self.district)
        with self.assertRaises(DomainError):
            self.save("B1", ["B"], user=self.other_enterprise_user)
        self.assertFalse(Answer.objects.exists())


class SubmitAssessmentTests(SelfAssessmentTestCase):
    def setUp(self):
        super().setUp()
        self.draft = self.start()

    def submit(self, declared=True, version=None, user=None):
        self.draft.refresh_from_db()
        return services.submit_assessment(
            assessment=self.draft,
            actor=user or self.enterprise_user,
            declared=declared,
            version=self.draft.version if version is None else version,
        )

    def test_it_scores_locks_and_records_the_submission(self):
        self.fill(self.draft, best())
        with self.captureOnCommitCallbacks(execute=True):
            submitted = self.submit(user=self.enterprise_colleague)
        self.assertEqual(submitted.status, Assessment.Status.SUBMITTED)
        self.assertEqual((submitted.total, submitted.level), (100, 4))
        self.assertEqual(submitted.result, score(self.spec, best(), rule()).as_dict())
        self.assertTrue(submitted.declared)
        self.assertEqual(submitted.submitted_by, self.enterprise_colleague)
        self.assertIsNotNone(submitted.submitted_at)
        self.assertTrue(AuditEntry.objects.filter(action="assessments.assessment.submitted").exists())
        self.assertEqual(list(Notification.objects.values_list("recipient", flat=True)), [self.district.pk])

    def test_it_needs_the_truthfulness_declaration(self):
        self.fill(self.draft, best())
        with self.assertRaisesMessage(DomainError, "declaration"):
            self.submit(declared=False)
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.status, Assessment.Status.DRAFT)

    def test_it_lists_exactly_the_missing_items_and_scenes(self):
        answers = best()
        for code in ("B2", "M4", "S05", "S16"):
            del answers[code]
        self.fill(self.draft, answers)
        with self.assertRaises(services.IncompleteError) as caught:
            self.submit()
        self.assertEqual(
            caught.exception.missing,
            [("B2", "设备数字化"), ("M4", "资金保障"), ("S05", "计划排程"), ("S16", "决策支持")],
        )
        self.assertIn("B2 设备数字化", str(caught.exception))
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.status, Assessment.Status.DRAFT)

    def test_it_refuses_an_answer_made_invalid_by_a_later_change(self):
        self.fill(self.draft, best(B2={"digital": "50", "total": "100"}, B3={"networked": "40"}))
        self.fill(self.draft, {"B2": {"digital": "10", "total": "10"}})
        with self.assertRaisesMessage(DomainError, "B3"):
            self.submit()

    def test_it_refuses_a_page_older_than_the_answers(self):
        self.fill(self.draft, best())
        with self.assertRaises(ConflictError):
            self.submit(version=1)

    def test_it_refuses_a_second_submission(self):
        self.fill(self.draft, best())
        self.submit()
        with self.assertRaisesMessage(DomainError, "already been submitted"):
            self.submit()

    def test_it_refuses_officers(self):
        self.fill(self.draft, best())
        with self.assertRaises(DomainError):
            self.submit(user=self.district)


class VisibilityOfAssignedVerifiersTests(SelfAssessmentTestCase):
    def test_it_shows_the_assessment_to_the_assigned_expert_and_institution_only(self):
        institution = make_org("provider", "诊断机构")
        institution.is_diagnosis_institution = True
        institution.save(update_fields=["is_diagnosis_institution"])
        staff = make_user("institution_staff", institution)
        submitted = self.submitted()
        visible = Assessment.objects.visible_to
        self.assertFalse(visible(self.expert).exists())
        request = DiagnosisRequest.objects.create(
            enterprise=self.enterprise, assessment=submitted, route="district", expert=self.expert
        )
        self.assertEqual(list(visible(self.expert)), [submitted])
        self.assertFalse(visible(staff).exists())
        request.institution = institution
        request.save(update_fields=["institution"])
        self.assertEqual(list(visible(staff)), [submitted])
        self.assertFalse(visible(self.provider).exists())
        request.status = DiagnosisRequest.Status.CANCELLED
        request.save(update_fields=["status"])
        self.assertFalse(visible(self.expert).exists())


@unittest.skipUnless(connection.vendor == "postgresql", "row locks need PostgreSQL")
class ConcurrentSubmitTests(ConcurrencyTestCase):
    """Two members submit at the same moment: one result, one refusal."""

    serialized_rollback = True  # keep the regions the migrations load for the tests that follow

    def test_it_gives_one_result_for_two_submits_at_once(self):
        load_bundled()
        from smedx.accounts.models import Region

        region = Region.objects.get(code="500112")
        org = make_org("enterprise", "并发企业", region)
        enterprise = make_enterprise(region, "并发企业", org)
        first, second = make_user("first", org, "admin"), make_user("second", org)
        draft = services.start_assessment(enterprise=enterprise, actor=first)
        for code, value in best().items():
            services.save_answer(assessment=draft, actor=first, item_code=code, value=value)
        draft.refresh_from_db()
        barrier, outcomes = threading.Barrier(2), []

        def submit(user):
            try:
                barrier.wait()
                services.submit_assessment(assessment=draft, actor=user, declared=True, version=draft.version)
                outcomes.append("ok")
            except DomainError as exc:
                outcomes.append(type(exc).__name__)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=submit, args=(user,)) for user in (first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(sorted(outcomes), ["DomainError", "ok"])
        self.assertEqual(AuditEntry.objects.filter(action="assessments.assessment.submitted").count(), 1)
        self.assertEqual(Enterprise.objects.get(pk=enterprise.pk).stage, 1)
