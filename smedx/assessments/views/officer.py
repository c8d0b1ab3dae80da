"""Officer pages of stage 1: the assessment list with its level chart and export, T0/T1 history, re-scoring."""

from django.contrib.auth.decorators import login_required
from django.db.models.fields.json import KT
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST, require_safe

from smedx.accounts.models import Organisation
from smedx.assessments import exports, history, metrics, standing
from smedx.assessments.exports import DIMENSIONS
from smedx.assessments.forms.officer import CompareForm, RescoreForm, filtered_assessments
from smedx.assessments.levels import level_label
from smedx.assessments.models import Assessment, Instrument, LevelRule
from smedx.core.access import get_visible, require_right
from smedx.core.paging import BoundedPaginator, page_query
from smedx.core.views import export_response
from smedx.enterprises.models import Enterprise

LIST, EXPORT = "assessments.assessment:list", "assessments.assessment:export"
ENTERPRISE_LIST = "enterprises.enterprise:list"
COUNT_ASSESSMENTS = "assessments"  # ?count=assessments: the second view, every rated assessment
PAGE_SIZE = 25


def with_dimension_points(qs):
    """Annotate `points_B`, `points_M`, `points_E` from the stored result, without loading the whole JSON."""
    return qs.annotate(
        **{f"points_{code}": KT(f"result__dimensions__{code}__points") for code, _name in DIMENSIONS}
    )


@require_safe
@login_required
def assessment_list(request):
    require_right(request.user, LIST)
    form, qs = filtered_assessments(request.user, request.GET)
    rows = with_dimension_points(
        qs.select_related("enterprise__region", "instrument").defer("result", "instrument__data")
    )
    page = BoundedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for assessment in page:
        assessment.level_text = level_label(assessment.level)
    count_assessments = request.GET.get("count") == COUNT_ASSESSMENTS
    return render(
        request,
        "assessments/officer_list.html",
        {
            "form": form,
            "page": page,
            "query": page_query(request),
            "filter_query": page_query(request, "count"),
            "count_assessments": count_assessments,
            **_chart(request.user, form, qs, count_assessments),
            "dimensions": DIMENSIONS,
            "can_export": request.user.has_right(EXPORT),
        },
    )


def _chart(user, form, qs, count_assessments: bool) -> dict:
    """Enterprises by current level (the figure officers report), or every rated assessment (second view);
    each enterprise count links to the enterprise list filtered the same way."""
    by_district = user.organisation.level == Organisation.Level.CITY
    if count_assessments:
        chart = metrics.level_distribution(qs, by_district=by_district)
        return {"chart": chart, "cells": [(n, None) for n in chart["levels"]]}
    whole = form.whole_districts(user)
    if whole is not False:  # no filter below a district: the kept counts, whatever the province's size
        chart = metrics.current_level_tally(whole, by_district=by_district)
    else:
        enterprises = form.apply_to_enterprises(Enterprise.objects.visible_to(user))
        chart = metrics.current_level_distribution(enterprises, by_district=by_district)
    links = [None] * len(chart["levels"])
    if user.has_right(ENTERPRISE_LIST):
        base, url = form.enterprise_list_query(), reverse("enterprises:list")
        links = [f"{url}?{urlencode({**base, 'current_level': n})}" for n in range(len(links))]
    return {"chart": chart, "cells": list(zip(chart["levels"], links, strict=True)), "rule": standing.RULE}


@login_required
@require_POST
def assessment_export(request):
    """The list's filters come in the query string; the file at once, or the export's progress page."""
    require_right(request.user, EXPORT)
    return export_response(request, exports.KIND.name)


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
