"""Instruments and level rules as validated, immutable Python objects, parsed from their data files.

The loader refuses any file that does not parse here, and scoring reads only these objects, so a
score never depends on the database. Points are `Decimal` throughout: B4's 13 × 0.7 + 0.9 must be
exactly 10. The file format is described in `instruments/README.md`.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from functools import cached_property

from django.utils.translation import gettext as _

from smedx.core.errors import DomainError

FORMAT = 1
SINGLE, MULTIPLE, NUMERIC, SCENE, TEXT, EXPERT = "single", "multiple", "numeric", "scene", "text", "expert"
ITEM_KINDS = (SINGLE, MULTIPLE, NUMERIC, TEXT, EXPERT)  # scenes have their own list in the file
CHOICE_KINDS = (SINGLE, MULTIPLE, NUMERIC)
BAND, CHANGE = "band", "change"
UP, FLAT, DOWN = "up", "flat", "down"
SCENE_LEVELS = 4
# The lowest level a scene answer may take. The official 2024 form offers 一级–四级 only (1); the
# platform's first version, 2024.1, also accepted 0 (未达一级) and is kept for the answers given under it.
LOWEST_SCENE_LEVELS = (0, 1)
INSTRUMENT_KINDS = ("assessment", "evaluation")
STATUSES = ("draft", "active", "retired")

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$")
_OPTION = re.compile(r"^[A-Z][A-Z0-9]{0,3}$")
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_INTERVAL = re.compile(r"^([\[(])\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*([\])])$")


class InstrumentError(DomainError):
    """A data file that cannot be used. The message names the offending node."""


def checksum(data: dict) -> str:
    """The fingerprint of a file's content, independent of key order and whitespace."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def version_key(version: str) -> tuple:
    """`"2024.10"` after `"2024.2"`: numeric parts compare as numbers, the rest as text."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"[.\-]", version)
    )


def plain(value: Decimal) -> str:
    """`Decimal("7.500")` → `"7.5"`, `Decimal("100.000")` → `"100"`: no exponent, no trailing zeros."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class OptionSpec:
    code: str
    text: str
    points: Decimal
    exclusive: bool = False


@dataclass(frozen=True)
class FieldSpec:
    key: str
    name: str
    unit: str = ""


@dataclass(frozen=True)
class Band:
    option: str
    low: Decimal
    high: Decimal
    low_closed: bool
    high_closed: bool

    def contains(self, value: Decimal) -> bool:
        above = value >= self.low if self.low_closed else value > self.low
        below = value <= self.high if self.high_closed else value < self.high
        return above and below


@dataclass(frozen=True)
class Ratio:
    """`num / den × scale`; without `den` just the input `num`."""

    num: str
    den: str | None = None
    scale: Decimal = Decimal(1)

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.num, self.den) if self.den else (self.num,)


@dataclass(frozen=True)
class ComputeSpec:
    """How an item's data fields give its option.

    `band`: the value (`value`, or the input `direct` when the counts are not given) falls into one
    option's interval. `change`: `last` compared with `prev` gives the option for up, flat or down.
    `borrow` names inputs taken from another item's answer when not given with this one.
    """

    kind: str
    value: Ratio | None = None
    direct: str | None = None
    bands: tuple[Band, ...] = ()
    last: Ratio | None = None
    prev: Ratio | None = None
    directions: dict = field(default_factory=dict)
    borrow: dict = field(default_factory=dict)

    @property
    def keys(self) -> tuple[str, ...]:
        ratios = (self.value,) if self.kind == BAND else (self.last, self.prev)
        keys = [key for ratio in ratios for key in ratio.keys]
        if self.direct:
            keys.append(self.direct)
        return tuple(dict.fromkeys(keys))


