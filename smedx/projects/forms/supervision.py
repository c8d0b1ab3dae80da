"""Input of the supervision pages; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from smedx.accounts import people

DATE = forms.DateInput(attrs={"type": "date"})


class AssignForm(forms.Form):
    expert = forms.ModelChoiceField(label=_("Supervising expert"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = people.committee_experts().order_by("display_name", "username")


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Visited on"), widget=DATE)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 3}))


class RectificationForm(forms.Form):
    description = forms.CharField(label=_("What to rectify"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)


class FixForm(forms.Form):
    note = forms.CharField(label=_("What was fixed"), widget=forms.Textarea(attrs={"rows": 2}))
