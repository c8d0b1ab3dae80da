"""Stage 1 over HTTP: instruments (read), scoring without saving, self-assessments and their verification.

Writes call the same services as the pages (`smedx.assessments.services.self_assessment`, `.diagnosis`). A
refused answer set gets 400 with `errors` keyed by the item (or scene) code at fault.
"""

import functools
from datetime import datetime
from typing import Any

from django.core.paginator import EmptyPage, Paginator
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from smedx.api.enterprises import _region_value
from smedx.api.errors import InputError
from smedx.api.schemas import MAX_PAGE_SIZE, ErrorOut, RegionOut
from smedx.assessments.forms.officer import filtered_assessments
from smedx.assessments.levels import level_label
from smedx.assessments.models import Assessment, Instrument, LevelRule
from smedx.assessments.scoring import ScoringError, score
from smedx.assessments.services import diagnosis as services_diagnosis
from smedx.assessments.services import self_assessment as services
from smedx.core.access import get_visible, require_right
from smedx.core.audit import client_ip
from smedx.enterprises.models import Enterprise

router = Router(tags=["assessments"])

FILL, VERIFY = services.FILL, "assessments.assessment:verify"

ANSWER_FORMATS = """
Answers are keyed by item and scene code:

- choice items (B1…B7, M1…M4, E1…E4): the option letters as a list, `["B", "C"]`; a single-choice
  item takes one letter; the "无" option (A of B1, B4, B6, B7, M2, M3) cannot be combined;
- numeric items may send their figures instead of (or with) the option, as an object; the figures
  decide the option: B2 `{"digital": 80, "total": 100}` or `{"rate": 80}` (percent);
  B3 `{"networked": 40}` (its total comes from B2) or `{"networked": 40, "total": 100}` or
  `{"rate": 40}`; E3 `{"employees_last", "revenue_last", "employees_prev", "revenue_prev"}`;
  E1 `{"energy_last", "energy_prev"}` and E4 `{"cost_last", "cost_prev"}` (per revenue, with E3's
  revenues); M4 `{"options": ["C"], "investment": 120}` and E2 `{"options": ["B"], "pass_rate": 98.5}`
  record a figure beside the option;
- scenes S01…S16: a whole number, one of the scene's `options` in the instrument detail: 1 (一级) to
  4 (四级) as on the official form (from version 2024.2 on); version 2024.1 also took 0 (未达一级).
"""


def error_responses(*codes):
    return dict.fromkeys((401, *codes), ErrorOut)