@dataclass(frozen=True)
class ItemSpec:
    code: str
    kind: str
    title: str
    points: Decimal
    dimension: str  # the code of the (sub-)dimension the item belongs to
    order: int
    ref: str = ""
    indicator: str = ""
    description: str = ""
    note: str = ""
    options: tuple[OptionSpec, ...] = ()
    fields: tuple[FieldSpec, ...] = ()
    compute: ComputeSpec | None = None
    evidence: tuple[str, ...] = ()
    borrowed: tuple[FieldSpec, ...] = ()  # the fields of other items that `compute.borrow` takes

    @cached_property
    def options_by_code(self) -> dict[str, OptionSpec]:
        return {option.code: option for option in self.options}

    @cached_property
    def exclusive_option(self) -> OptionSpec | None:
        return next((option for option in self.options if option.exclusive), None)

    @cached_property
    def input_keys(self) -> frozenset[str]:
        keys = {f.key for f in self.fields}
        if self.compute:
            keys |= set(self.compute.borrow)
        return frozenset(keys)

    def field_name(self, key: str) -> str:
        return next((f.name for f in self.fields + self.borrowed if f.key == key), key)


@dataclass(frozen=True)
class SceneSpec:
    code: str
    name: str
    constrained: bool
    levels: tuple[str, ...]
    order: int
    category: str = ""


@dataclass(frozen=True)
class DimensionSpec:
    code: str
    name: str
    points: Decimal
    order: int
    parent: str | None = None
    children: tuple[str, ...] = ()
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class InstrumentSpec:
    code: str
    version: str
    title: str
    kind: str
    sector: str
    status: str
    total: Decimal
    dimensions: dict  # code → DimensionSpec, top-level and sub-dimensions; each after its children
    items: dict  # code → ItemSpec, in file order
    scenes: dict  # code → SceneSpec, in file order
    scene_level_names: tuple[str, ...]
    default_level_rule: str
    checksum: str
    lowest_scene_level: int = 0

    @property
    def scene_levels(self) -> range:
        """The levels a scene answer may take: 1–4 as on the official form, 0–4 in version 2024.1."""
        return range(self.lowest_scene_level, SCENE_LEVELS + 1)

    @property
    def top_dimensions(self) -> list[DimensionSpec]:
        return [d for d in self.dimensions.values() if d.parent is None]

    @property
    def label(self) -> str:
        return f"{self.code} {self.version}"

    @property
    def name(self) -> str:
        """What people read: the title and version, never the code."""
        return versioned_name(self.title or self.code, self.version)


@dataclass(frozen=True)
class Threshold:
    level: int
    min_total: Decimal
    scene_level: int
    min_scenes: int
    min_constrained: int


@dataclass(frozen=True)
class LevelRuleSpec:
    code: str
    version: str
    instrument: str
    title: str
    official: bool
    levels: tuple[Threshold, ...]  # highest level first
    level_names: tuple[str, ...]
    checksum: str

    def level_name(self, level: int) -> str:
        return self.level_names[level] if 0 <= level < len(self.level_names) else str(level)

    @property
    def name(self) -> str:
        """What people read: the title and version, never the code."""
        return versioned_name(self.title or self.code, self.version)


def versioned_name(title: str, version: str) -> str:
    """An instrument's or a level rule's name as pages, reports and the PDF show it."""
    return _("%(title)s, version %(version)s") % {"title": title, "version": version}


# --- parsing -------------------------------------------------------------------------------------


def _fail(node: str, message: str, **params):
    raise InstrumentError(_("%(node)s: %(problem)s") % {"node": node, "problem": message % params})


def _get(data, key: str, node: str, kind=str, *, required=True, default=None):
    if not isinstance(data, dict):
        _fail(node, _("expected an object"))
    if key not in data:
        if required:
            _fail(node, _("“%(key)s” is missing"), key=key)
        return default
    value = data[key]
    if kind is str and not (isinstance(value, str) and (value or not required)):
        _fail(node, _("“%(key)s” must be a non-empty text"), key=key)
    if kind is list and not isinstance(value, list):
        _fail(node, _("“%(key)s” must be a list"), key=key)
    if kind is dict and not isinstance(value, dict):
        _fail(node, _("“%(key)s” must be an object"), key=key)
    if kind is bool and not isinstance(value, bool):
        _fail(node, _("“%(key)s” must be true or false"), key=key)
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        _fail(node, _("“%(key)s” must be a whole number"), key=key)
    return value


