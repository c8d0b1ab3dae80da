"""The catalogue: the public pages (no login) of solutions and listed providers, and a provider's
own solutions (write, publish, withdraw)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smedx.accounts import people
from smedx.core.access import get_visible, require_right
from smedx.core.actions import run_form_service, run_service
from smedx.core.paging import BoundedPaginator, page_query
from smedx.providers.forms.catalogue import CatalogueFilterForm, SolutionForm
from smedx.providers.models import EDIT_SOLUTION, ProviderProfile, Solution
from smedx.providers.search import apply_filters, catalogue_queryset
from smedx.providers.services import catalogue as services
from smedx.providers.services.application import profile_of

PAGE_SIZE = 20


def catalogue(request):
    form = CatalogueFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    page = BoundedPaginator(apply_filters(catalogue_queryset(), data), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "providers/catalogue.html", {"form": form, "page": page, "query": page_query(request)}
    )


def solution_detail(request, pk):
    solution = get_visible(
        Solution.objects.select_related("provider__organisation").prefetch_related("scenes"),
        request.user,
        pk=pk,
    )
    own = people.acts_for(request.user, solution.provider.organisation_id)
    references = solution.references.all() if own else solution.references.none()
    return render(
        request,
        "providers/solution_detail.html",
        {
            "solution": solution,
            "own": own,
            "references": references,
            "reference_count": solution.references.count(),
            "listed": solution.provider.is_public,
        },
    )


def provider_detail(request, pk):
    profile = get_visible(
        ProviderProfile.objects.public().select_related("organisation"), request.user, pk=pk
    )
    return render(
        request,
        "providers/provider_detail.html",
        {
            "profile": profile,
            "certificates": profile.certificates.all(),
            "solutions": profile.solutions.filter(status=Solution.Status.PUBLISHED).prefetch_related(
                "scenes"
            ),
            "regions": profile.regions.all(),
            "confirmed": profile.references.filter(confirmation="confirmed").count(),
            "references": profile.references.count(),
        },
    )


# --- the provider's own solutions ----------------------------------------------------------------


@login_required
def solution_create(request):
    require_right(request.user, EDIT_SOLUTION)
    profile = profile_of(request.user.organisation)
    if profile is None:
        messages.info(request, _("Fill in your profile first."))
        return redirect("providers:profile_edit")
    return _solution_form(request, profile, None)


@login_required
def solution_edit(request, pk):
    solution = get_visible(Solution, request.user, pk=pk, right=EDIT_SOLUTION)
    profile = profile_of(request.user.organisation)
    if profile is None or solution.provider_id != profile.pk:
        raise Http404
    return _solution_form(request, profile, solution)


def _solution_form(request, profile, solution):
    form = SolutionForm(request.POST or None, instance=solution, profile=profile)
    if request.method == "POST" and form.is_valid():
        saved = run_form_service(
            request,
            form,
            services.save_solution,
            done=_("Solution saved."),
            profile=profile,
            data=form.facts(),
            scene_rows=form.scene_rows,
            references=list(form.cleaned_data["references"]),
            solution=solution,
        )
        if saved is not None:
            return redirect("providers:solution_detail", pk=saved.pk)
    return render(
        request, "providers/solution_form.html", {"form": form, "solution": solution, "profile": profile}
    )


def _solution_step(request, pk, step, done):
    solution = get_visible(Solution, request.user, pk=pk, right=EDIT_SOLUTION)
    run_service(request, step, done=done, solution=solution)
    return redirect("providers:solution_detail", pk=solution.pk)


@login_required
@require_POST
def solution_publish(request, pk):
    return _solution_step(request, pk, services.publish_solution, _("Solution published."))


@login_required
@require_POST
def solution_withdraw(request, pk):
    return _solution_step(request, pk, services.withdraw_solution, _("Solution withdrawn."))
