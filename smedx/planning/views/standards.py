"""Pages of classification standards: tiers, the preview, application and versions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smedx.accounts import people
from smedx.core.access import get_visible, require_right
from smedx.core.audit import client_ip
from smedx.core.errors import DomainError
from smedx.planning import metrics, rules
from smedx.planning.forms.standards import StandardForm, TierForm
from smedx.planning.hooks import latest_applications
from smedx.planning.models import Application, Standard, Tier
from smedx.planning.services import standards as services

STANDARD = "planning.standard:manage"


@login_required
def standard_list(request):
    require_right(request.user, STANDARD)
    standards = Standard.objects.visible_to(request.user).select_related("region", "authority")
    current = set(latest_applications().values_list("standard_id", flat=True))
    return render(request, "planning/standard_list.html", {"standards": standards, "current": current})


@login_required
def standard_create(request):
    require_right(request.user, STANDARD)
    form = StandardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            standard = services.create_standard(
                actor=request.user, name=form.cleaned_data["name"], ip=client_ip(request)
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Standard created. Now add its tiers."))
            return redirect("planning:standard_detail", pk=standard.pk)
    return render(request, "planning/standard_form.html", {"form": form})


def _standard(request, pk):
    return get_visible(Standard.objects.select_related("region", "authority"), request.user, pk=pk)


def _tier_rows(standard, tiers):
    counts = metrics.tier_preview(standard.region, tiers)
    rows = [(tier, rules.describe(tier.rule), counts.get(tier.pk, 0)) for tier in tiers]
    return rows, counts.get(None, 0)


@login_required
def standard_detail(request, pk):
    standard = _standard(request, pk)
    tiers = list(standard.tiers.all())
    rows, unmatched = _tier_rows(standard, tiers)
    applications = standard.applications.select_related("applied_by")
    latest = latest_applications().filter(region_id=standard.region_id).first()
    context = {
        "standard": standard,
        "rows": rows,
        "unmatched": unmatched,
        "applications": applications,
        "is_current": latest is not None and latest.standard_id == standard.pk,
        "own": people.acts_for(request.user, standard.authority_id),
        "enterprise_list": reverse("enterprises:list"),
    }
    return render(request, "planning/standard_detail.html", context)


def _own_standard(request, pk):
    standard = _standard(request, pk)
    if not people.acts_for(request.user, standard.authority_id):
        raise Http404
    return standard


@login_required
def standard_edit(request, pk):
    standard = _own_standard(request, pk)
    form = StandardForm(request.POST or None, initial={"name": standard.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.rename_standard(
                standard=standard, actor=request.user, name=form.cleaned_data["name"], ip=client_ip(request)
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Changes saved."))
            return redirect("planning:standard_detail", pk=standard.pk)
    return render(request, "planning/standard_form.html", {"form": form, "standard": standard})


def _tier_form(request, standard, tier=None):
    form = TierForm(request.POST or None, standard=standard, tier=tier)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_tier(
                standard=standard, actor=request.user, data=form.tier_data(), tier=tier, ip=client_ip(request)
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Tier saved."))
            return redirect("planning:standard_detail", pk=standard.pk)
    return render(request, "planning/tier_form.html", {"form": form, "standard": standard, "tier": tier})


@login_required
def tier_create(request, pk):
    return _tier_form(request, _own_standard(request, pk))


def _own_tier(request, pk):
    tier = Tier.objects.filter(pk=pk).first()
    if tier is None:
        raise Http404
    return tier, _own_standard(request, tier.standard_id)


@login_required
def tier_edit(request, pk):
    tier, standard = _own_tier(request, pk)
    return _tier_form(request, standard, tier)


@login_required
@require_POST
def tier_delete(request, pk):
    tier, standard = _own_tier(request, pk)
    try:
        services.delete_tier(tier=tier, actor=request.user, ip=client_ip(request))
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Tier deleted."))
    return redirect("planning:standard_detail", pk=standard.pk)


@login_required
def standard_apply(request, pk):
    """GET: the preview to confirm; POST: classify the region's enterprises."""
    standard = _own_standard(request, pk)
    if request.method == "POST":
        try:
            application = services.apply_standard(
                standard=standard, actor=request.user, ip=client_ip(request)
            )
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            total = sum(application.counts.values())
            messages.success(request, _("Standard applied: %(n)s enterprises classified.") % {"n": total})
        return redirect("planning:standard_detail", pk=standard.pk)
    rows, unmatched = _tier_rows(standard, list(standard.tiers.all()))
    context = {"standard": standard, "rows": rows, "unmatched": unmatched}
    return render(request, "planning/standard_apply.html", context)


@login_required
@require_POST
def standard_new_version(request, pk):
    standard = _own_standard(request, pk)
    try:
        draft = services.new_standard_version(standard=standard, actor=request.user, ip=client_ip(request))
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("planning:standard_detail", pk=standard.pk)
    messages.success(request, _("New version drafted."))
    return redirect("planning:standard_detail", pk=draft.pk)


@login_required
def application_detail(request, pk):
    """One past application: how many enterprises fell in each tier then."""
    application = Application.objects.select_related("standard", "applied_by").filter(pk=pk).first()
    if application is None:
        raise Http404
    standard = _standard(request, application.standard_id)
    tiers = {tier.pk: tier for tier in standard.tiers.all()}
    rows = [(tiers.get(int(tier_id)), n) for tier_id, n in application.counts.items()]
    return render(
        request,
        "planning/application_detail.html",
        {"application": application, "standard": standard, "rows": rows},
    )
