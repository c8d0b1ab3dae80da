"""The case files: list, export, detail, filing and editing, the enterprise's own sign-up and its review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smedx.accounts.forms import ReviewForm
from smedx.accounts.models import Membership, Organisation
from smedx.core import history
from smedx.core.access import get_visible, require_right
from smedx.core.actions import run_form_service, run_service
from smedx.core.audit import client_ip
from smedx.core.errors import DomainError
from smedx.core.models import AuditEntry
from smedx.core.paging import BoundedPaginator, page_query
from smedx.core.views import export_response
from smedx.enterprises import exports
from smedx.enterprises.forms.casefile import (
    EnterpriseFilterForm,
    EnterpriseForm,
    EnterpriseSelfForm,
    EnterpriseSignUpForm,
)
from smedx.enterprises.journey import journey
from smedx.enterprises.models import Enterprise
from smedx.enterprises.services import casefile as services

PAGE_SIZE = 25


def _filtered(request):
    form = EnterpriseFilterForm(request.GET or None, user=request.user)
    qs = form.apply(Enterprise.objects.visible_to(request.user))
    return form, qs


@login_required
def enterprise_list(request):
    require_right(request.user, "enterprises.enterprise:list")
    form, qs = _filtered(request)
    page = BoundedPaginator(qs.select_related("region").prefetch_related("tags"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "enterprises/enterprise_list.html",
        {"form": form, "page": page, "query": page_query(request)},
    )


@login_required
@require_POST
def enterprise_export(request):
    """The list's filters come in the query string; the file at once, or the export's progress page."""
    require_right(request.user, exports.RIGHT)
    return export_response(request, exports.KIND.name)


@login_required
def enterprise_detail(request, pk):
    enterprise = get_visible(Enterprise.objects.select_related("region", "organisation"), request.user, pk=pk)
    members = (
        Membership.objects.filter(organisation_id=enterprise.organisation_id).select_related("user")
        if enterprise.organisation_id
        else []
    )
    trail = history.lines(
        AuditEntry.objects.filter(enterprise_id=enterprise.pk).select_related("actor", "organisation")[:50]
    )
    return render(
        request,
        "enterprises/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "journey": journey(enterprise),
            "members": members,
            "trail": trail,
            "review_form": ReviewForm() if enterprise.awaits_review() else None,
        },
    )


@login_required
def enterprise_create(request):
    require_right(request.user, "enterprises.enterprise:create")
    form = EnterpriseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        enterprise = run_form_service(
            request,
            form,
            services.create_enterprise,
            done=_("Case file created."),
            warnings=form.warnings,
            data=form.facts(),
            tags=form.cleaned_data["tags"],
        )
        if enterprise is not None:
            return redirect("enterprises:detail", pk=enterprise.pk)
    return render(request, "enterprises/enterprise_form.html", {"form": form, "creating": True})


@login_required
def enterprise_edit(request, pk):
    enterprise = get_visible(Enterprise, request.user, pk=pk, right="enterprises.enterprise:change")
    own = request.user.organisation.kind == Organisation.Kind.ENTERPRISE
    form_class = EnterpriseSelfForm if own else EnterpriseForm
    initial = {"version": enterprise.version}
    form = form_class(request.POST or None, instance=enterprise, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = run_form_service(
            request,
            form,
            services.update_enterprise,
            done=_("Changes saved."),
            warnings=form.warnings,
            enterprise=enterprise,
            data=form.facts(),
            version=form.cleaned_data.get("version") or 0,
            tags=None if own else form.cleaned_data["tags"],
        )
        if saved is not None:
            return redirect("enterprises:detail", pk=enterprise.pk)
    return render(request, "enterprises/enterprise_form.html", {"form": form, "enterprise": enterprise})


def enterprise_signup(request):
    form = EnterpriseSignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_up_enterprise(data=form.facts(), admin=form.admin_fields(), ip=client_ip(request))
        except DomainError as exc:
            form.add_error("credit_code", str(exc))
        else:
            for warning in form.warnings:
                messages.warning(request, warning)
            messages.success(
                request,
                _("Registration received. Your district authority will review it; log in to follow it."),
            )
            return redirect("login")
    return render(request, "enterprises/enterprise_signup.html", {"form": form})


@login_required
def enterprise_review(request, pk):
    enterprise = get_visible(
        Enterprise.objects.select_related("organisation"),
        request.user,
        pk=pk,
        right="enterprises.enterprise:approve",
    )
    if not enterprise.awaits_review():
        messages.info(request, _("This registration has already been decided."))
        return redirect("enterprises:detail", pk=enterprise.pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        run_service(
            request,
            services.review_enterprise,
            done=_("Decision saved."),
            enterprise=enterprise,
            approve=form.cleaned_data["decision"] == "approve",
            comment=form.cleaned_data["comment"],
        )
        return redirect("enterprises:detail", pk=enterprise.pk)
    return render(request, "enterprises/enterprise_review.html", {"enterprise": enterprise, "form": form})
