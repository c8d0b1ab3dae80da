"""On-site diagnosis and verification: every transition, allowed and refused, per persona."""

import datetime
import threading
import unittest
from decimal import Decimal
from unittest.mock import patch

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import translation

from smedx.accounts.models import ExpertProfile, Organisation, Region, User
from smedx.assessments import conflicts
from smedx.assessments.loader import load_bundled
from smedx.assessments.models import (
    AnswerReview,
    Assessment,
    ConflictDeclaration,
    DiagnosisRequest,
    Evidence,
    Recommendation,
)
from smedx.assessments.scoring import ScoringError
from smedx.assessments.services import diagnosis as services
from smedx.assessments.tests.matrix_diagnosis import VISITORS
from smedx.core.errors import ConflictError, DomainError
from smedx.core.models import AuditEntry, Notification
from smedx.core.todos import todos_for
from smedx.testing import ConcurrencyTestCase, PersonaTestCase, make_enterprise, make_org, make_user
from smedx.testing.answer_sets import middling
from smedx.testing.assessments import make_assessment

STATUS = DiagnosisRequest.Status


def visit(request, actor, **changes):
    data = {
        "request": request,
        "actor": actor,
        "visited_on": datetime.date(2025, 3, 1),
        "visitors": VISITORS,
        "main_products": "齿轮",
        "process_flow": "下料—加工—装配",
        "intelligent_equipment": "数控机床",
        "industrial_software": "MES",
    }
    data.update(changes)
    return services.record_visit(**data)


class DiagnosisTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        load_bundled()
        cls.institution = make_org(Organisation.Kind.PROVIDER, "诊断机构甲")
        cls.institution.is_diagnosis_institution = True
        cls.institution.save(update_fields=["is_diagnosis_institution"])
        cls.institution_user = make_user("institution", cls.institution, "admin")
        cls.expert2 = make_user("expert2", cls.expert.organisation)
        cls.source = make_assessment(cls.enterprise, middling())

    def setUp(self):
        # Messages are asserted in English, the msgid language; pages are asked for in English too.
        translation.activate("en")
        self.addCleanup(translation.deactivate)
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    def ask(self, **kwargs):
        kwargs.setdefault("route", "district")
        return services.request_diagnosis(assessment=self.source, actor=self.enterprise_user, **kwargs)

    def assigned(self, **kwargs):
        kwargs = kwargs or {"expert": self.expert}
        return services.assign(request=self.ask(), actor=self.district, **kwargs)

    def visited(self, **kwargs):
        request = self.assigned(**kwargs)
        actor = self.institution_user if "institution" in kwargs else self.expert
        return visit(request, actor)

    def verifying(self):
        request = self.visited()
        return request, services.start_verification(request=request, actor=self.expert)

    def refused(self, fn, text=None, error=DomainError, **kwargs):
        with self.assertRaises(error) as caught:
            fn(**kwargs)
        if text is not None:
            self.assertIn(text, str(caught.exception))
        return str(caught.exception)

    def actions(self):
        return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


