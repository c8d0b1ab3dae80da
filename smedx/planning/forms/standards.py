"""Input of the classification standard pages (standards, tiers and their rules)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from smedx.accounts.models import Region
from smedx.assessments.levels import LEVEL_LABELS
from smedx.enterprises.models import SizeClass
from smedx.enterprises.reference import division_choices
from smedx.planning.rules import known_tags


def level_choices(blank=None):
    return [("", blank or _("Any")), *((str(n), label) for n, label in enumerate(LEVEL_LABELS))]


class StandardForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)


class TierForm(forms.Form):
    """A tier and its rule; the rule's conditions are picked from lists, never typed as JSON."""

    order = forms.IntegerField(label=_("Order"), min_value=1, max_value=99, initial=1)
    code = forms.SlugField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=50)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    size_class = forms.MultipleChoiceField(
        label=_("Size"), choices=SizeClass.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    above_scale = forms.ChoiceField(
        label=_("规上"),
        choices=[("", _("Any")), ("1", _("Above designated size")), ("0", _("Below"))],
        required=False,
    )
    industry_division = forms.MultipleChoiceField(
        label=_("Industries"), required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    region = forms.MultipleChoiceField(label=_("Districts"), required=False, widget=forms.SelectMultiple)
    level_min = forms.ChoiceField(label=_("Current level at least"), required=False)
    level_max = forms.ChoiceField(label=_("Current level at most"), required=False)
    level_in = forms.MultipleChoiceField(
        label=_("Current level is one of"), required=False, widget=forms.CheckboxSelectMultiple
    )
    tags = forms.MultipleChoiceField(
        label=_("Any of the tags"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, standard, tier=None, **kwargs):
        if tier is not None:
            rule = tier.rule or {}
            above = rule.get("above_scale")
            kwargs.setdefault(
                "initial",
                {
                    "order": tier.order,
                    "code": tier.code,
                    "name": tier.name,
                    "description": tier.description,
                    **{k: rule.get(k, []) for k in ("size_class", "industry_division", "region", "tags")},
                    "above_scale": "" if above is None else str(int(above)),
                    "level_min": "" if rule.get("level_min") is None else str(rule["level_min"]),
                    "level_max": "" if rule.get("level_max") is None else str(rule["level_max"]),
                    "level_in": [str(n) for n in rule.get("level_in", [])],
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["industry_division"].choices = division_choices()
        self.fields["level_min"].choices = level_choices()
        self.fields["level_max"].choices = level_choices()
        self.fields["level_in"].choices = level_choices()[1:]
        self.fields["tags"].choices = [(name, name) for name in known_tags()]
        if standard.region.parent_id is None:  # a city standard may pick districts
            districts = Region.objects.filter(parent__isnull=False)
            self.fields["region"].choices = [(r.code, r.name) for r in districts]
        else:
            del self.fields["region"]

    def clean(self):
        data = super().clean()
        low, high = data.get("level_min"), data.get("level_max")
        if low and high and int(low) > int(high):
            self.add_error("level_max", _("The upper level is below the lower one."))
        return data

    def rule(self) -> dict:
        data = self.cleaned_data
        rule = {k: data[k] for k in ("size_class", "industry_division", "region", "tags") if data.get(k)}
        if data["above_scale"] in ("0", "1"):
            rule["above_scale"] = data["above_scale"] == "1"
        for key in ("level_min", "level_max"):
            if data[key] != "":
                rule[key] = int(data[key])
        if data["level_in"]:
            rule["level_in"] = [int(n) for n in data["level_in"]]
        return rule

    def tier_data(self) -> dict:
        data = self.cleaned_data
        return {
            "order": data["order"],
            "code": data["code"],
            "name": data["name"],
            "description": data["description"],
            "rule": self.rule(),
        }


class ApplyForm(forms.Form):
    """The apply button: the latest application of the standard the page showed (0 for none), so a press
    on a page another officer's application has overtaken is refused."""

    seen = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
