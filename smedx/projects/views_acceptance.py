"""Pages of stage 4's supervision (监理) and acceptance (验收), and their workbench to-dos."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smedx.assessments.levels import level_label
from smedx.core.access import get_visible
from smedx.core.audit import client_ip
from smedx.core.errors import DomainError
from smedx.core.todos import Todo
from smedx.projects import forms_acceptance as forms
from smedx.projects import services_acceptance as acceptance
from smedx.projects import services_supervision as supervision
from smedx.projects.models import (
    AcceptanceApplication,
    Project,
    Rectification,
    SupervisionAssignment,
)
from smedx.projects.services import is_enterprise_member, is_provider_member

PS = Project.Status
PAGE_SIZE = 25


def _project(user, pk) -> Project:
    return get_visible(Project.objects.select_related("enterprise__region", "provider"), user, pk=pk)


def _refused(request, exc):
    messages.error(request, str(exc))


def _form_errors(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


# --- supervision ----------------------------------------------------------------------------------------


@login_required
def supervision_page(request, pk):
    project = _project(request.user, pk)
    user = request.user
    assignment = SupervisionAssignment.objects.filter(project=project).select_related("expert").first()
    is_supervisor = assignment is not None and supervision.is_supervisor(user, project)
    active = project.status in supervision.SUPERVISED
    context = {
        "project": project,
        "assignment": assignment,
        "visits": project.supervision_visits.select_related("expert"),
        "rectifications": project.rectifications.select_related("issued_by", "closed_by"),
        "assign_form": forms.AssignForm()
        if active and not assignment and user.has_right(supervision.ASSIGN)
        else None,
        "is_supervisor": is_supervisor and active,
        "visit_form": forms.VisitForm(),
        "rectification_form": forms.RectificationForm(),
        "can_fix": is_provider_member(user, project.provider, supervision.FIX),
    }
    return render(request, "projects/supervision_page.html", context)


def _supervision_action(request, pk, form_class, call, done):
    project = _project(request.user, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            call(project=project, actor=request.user, ip=client_ip(request), **form.cleaned_data)
        except DomainError as exc:
            _refused(request, exc)
        else:
            messages.success(request, done)
    return redirect("projects:supervision", pk=project.pk)


@login_required
@require_POST
def supervision_assign(request, pk):
    if not request.user.has_right(supervision.ASSIGN):
        raise PermissionDenied
    return _supervision_action(
        request,
        pk,
        forms.AssignForm,
        supervision.assign_supervisor,
        _("The supervising expert was assigned."),
    )


@login_required
@require_POST
def supervision_visit(request, pk):
    return _supervision_action(
        request, pk, forms.VisitForm, supervision.record_supervision_visit, _("The visit was recorded.")
    )


@login_required
@require_POST
def rectification_issue(request, pk):
    return _supervision_action(
        request,
        pk,
        forms.RectificationForm,
        supervision.issue_rectification,
        _("The rectification was issued."),
    )


def _rectification(user, pk) -> Rectification:
    """A rectification of a project the user sees; 404 otherwise."""
    found = (
        Rectification.objects.filter(project__in=Project.objects.visible_to(user), pk=pk)
        .select_related("project__provider", "project__enterprise")
        .first()
    )
    if found is None:
        raise Http404
    return found


@login_required
@require_POST
def rectification_fix(request, pk):
    rectification = _rectification(request.user, pk)
    form = forms.FixForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            supervision.mark_rectification_fixed(
                rectification=rectification,
                actor=request.user,
                note=form.cleaned_data["note"],
                ip=client_ip(request),
            )
        except DomainError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("The rectification was marked fixed."))
    return redirect("projects:supervision", pk=rectification.project_id)


@login_required
@require_POST
def rectification_close(request, pk):
    rectification = _rectification(request.user, pk)
    try:
        supervision.close_rectification(
            rectification=rectification, actor=request.user, ip=client_ip(request)
        )
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The rectification was closed."))
    return redirect("projects:supervision", pk=rectification.project_id)


# --- acceptance -----------------------------------------------------------------------------------------


def _own_project(user, pk) -> Project:
    project = _project(user, pk)
    if not is_enterprise_member(user, project.enterprise, acceptance.APPLY):
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
        try:
            acceptance.apply_for_acceptance(
                project=project,
                actor=request.user,
                before=data["before"],
                after=data["after"],
                rating=form.rating(),
                declared=data["declared"],
                ip=client_ip(request),
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your application for acceptance was sent to the experts."))
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
        _form_errors(request, form)
    else:
        try:
            acceptance.upload_acceptance_file(
                project=project,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                file=form.cleaned_data["file"],
                ip=client_ip(request),
            )
        except DomainError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("The document was added."))
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
        "can_apply": is_enterprise_member(request.user, project.enterprise, acceptance.APPLY)
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
    try:
        verification = acceptance.start_acceptance_verification(
            project=project, actor=request.user, ip=client_ip(request)
        )
    except DomainError as exc:
        _refused(request, exc)
        return redirect("projects:acceptance_detail", pk=project.pk)
    messages.success(request, _("The on-site verification of the after-assessment has started."))
    return redirect("assessments:diagnosis_detail", pk=verification.diagnosis_request.pk)


@login_required
@require_POST
def acceptance_decide(request, pk):
    project = _project(request.user, pk)
    if not acceptance.may_decide(request.user):
        raise PermissionDenied
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            acceptance.decide_acceptance(
                project=project,
                actor=request.user,
                decision=form.cleaned_data["decision"],
                reasons=form.cleaned_data["reasons"],
                ip=client_ip(request),
            )
        except DomainError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("The acceptance decision was recorded."))
    return redirect("projects:acceptance_detail", pk=project.pk)


# --- the follow-up list and the to-dos -------------------------------------------------------------------

FOLLOW_UPS = {
    "assign": lambda qs, user: qs.filter(status__in=supervision.SUPERVISED).exclude(
        Exists(SupervisionAssignment.objects.filter(project=OuterRef("pk")))
    ),
    "decide": lambda qs, user: qs.filter(status=PS.ACCEPTANCE_APPLIED),
    "close": lambda qs, user: qs.filter(
        Exists(Rectification.objects.filter(project=OuterRef("pk"), status=Rectification.Status.FIXED)),
        supervision__expert=user,
    ),
    "fix": lambda qs, user: qs.filter(
        Exists(Rectification.objects.filter(project=OuterRef("pk"), status=Rectification.Status.OPEN))
    ),
    "apply": lambda qs, user: qs.filter(status__in=(PS.COMPLETED, PS.RECTIFY)),
}
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
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in request.GET.items() if k != "page"})
    return render(request, "projects/acceptance_list.html", {"page": page, "todo": todo, "query": query})


def _list(todo) -> str:
    return reverse("projects:acceptance_list") + "?" + urlencode({"todo": todo})


def _count(user, todo) -> int:
    return FOLLOW_UPS[todo](Project.objects.visible_to(user), user).count()


def acceptance_todos(user) -> list[Todo]:
    if not user.is_authenticated:
        return []
    todos = []
    if user.has_right(supervision.ASSIGN):
        todos.append(
            Todo(_("Projects awaiting a supervising expert"), _list("assign"), _count(user, "assign"))
        )
    if user.has_right(acceptance.DECIDE):
        todos.append(Todo(_("Acceptance applications to decide"), _list("decide"), _count(user, "decide")))
    if user.has_right(supervision.ACT):
        todos.append(Todo(_("Fixed rectifications to close"), _list("close"), _count(user, "close")))
    if user.has_right(supervision.FIX):
        todos.append(Todo(_("Open rectifications to fix"), _list("fix"), _count(user, "fix")))
    if user.has_right(acceptance.APPLY):
        todos.extend(_apply_todos(user))
    return todos


def _apply_todos(user) -> list[Todo]:
    projects = FOLLOW_UPS["apply"](Project.objects.visible_to(user), user).order_by("completed_at")[:5]
    out = []
    for project in projects:
        deadline = acceptance.deadline_of(project)
        title = _("Apply for the acceptance of %(project)s") % {"project": project}
        if deadline is not None and project.status == PS.COMPLETED:
            title = _("Apply for the acceptance of %(project)s by %(date)s") % {
                "project": project,
                "date": deadline.isoformat(),
            }
        out.append(Todo(title, reverse("projects:acceptance_apply", args=[project.pk])))
    return out


urlpatterns = [
    path("delivery/", acceptance_list, name="acceptance_list"),
    path("delivery/<int:pk>/supervision/", supervision_page, name="supervision"),
    path("delivery/<int:pk>/supervision/assign/", supervision_assign, name="supervision_assign"),
    path("delivery/<int:pk>/supervision/visit/", supervision_visit, name="supervision_visit"),
    path("delivery/<int:pk>/rectifications/new/", rectification_issue, name="rectification_issue"),
    path("rectifications/<int:pk>/fix/", rectification_fix, name="rectification_fix"),
    path("rectifications/<int:pk>/close/", rectification_close, name="rectification_close"),
    path("delivery/<int:pk>/acceptance/", acceptance_detail, name="acceptance_detail"),
    path("delivery/<int:pk>/acceptance/apply/", acceptance_apply, name="acceptance_apply"),
    path("delivery/<int:pk>/acceptance/upload/", acceptance_upload, name="acceptance_upload"),
    path("delivery/<int:pk>/acceptance/verify/", acceptance_verify, name="acceptance_verify"),
    path("delivery/<int:pk>/acceptance/decide/", acceptance_decide, name="acceptance_decide"),
]
