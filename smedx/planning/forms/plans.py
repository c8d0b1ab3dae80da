"""Input of the implementation plan pages (the plan and its targets)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from smedx.core import uploads
from smedx.enterprises.reference import division_choices
from smedx.planning import files
from smedx.planning.forms.standards import level_choices
from smedx.planning.models import Target


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    period_start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    document = forms.FileField(
        label=_("Plan document"), required=False, help_text=_("PDF, DOCX or XLSX, at most 20 MB.")
    )

    def clean_document(self):
        return uploads.clean(self.cleaned_data.get("document"), kinds=files.KINDS, max_bytes=files.MAX_BYTES)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The plan ends before it starts."))
        return data


class TargetForm(forms.Form):
    division = forms.ChoiceField(label=_("Industry"), required=False)
    metric = forms.ChoiceField(label=_("Measure"), choices=Target.Metric.choices)
    level = forms.TypedChoiceField(label=_("Level"), coerce=int, empty_value=None, required=False)
    value = forms.DecimalField(label=_("Target value"), min_value=0, max_digits=10, decimal_places=1)
    due_date = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].choices = [("", _("All industries")), *division_choices()]
        self.fields["level"].choices = level_choices(blank="—")

    def clean(self):
        data = super().clean()
        metric = data.get("metric")
        if metric and metric != Target.Metric.TRANSFORMED and data.get("level") is None:
            self.add_error("level", _("A target on levels needs the level."))
        if metric == Target.Metric.SHARE_AT_LEVEL and (data.get("value") or 0) > 100:
            self.add_error("value", _("A share is at most 100%."))
        return data


TargetFormSet = forms.formset_factory(TargetForm, extra=2, max_num=30, validate_max=True)


def target_rows(formset) -> list[dict]:
    """The filled-in target rows of a valid formset (empty extra rows are skipped)."""
    return [form.cleaned_data for form in formset if form.has_changed() and form.cleaned_data]
