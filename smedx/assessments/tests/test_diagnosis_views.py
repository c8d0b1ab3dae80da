"""The on-site diagnosis pages: happy paths, outsiders, wrong methods and bad input."""

from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from smedx.assessments.models import AnswerReview, Assessment, ConflictDeclaration, DiagnosisRequest, Evidence
from smedx.assessments.services import diagnosis as services
from smedx.assessments.tests.test_diagnosis_services import DiagnosisTestCase, visit
from smedx.testing.answer_sets import middling
from smedx.testing.assessments import make_assessment

STATUS = DiagnosisRequest.Status
VISIT = {
    "visited_on": "2025-03-01",
    "main_products": "齿轮",
    "process_flow": "下料—加工—装配",
    "intelligent_equipment": "",
    "industrial_software": "MES",
    "visitor_0_name": "王工",
    "visitor_0_organisation": "联盟专家委员会",
    "visitor_0_role": "专家",
    "visitor_0_contact": "13800000000",
    "visitor_3_name": "李厂长",
}


def url(name, *args):
    return reverse(f"assessments:{name}", args=args)


class RequestPageTests(DiagnosisTestCase):
    def test_it_shows_the_form_with_the_listed_institutions(self):
        self.login(self.enterprise_user)
        response = self.client.get(url("diagnosis_request", self.source.pk))
        self.assertContains(response, "诊断机构甲")
        self.assertNotContains(response, "测试服务商")  # a provider that is not listed

    def test_it_sends_the_request(self):
        self.login(self.enterprise_colleague)
        data = {"route": "institution", "institution": self.institution.pk, "note": "看看设备"}
        response = self.client.post(url("diagnosis_request", self.source.pk), data)
        request = DiagnosisRequest.objects.get()
        self.assertRedirects(response, url("diagnosis_detail", request.pk))
        self.assertEqual((request.preferred_institution, request.note), (self.institution, "看看设备"))

    def test_it_refuses_an_institution_route_without_an_institution(self):
        self.login(self.enterprise_user)
        response = self.client.post(url("diagnosis_request", self.source.pk), {"route": "institution"})
        self.assertContains(response, "Choose the institution.")
        self.assertFalse(DiagnosisRequest.objects.exists())

    def test_it_sends_an_open_request_to_its_page(self):
        request = self.ask()
        self.login(self.enterprise_user)
        self.assertRedirects(
            self.client.get(url("diagnosis_request", self.source.pk)), url("diagnosis_detail", request.pk)
        )

    def test_it_says_when_the_assessment_is_not_submitted(self):
        draft = make_assessment(self.enterprise, middling(), period="T1", status=Assessment.Status.DRAFT)
        self.login(self.enterprise_user)
        response = self.client.get(url("diagnosis_request", draft.pk))
        self.assertContains(response, 'data-testid="not-submitted"')
        self.assertNotContains(response, 'data-testid="request-form"')

    def test_it_hides_the_assessment_from_another_enterprise(self):
        self.login(self.other_enterprise_user)
        response = self.client.post(url("diagnosis_request", self.source.pk), {"route": "district"})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(DiagnosisRequest.objects.exists())