def _points(value, node: str, key="points") -> Decimal:
    # Floats are refused: 0.7 as a float is 0.7000000000000001, the very error the source contains.
    if isinstance(value, bool) or not isinstance(value, str | int):
        _fail(node, _('“%(key)s” must be written as a string such as "7.5" or a whole number'), key=key)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number < 0:
        _fail(node, _("“%(key)s” is not a number of points: %(value)s"), key=key, value=value)
    return number


def _code(data, node: str, pattern=_CODE) -> str:
    code = _get(data, "code", node)
    if not pattern.match(code):
        _fail(node, _("the code “%(code)s” is not allowed"), code=code)
    return code


def _check_sum(node: str, parts, points: Decimal, what: str):
    total = sum(parts, Decimal(0))
    if total != points:
        _fail(
            node,
            _("the points of its %(what)s add up to %(sum)s, not %(points)s"),
            what=what,
            sum=plain(total),
            points=plain(points),
        )


class _Parser:
    def __init__(self, data: dict):
        self.data = data
        self.dimensions: dict[str, DimensionSpec] = {}
        self.items: dict[str, ItemSpec] = {}
        self.scenes: dict[str, SceneSpec] = {}
        self.codes: set[str] = set()

    def claim(self, code: str, node: str):
        if code in self.codes:
            _fail(node, _("the code “%(code)s” is used twice"), code=code)
        self.codes.add(code)

    def parse(self) -> InstrumentSpec:
        data = self.data
        if not isinstance(data, dict) or data.get("type") != "instrument":
            raise InstrumentError(_('This is not an instrument file ("type": "instrument" is missing).'))
        if data.get("format") != FORMAT:
            raise InstrumentError(_("Unknown file format %(format)s.") % {"format": data.get("format")})
        code = _code(data, "instrument")
        version = _get(data, "version", code)
        if len(version) > 20:
            _fail(code, _("the version is longer than 20 characters"))
        node = f"{code} {version}"
        kind = _get(data, "kind", node, required=False, default="assessment")
        status = _get(data, "status", node, required=False, default="active")
        if kind not in INSTRUMENT_KINDS:
            _fail(node, _("unknown kind “%(kind)s”"), kind=kind)
        if status not in STATUSES:
            _fail(node, _("unknown status “%(status)s”"), status=status)
        total = _points(_get(data, "total", node, object), node, "total")
        dims = _get(data, "dimensions", node, list)
        if not dims:
            _fail(node, _("it has no dimensions"))
        tops = [self.dimension(d, node, None, i) for i, d in enumerate(dims)]
        _check_sum(node, (d.points for d in tops), total, _("dimensions"))
        for i, scene in enumerate(_get(data, "scenes", node, list, required=False, default=[])):
            self.scene(scene, node, i)
        for item in list(self.items.values()):
            if item.compute and item.compute.borrow:
                self.items[item.code] = replace(item, borrowed=self.borrowed(item))
        names = _get(data, "sceneLevelNames", node, list, required=False, default=[])
        if names and len(names) != SCENE_LEVELS + 1:
            _fail(node, _("“sceneLevelNames” must name the levels 0 to 4"))
        lowest = _get(data, "lowestSceneLevel", node, int, required=False, default=0)
        if lowest not in LOWEST_SCENE_LEVELS:
            _fail(node, _("“lowestSceneLevel” must be 0 or 1"))
        return InstrumentSpec(
            code=code,
            version=version,
            title=_get(data, "title", node),
            kind=kind,
            sector=_get(data, "sector", node, required=False, default=""),
            status=status,
            total=total,
            dimensions=self.dimensions,
            items=self.items,
            scenes=self.scenes,
            scene_level_names=tuple(names),
            default_level_rule=_get(data, "defaultLevelRule", node, required=False, default=""),
            checksum=checksum(data),
            lowest_scene_level=lowest,
        )

    def dimension(self, data, parent_node: str, parent: str | None, order: int) -> DimensionSpec:
        code = _code(data, f"{parent_node} › #{order + 1}")
        node = f"{parent_node} › {code}"
        self.claim(code, node)
        name = _get(data, "name", node)
        points = _points(_get(data, "points", node, object), node)
        subs = _get(data, "subDimensions", node, list, required=False)
        raw_items = _get(data, "items", node, list, required=False)
        if (subs is None) == (raw_items is None):
            _fail(node, _("a dimension holds either “subDimensions” or “items”"))
        children, item_codes = (), ()
        if subs is not None:
            if parent is not None:
                _fail(node, _("sub-dimensions cannot have sub-dimensions"))
            if not subs:
                _fail(node, _("it has no sub-dimensions"))
            parsed = [self.dimension(sub, node, code, i) for i, sub in enumerate(subs)]
            _check_sum(node, (d.points for d in parsed), points, _("sub-dimensions"))
            children = tuple(d.code for d in parsed)
        else:
            if not raw_items:
                _fail(node, _("it has no items"))
            parsed = [self.item(item, node, code) for item in raw_items]
            _check_sum(node, (i.points for i in parsed), points, _("items"))
            item_codes = tuple(i.code for i in parsed)
        spec = DimensionSpec(code, name, points, order, parent, children, item_codes)
        self.dimensions[code] = spec
        return spec

    def item(self, data, parent_node: str, dimension: str) -> ItemSpec:
        code = _code(data, f"{parent_node} › #{len(self.items) + 1}")
        node = f"{parent_node} › {code}"
        self.claim(code, node)
        kind = _get(data, "kind", node)
        if kind not in ITEM_KINDS:
            _fail(node, _("unknown item kind “%(kind)s”"), kind=kind)
        points = _points(data.get("points", "0"), node)
        options = self.options(data, node, kind)
        fields = self.fields(data, node)
        evidence = _get(data, "evidence", node, dict, required=False, default={})
        kinds = evidence.get("kinds", [])
        if not isinstance(kinds, list) or not all(isinstance(k, str) and k for k in kinds):
            _fail(node, _("“evidence.kinds” must be a list of texts"))
        spec = ItemSpec(
            code=code,
            kind=kind,
            title=_get(data, "title", node),
            points=points,
            dimension=dimension,
            order=len(self.items),
            ref=_get(data, "ref", node, required=False, default=""),
            indicator=_get(data, "indicator", node, required=False, default=""),
            description=_get(data, "description", node, required=False, default=""),
            note=_get(data, "note", node, required=False, default=""),
            options=options,
            fields=fields,
            compute=self.compute(data, node, kind, options, fields),
            evidence=tuple(kinds),
        )
        self.check_points(spec, node)
        self.items[code] = spec
        return spec

    def options(self, data, node: str, kind: str) -> tuple[OptionSpec, ...]:
        raw = _get(data, "options", node, list, required=False, default=[])
        if kind in CHOICE_KINDS and not raw:
            _fail(node, _("a %(kind)s item needs options"), kind=kind)
        if kind not in CHOICE_KINDS and raw:
            _fail(node, _("a %(kind)s item has no options"), kind=kind)
        options, seen = [], set()
        for i, opt in enumerate(raw):
            opt_code = _code(opt, f"{node} › option #{i + 1}", _OPTION)
            opt_node = f"{node} › {_('option')} {opt_code}"
            if opt_code in seen:
                _fail(opt_node, _("the option code is used twice"))
            seen.add(opt_code)
            text = _get(opt, "text", opt_node)
            exclusive = _get(opt, "exclusive", opt_node, bool, required=False, default=False)
            option = OptionSpec(
                opt_code, text, _points(_get(opt, "points", opt_node, object), opt_node), exclusive
            )
            if exclusive and kind != MULTIPLE:
                _fail(opt_node, _("only multiple-choice items have an exclusive option"))
            if exclusive and option.points:
                _fail(opt_node, _("the exclusive option must give 0 points"))
            options.append(option)
        if sum(o.exclusive for o in options) > 1:
            _fail(node, _("it has more than one exclusive option"))
        return tuple(options)

    def fields(self, data, node: str) -> tuple[FieldSpec, ...]:
        fields, seen = [], set()
        for i, raw in enumerate(_get(data, "formFields", node, list, required=False, default=[])):
            field_node = f"{node} › formField #{i + 1}"
            key = _get(raw, "key", field_node)
            if not _KEY.match(key) or key == "options":
                _fail(field_node, _("the key “%(key)s” is not allowed"), key=key)
            if key in seen:
                _fail(field_node, _("the key “%(key)s” is used twice"), key=key)
            seen.add(key)
            fields.append(FieldSpec(key, _get(raw, "name", field_node), raw.get("unit", "")))
        return tuple(fields)

    def check_points(self, item: ItemSpec, node: str):
        if item.kind in (SINGLE, NUMERIC):
            best = max(o.points for o in item.options)
            if best != item.points:
                _fail(
                    node,
                    _("its best option gives %(best)s points, not %(points)s"),
                    best=plain(best),
                    points=plain(item.points),
                )
        elif item.kind == MULTIPLE:
            _check_sum(node, (o.points for o in item.options if not o.exclusive), item.points, _("options"))
        elif item.kind == TEXT and item.points:
            _fail(node, _("a text item gives no points"))
        elif item.kind == EXPERT and not item.points:
            _fail(node, _("an expert-scored item needs its maximum points"))

    def compute(self, data, node, kind, options, fields) -> ComputeSpec | None:
        raw = _get(data, "compute", node, dict, required=False)
        if kind != NUMERIC:
            if raw is not None:
                _fail(node, _("only numeric items compute their option"))
            return None
        node = f"{node} › compute"
        if raw is None:
            _fail(node, _("a numeric item needs “compute”"))
        borrow = _get(raw, "borrow", node, dict, required=False, default={})
        own = {f.key for f in fields}
        for key, source in borrow.items():
            if key in own or not isinstance(source, str):
                _fail(node, _("“borrow” of “%(key)s” is not valid"), key=key)
        letters = {o.code for o in options}
        compute_kind = _get(raw, "kind", node)
        if compute_kind == BAND:
            spec = ComputeSpec(
                BAND,
                value=self.ratio(raw, "value", node),
                direct=_get(raw, "direct", node, required=False),
                bands=self.bands(raw, node, letters),
                borrow=borrow,
            )
        elif compute_kind == CHANGE:
            directions = _get(raw, "directions", node, dict)
            if set(directions) != {UP, FLAT, DOWN} or sorted(directions.values()) != sorted(letters):
                _fail(node, _("“directions” must give each option to one of up, flat and down"))
            spec = ComputeSpec(
                CHANGE,
                last=self.ratio(raw, "last", node),
                prev=self.ratio(raw, "prev", node),
                directions=directions,
                borrow=borrow,
            )
        else:
            _fail(node, _("unknown computation “%(kind)s”"), kind=compute_kind)
        for key in spec.keys:
            if key not in own and key not in borrow:
                _fail(node, _("it uses “%(key)s”, which is neither a form field nor borrowed"), key=key)
        return spec

    def ratio(self, raw, key: str, node: str) -> Ratio:
        value = _get(raw, key, node, dict)
        scale = _points(value.get("scale", "1"), f"{node} › {key}", "scale")
        return Ratio(_get(value, "num", f"{node} › {key}"), value.get("den"), scale)

    def bands(self, raw, node: str, letters: set[str]) -> tuple[Band, ...]:
        bands = []
        for i, band in enumerate(_get(raw, "bands", node, list)):
            band_node = f"{node} › band #{i + 1}"
            match = _INTERVAL.match(_get(band, "interval", band_node))
            if not match:
                _fail(band_node, _("write the interval like (10,20]"))
            low, high = Decimal(match[2]), Decimal(match[3])
            if low > high:
                _fail(band_node, _("the interval is empty"))
            bands.append(Band(_get(band, "option", band_node), low, high, match[1] == "[", match[4] == "]"))
        if sorted(b.option for b in bands) != sorted(letters):
            _fail(node, _("each option needs exactly one band"))
        bands.sort(key=lambda b: (b.low, not b.low_closed))
        for before, after in zip(bands, bands[1:], strict=False):
            if before.high != after.low or before.high_closed == after.low_closed:
                _fail(
                    node,
                    _("the bands of %(a)s and %(b)s leave a gap or overlap"),
                    a=before.option,
                    b=after.option,
                )
        return tuple(bands)

    def borrowed(self, item: ItemSpec) -> tuple[FieldSpec, ...]:
        fields = []
        for key, source in item.compute.borrow.items():
            other = self.items.get(source)
            found = next((f for f in other.fields if f.key == key), None) if other else None
            if found is None:
                _fail(
                    item.code,
                    _("it borrows “%(key)s” from %(source)s, which has no such field"),
                    key=key,
                    source=source,
                )
            fields.append(found)
        return tuple(fields)

    def scene(self, data, parent_node: str, order: int):
        code = _code(data, f"{parent_node} › scene #{order + 1}")
        node = f"{parent_node} › {code}"
        self.claim(code, node)
        levels = _get(data, "levels", node, list)
        if len(levels) != SCENE_LEVELS or not all(isinstance(t, str) and t.strip() for t in levels):
            _fail(node, _("a scene needs the texts of its four levels"))
        self.scenes[code] = SceneSpec(
            code=code,
            name=_get(data, "name", node),
            constrained=_get(data, "constrained", node, bool),
            levels=tuple(levels),
            order=order,
            category=_get(data, "category", node, required=False, default=""),
        )


