"""Forms of stage 4 registration and implementation: input validation only, the services decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from smedx.projects.models import Invoice, Milestone, Project, ProjectItem, ProjectKpi
from smedx.proposals import forms as proposal_forms

DATE = {"type": "date"}


def _date_widget():
    return forms.DateInput(attrs=DATE, format="%Y-%m-%d")


class ProjectForm(forms.ModelForm):
    enterprise_signatory = forms.CharField(label=_("enterprise signatory"), max_length=100, required=False)
    provider_signatory = forms.CharField(label=_("provider signatory"), max_length=100, required=False)
    contract_upload = forms.FileField(
        label=_("signed contract (PDF, JPG, PNG, DOCX)"),
        required=False,
        help_text=_("Leave empty to keep the contract already uploaded."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Project
        fields = [
            "title",
            "contract_number",
            "contract_signed_on",
            "contract_amount",
            "goal_production_line",
            "goal_management",
            "goal_data_flow",
        ]
        widgets = {
            "contract_signed_on": _date_widget(),
            "goal_production_line": forms.Textarea(attrs={"rows": 2}),
            "goal_management": forms.Textarea(attrs={"rows": 2}),
            "goal_data_flow": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, instance=None, **kwargs):
        initial = kwargs.pop("initial", {}) or {}
        if instance is not None:
            initial.setdefault("version", instance.version)
            initial.setdefault("enterprise_signatory", instance.parties.get("enterprise_signatory", ""))
            initial.setdefault("provider_signatory", instance.parties.get("provider_signatory", ""))
        super().__init__(*args, instance=instance, initial=initial, **kwargs)

    def clean_contract_amount(self):
        value = self.cleaned_data["contract_amount"]
        if value is not None and value < 0:
            raise ValidationError(_("The contract amount cannot be negative."))
        return value


class ItemForm(proposal_forms.ItemForm):
    """A line item of the filing: the proposal's row checks, plus the office-PC flag (never eligible)."""

    class Meta:
        model = ProjectItem
        fields = ["kind", "description", "quantity", "unit_price", "office_pc"]


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["name", "due_date", "deliverable"]
        widgets = {"due_date": _date_widget()}


class KpiForm(forms.ModelForm):
    class Meta:
        model = ProjectKpi
        fields = ["direction", "name", "baseline", "target", "unit"]


def _rows(formset, keys) -> list[dict]:
    return [
        {k: f.cleaned_data.get(k) for k in keys}
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


ItemFormSet = formset_factory(ItemForm, extra=2, min_num=1, validate_min=True, can_delete=True)
MilestoneFormSet = formset_factory(MilestoneForm, extra=2, min_num=1, validate_min=True, can_delete=True)
KpiFormSet = formset_factory(KpiForm, extra=2, can_delete=True)
ITEM_KEYS = ("kind", "description", "quantity", "unit_price", "office_pc")
MILESTONE_KEYS = ("name", "due_date", "deliverable")
KPI_KEYS = ("direction", "name", "baseline", "target", "unit")


class ProjectForms:
    """The project form and its three lists, validated together so every error shows at once."""

    def __init__(self, data=None, files=None, *, project):
        # Initial rows only for the page shown first: a bound form compared with them would take an
        # unchanged row for an empty one and drop it.
        items = milestones = kpis = None
        if data is None:
            items = list(project.items.values(*ITEM_KEYS))
            milestones = list(project.milestones.values(*MILESTONE_KEYS))
            kpis = list(project.kpis.values(*KPI_KEYS))
        self.main = ProjectForm(data, files, instance=project)
        self.items = ItemFormSet(data, prefix="items", initial=items)
        self.milestones = MilestoneFormSet(data, prefix="milestones", initial=milestones)
        self.kpis = KpiFormSet(data, prefix="kpis", initial=kpis)

    def is_valid(self) -> bool:
        results = [part.is_valid() for part in (self.main, self.items, self.milestones, self.kpis)]
        return all(results)

    def cleaned(self) -> dict:
        main = dict(self.main.cleaned_data)
        return {
            "data": main,
            "version": main.pop("version"),
            "contract_file": main.pop("contract_upload", None) or None,
            "items": _rows(self.items, ITEM_KEYS),
            "milestones": _rows(self.milestones, MILESTONE_KEYS),
            "kpis": _rows(self.kpis, KPI_KEYS),
        }


class SubmitForm(forms.Form):
    declared = forms.BooleanField(
        label=_("I declare that the contract, prices and information given are true and complete."),
        required=True,
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("register", _("Register the project")), ("return", _("Return it for changes"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say what must be changed when returning a project."))
        return data


class ChangeDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("approve", _("Approve the change")), ("refuse", _("Refuse the change"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Give a reason when refusing a change."))
        return data


class ChangeRequestForm(forms.Form):
    """What changes: a new contract amount and new due dates for milestones not yet confirmed."""

    description = forms.CharField(label=_("what changes and why"), widget=forms.Textarea(attrs={"rows": 3}))
    contract_amount = forms.DecimalField(
        label=_("new contract amount (yuan)"), required=False, max_digits=14, decimal_places=2, min_value=0
    )

    def __init__(self, *args, milestones=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.milestones = [m for m in milestones if m.status != Milestone.Status.CONFIRMED]
        for m in self.milestones:
            self.fields[f"due_{m.pk}"] = forms.DateField(
                label=_("new due date of %(milestone)s") % {"milestone": m.name},
                required=False,
                widget=_date_widget(),
                help_text=_("now %(date)s") % {"date": m.due_date.isoformat()},
            )

    def changes(self) -> dict:
        data = self.cleaned_data
        due = {str(m.pk): data[f"due_{m.pk}"] for m in self.milestones if data.get(f"due_{m.pk}")}
        out = {"due_dates": due} if due else {}
        if data.get("contract_amount") is not None:
            out["contract_amount"] = str(data["contract_amount"])
        return out


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("progress"), widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(label=_("evidence (PDF, JPG, PNG, XLSX, DOCX)"), required=False)


class InvoiceForm(forms.ModelForm):
    proof = forms.FileField(label=_("payment proof"), required=False)

    class Meta:
        model = Invoice
        fields = ["number", "date", "amount", "seller_code", "paid_on"]
        widgets = {"date": _date_widget(), "paid_on": _date_widget()}

    def clean_amount(self):
        value = self.cleaned_data["amount"]
        if value is not None and value <= 0:
            raise ValidationError(_("The amount must be positive."))
        return value
