"""Load instrument and level-rule files into the database: validated completely first, written at once.

Loading is idempotent: the same code and version with the same content is a no-op. Different
content under a version already loaded is refused, because results refer to that version — a
change must be a new version.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from smedx.assessments.models import Dimension, Instrument, Item, LevelRule, Option, Scene
from smedx.assessments.spec import (
    InstrumentError,
    InstrumentSpec,
    checksum,
    parse_instrument,
    parse_level_rule,
    version_key,
)

BUNDLED = Path(__file__).resolve().parent / "instruments"


@dataclass(frozen=True)
class Loaded:
    obj: Instrument | LevelRule
    created: bool


def read(path) -> dict:
    path = Path(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InstrumentError(
            _("%(path)s cannot be read: %(error)s") % {"path": path.name, "error": exc}
        ) from exc


def _is_rule(data) -> bool:
    return isinstance(data, dict) and data.get("type") == "level-rule"


def load_file(path) -> Loaded:
    """Load an instrument or a level rule, whichever the file holds."""
    data = read(path)
    return load_level_rule(data) if _is_rule(data) else load_instrument(data)


def load_bundled() -> list[Loaded]:
    """Every file shipped in `instruments/`: the instruments, older versions first, then the level rules.

    All files are checked before any is written, so one broken file loads nothing.
    """
    instruments = sorted(((path, read(path)) for path in BUNDLED.glob("*.json")), key=_version_order)
    rules = [(path, read(path)) for path in sorted((BUNDLED / "level-rules").glob("*.json"))]
    for path, data in instruments + rules:
        try:
            (parse_level_rule if _is_rule(data) else parse_instrument)(data)
        except InstrumentError as exc:
            raise InstrumentError(f"{path.name}: {exc}") from exc
    return [
        load_level_rule(data) if _is_rule(data) else load_instrument(data)
        for _path, data in instruments + rules
    ]


def _version_order(pair) -> tuple:
    path, data = pair
    if not isinstance(data, dict):
        return ("", (), path.name)
    return (str(data.get("code", "")), version_key(str(data.get("version", ""))), path.name)


def _unchanged(existing, data: dict, what: str) -> bool:
    if existing is None:
        return False
    if existing.checksum == checksum(data):
        return True
    raise InstrumentError(
        _(
            "%(what)s %(code)s %(version)s is already loaded with different content. "
            "Results refer to it, so a change must be a new version."
        )
        % {"what": what, "code": existing.code, "version": existing.version}
    )


def load_instrument(data: dict) -> Loaded:
    spec = parse_instrument(data)
    with transaction.atomic():
        existing = Instrument.objects.filter(code=spec.code, version=spec.version).first()
        if _unchanged(existing, data, _("Instrument")):
            return Loaded(existing, False)
        instrument = Instrument.objects.create(
            code=spec.code,
            version=spec.version,
            title=spec.title,
            kind=spec.kind,
            sector=spec.sector,
            status=spec.status,
            total=spec.total,
            default_level_rule=spec.default_level_rule,
            data=data,
            checksum=spec.checksum,
        )
        _write_rows(instrument, spec)
    return Loaded(instrument, True)


def _write_rows(instrument: Instrument, spec: InstrumentSpec):
    dims = {}
    for top in spec.top_dimensions:
        for code in (top.code, *top.children):
            d = spec.dimensions[code]
            dims[code] = Dimension.objects.create(
                instrument=instrument,
                parent=dims.get(d.parent),
                code=code,
                name=d.name,
                points=d.points,
                order=d.order,
            )
    items = Item.objects.bulk_create(
        Item(
            instrument=instrument,
            dimension=dims[i.dimension],
            code=i.code,
            ref=i.ref,
            indicator=i.indicator,
            kind=i.kind,
            title=i.title,
            description=i.description,
            note=i.note,
            points=i.points,
            order=i.order,
            form_fields=[{"key": f.key, "name": f.name, "unit": f.unit} for f in i.fields],
            compute=_raw_item(instrument.data, i.code).get("compute"),
            evidence=list(i.evidence),
        )
        for i in spec.items.values()
    )
    Option.objects.bulk_create(
        Option(item=row, code=o.code, text=o.text, points=o.points, exclusive=o.exclusive, order=n)
        for row, i in zip(items, spec.items.values(), strict=True)
        for n, o in enumerate(i.options)
    )
    Scene.objects.bulk_create(
        Scene(
            instrument=instrument,
            code=s.code,
            category=s.category,
            name=s.name,
            constrained=s.constrained,
            level_1=s.levels[0],
            level_2=s.levels[1],
            level_3=s.levels[2],
            level_4=s.levels[3],
            order=s.order,
        )
        for s in spec.scenes.values()
    )


def _raw_item(data: dict, code: str) -> dict:
    for dim in data["dimensions"]:
        for sub in dim.get("subDimensions", [dim]):
            for item in sub.get("items", []):
                if item["code"] == code:
                    return item
    return {}


def load_level_rule(data: dict, *, created_by=None) -> Loaded:
    """Load a rule version. It becomes the active rule of its instrument only if there is none yet."""
    spec = parse_level_rule(data)
    with transaction.atomic():
        existing = LevelRule.objects.filter(code=spec.code, version=spec.version).first()
        if _unchanged(existing, data, _("Level rule")):
            return Loaded(existing, False)
        has_active = LevelRule.objects.filter(instrument_code=spec.instrument, active=True).exists()
        rule = LevelRule.objects.create(
            code=spec.code,
            version=spec.version,
            instrument_code=spec.instrument,
            title=spec.title,
            data=data,
            checksum=spec.checksum,
            active=not has_active,
            created_by=created_by,
        )
    return Loaded(rule, True)
