"""The public catalogue (no login): solutions, one solution, one listed provider."""

from django.core.paginator import Paginator
from django.shortcuts import render

from smedx.accounts import people
from smedx.core.access import get_visible
from smedx.providers.catalogue import apply_filters, catalogue_queryset
from smedx.providers.forms import CatalogueFilterForm
from smedx.providers.models import ProviderProfile, Solution

PAGE_SIZE = 20


def catalogue(request):
    form = CatalogueFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    page = Paginator(apply_filters(catalogue_queryset(), data), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "providers/catalogue.html", {"form": form, "page": page, "query": query.urlencode()}
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
