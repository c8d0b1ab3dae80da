"""The kept counts (`enterprises.tallies`) and kept facts equal a direct count after every service
that changes an enterprise: filing, editing (a move to another district included), sign-up, review,
the journey's stage, a rating; and the officers' chart and workbench read the same figures."""

from decimal import Decimal

from smedx.accounts.models import Region
from smedx.assessments import standing
from smedx.assessments.models import Assessment, DiagnosisRequest
from smedx.core.creditcode import make_credit_code
from smedx.enterprises import tallies
from smedx.enterprises.models import Enterprise, SizeClass, Stage
from smedx.enterprises.services import casefile as services
from smedx.testing import PersonaTestCase, make_enterprise
from smedx.testing.counts import direct
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


class TallyTests(PersonaTestCase):
    def assertKept(self):
        kept = {key: n for key, n in tallies.by_region().items() if n}
        self.assertEqual(kept, direct())
        for enterprise in Enterprise.objects.all():
            stored = {name: getattr(enterprise, name) for name in standing.FIELDS}
            self.assertEqual(stored, standing.facts_of(enterprise.pk, enterprise.stage), enterprise.name)
        for model in (Assessment, DiagnosisRequest):
            rows = model.objects.select_related("enterprise")
            stray = [row.pk for row in rows if row.region_id != row.enterprise.region_id]
            self.assertEqual(stray, [], f"a {model.__name__} not in its enterprise's district")

    def test_the_counts_follow_every_service(self):
        self.assertKept()
        filed = services.create_enterprise(actor=self.district, data=facts(self.home_region, 7001))
        self.assertKept()
        asked = DiagnosisRequest.objects.create(
            enterprise=filed, assessment=rate(filed, 2), route="district", requested_by=self.district
        )
        self.assertEqual(asked.region_id, self.home_region.pk)
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
        for model in (Assessment, DiagnosisRequest):
            self.assertEqual(
                set(model.objects.filter(enterprise=moved).values_list("region", flat=True)),
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
