"""The provider's own application: profile, certificates, reference customers, a customer's answer."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smedx.accounts.models import Region
from smedx.core.creditcode import credit_code_error, normalise_credit_code
from smedx.providers.models import ProviderCertificate, ProviderProfile, ProviderReference
from smedx.providers.reference import industry_choices, scene_choices, unpack
from smedx.providers.services import application as services


def region_queryset():
    """The city (meaning every district) and its districts."""
    return Region.objects.order_by("code")


class ProfileForm(forms.ModelForm):
    industries = forms.MultipleChoiceField(
        label=_("Industries served (GB/T 4754 divisions)"),
        choices=(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    scenes = forms.MultipleChoiceField(
        label=_("Scenes served"), choices=(), widget=forms.CheckboxSelectMultiple
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Districts served"),
        queryset=Region.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Choose 重庆市 for the whole city."),
    )

    class Meta:
        model = ProviderProfile
        fields = [
            "introduction",
            "founded_year",
            "registered_capital",
            "staff_count",
            "rnd_staff",
            "industries",
            "scenes",
            "regions",
            "last_year_revenue",
            "net_profit",
            "debt_ratio",
            "wants_diagnosis_institution",
        ]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industries"].choices = industry_choices()
        self.fields["scenes"].choices = scene_choices()
        self.fields["regions"].queryset = region_queryset()
        if self.instance.pk:
            self.initial["industries"] = unpack(self.instance.industries)
            self.initial["scenes"] = unpack(self.instance.scenes)
        year = timezone.localdate().year
        self.fields["founded_year"].widget.attrs.update(min=1900, max=year)
        self.fields["debt_ratio"].widget.attrs.update(min=0, max=100)

    def clean_founded_year(self):
        year = self.cleaned_data.get("founded_year")
        if year is not None and not 1900 <= year <= timezone.localdate().year:
            raise forms.ValidationError(_("Give a year between 1900 and this year."))
        return year

    def clean_debt_ratio(self):
        ratio = self.cleaned_data.get("debt_ratio")
        if ratio is not None and not 0 <= ratio <= 100:
            raise forms.ValidationError(_("A debt ratio is between 0 and 100 %."))
        return ratio

    def clean(self):
        data = super().clean()
        staff, rnd = data.get("staff_count"), data.get("rnd_staff")
        if staff is not None and rnd is not None and rnd > staff:
            self.add_error("rnd_staff", _("R&D staff cannot be more than all staff."))
        return data

    def facts(self) -> dict:
        return {key: value for key, value in self.cleaned_data.items() if key != "regions"}


class CertificateForm(forms.ModelForm):
    file = forms.FileField(
        label=_("Scan (PDF, JPG or PNG, at most 5 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    class Meta:
        model = ProviderCertificate
        fields = ["name", "issuer", "number", "valid_until"]
        widgets = {"valid_until": forms.DateInput(attrs={"type": "date"})}


class ReferenceForm(forms.ModelForm):
    class Meta:
        model = ProviderReference
        fields = [
            "customer_credit_code",
            "customer_name",
            "solution_used",
            "since",
            "contact_name",
            "contact_phone",
        ]
        widgets = {"since": forms.DateInput(attrs={"type": "date"})}
        help_texts = {
            "customer_credit_code": _(
                "A customer already on the platform is found by its code and can confirm."
            ),
        }

    def clean_customer_credit_code(self):
        code = normalise_credit_code(self.cleaned_data["customer_credit_code"])
        if error := credit_code_error(code):
            raise forms.ValidationError(error)
        return code

    def clean_since(self):
        since = self.cleaned_data["since"]
        if error := services.reference_too_recent(since):
            raise forms.ValidationError(error)
        return since


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("confirm", _("Yes, we use it")), ("deny", _("No, this is not right"))],
        widget=forms.RadioSelect,
        label=_("Answer"),
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
