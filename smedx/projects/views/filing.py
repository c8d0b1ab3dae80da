"""Pages of stage 4 registration and implementation: filing, review, milestones, invoices, changes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smedx.accounts import people
from smedx.accounts.models import Organisation, Region
from smedx.core import uploads
from smedx.core.access import get_visible
from smedx.core.actions import run_form_service, run_service
from smedx.core.paging import BoundedPaginator, page_query
from smedx.projects.forms import filing as forms
from smedx.projects.models import ChangeRequest, Milestone, ProgressReport, Project, ProjectFile
from smedx.projects.services import filing as services
from smedx.proposals.models import TransformationPlan

PAGE_SIZE = 25
LIST_RIGHTS = services.LIST_RIGHTS


def _any_right(user, rights):
    if not user.is_authenticated or not any(user.has_right(r) for r in rights):
        raise PermissionDenied


def _project(user, pk) -> Project:
    qs = Project.objects.select_related(
        "enterprise__region", "enterprise__organisation", "provider", "plan", "declared_by"
    )
    return get_visible(qs, user, pk=pk)


def _own_project(user, pk, right=services.EDIT) -> Project:
    """A project of the user's own enterprise; others who see it get 403."""
    project = _project(user, pk)
    if not people.acts_for(user, project.enterprise.organisation_id, right):
        raise PermissionDenied
    return project


def _district_project(user, pk) -> Project:
    project = _project(user, pk)
    if not people.is_district_of(user, project.enterprise, services.REVIEW):
        raise PermissionDenied
    return project


def _visible_milestone(user, pk) -> Milestone:
    milestone = (
        Milestone.objects.select_related(
            "project__enterprise__region", "project__enterprise__organisation", "project__provider"
        )
        .filter(pk=pk, project__in=Project.objects.visible_to(user))
        .first()
    )
    if milestone is None:
        raise Http404
    return milestone


# --- list ---------------------------------------------------------------------------------------------


@login_required
def project_list(request):
    _any_right(request.user, LIST_RIGHTS)
    today = timezone.localdate()
    qs = (
        Project.objects.visible_to(request.user)
        .select_related("enterprise__region", "provider")
        .annotate(is_overdue=Q(services.overdue_q(today)))
    )
    status = request.GET.get("status", "")
    if status in Project.Status.values:
        qs = qs.filter(status=status)
    region = request.GET.get("region", "")
    if region.isdigit():
        qs = qs.filter(region_id=int(region))
    if request.GET.get("overdue") == "1":
        qs = qs.filter(services.overdue_q(today))
    page = BoundedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    org = request.user.organisation
    is_city = org.kind == Organisation.Kind.AUTHORITY and org.level == Organisation.Level.CITY
    context = {
        "page": page,
        "statuses": Project.Status.choices,
        "status": status,
        "region": region,
        "overdue": request.GET.get("overdue") == "1",
        "query": page_query(request),
        "regions": Region.objects.filter(parent__isnull=False).order_by("code") if is_city else [],
    }
    return render(request, "projects/project_list.html", context)


# --- registration -------------------------------------------------------------------------------------


@login_required
def project_create(request, pk):
    """GET shows what will be carried over from the plan; POST starts the project filing."""
    plan = get_visible(
        TransformationPlan.objects.select_related("proposal__provider", "enterprise"), request.user, pk=pk
    )
    existing = Project.objects.filter(plan=plan).first()
    if existing is not None:
        return redirect("projects:project_detail", pk=existing.pk)
    if not people.acts_for(request.user, plan.enterprise.organisation_id, services.EDIT):
        raise PermissionDenied
    if request.method == "POST":
        done = _("The project was started from the plan. Complete the contract details.")
        project = run_service(request, services.create_project_from_plan, done=done, plan=plan)
        if project is None:
            return redirect("proposals:plan_detail", pk=plan.pk)
        return redirect("projects:project_edit", pk=project.pk)
    return render(request, "projects/project_create.html", {"plan": plan, "proposal": plan.proposal})


