"""Pages of stage 4's acceptance (验收) and the follow-up list of supervision and acceptance."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smedx.accounts import people
from smedx.assessments.levels import level_label
from smedx.core.access import get_visible
from smedx.core.actions import form_errors, run_form_service, run_service
from smedx.core.paging import BoundedPaginator, page_query
from smedx.projects.forms import acceptance as forms
from smedx.projects.metrics import FOLLOW_UPS
from smedx.projects.models import AcceptanceApplication, Project
from smedx.projects.services import acceptance, supervision

PS = Project.Status
PAGE_SIZE = 25


def _project(user, pk) -> Project:
    return get_visible(Project.objects.select_related("enterprise__region", "provider"), user, pk=pk)


def _own_project(user, pk) -> Project:
    project = _project(user, pk)
    if not people.acts_for(user, project.enterprise.organisation_id, acceptance.APPLY):
        raise PermissionDenied
    return project


@login_required
def acceptance_apply(request, pk):
    project = _own_project(request.user, pk)
    application = AcceptanceApplication.objects.filter(project=project).first()
    form = forms.ApplyForm(
        request.POST or None,
        before_choices=acceptance.before_choices(project.enterprise),
        after_choices=acceptance.after_choices(project.enterprise),
        initial=_initial(application),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        application = run_form_service(
            request,
            form,
            acceptance.apply_for_acceptance,
            done=_("Your application for acceptance was sent to the experts."),
            project=project,
            before=data["before"],
            after=data["after"],
            rating=form.rating(),
            declared=data["declared"],
        )
        if application is not None:
            return redirect("projects:acceptance_detail", pk=project.pk)
    before, after = (
        (form.cleaned_data.get("before"), form.cleaned_data.get("after")) if form.is_bound else (None, None)
    )
    context = {
        "project": project,
        "form": form,
        "upload_form": forms.UploadForm(),
        "checks": acceptance.checklist(project, before, after),
        "deadline": acceptance.deadline_of(project),
        "can_apply": project.status in (PS.COMPLETED, PS.RECTIFY),
    }
    return render(request, "projects/acceptance_apply.html", context)


def _initial(application) -> dict:
    if application is None:
        return {}
    initial = {"before": application.before_assessment_id, "after": application.after_assessment_id}
    rating = getattr(application.project, "provider_rating", None)
    if rating is not None:
        initial.update({name: getattr(rating, name) for name in (*acceptance.RATING_FIELDS, "comment")})
    return initial


@login_required
@require_POST
def acceptance_upload(request, pk):
    project = _own_project(request.user, pk)
    form = forms.UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        form_errors(request, form)
    else:
        run_service(
            request,
            acceptance.upload_acceptance_file,
            done=_("The document was added."),
            project=project,
            kind=form.cleaned_data["kind"],
            file=form.cleaned_data["file"],
        )
    return redirect("projects:acceptance_apply", pk=project.pk)


@login_required
def acceptance_detail(request, pk):
    project = _project(request.user, pk)
    application = (
        AcceptanceApplication.objects.filter(project=project)
        .select_related("applied_by", "before_assessment", "after_assessment")
        .first()
    )
    decision = getattr(project, "acceptance_decision", None) if application else None
    can_decide = acceptance.may_decide(request.user) and project.status == PS.ACCEPTANCE_APPLIED
    context = {
        "project": project,
        "application": application,
        "checks": acceptance.checklist(
            project,
            application.before_assessment if application else None,
            application.after_assessment if application else None,
        ),
        "rating": getattr(project, "provider_rating", None) if application else None,
        "summary": acceptance.acceptance_summary(project),
        "request": acceptance.verification_request(application),
        "verified": acceptance.verified_after(application),
        "decision": decision,
        "can_decide": can_decide,
        "decision_form": forms.DecisionForm(),
        "deadline": acceptance.deadline_of(project),
        "can_apply": people.acts_for(request.user, project.enterprise.organisation_id, acceptance.APPLY)
        and project.status in (PS.COMPLETED, PS.RECTIFY),
        "level_label": level_label,
    }
    return render(request, "projects/acceptance_detail.html", context)


@login_required
@require_POST
def acceptance_verify(request, pk):
    project = _project(request.user, pk)
    if not acceptance.may_decide(request.user):
        raise PermissionDenied
    done = _("The on-site verification of the after-assessment has started.")
    verification = run_service(request, acceptance.start_acceptance_verification, done=done, project=project)
    if verification is None:
        return redirect("projects:acceptance_detail", pk=project.pk)
    return redirect("assessments:diagnosis_detail", pk=verification.diagnosis_request.pk)


@login_required
@require_POST
def acceptance_decide(request, pk):
    project = _project(request.user, pk)
    if not acceptance.may_decide(request.user):
        raise PermissionDenied
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
    else:
        run_service(
            request,
            acceptance.decide_acceptance,
            done=_("The acceptance decision was recorded."),
            project=project,
            decision=form.cleaned_data["decision"],
            reasons=form.cleaned_data["reasons"],
        )
    return redirect("projects:acceptance_detail", pk=project.pk)


LIST_RIGHTS = (
    supervision.ASSIGN,
    supervision.ACT,
    supervision.FIX,
    acceptance.APPLY,
    acceptance.DECIDE,
)


@login_required
def acceptance_list(request):
    """Projects in supervision or acceptance, filtered by the to-do that led here."""
    if not any(request.user.has_right(right) for right in LIST_RIGHTS):
        raise PermissionDenied
    qs = Project.objects.visible_to(request.user).exclude(status__in=(PS.DRAFT, PS.SUBMITTED, PS.RETURNED))
    todo = request.GET.get("todo", "")
    if todo in FOLLOW_UPS:
        qs = FOLLOW_UPS[todo](qs, request.user)
    qs = qs.select_related("enterprise", "provider", "supervision__expert").order_by("-created_at", "-id")
    page = BoundedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "todo": todo, "query": page_query(request)}
    return render(request, "projects/acceptance_list.html", context)
