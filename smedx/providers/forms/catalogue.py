"""Forms of the catalogue: a provider's solution, and the public catalogue's filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from smedx.accounts.models import Region
from smedx.providers.models import ProviderReference, Solution
from smedx.providers.reference import (
    from_level_choices,
    industry_choices,
    scene_choices,
    scenes,
    to_level_choices,
    unpack,
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
