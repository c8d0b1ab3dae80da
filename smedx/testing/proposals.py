"""Builders for the stage 3 tests: listed providers, solutions, a diagnosed enterprise, needs and proposals."""

from datetime import date
from decimal import Decimal
from itertools import count

from smedx.accounts.models import Organisation, Region
from smedx.assessments.loader import load_bundled
from smedx.proposals import services
from smedx.proposals.models import Need
from smedx.providers.models import ProviderProfile, Solution, SolutionScene
from smedx.providers.reference import pack
from smedx.testing import PersonaTestCase, make_org, make_user
from smedx.testing.answer_sets import middling, scenes
from smedx.testing.assessments import make_assessment

_serial = count(1)
# middling answers with every scene at 一级: level 1; the gap to 二级 raises S01 S03 S06 S07 S08 S09 to 2.
GAP_SCENES = ["S01", "S03", "S06", "S07", "S08", "S09"]


def diagnosed(enterprise):
    load_bundled()
    return make_assessment(enterprise, middling(**scenes(1)), period="T0")


def listed(org, *, regions=(), rating=None, status=ProviderProfile.Status.LISTED) -> ProviderProfile:
    """Put an active provider organisation into the pool, listed."""
    profile, _created = ProviderProfile.objects.get_or_create(organisation=org)
    profile.status, profile.rating = status, rating
    profile.save(update_fields=["status", "rating"])
    profile.regions.set(regions)
    return profile


def new_provider(name=None, **kwargs) -> tuple[Organisation, ProviderProfile]:
    n = next(_serial)
    org = make_org(Organisation.Kind.PROVIDER, name or f"服务商{n}")
    make_user(f"provider_staff_{n}", org, "admin")
    return org, listed(org, **kwargs)


def solution(
    profile, scene_levels: dict, *, industries=(), price_min=50000, price_max=None, name=None
) -> Solution:
    """`scene_levels`: {"S01": to_level} (from level 0)."""
    n = next(_serial)
    sol = Solution.objects.create(
        provider=profile,
        name=name or f"方案{n}",
        summary="测试",
        industries=pack(industries),
        deployment=Solution.Deployment.SAAS,
        price_min=Decimal(price_min),
        price_max=Decimal(price_max or price_min),
        price_unit=Solution.PriceUnit.PER_YEAR,
        delivery_days=60,
        status=Solution.Status.PUBLISHED,
    )
    SolutionScene.objects.bulk_create(
        SolutionScene(solution=sol, scene=code, from_level=0, to_level=level)
        for code, level in scene_levels.items()
    )
    return sol


def published_need(enterprise, actor, *, budget=Decimal("300000"), targets=None) -> Need:
    need = services.draft_need_from_diagnosis(enterprise=enterprise, actor=actor)
    data = {
        "title": need.title,
        "target_level": 2,
        "budget": budget,
        "start_month": date(2026, 3, 1),
        "end_month": date(2026, 12, 1),
        "description": "上线 MES",
    }
    targets = targets if targets is not None else dict.fromkeys(GAP_SCENES[:4], 2)
    services.update_need(need=need, actor=actor, data=data, scenes=targets)
    return services.publish_need(need=need, actor=actor)


RESEARCH = {
    "researched_on": date(2026, 2, 1),
    "people_met": "总经理 王明",
    "strategy": "三年内建成数字化车间",
    "production": "多品种小批量",
    "management_model": "ERP + 纸质工单",
    "organisation": "信息部 3 人",
}
ITEMS = [
    {"kind": "software", "description": "MES 订阅", "quantity": Decimal(1), "unit_price": Decimal(120000)},
    {"kind": "service", "description": "实施服务", "quantity": Decimal(20), "unit_price": Decimal(3000)},
]
MILESTONES = [
    {"name": "上线", "due_date": date(2026, 6, 30), "deliverable": "MES 上线"},
    {"name": "验收", "due_date": date(2026, 9, 30), "deliverable": "验收报告"},
]
KPIS = [{"name": "设备联网率", "baseline": Decimal(20), "target": Decimal(80), "unit": "%"}]


def proposal_for(invitation, actor, *, submit=True, items=ITEMS):
    services.record_research(invitation=invitation, actor=actor, data=RESEARCH)
    proposal = services.save_proposal(
        invitation=invitation,
        actor=actor,
        data={"title": f"{invitation.provider} 方案", "scope": "MES 与设备联网", "expected_level": 2},
        items=items,
        milestones=MILESTONES,
        kpis=KPIS,
        scenes={"S01": 2, "S03": 2},
    )
    if submit:
        proposal = services.submit_proposal(proposal=proposal, actor=actor)
    return proposal


class ProjectsTestCase(PersonaTestCase):
    """Personas, plus: the persona provider listed, a second listed provider, the enterprise diagnosed."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.provider_org = cls.provider.organisation
        cls.provider_profile = listed(cls.provider_org, regions=[cls.home_region], rating=Decimal("4.5"))
        cls.second_org, cls.second_profile = new_provider(
            "第二服务商", regions=[Region.objects.get(code="500000")]
        )
        cls.second = make_user("second_provider", cls.second_org)
        cls.assessment = diagnosed(cls.enterprise)
