"""The enterprises themselves: who each clone is (name, credit code, district, contact, how far back
its history lies) and the case file's own rows (the enterprise and its tags).

A clone keeps its template's industry, size and history, so the facts kept on its row (stage,
current and verified level, "transformed") are the template's and agree with the copied assessments
and projects. It has no login of its own (`organisation` is empty), as an enterprise filed by an
officer or imported from a list.
"""

import random

from smedx.core.creditcode import make_credit_code
from smedx.demo.names import BRANDS, GIVEN, ROADS, SUFFIXES, SURNAMES
from smedx.demo.synthetic.clone import Table
from smedx.enterprises.models import Enterprise

FIRST_ID = 10**9  # a synthetic enterprise's id is FIRST_ID + its clone number
SERIAL_BASE = 30_000_000  # credit-code serials apart from the demo's (20,000 + n) and the tests'
HISTORY_DAYS = 720  # a clone's whole history moves back by up to this many days
MARKS = "宏鑫华恒瑞金天永博精嘉聚弘德凯昌同锐正卓万信福宇顺明裕兴泰远渝龙江川峰盛和丰源通达新科"

WORDS = {  # the word in a name for the template's industry division
    "13": "肉制品", "14": "食品", "15": "酒业", "17": "纺织", "18": "服饰", "20": "木业", "21": "家具",
    "22": "纸业", "23": "印务", "24": "文体用品", "26": "化工", "27": "药业", "29": "塑胶", "30": "建材",
    "32": "铝业", "33": "金属制品", "34": "机械", "35": "装备", "36": "汽车零部件", "37": "摩托车配件",
    "38": "电气", "39": "电子", "40": "仪表", "43": "设备维修", "65": "软件", "54": "物流",
}  # fmt: skip


def short(district: str) -> str:
    return district[:-1] if len(district) > 2 and district[-1] in "区县" else district


def clone_rows(
    templates: list[tuple[int, str]], districts: list[tuple[int, str, str]], first: int, rng: random.Random
):
    """One row of `synth_clone` per entry of `templates` ((template id, division)), clone numbers
    from `first`; districts are (region id, code, name), weighted so some are far larger than others."""
    weights = [rng.uniform(0.3, 3.0) for _ in districts]
    places = rng.choices(districts, weights, k=len(templates))
    for number, ((template, division), (region_id, code, district)) in enumerate(
        zip(templates, places, strict=True), first
    ):
        mark = rng.choice(BRANDS) if rng.random() < 0.3 else rng.choice(MARKS) + rng.choice(MARKS)
        name = f"重庆{short(district)}{mark}{WORDS.get(division, '实业')}{rng.choice(SUFFIXES)}"
        yield (
            number,
            template,
            FIRST_ID + number,
            region_id,
            rng.randrange(HISTORY_DAYS),
            name,
            make_credit_code(code, SERIAL_BASE + number),
            f"重庆市{district}{rng.choice(ROADS)}{rng.randint(1, 999)}号",
            rng.choice(SURNAMES) + rng.choice(GIVEN),
            f"1{rng.choice('35789')}{rng.randrange(10**9):09d}",
        )


def _from_clone(column):
    return lambda cloner: f"m.{column}"


TABLES = [
    Table(
        Enterprise,
        owner="id",
        columns={
            "name": _from_clone("name"),
            "credit_code": _from_clone("credit_code"),
            "address": _from_clone("address"),
            "contact_name": _from_clone("contact_name"),
            "contact_phone": _from_clone("contact_phone"),
            "organisation": lambda cloner: "NULL",
            "version": lambda cloner: "1",
        },
    ),
    Table(Enterprise.tags.through),
]
