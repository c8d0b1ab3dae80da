"""Word lists and a deterministic generator for the demo enterprises (same output on every run)."""

import random
from dataclasses import dataclass, field
from decimal import Decimal

from smedx.core.creditcode import make_credit_code

# District code → (number of demo enterprises, local place names used in enterprise names and addresses).
DISTRICTS = {
    "500112": (62, ["空港", "两路", "回兴", "龙兴", "双凤桥", "木耳"]),  # 渝北区
    "500107": (44, ["西彭", "陶家", "含谷", "走马", "白市驿", "九龙"]),  # 九龙坡区
    "500116": (38, ["德感", "双福", "珞璜", "白沙", "几江", "支坪"]),  # 江津区
    "500120": (32, ["青杠", "来凤", "丁家", "大路", "璧泉", "璧城"]),  # 璧山区
    "500105": (22, ["寸滩", "鱼嘴", "郭家沱", "港城", "五里店"]),  # 江北区
    "500106": (16, ["西永", "井口", "青木关", "回龙坝", "土主"]),  # 沙坪坝区
    "500118": (14, ["凤凰湖", "港桥", "三教", "朱沱", "双石"]),  # 永川区
}

# (GB/T 4754 division, word in the name, finer code or "", weight). Manufacturing dominates, as in the
# pilot; automotive and motorcycle parts are Chongqing's largest clusters.
INDUSTRIES = [
    ("36", "汽车零部件", "3670", 14),
    ("37", "摩托车配件", "3752", 7),
    ("34", "精密机械", "3484", 10),
    ("34", "机械制造", "", 6),
    ("35", "装备", "", 6),
    ("33", "金属制品", "3311", 7),
    ("38", "电气", "3821", 6),
    ("39", "电子", "3982", 7),
    ("40", "仪表", "4011", 3),
    ("29", "塑胶", "2929", 5),
    ("30", "建材", "3021", 4),
    ("32", "铝业", "3252", 3),
    ("26", "化工", "", 3),
    ("27", "药业", "2720", 3),
    ("13", "肉制品", "", 2),
    ("14", "食品", "1469", 4),
    ("15", "酒业", "1512", 2),
    ("17", "纺织", "", 1),
    ("18", "服饰", "", 2),
    ("20", "木业", "", 1),
    ("21", "家具", "2110", 2),
    ("22", "纸业", "", 1),
    ("23", "印务", "", 1),
    ("24", "文体用品", "", 1),
    ("41", "制品", "", 1),
    ("42", "再生资源", "", 1),
    ("43", "设备维修", "4320", 1),
    ("65", "软件", "6513", 2),
    ("51", "商贸", "", 1),
    ("54", "物流", "", 1),
]

BRANDS = [
    "宏达", "鑫源", "华科", "恒通", "瑞丰", "金鼎", "天成", "永盛", "博远", "精诚",
    "嘉禾", "聚力", "弘毅", "德润", "凯盛", "昌隆", "同创", "锐驰", "正祥", "卓越",
    "万里", "信达", "福瑞", "宇航", "顺达", "明辉", "裕隆", "兴业", "泰和", "远航",
]  # fmt: skip
SUFFIXES = ["有限公司", "有限责任公司", "股份有限公司"]
ROADS = ["工业园路", "科技大道", "创新路", "兴业大道", "园区一路", "园区二路", "金穗路", "双龙大道"]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐冉谭向蒋秦"
GIVEN = [
    "建国", "伟", "芳", "敏", "静", "磊", "洋", "勇", "艳", "军", "杰", "娟", "涛", "明", "超",
    "秀英", "华", "平", "刚", "桂英", "晓东", "海燕", "志强", "红梅", "俊", "丽", "鹏", "兵", "燕", "斌",
]  # fmt: skip

# Tag name → share of enterprises that carry it (tags come from the enterprises migration).
TAG_SHARES = {
    "重点": 0.15,
    "潜力": 0.25,
    "专精特新": 0.08,
    "创新型中小企业": 0.12,
    "高新技术企业": 0.1,
    "试点": 0.06,
}

INDUSTRIAL = {f"{n:02d}" for n in range(6, 47)}  # sections B, C, D: 规上 means revenue ≥ 2000 万元


@dataclass
class EnterpriseSpec:
    name: str
    credit_code: str
    region_code: str
    division: str
    industry_code: str
    employees: int
    revenue: Decimal
    above_scale: bool
    address: str
    contact_name: str
    contact_phone: str
    tags: list = field(default_factory=list)


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def phone(rng: random.Random) -> str:
    return f"1{rng.choice('35789')}{rng.randrange(10**9):09d}"


def _size(rng: random.Random) -> tuple[int, Decimal]:
    """Employees and revenue (万元) so that micro, small, medium and large all occur."""
    roll = rng.random()
    if roll < 0.04:
        return rng.randint(1000, 3500), Decimal(rng.randint(40000, 180000))
    if roll < 0.22:
        return rng.randint(300, 950), Decimal(rng.randint(2000, 38000))
    if roll < 0.72:
        return rng.randint(20, 290), Decimal(rng.randint(300, 4800))
    return rng.randint(3, 19), Decimal(rng.randint(20, 280))


def enterprise_specs(region_names: dict[str, str], serial_base: int = 20_000) -> list[EnterpriseSpec]:
    """The demo enterprises, identical on every call: names, codes and facts come from a fixed seed."""
    rng = random.Random(20260101)
    industries = [(d, w, c) for d, w, c, weight in INDUSTRIES for _ in range(weight)]
    specs, names, serial = [], set(), serial_base
    for code, (count, places) in DISTRICTS.items():
        for _ in range(count):
            division, word, finer = rng.choice(industries)
            place = rng.choice(places)
            name = f"重庆{place}{rng.choice(BRANDS)}{word}{rng.choice(SUFFIXES)}"
            while name in names:
                name = f"重庆{place}{rng.choice(BRANDS)}{word}{rng.choice(SUFFIXES)}"
            names.add(name)
            serial += 1
            employees, revenue = _size(rng)
            district = region_names[code]
            specs.append(
                EnterpriseSpec(
                    name=name,
                    credit_code=make_credit_code(code, serial),
                    region_code=code,
                    division=division,
                    industry_code=finer,
                    employees=employees,
                    revenue=revenue,
                    above_scale=division in INDUSTRIAL and revenue >= 2000,
                    address=f"重庆市{district}{place}{rng.choice(ROADS)}{rng.randint(1, 399)}号",
                    contact_name=person_name(rng),
                    contact_phone=phone(rng),
                    tags=[tag for tag, share in TAG_SHARES.items() if rng.random() < share],
                )
            )
    return specs
