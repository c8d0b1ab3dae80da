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


class RuleForm(forms.Form):
    """Conditions over an enterprise's facts (`planning.rules`), picked from lists, never typed as JSON:
    a tier's rule here, a policy's eligibility in `subsidies`. `region` is offered for a city scope."""

    RULE_KEYS = ("size_class", "industry_division", "region", "tags")

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
    tags = forms.MultipleChoiceField(
        label=_("Any of the tags"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, scope, rule=None, **kwargs):
        if rule is not None:
            kwargs.setdefault("initial", {})
            kwargs["initial"] = {**self.rule_initial(rule), **kwargs["initial"]}
        super().__init__(*args, **kwargs)
        self.fields["industry_division"].choices = division_choices()
        self.fields["level_min"].choices = level_choices()
        self.fields["tags"].choices = [(name, name) for name in known_tags()]
        if scope.parent_id is None:  # a city scope may pick districts
            districts = Region.objects.filter(parent__isnull=False)
            self.fields["region"].choices = [(r.code, r.name) for r in districts]
        else:
            del self.fields["region"]

    def rule_initial(self, rule: dict) -> dict:
        above = rule.get("above_scale")
        return {
            **{k: rule.get(k, []) for k in self.RULE_KEYS},
            "above_scale": "" if above is None else str(int(above)),
            "level_min": "" if rule.get("level_min") is None else str(rule["level_min"]),
        }

    def rule(self) -> dict:
        data = self.cleaned_data
        rule = {k: data[k] for k in self.RULE_KEYS if data.get(k)}
        if data["above_scale"] in ("0", "1"):
            rule["above_scale"] = data["above_scale"] == "1"
        if data["level_min"] != "":
            rule["level_min"] = int(data["level_min"])
        return rule


class TierForm(RuleForm):
    """A tier and its rule (`RuleForm`, with an upper level and a list of levels besides)."""

    order = forms.IntegerField(label=_("Order"), min_value=1, max_value=99, initial=1)
    code = forms.SlugField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=50)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    level_max = forms.ChoiceField(label=_("Current level at most"), required=False)
    level_in = forms.MultipleChoiceField(
        label=_("Current level is one of"), required=False, widget=forms.CheckboxSelectMultiple
    )
    field_order = (
        "order",
        "code",
        "name",
        "description",
        "size_class",
        "above_scale",
        "industry_division",
        "region",
        "level_min",
        "level_max",
        "level_in",
        "tags",
    )

    def __init__(self, *args, standard, tier=None, **kwargs):
        if tier is not None:
            rule = tier.rule or {}
            kwargs.setdefault(
                "initial",
                {
                    "order": tier.order,
                    "code": tier.code,
                    "name": tier.name,
                    "description": tier.description,
                    "level_max": "" if rule.get("level_max") is None else str(rule["level_max"]),
                    "level_in": [str(n) for n in rule.get("level_in", [])],
                },
            )
        super().__init__(
            *args, scope=standard.region, rule=(tier.rule or {}) if tier is not None else None, **kwargs
        )
        self.fields["level_max"].choices = level_choices()
        self.fields["level_in"].choices = level_choices()[1:]

    def clean(self):
        data = super().clean()
        low, high = data.get("level_min"), data.get("level_max")
        if low and high and int(low) > int(high):
            self.add_error("level_max", _("The upper level is below the lower one."))
        return data

    def rule(self) -> dict:
        rule = super().rule()
        data = self.cleaned_data
        if data["level_max"] != "":
            rule["level_max"] = int(data["level_max"])
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