def naming_the_item(view):
    """A refused answer is a 400 whose `errors` are keyed by the item at fault."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ScoringError as exc:
            return Status(400, {"detail": str(exc), "errors": {exc.item or "__all__": [str(exc)]}})

    return wrapper


# --- schemas -------------------------------------------------------------------------------------


class InstrumentOut(Schema):
    id: int
    code: str
    version: str
    title: str
    kind: str
    status: str = Field(description="draft, active or retired")


class OptionOut(Schema):
    code: str
    text: str
    points: float
    exclusive: bool = Field(description='The "无" option: chosen alone or not at all')


class FieldOut(Schema):
    key: str = Field(description="The name under which the figure is sent")
    name: str
    unit: str


class InstrumentItemOut(Schema):
    code: str
    dimension: str = Field(description="Code of the sub-dimension")
    ref: str
    indicator: str
    kind: str = Field(description="single, multiple, numeric, text or expert")
    title: str
    description: str
    note: str
    points: float
    options: list[OptionOut]
    fields: list[FieldOut]
    computes_option: bool = Field(description="The figures decide the option")
    evidence: list[str]


class SubDimensionOut(Schema):
    code: str
    name: str
    points: float
    items: list[str]


class DimensionOut(Schema):
    code: str
    name: str
    points: float
    sub_dimensions: list[SubDimensionOut]


class SceneLevelOut(Schema):
    level: int = Field(description="The answer to send")
    name: str
    text: str = Field(description="What the level means; empty for 0 (未达一级, version 2024.1 only)")


class SceneOut(Schema):
    code: str
    category: str
    name: str
    constrained: bool
    levels: list[str] = Field(description="The texts of levels 1 to 4")
    options: list[SceneLevelOut] = Field(description="The levels a scene answer may take")


class ThresholdOut(Schema):
    level: int
    min_total: float
    scene_level: int
    min_scenes: int
    min_constrained: int


class LevelRuleOut(Schema):
    code: str
    version: str
    title: str
    levels: list[ThresholdOut]


class InstrumentDetailOut(InstrumentOut):
    total: float
    scene_level_names: list[str]
    scene_levels: list[int] = Field(description="The levels a scene answer may take: 1 to 4 from 2024.2 on")
    level_rule: LevelRuleOut | None = Field(
        description="The active rule turning points and scenes into a level"
    )
    dimensions: list[DimensionOut]
    items: list[InstrumentItemOut]
    scenes: list[SceneOut]


class AnswersIn(Schema):
    model_config = ConfigDict(extra="forbid")

    answers: dict[str, Any] = Field(description="Item and scene code → answer (see the endpoint description)")


class ItemScoreOut(Schema):
    points: float
    max: float
    options: list[str]
    value: float | None = Field(description="What the figures computed: a rate or a change in percent")
    answered: bool


class SceneStepOut(Schema):
    scene: str
    name: str
    constrained: bool
    from_level: int = Field(alias="from")
    to_level: int = Field(alias="to")


class SuggestionOut(Schema):
    item: str
    option: str | None
    from_option: str | None = Field(alias="from")
    gain: float
    cumulative: float


class GapOut(Schema):
    level: int = Field(description="The next level")
    points_missing: float
    scenes: list[SceneStepOut] = Field(description="Scenes to raise, constrained ones first")
    suggestions: list[SuggestionOut] = Field(description="Single steps that gain points, largest gain first")
    suggestions_needed: int | None = Field(description="How many suggestions from the top cover the points")


class ScoreOut(Schema):
    instrument: str
    rule: str | None
    total: float
    max: float
    level: int | None = Field(description="0 (未达一级) to 4")
    level_name: str
    dimensions: dict[str, float] = Field(description="B, M, E")
    sub_dimensions: dict[str, float]
    items: dict[str, ItemScoreOut]
    scenes: dict[str, int]
    missing: list[str] = Field(
        description="Unanswered items and scenes (only in a draft's provisional result)"
    )
    partial: bool
    gap: GapOut | None = Field(description="What the next level needs; null at the top level")


class EnterpriseRef(Schema):
    id: int
    name: str
    credit_code: str
    region: RegionOut


class AssessmentOut(Schema):
    id: int
    enterprise: EnterpriseRef
    instrument: str = Field(description="Code and version, e.g. miit-2024-mfg 2024.1")
    level_rule: str
    kind: str = Field(description="self or verified")
    period: str = Field(description="T0 before the transformation, T1 after, …")
    status: str = Field(description="draft, submitted or verified")
    verified_from: int | None = Field(description="For a verified assessment: the self-assessment it checks")
    total: float | None
    level: int | None
    level_name: str
    submitted_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int = Field(
        description="Send it back when submitting or completing; a newer one means a conflict"
    )


class AnswerOut(Schema):
    item_code: str
    value: Any
    answered_by: str | None
    answered_at: datetime
    version: str = Field(description="Send it back with the next change of this answer")
    review: str = Field(description="In a verification: accepted, adjusted, or empty while unchecked")
    reason: str


class AssessmentDetailOut(AssessmentOut):
    answers: list[AnswerOut]
    result: ScoreOut | None = Field(description="As GET …/result; null before anything is answered")


class AssessmentPage(Schema):
    count: int
    page: int
    pages: int
    results: list[AssessmentOut]


class ResultOut(ScoreOut):
    assessment: int
    status: str
    problems: dict[str, str] = Field(description="Draft answers that no longer score, and why")


class AssessmentFilters(Schema):
    """The filters of the officer list, as query parameters."""

    q: str = Field("", description="Enterprise name, or the start of its credit code")
    status: str = Field("", description="draft, submitted or verified")
    kind: str = Field("", description="self or verified")
    level: str = Field("", description="0 to 4, or none for not yet rated")
    period: str = Field("", description="T0 … T9")
    region: str = Field("", description="District id or 6-digit division code")
    division: str = Field("", description="GB/T 4754 two-digit division")
    size: str = Field("", description="large, medium, small or micro")
    instrument: int | None = Field(None, description="Instrument id (GET /instruments)")
    page: int = Field(1, ge=1)
    page_size: int = Field(25, ge=1, le=MAX_PAGE_SIZE)


class StartIn(Schema):
    model_config = ConfigDict(extra="forbid")

    period: str = Field("T0", description="T0 before the transformation, T1 after, …")


class AnswerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    value: Any = Field(description="The answer in the format of POST /instruments/…/score; null empties it")
    version: str | None = Field(
        None, description="The answer's version last read; another person's change since then gives 409"
    )


class AnswerSaved(Schema):
    answer: AnswerOut | None = Field(description="null when the answer was emptied")
    changed: bool
    assessment_version: int
    total: float | None = Field(description="The provisional total of the draft")


class SubmitIn(Schema):
    model_config = ConfigDict(extra="forbid")

    declared: bool = Field(description="The truthfulness declaration (真实性承诺); required")
    version: int = Field(description="The assessment's version the submission is based on")


class ReviewIn(Schema):
    model_config = ConfigDict(extra="forbid")

    accept: bool = Field(description="true: the self-assessed answer stands; false: adjust it")
    value: Any = Field(None, description="The verified answer when adjusting")
    reason: str = Field("", description="Why the answer is adjusted; required when adjusting")


class CompleteIn(Schema):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(description="The verification's version the completion is based on")


# --- instruments ---------------------------------------------------------------------------------


def _instrument(code: str, version: str) -> Instrument:
    return get_object_or_404(Instrument, code=code, version=version)


@router.get("/instruments", response={200: list[InstrumentOut], **error_responses()})
def list_instruments(request):
    """Every instrument version loaded: code, version, title and status."""
    rows = Instrument.objects.defer("data").order_by("code", "loaded_at", "id")
    return sorted(rows, key=lambda row: (row.code, row.version_key))


def _rule_out(rule: LevelRule | None):
    if rule is None:
        return None
    spec = rule.spec
    return {
        "code": spec.code,
        "version": spec.version,
        "title": spec.title,
        "levels": [
            {
                "level": t.level,
                "min_total": t.min_total,
                "scene_level": t.scene_level,
                "min_scenes": t.min_scenes,
                "min_constrained": t.min_constrained,
            }
            for t in spec.levels
        ],
    }


def _items_out(spec) -> list[dict]:
    return [
        {
            "code": item.code,
            "dimension": item.dimension,
            "ref": item.ref,
            "indicator": item.indicator,
            "kind": item.kind,
            "title": item.title,
            "description": item.description,
            "note": item.note,
            "points": item.points,
            "options": [
                {"code": o.code, "text": o.text, "points": o.points, "exclusive": o.exclusive}
                for o in item.options
            ],
            "fields": [{"key": f.key, "name": f.name, "unit": f.unit} for f in item.fields],
            "computes_option": item.compute is not None,
            "evidence": list(item.evidence),
        }
        for item in spec.items.values()
    ]


@router.get("/instruments/{code}/{version}", response={200: InstrumentDetailOut, **error_responses(404)})
def get_instrument(request, code: str, version: str):
    """One instrument version: dimensions, items with their options and points, scenes, the level rule."""
    instrument = _instrument(code, version)
    spec = instrument.spec
    dimensions = [
        {
            "code": top.code,
            "name": top.name,
            "points": top.points,
            "sub_dimensions": [
                {
                    "code": c,
                    "name": spec.dimensions[c].name,
                    "points": spec.dimensions[c].points,
                    "items": list(spec.dimensions[c].items),
                }
                for c in top.children or (top.code,)
            ],
        }
        for top in spec.top_dimensions
    ]
    return {
        "id": instrument.pk,
        "code": spec.code,
        "version": spec.version,
        "title": spec.title,
        "kind": spec.kind,
        "status": instrument.status,
        "total": spec.total,
        "scene_level_names": list(spec.scene_level_names),
        "scene_levels": list(spec.scene_levels),
        "level_rule": _rule_out(LevelRule.objects.active_for(spec.code)),
        "dimensions": dimensions,
        "items": _items_out(spec),
        "scenes": [
            {
                "code": s.code,
                "category": s.category,
                "name": s.name,
                "constrained": s.constrained,
                "levels": list(s.levels),
                "options": _scene_options(spec, s),
            }
            for s in spec.scenes.values()
        ],
    }


def _scene_options(spec, scene) -> list[dict]:
    names = spec.scene_level_names or [str(n) for n in range(len(scene.levels) + 1)]
    texts = ("", *scene.levels)
    return [{"level": n, "name": names[n], "text": texts[n]} for n in spec.scene_levels]


def _score_out(result: dict) -> dict:
    """`Result.as_dict()` (stored with exact strings, or with floats) in the shape of the API."""

    def num(value):
        return None if value is None else float(value)

    gap = result.get("gap")
    if gap is not None:
        gap = {
            **gap,
            "points_missing": num(gap["points_missing"]),
            "suggestions": [
                {**s, "gain": num(s["gain"]), "cumulative": num(s["cumulative"])} for s in gap["suggestions"]
            ],
        }
    instrument = result.get("instrument") or {}
    return {
        "instrument": f"{instrument.get('code', '')} {instrument.get('version', '')}".strip(),
        "rule": result.get("rule"),
        "total": num(result.get("total")) or 0.0,
        "max": num(result.get("max")) or 0.0,
        "level": result.get("level"),
        "level_name": str(level_label(result.get("level"))) if result.get("level") is not None else "",
        "dimensions": {code: num(d["points"]) for code, d in result.get("dimensions", {}).items()},
        "sub_dimensions": {code: num(d["points"]) for code, d in result.get("sub_dimensions", {}).items()},
        "items": {
            code: {
                **item,
                "points": num(item["points"]),
                "max": num(item["max"]),
                "value": num(item["value"]),
            }
            for code, item in result.get("items", {}).items()
        },
        "scenes": result.get("scenes", {}),
        "missing": result.get("missing", []),
        "partial": result.get("partial", False),
        "gap": gap,
    }


@router.post(
    "/instruments/{code}/{version}/score",
    response={200: ScoreOut, **error_responses(400, 404, 422)},
    by_alias=True,
    description="Score a complete answer set under this instrument version and its active level rule. "
    "Nothing is saved. Any logged-in caller (session or token) may use it.\n" + ANSWER_FORMATS,
)
@naming_the_item
def score_answers(request, code: str, version: str, payload: AnswersIn):
    """Score an answer set without saving anything."""
    instrument = _instrument(code, version)
    rule = LevelRule.objects.active_for(code)
    result = score(instrument.spec, payload.answers, rule.spec if rule else None)
    return _score_out(result.as_dict(decimal=float))


# --- assessments ---------------------------------------------------------------------------------


def _assessments():
    return Assessment.objects.select_related("enterprise__region", "instrument", "level_rule").defer(
        "result", "instrument__data", "level_rule__data"
    )


def _out(assessment: Assessment) -> dict:
    return {
        "id": assessment.pk,
        "enterprise": assessment.enterprise,
        "instrument": f"{assessment.instrument.code} {assessment.instrument.version}",
        "level_rule": f"{assessment.level_rule.code} {assessment.level_rule.version}",
        "kind": assessment.kind,
        "period": assessment.period,
        "status": assessment.status,
        "verified_from": assessment.verified_from_id,
        "total": None if assessment.total is None else float(assessment.total),
        "level": assessment.level,
        "level_name": str(level_label(assessment.level)) if assessment.level is not None else "",
        "submitted_at": assessment.submitted_at,
        "created_at": assessment.created_at,
        "updated_at": assessment.updated_at,
        "version": assessment.version,
    }


def _answer_out(answer) -> dict:
    return {
        "item_code": answer.item_code,
        "value": answer.value,
        "answered_by": str(answer.answered_by) if answer.answered_by else None,
        "answered_at": answer.answered_at,
        "version": services.version_token(answer),
        "review": answer.review,
        "reason": answer.reason,
    }


def _detail(assessment_id: int) -> dict:
    assessment = (
        Assessment.objects.select_related("enterprise__region", "instrument", "level_rule")
        .defer("instrument__data", "level_rule__data")
        .get(pk=assessment_id)
    )
    answers = assessment.answers.select_related("answered_by").order_by("id")
    return {
        **_out(assessment),
        "answers": [_answer_out(a) for a in answers],
        "result": _score_out(assessment.result) if assessment.result else None,
    }


def _filter_data(filters: AssessmentFilters) -> dict:
    data = filters.model_dump(exclude={"page", "page_size"}, exclude_none=True)
    if data.get("region"):
        data["region"] = _region_value(data["region"])
    return {key: value for key, value in data.items() if value != ""}


@router.get("/assessments", response={200: AssessmentPage, **error_responses(422)})
def list_assessments(request, filters: Query[AssessmentFilters]):
    """Assessments the caller may see (officers: their region; an enterprise: its own), filtered like
    the officer list."""
    form, qs = filtered_assessments(request.auth, _filter_data(filters))
    if form.is_bound and not form.is_valid():
        raise InputError.from_form(form)
    paginator = Paginator(
        qs.select_related("enterprise__region", "instrument", "level_rule").defer(
            "result", "instrument__data", "level_rule__data"
        ),
        filters.page_size,
    )
    try:
        rows = paginator.page(filters.page).object_list
    except EmptyPage:
        rows = []
    return {
        "count": paginator.count,
        "page": filters.page,
        "pages": paginator.num_pages,
        "results": [_out(assessment) for assessment in rows],
    }


@router.get(
    "/assessments/{int:assessment_id}",
    response={200: AssessmentDetailOut, **error_responses(404)},
    by_alias=True,
)
def get_assessment(request, assessment_id: int):
    """One assessment with its answers; 404 when the caller may not know it exists."""
    get_visible(Assessment, request.auth, pk=assessment_id)
    return _detail(assessment_id)


@router.post(
    "/assessments", response={201: AssessmentDetailOut, **error_responses(400, 403, 422)}, by_alias=True
)
def create_assessment(request, payload: StartIn):
    """Start a self-assessment of the caller's own enterprise for a period (enterprise members)."""
    user = request.auth
    require_right(user, FILL)
    enterprise = Enterprise.objects.filter(organisation=user.organisation).first()
    if enterprise is None:
        raise InputError({"__all__": [_("Your organisation has no enterprise case file.")]})
    assessment = services.start_assessment(
        enterprise=enterprise, actor=user, period=payload.period, ip=client_ip(request)
    )
    return Status(201, _detail(assessment.pk))


