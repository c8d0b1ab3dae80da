"""Filters and choices of the officers' pages: the assessment list and export, T0/T1 comparison, re-scoring."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smedx.accounts import people
from smedx.assessments import history
from smedx.assessments.levels import LEVEL_LABELS, level_label
from smedx.assessments.models import Assessment, Instrument, LevelRule
from smedx.enterprises.forms.casefile import district_queryset
from smedx.enterprises.models import SizeClass, search_condition
from smedx.enterprises.reference import division_choices

PERIODS = [f"T{n}" for n in range(10)]
NOT_RATED = "none"


class AssessmentFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Name or code"), required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("All")), *Assessment.Status.choices],
        required=False,
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=[("", gettext_lazy("All")), *Assessment.Kind.choices],
        required=False,
    )
    level = forms.ChoiceField(label=gettext_lazy("Level"), required=False)
    period = forms.ChoiceField(
        label=gettext_lazy("Period"),
        choices=[("", gettext_lazy("All")), *((p, p) for p in PERIODS)],
        required=False,
    )
    region = forms.ModelChoiceField(
        label=gettext_lazy("District"), queryset=district_queryset().none(), required=False
    )
    division = forms.ChoiceField(label=gettext_lazy("Industry division"), required=False)
    size = forms.ChoiceField(
        label=gettext_lazy("Size"),
        choices=[("", gettext_lazy("All sizes")), *SizeClass.choices],
        required=False,
    )
    instrument = forms.ModelChoiceField(
        label=gettext_lazy("Instrument version"), queryset=Instrument.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        regions = district_queryset()
        district = people.district_authority_of(user)
        if district is not None:
            # A district officer filters within the own district only.
            regions = regions.filter(pk=district.region_id)
        self.fields["region"].queryset = regions
        self.fields["division"].choices = [("", _("All divisions")), *division_choices()]
        self.fields["level"].choices = [
            ("", _("All")),
            *((str(n), label) for n, label in enumerate(LEVEL_LABELS)),
            (NOT_RATED, _("Not rated yet")),
        ]
        self.fields["instrument"].queryset = Instrument.objects.filter(kind=Instrument.Kind.ASSESSMENT).defer(
            "data"
        )

    def apply(self, qs):
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        text = data["q"].strip()
        if text:
            qs = qs.filter(search_condition(text, "enterprise__"))
        simple = {
            "status": "status",
            "kind": "kind",
            "period": "period",
            "region": "enterprise__region",
            "division": "enterprise__industry_division",
            "size": "enterprise__size_class",
            "instrument": "instrument",
        }
        for name, lookup in simple.items():
            if data.get(name) not in (None, ""):
                qs = qs.filter(**{lookup: data[name]})
        if data["level"] == NOT_RATED:
            qs = qs.filter(level__isnull=True)
        elif data["level"]:
            qs = qs.filter(level=int(data["level"]))
        return qs

    # The filters that are facts of the enterprise, by their names in the enterprise list's query.
    ENTERPRISE_FILTERS = {"region": "region", "division": "industry_division", "size": "size_class"}

    def apply_to_enterprises(self, qs):
        """The enterprises these filters select, by their current level (status, kind, period and
        instrument describe assessments, not enterprises, and do not apply)."""
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        qs = qs.search(data["q"])
        for name, lookup in self.ENTERPRISE_FILTERS.items():
            if data.get(name) not in (None, ""):
                qs = qs.filter(**{lookup: data[name]})
        if data["level"] == NOT_RATED:
            qs = qs.filter(current_level__isnull=True)
        elif data["level"]:
            qs = qs.filter(current_level=int(data["level"]))
        return qs

    def whole_districts(self, user):
        """The region ids the chart covers when no filter narrows it below whole districts (None: the
        whole city), or False when one does (search, industry, size or level)."""
        data = self.cleaned_data if self.is_valid() else {}
        if not self.is_valid() and self.is_bound:
            return False
        if data.get("q", "").strip() or data.get("division") or data.get("size") or data.get("level"):
            return False
        district = people.district_authority_of(user)
        if district is not None:
            return [district.region_id]
        return [data["region"].pk] if data.get("region") else None

    def enterprise_list_query(self) -> dict:
        """The same enterprise filters as query parameters of the enterprise list."""
        if not self.is_valid():
            return {}
        names = ["q", *self.ENTERPRISE_FILTERS]
        return {name: self.data[name] for name in names if self.cleaned_data.get(name) not in (None, "")}


def filtered_assessments(user, data):
    """The filter form and the assessments `user` may see, filtered by it (for the page, export and API)."""
    form = AssessmentFilterForm(data or None, user=user)
    return form, form.apply(Assessment.objects.visible_to(user))


class CompareForm(forms.Form):
    before = forms.ModelChoiceField(label=gettext_lazy("Compare"), queryset=Assessment.objects.none())
    after = forms.ModelChoiceField(label=gettext_lazy("with"), queryset=Assessment.objects.none())

    def __init__(self, *args, assessments, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("before", "after"):
            self.fields[name].queryset = assessments
            self.fields[name].label_from_instance = _choice_label

    def clean(self):
        data = super().clean()
        if data.get("before") and data.get("before") == data.get("after"):
            raise forms.ValidationError(_("Choose two different assessments."))
        return data


def _choice_label(assessment):
    level = level_label(assessment.level)
    return f"{history.label_of(assessment)} · {assessment.instrument.version} · {level}"


class RescoreForm(forms.Form):
    instrument = forms.ModelChoiceField(
        label=gettext_lazy("Instrument version"), queryset=Instrument.objects.none()
    )
    rule = forms.ModelChoiceField(label=gettext_lazy("Level rule"), queryset=LevelRule.objects.none())

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        code = assessment.instrument.code
        self.fields["instrument"].queryset = Instrument.objects.filter(code=code).defer("data")
        self.fields["rule"].queryset = LevelRule.objects.filter(instrument_code=code).defer("data")
        self.fields["instrument"].label_from_instance = lambda i: f"{i.version} · {i.get_status_display()}"
        self.fields["rule"].label_from_instance = lambda r: r.name + (f" · {_('active')}" if r.active else "")
