"""The provider's own pool page: profile, certificates, references, history, submission."""

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
from smedx.providers.forms.application import AnswerForm, CertificateForm, ProfileForm, ReferenceForm
from smedx.providers.models import (
    DECIDE,
    EDIT_PROFILE,
    REVIEW,
    ProviderCertificate,
    ProviderProfile,
    ProviderReference,
)
from smedx.providers.services import application as services


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
        saved = run_form_service(
            request,
            form,
            services.save_profile,
            done=_("Profile saved."),
            organisation=request.user.organisation,
            data=form.facts(),
            regions=list(form.cleaned_data["regions"]),
        )
        if saved is not None:
            return redirect("providers:pool")
    return render(request, "providers/profile_form.html", _page(form, _("Provider profile")))


@login_required
def certificate_add(request):
    profile = _profile_or_redirect(request)
    if profile is None:
        return redirect("providers:profile_edit")
    form = CertificateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        added = run_form_service(
            request,
            form,
            services.add_certificate,
            done=_("Certificate added."),
            profile=profile,
            data={key: form.cleaned_data[key] for key in CertificateForm.Meta.fields},
            file=form.cleaned_data.get("file"),
        )
        if added is not None:
            return redirect("providers:pool")
    return render(request, "providers/certificate_form.html", _page(form, _("Add a certificate")))


@login_required
@require_POST
def certificate_delete(request, pk):
    certificate = get_visible(ProviderCertificate, request.user, pk=pk, right=EDIT_PROFILE)
    run_service(request, services.delete_certificate, done=_("Certificate deleted."), certificate=certificate)
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
        added = run_form_service(
            request,
            form,
            services.add_reference,
            done=_("Reference customer added."),
            profile=profile,
            data=form.cleaned_data,
        )
        if added is not None:
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
    run_service(
        request, services.delete_reference, done=_("Reference customer deleted."), reference=reference
    )
    return redirect("providers:pool")


@login_required
@require_POST
def reference_ask(request, pk):
    reference = _own_reference(request, pk)
    run_service(
        request,
        services.ask_reference_confirmation,
        done=_("The customer was asked to confirm."),
        reference=reference,
    )
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
        run_service(
            request,
            services.answer_reference,
            done=_("Thank you, your answer was recorded."),
            reference=reference,
            confirmed=form.cleaned_data["decision"] == "confirm",
            comment=form.cleaned_data["comment"],
        )
        return redirect("providers:reference_confirm", pk=reference.pk)
    return render(request, "providers/reference_confirm.html", {"reference": reference, "form": form})


@login_required
def submit(request):
    profile = _profile_or_redirect(request)
    if profile is None:
        return redirect("providers:profile_edit")
    if request.method == "POST":
        run_service(
            request,
            services.submit_application,
            done=_("Application submitted. You will be told of every step."),
            profile=profile,
        )
        return redirect("providers:pool")
    missing = services.missing_for_application(profile)
    return render(request, "providers/submit_confirm.html", {"profile": profile, "missing": missing})
