"""Pages of classification standards: tiers, the preview, application and versions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh

from smedx.accounts import people
from smedx.core.access import get_visible, require_right
from smedx.core.actions import form_errors, run_form_service, run_service
from smedx.planning import metrics, rules, tasks
from smedx.planning.forms.standards import ApplyForm, StandardForm, TierForm
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
        done = _("Standard created. Now add its tiers.")
        standard = run_form_service(
            request, form, services.create_standard, done=done, name=form.cleaned_data["name"]
        )
        if standard is not None:
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
        renamed = run_form_service(
            request,
            form,
            services.rename_standard,
            done=_("Changes saved."),
            standard=standard,
            name=form.cleaned_data["name"],
        )
        if renamed is not None:
            return redirect("planning:standard_detail", pk=standard.pk)
    return render(request, "planning/standard_form.html", {"form": form, "standard": standard})


def _tier_form(request, standard, tier=None):
    form = TierForm(request.POST or None, standard=standard, tier=tier)
    if request.method == "POST" and form.is_valid():
        saved = run_form_service(
            request,
            form,
            services.save_tier,
            done=_("Tier saved."),
            standard=standard,
            data=form.tier_data(),
            tier=tier,
        )
        if saved is not None:
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
    run_service(request, services.delete_tier, done=_("Tier deleted."), tier=tier)
    return redirect("planning:standard_detail", pk=standard.pk)


def _tell(request, application):
    if application.is_done:
        messages.success(
            request,
            _("Standard applied: %(n)s enterprises classified.") % {"n": application.enterprises},
        )
    elif application.has_failed:
        messages.error(request, application.error)
    else:
        messages.info(request, _("The enterprises are being classified in the background."))


@login_required
def standard_apply(request, pk):
    """GET: the preview to confirm; POST: queue the classification of the region's enterprises."""
    standard = _own_standard(request, pk)
    if request.method == "POST":
        form = ApplyForm(request.POST)
        if not form.is_valid():
            form_errors(request, form)
            return redirect("planning:standard_apply", pk=standard.pk)
        seen = form.cleaned_data["seen"]
        application = run_service(request, tasks.run_application, done=None, standard=standard, seen=seen)
        if application is None:
            return redirect("planning:standard_detail", pk=standard.pk)
        _tell(request, application)
        return redirect("planning:application_detail", pk=application.pk)
    rows, unmatched = _tier_rows(standard, list(standard.tiers.all()))
    latest = standard.applications.first()
    form = ApplyForm(initial={"seen": latest.pk if latest else 0})
    context = {"standard": standard, "rows": rows, "unmatched": unmatched, "form": form}
    return render(request, "planning/standard_apply.html", context)


@login_required
@require_POST
def standard_new_version(request, pk):
    standard = _own_standard(request, pk)
    draft = run_service(
        request, services.new_standard_version, done=_("New version drafted."), standard=standard
    )
    return redirect("planning:standard_detail", pk=(draft or standard).pk)


@login_required
@require_GET
def application_detail(request, pk):
    """One application: its progress while the worker classifies, then how many fell in each tier."""
    application = Application.objects.select_related("standard", "applied_by").filter(pk=pk).first()
    if application is None:
        raise Http404
    standard = _standard(request, application.standard_id)
    if request.htmx:
        # The status polls this; once the worker is done, reload the page to show the counts.
        if not application.is_running:
            return HttpResponseClientRefresh()
        return render(request, "planning/_application_status.html", {"application": application})
    tiers = {tier.pk: tier for tier in standard.tiers.all()}
    rows = [(tiers.get(int(tier_id)), n) for tier_id, n in application.counts.items()]
    return render(
        request,
        "planning/application_detail.html",
        {"application": application, "standard": standard, "rows": rows},
    )
