"""The bundled 2024 instrument and hand-made answer sets shared by the tests.

`instrument()` is the first version, 2024.1, whose scenes also took 0 (未达一级): the scoring tests
of the engine itself use it, as old data. `official()` is 2024.2, the newest, whose scenes take
1 to 4 as on the official form; new assessments are made under it.
"""

import json
from functools import cache

from smedx.assessments.loader import BUNDLED
from smedx.assessments.spec import parse_instrument, parse_level_rule

INSTRUMENT_FILE = BUNDLED / "miit-2024-manufacturing.json"
OFFICIAL_FILE = BUNDLED / "miit-2024-manufacturing-2024.2.json"
RULE_FILE = BUNDLED / "level-rules" / "miit-2024-default.json"
CONSTRAINED = ["S01", "S03", "S06", "S07", "S08", "S09", "S10", "S11", "S12", "S13"]
GUIDING = ["S02", "S04", "S05", "S14", "S15", "S16"]


def raw_instrument() -> dict:
    return json.loads(INSTRUMENT_FILE.read_text(encoding="utf-8"))


def raw_rule() -> dict:
    return json.loads(RULE_FILE.read_text(encoding="utf-8"))


@cache
def instrument():
    return parse_instrument(raw_instrument())


def raw_official() -> dict:
    return json.loads(OFFICIAL_FILE.read_text(encoding="utf-8"))


@cache
def official():
    return parse_instrument(raw_official())


@cache
def rule():
    return parse_level_rule(raw_rule())


def scenes(level: int = 0, **levels) -> dict:
    """All 16 scenes at `level`, except those named: `scenes(1, S01=3)`."""
    return {f"S{n:02d}": levels.get(f"S{n:02d}", level) for n in range(1, 17)}


def best(**changes) -> dict:
    """Every best option (100 points) and every scene at 四级.

    B: B1 B–E 4×2=8, B2 E 6, B3 E 6, B4 B–O 13×0.7+0.9=10, B5 E 10, B6 B–E 4×1.25=5, B7 5 → 50
    M: M1 F 7.5, M2 B–E 4×1.875=7.5, M3 B–F 5×1.5=7.5, M4 E 7.5 → 30
    E: E1 C 7, E2 C 7, E3 C 3, E4 C 3 → 20;  total 100
    """
    answers = {
        "B1": ["B", "C", "D", "E"],
        "B2": ["E"],
        "B3": ["E"],
        "B4": list("BCDEFGHIJKLMNO"),
        "B5": ["E"],
        "B6": ["B", "C", "D", "E"],
        "B7": ["B", "C", "D", "E"],
        "M1": ["F"],
        "M2": ["B", "C", "D", "E"],
        "M3": ["B", "C", "D", "E", "F"],
        "M4": ["E"],
        "E1": ["C"],
        "E2": ["C"],
        "E3": ["C"],
        "E4": ["C"],
        **scenes(4),
    }
    answers.update(changes)
    return answers


def worst(**changes) -> dict:
    """Every "无" and every lowest option, every scene at 一级 (the lowest the official form offers): 0 points."""
    answers = {code: ["A"] for code in instrument().items}
    answers.update(scenes(1))
    answers.update(changes)
    return answers


def middling(**changes) -> dict:
    """B at its best (50); M1 C 3 + M2 B,C 2×1.875=3.75 + M3 B 1.5 + M4 A 0 = 8.25;
    E1 B 3.5 + E2 B 3.5 + E3 A 0 + E4 A 0 = 7.  Total 50 + 8.25 + 7 = 65.25.
    """
    return best(
        M1=["C"],
        M2=["B", "C"],
        M3=["B"],
        M4=["A"],
        E1=["B"],
        E2=["B"],
        E3=["A"],
        E4=["A"],
        **changes,
    )