def parse_instrument(data: dict) -> InstrumentSpec:
    """Validate an instrument file completely; raise `InstrumentError` naming the first bad node."""
    return _Parser(data).parse()


def parse_level_rule(data: dict) -> LevelRuleSpec:
    """Validate a level rule; raise `InstrumentError` naming the first bad node."""
    if not isinstance(data, dict) or data.get("type") != "level-rule":
        raise InstrumentError(_('This is not a level rule file ("type": "level-rule" is missing).'))
    if data.get("format") != FORMAT:
        raise InstrumentError(_("Unknown file format %(format)s.") % {"format": data.get("format")})
    code = _code(data, "level rule")
    version = _get(data, "version", code)
    node = f"{code} {version}"
    if len(version) > 20:
        _fail(node, _("the version is longer than 20 characters"))
    # The engine compares with ≥ on the unrounded total; a file asking for anything else is refused.
    if data.get("comparison", ">=") != ">=" or data.get("roundTotal", False) is not False:
        _fail(node, _("only “>=” on the unrounded total is supported"))
    levels = []
    for i, raw in enumerate(_get(data, "levels", node, list)):
        level_node = f"{node} › level #{i + 1}"
        threshold = Threshold(
            level=_get(raw, "level", level_node, int),
            min_total=_points(_get(raw, "minTotal", level_node, object), level_node, "minTotal"),
            scene_level=_get(raw, "sceneLevel", level_node, int),
            min_scenes=_get(raw, "minScenes", level_node, int),
            min_constrained=_get(raw, "minConstrained", level_node, int),
        )
        if not 1 <= threshold.level <= SCENE_LEVELS or not 1 <= threshold.scene_level <= SCENE_LEVELS:
            _fail(level_node, _("levels run from 1 to 4"))
        if not 0 <= threshold.min_constrained <= threshold.min_scenes:
            _fail(level_node, _("the constrained scenes are part of the scenes, so at most as many"))
        levels.append(threshold)
    if not levels:
        _fail(node, _("it has no levels"))
    if len({t.level for t in levels}) != len(levels):
        _fail(node, _("a level is given twice"))
    names = _get(data, "levelNames", node, list, required=False, default=[])
    if names and len(names) != SCENE_LEVELS + 1:
        _fail(node, _("“levelNames” must name the levels 0 to 4"))
    return LevelRuleSpec(
        code=code,
        version=version,
        instrument=_get(data, "instrument", node),
        title=_get(data, "title", node, required=False, default=""),
        official=_get(data, "official", node, bool, required=False, default=False),
        levels=tuple(sorted(levels, key=lambda t: -t.level)),
        level_names=tuple(names),
        checksum=checksum(data),
    )