class ListPageTests(DiagnosisTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        far = make_assessment(cls.far_enterprise, middling())
        cls.far_request = DiagnosisRequest.objects.create(
            enterprise=cls.far_enterprise, assessment=far, route="district"
        )

    def listed(self, user, query=""):
        self.login(user)
        response = self.client.get(url("diagnosis_list") + query)
        self.assertEqual(response.status_code, 200)
        return [r.pk for r in response.context["page"]]

    def test_it_shows_a_district_its_own_district_only(self):
        request = self.ask()
        self.assertEqual(self.listed(self.district), [request.pk])
        self.assertEqual(self.listed(self.other_district), [self.far_request.pk])

    def test_it_shows_the_committee_every_request(self):
        request = self.ask()
        self.assertEqual(self.listed(self.expert), [request.pk, self.far_request.pk])

    def test_it_filters_by_status_by_assignment_and_by_declared_interests(self):
        request = self.assigned(institution=self.institution)
        self.assertEqual(self.listed(self.expert, "?status=assigned"), [request.pk])
        self.assertEqual(self.listed(self.expert, "?status=requested"), [self.far_request.pk])
        self.assertEqual(self.listed(self.institution_user, "?mine=1"), [request.pk])
        self.assertEqual(self.listed(self.expert, "?mine=1"), [])
        services.declare_conflict(request=self.far_request, actor=self.expert, description="合作过")
        self.assertEqual(self.listed(self.other_district, "?conflicts=pending"), [self.far_request.pk])
        self.assertEqual(self.listed(self.district, "?conflicts=pending"), [])

    def test_it_keeps_the_number_of_queries_flat(self):
        self.ask()
        self.login(self.expert)
        with self.assertNumQueries(6):  # session, user, membership, count, unread notifications, page
            self.client.get(url("diagnosis_list"))
        for period in ("T1", "T2", "T3"):
            other = make_assessment(self.enterprise, middling(), period=period)
            services.request_diagnosis(assessment=other, actor=self.enterprise_user, route="district")
        with self.assertNumQueries(6):
            self.client.get(url("diagnosis_list"))

    def test_it_refuses_enterprises_and_plain_providers(self):
        for user in (self.enterprise_user, self.provider):
            self.login(user)
            self.assertEqual(self.client.get(url("diagnosis_list")).status_code, 403)


class DetailPageTests(DiagnosisTestCase):
    def test_it_shows_the_timeline_the_visit_and_the_verifier(self):
        request = self.visited()
        self.login(self.enterprise_user)
        response = self.client.get(url("diagnosis_detail", request.pk))
        self.assertContains(response, 'data-testid="timeline"')
        self.assertContains(response, "下料—加工—装配")
        self.assertContains(response, "王工")
        self.assertContains(response, 'data-testid="verifier">expert')
        self.assertNotContains(response, 'data-testid="start-verification"')

    def test_it_offers_the_verifier_to_start(self):
        request = self.visited()
        self.login(self.expert)
        self.assertContains(
            self.client.get(url("diagnosis_detail", request.pk)), 'data-testid="start-verification"'
        )

    def test_it_lets_the_district_decide_a_declared_interest(self):
        request = self.ask()
        declaration = services.declare_conflict(request=request, actor=self.expert, description="合作过")
        self.login(self.district)
        self.assertContains(self.client.get(url("diagnosis_detail", request.pk)), 'data-testid="review-form"')
        decide = url("diagnosis_conflict_decide", request.pk, declaration.pk)
        self.assertEqual(self.client.get(decide).status_code, 405)
        response = self.client.post(decide, {"decision": "reject", "comment": ""})
        self.assertRedirects(response, url("diagnosis_detail", request.pk))
        declaration.refresh_from_db()
        self.assertEqual(declaration.status, ConflictDeclaration.Status.PENDING)  # a refusal needs a comment
        self.client.post(decide, {"decision": "approve", "comment": "可以"})
        declaration.refresh_from_db()
        self.assertEqual(declaration.status, ConflictDeclaration.Status.APPROVED)

    def test_it_hides_the_request_from_outsiders(self):
        request = self.ask()
        for user in (self.outsider, self.other_enterprise_user, self.other_district, self.provider):
            self.login(user)
            self.assertEqual(self.client.get(url("diagnosis_detail", request.pk)).status_code, 404)
        self.login(self.other_district)
        declaration = services.declare_conflict(request=request, actor=self.expert, description="x")
        response = self.client.post(
            url("diagnosis_conflict_decide", request.pk, declaration.pk), {"decision": "approve"}
        )
        self.assertEqual(response.status_code, 404)


class AssignPageTests(DiagnosisTestCase):
    def test_it_lists_experts_with_their_profiles_and_the_recommendations(self):
        request = self.ask()
        services.recommend(request=request, actor=self.expert2, expert=self.expert, note="熟悉智能制造")
        self.login(self.district)
        response = self.client.get(url("diagnosis_assign", request.pk))
        self.assertContains(response, "智能制造")  # the expert's fields of expertise
        self.assertContains(response, "熟悉智能制造")
        self.assertContains(response, "诊断机构甲")

    def test_it_assigns_the_chosen_expert(self):
        request = self.ask()
        self.login(self.district)
        response = self.client.post(url("diagnosis_assign", request.pk), {"expert": self.expert.pk})
        self.assertRedirects(response, url("diagnosis_detail", request.pk))
        request.refresh_from_db()
        self.assertEqual((request.status, request.expert), (STATUS.ASSIGNED, self.expert))

    def test_it_names_the_assigned_verifier_in_its_message(self):
        request = self.ask()
        self.login(self.district)
        response = self.client.post(url("diagnosis_assign", request.pk), {"institution": self.institution.pk})
        said = [str(m) for m in get_messages(response.wsgi_request)]
        self.assertEqual(said, [f"Assigned to {self.institution}."])

    def test_it_shows_the_conflict_of_interest_refusal(self):
        request = self.ask()
        services.declare_conflict(request=request, actor=self.expert, description="为该企业做过方案")
        self.login(self.district)
        response = self.client.post(url("diagnosis_assign", request.pk), {"expert": self.expert.pk})
        self.assertContains(response, "为该企业做过方案", status_code=200)
        request.refresh_from_db()
        self.assertEqual(request.status, STATUS.REQUESTED)

    def test_it_refuses_bad_input_and_the_city(self):
        request = self.ask()
        self.login(self.district)
        both = {"expert": self.expert.pk, "institution": self.institution.pk}
        self.assertContains(self.client.post(url("diagnosis_assign", request.pk), both), "Choose either")
        self.assertContains(
            self.client.post(url("diagnosis_assign", request.pk), {"expert": 99999}), "valid choice"
        )
        self.login(self.city)
        self.assertEqual(
            self.client.post(url("diagnosis_assign", request.pk), {"expert": self.expert.pk}).status_code, 403
        )
        request.refresh_from_db()
        self.assertEqual(request.status, STATUS.REQUESTED)

    def test_it_sends_a_late_assignment_to_the_request(self):
        request = self.assigned()
        self.login(self.expert2)
        response = self.client.post(url("diagnosis_assign", request.pk), {"expert": self.expert2.pk})
        self.assertRedirects(response, url("diagnosis_detail", request.pk))
        request.refresh_from_db()
        self.assertEqual(request.expert, self.expert)

    def test_it_lets_the_committee_recommend(self):
        request = self.ask()
        self.login(self.expert2)
        recommend = url("diagnosis_recommend", request.pk)
        self.assertEqual(self.client.get(recommend).status_code, 405)
        response = self.client.post(recommend, {"institution": self.institution.pk, "note": "就近"})
        self.assertRedirects(response, url("diagnosis_assign", request.pk))
        self.assertEqual(request.recommendations.get().note, "就近")
        self.login(self.district)
        self.assertEqual(self.client.post(recommend, {"expert": self.expert.pk}).status_code, 403)
        self.assertEqual(request.recommendations.count(), 1)


class VisitPageTests(DiagnosisTestCase):
    def test_it_records_the_visit_ignoring_empty_rows(self):
        request = self.assigned()
        self.login(self.expert)
        response = self.client.post(url("diagnosis_visit", request.pk), VISIT)
        self.assertRedirects(response, url("diagnosis_detail", request.pk))
        request.refresh_from_db()
        self.assertEqual(request.status, STATUS.VISITED)
        self.assertEqual([v["name"] for v in request.visitors], ["王工", "李厂长"])

    def test_it_refuses_a_record_without_visitors_or_with_a_nameless_row(self):
        request = self.assigned()
        self.login(self.expert)
        data = {key: value for key, value in VISIT.items() if not key.startswith("visitor_")}
        self.assertContains(
            self.client.post(url("diagnosis_visit", request.pk), data), "Name at least one visitor."
        )
        data["visitor_1_role"] = "厂长"
        self.assertContains(
            self.client.post(url("diagnosis_visit", request.pk), data), "Give the visitor&#x27;s name."
        )
        request.refresh_from_db()
        self.assertEqual(request.status, STATUS.ASSIGNED)

    def test_it_refuses_everybody_but_the_verifier(self):
        request = self.assigned()
        for user in (self.expert2, self.district, self.enterprise_user):
            self.login(user)
            self.assertEqual(self.client.post(url("diagnosis_visit", request.pk), VISIT).status_code, 403)
        request.refresh_from_db()
        self.assertEqual(request.status, STATUS.ASSIGNED)


class VerificationPageTests(DiagnosisTestCase):
    def start(self):
        request = self.visited()
        self.login(self.expert)
        start = url("diagnosis_verification_start", request.pk)
        self.assertEqual(self.client.get(start).status_code, 405)
        self.assertRedirects(self.client.post(start), url("diagnosis_verification", request.pk))
        request.refresh_from_db()
        return request, request.verified_assessment

    def test_it_lists_every_item_with_the_self_assessed_answer(self):
        request, _verification = self.start()
        response = self.client.get(url("diagnosis_verification", request.pk))
        for code in ("B1", "M1", "E4", "S01", "S16"):
            self.assertContains(response, f'data-testid="item-{code}"')
        self.assertContains(response, "0 of 31 checked")

    def test_it_accepts_and_adjusts_answers(self):
        request, verification = self.start()
        answer = url("diagnosis_verify_answer", request.pk, "B1")
        self.assertEqual(self.client.get(answer).status_code, 405)
        response = self.client.post(answer, {"accept": "1"})
        self.assertRedirects(
            response, url("diagnosis_verification", request.pk) + "#item-B1", fetch_redirect_response=False
        )
        self.assertEqual(verification.answers.get(item_code="B1").review, AnswerReview.ACCEPTED)
        pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan", content_type="application/pdf")
        self.client.post(
            url("diagnosis_verify_answer", request.pk, "M1"),
            {"M1-options": "A", "M1-reason": "无规划", "M1-evidence": pdf},
        )
        m1 = verification.answers.get(item_code="M1")
        self.assertEqual((m1.review, m1.value, m1.reason), (AnswerReview.ADJUSTED, ["A"], "无规划"))
        self.assertEqual(Evidence.objects.get(assessment=verification).item_code, "M1")
        self.client.post(
            url("diagnosis_verify_answer", request.pk, "S01"), {"S01-level": "2", "S01-reason": "只到二级"}
        )
        self.assertEqual(verification.answers.get(item_code="S01").value, 2)
        self.client.post(
            url("diagnosis_verify_answer", request.pk, "B2"),
            {
                "B2-figure_rate": "",
                "B2-figure_digital": "30",
                "B2-figure_total": "100",
                "B2-reason": "台账核实",
            },
        )
        self.assertEqual(
            verification.answers.get(item_code="B2").value, {"options": [], "digital": 30, "total": 100}
        )
        self.assertContains(self.client.get(url("diagnosis_verification", request.pk)), "4 of 31 checked")

    def test_it_refuses_an_adjustment_without_a_reason_or_with_a_bad_value(self):
        request, verification = self.start()
        response = self.client.post(url("diagnosis_verify_answer", request.pk, "M1"), {"M1-options": "A"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "This field is required.", status_code=400)
        response = self.client.post(
            url("diagnosis_verify_answer", request.pk, "B1"), {"B1-options": ["A", "B"], "B1-reason": "r"}
        )
        self.assertContains(response, "B1:", status_code=400)
        fake = SimpleUploadedFile("plan.pdf", b"MZ not a pdf", content_type="application/pdf")
        response = self.client.post(
            url("diagnosis_verify_answer", request.pk, "M1"),
            {"M1-options": "A", "M1-reason": "r", "M1-evidence": fake},
        )
        self.assertContains(response, "content must match the name", status_code=400)
        self.assertEqual(set(verification.answers.values_list("review", flat=True)), {AnswerReview.PENDING})
        self.assertFalse(Evidence.objects.exists())
        self.assertEqual(
            self.client.post(url("diagnosis_verify_answer", request.pk, "X9"), {"accept": "1"}).status_code,
            404,
        )

    def test_it_completes_only_when_every_answer_is_checked(self):
        request, verification = self.start()
        complete = url("diagnosis_verification_complete", request.pk)
        response = self.client.post(complete, {"version": verification.version}, follow=True)
        self.assertContains(response, "These answers are not checked yet: B1, B2")
        for code in verification.answer_dict():
            if code == "M1":
                self.client.post(
                    url("diagnosis_verify_answer", request.pk, code),
                    {"M1-options": "A", "M1-reason": "无规划"},
                )
            else:
                self.client.post(url("diagnosis_verify_answer", request.pk, code), {"accept": "1"})
        verification.refresh_from_db()
        response = self.client.post(complete, {"version": verification.version})
        self.assertRedirects(response, url("diagnosis_compare", request.pk))
        verification.refresh_from_db()
        self.assertEqual(verification.status, Assessment.Status.VERIFIED)
        self.login(self.enterprise_user)
        response = self.client.get(url("diagnosis_compare", request.pk))
        self.assertContains(response, 'data-testid="row-M1"')
        self.assertContains(response, "无规划")
        self.assertContains(response, "-3.00")
        self.assertEqual(response.context["result"].total_delta, -3)

    def test_it_shows_others_only_that_the_verification_runs(self):
        request, _verification = self.start()
        self.login(self.enterprise_user)
        response = self.client.get(url("diagnosis_compare", request.pk))
        self.assertContains(response, 'data-testid="in-progress"')
        self.assertIsNone(response.context["result"])

    def test_it_refuses_the_verification_page_to_others(self):
        request, _verification = self.start()
        for user in (self.expert2, self.district, self.enterprise_user):
            self.login(user)
            self.assertEqual(self.client.get(url("diagnosis_verification", request.pk)).status_code, 403)
            self.assertEqual(
                self.client.post(
                    url("diagnosis_verify_answer", request.pk, "B1"), {"accept": "1"}
                ).status_code,
                403,
            )


class EvidenceAndDeclarationTests(DiagnosisTestCase):
    def test_it_serves_the_evidence_of_the_request_only(self):
        request = self.ask()
        mine = Evidence.objects.create(
            assessment=self.source,
            item_code="B1",
            file=SimpleUploadedFile("net.pdf", b"%PDF-1.4"),
            original_name="网络.pdf",
            content_type="application/pdf",
            size=8,
        )
        other = make_assessment(self.enterprise, middling(), period="T1")
        elsewhere = Evidence.objects.create(
            assessment=other,
            item_code="B1",
            file=SimpleUploadedFile("x.pdf", b"%PDF"),
            original_name="x.pdf",
            content_type="application/pdf",
            size=4,
        )
        self.login(self.expert)
        response = self.client.get(url("diagnosis_evidence", request.pk, mine.pk))
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertEqual(
            self.client.get(url("diagnosis_evidence", request.pk, elsewhere.pk)).status_code, 404
        )

    def test_it_lets_an_expert_declare_an_interest(self):
        request = self.ask()
        self.login(self.expert)
        response = self.client.post(
            url("diagnosis_conflict_declare", request.pk), {"description": "做过咨询"}
        )
        self.assertRedirects(response, url("diagnosis_detail", request.pk))
        self.assertEqual(request.conflicts.get().description, "做过咨询")

    def test_it_refuses_an_empty_declaration_and_the_enterprise(self):
        request = self.ask()
        self.login(self.expert)
        self.assertContains(
            self.client.post(url("diagnosis_conflict_declare", request.pk), {"description": ""}), "required"
        )
        self.login(self.enterprise_user)
        self.assertEqual(
            self.client.post(url("diagnosis_conflict_declare", request.pk), {"description": "x"}).status_code,
            403,
        )
        self.assertFalse(ConflictDeclaration.objects.exists())


class VisitHelperTests(DiagnosisTestCase):
    def test_it_keeps_the_visit_record_correctable_until_verified(self):
        request = visit(self.assigned(), self.expert)
        request = visit(request, self.expert, main_products="轴承")
        self.assertEqual(request.main_products, "轴承")


class AcceptRemainingTests(DiagnosisTestCase):
    """The verifier accepts every answer not yet checked at once; a refused item keeps the page there."""

    start = VerificationPageTests.start

    def test_it_accepts_every_remaining_answer_in_one_audited_step(self):
        from smedx.core.models import AuditEntry

        request, verification = self.start()
        self.client.post(
            url("diagnosis_verify_answer", request.pk, "M1"), {"M1-options": "A", "M1-reason": "无规划"}
        )
        page = self.client.get(url("diagnosis_verification", request.pk))
        self.assertContains(page, 'data-testid="accept-remaining"')
        accept_all = url("diagnosis_verification_accept_remaining", request.pk)
        self.assertEqual(self.client.get(accept_all).status_code, 405)
        response = self.client.post(accept_all)
        self.assertRedirects(
            response, url("diagnosis_verification", request.pk) + "#complete", fetch_redirect_response=False
        )
        reviews = dict(verification.answers.values_list("item_code", "review"))
        self.assertEqual(reviews.pop("M1"), AnswerReview.ADJUSTED)
        self.assertEqual(set(reviews.values()), {AnswerReview.ACCEPTED})
        self.assertEqual(verification.answers.get(item_code="M1").value, ["A"])
        entry = AuditEntry.objects.get(action="assessments.diagnosisrequest.answers_accepted")
        self.assertEqual(len(entry.data["items"]), 30)
        self.assertNotIn("M1", entry.data["items"])
        page = self.client.get(url("diagnosis_verification", request.pk))
        self.assertNotContains(page, 'data-testid="accept-remaining"')
        response = self.client.post(accept_all, follow=True)
        self.assertContains(response, "Every answer is already checked.")

    def test_it_refuses_accepting_all_to_anyone_but_the_verifier(self):
        request, verification = self.start()
        self.login(self.expert2)
        self.client.post(url("diagnosis_verification_accept_remaining", request.pk))
        self.assertEqual(set(verification.answers.values_list("review", flat=True)), {AnswerReview.PENDING})

    def test_it_keeps_the_page_at_the_item_whose_answer_was_refused(self):
        request, _verification = self.start()
        response = self.client.post(url("diagnosis_verify_answer", request.pk, "M1"), {"M1-options": "A"})
        self.assertEqual(response.status_code, 400)
        action = url("diagnosis_verify_answer", request.pk, "M1") + "#item-M1"
        self.assertContains(response, f'action="{action}"', status_code=400)
        item = response.content.decode().split('data-testid="item-M1"')[1].split('data-testid="item-')[0]
        self.assertIn("This field is required.", item)