class RequestDiagnosisTests(DiagnosisTestCase):
    def test_it_lets_the_enterprise_ask_its_district(self):
        with self.captureOnCommitCallbacks(execute=True):
            request = self.ask(note="请重点看设备联网")
        self.assertEqual(
            (request.status, request.route, request.enterprise),
            (STATUS.REQUESTED, "district", self.enterprise),
        )
        self.assertIsNone(request.preferred_institution)
        self.assertIn("assessments.diagnosisrequest.requested", self.actions())
        self.assertEqual(
            set(Notification.objects.values_list("recipient__username", flat=True)), {"district"}
        )

    def test_it_lets_the_enterprise_choose_a_listed_institution(self):
        with self.captureOnCommitCallbacks(execute=True):
            request = self.ask(route="institution", institution=self.institution)
        self.assertEqual(request.preferred_institution, self.institution)
        recipients = set(Notification.objects.values_list("recipient__username", flat=True))
        self.assertEqual(recipients, {"district", "institution", "expert", "expert2"})

    def test_it_refuses_an_institution_that_is_not_listed(self):
        self.refused(self.ask, "listed", route="institution", institution=self.provider.organisation)
        self.refused(self.ask, "listed", route="institution")
        self.assertFalse(DiagnosisRequest.objects.exists())

    def test_it_refuses_another_enterprise_and_officers(self):
        for actor in (self.other_enterprise_user, self.district, self.expert):
            with self.subTest(actor=actor.username):
                self.refused(
                    services.request_diagnosis,
                    "enterprise itself",
                    assessment=self.source,
                    actor=actor,
                    route="district",
                )
        self.assertFalse(DiagnosisRequest.objects.exists())

    def test_it_refuses_a_draft(self):
        draft = make_assessment(self.enterprise, middling(), period="T1", status=Assessment.Status.DRAFT)
        self.refused(
            services.request_diagnosis,
            "submitted",
            assessment=draft,
            actor=self.enterprise_user,
            route="district",
        )

    def test_it_refuses_a_second_open_request(self):
        self.ask()
        self.refused(self.ask, "already been requested")
        self.assertEqual(DiagnosisRequest.objects.count(), 1)

    def test_it_accepts_a_new_request_once_the_earlier_one_is_cancelled(self):
        DiagnosisRequest.objects.filter(pk=self.ask().pk).update(status=STATUS.CANCELLED)
        self.assertEqual(self.ask().status, STATUS.REQUESTED)


class RecommendTests(DiagnosisTestCase):
    def test_it_lets_the_committee_recommend_and_tells_the_district(self):
        request = self.ask()
        with self.captureOnCommitCallbacks(execute=True):
            services.recommend(
                request=request, actor=self.expert2, institution=self.institution, note="熟悉机械"
            )
        recommendation = Recommendation.objects.get()
        self.assertEqual((recommendation.institution, recommendation.note), (self.institution, "熟悉机械"))
        self.assertIn("assessments.diagnosisrequest.recommended", self.actions())
        self.assertTrue(
            Notification.objects.filter(recipient=self.district, verb="diagnosis.recommended").exists()
        )

    def test_it_refuses_others_than_the_committee(self):
        request = self.ask()
        for actor in (self.district, self.city, self.enterprise_user, self.institution_user):
            with self.subTest(actor=actor.username):
                self.refused(
                    services.recommend, "committee", request=request, actor=actor, expert=self.expert
                )
        self.assertFalse(Recommendation.objects.exists())

    def test_it_needs_exactly_one_expert_or_institution(self):
        request = self.ask()
        self.refused(services.recommend, "either", request=request, actor=self.expert)
        self.refused(
            services.recommend,
            "either",
            request=request,
            actor=self.expert,
            expert=self.expert2,
            institution=self.institution,
        )
        self.refused(
            services.recommend, "not an expert", request=request, actor=self.expert, expert=self.provider
        )

    def test_it_refuses_once_assigned(self):
        request = self.assigned()
        self.refused(services.recommend, "no longer", request=request, actor=self.expert, expert=self.expert2)


