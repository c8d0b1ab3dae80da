"""The diagnosis report (诊断报告) of one assessment: everything its page and its PDF show.

`build_report(assessment)` reads the stored result (a draft has none: its answers so far are scored
on the fly, marked partial), the parsed instrument file for names and texts, and the enterprise; the
templates only lay it out. `render_pdf(report)` prints the same body with WeasyPrint.

Never "评完即止": every weakness gets a next step. The recommendations take the gap's scenes and
items first, in the gap's order (what the next level needs), then every other item below its
maximum and every scene below 四级. Each carries the kinds of solution that help, from
`instruments/solution-kinds/<instrument code>.json` (our own text, no score depends on it).

The provider catalogue (a later stage) links them: it declares its link finder in its hooks
(`extensions["assessments.report_catalogue"]`); without it the report says where the links will appear.
"""

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from smedx.assessments import charts
from smedx.assessments.levels import level_label
from smedx.assessments.loader import BUNDLED
from smedx.assessments.models import AnswerReview, Assessment, DiagnosisRequest
from smedx.assessments.scoring import ScoringError, score
from smedx.assessments.spec import EXPERT, MULTIPLE, SCENE_LEVELS, TEXT, InstrumentSpec
from smedx.core import frame

SOLUTION_KINDS = BUNDLED / "solution-kinds"
MORE_SUGGESTIONS = 5  # cheapest items shown beyond those the next level needs
CENT = Decimal("0.01")


