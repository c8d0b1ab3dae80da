from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from smedx.accounts.models import Membership, User


class AccountFieldsForm(forms.Form):
    """The person part of every sign-up: a login name, a password typed twice, a name and a phone."""

    username = forms.CharField(label=_("Login name"), max_length=150)
    display_name = forms.CharField(label=_("Your name"), max_length=100)
    email = forms.EmailField(label=_("Email"))
    phone = forms.CharField(label=_("Mobile phone"), max_length=30, required=False)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput(render_value=True))
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput(render_value=True))

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This login name is taken; choose another."))
        return username

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif data.get("password"):
            try:
                validate_password(data["password"], User(username=data.get("username", "")))
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data

    def admin_fields(self) -> dict:
        data = self.cleaned_data
        return {key: data[key] for key in ("username", "password", "email", "display_name", "phone")}


class ProviderSignUpForm(AccountFieldsForm):
    organisation_name = forms.CharField(label=_("Provider name"), max_length=200)
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=18)
    field_order = ["organisation_name", "credit_code"]

    def clean_credit_code(self):
        from smedx.core.creditcode import credit_code_error, normalise_credit_code

        code = normalise_credit_code(self.cleaned_data["credit_code"])
        if error := credit_code_error(code):
            raise forms.ValidationError(error)
        return code


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Colleague's email"))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER)


class AcceptInvitationForm(AccountFieldsForm):
    email = None


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("comment", "").strip():
            self.add_error("comment", _("Say why the registration is rejected; the applicant sees it."))
        return data


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)
