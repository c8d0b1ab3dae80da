"""Scoring: answers + instrument + level rule → result. Pure functions; nothing here touches the database.

Answers are a dict keyed by item and scene code (the API format):

- single, multiple, numeric items: a list of option letters, `["B", "C"]`; or an object with
  `"options"` and the item's data fields by key, `{"options": ["C"], "investment": 120}`;
- numeric items may give their inputs instead of (or besides) the option: the inputs decide. The
  keys are the `formFields` keys of the instrument file, e.g. B2 `{"digital": 80, "total": 100}` or
  `{"rate": 80}`, B3 `{"networked": 40}` (the total comes from B2) or `{"networked": 40, "total": 100}`,
  E3 `{"employees_last", "revenue_last", "employees_prev", "revenue_prev"}`,
  E1 `{"energy_last", "energy_prev"}` and E4 `{"cost_last", "cost_prev"}` (per revenue, from E3);
- scenes: a whole number from the instrument's lowest scene level to 4: 1 (一级) to 4 as on the
  official form from version 2024.2 on; 0 (未达一级) to 4 in version 2024.1;
- text items: a string; expert-scored items: `{"points": "7.5", "comment": "…"}`.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from smedx.assessments.spec import (
    BAND,
    CHOICE_KINDS,
    DOWN,
    EXPERT,
    FLAT,
    MULTIPLE,
    NUMERIC,
    SCENE_LEVELS,
    SINGLE,
    TEXT,
    UP,
    InstrumentSpec,
    ItemSpec,
    LevelRuleSpec,
    Ratio,
    plain,
)
from smedx.core.errors import DomainError
from smedx.core.formatting import joined

ZERO = Decimal(0)
DISPLAY = Decimal("0.01")
MAX_PLACES = 3  # expert points finer than 0.001 would not survive the database column


class ScoringError(DomainError):
    """A refused answer set; `item` is the code of the offending item (or scene)."""

    def __init__(self, item: str, message: str):
        self.item = item
        super().__init__(message)


def _refuse(item: str, message: str, **params):
    raise ScoringError(item, _("%(item)s: %(problem)s") % {"item": item, "problem": message % params})


@dataclass(frozen=True)
class ItemScore:
    code: str
    points: Decimal
    max_points: Decimal
    options: tuple[str, ...] = ()
    value: Decimal | None = None  # what the inputs computed: a rate in %, or a change in %
    answered: bool = True
    comment: str = ""


@dataclass(frozen=True)
class Subtotal:
    points: Decimal
    max_points: Decimal


@dataclass(frozen=True)
class SceneStep:
    scene: str
    name: str
    constrained: bool
    current: int
    target: int


@dataclass(frozen=True)
class Suggestion:
    item: str
    option: str | None  # None for an expert-scored item
    current: str | None
    gain: Decimal
    cumulative: Decimal


@dataclass(frozen=True)
class Gap:
    level: int
    points_missing: Decimal
    scenes: tuple[SceneStep, ...]
    suggestions: tuple[Suggestion, ...]
    # How many suggestions, taken from the top, cover the missing points (None: they cannot).
    suggestions_needed: int | None


@dataclass(frozen=True)
class Result:
    instrument: str
    version: str
    rule: str | None
    total: Decimal
    max_total: Decimal
    level: int | None
    level_name: str
    dimensions: dict  # code → Subtotal, top-level dimensions
    sub_dimensions: dict  # code → Subtotal
    items: dict  # code → ItemScore
    scenes: dict  # code → level 0..4
    gap: Gap | None
    missing: tuple[str, ...] = ()
    partial: bool = False

    @property
    def total_display(self) -> Decimal:
        return self.total.quantize(DISPLAY, rounding=ROUND_HALF_UP)

    def as_dict(self, decimal=plain) -> dict:
        """Plain JSON data: Decimals become `decimal(value)` — exact strings to store, `float` for the API."""

        def num(value):
            return None if value is None else decimal(value)

        def sub(totals):
            return {code: {"points": num(s.points), "max": num(s.max_points)} for code, s in totals.items()}

        gap = self.gap
        return {
            "instrument": {"code": self.instrument, "version": self.version},
            "rule": self.rule,
            "total": num(self.total),
            "total_display": num(self.total_display),
            "max": num(self.max_total),
            "level": self.level,
            "level_name": self.level_name,
            "dimensions": sub(self.dimensions),
            "sub_dimensions": sub(self.sub_dimensions),
            "items": {
                code: {
                    "points": num(s.points),
                    "max": num(s.max_points),
                    "options": list(s.options),
                    "value": num(s.value),
                    "answered": s.answered,
                }
                for code, s in self.items.items()
            },
            "scenes": dict(self.scenes),
            "missing": list(self.missing),
            "partial": self.partial,
            "gap": None
            if gap is None
            else {
                "level": gap.level,
                "points_missing": num(gap.points_missing),
                "scenes": [
                    {
                        "scene": s.scene,
                        "name": s.name,
                        "constrained": s.constrained,
                        "from": s.current,
                        "to": s.target,
                    }
                    for s in gap.scenes
                ],
                "suggestions": [
                    {
                        "item": s.item,
                        "option": s.option,
                        "from": s.current,
                        "gain": num(s.gain),
                        "cumulative": num(s.cumulative),
                    }
                    for s in gap.suggestions
                ],
                "suggestions_needed": gap.suggestions_needed,
            },
        }


# --- answers → item scores -----------------------------------------------------------------------


def _number(item: ItemSpec, key: str, raw) -> Decimal | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        _refuse(item.code, _("%(field)s must be a number"), field=item.field_name(key))
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        _refuse(item.code, _("%(field)s must be a number"), field=item.field_name(key))
    if value < 0:
        _refuse(item.code, _("%(field)s cannot be negative"), field=item.field_name(key))
    return value


def _letters(item: ItemSpec, raw) -> tuple[str, ...]:
    if not isinstance(raw, list | tuple) or not all(isinstance(letter, str) for letter in raw):
        _refuse(item.code, _("give the chosen option letters as a list"))
    for letter in raw:
        if letter not in item.options_by_code:
            _refuse(item.code, _("there is no option %(option)s"), option=letter)
    if len(set(raw)) != len(raw):
        _refuse(item.code, _("an option is given twice"))
    if item.kind != MULTIPLE and len(raw) > 1:
        _refuse(item.code, _("choose only one option"))
    none = item.exclusive_option
    if none is not None and none.code in raw and len(raw) > 1:
        _refuse(
            item.code, _("“%(none)s” cannot be chosen together with other options"), none=none.text.strip()
        )
    return tuple(raw)


def _split(item: ItemSpec, raw) -> tuple[tuple[str, ...], dict]:
    """An answer of a choice item → (letters, inputs)."""
    if not isinstance(raw, Mapping):
        return _letters(item, raw), {}
    for key in raw:
        if key != "options" and key not in item.input_keys:
            _refuse(item.code, _("there is no input “%(key)s”"), key=key)
    inputs = {key: _number(item, key, value) for key, value in raw.items() if key != "options"}
    return _letters(item, raw.get("options") or []), inputs


def _input(item: ItemSpec, key: str, inputs: dict, answers: Mapping) -> Decimal | None:
    value = inputs.get(key)
    source = item.compute.borrow.get(key)
    if value is None and source is not None:
        other = answers.get(source)
        if isinstance(other, Mapping):
            value = _number(item, key, other.get(key))
    return value


def _ratio(item: ItemSpec, ratio: Ratio, inputs: dict, answers: Mapping) -> Decimal | None:
    num = _input(item, ratio.num, inputs, answers)
    den = _input(item, ratio.den, inputs, answers) if ratio.den else Decimal(1)
    if num is None or den is None:
        return None
    if den == 0:
        _refuse(item.code, _("%(field)s must be more than 0"), field=item.field_name(ratio.den))
    return num / den * ratio.scale


def _band(item: ItemSpec, inputs: dict, answers: Mapping) -> tuple[str, Decimal] | None:
    compute = item.compute
    ratio = compute.value
    value = _ratio(item, ratio, inputs, answers)
    key = None
    if value is None and compute.direct:
        value, key = inputs.get(compute.direct), compute.direct
    if value is None:
        return None
    for band in compute.bands:
        if band.contains(value):
            return band.option, value
    if key is None and ratio.den and value > ratio.scale:
        _refuse(
            item.code,
            _("%(part)s cannot be more than %(whole)s"),
            part=item.field_name(ratio.num),
            whole=item.field_name(ratio.den),
        )
    low, high = compute.bands[0].low, compute.bands[-1].high
    _refuse(
        item.code,
        _("%(value)s is outside %(low)s–%(high)s"),
        value=plain(value),
        low=plain(low),
        high=plain(high),
    )


def _change(item: ItemSpec, inputs: dict, answers: Mapping) -> tuple[str, Decimal | None] | None:
    compute = item.compute
    last = _ratio(item, compute.last, inputs, answers)
    prev = _ratio(item, compute.prev, inputs, answers)
    if last is None or prev is None:
        return None
    direction = UP if last > prev else DOWN if last < prev else FLAT
    change = (last - prev) / prev * 100 if prev else None
    return compute.directions[direction], change


def _missing_inputs(item: ItemSpec, inputs: dict, answers: Mapping) -> str:
    """`企业上年成本为（万元）, the figures of E3`: what to fill in so the figures give an option."""
    missing = [k for k in item.compute.keys if _input(item, k, inputs, answers) is None]
    names = [item.field_name(k) for k in missing if k not in item.compute.borrow]
    names += [
        _("the figures of %(item)s") % {"item": item.compute.borrow[k]}
        for k in missing
        if k in item.compute.borrow
    ]
    return joined(dict.fromkeys(names))


def _choice(item: ItemSpec, raw, answers: Mapping, partial: bool) -> ItemScore | None:
    letters, inputs = _split(item, raw)
    value = None
    if item.kind == NUMERIC and any(v is not None for v in inputs.values()):
        computed = (_band if item.compute.kind == BAND else _change)(item, inputs, answers)
        if computed is None and not letters and not partial:
            missing = _missing_inputs(item, inputs, answers)
            _refuse(item.code, _("give %(fields)s, or choose an option"), fields=missing)
        if computed is not None:
            option, value = computed
            if letters and letters != (option,):
                _refuse(
                    item.code,
                    _("the figures give option %(computed)s, not %(chosen)s"),
                    computed=option,
                    chosen=", ".join(letters),
                )
            letters = (option,)
    if not letters:
        return None
    points = sum((item.options_by_code[letter].points for letter in letters), ZERO)
    return ItemScore(item.code, points, item.points, letters, value)


def _expert(item: ItemSpec, raw) -> ItemScore | None:
    if not isinstance(raw, Mapping) or set(raw) - {"points", "comment"}:
        _refuse(item.code, _("give the points and a comment"))
    comment = raw.get("comment") or ""
    if not isinstance(comment, str):
        _refuse(item.code, _("the comment must be a text"))
    points = _number(item, "points", raw.get("points"))
    if points is None:
        return None
    if points > item.points:
        _refuse(item.code, _("at most %(max)s points"), max=plain(item.points))
    if points.normalize().as_tuple().exponent < -MAX_PLACES:
        _refuse(item.code, _("points have at most three decimals"))
    return ItemScore(item.code, points, item.points, comment=comment)


def _score_item(item: ItemSpec, raw, answers: Mapping, partial: bool) -> ItemScore | None:
    """The item's score, or None when it has not been answered."""
    if raw is None:
        return None
    if item.kind in CHOICE_KINDS:
        return _choice(item, raw, answers, partial)
    if item.kind == EXPERT:
        return _expert(item, raw)
    if not isinstance(raw, str):
        _refuse(item.code, _("the answer must be a text"))
    return ItemScore(item.code, ZERO, ZERO) if raw.strip() else None


