"""The kept counts (`enterprises.tallies`) and kept facts equal a direct count after every service
that changes an enterprise: filing, editing (a move to another district included), sign-up, review,
the journey's stage, a rating; and the officers' chart and workbench read the same figures."""

from decimal import Decimal

from django.db.models import Count

from smedx.accounts.models import Region
from smedx.assessments import standing
from smedx.assessments.models import Assessment
from smedx.core.creditcode import make_credit_code
from smedx.enterprises import tallies
from smedx.enterprises.models import Enterprise, SizeClass, Stage
from smedx.enterprises.services import casefile as services
from smedx.testing import PersonaTestCase, make_enterprise
from smedx.testing.planning import rate

ADMIN = {
    "username": "newadmin",
    "password": "Another-pass-456",
    "email": "a@example.com",
    "display_name": "新管理员",
}


def facts(region, serial):
    return {
        "name": "新企业",
        "credit_code": make_credit_code(region.code, serial),
        "region": region,
        "industry_division": "34",
        "employees": 50,
        "revenue": Decimal("1000"),
        "above_scale": False,
        "contact_name": "张三",
        "contact_phone": "13800001234",
    }


def direct() -> dict:
    """Every kept key, counted straight from the enterprise rows (one GROUP BY per fact)."""
    counts = {}
    families = {
        "status:": "status",
        "size:": "size_class",
        "stage:": "stage",
        "level:": "current_level",
    }
    for prefix, field in families.items():
        rows = Enterprise.objects.exclude(**{f"{field}__isnull": True}).values("region_id", field)
        for row in rows.annotate(n=Count("id")).order_by():
            counts[(row["region_id"], f"{prefix}{row[field]}")] = row["n"]
    for row in Enterprise.objects.values("region_id").annotate(n=Count("id")).order_by():
        counts[(row["region_id"], "total")] = row["n"]
    active = Enterprise.objects.filter(status=Enterprise.Status.ACTIVE)
    subsets = {
        "above_scale": Enterprise.objects.filter(above_scale=True),
        "transformed": Enterprise.objects.filter(transformed=True),
        "active": active,
        "active:above_scale": active.filter(above_scale=True),
        "active:transformed": active.filter(transformed=True),
    }
    for key, rows in subsets.items():
        for row in rows.values("region_id").annotate(n=Count("id")).order_by():
            counts[(row["region_id"], key)] = row["n"]
    for key, rows in {
        "active:level:": active,
        "active:above_scale:level:": active.filter(above_scale=True),
    }.items():
        rows = rows.exclude(current_level=None).values("region_id", "current_level").annotate(n=Count("id"))
        for row in rows.order_by():
            counts[(row["region_id"], f"{key}{row['current_level']}")] = row["n"]
    return counts


class TallyTests(PersonaTestCase):
    def assertKept(self):
        kept = {key: n for key, n in tallies.by_region().items() if n}
        self.assertEqual(kept, direct())
        for enterprise in Enterprise.objects.all():
            stored = {name: getattr(enterprise, name) for name in standing.FIELDS}
            self.assertEqual(stored, standing.facts_of(enterprise.pk, enterprise.stage), enterprise.name)
        rows = Assessment.objects.select_related("enterprise")
        stray = [a.pk for a in rows if a.region_id != a.enterprise.region_id]
        self.assertEqual(stray, [], "an assessment not in its enterprise's district")

    def test_the_counts_follow_every_service(self):
        self.assertKept()
        filed = services.create_enterprise(actor=self.district, data=facts(self.home_region, 7001))
        self.assertKept()
        rate(filed, 2)
        self.assertFalse(Enterprise.objects.get(pk=filed.pk).transformed)
        rate(filed, 3, kind="verified", period="T1")
        self.assertKept()
        filed.refresh_from_db()
        self.assertEqual((filed.verified_level, filed.transformed), (3, True))
        big = {"employees": 600, "revenue": Decimal("50000"), "above_scale": True}
        filed = services.update_enterprise(enterprise=filed, actor=self.city, data=big, version=filed.version)
        self.assertEqual(filed.size_class, SizeClass.MEDIUM)
        self.assertKept()
        moved = services.update_enterprise(
            enterprise=filed, actor=self.city, data={"region": self.other_region}, version=filed.version
        )
        self.assertEqual(
            set(Assessment.objects.filter(enterprise=moved).values_list("region", flat=True)),
            {self.other_region.pk},
        )
        self.assertKept()
        services.advance_stage(enterprise=moved, stage=Stage.IMPLEMENTATION)
        self.assertKept()
        signed_up, _user = services.sign_up_enterprise(data=facts(self.home_region, 7002), admin=ADMIN)
        self.assertKept()
        services.review_enterprise(enterprise=signed_up, actor=self.district, approve=False)
        self.assertKept()
        make_enterprise(Region.objects.get(code="500105"), above_scale=True)
        self.assertKept()

    def test_a_rebuild_gives_the_same_counts(self):
        rate(self.enterprise, 4)
        before = tallies.by_region()
        tallies.rebuild()
        self.assertEqual(tallies.by_region(), before)
        self.assertKept()

    def test_the_workbench_summary_and_the_chart_read_the_kept_counts(self):
        from smedx.assessments import metrics
        from smedx.enterprises.metrics import region_summary

        rate(self.enterprise, 3)
        rate(make_enterprise(self.home_region, above_scale=True), 1)
        home = Enterprise.objects.filter(region=self.home_region)
        summary = region_summary(self.district)
        self.assertEqual(summary["total"], home.count())
        self.assertEqual(summary["above_scale"], home.filter(above_scale=True).count())
        chart = metrics.current_level_tally([self.home_region.pk], by_district=False)
        counted = metrics.current_level_distribution(home, by_district=False)
        self.assertEqual(chart["levels"], counted["levels"])
        city = metrics.current_level_tally(None, by_district=True)
        self.assertEqual(city, metrics.current_level_distribution(Enterprise.objects.all(), by_district=True))
