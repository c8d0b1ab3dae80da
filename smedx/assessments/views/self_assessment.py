"""The enterprise's self-assessment: start, the wizard with autosave and evidence, submit, the result.

Pages read the instrument from its parsed file (`Instrument.spec`), so a section page costs a few
queries whatever its length. Every change in the wizard posts one item (htmx) and gets that item's
block back; the browser holds nothing the server does not already have.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smedx.assessments.forms.self_assessment import (
    EvidenceForm,
    ItemAnswerForm,
    StartForm,
    SubmitForm,
    open_periods,
)
from smedx.assessments.levels import level_label
from smedx.assessments.metrics import MIN_PEERS, peer_groups
from smedx.assessments.models import Answer, Assessment, Evidence
from smedx.assessments.services import self_assessment as services
from smedx.assessments.spec import BAND, MULTIPLE, NUMERIC, SCENE_LEVELS, InstrumentSpec, plain
from smedx.core import uploads
from smedx.core.access import get_visible, require_right
from smedx.core.actions import run_form_service, run_service
from smedx.core.audit import client_ip
from smedx.core.errors import ConflictError, DomainError
from smedx.enterprises.models import Enterprise

FILL = services.FILL
TWO = Decimal("0.01")
SUGGESTIONS_SHOWN = 8


def _d(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value)).quantize(TWO, rounding=ROUND_HALF_UP)


def _percent(points, maximum) -> int:
    return int(Decimal(points) * 100 / Decimal(maximum)) if maximum and Decimal(maximum) else 0


def login_required_or_401(view):
    """Like `login_required`, but an htmx request gets 401: the page tells the user to log in again
    instead of swapping the login form into an item block."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.htmx:
            return HttpResponse(_("Your session has expired. Log in again."), status=401)
        return redirect_to_login(request.get_full_path())

    return wrapper


def _get(request, pk) -> Assessment:
    return get_visible(
        Assessment.objects.select_related("instrument", "level_rule", "enterprise__region", "submitted_by"),
        request.user,
        pk=pk,
    )


def _can_fill(user, assessment) -> bool:
    return assessment.status == Assessment.Status.DRAFT and user.has_right(FILL)


# --- sections ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    groups: tuple  # (heading, codes) pairs: sub-dimensions, or one scene category
    scenes: bool = False

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for _heading, codes in self.groups for code in codes)


_SECTIONS: dict[str, list[Section]] = {}


def sections(spec: InstrumentSpec) -> list[Section]:
    """One section per dimension (数字化基础, 数字化管理, 数字化成效), then one per scene category."""
    if spec.checksum not in _SECTIONS:
        out = []
        for dim in spec.top_dimensions:
            if dim.children:
                groups = tuple((spec.dimensions[c].name, spec.dimensions[c].items) for c in dim.children)
            else:
                groups = (("", dim.items),)
            out.append(Section(dim.code, dim.name, groups))
        categories = {}
        for scene in spec.scenes.values():
            categories.setdefault(scene.category, []).append(scene.code)
        for n, (category, codes) in enumerate(categories.items(), start=1):
            out.append(
                Section(f"scenes-{n}", category or _("Application scenes"), ((category, tuple(codes)),), True)
            )
        _SECTIONS[spec.checksum] = out
    return _SECTIONS[spec.checksum]


def section_of(spec: InstrumentSpec, code: str) -> Section | None:
    return next((s for s in sections(spec) if code in s.codes), None)


# --- one item's block ----------------------------------------------------------------------------


@dataclass
class Block:
    """What the template shows of one item or scene."""

    code: str
    name: str
    title: str
    kind: str
    points: Decimal | None = None
    description: str = ""
    note: str = ""
    evidence_kinds: tuple = ()
    options: list = field(default_factory=list)
    figures: list = field(default_factory=list)
    borrowed: list = field(default_factory=list)
    levels: list = field(default_factory=list)
    offers_zero: bool = False  # version 2024.1 offered 未达一级 as a scene level; the official form does not
    constrained: bool = False
    text: str = ""
    answer: Answer | None = None
    token: str = ""
    scored: Decimal | None = None
    computed: str = ""
    computed_option: str = ""
    hint: str = ""
    problem: str = ""
    error: str = ""
    notice: str = ""
    saved: bool = False
    editable: bool = False
    evidence: list = field(default_factory=list)

    @property
    def answered(self) -> bool:
        return self.answer is not None