def _scene_level(instrument: InstrumentSpec, code: str, raw) -> int:
    lowest = instrument.lowest_scene_level
    if raw == 0 and lowest > 0 and not isinstance(raw, bool):
        _refuse(
            code,
            _("level 0 (未达一级) is not offered: the scene levels of %(instrument)s are %(min)s to %(max)s"),
            instrument=instrument.label,
            min=lowest,
            max=SCENE_LEVELS,
        )
    if isinstance(raw, bool) or not isinstance(raw, int) or raw not in instrument.scene_levels:
        _refuse(
            code,
            _("the scene level must be a whole number from %(min)s to %(max)s"),
            min=lowest,
            max=SCENE_LEVELS,
        )
    return raw


# --- the level and the gap -----------------------------------------------------------------------


def _at_least(instrument: InstrumentSpec, scenes: dict, level: int) -> tuple[int, int]:
    codes = [code for code, value in scenes.items() if value >= level]
    return len(codes), sum(instrument.scenes[code].constrained for code in codes)


def evaluate_level(instrument: InstrumentSpec, rule: LevelRuleSpec, total: Decimal, scenes: dict) -> int:
    """The highest level whose conditions all hold, checked from the top down; 0 when none does."""
    for t in rule.levels:
        count, constrained = _at_least(instrument, scenes, t.scene_level)
        if total >= t.min_total and count >= t.min_scenes and constrained >= t.min_constrained:
            return t.level
    return 0


