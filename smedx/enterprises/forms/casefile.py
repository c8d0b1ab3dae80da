"""The case file's forms: its facts (officer, enterprise, sign-up) and the list's filters."""

from django import forms
from django.db.models import F
from django.db.models.utils import get_blank_choice_label
from django.utils.translation import gettext_lazy as _

from smedx.accounts.forms import AccountFieldsForm
from smedx.accounts.models import Region
from smedx.core import frame
from smedx.core.creditcode import credit_code_error, normalise_credit_code
from smedx.enterprises.models import Enterprise, Level, SizeClass, Stage, Tag
from smedx.enterprises.reference import division_choices, section_choices


def district_queryset():
    return Region.objects.filter(parent__isnull=False)


class EnterpriseFactsForm(forms.ModelForm):
    """The facts of a case file; the credit code is checked to GB 32100 and against the district."""

    industry_division = forms.ChoiceField(label=_("Industry (GB/T 4754-2017 division)"), choices=())
    region = forms.ModelChoiceField(label=_("District"), queryset=Region.objects.none())

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "credit_code",
            "region",
            "industry_division",
            "industry_code",
            "employees",
            "revenue",
            "above_scale",
            "address",
            "contact_name",
            "contact_phone",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The same blank choice as every other select (Django's, translated in our catalogue).
        self.fields["industry_division"].choices = [("", get_blank_choice_label()), *division_choices()]
        if "region" in self.fields:
            self.fields["region"].queryset = district_queryset()
        self.fields["revenue"].help_text = _("Last year's operating revenue in 10k yuan (万元).")
        self.warnings = []

    def clean_credit_code(self):
        code = normalise_credit_code(self.cleaned_data["credit_code"])
        if error := credit_code_error(code):
            raise forms.ValidationError(error)
        return code

    def clean_industry_code(self):
        code = self.cleaned_data.get("industry_code", "").strip()
        if code and (not code.isdigit() or len(code) not in (3, 4)):
            raise forms.ValidationError(_("A finer industry code has 3 or 4 digits."))
        return code

    def clean(self):
        data = super().clean()
        code, region, division = data.get("credit_code"), data.get("region"), data.get("industry_division")
        finer = data.get("industry_code")
        if finer and division and not finer.startswith(division):
            self.add_error(
                "industry_code",
                _("The finer code must start with the division code %(d)s.") % {"d": division},
            )
        if code and region and code[2:8] != region.code:
            self.warnings.append(
                _(
                    "The division code in the credit code (%(code)s) is not that of %(region)s (%(expected)s). "
                    "This happens when an enterprise moved; check that the district is right."
                )
                % {"code": code[2:8], "region": region.name, "expected": region.code}
            )
        return data

    def facts(self) -> dict:
        return {key: value for key, value in self.cleaned_data.items() if key != "tags"}


class EnterpriseForm(EnterpriseFactsForm):
    """What an officer edits: the facts plus tags."""

    tags = forms.ModelMultipleChoiceField(
        label=_("Tags"), queryset=Tag.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta(EnterpriseFactsForm.Meta):
        fields = [*EnterpriseFactsForm.Meta.fields, "tags"]


class EnterpriseSelfForm(EnterpriseFactsForm):
    """What the enterprise itself edits: its facts but not its credit code or district."""

    region = None
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta(EnterpriseFactsForm.Meta):
        # The code and the district are the officers' to correct: moving district moves the case file.
        fields = [f for f in EnterpriseFactsForm.Meta.fields if f not in ("credit_code", "region")]

    def clean_credit_code(self):  # not on this form
        return self.instance.credit_code


class EnterpriseSignUpForm(AccountFieldsForm, EnterpriseFactsForm):
    field_order = [
        *EnterpriseFactsForm.Meta.fields,
        "username",
        "display_name",
        "email",
        "phone",
        "password",
        "password2",
    ]

    def validate_unique(self):
        # A code filed earlier by the district may be claimed; the service decides.
        pass


def extra_filters():
    """Filters later apps add (e.g. planning's tier) through their hooks' `list_filters`:
    (name, field_factory(user) returning a form field or None, apply_fn(queryset, cleaned value))."""
    return frame.collect("list_filters")


NOT_RATED = "none"
SORTS = [
    ("", _("Newest first")),
    ("-score", _("Current score, highest first")),
    ("score", _("Current score, lowest first")),
]
# Enterprises not yet rated come last either way.
SORT_ORDERS = {
    "-score": F("current_score").desc(nulls_last=True),
    "score": F("current_score").asc(nulls_last=True),
}


class EnterpriseFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or code"), required=False)
    region = forms.ModelChoiceField(label=_("District"), queryset=Region.objects.none(), required=False)
    section = forms.ChoiceField(label=_("Industry section"), required=False)
    division = forms.ChoiceField(label=_("Industry division"), required=False)
    size = forms.ChoiceField(
        label=_("Size"), choices=[("", _("All sizes")), *SizeClass.choices], required=False
    )
    above_scale = forms.ChoiceField(
        label=_("规上"),
        choices=[("", _("All")), ("1", _("Above designated size")), ("0", _("Below"))],
        required=False,
    )
    tag = forms.ModelChoiceField(label=_("Tag"), queryset=Tag.objects.all(), required=False)
    stage = forms.TypedChoiceField(
        label=_("Stage"),
        choices=[("", _("All stages")), *Stage.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    # One 待审核: "pending" selects every case file awaiting a decision, a new sign-up or the claim of a
    # filed case file by an organisation not yet approved.
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *Enterprise.Status.choices], required=False
    )
    current_level = forms.ChoiceField(
        label=_("Current level"),
        choices=[
            ("", _("All levels")),
            *((str(n), label) for n, label in Level.choices),
            (NOT_RATED, _("Not rated yet")),
        ],
        required=False,
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        regions = district_queryset()
        org = user.organisation
        if org is not None and org.level == "district":
            # A district officer filters within the own district only.
            regions = regions.filter(pk=org.region_id)
        self.fields["region"].queryset = regions
        self.fields["section"].choices = [("", _("All sections")), *section_choices()]
        self.fields["division"].choices = [("", _("All divisions")), *division_choices()]
        for name, field_factory, _apply in extra_filters():
            if (field := field_factory(user)) is not None:
                self.fields[name] = field

    def apply(self, qs):
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        qs = qs.search(data["q"])
        simple = {
            "region": "region",
            "section": "industry_section",
            "division": "industry_division",
            "size": "size_class",
            "tag": "tags",
            "stage": "stage",
        }
        for field, lookup in simple.items():
            if data.get(field) not in (None, ""):
                qs = qs.filter(**{lookup: data[field]})
        if data["status"] == Enterprise.Status.PENDING:
            qs = qs.awaiting_review()
        elif data["status"]:
            qs = qs.filter(status=data["status"])
        if data["current_level"] == NOT_RATED:
            qs = qs.filter(current_level__isnull=True)
        elif data["current_level"]:
            qs = qs.filter(current_level=int(data["current_level"]))
        if data["above_scale"] in ("0", "1"):
            qs = qs.filter(above_scale=data["above_scale"] == "1")
        for name, _factory, apply_fn in extra_filters():
            if data.get(name) not in (None, ""):
                qs = apply_fn(qs, data[name])
        if data["sort"]:
            qs = qs.order_by(SORT_ORDERS[data["sort"]], "-created_at", "-id")
        return qs
