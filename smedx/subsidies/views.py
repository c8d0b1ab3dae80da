"""Stage 5's pages: the policies a person may see, one policy with what it asks, and publishing it."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smedx.core.access import get_visible, require_right
from smedx.core.actions import run_form_service, run_service
from smedx.subsidies import eligibility, services
from smedx.subsidies.forms import PolicyForm
from smedx.subsidies.models import Policy, PolicyEligibility

VIEW = "subsidies.policy:view"
MANAGE = "subsidies.policy:manage"


def _enterprise(user):
    org = user.organisation
    return getattr(org, "enterprise", None) if org is not None else None


@login_required
def policy_list(request):
    require_right(request.user, VIEW)
    policies = Policy.objects.visible_to(request.user).select_related("region", "issuer")
    enterprise = _enterprise(request.user)
    eligible = set()
    if enterprise is not None:
        eligible = set(
            PolicyEligibility.objects.filter(enterprise=enterprise).values_list("policy_id", flat=True)
        )
    context = {
        "policies": policies[:200],
        "enterprise": enterprise,
        "eligible": eligible,
        "may_create": request.user.has_right(MANAGE),
    }
    return render(request, "subsidies/policy_list.html", context)


@login_required
def policy_create(request):
    """A draft policy of the officer's authority: the city's, or its district's."""
    require_right(request.user, MANAGE)
    scope = request.user.organisation.region
    form = PolicyForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        policy = run_form_service(
            request,
            form,
            services.create_policy,
            done=_("Policy drafted. Check it, then publish it."),
            region=scope,
            data=form.terms(scope),
            conditions=form.conditions(),
        )
        if policy is not None:
            return redirect("subsidies:policy_detail", pk=policy.pk)
    return render(request, "subsidies/policy_form.html", {"form": form, "scope": scope})


@login_required
def policy_detail(request, pk):
    policy = get_visible(Policy.objects.select_related("region", "issuer"), request.user, pk=pk, right=VIEW)
    enterprise = _enterprise(request.user)
    context = {"policy": policy, "conditions": eligibility.describe(policy), "enterprise": enterprise}
    if enterprise is not None:
        checks = eligibility.check(policy, enterprise)
        base = eligibility.base_amount(enterprise)
        context.update(
            checks=checks,
            qualifies=all(check.met for check in checks),
            base=base,
            estimate=eligibility.estimate(policy, base),
        )
    context["may_publish"] = (
        policy.is_draft
        and request.user.has_right(MANAGE)
        and getattr(request.user.organisation, "pk", None) == policy.issuer_id
    )
    return render(request, "subsidies/policy_detail.html", context)


@login_required
@require_POST
def policy_publish(request, pk):
    policy = get_visible(Policy, request.user, pk=pk, right=MANAGE)

    def done(published):
        message = _("Published: %(n)s enterprises meet its conditions and were told.")
        return message % {"n": published.eligible_count}

    run_service(request, services.publish_policy, done=done, policy=policy)
    return redirect("subsidies:policy_detail", pk=policy.pk)