def _scene_steps(instrument: InstrumentSpec, scenes: dict, target) -> tuple[SceneStep, ...]:
    """The fewest scenes to raise: constrained ones for the constrained count, then the closest ones."""
    count, constrained = _at_least(instrument, scenes, target.scene_level)
    below = [s for s in instrument.scenes.values() if scenes[s.code] < target.scene_level]
    nearest = sorted(below, key=lambda s: (-scenes[s.code], not s.constrained, s.order))
    chosen = [s for s in nearest if s.constrained][: max(0, target.min_constrained - constrained)]
    rest = [s for s in nearest if s not in chosen]
    chosen += rest[: max(0, target.min_scenes - count - len(chosen))]
    chosen.sort(key=lambda s: (not s.constrained, s.order))
    return tuple(SceneStep(s.code, s.name, s.constrained, scenes[s.code], target.scene_level) for s in chosen)


def _suggestions(
    instrument: InstrumentSpec, items: dict
) -> list[tuple[str, str | None, str | None, Decimal]]:
    """Every single step that gains points: the next better option, or one more multiple-choice option."""
    steps = []
    for item in instrument.items.values():
        scored = items[item.code]
        current = scored.options[0] if scored.options else None
        if item.kind in (SINGLE, NUMERIC):
            better = [o for o in item.options if o.points > scored.points]
            if better:
                step = min(better, key=lambda o: o.points)
                steps.append((item.code, step.code, current, step.points - scored.points))
        elif item.kind == MULTIPLE:
            for option in item.options:
                if option.points and option.code not in scored.options:
                    steps.append((item.code, option.code, None, option.points))
        elif item.kind == EXPERT and scored.points < item.points:
            steps.append((item.code, None, None, item.points - scored.points))
    order = {code: i for i, code in enumerate(instrument.items)}
    steps.sort(key=lambda s: (-s[3], order[s[0]], s[1] or ""))
    return steps