def two(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# --- solution kinds and the catalogue hook -------------------------------------------------------


@cache
def solution_kinds(instrument_code: str) -> dict[str, tuple[str, ...]]:
    """`{item or scene code (or "B4.F" for one option): (kinds of solution, …)}`; empty when no file."""
    path = SOLUTION_KINDS / f"{instrument_code}.json"
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {code: tuple(kinds) for code, kinds in data["kinds"].items()}


def kinds_for(instrument_code: str, code: str, options=()) -> tuple[str, ...]:
    table = solution_kinds(instrument_code)
    found = [kind for option in options for kind in table.get(f"{code}.{option}", ())]
    return tuple(dict.fromkeys([*found, *table.get(code, ())]))


@dataclass(frozen=True)
class CatalogueLink:
    text: str
    url: str


# Called once per report with {recommendation code: solution kinds}, answers {code: [links]}, so the
# catalogue can look them all up in one query.
CatalogueHook = Callable[[dict[str, tuple[str, ...]]], dict[str, list[CatalogueLink]]]


def catalogue_hook() -> CatalogueHook | None:
    """The provider catalogue's link finder, declared in its hooks' `extensions["assessments.report_catalogue"]`."""
    found = frame.extensions("assessments.report_catalogue")
    return found[0] if found else None


def catalogue_online() -> bool:
    return catalogue_hook() is not None


# --- what the report holds -----------------------------------------------------------------------


@dataclass
class DimensionRow:
    code: str
    name: str
    points: Decimal
    max: Decimal
    children: list = field(default_factory=list)

    @property
    def percent(self) -> Decimal:
        return (self.points / self.max * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP) if self.max else 0


@dataclass
class ItemRow:
    code: str
    indicator: str
    title: str
    dimension: str
    letters: str
    answer_text: str
    value: Decimal | None
    points: Decimal
    max: Decimal
    answered: bool
    self_points: Decimal | None = None  # in a verified assessment: the enterprise's own score
    review: str = ""
    reason: str = ""

    @property
    def changed(self) -> bool:
        return self.self_points is not None and self.self_points != self.points


@dataclass
class SceneRow:
    code: str
    category: str
    name: str
    constrained: bool
    level: int
    label: str
    self_level: int | None = None
    review: str = ""
    reason: str = ""

    @property
    def self_label(self):
        return level_label(self.self_level)


@dataclass
class SceneStep:
    code: str
    name: str
    constrained: bool
    current: str
    target: str
    target_text: str


@dataclass
class SuggestionRow:
    item: str
    name: str
    option: str
    option_text: str
    current: str
    gain: Decimal
    cumulative: Decimal
    covers: bool  # among the steps that together cover the missing points


@dataclass
class GapView:
    level: int
    label: str
    points_missing: Decimal
    scenes: list
    suggestions: list
    needed: int | None
    more: int  # suggestions not shown


@dataclass
class Recommendation:
    kind: str  # "scene" or "item"
    code: str
    name: str
    constrained: bool
    needed: bool  # part of what the next level needs
    current: str
    target: str
    detail: str
    gain: Decimal | None
    solutions: tuple[str, ...]
    links: list = field(default_factory=list)
    rank: int = 0


@dataclass
class Verification:
    verifier: str
    self_assessment: Assessment
    self_total: Decimal
    verified_total: Decimal
    self_level: int | None
    adjusted: int

    @property
    def self_label(self):
        return level_label(self.self_level)

    @property
    def difference(self) -> Decimal:
        return self.verified_total - self.self_total


@dataclass
class Report:
    assessment: Assessment
    spec: InstrumentSpec
    draft: bool
    partial: bool
    error: str
    total: Decimal
    max_total: Decimal
    level: int | None
    dimensions: list
    items: list
    scenes: list
    gap: GapView | None
    recommendations: list
    radar: str
    verification: Verification | None
    generated_at: object

    @property
    def enterprise(self):
        return self.assessment.enterprise

    @property
    def level_label(self):
        return level_label(self.level)

    @property
    def needed_recommendations(self) -> list:
        return [r for r in self.recommendations if r.needed]

    @property
    def further_recommendations(self) -> list:
        return [r for r in self.recommendations if not r.needed]

    @property
    def catalogue_online(self) -> bool:
        return catalogue_online()

    @property
    def filename(self) -> str:
        a = self.assessment
        parts = [self.enterprise.name, a.period]
        if a.kind == Assessment.Kind.VERIFIED:
            parts.append(str(a.get_kind_display()))
        parts.append(_("Diagnosis report"))
        return re.sub(r'[\\/:*?"<>|\s]+', "_", "_".join(parts)) + ".pdf"


# --- building it ---------------------------------------------------------------------------------


def report_queryset():
    """What `build_report` reads, in one query: use it with `get_visible`."""
    return Assessment.objects.select_related(
        "enterprise__region", "instrument", "level_rule", "submitted_by", "verified_from"
    )


def _result(assessment: Assessment) -> tuple[dict, str]:
    """The stored result, or for a draft (or a result never stored) a partial score of the answers."""
    if assessment.status != Assessment.Status.DRAFT and assessment.result:
        return assessment.result, ""
    spec, rule = assessment.instrument.spec, assessment.level_rule.spec
    try:
        return score(spec, assessment.answer_dict(), rule, partial=True).as_dict(), ""
    except ScoringError as exc:
        return {}, str(exc)


def build_report(assessment: Assessment) -> Report:
    spec = assessment.instrument.spec
    result, error = _result(assessment)
    answers = {a.item_code: a for a in assessment.answers.all()} if result else {}
    verification = _verification(assessment, answers) if result else None
    self_result = verification.self_assessment.result if verification else {}
    dimensions = _dimensions(spec, result)
    items = _items(spec, result, answers, self_result)
    scenes = _scenes(spec, result, answers, self_result)
    recommendations = _recommendations(spec, result) if result else []
    _link(recommendations)
    return Report(
        assessment=assessment,
        spec=spec,
        draft=assessment.status == Assessment.Status.DRAFT,
        partial=bool(result.get("partial")),
        error=error,
        total=two(result.get("total", 0)),
        max_total=two(result.get("max", spec.total)),
        level=result.get("level"),
        dimensions=dimensions,
        items=items,
        scenes=scenes,
        gap=_gap(spec, result.get("gap")),
        recommendations=recommendations,
        radar=_radar(spec, result, self_result) if result else "",
        verification=verification,
        generated_at=timezone.now(),
    )


def _verification(assessment: Assessment, answers: dict) -> Verification | None:
    source = assessment.verified_from
    if assessment.kind != Assessment.Kind.VERIFIED or source is None:
        return None
    request = (
        DiagnosisRequest.objects.filter(verified_assessment=assessment)
        .select_related("expert", "institution")
        .first()
    )
    people = [str(p) for p in (request.expert, request.institution) if p] if request else []
    if not people and assessment.submitted_by:
        people = [str(assessment.submitted_by)]
    adjusted = sum(1 for a in answers.values() if a.review == AnswerReview.ADJUSTED)
    return Verification(
        verifier=" · ".join(people) or "—",
        self_assessment=source,
        self_total=two(source.total or 0),
        verified_total=two(assessment.total or 0),
        self_level=source.level,
        adjusted=adjusted,
    )


def _dimensions(spec: InstrumentSpec, result: dict) -> list[DimensionRow]:
    def row(code, stored):
        d = spec.dimensions[code]
        got = stored.get(code, {})
        return DimensionRow(code, d.name, two(got.get("points", 0)), two(got.get("max", d.points)))

    rows = []
    for top in spec.top_dimensions:
        parent = row(top.code, result.get("dimensions", {}))
        parent.children = [row(code, result.get("sub_dimensions", {})) for code in top.children]
        rows.append(parent)
    return rows


def _option_texts(item, letters) -> str:
    return "；".join(
        item.options_by_code[letter].text.strip() for letter in letters if letter in item.options_by_code
    )


def _items(spec: InstrumentSpec, result: dict, answers: dict, self_result: dict) -> list[ItemRow]:
    stored, before = result.get("items", {}), self_result.get("items", {})
    rows = []
    for code, item in spec.items.items():
        got = stored.get(code, {})
        letters = got.get("options", [])
        answer = answers.get(code)
        text = _option_texts(item, letters)
        if item.kind == TEXT and answer is not None and isinstance(answer.value, str):
            text = answer.value
        elif item.kind == EXPERT and answer is not None and isinstance(answer.value, dict):
            text = answer.value.get("comment") or ""
        rows.append(
            ItemRow(
                code=code,
                indicator=item.indicator,
                title=item.title.strip(),
                dimension=spec.dimensions[item.dimension].name,
                letters=", ".join(letters),
                answer_text=text,
                value=two(got["value"]) if got.get("value") is not None else None,
                points=two(got.get("points", 0)),
                max=two(got.get("max", item.points)),
                answered=got.get("answered", False),
                self_points=two(before[code]["points"]) if code in before else None,
                review=answer.get_review_display() if answer is not None and answer.review else "",
                reason=answer.reason if answer is not None else "",
            )
        )
    return rows


def _scenes(spec: InstrumentSpec, result: dict, answers: dict, self_result: dict) -> list[SceneRow]:
    levels, before = result.get("scenes", {}), self_result.get("scenes", {})
    reviews = {code: (a.get_review_display() if a.review else "", a.reason) for code, a in answers.items()}
    return [
        SceneRow(
            code=code,
            category=scene.category,
            name=scene.name,
            constrained=scene.constrained,
            level=levels.get(code, 0),
            label=level_label(levels.get(code, 0)),
            self_level=before.get(code),
            review=reviews.get(code, ("", ""))[0],
            reason=reviews.get(code, ("", ""))[1],
        )
        for code, scene in spec.scenes.items()
    ]


def _level_text(spec: InstrumentSpec, code: str, level: int) -> str:
    return spec.scenes[code].levels[level - 1].strip() if 1 <= level <= SCENE_LEVELS else ""


def _gap(spec: InstrumentSpec, gap: dict | None) -> GapView | None:
    if not gap:
        return None
    steps = [
        SceneStep(
            code=s["scene"],
            name=spec.scenes[s["scene"]].name,
            constrained=s["constrained"],
            current=level_label(s["from"]),
            target=level_label(s["to"]),
            target_text=_level_text(spec, s["scene"], s["to"]),
        )
        for s in gap["scenes"]
    ]
    needed = gap["suggestions_needed"]
    shown = gap["suggestions"][: (needed or 0) + MORE_SUGGESTIONS]
    suggestions = [_suggestion(spec, s, needed is not None and i < needed) for i, s in enumerate(shown)]
    return GapView(
        level=gap["level"],
        label=level_label(gap["level"]),
        points_missing=two(gap["points_missing"]),
        scenes=steps,
        suggestions=suggestions,
        needed=needed,
        more=len(gap["suggestions"]) - len(shown),
    )


def _suggestion(spec: InstrumentSpec, s: dict, covers: bool) -> SuggestionRow:
    item = spec.items[s["item"]]
    option = s["option"]
    current = s["from"]
    return SuggestionRow(
        item=item.code,
        name=item.indicator or item.title.strip(),
        option=option or "",
        option_text=item.options_by_code[option].text.strip() if option else _("Meet the criterion fully"),
        current=f"{current}. {item.options_by_code[current].text.strip()}" if current else "",
        gain=two(s["gain"]),
        cumulative=two(s["cumulative"]),
        covers=covers,
    )


# --- recommendations -----------------------------------------------------------------------------


def _best_steps(spec: InstrumentSpec, result: dict) -> list[dict]:
    """Without a gap (the top level is reached): every option that would still add points, biggest first."""
    steps = []
    for code, item in spec.items.items():
        got = result["items"].get(code, {})
        points, chosen = Decimal(got.get("points", 0)), got.get("options", [])
        if item.kind == MULTIPLE:
            steps += [(code, o.code, o.points) for o in item.options if o.points and o.code not in chosen]
        elif item.kind == EXPERT and points < item.points:
            steps.append((code, None, item.points - points))
        elif item.options and points < item.points:
            best = max(item.options, key=lambda o: o.points)
            steps.append((code, best.code, best.points - points))
    order = {code: i for i, code in enumerate(spec.items)}
    steps.sort(key=lambda s: (-s[2], order[s[0]], s[1] or ""))
    return [{"item": c, "option": o, "gain": str(g)} for c, o, g in steps]


def _item_recommendations(spec: InstrumentSpec, result: dict, steps: list[dict], needed: bool) -> list:
    grouped: dict[str, list[dict]] = {}
    for step in steps:  # grouped by item, in the order of each item's first step
        grouped.setdefault(step["item"], []).append(step)
    recs = []
    for code, item_steps in grouped.items():
        item = spec.items[code]
        got = result["items"].get(code, {})
        letters = [s["option"] for s in item_steps if s["option"]]
        recs.append(
            Recommendation(
                kind="item",
                code=code,
                name=item.indicator or item.title.strip(),
                constrained=False,
                needed=needed,
                current=f"{two(got.get('points', 0))} / {two(item.points)}",
                target=", ".join(letters) if letters else _("Meet the criterion fully"),
                detail=_option_texts(item, letters),
                gain=two(sum((Decimal(s["gain"]) for s in item_steps), Decimal(0))),
                solutions=kinds_for(spec.code, code, letters),
            )
        )
    return recs


def _scene_recommendation(spec: InstrumentSpec, code: str, current: int, target: int, needed: bool):
    scene = spec.scenes[code]
    return Recommendation(
        kind="scene",
        code=code,
        name=scene.name,
        constrained=scene.constrained,
        needed=needed,
        current=str(level_label(current)),
        target=str(level_label(target)),
        detail=_level_text(spec, code, target),
        gain=None,
        solutions=kinds_for(spec.code, code),
    )


def _recommendations(spec: InstrumentSpec, result: dict) -> list[Recommendation]:
    """The gap's scenes, the gap's items up to the missing points, then everything else below its best."""
    gap = result.get("gap")
    levels = result.get("scenes", {})
    steps = gap["suggestions"] if gap else _best_steps(spec, result)
    needed = gap["suggestions_needed"] if gap else 0
    cut = len(steps) if needed is None else needed
    recs = [
        _scene_recommendation(spec, s["scene"], s["from"], s["to"], True)
        for s in (gap or {}).get("scenes", [])
    ]
    recs += _item_recommendations(spec, result, steps[:cut], needed=True)
    recs += _item_recommendations(spec, result, steps[cut:], needed=False)
    planned = {r.code for r in recs if r.kind == "scene"}
    rest = [s for s in spec.scenes.values() if s.code not in planned and levels.get(s.code, 0) < SCENE_LEVELS]
    rest.sort(key=lambda s: (not s.constrained, levels.get(s.code, 0), s.order))
    recs += [
        _scene_recommendation(spec, s.code, levels.get(s.code, 0), levels.get(s.code, 0) + 1, False)
        for s in rest
    ]
    for rank, rec in enumerate(recs, start=1):
        rec.rank = rank
    return recs


def _link(recommendations: list[Recommendation]):
    hook = catalogue_hook()
    if hook is None or not recommendations:
        return
    links = hook({r.code: r.solutions for r in recommendations})
    for r in recommendations:
        r.links = list(links.get(r.code, []))


# --- the radar chart -----------------------------------------------------------------------------


def _axes(spec: InstrumentSpec) -> list:
    """Sub-dimensions (or a dimension without any), then the scene categories."""
    dims = [spec.dimensions[c] for top in spec.top_dimensions for c in (top.children or (top.code,))]
    categories = list(dict.fromkeys(s.category for s in spec.scenes.values() if s.category))
    return [("dimension", d.code, d.name) for d in dims] + [("category", c, c) for c in categories]


def _values(spec: InstrumentSpec, axes: list, result: dict) -> list[float]:
    subtotals = {**result.get("dimensions", {}), **result.get("sub_dimensions", {})}
    levels = result.get("scenes", {})
    values = []
    for kind, code, _name in axes:
        if kind == "dimension":
            got = subtotals.get(code, {})
            top = Decimal(got.get("max") or spec.dimensions[code].points)
            values.append(float(Decimal(got.get("points", 0)) / top) if top else 0.0)
        else:
            scenes = [levels.get(s.code, 0) for s in spec.scenes.values() if s.category == code]
            values.append(sum(scenes) / (SCENE_LEVELS * len(scenes)))
    return values


def _radar(spec: InstrumentSpec, result: dict, self_result: dict) -> str:
    axes = _axes(spec)
    if len(axes) < 3:
        return ""
    values = _values(spec, axes, result)
    if self_result:
        series = [
            charts.Series(str(_("Self-assessment")), _values(spec, axes, self_result)),
            charts.Series(str(_("Verified on site")), values),
        ]
        labels = [name for _k, _c, name in axes]
    else:
        series = [charts.Series(str(_("This assessment")), values)]
        labels = [f"{name} {round(v * 100)}%" for (_k, _c, name), v in zip(axes, values, strict=True)]
    return mark_safe(charts.radar_svg(labels, series, title=_("Radar chart of the results")))


# --- the PDF -------------------------------------------------------------------------------------


def page_counter_css() -> str:
    """The footer's CSS `content`: "Page %(page)s of %(pages)s" as translated, with counters in the slots."""
    text = _("Page %(page)s of %(pages)s")
    tokens = []
    for part in re.split(r"(%\(pages?\)s)", text):
        if part == "%(page)s":
            tokens.append("counter(page)")
        elif part == "%(pages)s":
            tokens.append("counter(pages)")
        elif part:
            tokens.append('"' + part.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return " ".join(tokens)


class _PdfTools(threading.local):
    """What every PDF needs and nothing in one report changes, kept per thread across renders.

    A fresh FontConfiguration loads fontconfig's configuration and a new font map, so every CJK face
    is opened and measured again; a fresh URLFetcher reads the system's certificates into an SSL
    context; the styles would be parsed again. Tens of milliseconds each time, most of it waiting on
    files; the rest of a report's time is layout and painting (docs/performance.md). WeasyPrint's
    objects are not meant to be shared between threads, hence one set per thread.
    """

    def __init__(self):
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import URLFetcher

        self.fonts = FontConfiguration()
        self.fetcher = URLFetcher(allowed_protocols=("data",))
        self.stylesheets = {}  # the styles' text (it holds the translated page counter) → parsed CSS

    def stylesheet(self, text: str):
        from weasyprint import CSS

        if text not in self.stylesheets:
            self.stylesheets[text] = CSS(string=text, font_config=self.fonts, url_fetcher=self.fetcher)
        return self.stylesheets[text]


_pdf_tools = None


def pdf_tools() -> _PdfTools:
    global _pdf_tools
    if _pdf_tools is None:
        _pdf_tools = _PdfTools()
    return _pdf_tools


def render_pdf(report: Report, *, base_url: str | None = None) -> bytes:
    """The report as a PDF, fonts embedded. Nothing is fetched: styles and the chart are inline."""
    from weasyprint import HTML

    tools = pdf_tools()
    css = render_to_string("assessments/report_pdf.css", {"page_counter": mark_safe(page_counter_css())})
    html = render_to_string(
        "assessments/report_pdf.html", {"report": report, "PLATFORM_NAME": settings.PLATFORM_NAME}
    )
    document = HTML(string=html, base_url=base_url, url_fetcher=tools.fetcher)
    return document.write_pdf(stylesheets=[tools.stylesheet(css)], font_config=tools.fonts)