class AssignTests(DiagnosisTestCase):
    def test_it_lets_the_district_assign_an_expert(self):
        with self.captureOnCommitCallbacks(execute=True):
            request = self.assigned()
        self.assertEqual(
            (request.status, request.expert, request.assigned_by),
            (STATUS.ASSIGNED, self.expert, self.district),
        )
        self.assertIsNotNone(request.assigned_at)
        self.assertIn("assessments.diagnosisrequest.assigned", self.actions())
        notified = set(
            Notification.objects.filter(verb="diagnosis.assigned").values_list(
                "recipient__username", flat=True
            )
        )
        self.assertEqual(notified, {"expert", "enterprise", "colleague"})

    def test_it_lets_the_committee_assign_an_institution(self):
        request = services.assign(request=self.ask(), actor=self.expert2, institution=self.institution)
        self.assertEqual(
            (request.status, request.institution, request.expert), (STATUS.ASSIGNED, self.institution, None)
        )

    def test_it_refuses_another_district_the_city_and_the_enterprise(self):
        request = self.ask()
        for actor in (self.other_district, self.city, self.enterprise_user, self.provider):
            with self.subTest(actor=actor.username):
                self.refused(
                    services.assign,
                    "district of the enterprise",
                    request=request,
                    actor=actor,
                    expert=self.expert,
                )
        request.refresh_from_db()
        self.assertEqual(request.status, STATUS.REQUESTED)

    def test_it_needs_exactly_one_listed_verifier(self):
        request = self.ask()
        self.refused(services.assign, "either", request=request, actor=self.district)
        self.refused(
            services.assign,
            "either",
            request=request,
            actor=self.district,
            expert=self.expert,
            institution=self.institution,
        )
        self.refused(
            services.assign,
            "not a listed",
            request=request,
            actor=self.district,
            institution=self.provider.organisation,
        )
        self.refused(
            services.assign, "not an expert", request=request, actor=self.district, expert=self.district
        )

    def test_it_tells_the_second_officer_who_was_assigned(self):
        request = self.assigned()
        message = self.refused(
            services.assign, error=ConflictError, request=request, actor=self.expert2, expert=self.expert2
        )
        self.assertIn("already assigned to expert", message)
        request.refresh_from_db()
        self.assertEqual(request.expert, self.expert)


