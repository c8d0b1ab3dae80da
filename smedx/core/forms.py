"""The audit log's filters."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from smedx.core import frame, history


class AuditFilterForm(forms.Form):
    LOGINS = [
        ("", _("With sign-in events")),
        ("hide", _("Without sign-in events")),
        ("only", _("Only sign-in events")),
    ]

    person = forms.CharField(label=_("Person"), required=False, max_length=150)
    organisation = forms.CharField(label=_("Organisation"), required=False, max_length=200)
    enterprise = forms.CharField(label=_("Enterprise"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind of action"), required=False)
    logins = forms.ChoiceField(label=_("Sign-in events"), required=False, choices=LOGINS)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Every kind of action")), *history.kind_choices()]
        for field in self.fields.values():
            select = isinstance(field, forms.ChoiceField)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if select else "form-control form-control-sm"
            )

    def filter(self, qs):
        data = self.cleaned_data if self.is_valid() else {}
        if person := data.get("person"):
            qs = qs.filter(Q(actor__username__icontains=person) | Q(actor__display_name__icontains=person))
        if organisation := data.get("organisation"):
            qs = qs.filter(organisation__name__icontains=organisation)
        if enterprise := data.get("enterprise"):
            ids = [
                i for search in frame.extensions("core.audit_enterprise_search") for i in search(enterprise)
            ]
            qs = qs.filter(enterprise_id__in=ids)
        if kind := data.get("kind"):
            qs = qs.filter(action=kind)
        if data.get("logins") == "hide":
            qs = qs.exclude(action__in=history.login_codes())
        elif data.get("logins") == "only":
            qs = qs.filter(action__in=history.login_codes())
        if data.get("date_from"):
            qs = qs.filter(created_at__date__gte=data["date_from"])
        if data.get("date_to"):
            qs = qs.filter(created_at__date__lte=data["date_to"])
        return qs
