"""Pages of stage 4's supervision (监理): the supervising expert, visits and rectifications."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smedx.accounts import people
from smedx.core.access import get_visible
from smedx.core.actions import form_errors, run_service
from smedx.projects.forms import supervision as forms
from smedx.projects.models import Project, Rectification, SupervisionAssignment
from smedx.projects.services import supervision


def _project(user, pk) -> Project:
    return get_visible(Project.objects.select_related("enterprise__region", "provider"), user, pk=pk)


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
        "can_fix": people.acts_for(user, project.provider_id, supervision.FIX),
    }
    return render(request, "projects/supervision_page.html", context)


def _supervision_action(request, pk, form_class, call, done):
    project = _project(request.user, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        form_errors(request, form)
    else:
        run_service(request, call, done=done, project=project, **form.cleaned_data)
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
        form_errors(request, form)
    else:
        run_service(
            request,
            supervision.mark_rectification_fixed,
            done=_("The rectification was marked fixed."),
            rectification=rectification,
            note=form.cleaned_data["note"],
        )
    return redirect("projects:supervision", pk=rectification.project_id)


@login_required
@require_POST
def rectification_close(request, pk):
    rectification = _rectification(request.user, pk)
    run_service(
        request,
        supervision.close_rectification,
        done=_("The rectification was closed."),
        rectification=rectification,
    )
    return redirect("projects:supervision", pk=rectification.project_id)
