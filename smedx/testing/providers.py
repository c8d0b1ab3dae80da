"""Builders for the pool and catalogue tests: complete profiles, references, solutions, any status."""

from datetime import timedelta
from decimal import Decimal
from itertools import count

from django.utils import timezone

from smedx.accounts.models import Organisation, Region
from smedx.core.creditcode import make_credit_code
from smedx.providers.models import ProviderProfile, ProviderReference, Solution, SolutionScene
from smedx.providers.reference import pack
from smedx.testing import HOME_REGION, make_org, make_user

_serial = count(5000)
S = ProviderProfile.Status


def complete_profile(org, status=S.DRAFT, **fields) -> ProviderProfile:
    defaults = {
        "introduction": "专注中小企业数字化转型",
        "founded_year": 2015,
        "registered_capital": Decimal("1000"),
        "staff_count": 80,
        "rnd_staff": 30,
        "industries": pack(["34", "36"]),
        "scenes": pack(["S06", "S08"]),
        "last_year_revenue": Decimal("3200"),
        "net_profit": Decimal("260"),
        "debt_ratio": Decimal("45.5"),
        "status": status,
    }
    defaults.update(fields)
    profile = ProviderProfile.objects.create(organisation=org, **defaults)
    profile.regions.set([Region.objects.get(code=HOME_REGION)])
    return profile


def add_references(profile, n=5, *, months=8, enterprises=()) -> list[ProviderReference]:
    since = timezone.localdate() - timedelta(days=months * 31)
    rows = []
    for i in range(n):
        enterprise = enterprises[i] if i < len(enterprises) else None
        serial = next(_serial)
        rows.append(
            ProviderReference.objects.create(
                profile=profile,
                enterprise=enterprise,
                customer_name=enterprise.name if enterprise else f"参考客户{serial}",
                customer_credit_code=enterprise.credit_code
                if enterprise
                else make_credit_code(HOME_REGION, serial),
                solution_used="云MES",
                since=since,
                contact_name="张三",
                contact_phone="13800000000",
            )
        )
    return rows


def make_solution(
    profile, *, scenes=(("S08", 1, 3),), status=Solution.Status.PUBLISHED, **fields
) -> Solution:
    defaults = {
        "name": "设备点检APP",
        "summary": "扫码点检，故障报修",
        "keywords": "设备点检,设备联网",
        "deployment": Solution.Deployment.SAAS,
        "price_min": Decimal("9800"),
        "price_max": Decimal("29800"),
        "price_unit": Solution.PriceUnit.PER_YEAR,
        "delivery_days": 15,
        "status": status,
        "published_at": timezone.now() if status == Solution.Status.PUBLISHED else None,
    }
    defaults.update(fields)
    defaults["price_max"] = max(defaults["price_max"], defaults["price_min"])
    solution = Solution.objects.create(provider=profile, **defaults)
    SolutionScene.objects.bulk_create(
        SolutionScene(solution=solution, scene=code, from_level=low, to_level=high)
        for code, low, high in scenes
    )
    return solution


def provider_with_admin(name, username, status=S.LISTED, **fields):
    org = make_org(Organisation.Kind.PROVIDER, name)
    user = make_user(username, org, "admin")
    return complete_profile(org, status=status, **fields), user
