from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smedx.accounts import services
from smedx.accounts.forms import (
    AcceptInvitationForm,
    ApiTokenForm,
    InvitationForm,
    ProviderSignUpForm,
    ReviewForm,
)
from smedx.accounts.models import ApiToken, Invitation, Membership, Organisation
from smedx.core.access import require_right
from smedx.core.actions import run_form_service, run_service
from smedx.core.audit import client_ip
from smedx.core.errors import DomainError
from smedx.core.paging import BoundedPaginator


def signup_choice(request):
    return render(request, "accounts/signup_choice.html")


def provider_signup(request):
    form = ProviderSignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.sign_up_organisation(
            kind=Organisation.Kind.PROVIDER,
            name=form.cleaned_data["organisation_name"],
            credit_code=form.cleaned_data["credit_code"],
            admin=form.admin_fields(),
            ip=client_ip(request),
        )
        messages.success(
            request, _("Thank you. The platform will review your registration; log in to follow it.")
        )
        return redirect("login")
    return render(request, "accounts/provider_signup.html", {"form": form})


@login_required
def profile(request):
    tokens = ApiToken.objects.filter(user=request.user)
    org = request.user.organisation
    context = {
        "tokens": tokens,
        "token_form": ApiTokenForm(),
        "new_token": request.session.pop("new_api_token", None),
        "members": Membership.objects.filter(organisation=org).select_related("user") if org else [],
        "invitations": Invitation.objects.open().filter(organisation=org) if org else [],
        "invitation_form": InvitationForm(),
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_POST
def token_create(request):
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        _token, raw = services.create_api_token(
            user=request.user, name=form.cleaned_data["name"], ip=client_ip(request)
        )
        request.session["new_api_token"] = raw
        messages.success(request, _("Token created. Copy it now: it will not be shown again."))
    else:
        messages.error(request, _("Give the token a name."))
    return redirect("accounts:profile")


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    run_service(request, services.revoke_api_token, done=_("Token revoked."), token=token)
    return redirect("accounts:profile")


@login_required
def invite(request):
    require_right(request.user, "accounts.membership:invite")
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        invited = run_form_service(
            request,
            form,
            services.invite_member,
            done=_("Invitation sent to %(email)s.") % {"email": email},
            field="email",
            org=request.user.organisation,
            email=email,
            role=form.cleaned_data["role"],
        )
        if invited is not None:
            invitation, raw = invited
            link = request.build_absolute_uri(reverse("accounts:accept_invitation", args=[raw]))
            services.send_invitation_mail(invitation=invitation, link=link)
            return redirect("accounts:profile")
    return render(request, "accounts/invite.html", {"form": form})


@login_required
@require_POST
def invitation_revoke(request, pk):
    require_right(request.user, "accounts.membership:invite")
    invitation = get_object_or_404(Invitation, pk=pk, organisation=request.user.organisation)
    run_service(request, services.revoke_invitation, done=_("Invitation withdrawn."), invitation=invitation)
    return redirect("accounts:profile")


def accept_invitation(request, token):
    invitation = services.find_invitation(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = form.admin_fields()
        fields.pop("email")
        try:
            services.accept_invitation(raw_token=token, ip=client_ip(request), **fields)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Welcome. Log in with your new account."))
            return redirect("login")
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation})


@login_required
def organisation_list(request):
    require_right(request.user, "accounts.organisation:list")
    qs = Organisation.objects.select_related("region").order_by("status", "-created_at")
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    page = BoundedPaginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/organisation_list.html",
        {
            "page": page,
            "status": status,
            "kind": kind,
            "statuses": Organisation.Status.choices,
            "kinds": Organisation.Kind.choices,
        },
    )


@login_required
def organisation_review(request, pk):
    """Platform operators decide on provider sign-ups (enterprises are decided by their district)."""
    require_right(request.user, "accounts.organisation:approve")
    org = get_object_or_404(Organisation, pk=pk, kind=Organisation.Kind.PROVIDER)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decided = run_form_service(
            request,
            form,
            services.review_organisation,
            done=_("Decision saved."),
            org=org,
            approve=form.cleaned_data["decision"] == "approve",
            comment=form.cleaned_data["comment"],
        )
        if decided is not None:
            return redirect("accounts:organisation_list")
    members = Membership.objects.filter(organisation=org).select_related("user")
    return render(
        request, "accounts/organisation_review.html", {"org": org, "form": form, "members": members}
    )
