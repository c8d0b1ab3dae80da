"""The policy form: its terms and, from lists, the conditions an enterprise must meet."""

from django import forms
from django.utils.translation import gettext_lazy as _

from smedx.planning.forms.standards import RuleForm
from smedx.subsidies import services
from smedx.subsidies.models import Policy


class PolicyForm(RuleForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    document_number = forms.CharField(label=_("Document number"), max_length=100, required=False)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    opens_on = forms.DateField(label=_("Applications open"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("Applications close"), widget=forms.DateInput(attrs={"type": "date"}))
    total_budget = forms.DecimalField(
        label=_("Total budget (元)"), min_value=0, max_digits=14, decimal_places=2
    )
    support = forms.ChoiceField(label=_("Support type"), choices=Policy.Support.choices)
    rate = forms.DecimalField(
        label=_("Rate (%)"), min_value=0, max_value=100, decimal_places=2, required=False
    )
    cap = forms.DecimalField(
        label=_("Cap per enterprise (元)"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    fixed_amount = forms.DecimalField(
        label=_("Fixed award (元)"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    project_accepted = forms.BooleanField(label=_("A transformation project accepted"), required=False)
    project_registered_from = forms.DateField(
        label=_("A project registered from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    project_registered_to = forms.DateField(
        label=_("A project registered until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    field_order = (
        "title",
        "document_number",
        "summary",
        "opens_on",
        "closes_on",
        "total_budget",
        "support",
        "rate",
        "cap",
        "fixed_amount",
        "region",
        "industry_division",
        "size_class",
        "above_scale",
        "tags",
        "level_min",
        "project_accepted",
        "project_registered_from",
        "project_registered_to",
    )

    def terms(self, scope) -> dict:
        data = {name: self.cleaned_data[name] for name in services.FIELDS if name in self.cleaned_data}
        data["level"] = Policy.Level.CITY if scope.parent_id is None else Policy.Level.DISTRICT
        return data

    def conditions(self) -> dict:
        conditions = self.rule()
        data = self.cleaned_data
        if data["project_accepted"]:
            conditions["project_accepted"] = True
        for key in ("project_registered_from", "project_registered_to"):
            if data[key]:
                conditions[key] = data[key].isoformat()
        return conditions
