"""Input of the planning support request pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from smedx.accounts.models import Organisation
from smedx.core import uploads
from smedx.planning import files
from smedx.planning.models import PlanningRequest
from smedx.planning.services.support import active_providers


class RequestForm(forms.Form):
    route = forms.ChoiceField(
        label=_("Who helps with the plan"), choices=PlanningRequest.Route.choices, widget=forms.RadioSelect
    )
    provider = forms.ModelChoiceField(
        label=_("Service provider"), queryset=Organisation.objects.none(), required=False
    )
    need = forms.CharField(label=_("What do you need"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = active_providers()

    def clean(self):
        data = super().clean()
        if data.get("route") == PlanningRequest.Route.PROVIDER and not data.get("provider"):
            self.add_error("provider", _("Choose the provider."))
        if data.get("route") == PlanningRequest.Route.DISTRICT:
            data["provider"] = None
        return data


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 6}))
    document = forms.FileField(
        label=_("Plan document"), required=False, help_text=_("PDF, DOCX or XLSX, at most 20 MB.")
    )

    def clean_document(self):
        return uploads.clean(self.cleaned_data.get("document"), kinds=files.KINDS, max_bytes=files.MAX_BYTES)