def _posted(data, key, default=""):
    return data.get(key, default) if data is not None else default


def build_block(assessment, code, answer, evidence=(), values=None, *, posted=None, editable=False) -> Block:
    """`posted`: the form data to show again when the change was refused (the typed value is kept).

    `values`: every answer of the assessment by code, for the figures an item borrows from another.
    """
    spec = assessment.instrument.spec
    stored = assessment.result or {}
    block = Block(code, services.item_name(spec, code), "", "scene", answer=answer, editable=editable)
    block.token = services.version_token(answer)
    block.evidence = list(evidence)
    block.problem = (stored.get("problems") or {}).get(code, "")
    value = answer.value if answer is not None else None
    if code in spec.scenes:
        scene = spec.scenes[code]
        block.title, block.constrained = scene.name, scene.constrained
        current = _posted(posted, "level", None) if posted is not None else value
        texts = ("",) + scene.levels
        names = spec.scene_level_names or [str(n) for n in range(SCENE_LEVELS + 1)]
        block.levels = [
            {"level": n, "name": names[n], "text": texts[n], "checked": str(current) == str(n)}
            for n in spec.scene_levels
        ]
        block.offers_zero = 0 in spec.scene_levels
        return block
    item = spec.items[code]
    block.kind, block.title, block.points = item.kind, item.title, item.points
    block.description, block.note, block.evidence_kinds = item.description, item.note, item.evidence
    scored = (stored.get("items") or {}).get(code) or {}
    if answer is not None and scored.get("answered"):
        block.scored = _d(scored.get("points"))
    if posted is not None:
        letters = posted.getlist("options")
        figures = {f.key: posted.get(f"f_{f.key}", "") for f in item.fields}
        block.text = posted.get("text", "")
    else:
        figures = value if isinstance(value, dict) else {}
        letters = value if isinstance(value, list) else figures.get("options", [])
        block.text = value if isinstance(value, str) else ""
    if item.kind == NUMERIC and posted is None and any(figures.get(f.key) for f in item.fields):
        computed = services.computed_by_figures(spec, code, value, values or {})
        if computed is not None:
            block.computed_option = computed.options[0]
            block.computed = _computed_text(item, computed.value)
        elif not letters:
            block.hint = _("Fill in the remaining figures, or choose an option.")
    block.options = [
        {
            "code": o.code,
            "text": o.text.strip(),
            "points": plain(o.points),
            "exclusive": o.exclusive,
            "checked": o.code in letters,
        }
        for o in item.options
    ]
    block.figures = [
        {"key": f.key, "name": f.name, "unit": f.unit, "value": figures.get(f.key, "")} for f in item.fields
    ]
    if item.compute is not None and item.compute.borrow:
        block.borrowed = _borrowed(item, values or {})
    return block


def _computed_text(item, value) -> str:
    if value in (None, ""):
        return ""
    number = _d(value)
    if item.compute.kind == BAND:
        return _("Computed: %(value)s %%") % {"value": number}
    sign = "+" if number > 0 else ""
    return _("Change from the year before: %(value)s %%") % {"value": f"{sign}{number}"}


def _year(key: str) -> str:
    """E3 names both revenue fields 营业收入为（万元）; our keys tell which year each is."""
    if key.endswith("_last"):
        return _("last year")
    if key.endswith("_prev"):
        return _("the year before")
    return ""


def _borrowed(item, values: dict) -> list[dict]:
    """Figures this item takes from another item's answer (B3 uses B2's total), for display."""
    out = []
    for f in item.borrowed:
        source = item.compute.borrow[f.key]
        answer = values.get(source)
        given = answer.get(f.key, "") if isinstance(answer, dict) else ""
        out.append({"name": f.name, "unit": f.unit, "source": source, "value": given, "year": _year(f.key)})
    return out


def _blocks(assessment, codes, user, posted=None) -> tuple[list[Block], dict]:
    """The blocks of `codes` and every answer's value by code (three queries in all).

    `posted`: the refused form data of the first code, shown again as typed.
    """
    answers = {a.item_code: a for a in assessment.answers.select_related("answered_by")}
    values = {code: a.value for code, a in answers.items()}
    files = {}
    for ev in assessment.evidence.filter(item_code__in=codes).select_related("uploaded_by"):
        files.setdefault(ev.item_code, []).append(ev)
    editable = _can_fill(user, assessment)
    blocks = [
        build_block(
            assessment,
            c,
            answers.get(c),
            files.get(c, ()),
            values,
            posted=posted if i == 0 else None,
            editable=editable,
        )
        for i, c in enumerate(codes)
    ]
    return blocks, values