@router.put(
    "/assessments/{int:assessment_id}/answers/{item_code}",
    response={200: AnswerSaved, **error_responses(400, 403, 404, 409, 422)},
    description="Save one answer of a draft and refresh its provisional score. " + ANSWER_FORMATS,
)
@naming_the_item
def save_answer(request, assessment_id: int, item_code: str, payload: AnswerIn):
    """Save one item's or scene's answer of a draft self-assessment."""
    user = request.auth
    assessment = get_visible(Assessment, user, pk=assessment_id, right=FILL)
    saved = services.save_answer(
        assessment=assessment,
        actor=user,
        item_code=item_code,
        value=payload.value,
        version=payload.version,
        ip=client_ip(request),
    )
    assessment.refresh_from_db(fields=["version", "total"])
    answer = saved.answer
    if answer is not None:
        answer = type(answer).objects.select_related("answered_by").get(pk=answer.pk)
    return {
        "answer": _answer_out(answer) if answer is not None else None,
        "changed": saved.changed,
        "assessment_version": assessment.version,
        "total": None if assessment.total is None else float(assessment.total),
    }


@router.post(
    "/assessments/{int:assessment_id}/submit",
    response={200: AssessmentDetailOut, **error_responses(400, 403, 404, 409, 422)},
    by_alias=True,
)
def submit_assessment(request, assessment_id: int, payload: SubmitIn):
    """Score the draft completely and lock it; needs `declared: true` and every item answered.

    Unanswered items are listed in `errors`, keyed by their code."""
    user = request.auth
    assessment = get_visible(Assessment, user, pk=assessment_id, right=FILL)
    try:
        services.submit_assessment(
            assessment=assessment,
            actor=user,
            declared=payload.declared,
            version=payload.version,
            ip=client_ip(request),
        )
    except services.IncompleteError as exc:
        errors = {code: [_("%(name)s is not answered yet.") % {"name": name}] for code, name in exc.missing}
        return Status(400, {"detail": str(exc), "errors": errors})
    return _detail(assessment_id)