def find_gap(instrument, rule, total: Decimal, level: int, scenes: dict, items: dict) -> Gap | None:
    higher = [t for t in rule.levels if t.level > level]
    if not higher:
        return None
    target = min(higher, key=lambda t: t.level)
    missing = max(ZERO, target.min_total - total)
    suggestions, running, needed = [], ZERO, None if missing else 0
    for i, (item, option, current, gain) in enumerate(_suggestions(instrument, items), start=1):
        running += gain
        suggestions.append(Suggestion(item, option, current, gain, running))
        if needed is None and running >= missing:
            needed = i
    return Gap(target.level, missing, _scene_steps(instrument, scenes, target), tuple(suggestions), needed)


# --- the entry points ----------------------------------------------------------------------------


def score(instrument: InstrumentSpec, answers: Mapping, rule: LevelRuleSpec | None = None, *, partial=False):
    """Score an answer set. Without `partial` every scored item and every scene must be answered."""
    if not isinstance(answers, Mapping):
        raise ScoringError("", _("The answers must be an object keyed by item code."))
    for code in answers:
        if code not in instrument.items and code not in instrument.scenes:
            _refuse(str(code), _("there is no such item in %(instrument)s"), instrument=instrument.label)
    items, missing = {}, []
    for item in instrument.items.values():
        scored = _score_item(item, answers.get(item.code), answers, partial)
        if scored is None:
            if item.kind != TEXT:
                missing.append(item.code)
            scored = ItemScore(item.code, ZERO, item.points, answered=False)
        items[item.code] = scored
    scenes = {}
    for code in instrument.scenes:
        raw = answers.get(code)
        if raw is None:
            missing.append(code)
        # An unanswered scene of a partial result counts as 0: not reached, because not answered.
        scenes[code] = 0 if raw is None else _scene_level(instrument, code, raw)
    if missing and not partial:
        _refuse(missing[0], _("this item has not been answered"))
    return _result(instrument, rule, items, scenes, tuple(missing), partial)