class ConflictOfInterestTests(DiagnosisTestCase):
    def test_it_refuses_the_enterprise_itself_with_the_reason(self):
        # A provider registered under the enterprise's own credit code: the company would verify itself.
        arm = make_org(Organisation.Kind.PROVIDER, "甲企业数字科技")
        Organisation.objects.filter(pk=arm.pk).update(
            credit_code=self.enterprise.credit_code, is_diagnosis_institution=True
        )
        arm.refresh_from_db()
        request = self.ask()
        message = self.refused(
            services.assign,
            "belongs to the enterprise itself",
            request=request,
            actor=self.district,
            institution=arm,
        )
        self.assertIn("甲企业数字科技", message)
        self.assertEqual(
            conflicts.reasons(request, user=self.enterprise_user),
            ["enterprise belongs to the enterprise itself."],
        )
        self.assertEqual(conflicts.reasons(request, user=self.expert), [])

    def test_it_refuses_an_expert_employed_by_the_enterprise(self):
        ExpertProfile.objects.create(
            user=self.expert2, fields_of_expertise="MES", employer=self.enterprise.name
        )
        self.refused(
            services.assign,
            "expert2 belongs to the enterprise itself",
            request=self.ask(),
            actor=self.district,
            expert=self.expert2,
        )

    def test_it_refuses_a_pending_or_refused_declaration_and_names_it(self):
        request = self.ask()
        declaration = services.declare_conflict(
            request=request, actor=self.institution_user, description="为该企业做过方案"
        )
        message = self.refused(
            services.assign,
            "为该企业做过方案",
            request=request,
            actor=self.district,
            institution=self.institution,
        )
        self.assertIn("Awaiting decision", message)
        services.decide_conflict(
            declaration=declaration, actor=self.district, approve=False, comment="利益关系明显"
        )
        self.refused(
            services.assign, "Refused", request=request, actor=self.district, institution=self.institution
        )
        # The declaration of a member of the institution does not concern another expert.
        self.assertEqual(
            services.assign(request=request, actor=self.district, expert=self.expert).expert, self.expert
        )

    def test_it_allows_an_approved_declaration(self):
        request = self.ask()
        declaration = services.declare_conflict(
            request=request, actor=self.expert, description="三年前做过咨询"
        )
        services.decide_conflict(declaration=declaration, actor=self.district, approve=True, comment="已结束")
        self.assertEqual(
            services.assign(request=request, actor=self.district, expert=self.expert).status, STATUS.ASSIGNED
        )

    def test_it_refuses_for_a_registered_rule_naming_its_reason_until_a_declaration_is_approved(self):
        def has_project(user, org, enterprise):
            return (
                ["has a project with the enterprise"]
                if user == self.expert and enterprise == self.enterprise
                else []
            )

        rules = patch.object(conflicts, "rules", return_value=[*conflicts.rules(), has_project])
        rules.start()
        self.addCleanup(rules.stop)
        request = self.ask()
        self.refused(
            services.assign,
            "has a project with the enterprise",
            request=request,
            actor=self.district,
            expert=self.expert,
        )
        declaration = services.declare_conflict(request=request, actor=self.expert, description="项目已验收")
        message = self.refused(
            services.assign, "项目已验收", request=request, actor=self.district, expert=self.expert
        )
        self.assertIn("has a project with the enterprise", message)  # every reason at once
        services.decide_conflict(declaration=declaration, actor=self.district, approve=True)
        self.assertEqual(
            services.assign(request=request, actor=self.district, expert=self.expert).expert, self.expert
        )

    def test_it_screens_again_when_the_verification_starts(self):
        request = self.visited()
        services.declare_conflict(request=request, actor=self.expert, description="刚签了合同")
        self.refused(services.start_verification, "刚签了合同", request=request, actor=self.expert)
        self.assertFalse(Assessment.objects.filter(kind=Assessment.Kind.VERIFIED).exists())

    def test_it_lets_experts_and_institutions_declare(self):
        request = self.ask()
        with self.captureOnCommitCallbacks(execute=True):
            declaration = services.declare_conflict(
                request=request, actor=self.institution_user, description="合作过"
            )
        self.assertEqual(declaration.status, ConflictDeclaration.Status.PENDING)
        self.assertIn("assessments.conflictdeclaration.declared", self.actions())
        self.assertTrue(
            Notification.objects.filter(recipient=self.district, verb="diagnosis.conflict_declared").exists()
        )

    def test_it_refuses_declarations_without_the_right_or_a_description(self):
        request = self.ask()
        self.refused(
            services.declare_conflict, "experts", request=request, actor=self.district, description="x"
        )
        self.refused(
            services.declare_conflict, "experts", request=request, actor=self.provider, description="x"
        )
        self.refused(
            services.declare_conflict, "Describe", request=request, actor=self.expert, description="  "
        )
        self.assertFalse(ConflictDeclaration.objects.exists())

    def test_it_lets_only_the_district_of_the_enterprise_decide(self):
        request = self.ask()
        declaration = services.declare_conflict(request=request, actor=self.expert, description="合作过")
        for actor in (self.other_district, self.city, self.expert2, self.enterprise_user):
            with self.subTest(actor=actor.username):
                self.refused(
                    services.decide_conflict, "district", declaration=declaration, actor=actor, approve=True
                )
        with self.captureOnCommitCallbacks(execute=True):
            services.decide_conflict(
                declaration=declaration, actor=self.district, approve=True, comment="可以"
            )
        declaration.refresh_from_db()
        self.assertEqual(
            (declaration.status, declaration.decided_by), (ConflictDeclaration.Status.APPROVED, self.district)
        )
        self.assertIn("assessments.conflictdeclaration.approved", self.actions())
        self.assertTrue(
            Notification.objects.filter(recipient=self.expert, verb="diagnosis.conflict_approved").exists()
        )
        self.refused(
            services.decide_conflict,
            "already been decided",
            declaration=declaration,
            actor=self.district,
            approve=False,
        )


