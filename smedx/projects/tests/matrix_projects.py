"""Stage 4 registration and implementation URLs in the access matrix (merged by access_matrix.py).

`setup` gives the persona enterprise, with the persona provider: a plan not filed yet (`pp_plan`), a
draft project (`pp_draft`), a submitted one (`pp_submitted`) and a registered one (`pp_registered`)
with its contract, a planned milestone, a progress evidence file and a pending change request.
"""

from datetime import date

from django.core.files.base import ContentFile

from smedx.projects.models import ChangeRequest, Milestone, Project, ProjectFile
from smedx.testing.projects import make_plan

L = "login"
API = "REST API, covered by smedx/projects/tests/test_projects_api.py"


def _project(cls, status, plan=None):
    plan = plan or make_plan(cls.enterprise, cls.provider.organisation, by=cls.enterprise_user)
    project = Project.objects.create(
        plan=plan,
        enterprise=cls.enterprise,
        provider=cls.provider.organisation,
        title=f"项目 {status}",
        contract_number="HT-1",
        contract_amount=180000,
        status=status,
        created_by=cls.enterprise_user,
    )
    Milestone.objects.create(project=project, order=1, name="上线", due_date=date(2026, 6, 30))
    return project


def setup(cls):
    cls.pp_plan = make_plan(cls.enterprise, cls.provider.organisation, by=cls.enterprise_user)
    cls.pp_draft = _project(cls, Project.Status.DRAFT)
    cls.pp_submitted = _project(cls, Project.Status.SUBMITTED)
    cls.pp_registered = project = _project(cls, Project.Status.REGISTERED)
    project.contract_file.save("contract.pdf", ContentFile(b"%PDF-1.4"), save=True)
    cls.pp_milestone = project.milestones.get()
    cls.pp_file = ProjectFile(project=project, milestone=cls.pp_milestone, kind="progress_evidence", size=8)
    cls.pp_file.original_name = "photo.pdf"
    cls.pp_file.file.save("photo.pdf", ContentFile(b"%PDF-1.4"), save=True)
    cls.pp_change = ChangeRequest.objects.create(
        project=project, requested_by=cls.enterprise_user, description="延期", changes={}
    )


def no_args(test, persona):
    return {}


def plan(test, persona):
    return {"pk": test.pp_plan.pk}


def draft(test, persona):
    return {"pk": test.pp_draft.pk}


def submitted(test, persona):
    return {"pk": test.pp_submitted.pk}


def registered(test, persona):
    return {"pk": test.pp_registered.pk}


def evidence(test, persona):
    return {"pk": test.pp_registered.pk, "file_pk": test.pp_file.pk}


def milestone(test, persona):
    return {"pk": test.pp_milestone.pk}


def change(test, persona):
    return {"pk": test.pp_change.pk}


# The enterprise, its officers, the committee and the provider see a project once submitted.
SEEN = (L, 404, 200, 200, 404, 200, 200, 404, 200, 200, 404)
# The enterprise's own pages; others who see the project get 403 (a draft is hidden from the committee).
OWN_DRAFT = (L, 404, 403, 403, 404, 404, 403, 404, 200, 200, 404)
OWN = (L, 404, 403, 403, 404, 403, 403, 404, 200, 200, 404)
DISTRICT_ONLY = (L, 404, 403, 200, 404, 403, 403, 404, 403, 403, 404)

# fmt: off
MATRIX = {
    #                                                   anon outs city dist odis expe prov plat ent  coll oent
    "projects:project_list":      (no_args,    (L,   403, 200, 200, 200, 200, 200, 403, 200, 200, 200)),
    # Only the enterprise files the project of its plan; the plan is hidden from other districts.
    "projects:project_create":    (plan,       (L,   404, 403, 403, 404, 403, 403, 404, 200, 200, 404)),
    "projects:project_detail":    (registered, SEEN),
    "projects:project_edit":      (draft,      OWN_DRAFT),
    "projects:project_submit":    (draft,      OWN_DRAFT),
    "projects:project_review":    (submitted,  DISTRICT_ONLY),
    "projects:project_contract":  (registered, SEEN),
    "projects:project_file":      (evidence,   SEEN),
    "projects:invoice_create":    (registered, OWN),
    "projects:change_create":     (registered, OWN),
    "projects:change_decide":     (change,     DISTRICT_ONLY),
    "projects:milestone_report":  (milestone,  (L,   404, 403, 403, 404, 403, 200, 404, 403, 403, 404)),
    "projects:milestone_confirm": (milestone,  (L,   405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
}
# fmt: on

EXEMPT = {
    f"api-1.0.0:{name}": API
    for name in (
        "list_projects",
        "get_project",
        "list_milestones",
        "report_progress",
        "confirm_milestone",
        "list_invoices",
        "record_invoice",
    )
}
EXEMPT.update(
    {
        f"api-1.0.0:{name}": "REST API, covered by smedx/projects/tests/test_api_filing.py"
        for name in (
            "create_project",
            "update_project",
            "submit_project",
            "review_project",
            "list_changes",
            "request_change",
            "decide_change",
        )
    }
)
EXEMPT.update(
    {
        f"api-1.0.0:{name}": "REST API, covered by smedx/projects/tests/test_api_delivery.py"
        for name in (
            "get_supervision",
            "assign_supervisor",
            "record_supervision_visit",
            "issue_rectification",
            "fix_rectification",
            "close_rectification",
            "get_acceptance",
            "apply_for_acceptance",
            "start_acceptance_verification",
            "decide_acceptance",
        )
    }
)