@router.get(
    "/assessments/{int:assessment_id}/result",
    response={200: ResultOut, **error_responses(404)},
    by_alias=True,
)
def get_result(request, assessment_id: int):
    """The result as stored: final once submitted or verified, provisional (`partial`) in a draft."""
    assessment = get_visible(
        Assessment.objects.only("id", "status", "result"), request.auth, pk=assessment_id
    )
    stored = assessment.result or {}
    out = _score_out(stored) if stored else _score_out({"partial": True})
    return {
        **out,
        "assessment": assessment.pk,
        "status": assessment.status,
        "problems": stored.get("problems", {}),
    }


# --- on-site verification --------------------------------------------------------------------------


def _verification(user, verification_id: int) -> Assessment:
    return get_visible(
        Assessment.objects.filter(kind=Assessment.Kind.VERIFIED).select_related("instrument", "level_rule"),
        user,
        pk=verification_id,
        right=VERIFY,
    )


@router.post(
    "/verifications/{int:verification_id}/answers/{item_code}",
    response={200: AnswerOut, **error_responses(400, 403, 404, 422)},
)
@naming_the_item
def review_answer(request, verification_id: int, item_code: str, payload: ReviewIn):
    """Accept a self-assessed answer, or adjust it with a value and a reason (the assigned verifier).

    `verification_id` is the verified assessment, started on the on-site diagnosis page once the visit
    is recorded (`verified_from` names the self-assessment it checks)."""
    user = request.auth
    verification = _verification(user, verification_id)
    answer = services_diagnosis.verify_answer(
        verification=verification,
        actor=user,
        item_code=item_code,
        accept=payload.accept,
        value=payload.value,
        reason=payload.reason,
        ip=client_ip(request),
    )
    answer = type(answer).objects.select_related("answered_by").get(pk=answer.pk)
    return _answer_out(answer)