class VisitTests(DiagnosisTestCase):
    def test_it_lets_the_assigned_expert_record_the_visit(self):
        rows = [
            *VISITORS,
            {"name": "", "organisation": "", "role": "", "contact": ""},
            {"name": "李厂长", "role": "厂长"},
        ]
        request = visit(self.assigned(), self.expert, visitors=rows)
        request.refresh_from_db()
        self.assertEqual(request.status, STATUS.VISITED)
        self.assertEqual([v["name"] for v in request.visitors], ["王工", "李厂长"])
        self.assertEqual(
            request.visitors[1], {"name": "李厂长", "organisation": "", "role": "厂长", "contact": ""}
        )
        self.assertIn("assessments.diagnosisrequest.visit_recorded", self.actions())

    def test_it_lets_a_member_of_the_assigned_institution_record_it(self):
        request = visit(self.assigned(institution=self.institution), self.institution_user)
        self.assertEqual(request.status, STATUS.VISITED)

    def test_it_refuses_anybody_else(self):
        request = self.assigned()
        for actor in (self.expert2, self.district, self.enterprise_user, self.institution_user):
            with self.subTest(actor=actor.username):
                self.refused(visit, "assigned", request=request, actor=actor)

    def test_it_refuses_before_assignment(self):
        self.refused(visit, "assigned", request=self.ask(), actor=self.expert)

    def test_it_refuses_a_record_without_visitors_or_with_a_future_date(self):
        request = self.assigned()
        self.refused(
            visit, "at least one visitor", request=request, actor=self.expert, visitors=[{"name": " "}]
        )
        self.refused(
            visit, "name of every visitor", request=request, actor=self.expert, visitors=[{"role": "专家"}]
        )
        tomorrow = datetime.date.today() + datetime.timedelta(days=2)
        self.refused(visit, "future", request=request, actor=self.expert, visited_on=tomorrow)
        request.refresh_from_db()
        self.assertEqual((request.status, request.visitors), (STATUS.ASSIGNED, []))


