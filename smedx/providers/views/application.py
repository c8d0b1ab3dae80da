"""The provider's own pool page: profile, certificates, references, solutions, history, submission."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smedx.accounts import people
from smedx.core import uploads
from smedx.core.access import get_visible, require_right
from smedx.core.actions import run_service
from smedx.core.audit import client_ip
from smedx.core.errors import DomainError
from smedx.providers import services, services_catalogue
from smedx.providers.forms import (
    AnswerForm,
    CertificateForm,
    ProfileForm,
    ReferenceForm,
    SolutionForm,
)
from smedx.providers.models import (
    DECIDE,
    EDIT_PROFILE,
    EDIT_SOLUTION,
    REVIEW,
    ProviderCertificate,
    ProviderProfile,
    ProviderReference,
    Solution,
)


def _page(form, title) -> dict:
    return {"form": form, "title": title, "back": "providers:pool", "back_label": _("Provider pool")}


def _own_profile(request) -> ProviderProfile | None:
    require_right(request.user, EDIT_PROFILE)
    return services.profile_of(request.user.organisation)


def _profile_or_redirect(request):
    profile = _own_profile(request)
    if profile is None:
        messages.info(request, _("Fill in your profile first."))
    return profile


@login_required
def pool_entry(request):
    """The navbar's "Provider pool": each role to its own page."""
    user = request.user
    if user.has_right(DECIDE):
        return redirect("providers:manage_list")
    if user.has_right(REVIEW):
        return redirect("providers:review_list")
    if user.has_right(EDIT_PROFILE):
        return redirect("providers:pool")
    return redirect("providers:catalogue")


@login_required
def pool(request):
    profile = _own_profile(request)
    context = {"profile": profile, "missing": services.missing_for_application(profile)}
    if profile is not None:
        context.update(
            certificates=profile.certificates.all(),
            references=profile.references.select_related("enterprise", "answered_by"),
            solutions=profile.solutions.prefetch_related("scenes"),
            history=profile.status_changes.select_related("actor"),
            regions=profile.regions.all(),
        )
    return render(request, "providers/pool.html", context)


@login_required
def profile_edit(request):
    profile = _own_profile(request)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_profile(
                organisation=request.user.organisation,
                actor=request.user,
                data=form.facts(),
                regions=list(form.cleaned_data["regions"]),
                ip=client_ip(request),
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Profile saved."))
            return redirect("providers:pool")
    return render(request, "providers/profile_form.html", _page(form, _("Provider profile")))


@login_required
def certificate_add(request):
    profile = _profile_or_redirect(request)
    if profile is None:
        return redirect("providers:profile_edit")
    form = CertificateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = {key: form.cleaned_data[key] for key in CertificateForm.Meta.fields}
        try:
            services.add_certificate(
                profile=profile,
                actor=request.user,
                data=data,
                file=form.cleaned_data.get("file"),
                ip=client_ip(request),
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Certificate added."))
            return redirect("providers:pool")
    return render(request, "providers/certificate_form.html", _page(form, _("Add a certificate")))


@login_required
@require_POST
def certificate_delete(request, pk):
    certificate = get_visible(ProviderCertificate, request.user, pk=pk, right=EDIT_PROFILE)
    try:
        services.delete_certificate(certificate=certificate, actor=request.user, ip=client_ip(request))
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Certificate deleted."))
    return redirect("providers:pool")


@login_required
def certificate_file(request, pk):
    certificate = get_visible(ProviderCertificate, request.user, pk=pk)
    return uploads.download(
        certificate.file, filename=certificate.original_name, content_type=certificate.content_type
    )


@login_required
def reference_add(request):
    profile = _profile_or_redirect(request)
    if profile is None:
        return redirect("providers:profile_edit")
    form = ReferenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_reference(
                profile=profile, actor=request.user, data=form.cleaned_data, ip=client_ip(request)
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Reference customer added."))
            return redirect("providers:pool")
    return render(request, "providers/reference_form.html", _page(form, _("Add a reference customer")))


def _own_reference(request, pk):
    reference = get_visible(ProviderReference, request.user, pk=pk, right=EDIT_PROFILE)
    if not people.acts_for(request.user, reference.profile.organisation_id):
        raise Http404
    return reference


@login_required
@require_POST
def reference_delete(request, pk):
    reference = _own_reference(request, pk)
    try:
        services.delete_reference(reference=reference, actor=request.user, ip=client_ip(request))
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Reference customer deleted."))
    return redirect("providers:pool")


@login_required
@require_POST
def reference_ask(request, pk):
    reference = _own_reference(request, pk)
    try:
        services.ask_reference_confirmation(reference=reference, actor=request.user, ip=client_ip(request))
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The customer was asked to confirm."))
    return redirect("providers:pool")


@login_required
def reference_confirm(request, pk):
    """The customer enterprise's admin confirms or denies a reference."""
    reference = get_visible(
        ProviderReference.objects.confirmations_for(request.user).select_related("profile__organisation"),
        request.user,
        pk=pk,
    )
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_reference(
                reference=reference,
                actor=request.user,
                confirmed=form.cleaned_data["decision"] == "confirm",
                comment=form.cleaned_data["comment"],
                ip=client_ip(request),
            )
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Thank you, your answer was recorded."))
        return redirect("providers:reference_confirm", pk=reference.pk)
    return render(request, "providers/reference_confirm.html", {"reference": reference, "form": form})


@login_required
def submit(request):
    profile = _profile_or_redirect(request)
    if profile is None:
        return redirect("providers:profile_edit")
    if request.method == "POST":
        try:
            services.submit_application(profile=profile, actor=request.user, ip=client_ip(request))
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Application submitted. You will be told of every step."))
        return redirect("providers:pool")
    missing = services.missing_for_application(profile)
    return render(request, "providers/submit_confirm.html", {"profile": profile, "missing": missing})


# --- solutions -----------------------------------------------------------------------------------


@login_required
def solution_create(request):
    require_right(request.user, EDIT_SOLUTION)
    profile = services.profile_of(request.user.organisation)
    if profile is None:
        messages.info(request, _("Fill in your profile first."))
        return redirect("providers:profile_edit")
    return _solution_form(request, profile, None)


@login_required
def solution_edit(request, pk):
    solution = get_visible(Solution, request.user, pk=pk, right=EDIT_SOLUTION)
    profile = services.profile_of(request.user.organisation)
    if profile is None or solution.provider_id != profile.pk:
        raise Http404
    return _solution_form(request, profile, solution)


def _solution_form(request, profile, solution):
    form = SolutionForm(request.POST or None, instance=solution, profile=profile)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services_catalogue.save_solution(
                profile=profile,
                actor=request.user,
                data=form.facts(),
                scene_rows=form.scene_rows,
                references=list(form.cleaned_data["references"]),
                solution=solution,
                ip=client_ip(request),
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Solution saved."))
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
    return _solution_step(request, pk, services_catalogue.publish_solution, _("Solution published."))


@login_required
@require_POST
def solution_withdraw(request, pk):
    return _solution_step(request, pk, services_catalogue.withdraw_solution, _("Solution withdrawn."))