def _progress(spec, answered: set, problems: dict) -> dict:
    done = {code for code in answered if code not in problems}
    scored = [c for c, i in spec.items.items() if i.kind != "text"] + list(spec.scenes)
    return {"done": len([c for c in scored if c in done]), "total": len(scored)}


# --- pages ---------------------------------------------------------------------------------------


@login_required
def self_start(request):
    """The enterprise's assessments, and a new self-assessment for the next period."""
    require_right(request.user, FILL)
    enterprise = Enterprise.objects.visible_to(request.user).first()
    if enterprise is None:
        raise Http404
    assessments = list(enterprise.assessments.all())
    taken = [a.period for a in assessments if a.kind == Assessment.Kind.SELF]
    form = StartForm(request.POST or None, periods=open_periods(taken))
    if request.method == "POST" and form.is_valid():
        done = _("Self-assessment started. Every answer is saved as you go.")
        period = form.cleaned_data["period"]
        assessment = run_service(
            request, services.start_assessment, done=done, enterprise=enterprise, period=period
        )
        if assessment is None:
            return redirect("assessments:self_start")
        return redirect("assessments:self_overview", pk=assessment.pk)
    rows = [(a, level_label(a.level)) for a in assessments]
    return render(
        request, "assessments/self_start.html", {"enterprise": enterprise, "rows": rows, "form": form}
    )


@login_required
def self_overview(request, pk):
    assessment = _get(request, pk)
    spec = assessment.instrument.spec
    answers = list(assessment.answers.select_related("answered_by"))
    problems = (assessment.result or {}).get("problems") or {}
    by_code = {a.item_code: a for a in answers}
    rows = []
    for section in sections(spec):
        mine = [by_code[c] for c in section.codes if c in by_code]
        last = max(mine, key=lambda a: a.answered_at, default=None)
        done = len([a for a in mine if a.item_code not in problems])
        rows.append({"section": section, "done": done, "total": len(section.codes), "last": last})
    resume = next((r["section"] for r in rows if r["done"] < r["total"]), None)
    return render(
        request,
        "assessments/self_overview.html",
        {
            **_header(request, assessment),
            "rows": rows,
            "resume": resume,
            "progress": _progress(spec, set(by_code), problems),
        },
    )


def _header(request, assessment) -> dict:
    return {
        "assessment": assessment,
        "enterprise": assessment.enterprise,
        "can_fill": _can_fill(request.user, assessment),
        "level_name": level_label(assessment.level),
        "provisional_level": level_label((assessment.result or {}).get("level")),
        "total": _d(assessment.total),
        "max_total": _d(assessment.instrument.total),
    }


@login_required
def self_section(request, pk, section):
    assessment = _get(request, pk)
    spec = assessment.instrument.spec
    all_sections = sections(spec)
    current = next((s for s in all_sections if s.key == section), None)
    if current is None:
        raise Http404
    index = all_sections.index(current)
    blocks, values = _blocks(assessment, current.codes, request.user)
    blocks = {b.code: b for b in blocks}
    groups = [(heading, [blocks[c] for c in codes]) for heading, codes in current.groups]
    problems = (assessment.result or {}).get("problems") or {}
    return render(
        request,
        "assessments/self_section.html",
        {
            **_header(request, assessment),
            "sections": all_sections,
            "section": current,
            "groups": groups,
            "previous": all_sections[index - 1] if index > 0 else None,
            "next": all_sections[index + 1] if index + 1 < len(all_sections) else None,
            "progress": _progress(spec, set(values), problems),
            "evidence_max_mb": f"{services.evidence_max_bytes() / (1024 * 1024):g}",
        },
    )


def _item_code(assessment, code) -> str:
    spec = assessment.instrument.spec
    if code not in spec.items and code not in spec.scenes:
        raise Http404
    return code