class VerificationTests(DiagnosisTestCase):
    def test_it_opens_a_draft_copy_of_every_answer(self):
        request, verification = self.verifying()
        self.assertEqual(
            (verification.kind, verification.status, verification.verified_from, verification.period),
            (Assessment.Kind.VERIFIED, Assessment.Status.DRAFT, self.source, "T0"),
        )
        self.assertEqual(verification.answer_dict(), self.source.answer_dict())
        self.assertEqual(set(verification.answers.values_list("review", flat=True)), {AnswerReview.PENDING})
        request.refresh_from_db()
        self.assertEqual(request.verified_assessment, verification)
        self.assertIn("assessments.diagnosisrequest.verification_started", self.actions())

    def test_it_refuses_to_start_before_the_visit_twice_or_for_others(self):
        request = self.assigned()
        self.refused(services.start_verification, "Record the visit", request=request, actor=self.expert)
        request = visit(request, self.expert)
        self.refused(services.start_verification, "assigned", request=request, actor=self.expert2)
        services.start_verification(request=request, actor=self.expert)
        request.refresh_from_db()
        self.refused(services.start_verification, "already been started", request=request, actor=self.expert)
        self.assertEqual(Assessment.objects.filter(kind=Assessment.Kind.VERIFIED).count(), 1)

    def test_it_accepts_an_answer(self):
        _request, verification = self.verifying()
        answer = services.verify_answer(
            verification=verification, actor=self.expert, item_code="B1", accept=True
        )
        self.assertEqual(
            (answer.review, answer.value, answer.answered_by),
            (AnswerReview.ACCEPTED, middling()["B1"], self.expert),
        )
        self.assertIn("assessments.diagnosisrequest.answer_accepted", self.actions())

    def test_it_adjusts_an_answer_with_a_reason_and_evidence(self):
        _request, verification = self.verifying()
        photo = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan", content_type="application/pdf")
        answer = services.verify_answer(
            verification=verification,
            actor=self.expert,
            item_code="M1",
            accept=False,
            value=["A"],
            reason="没有数字化转型规划文件",
            evidence=photo,
        )
        self.assertEqual(
            (answer.review, answer.value, answer.reason),
            (AnswerReview.ADJUSTED, ["A"], "没有数字化转型规划文件"),
        )
        evidence = Evidence.objects.get(assessment=verification)
        self.assertEqual(
            (evidence.item_code, evidence.original_name, evidence.uploaded_by),
            ("M1", "plan.pdf", self.expert),
        )
        self.assertIn("assessments.diagnosisrequest.answer_adjusted", self.actions())
        self.assertEqual(self.source.answers.get(item_code="M1").value, ["C"])  # the self-assessment stays

    def test_it_refuses_an_adjustment_without_a_reason(self):
        _request, verification = self.verifying()
        self.refused(
            services.verify_answer,
            "say why",
            verification=verification,
            actor=self.expert,
            item_code="M1",
            accept=False,
            value=["A"],
            reason=" ",
        )
        answer = verification.answers.get(item_code="M1")
        self.assertEqual((answer.review, answer.value), (AnswerReview.PENDING, ["C"]))

    def test_it_validates_the_adjusted_value_like_the_self_assessment(self):
        _request, verification = self.verifying()
        for code, value in (("M1", ["Z"]), ("B1", ["A", "B"]), ("S01", 7), ("M1", ["B", "C"]), ("M1", None)):
            with self.subTest(code=code, value=value):
                self.refused(
                    services.verify_answer,
                    f"{code}:",
                    verification=verification,
                    actor=self.expert,
                    item_code=code,
                    accept=False,
                    value=value,
                    reason="r",
                )
        with self.assertRaises(ScoringError):  # the scoring module's own refusal, shown as it is
            services.verify_answer(
                verification=verification,
                actor=self.expert,
                item_code="S01",
                accept=False,
                value=5,
                reason="r",
            )
        self.assertEqual(set(verification.answers.values_list("review", flat=True)), {AnswerReview.PENDING})

    def test_it_refuses_an_adjustment_to_the_same_value_and_an_unknown_item(self):
        _request, verification = self.verifying()
        self.refused(
            services.verify_answer,
            "accept it instead",
            verification=verification,
            actor=self.expert,
            item_code="M1",
            accept=False,
            value=["C"],
            reason="r",
        )
        self.refused(
            services.verify_answer,
            "X9",
            verification=verification,
            actor=self.expert,
            item_code="X9",
            accept=True,
        )

    def test_it_restores_the_self_assessed_answer_when_accepted_after_an_adjustment(self):
        _request, verification = self.verifying()
        services.verify_answer(
            verification=verification,
            actor=self.expert,
            item_code="M1",
            accept=False,
            value=["A"],
            reason="r",
        )
        answer = services.verify_answer(
            verification=verification, actor=self.expert, item_code="M1", accept=True
        )
        self.assertEqual((answer.value, answer.review, answer.reason), (["C"], AnswerReview.ACCEPTED, ""))

    def test_it_lets_only_the_assigned_verifier_check(self):
        _request, verification = self.verifying()
        for actor in (self.expert2, self.district, self.enterprise_user):
            with self.subTest(actor=actor.username):
                self.refused(
                    services.verify_answer,
                    "assigned",
                    verification=verification,
                    actor=actor,
                    item_code="B1",
                    accept=True,
                )
                self.refused(
                    services.complete_verification,
                    "assigned",
                    verification=verification,
                    actor=actor,
                    version=verification.version,
                )

    def test_it_refuses_to_complete_with_unchecked_answers_and_lists_them(self):
        _request, verification = self.verifying()
        for code in verification.answer_dict():
            if code not in ("B2", "S16"):
                services.verify_answer(
                    verification=verification, actor=self.expert, item_code=code, accept=True
                )
        verification.refresh_from_db()
        message = self.refused(
            services.complete_verification,
            "not checked yet",
            verification=verification,
            actor=self.expert,
            version=verification.version,
        )
        self.assertIn("B2, S16", message)
        verification.refresh_from_db()
        self.assertEqual(verification.status, Assessment.Status.DRAFT)

    def check_all(self, verification, **adjust):
        for code in verification.answer_dict():
            if code in adjust:
                value, reason = adjust[code]
                services.verify_answer(
                    verification=verification,
                    actor=self.expert,
                    item_code=code,
                    accept=False,
                    value=value,
                    reason=reason,
                )
            else:
                services.verify_answer(
                    verification=verification, actor=self.expert, item_code=code, accept=True
                )
        verification.refresh_from_db()

    def test_it_completes_the_verification(self):
        request, verification = self.verifying()
        self.check_all(
            verification, M1=(["A"], "无规划"), E1=(["C"], "能耗下降有账可查"), S01=(2, "只到二级")
        )
        with self.captureOnCommitCallbacks(execute=True):
            services.complete_verification(
                verification=verification, actor=self.expert, version=verification.version
            )
        verification.refresh_from_db()
        request.refresh_from_db()
        self.source.refresh_from_db()
        self.assertEqual(
            (verification.status, verification.total, verification.level),
            (Assessment.Status.VERIFIED, Decimal("65.75"), 3),
        )
        self.assertEqual(verification.result["total"], "65.75")
        self.assertEqual(verification.submitted_by, self.expert)
        self.assertEqual(
            (self.source.status, self.source.total), (Assessment.Status.VERIFIED, Decimal("65.25"))
        )
        self.assertEqual(request.status, STATUS.VERIFIED)
        self.assertIn("assessments.diagnosisrequest.verified", self.actions())
        notified = set(
            Notification.objects.filter(verb="diagnosis.verified").values_list(
                "recipient__username", flat=True
            )
        )
        self.assertEqual(notified, {"enterprise", "colleague", "district"})
        self.refused(
            services.verify_answer,
            "complete",
            verification=verification,
            actor=self.expert,
            item_code="B1",
            accept=True,
        )

    def test_it_refuses_a_completion_based_on_an_older_page(self):
        _request, verification = self.verifying()
        self.check_all(verification)
        self.refused(
            services.complete_verification,
            "changed since",
            error=ConflictError,
            verification=verification,
            actor=self.expert,
            version=verification.version - 1,
        )

    def test_it_compares_self_and_verified_per_item_and_in_total(self):
        _request, verification = self.verifying()
        self.check_all(
            verification, M1=(["A"], "无规划"), E1=(["C"], "能耗下降有账可查"), S01=(2, "只到二级")
        )
        result = services.compare(self.source, verification)
        rows = {row.code: row for row in result.items}
        m1, e1, s01, b1 = rows["M1"], rows["E1"], rows["S01"], rows["B1"]
        self.assertEqual(
            (m1.self_value, m1.verified_value, m1.self_points, m1.verified_points, m1.delta, m1.reason),
            (["C"], ["A"], Decimal("3"), Decimal("0"), Decimal("-3"), "无规划"),
        )
        self.assertEqual(
            (e1.self_points, e1.verified_points, e1.delta), (Decimal("3.5"), Decimal("7"), Decimal("3.5"))
        )
        self.assertEqual((s01.self_value, s01.verified_value, s01.delta, s01.reason), (4, 2, -2, "只到二级"))
        self.assertTrue(s01.is_scene)
        self.assertEqual(
            (b1.delta, b1.review, b1.reason, b1.adjusted), (Decimal("0"), AnswerReview.ACCEPTED, "", False)
        )
        self.assertEqual(
            (result.self_total, result.verified_total, result.total_delta),
            (Decimal("65.25"), Decimal("65.75"), Decimal("0.5")),
        )
        self.assertEqual([row.code for row in result.adjusted], ["M1", "E1", "S01"])
        self.assertEqual(len(result.items), 15 + 16)
        self.assertEqual(result.checked, 31)