class AcceptedOut(Schema):
    accepted: int = Field(description="How many answers were accepted as self-assessed")
    version: int = Field(description="The verification's version after the change")


@router.post(
    "/verifications/{int:verification_id}/accept-remaining",
    response={200: AcceptedOut, **error_responses(400, 403, 404, 409)},
)
def accept_remaining(request, verification_id: int):
    """Accept the self-assessed answer of every item not checked yet, all or none (the assigned verifier);
    400 when every answer is already checked."""
    user = request.auth
    verification = _verification(user, verification_id)
    accepted = services_diagnosis.accept_remaining(
        verification=verification, actor=user, ip=client_ip(request)
    )
    verification.refresh_from_db(fields=["version"])
    return {"accepted": accepted, "version": verification.version}


@router.post(
    "/verifications/{int:verification_id}/complete",
    response={200: AssessmentDetailOut, **error_responses(400, 403, 404, 409, 422)},
    by_alias=True,
)
def complete_verification(request, verification_id: int, payload: CompleteIn):
    """Every answer checked: give the verified result (the assigned verifier)."""
    user = request.auth
    verification = _verification(user, verification_id)
    services_diagnosis.complete_verification(
        verification=verification, actor=user, version=payload.version, ip=client_ip(request)
    )
    return _detail(verification_id)