def _result(instrument, rule, items, scenes, missing, partial) -> Result:
    subs = {}
    for dim in instrument.dimensions.values():  # sub-dimensions come before their parent
        parts = [items[c].points for c in dim.items] + [subs[c].points for c in dim.children]
        subs[dim.code] = Subtotal(sum(parts, ZERO), dim.points)
    top = {d.code: subs[d.code] for d in instrument.top_dimensions}
    total = sum((s.points for s in top.values()), ZERO)
    level = gap = None
    if rule is not None:
        level = evaluate_level(instrument, rule, total, scenes)
        gap = find_gap(instrument, rule, total, level, scenes, items)
    names = (rule.level_names if rule else ()) or instrument.scene_level_names
    return Result(
        instrument=instrument.code,
        version=instrument.version,
        rule=f"{rule.code} {rule.version}" if rule else None,
        total=total,
        max_total=instrument.total,
        level=level,
        level_name=names[level] if level is not None and level < len(names) else "",
        dimensions=top,
        sub_dimensions={code: s for code, s in subs.items() if code not in top},
        items=items,
        scenes=scenes,
        gap=gap,
        missing=missing,
        partial=partial,
    )


@dataclass(frozen=True)
class Rescore:
    result: Result
    dropped: tuple[str, ...]  # answered codes the other version does not have
    unanswered: tuple[str, ...]  # items of the other version the answers do not cover
    raised: tuple[
        str, ...
    ] = ()  # scenes answered 0 (未达一级) that the other version counts at its lowest level


def carry_over_scenes(answers: Mapping, instrument: InstrumentSpec) -> tuple[dict, tuple[str, ...]]:
    """Earlier scene answers as `instrument` can take them, and the scenes that had to be raised.

    The one place that decides what an answer of 0 (未达一级, offered by version 2024.1 only) becomes
    under a version whose scenes start at 1 as on the official form: it counts as 一级 — the official
    form would have had the enterprise choose its lowest level — and the scene is reported as raised,
    so that a comparison can flag it. Other answers pass unchanged.
    """
    lowest = instrument.lowest_scene_level
    raised = tuple(
        code
        for code, value in answers.items()
        if code in instrument.scenes
        and isinstance(value, int)
        and not isinstance(value, bool)
        and 0 <= value < lowest
    )
    return {**answers, **dict.fromkeys(raised, lowest)}, raised


def rescore(answers: Mapping, instrument: InstrumentSpec, rule: LevelRuleSpec | None = None) -> Rescore:
    """Score an earlier answer set under another instrument version, for comparison only.

    Answers are matched by item code; codes the other version lacks are dropped and reported, and
    its new items count as unanswered. A scene answered 0 where the other version starts at 1 counts
    as 1 (`carry_over_scenes`). Nothing is written: the original result stays as it was.
    """
    kept = {
        code: value
        for code, value in answers.items()
        if code in instrument.items or code in instrument.scenes
    }
    dropped = tuple(code for code in answers if code not in kept)
    kept, raised = carry_over_scenes(kept, instrument)
    result = score(instrument, kept, rule, partial=True)
    return Rescore(result, dropped, result.missing, raised)