def _block_response(request, assessment, code, *, posted=None, error="", notice="", saved=False):
    """The item's block (htmx), with the running score swapped in beside it; a redirect without htmx."""
    if not request.htmx:
        for text, level in ((error, messages.ERROR), (notice, messages.WARNING)):
            if text:
                messages.add_message(request, level, text)
        if saved:
            messages.success(request, _("Saved."))
        section = section_of(assessment.instrument.spec, code)
        url = reverse("assessments:self_section", kwargs={"pk": assessment.pk, "section": section.key})
        return redirect(f"{url}#item-{code}")
    assessment.refresh_from_db(fields=["result", "total", "version", "status"])
    spec = assessment.instrument.spec
    # Items borrowing this one's figures (B3 takes B2's total) are shown anew beside it.
    borrowers = [c for c, i in spec.items.items() if i.compute and code in i.compute.borrow.values()]
    blocks, values = _blocks(assessment, [code, *borrowers], request.user, posted=posted)
    block = blocks[0]
    block.error, block.notice, block.saved = error, notice, saved
    problems = (assessment.result or {}).get("problems") or {}
    context = {
        **_header(request, assessment),
        "block": block,
        "borrowers": blocks[1:],
        "progress": _progress(spec, set(values), problems),
        "oob": True,
        "evidence_max_mb": f"{services.evidence_max_bytes() / (1024 * 1024):g}",
    }
    return render(request, "assessments/_self_item_response.html", context)


@login_required_or_401
@require_POST
def self_answer(request, pk, code):
    """Autosave of one item: validate, save, and answer with the item's block."""
    assessment = _get(request, pk)
    require_right(request.user, FILL)
    code = _item_code(assessment, code)
    spec = assessment.instrument.spec
    form = ItemAnswerForm(
        request.POST, item=spec.items.get(code), scene=spec.scenes.get(code), levels=spec.scene_levels
    )
    if not form.is_valid():
        return _block_response(request, assessment, code, posted=request.POST, error=form.error_text())
    try:
        services.save_answer(
            assessment=assessment,
            actor=request.user,
            item_code=code,
            value=form.value(),
            version=form.cleaned_data["seen"],
            ip=client_ip(request),
        )
    except ConflictError as exc:
        return _block_response(request, assessment, code, notice=str(exc))
    except DomainError as exc:
        return _block_response(request, assessment, code, posted=request.POST, error=str(exc))
    return _block_response(request, assessment, code, saved=True)


@login_required_or_401
@require_POST
def self_evidence_upload(request, pk, code):
    assessment = _get(request, pk)
    require_right(request.user, FILL)
    code = _item_code(assessment, code)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return _block_response(request, assessment, code, error=form.errors.get("file", [""])[0])
    try:
        services.upload_evidence(
            assessment=assessment,
            actor=request.user,
            item_code=code,
            file=form.cleaned_data["file"],
            ip=client_ip(request),
        )
    except DomainError as exc:
        return _block_response(request, assessment, code, error=str(exc))
    return _block_response(request, assessment, code, saved=True)


@login_required_or_401
@require_POST
def self_evidence_delete(request, pk):
    evidence = get_visible(Evidence.objects.select_related("assessment"), request.user, pk=pk)
    require_right(request.user, FILL)
    assessment = _get(request, evidence.assessment_id)
    try:
        services.delete_evidence(evidence=evidence, actor=request.user, ip=client_ip(request))
    except DomainError as exc:
        return _block_response(request, assessment, evidence.item_code, error=str(exc))
    return _block_response(request, assessment, evidence.item_code, saved=True)


@login_required
def self_evidence_download(request, pk):
    evidence = get_visible(Evidence, request.user, pk=pk)
    return uploads.download(
        evidence.file, filename=evidence.original_name, content_type=evidence.content_type
    )


@login_required
def self_submit(request, pk):
    assessment = _get(request, pk)
    require_right(request.user, FILL)
    if assessment.status != Assessment.Status.DRAFT:
        messages.info(request, _("This assessment has already been submitted."))
        return redirect("assessments:result", pk=assessment.pk)
    spec = assessment.instrument.spec
    form = SubmitForm(request.POST or None, initial={"version": assessment.version})
    if request.method == "POST" and form.is_valid():
        submitted = run_form_service(
            request,
            form,
            services.submit_assessment,
            done=_("Self-assessment submitted. Here is your result."),
            assessment=assessment,
            declared=form.cleaned_data["declared"],
            version=form.cleaned_data["version"],
        )
        if submitted is not None:
            return redirect("assessments:result", pk=assessment.pk)
    values = assessment.answer_dict()
    result, problems = services.running_result(spec, assessment.level_rule.spec, values)
    missing = [
        {"code": c, "name": services.item_name(spec, c), "section": section_of(spec, c)}
        for c in result.missing
        if c not in problems
    ]
    broken = [{"code": c, "message": m, "section": section_of(spec, c)} for c, m in problems.items()]
    if request.method == "GET":
        form = SubmitForm(initial={"version": assessment.version})
    return render(
        request,
        "assessments/self_submit.html",
        {
            **_header(request, assessment),
            "form": form,
            "missing": missing,
            "broken": broken,
            "progress": _progress(spec, set(values), problems),
        },
    )


