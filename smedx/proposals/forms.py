"""Input validation for needs, research, proposals, comments and acknowledgements (pages and API)."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from smedx.assessments.levels import level_label
from smedx.proposals.models import Need, Proposal, ProposalItem, ProposalKpi, ProposalMilestone, Research

MONTH = "%Y-%m"


class MonthField(forms.DateField):
    """A month `2026-03`, stored as its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format=MONTH)

    def __init__(self, **kwargs):
        super().__init__(input_formats=[MONTH, "%Y-%m-%d"], **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace(day=1) if isinstance(value, date) else value


def level_choices(low=1):
    return [(n, level_label(n)) for n in range(low, 5)]


class NeedForm(forms.ModelForm):
    start_month = MonthField(label=_("start month"))
    end_month = MonthField(label=_("end month"))
    target_level = forms.TypedChoiceField(label=_("target level"), coerce=int, choices=level_choices())

    class Meta:
        model = Need
        fields = ["title", "target_level", "budget", "start_month", "end_month", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget"].required = True
        self.fields["budget"].min_value = 0

    def clean(self):
        data = super().clean()
        start, end = data.get("start_month"), data.get("end_month")
        if start and end and end < start:
            self.add_error("end_month", _("The end month is before the start month."))
        budget = data.get("budget")
        if budget is not None and budget <= 0:
            self.add_error("budget", _("Give a budget above zero."))
        return data


class SceneTargetsForm(forms.Form):
    """One optional target level per scene of the diagnosis: `scene_S01` … (empty: not raised)."""

    def __init__(self, *args, scenes, selected=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        selected = selected or {}
        for code, name, current in scenes:
            choices = [("", _("not raised"))] + [(n, level_label(n)) for n in range(current + 1, 5)]
            key = f"scene_{code}"
            self.fields[key] = forms.TypedChoiceField(
                label=f"{code} {name}",
                choices=choices,
                coerce=int,
                required=False,
                empty_value=None,
                initial=selected.get(code, ""),
            )
            self.rows.append((code, name, current, key))

    @property
    def bound_rows(self):
        return [(code, name, current, self[key]) for code, name, current, key in self.rows]

    def targets(self) -> dict:
        return {code: self.cleaned_data[key] for code, _n, _c, key in self.rows if self.cleaned_data.get(key)}


class RecommendForm(forms.Form):
    provider = forms.ModelChoiceField(label=_("provider"), queryset=None)
    note = forms.CharField(label=_("why"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ResearchForm(forms.ModelForm):
    class Meta:
        model = Research
        fields = ["researched_on", "people_met", "strategy", "production", "management_model", "organisation"]
        widgets = {
            "researched_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in ("people_met", "strategy", "production", "management_model", "organisation")
            },
        }


class ProposalForm(forms.ModelForm):
    expected_level = forms.TypedChoiceField(label=_("expected level"), coerce=int, choices=level_choices())

    class Meta:
        model = Proposal
        fields = ["title", "scope", "expected_level"]
        widgets = {"scope": forms.Textarea(attrs={"rows": 5})}


class ItemForm(forms.ModelForm):
    class Meta:
        model = ProposalItem
        fields = ["kind", "description", "quantity", "unit_price"]

    def clean_quantity(self):
        value = self.cleaned_data["quantity"]
        if value is not None and value <= 0:
            raise ValidationError(_("Give a quantity above zero."))
        return value

    def clean_unit_price(self):
        value = self.cleaned_data["unit_price"]
        if value is not None and value < 0:
            raise ValidationError(_("A price cannot be negative."))
        return value


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = ProposalMilestone
        fields = ["name", "due_date", "deliverable"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class KpiForm(forms.ModelForm):
    class Meta:
        model = ProposalKpi
        fields = ["name", "baseline", "target", "unit"]


def _rows(formset) -> list[dict]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


ItemFormSet = formset_factory(ItemForm, extra=3, min_num=1, validate_min=True, can_delete=True)
MilestoneFormSet = formset_factory(MilestoneForm, extra=2, min_num=1, validate_min=True, can_delete=True)
KpiFormSet = formset_factory(KpiForm, extra=2, can_delete=True)


class ProposalForms:
    """The proposal form, its three lists and the scene targets, validated together."""

    def __init__(self, data=None, *, need, proposal=None):
        initial = {}
        items = milestones = kpis = None
        selected = {}
        if proposal is not None:
            items = list(proposal.items.values("kind", "description", "quantity", "unit_price"))
            milestones = list(proposal.milestones.values("name", "due_date", "deliverable"))
            kpis = list(proposal.kpis.values("name", "baseline", "target", "unit"))
            selected = dict(proposal.scenes.values_list("scene", "target_level"))
        else:
            initial = {"expected_level": need.target_level}
            selected = {s.scene: s.target_level for s in need.scenes.all()}
        if data is not None:
            # Rows compared with initial values count as unchanged and would be dropped on save.
            items = milestones = kpis = None
        self.main = ProposalForm(data, instance=proposal, initial=initial)
        self.items = ItemFormSet(data, prefix="items", initial=items)
        self.milestones = MilestoneFormSet(data, prefix="milestones", initial=milestones)
        self.kpis = KpiFormSet(data, prefix="kpis", initial=kpis)
        scenes = [(s.scene, s.name, 0) for s in need.scenes.all()]
        self.scenes = SceneTargetsForm(data, scenes=scenes, selected=selected, prefix="scenes")

    def is_valid(self) -> bool:
        parts = (self.main, self.items, self.milestones, self.kpis, self.scenes)
        results = [part.is_valid() for part in parts]  # every part, so every error shows
        return all(results)

    def cleaned(self) -> dict:
        return {
            "data": self.main.cleaned_data,
            "items": _rows(self.items),
            "milestones": [
                {k: r[k] for k in ("name", "due_date", "deliverable")} for r in _rows(self.milestones)
            ],
            "kpis": [{k: r[k] for k in ("name", "baseline", "target", "unit")} for r in _rows(self.kpis)],
            "scenes": self.scenes.targets(),
        }


class CommentForm(forms.Form):
    body = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=_("why the conflict of interest is acceptable"), widget=forms.Textarea(attrs={"rows": 3})
    )


class SelectForm(forms.Form):
    proposal = forms.IntegerField()
