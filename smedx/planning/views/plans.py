"""Pages of implementation plans (实施方案): their targets and progress."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smedx.accounts import people
from smedx.core import uploads
from smedx.core.access import get_visible, require_right
from smedx.core.actions import run_form_service, run_service
from smedx.enterprises.reference import industry_name
from smedx.planning import metrics
from smedx.planning.forms.plans import PlanForm, TargetFormSet, target_rows
from smedx.planning.models import Plan
from smedx.planning.services import plans as services

PLAN_VIEW, PLAN = "planning.plan:view", "planning.plan:manage"


@login_required
def plan_list(request):
    require_right(request.user, PLAN_VIEW)
    plans = Plan.objects.visible_to(request.user).select_related("region", "authority")
    return render(request, "planning/plan_list.html", {"plans": plans})


@login_required
def plan_detail(request, pk):
    plan = get_visible(Plan.objects.select_related("region", "authority"), request.user, pk=pk)
    rows = [(p, industry_name(p.target.division)) for p in metrics.plan_progress(plan)]
    own = people.acts_for(request.user, plan.authority_id, PLAN)
    return render(request, "planning/plan_detail.html", {"plan": plan, "rows": rows, "own": own})


def _plan_form(request, plan=None):
    initial = None
    if plan is not None:
        initial_form = {f: getattr(plan, f) for f in ("title", "summary", "period_start", "period_end")}
        initial = [
            {k: getattr(t, k) for k in ("division", "metric", "level", "value", "due_date")}
            for t in plan.targets.all()
        ]
    else:
        initial_form = None
    form = PlanForm(request.POST or None, request.FILES or None, initial=initial_form)
    # A posted row is judged on its own (not against the stored target), so clearing a row removes it.
    if request.method == "POST":
        formset = TargetFormSet(request.POST, prefix="targets")
    else:
        formset = TargetFormSet(initial=initial, prefix="targets")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        saved = run_form_service(
            request,
            form,
            services.save_plan,
            done=_("Plan saved."),
            data=form.cleaned_data,
            targets=target_rows(formset),
            document=form.cleaned_data["document"],
            plan=plan,
        )
        if saved is not None:
            return redirect("planning:plan_detail", pk=saved.pk)
    return render(request, "planning/plan_form.html", {"form": form, "formset": formset, "plan": plan})


@login_required
def plan_create(request):
    require_right(request.user, PLAN)
    return _plan_form(request)


def _own_plan(request, pk):
    plan = get_visible(Plan, request.user, pk=pk, right=PLAN)
    if not people.acts_for(request.user, plan.authority_id):
        raise Http404
    return plan


@login_required
def plan_edit(request, pk):
    plan = _own_plan(request, pk)
    if plan.status != Plan.Status.DRAFT:
        messages.info(request, _("A published plan is kept as it was."))
        return redirect("planning:plan_detail", pk=plan.pk)
    return _plan_form(request, plan)


@login_required
@require_POST
def plan_publish(request, pk):
    plan = _own_plan(request, pk)
    run_service(request, services.publish_plan, done=_("Plan published."), plan=plan)
    return redirect("planning:plan_detail", pk=plan.pk)


@login_required
def plan_document(request, pk):
    plan = get_visible(Plan, request.user, pk=pk)
    return uploads.download(plan.document, filename=plan.document_name)