# --- the result ----------------------------------------------------------------------------------


def result_view(spec: InstrumentSpec, result: dict) -> dict:
    """The stored result (`Result.as_dict()`) with names, as the result page and reports show it."""
    dims = []
    for dim in spec.top_dimensions:
        got = result["dimensions"].get(dim.code, {})
        subs = [
            {
                "code": c,
                "name": spec.dimensions[c].name,
                "points": _d(result["sub_dimensions"][c]["points"]),
                "max": _d(spec.dimensions[c].points),
                "percent": _percent(result["sub_dimensions"][c]["points"], spec.dimensions[c].points),
            }
            for c in dim.children
            if c in result.get("sub_dimensions", {})
        ]
        dims.append(
            {
                "code": dim.code,
                "name": dim.name,
                "points": _d(got.get("points", 0)),
                "max": _d(dim.points),
                "percent": _percent(got.get("points", 0), dim.points),
                "subs": subs,
            }
        )
    names = spec.scene_level_names or [str(n) for n in range(SCENE_LEVELS + 1)]
    scenes = [
        {
            "code": s.code,
            "name": s.name,
            "category": s.category,
            "constrained": s.constrained,
            "level": result["scenes"].get(s.code, 0),
            "level_name": names[result["scenes"].get(s.code, 0)],
        }
        for s in spec.scenes.values()
    ]
    return {
        "dimensions": dims,
        "scenes": scenes,
        "total": _d(result["total"]),
        "max": _d(result["max"]),
        "level": result.get("level"),
        "level_name": level_label(result.get("level")),
        "gap": _gap_view(spec, result.get("gap"), names),
        "radar": _radar(spec, dims, scenes),
        "missing": len(result.get("missing") or ()),
    }


def _option_text(item, code) -> str:
    option = item.options_by_code.get(code) if code else None
    return f"{option.code}. {option.text.strip()}" if option else ""


def _gap_view(spec, gap, scene_names) -> dict | None:
    if not gap:
        return None
    needed = gap.get("suggestions_needed")
    shown = max(SUGGESTIONS_SHOWN, needed or 0)
    suggestions = []
    for n, s in enumerate(gap["suggestions"][:shown], start=1):
        item = spec.items[s["item"]]
        suggestions.append(
            {
                "item": s["item"],
                "name": services.item_name(spec, s["item"]),
                "add": item.kind == MULTIPLE,
                "from": _option_text(item, s["from"]),
                "to": _option_text(item, s["option"]) or _("full points"),
                "gain": _d(s["gain"]),
                "cumulative": _d(s["cumulative"]),
                "enough": needed is not None and n <= needed,
            }
        )
    return {
        "level": gap["level"],
        "level_name": level_label(gap["level"]),
        "points_missing": _d(gap["points_missing"]),
        "scenes": [
            {**s, "from_name": scene_names[s["from"]], "to_name": scene_names[s["to"]]} for s in gap["scenes"]
        ],
        "suggestions": suggestions,
        "needed": needed,
    }


def _radar(spec, dims, scenes) -> dict:
    """Dimensions as % of their points, scene categories as their average level in % of 四级."""
    indicators = [{"name": d["name"], "max": 100} for d in dims]
    values = [d["percent"] for d in dims]
    categories = {}
    for s in scenes:
        categories.setdefault(s["category"] or _("Application scenes"), []).append(s["level"])
    for name, levels in categories.items():
        indicators.append({"name": name, "max": 100})
        values.append(round(sum(levels) * 100 / (SCENE_LEVELS * len(levels))))
    return {"indicators": indicators, "values": values}


@login_required
def result(request, pk):
    assessment = _get(request, pk)
    spec = assessment.instrument.spec
    view = result_view(spec, assessment.result)
    return render(
        request,
        "assessments/self_result.html",
        {
            **_header(request, assessment),
            "view": view,
            "peers": peer_groups(assessment),
            "min_peers": MIN_PEERS,
            "provisional": assessment.status == Assessment.Status.DRAFT,
            "on_result": True,
        },
    )
