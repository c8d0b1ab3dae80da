"""Pages of implementation plans (实施方案): their targets and progress."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smedx.accounts import people
from smedx.assessments.levels import level_label
from smedx.core import uploads
from smedx.core.access import get_visible, require_right
from smedx.core.actions import run_form_service, run_service
from smedx.enterprises.models import Enterprise
from smedx.enterprises.reference import industry_name
from smedx.planning import metrics
from smedx.planning.forms.plans import PlanForm, TargetFormSet, target_rows
from smedx.planning.models import Plan, Target
from smedx.planning.services import plans as services

PLAN_VIEW, PLAN = "planning.plan:view", "planning.plan:manage"


def _number(value) -> str:
    """60.0 → '60', 35.5 → '35.5'."""
    return format(Decimal(value).normalize(), "f")


def _list_link(target, text, **filters) -> str:
    """`text` linked to the enterprise list filtered to what the figure counts."""
    query = {"status": Enterprise.Status.ACTIVE, **filters}
    if target.plan.region.parent_id is not None:
        query["region"] = target.plan.region_id
    if target.division:
        query["division"] = target.division
    return format_html('<a href="{}?{}">{}</a>', reverse("enterprises:list"), urlencode(query), text)


def target_sentence(p) -> str:
    """The target as a sentence with its figures, each figure linked to the enterprises it counts, e.g.
    '到 2026-12-31，规上企业中达到三级及以上的占比达到 60%：现为 35%（7/20）'."""
    target = p.target
    figures = {
        "due": target.due_date.isoformat(),
        "value": _number(target.value),
        "level": level_label(target.level),
    }
    if target.metric == Target.Metric.TRANSFORMED:
        hits = _list_link(target, p.hits, transformed=1)
        text = _("By {due}, {value} enterprises have transformed: now {hits}")
        return format_html(text, hits=hits, **figures)
    hits = _list_link(
        target, p.hits, plan_level=target.level or 0, **({"above_scale": 1} if target.is_share else {})
    )
    if target.metric == Target.Metric.AT_LEVEL:
        text = _("By {due}, {value} enterprises reach {level} or above: now {hits}")
        return format_html(text, hits=hits, **figures)
    base = _list_link(target, p.base, above_scale=1)
    text = _(
        "By {due}, the share of 规上 enterprises at {level} or above reaches {value}%: now {current}% ({hits}/{base})"
    )
    return format_html(text, hits=hits, base=base, current=_number(p.current), **figures)


@login_required
def plan_list(request):
    require_right(request.user, PLAN_VIEW)
    plans = Plan.objects.visible_to(request.user).select_related("region", "authority")
    return render(request, "planning/plan_list.html", {"plans": plans})


@login_required
def plan_detail(request, pk):
    plan = get_visible(Plan.objects.select_related("region", "authority"), request.user, pk=pk)
    rows = [(p, industry_name(p.target.division), target_sentence(p)) for p in metrics.plan_progress(plan)]
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
