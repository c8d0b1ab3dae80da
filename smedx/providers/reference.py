"""Codes the pool and the catalogue use: the 16 scenes of the 2024 instrument, industries, levels."""

from functools import cache

from smedx.assessments.levels import level_label
from smedx.assessments.loader import BUNDLED, read
from smedx.enterprises.reference import division_choices, industry_name

SCENE_INSTRUMENT = BUNDLED / "miit-2024-manufacturing.json"


@cache
def scenes() -> dict[str, tuple[str, str]]:
    """`{"S01": (category, name), …}` of the 2024 manufacturing instrument, in its order."""
    data = read(SCENE_INSTRUMENT)
    return {s["code"]: (s.get("category", ""), s["name"]) for s in data["scenes"]}


def scene_name(code: str) -> str:
    return scenes().get(code, ("", ""))[1]


def scene_choices():
    return [(code, f"{code} {name}") for code, (_c, name) in scenes().items()]


def scene_label(code: str) -> str:
    """ "S05 计划调度": a scene is shown by its code and name, never the code alone."""
    return f"{code} {scene_name(code)}".strip()


def industry_choices():
    return division_choices()


def industry_label(code: str) -> str:
    return f"{code} {industry_name(code)}"


def from_level_choices():
    return [(n, level_label(n)) for n in range(0, 4)]


def to_level_choices():
    return [(n, level_label(n)) for n in range(1, 5)]


def pack(codes) -> str:
    """A list of codes stored as ",34,36," so `contains=",34,"` finds one in the database."""
    codes = sorted({str(c).strip() for c in codes if str(c).strip()})
    return f",{','.join(codes)}," if codes else ""


def unpack(value: str) -> list[str]:
    return [code for code in (value or "").split(",") if code]