class CaseFileAndWorkbenchTests(DiagnosisTestCase):
    def titles(self, user):
        return {str(todo.title): (todo.count, todo.url) for todo in todos_for(user)}

    def test_it_lists_the_requests_to_assign_for_the_district_and_the_committee(self):
        self.ask()
        self.assertEqual(self.titles(self.district)["On-site diagnosis requests to assign"][0], 1)
        self.assertIn(
            "?status=requested", self.titles(self.district)["On-site diagnosis requests to assign"][1]
        )
        self.assertEqual(self.titles(self.expert)["On-site diagnosis requests to recommend or assign"][0], 1)
        self.assertNotIn("On-site diagnosis requests to assign", self.titles(self.other_district))

    def test_it_lists_the_assigned_diagnoses_for_the_verifier(self):
        self.assigned(institution=self.institution)
        self.assertEqual(self.titles(self.institution_user)["On-site diagnoses to visit and verify"][0], 1)
        self.assertNotIn("On-site diagnoses to visit and verify", self.titles(self.expert))

    def test_it_lists_the_declarations_to_decide_for_the_district(self):
        services.declare_conflict(request=self.ask(), actor=self.expert, description="合作过")
        self.assertEqual(self.titles(self.district)["Declared interests to decide"][0], 1)
        self.assertNotIn("Declared interests to decide", self.titles(self.other_district))

    def test_it_gives_the_case_file_each_diagnosis_and_its_result(self):
        self.assertEqual(services.journey_items(self.enterprise), [])
        request, verification = self.verifying()
        VerificationTests.check_all(self, verification, M1=(["A"], "无规划"))
        services.complete_verification(
            verification=verification, actor=self.expert, version=verification.version
        )
        items = services.journey_items(self.enterprise)
        self.assertEqual(
            [text for text, _url in items],
            ["On-site diagnosis T0: Verified", "Verified T0: 62.25 points, Level 3 (self-assessed 65.25)"],
        )
        self.assertEqual(items[1][1], f"/assessments/diagnosis/{request.pk}/compare/")


