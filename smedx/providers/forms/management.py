"""Forms of the pool's management: the committee's review, the decisions, the public notice's objections."""

from django import forms
from django.utils.translation import gettext_lazy as _

from smedx.providers.models import ExpertReview
from smedx.providers.services import management as services


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