@login_required
def project_edit(request, pk):
    project = _own_project(request.user, pk)
    if not project.is_editable:
        return redirect("projects:project_detail", pk=project.pk)
    bundle = forms.ProjectForms(request.POST or None, request.FILES or None, project=project)
    if request.method == "POST" and bundle.is_valid():
        done = _("The project was saved. Submit it when it is complete.")
        saved = run_form_service(
            request, bundle.main, services.update_project, done=done, project=project, **bundle.cleaned()
        )
        if saved is not None:
            return redirect("projects:project_detail", pk=project.pk)
    return render(request, "projects/project_edit.html", {"project": project, "forms": bundle})


@login_required
def project_submit(request, pk):
    project = _own_project(request.user, pk)
    if not project.is_editable:
        return redirect("projects:project_detail", pk=project.pk)
    form = forms.SubmitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _("The project was filed with the district for review.")
        submitted = run_form_service(
            request, form, services.submit_project, done=done, project=project, declared=True
        )
        if submitted is not None:
            return redirect("projects:project_detail", pk=project.pk)
    context = {"project": project, "form": form, "problems": services.submission_problems(project)}
    return render(request, "projects/project_submit.html", context)


@login_required
def project_review(request, pk):
    project = _district_project(request.user, pk)
    if project.status != Project.Status.SUBMITTED:
        messages.info(request, _("This project is not waiting for review."))
        return redirect("projects:project_detail", pk=project.pk)
    form = forms.ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        register = form.cleaned_data["decision"] == "register"
        run_service(
            request,
            services.review_project,
            done=_("The project was registered.") if register else _("The project was returned."),
            project=project,
            register=register,
            comment=form.cleaned_data["comment"],
        )
        return redirect("projects:project_detail", pk=project.pk)
    return render(
        request, "projects/project_review.html", {**_detail_context(request.user, project), "form": form}
    )


# --- detail -------------------------------------------------------------------------------------------


def _detail_context(user, project) -> dict:
    today = timezone.localdate()
    files = ProjectFile.objects.filter(project=project, report__isnull=False)
    reports = ProgressReport.objects.select_related("reported_by").prefetch_related(Prefetch("files", files))
    milestones = list(
        project.milestones.select_related("confirmed_by").prefetch_related(Prefetch("reports", reports))
    )
    invoices = list(services.with_duplicate_flag(project.invoices.select_related("payment_proof")))
    items = list(project.items.all())
    items_total = sum((i.amount for i in items), 0)
    invoiced = sum((i.amount for i in invoices), 0)
    return {
        "project": project,
        "today": today,
        "items": items,
        "items_total": items_total,
        "eligible_total": sum((i.amount for i in items if i.eligible), 0),
        "items_match": items_total == project.contract_amount,
        "kpis": project.kpis.all(),
        "milestones": milestones,
        "overdue_ids": {m.pk for m in milestones if m.is_overdue(today)} if project.is_underway else set(),
        "invoices": invoices,
        "invoiced_total": invoiced,
        "invoiced_over": invoiced > project.contract_amount,
        "steps": project.review_steps.select_related("actor"),
        "changes": project.change_requests.select_related("requested_by", "decided_by"),
    }


@login_required
def project_detail(request, pk):
    user = request.user
    project = _project(user, pk)
    is_owner = people.acts_for(user, project.enterprise.organisation_id, services.EDIT)
    context = _detail_context(user, project)
    context.update(
        {
            "is_owner": is_owner,
            "can_edit": is_owner and project.is_editable,
            "can_confirm": people.acts_for(user, project.enterprise.organisation_id, services.CONFIRM)
            and project.is_underway,
            "can_invoice": people.acts_for(user, project.enterprise.organisation_id, services.INVOICE)
            and project.status in services.INVOICING,
            "can_change": is_owner and project.is_underway,
            "can_report": people.acts_for(user, project.provider_id, services.REPORT) and project.is_underway,
            "is_district": people.is_district_of(user, project.enterprise, services.REVIEW),
        }
    )
    return render(request, "projects/project_detail.html", context)


@login_required
def project_contract(request, pk):
    project = _project(request.user, pk)
    extension = uploads.extension(project.contract_file.name)
    return uploads.download(
        project.contract_file, filename=f"{project.contract_number or project.pk}.{extension}"
    )


