from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smedx.accounts.models import Region
from smedx.core.creditcode import credit_code_error, normalise_credit_code
from smedx.providers import services
from smedx.providers.models import (
    ExpertReview,
    ProviderCertificate,
    ProviderProfile,
    ProviderReference,
    Solution,
)
from smedx.providers.reference import (
    from_level_choices,
    industry_choices,
    scene_choices,
    scenes,
    to_level_choices,
    unpack,
)


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


class ExpertReviewForm(forms.ModelForm):
    class Meta:
        model = ExpertReview
        fields = [*ExpertReview.CRITERIA, "opinion", "recommend"]
        widgets = {"opinion": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ExpertReview.CRITERIA:
            label = self.fields[name].label
            self.fields[name] = forms.IntegerField(
                label=label, min_value=0, max_value=100, help_text=_("0–100")
            )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Publish the public notice")), ("reject", _("Send back to the provider"))],
        widget=forms.RadioSelect,
    )
    days = forms.IntegerField(label=_("Notice period (days)"), min_value=1, max_value=60, required=False)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].initial = services.notice_days()

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why the application is sent back; the provider sees it."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class WarnForm(ReasonForm):
    deadline = forms.DateField(label=_("Rectify by"), widget=forms.DateInput(attrs={"type": "date"}))


class YearlyReviewForm(ReasonForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("keep", _("Keep listed")), ("warn", _("Warn")), ("suspend", _("Suspend"))],
        widget=forms.RadioSelect,
    )
    deadline = forms.DateField(
        label=_("Rectify by (when warning)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class FlagForm(forms.Form):
    flag = forms.BooleanField(label=_("Diagnosis institution"), required=False)
    reason = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ResolveForm(forms.Form):
    objection = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("dismiss", _("Dismiss")), ("uphold", _("Uphold and send back"))],
        widget=forms.RadioSelect,
    )
    resolution = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 2}))


class ObjectionForm(forms.Form):
    text = forms.CharField(
        label=_("Your objection"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )


class SolutionForm(forms.ModelForm):
    """The solution's facts, plus for every scene an optional rise (from level → to level)."""

    industries = forms.MultipleChoiceField(
        label=_("Industries (none: every industry)"),
        choices=(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    references = forms.ModelMultipleChoiceField(
        label=_("Reference customers"),
        queryset=ProviderReference.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Solution
        fields = [
            "name",
            "summary",
            "description",
            "keywords",
            "industries",
            "deployment",
            "price_min",
            "price_max",
            "price_unit",
            "delivery_days",
            "references",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"keywords": _("Comma separated, e.g. MES, 设备联网")}

    def __init__(self, *args, profile, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industries"].choices = industry_choices()
        self.fields["references"].queryset = profile.references.all()
        if self.instance.pk:
            self.initial["industries"] = unpack(self.instance.industries)
            rows = {row.scene: row for row in self.instance.scenes.all()}
        else:
            rows = {}
        self.scene_fields = []
        for code, label in scene_choices():
            low, high = f"scene_{code}_from", f"scene_{code}_to"
            self.fields[low] = forms.TypedChoiceField(
                label=_("From"), choices=from_level_choices(), coerce=int, required=False
            )
            self.fields[high] = forms.TypedChoiceField(
                label=_("To"),
                choices=[("", "—"), *to_level_choices()],
                coerce=int,
                required=False,
                empty_value=None,
            )
            if code in rows:
                self.initial[low], self.initial[high] = rows[code].from_level, rows[code].to_level
            self.scene_fields.append((code, label, self[low], self[high]))

    def visible_fact_fields(self):
        return [self[name] for name in self.Meta.fields]

    def clean(self):
        data = super().clean()
        low, high = data.get("price_min"), data.get("price_max")
        if low is not None and high is not None and high < low:
            self.add_error("price_max", _("The highest price is below the lowest."))
        rows = []
        for code in scenes():
            high = data.get(f"scene_{code}_to")
            if high in (None, ""):
                continue
            low = data.get(f"scene_{code}_from") or 0
            if high <= low:
                self.add_error(f"scene_{code}_to", _("The level must rise."))
            rows.append((code, low, high))
        if not rows:
            self.add_error(None, _("Name at least one scene the solution raises."))
        self.scene_rows = rows
        return data

    def facts(self) -> dict:
        return {key: self.cleaned_data[key] for key in self.Meta.fields if key != "references"}


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    scene = forms.ChoiceField(label=_("Scene"), required=False, choices=())
    industry = forms.ChoiceField(label=_("Industry"), required=False, choices=())
    deployment = forms.ChoiceField(
        label=_("Deployment"), required=False, choices=[("", _("Any")), *Solution.Deployment.choices]
    )
    price_max = forms.DecimalField(label=_("Price up to (yuan)"), required=False, min_value=0)
    district = forms.ModelChoiceField(
        label=_("District served"), required=False, queryset=Region.objects.filter(parent__isnull=False)
    )
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("", _("Best rated")),
            ("price", _("Lowest price")),
            ("delivery", _("Fastest delivery")),
            ("newest", _("Newest")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scene"].choices = [("", _("Any")), *scene_choices()]
        self.fields["industry"].choices = [("", _("Any")), *industry_choices()]
