"""Officer pages of stage 1: the assessment list with its level chart and export, T0/T1 history, re-scoring."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.fields.json import KT
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from smedx.accounts import people
from smedx.accounts.models import Organisation
from smedx.assessments import history
from smedx.assessments.exports import export_assessments, export_filename
from smedx.assessments.levels import LEVEL_LABELS, level_label
from smedx.assessments.models import Assessment, Instrument, LevelRule
from smedx.core.access import get_visible, require_right
from smedx.enterprises.forms import district_queryset
from smedx.enterprises.models import Enterprise, SizeClass
from smedx.enterprises.reference import division_choices

LIST, EXPORT = "assessments.assessment:list", "assessments.assessment:export"
PAGE_SIZE = 25
PERIODS = [f"T{n}" for n in range(10)]
NOT_RATED = "none"
DIMENSIONS = ("B", "M", "E")  # top dimensions of the 2024 instrument, shown as columns


def with_dimension_points(qs):
    """Annotate `points_B`, `points_M`, `points_E` from the stored result, without loading the whole JSON."""
    return qs.annotate(**{f"points_{code}": KT(f"result__dimensions__{code}__points") for code in DIMENSIONS})


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
            qs = qs.filter(
                Q(enterprise__name__icontains=text) | Q(enterprise__credit_code__istartswith=text.upper())
            )
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


def filtered_assessments(user, data):
    """The filter form and the assessments `user` may see, filtered by it (for the page, export and API)."""
    form = AssessmentFilterForm(data or None, user=user)
    return form, form.apply(Assessment.objects.visible_to(user))


def level_distribution(qs, *, by_district: bool) -> dict:
    """Rated assessments per level 0..4, and per district when asked: one grouped query."""
    rows = (
        qs.filter(level__isnull=False)
        .order_by()
        .values("enterprise__region__code", "enterprise__region__name", "level")
        .annotate(n=Count("id"))
    )
    levels = [0] * len(LEVEL_LABELS)
    districts: dict[str, dict] = {}
    for row in rows:
        level = row["level"]
        if not 0 <= level < len(levels):
            continue
        levels[level] += row["n"]
        name = row["enterprise__region__name"]
        entry = districts.setdefault(
            row["enterprise__region__code"], {"name": name, "levels": [0] * len(LEVEL_LABELS)}
        )
        entry["levels"][level] += row["n"]
    chart = {"labels": [str(label) for label in LEVEL_LABELS], "levels": levels, "total": sum(levels)}
    if by_district:
        ordered = [districts[code] for code in sorted(districts)]
        chart["districts"] = [entry["name"] for entry in ordered]
        chart["series"] = [[entry["levels"][n] for entry in ordered] for n in range(len(LEVEL_LABELS))]
    return chart


@require_safe
@login_required
def assessment_list(request):
    require_right(request.user, LIST)
    form, qs = filtered_assessments(request.user, request.GET)
    rows = with_dimension_points(
        qs.select_related("enterprise__region", "instrument").defer("result", "instrument__data")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for assessment in page:
        assessment.level_text = level_label(assessment.level)
    query = request.GET.copy()
    query.pop("page", None)
    org = request.user.organisation
    chart = level_distribution(qs, by_district=org.level == Organisation.Level.CITY)
    return render(
        request,
        "assessments/officer_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "chart": chart,
            "can_export": request.user.has_right(EXPORT),
        },
    )


@require_safe
@login_required
def assessment_export(request):
    require_right(request.user, EXPORT)
    _form, qs = filtered_assessments(request.user, request.GET)
    response = HttpResponse(
        export_assessments(qs),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{export_filename()}"'
    return response


def _enterprise_assessments(user, enterprise):
    return (
        Assessment.objects.visible_to(user)
        .filter(enterprise=enterprise)
        .select_related("instrument", "level_rule")
        .defer("result", "instrument__data", "level_rule__data")
    )


@require_safe
@login_required
def enterprise_history(request, pk):
    """Every assessment of one enterprise, by period, with links to compare and re-score."""
    enterprise = get_visible(Enterprise.objects.select_related("region"), request.user, pk=pk)
    assessments = list(_enterprise_assessments(request.user, enterprise))
    for assessment in assessments:
        assessment.level_text = level_label(assessment.level)
    comparable = [a for a in assessments if a.status in history.COMPARABLE]
    return render(
        request,
        "assessments/history_enterprise.html",
        {
            "enterprise": enterprise,
            "periods": history.history_of(assessments),
            "can_compare": len(comparable) >= 2,
        },
    )


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


@require_safe
@login_required
def compare(request, pk):
    """T0 against T1 (or any two rated assessments of the enterprise): the change in every line."""
    enterprise = get_visible(Enterprise.objects.select_related("region"), request.user, pk=pk)
    rated = _enterprise_assessments(request.user, enterprise).filter(status__in=history.COMPARABLE)
    ordered = sorted(rated, key=history.chronological_key)
    data = request.GET if "before" in request.GET or "after" in request.GET else None
    if data is None and len(ordered) >= 2:
        data = {"before": ordered[0].pk, "after": ordered[-1].pk}
    form = CompareForm(data, assessments=rated)
    comparison = None
    if form.is_bound and form.is_valid():
        comparison = history.comparison_for(
            _full(form.cleaned_data["before"]), _full(form.cleaned_data["after"])
        )
    return render(
        request,
        "assessments/history_compare.html",
        {"enterprise": enterprise, "form": form, "comparison": comparison, "enough": len(ordered) >= 2},
    )


def _full(assessment):
    """The row with its instrument file and rule, which the list query left out."""
    return Assessment.objects.select_related("instrument", "level_rule").get(pk=assessment.pk)


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
        self.fields["rule"].label_from_instance = lambda r: (
            f"{r.code} {r.version}" + (f" · {_('active')}" if r.active else "")
        )


@require_safe
@login_required
def rescore(request, pk):
    """An earlier assessment's answers under another instrument version or rule; nothing is saved."""
    assessment = get_visible(
        Assessment.objects.select_related("enterprise", "instrument", "level_rule"), request.user, pk=pk
    )
    if assessment.status not in history.COMPARABLE:
        form, comparison = None, None
    else:
        data = request.GET if "instrument" in request.GET else None
        if data is None:
            newest = Instrument.objects.current(assessment.instrument.code) or assessment.instrument
            rule = LevelRule.objects.active_for(assessment.instrument.code) or assessment.level_rule
            data = {"instrument": newest.pk, "rule": rule.pk}
        form = RescoreForm(data, assessment=assessment)
        comparison = None
        if form.is_valid():
            instrument = Instrument.objects.get(pk=form.cleaned_data["instrument"].pk)
            rule = LevelRule.objects.get(pk=form.cleaned_data["rule"].pk)
            comparison = history.rescore_assessment(assessment, instrument, rule)
    return render(
        request,
        "assessments/history_rescore.html",
        {
            "assessment": assessment,
            "level_text": level_label(assessment.level),
            "form": form,
            "comparison": comparison,
        },
    )