@login_required
def project_file(request, pk, file_pk):
    project = _project(request.user, pk)
    file = ProjectFile.objects.filter(pk=file_pk, project=project).first()
    if file is None:
        raise Http404
    return uploads.download(file.file, filename=file.original_name, content_type=file.content_type)


# --- implementation -----------------------------------------------------------------------------------


@login_required
def milestone_report(request, pk):
    milestone = _visible_milestone(request.user, pk)
    project = milestone.project
    if not people.acts_for(request.user, project.provider_id, services.REPORT):
        raise PermissionDenied
    form = forms.ProgressForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        report = run_form_service(
            request,
            form,
            services.report_progress,
            done=_("The progress was reported; the enterprise will confirm it."),
            milestone=milestone,
            text=form.cleaned_data["text"],
            files=form.cleaned_data["files"],
        )
        if report is not None:
            return redirect("projects:project_detail", pk=project.pk)
    context = {"milestone": milestone, "project": project, "form": form}
    return render(request, "projects/project_milestone_report.html", context)


@login_required
@require_POST
def milestone_confirm(request, pk):
    milestone = _visible_milestone(request.user, pk)
    if not people.acts_for(request.user, milestone.project.enterprise.organisation_id, services.CONFIRM):
        raise PermissionDenied
    run_service(
        request, services.confirm_milestone, done=_("The milestone was confirmed."), milestone=milestone
    )
    return redirect("projects:project_detail", pk=milestone.project_id)


@login_required
def invoice_create(request, pk):
    project = _own_project(request.user, pk, services.INVOICE)
    form = forms.InvoiceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # The message depends on what was recorded: no `done` here.
        invoice = run_form_service(
            request,
            form,
            services.record_invoice,
            done=None,
            project=project,
            number=data["number"],
            date=data["date"],
            amount=data["amount"],
            seller_code=data["seller_code"],
            payment_proof=data.get("proof"),
            paid_on=data.get("paid_on"),
        )
        if invoice is not None:
            if services.duplicate_invoices(invoice).exists():
                messages.warning(request, _("This invoice number is already recorded on the platform."))
            else:
                messages.success(request, _("The invoice was recorded."))
            return redirect("projects:project_detail", pk=project.pk)
    return render(request, "projects/project_invoice_form.html", {"project": project, "form": form})


@login_required
def change_create(request, pk):
    project = _own_project(request.user, pk)
    if not project.is_underway:
        messages.info(request, _("Changes can be requested only while the project is being implemented."))
        return redirect("projects:project_detail", pk=project.pk)
    form = forms.ChangeRequestForm(request.POST or None, milestones=project.milestones.all())
    if request.method == "POST" and form.is_valid():
        change = run_form_service(
            request,
            form,
            services.request_change,
            done=_("The change request was sent to the district."),
            project=project,
            description=form.cleaned_data["description"],
            changes=form.changes(),
        )
        if change is not None:
            return redirect("projects:project_detail", pk=project.pk)
    return render(request, "projects/project_change_form.html", {"project": project, "form": form})


@login_required
def change_decide(request, pk):
    change = ChangeRequest.objects.filter(pk=pk, project__in=Project.objects.visible_to(request.user)).first()
    if change is None:
        raise Http404
    project = _district_project(request.user, change.project_id)
    if change.status != ChangeRequest.Status.PENDING:
        messages.info(request, _("This change request was already decided."))
        return redirect("projects:project_detail", pk=project.pk)
    form = forms.ChangeDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        run_service(
            request,
            services.decide_change,
            done=_("The change was approved.") if approve else _("The change was refused."),
            change=change,
            approve=approve,
            comment=form.cleaned_data["comment"],
        )
        return redirect("projects:project_detail", pk=project.pk)
    names = {str(m.pk): m for m in project.milestones.all()}
    due = [(names.get(k), v) for k, v in change.changes.get("due_dates", {}).items()]
    context = {"project": project, "change": change, "due": due, "form": form}
    return render(request, "projects/project_change_decide.html", context)
