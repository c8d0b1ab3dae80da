"""Stage 5 demo data: the city's published project subsidy and a district's draft award, written
through the services (publishing writes the eligible enterprises and tells them)."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from smedx.accounts.models import Region, User
from smedx.subsidies import services
from smedx.subsidies.models import Policy


def seed_subsidies(stdout) -> None:
    city, district = (
        User.objects.filter(username=name).first() for name in ("city_officer", "district_officer")
    )
    if city is None or district is None:
        stdout.write("Policies: skipped (run seed_demo for the demo logins first).")
        return
    if Policy.objects.exists():
        stdout.write("Policies: already seeded.")
        return
    today = timezone.localdate()
    window = {"opens_on": today - timedelta(days=10), "closes_on": today + timedelta(days=80)}
    with transaction.atomic():
        subsidy = services.create_policy(
            actor=city,
            region=Region.objects.get(parent__isnull=True),
            data={
                **window,
                "title": "中小企业数字化转型项目补助",
                "level": Policy.Level.CITY,
                "document_number": "渝经信发〔2026〕12号",
                "summary": "对完成数字化改造并通过验收、数字化水平达到二级及以上的中小企业，"
                "按项目合同金额的30%给予补助，单户最高50万元。",
                "total_budget": Decimal("30000000"),
                "support": Policy.Support.SHARE,
                "rate": Decimal("30"),
                "cap": Decimal("500000"),
                "materials": ["项目合同", "验收报告", "发票"],
                "review_steps": ["district", "city"],
            },
            conditions={"level_min": 2, "project_accepted": True},
        )
        published = services.publish_policy(policy=subsidy, actor=city)
        services.create_policy(
            actor=district,
            region=district.organisation.region,
            data={
                **window,
                "title": f"{district.organisation.region.name}规上企业数字化改造奖励",
                "level": Policy.Level.DISTRICT,
                "total_budget": Decimal("5000000"),
                "support": Policy.Support.FIXED,
                "fixed_amount": Decimal("100000"),
                "review_steps": ["district"],
            },
            conditions={"above_scale": True, "level_min": 3},
        )
    stdout.write(
        f"Policies: one published ({published.eligible_count} eligible enterprises told), one draft."
    )