@unittest.skipUnless(
    connection.vendor == "postgresql",
    "SQLite serialises writers on the whole database, so row locks (select_for_update) are not exercised",
)
class ConcurrentAssignTests(ConcurrencyTestCase):
    """The district and the committee assign at the same moment: one wins, the other is told who."""

    serialized_rollback = True  # restore the regions the migrations loaded

    def setUp(self):
        super().setUp()
        load_bundled()
        region = Region.objects.get(code="500112")
        district = make_org(Organisation.Kind.AUTHORITY, "渝北区经济和信息化委员会", region, "district")
        committee = make_org(Organisation.Kind.COMMITTEE, "联盟专家委员会")
        ent_org = make_org(Organisation.Kind.ENTERPRISE, "并发企业", region)
        enterprise = make_enterprise(region, "并发企业", ent_org)
        self.officer = make_user("officer", district, "admin")
        self.experts = [make_user("expert_a", committee), make_user("expert_b", committee)]
        owner = make_user("owner", ent_org, "admin")
        source = make_assessment(enterprise, middling())
        self.request = services.request_diagnosis(assessment=source, actor=owner, route="district")

    def test_it_lets_exactly_one_of_two_simultaneous_assignments_succeed(self):
        barrier = threading.Barrier(2)
        outcomes = []

        def assign(actor, expert):
            try:
                barrier.wait(timeout=10)
                services.assign(
                    request=DiagnosisRequest.objects.get(pk=self.request.pk),
                    actor=User.objects.get(pk=actor.pk),
                    expert=expert,
                )
                outcomes.append("ok")
            except ConflictError as exc:
                outcomes.append(str(exc))
            finally:
                connection.close()

        threads = [
            threading.Thread(target=assign, args=(self.officer, self.experts[0])),
            threading.Thread(target=assign, args=(self.experts[1], self.experts[1])),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        self.assertEqual(len(outcomes), 2)
        self.assertIn("ok", outcomes)
        winner = DiagnosisRequest.objects.get(pk=self.request.pk).expert
        refusal = next(outcome for outcome in outcomes if outcome != "ok")
        self.assertIn(winner.username, refusal)  # "already assigned to <winner>", in whatever language
        self.assertEqual(AuditEntry.objects.filter(action="assessments.diagnosisrequest.assigned").count(), 1)
