"""Stage 4 项目实施: filing and review, changes, milestones, invoices, supervision, acceptance."""

from django.urls import path

from smedx.projects.views import acceptance, filing, supervision

app_name = "projects"
urlpatterns = [
    path("", filing.project_list, name="project_list"),
    path("plans/<int:pk>/project/", filing.project_create, name="project_create"),
    path("<int:pk>/", filing.project_detail, name="project_detail"),
    path("<int:pk>/edit/", filing.project_edit, name="project_edit"),
    path("<int:pk>/submit/", filing.project_submit, name="project_submit"),
    path("<int:pk>/review/", filing.project_review, name="project_review"),
    path("<int:pk>/contract/", filing.project_contract, name="project_contract"),
    path("<int:pk>/files/<int:file_pk>/", filing.project_file, name="project_file"),
    path("<int:pk>/invoices/new/", filing.invoice_create, name="invoice_create"),
    path("<int:pk>/changes/new/", filing.change_create, name="change_create"),
    path("changes/<int:pk>/decide/", filing.change_decide, name="change_decide"),
    path("milestones/<int:pk>/report/", filing.milestone_report, name="milestone_report"),
    path("milestones/<int:pk>/confirm/", filing.milestone_confirm, name="milestone_confirm"),
    path("delivery/", acceptance.acceptance_list, name="acceptance_list"),
    path("delivery/<int:pk>/supervision/", supervision.supervision_page, name="supervision"),
    path("delivery/<int:pk>/supervision/assign/", supervision.supervision_assign, name="supervision_assign"),
    path("delivery/<int:pk>/supervision/visit/", supervision.supervision_visit, name="supervision_visit"),
    path(
        "delivery/<int:pk>/rectifications/new/", supervision.rectification_issue, name="rectification_issue"
    ),
    path("rectifications/<int:pk>/fix/", supervision.rectification_fix, name="rectification_fix"),
    path("rectifications/<int:pk>/close/", supervision.rectification_close, name="rectification_close"),
    path("delivery/<int:pk>/acceptance/", acceptance.acceptance_detail, name="acceptance_detail"),
    path("delivery/<int:pk>/acceptance/apply/", acceptance.acceptance_apply, name="acceptance_apply"),
    path("delivery/<int:pk>/acceptance/upload/", acceptance.acceptance_upload, name="acceptance_upload"),
    path("delivery/<int:pk>/acceptance/verify/", acceptance.acceptance_verify, name="acceptance_verify"),
    path("delivery/<int:pk>/acceptance/decide/", acceptance.acceptance_decide, name="acceptance_decide"),
]
