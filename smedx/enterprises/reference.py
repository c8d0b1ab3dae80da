"""Facts from national standards used by the enterprise case file.

- GB/T 4754-2017 industry sections (门类) and divisions (大类), from data/gbt4754_2017.csv.
- The 2011 size classification (工信部联企业〔2011〕300号) of enterprises by industry.
"""

import csv
from decimal import Decimal
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


@cache
def industries() -> dict[str, tuple[str, str]]:
    """Map of code → (section, name); sections are single letters, divisions two digits."""
    out = {}
    with open(DATA / "gbt4754_2017.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out[row["division"] or row["section"]] = (row["section"], row["name"])
    return out


def section_choices():
    return [(code, f"{code} {name}") for code, (_s, name) in industries().items() if len(code) == 1]


def division_choices():
    return [(code, f"{code} {name}") for code, (_s, name) in industries().items() if len(code) == 2]


def section_of(division: str) -> str | None:
    entry = industries().get(division)
    return entry[0] if entry and len(division) == 2 else None


def industry_name(code: str) -> str:
    entry = industries().get(code)
    return entry[1] if entry else ""


# 2011 size rule: per group, thresholds (employees, revenue in 万元) for large, medium and small.
# An enterprise is in a class when it reaches both thresholds of that class (a missing threshold
# always passes); otherwise it is micro. Groups whose official rule uses total assets (construction,
# real estate, leasing) use the revenue / employee thresholds only, since assets are not collected.
SIZE_RULES = {
    "agriculture": ((None, 20000), (None, 500), (None, 50)),
    "industry": ((1000, 40000), (300, 2000), (20, 300)),
    "construction": ((None, 80000), (None, 6000), (None, 300)),
    "wholesale": ((200, 40000), (20, 5000), (5, 1000)),
    "retail": ((300, 20000), (50, 500), (10, 100)),
    "transport": ((1000, 30000), (300, 3000), (20, 200)),
    "warehousing": ((200, 30000), (100, 1000), (20, 100)),
    "postal": ((1000, 30000), (300, 2000), (20, 100)),
    "hospitality": ((300, 10000), (100, 2000), (10, 100)),
    "telecom": ((2000, 100000), (100, 1000), (10, 100)),
    "software": ((300, 10000), (100, 1000), (10, 50)),
    "real_estate": ((None, 200000), (None, 1000), (None, 100)),
    "leasing": ((300, None), (100, None), (10, None)),
    "other": ((300, None), (100, None), (10, None)),
}


def size_group(division: str) -> str:
    section = section_of(division) or ""
    if section == "A":
        return "agriculture"
    if section in {"B", "C", "D"}:
        return "industry"
    by_division = {
        "51": "wholesale",
        "52": "retail",
        "59": "warehousing",
        "60": "postal",
        "61": "hospitality",
        "62": "hospitality",
        "63": "telecom",
        "64": "telecom",
        "65": "software",
        "70": "real_estate",
    }
    if division in by_division:
        return by_division[division]
    return {"E": "construction", "G": "transport", "L": "leasing"}.get(section, "other")


def size_class(division: str, employees: int | None, revenue_wan: Decimal | None) -> str:
    """'large', 'medium', 'small' or 'micro'; '' when the facts are missing."""
    if employees is None or revenue_wan is None:
        return ""
    for label, (min_staff, min_revenue) in zip(
        ("large", "medium", "small"), SIZE_RULES[size_group(division)], strict=True
    ):
        if (min_staff is None or employees >= min_staff) and (
            min_revenue is None or revenue_wan >= min_revenue
        ):
            return label
    return "micro"
