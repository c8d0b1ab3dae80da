"""Stage 1 诊断评估: the self-assessment, its report, the on-site diagnosis and the officers' pages."""

from django.urls import path

from smedx.assessments.views import diagnosis, officer, report, self_assessment

app_name = "assessments"
urlpatterns = [
    path("self/", self_assessment.self_start, name="self_start"),
    path("<int:pk>/", self_assessment.self_overview, name="self_overview"),
    path("<int:pk>/section/<str:section>/", self_assessment.self_section, name="self_section"),
    path("<int:pk>/answer/<str:code>/", self_assessment.self_answer, name="self_answer"),
    path("<int:pk>/evidence/<str:code>/", self_assessment.self_evidence_upload, name="self_evidence_upload"),
    path("evidence/<int:pk>/", self_assessment.self_evidence_download, name="self_evidence_download"),
    path("evidence/<int:pk>/delete/", self_assessment.self_evidence_delete, name="self_evidence_delete"),
    path("<int:pk>/submit/", self_assessment.self_submit, name="self_submit"),
    path("<int:pk>/result/", self_assessment.result, name="result"),
    path("<int:pk>/report/", report.report, name="report"),
    path("<int:pk>/report.pdf", report.report_pdf, name="report_pdf"),
    path("diagnosis/", diagnosis.diagnosis_list, name="diagnosis_list"),
    path("diagnosis/request/<int:assessment_pk>/", diagnosis.diagnosis_request, name="diagnosis_request"),
    path("diagnosis/<int:pk>/", diagnosis.diagnosis_detail, name="diagnosis_detail"),
    path("diagnosis/<int:pk>/recommend/", diagnosis.diagnosis_recommend, name="diagnosis_recommend"),
    path("diagnosis/<int:pk>/assign/", diagnosis.diagnosis_assign, name="diagnosis_assign"),
    path("diagnosis/<int:pk>/visit/", diagnosis.diagnosis_visit, name="diagnosis_visit"),
    path("diagnosis/<int:pk>/verification/", diagnosis.diagnosis_verification, name="diagnosis_verification"),
    path(
        "diagnosis/<int:pk>/verification/start/",
        diagnosis.diagnosis_verification_start,
        name="diagnosis_verification_start",
    ),
    path(
        "diagnosis/<int:pk>/verification/accept-remaining/",
        diagnosis.diagnosis_verification_accept_remaining,
        name="diagnosis_verification_accept_remaining",
    ),
    path(
        "diagnosis/<int:pk>/verification/complete/",
        diagnosis.diagnosis_verification_complete,
        name="diagnosis_verification_complete",
    ),
    path(
        "diagnosis/<int:pk>/verification/item/<str:item_code>/",
        diagnosis.diagnosis_verify_answer,
        name="diagnosis_verify_answer",
    ),
    path("diagnosis/<int:pk>/compare/", diagnosis.diagnosis_compare, name="diagnosis_compare"),
    path(
        "diagnosis/<int:pk>/evidence/<int:evidence_pk>/",
        diagnosis.diagnosis_evidence,
        name="diagnosis_evidence",
    ),
    path(
        "diagnosis/<int:pk>/conflicts/declare/",
        diagnosis.diagnosis_conflict_declare,
        name="diagnosis_conflict_declare",
    ),
    path(
        "diagnosis/<int:pk>/conflicts/<int:declaration_pk>/decide/",
        diagnosis.diagnosis_conflict_decide,
        name="diagnosis_conflict_decide",
    ),
    path("officer/", officer.assessment_list, name="list"),
    path("officer/export/", officer.assessment_export, name="export"),
    path("enterprise/<int:pk>/history/", officer.enterprise_history, name="history"),
    path("enterprise/<int:pk>/compare/", officer.compare, name="compare"),
    path("<int:pk>/rescore/", officer.rescore, name="rescore"),
]
