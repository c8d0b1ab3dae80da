"""Input of the acceptance pages; the services check the rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smedx.projects.models import RATING_CHOICES, AcceptanceDecision, ProjectFile
from smedx.projects.services.acceptance import FILE_KINDS, RATING_FIELDS

DATE = forms.DateInput(attrs={"type": "date"})


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Document"), choices=[(k, ProjectFile.Kind(k).label) for k in FILE_KINDS]
    )
    file = forms.FileField(label=_("File"))


class ApplyForm(forms.Form):
    before = forms.ModelChoiceField(label=_("Assessment before (T0)"), queryset=None)
    after = forms.ModelChoiceField(label=_("Assessment after (T1)"), queryset=None)
    quality = forms.TypedChoiceField(label=_("Quality"), choices=RATING_CHOICES, coerce=int)
    timeliness = forms.TypedChoiceField(label=_("Timeliness"), choices=RATING_CHOICES, coerce=int)
    service = forms.TypedChoiceField(label=_("Service"), choices=RATING_CHOICES, coerce=int)
    value = forms.TypedChoiceField(label=_("Value for money"), choices=RATING_CHOICES, coerce=int)
    comment = forms.CharField(
        label=_("Comment on the provider"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    declared = forms.BooleanField(
        label=_("We declare that this application and its documents are true and complete."), required=True
    )

    def __init__(self, *args, before_choices, after_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["before"].queryset = before_choices
        self.fields["after"].queryset = after_choices
        for name in ("before", "after"):
            self.fields[name].label_from_instance = _assessment_label

    def rating(self) -> dict:
        return {name: self.cleaned_data[name] for name in (*RATING_FIELDS, "comment")}


def _assessment_label(assessment) -> str:
    day = timezone.localdate(assessment.submitted_at).isoformat() if assessment.submitted_at else ""
    return f"{assessment.period} {assessment.get_kind_display()} · {assessment.total or '—'} · {day}"


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=AcceptanceDecision.Decision.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))
