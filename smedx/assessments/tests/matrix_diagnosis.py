"""Access matrix of the on-site diagnosis pages.

`setup` gives the enterprise three submitted self-assessments: T0 with a request assigned to the
expert, visited and under verification (`cls.diagnosis`); T1 with a request awaiting assignment and a
pending declared interest (`cls.diagnosis_open`); T2 with no request yet (`cls.diagnosis_free`).
"""

import datetime

from django.core.files.base import ContentFile

from smedx.assessments.loader import load_bundled
from smedx.assessments.models import DiagnosisRequest, Evidence
from smedx.assessments.services import diagnosis as services
from smedx.testing.answer_sets import best, middling
from smedx.testing.assessments import make_assessment

VISITORS = [{"name": "王工", "organisation": "联盟专家委员会", "role": "专家", "contact": "13800000000"}]


def record_visit(request, actor):
    return services.record_visit(
        request=request,
        actor=actor,
        visited_on=datetime.date(2025, 3, 1),
        visitors=VISITORS,
        main_products="齿轮",
        process_flow="下料—加工—装配",
        intelligent_equipment="数控机床 12 台",
        industrial_software="MES",
    )


def setup(cls):
    load_bundled()
    source = make_assessment(cls.enterprise, middling(), period="T0")
    cls.diagnosis = services.request_diagnosis(assessment=source, actor=cls.enterprise_user, route="district")
    services.assign(request=cls.diagnosis, actor=cls.district, expert=cls.expert)
    record_visit(DiagnosisRequest.objects.get(pk=cls.diagnosis.pk), cls.expert)
    services.start_verification(request=DiagnosisRequest.objects.get(pk=cls.diagnosis.pk), actor=cls.expert)
    cls.diagnosis_evidence = Evidence.objects.create(
        assessment=source,
        item_code="B1",
        file=ContentFile(b"%PDF-1.4 test", name="network.pdf"),
        original_name="network.pdf",
        content_type="application/pdf",
        size=13,
        uploaded_by=cls.enterprise_user,
    )
    other = make_assessment(cls.enterprise, best(), period="T1")
    cls.diagnosis_open = services.request_diagnosis(
        assessment=other, actor=cls.enterprise_user, route="district"
    )
    cls.diagnosis_declaration = services.declare_conflict(
        request=cls.diagnosis_open, actor=cls.expert, description="曾为该企业提供咨询"
    )
    cls.diagnosis_free = make_assessment(cls.enterprise, middling(), period="T2")


def verified(test, persona):
    return {"pk": test.diagnosis.pk}


def open_request(test, persona):
    return {"pk": test.diagnosis_open.pk}


# fmt: off
MATRIX = {
    #                                           anon     outs city dist odis expe prov plat ent  coll oent
    "assessments:diagnosis_list":             (lambda t, p: {},
                                               ("login", 403, 200, 200, 200, 200, 403, 403, 403, 403, 403)),
    # The enterprise asks from its own submitted self-assessment; officers see it but do not ask.
    "assessments:diagnosis_request":          (lambda t, p: {"assessment_pk": t.diagnosis_free.pk},
                                               ("login", 404, 403, 403, 404, 404, 404, 404, 200, 200, 404)),
    # The committee sees every request; the assigned expert, the enterprise and its officers this one.
    "assessments:diagnosis_detail":           (verified,
                                               ("login", 404, 200, 200, 404, 200, 404, 404, 200, 200, 404)),
    "assessments:diagnosis_recommend":        (open_request,
                                               ("login", 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    # The district of the enterprise and the committee assign; the city follows but does not assign.
    "assessments:diagnosis_assign":           (open_request,
                                               ("login", 404, 403, 200, 404, 200, 404, 404, 403, 403, 404)),
    # Only the assigned verifier records the visit and checks the answers.
    "assessments:diagnosis_visit":            (verified,
                                               ("login", 404, 403, 403, 404, 200, 404, 404, 403, 403, 404)),
    "assessments:diagnosis_verification":     (verified,
                                               ("login", 404, 403, 403, 404, 200, 404, 404, 403, 403, 404)),
    "assessments:diagnosis_verification_start": (verified,
                                               ("login", 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    "assessments:diagnosis_verification_complete": (verified,
                                               ("login", 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    "assessments:diagnosis_verification_accept_remaining": (verified,
                                               ("login", 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    "assessments:diagnosis_verify_answer":    (lambda t, p: {"pk": t.diagnosis.pk, "item_code": "B1"},
                                               ("login", 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    # While the verification runs, others see that it does; the verifier sees the figures so far.
    "assessments:diagnosis_compare":          (verified,
                                               ("login", 404, 200, 200, 404, 200, 404, 404, 200, 200, 404)),
    "assessments:diagnosis_evidence":         (lambda t, p: {"pk": t.diagnosis.pk, "evidence_pk": t.diagnosis_evidence.pk},
                                               ("login", 404, 200, 200, 404, 200, 404, 404, 200, 200, 404)),
    # Experts and diagnosis institutions declare interests; the district decides (POST from the detail page).
    "assessments:diagnosis_conflict_declare": (open_request,
                                               ("login", 404, 403, 403, 404, 200, 404, 404, 403, 403, 404)),
    "assessments:diagnosis_conflict_decide":  (lambda t, p: {"pk": t.diagnosis_open.pk, "declaration_pk": t.diagnosis_declaration.pk},
                                               ("login", 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
}
# fmt: on
