"""Input of the on-site diagnosis pages. Validation of the answers themselves stays in the scoring module."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smedx.accounts import people
from smedx.assessments.levels import LEVEL_LABELS
from smedx.assessments.models import DiagnosisRequest
from smedx.assessments.services import diagnosis as services
from smedx.assessments.services.self_assessment import EVIDENCE_KINDS, evidence_max_bytes
from smedx.assessments.spec import EXPERT, MULTIPLE, SCENE_LEVELS, TEXT
from smedx.core import uploads

VISITOR_ROWS = 5


class RequestForm(forms.Form):
    route = forms.ChoiceField(
        label=_("Who arranges the diagnosis"),
        choices=DiagnosisRequest.Route.choices,
        widget=forms.RadioSelect,
    )
    institution = forms.ModelChoiceField(
        label=_("Diagnosis institution"), queryset=services.listed_institutions(), required=False
    )
    note = forms.CharField(
        label=_("What should the diagnosis look at"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if data.get("route") == DiagnosisRequest.Route.INSTITUTION and not data.get("institution"):
            self.add_error("institution", _("Choose the institution."))
        return data


class VerifierChoiceForm(forms.Form):
    """An expert of the committee or a listed diagnosis institution — exactly one."""

    expert = forms.ModelChoiceField(
        label=_("Expert"),
        queryset=people.committee_experts().select_related("expert_profile"),
        required=False,
    )
    institution = forms.ModelChoiceField(
        label=_("Diagnosis institution"), queryset=services.listed_institutions(), required=False
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("expert")) == bool(data.get("institution")):
            raise forms.ValidationError(_("Choose either an expert or a diagnosis institution."))
        return data


class RecommendForm(VerifierChoiceForm):
    note = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class VisitForm(forms.Form):
    """The visit record; visitors are a fixed number of rows, empty rows ignored."""

    visited_on = forms.DateField(label=_("Visit date"), widget=forms.DateInput(attrs={"type": "date"}))
    main_products = forms.CharField(label=_("Main products"), widget=forms.Textarea(attrs={"rows": 2}))
    process_flow = forms.CharField(label=_("Process flow"), widget=forms.Textarea(attrs={"rows": 3}))
    intelligent_equipment = forms.CharField(
        label=_("Intelligent equipment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    industrial_software = forms.CharField(
        label=_("Industrial software"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    VISITOR_LABELS = {
        "name": _("Name"),
        "organisation": _("Organisation"),
        "role": _("Role"),
        "contact": _("Contact"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for row in range(VISITOR_ROWS):
            for key, label in self.VISITOR_LABELS.items():
                self.fields[f"visitor_{row}_{key}"] = forms.CharField(
                    label=label, required=False, max_length=100
                )

    @classmethod
    def initial_for(cls, request) -> dict:
        initial = {
            "visited_on": request.visited_on or timezone.localdate(),
            "main_products": request.main_products,
            "process_flow": request.process_flow,
            "intelligent_equipment": request.intelligent_equipment,
            "industrial_software": request.industrial_software,
        }
        for row, visitor in enumerate(request.visitors[:VISITOR_ROWS]):
            for key in cls.VISITOR_LABELS:
                initial[f"visitor_{row}_{key}"] = visitor.get(key, "")
        return initial

    @property
    def visitor_rows(self):
        return [[self[f"visitor_{row}_{key}"] for key in self.VISITOR_LABELS] for row in range(VISITOR_ROWS)]

    def clean_visited_on(self):
        day = self.cleaned_data["visited_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The visit date cannot be in the future."))
        return day

    def clean(self):
        data = super().clean()
        rows = []
        for row in range(VISITOR_ROWS):
            values = {key: data.get(f"visitor_{row}_{key}", "").strip() for key in self.VISITOR_LABELS}
            if any(values.values()):
                if not values["name"]:
                    self.add_error(f"visitor_{row}_name", _("Give the visitor's name."))
                rows.append(values)
        if not rows:
            raise forms.ValidationError(_("Name at least one visitor."))
        data["visitors"] = rows
        return data

    def record(self) -> dict:
        keys = ["visited_on", "visitors", "main_products", "process_flow", "intelligent_equipment"]
        return {key: self.cleaned_data[key] for key in [*keys, "industrial_software"]}


class AdjustForm(forms.Form):
    """The verified answer of one item or scene, in the controls its kind needs, with the reason."""

    reason = forms.CharField(label=_("Reason for the adjustment"), widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label=_("Evidence"), required=False)

    def __init__(self, *args, item=None, scene=None, levels=range(1, SCENE_LEVELS + 1), **kwargs):
        """`levels`: the scene levels the instrument offers (`InstrumentSpec.scene_levels`)."""
        kwargs.setdefault("prefix", (item or scene).code)
        super().__init__(*args, **kwargs)
        self.item, self.scene = item, scene
        if scene is not None:
            choices = [(str(n), LEVEL_LABELS[n]) for n in levels]
            self.fields["level"] = forms.TypedChoiceField(label=_("Scene level"), choices=choices, coerce=int)
        elif item.kind == TEXT:
            self.fields["text"] = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 2}))
        elif item.kind == EXPERT:
            self.fields["points"] = forms.DecimalField(label=_("Points"), min_value=0, max_value=item.points)
            self.fields["comment"] = forms.CharField(label=_("Comment"), required=False)
        else:
            choices = [(o.code, f"{o.code}. {o.text}") for o in item.options]
            if item.kind == MULTIPLE:
                field = forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple)
            else:
                field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect)
            field.label, field.required = _("Option"), not item.fields
            self.fields["options"] = field
            for f in item.fields:
                label = f"{f.name}（{f.unit}）" if f.unit and f.unit not in f.name else f.name
                self.fields[f"figure_{f.key}"] = forms.DecimalField(label=label, required=False, min_value=0)
        self.order_fields([name for name in self.fields if name not in ("reason", "evidence")])

    @staticmethod
    def initial_from(value, item=None, scene=None) -> dict:
        """The form's initial data from a stored answer value."""
        if scene is not None:
            return {"level": value}
        if item.kind == TEXT:
            return {"text": value}
        if item.kind == EXPERT:
            return dict(value or {})
        if isinstance(value, dict):
            letters = value.get("options") or []
            initial = {f"figure_{key}": v for key, v in value.items() if key != "options"}
        else:
            letters, initial = value or [], {}
        initial["options"] = letters if item.kind == MULTIPLE else (letters[0] if letters else None)
        return initial

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        return uploads.clean(upload, kinds=EVIDENCE_KINDS, max_bytes=evidence_max_bytes())

    def value(self):
        """The answer in the scoring format."""
        data = self.cleaned_data
        if self.scene is not None:
            return data["level"]
        if self.item.kind == TEXT:
            return data["text"]
        if self.item.kind == EXPERT:
            return {"points": str(data["points"]), "comment": data.get("comment", "")}
        letters = data.get("options") or []
        letters = list(letters) if isinstance(letters, list) else [letters]
        figures = {f.key: _number(data.get(f"figure_{f.key}")) for f in self.item.fields}
        figures = {key: number for key, number in figures.items() if number is not None}
        return {"options": letters, **figures} if figures else letters


def _number(value):
    """Figures as JSON numbers: whole numbers as int, others as float-free strings."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else str(value)


class DeclareForm(forms.Form):
    description = forms.CharField(
        label=_("Your interest in the enterprise"),
        help_text=_("For example a project, a proposal or a contract with the enterprise."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CompleteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
