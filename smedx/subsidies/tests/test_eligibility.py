"""A policy's eligibility: each condition each way, the database set equal to the per-enterprise check,
publication writing and telling the eligible enterprises in a fixed number of statements."""

import re
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from smedx.core.errors import DomainError
from smedx.core.models import Notification
from smedx.enterprises.models import Enterprise, Tag
from smedx.planning.models import Application, EnterpriseTier, Standard, Tier
from smedx.projects.models import Project
from smedx.subsidies import eligibility, services
from smedx.subsidies.models import Policy, PolicyEligibility
from smedx.testing import PersonaTestCase, make_enterprise
from smedx.testing.planning import rate
from smedx.testing.projects import draft_project, make_plan

TERMS = {
    "title": "数字化转型项目补助",
    "level": Policy.Level.CITY,
    "opens_on": date(2026, 12, 1),
    "closes_on": date(2027, 3, 31),
    "total_budget": Decimal("5000000"),
    "support": Policy.Support.SHARE,
    "rate": Decimal("30"),
    "cap": Decimal("500000"),
    "review_steps": ["district", "city"],
}


class EligibilityCase(PersonaTestCase):
    def policy(self, conditions, region=None, actor=None, **terms):
        return services.create_policy(
            actor=actor or self.city,
            region=region or self.city_region,
            data={**TERMS, **terms},
            conditions=conditions,
        )

    def assertAgree(self, policy):
        """The database's eligible set is exactly the enterprises whose every check is met."""
        found = set(eligibility.eligible(policy).values_list("pk", flat=True))
        active = Enterprise.objects.filter(status=Enterprise.Status.ACTIVE)
        checked = {e.pk for e in active if all(c.met for c in eligibility.check(policy, e))}
        self.assertEqual(found, checked)
        return found


class ConditionTests(EligibilityCase):
    def states(self, policy, enterprise, key):
        return [c.state for c in eligibility.check(policy, enterprise) if c.key == key]

    def test_each_fact_condition_holds_one_way_and_fails_the_other(self):
        big = make_enterprise(
            self.home_region, "规上大企业", employees=800, revenue=Decimal("90000"), above_scale=True
        )
        other = make_enterprise(self.other_region, "别的行业", industry_division="13")
        tagged = make_enterprise(self.home_region, "专精特新企业")
        tagged.tags.add(Tag.objects.get_or_create(name="专精特新")[0])
        cases = [
            ({"region": [self.home_region.code]}, self.enterprise, other),
            ({"industry_division": ["34"]}, self.enterprise, other),
            ({"size_class": [big.size_class]}, big, self.enterprise),
            ({"above_scale": True}, big, self.enterprise),
            ({"above_scale": False}, self.enterprise, big),
            ({"tags": ["专精特新"]}, tagged, self.enterprise),
        ]
        for conditions, meets, fails in cases:
            with self.subTest(conditions):
                policy = self.policy(conditions)
                key = next(iter(conditions))
                self.assertEqual(self.states(policy, meets, key), [eligibility.MET])
                self.assertEqual(self.states(policy, fails, key), [eligibility.NOT_MET])
                found = self.assertAgree(policy)
                self.assertIn(meets.pk, found)
                self.assertNotIn(fails.pk, found)

    def test_the_level_is_met_not_met_or_unknown_without_a_rating(self):
        rate(self.enterprise, 3)
        rate(self.other_enterprise, 1)
        self.enterprise.refresh_from_db()
        self.other_enterprise.refresh_from_db()
        policy = self.policy({"level_min": 2})
        self.assertEqual(self.states(policy, self.enterprise, "level_min"), [eligibility.MET])
        self.assertEqual(self.states(policy, self.other_enterprise, "level_min"), [eligibility.NOT_MET])
        self.assertEqual(self.states(policy, self.far_enterprise, "level_min"), [eligibility.UNKNOWN])
        self.assertEqual(self.assertAgree(policy), {self.enterprise.pk})

    def test_a_tier_under_a_classification_standard(self):
        standard = Standard.objects.create(
            name="分级标准", region=self.home_region, authority=self.district.organisation
        )
        key = Tier.objects.create(standard=standard, order=1, code="key", name="重点培育", rule={})
        application = Application.objects.create(
            standard=standard, region=self.home_region, applied_by=self.district
        )
        EnterpriseTier.objects.create(application=application, enterprise=self.enterprise, tier=key)
        policy = self.policy({"tiers": [key.pk]})
        self.assertEqual(self.states(policy, self.enterprise, "tiers"), [eligibility.MET])
        self.assertEqual(self.states(policy, self.other_enterprise, "tiers"), [eligibility.NOT_MET])
        self.assertEqual(self.assertAgree(policy), {self.enterprise.pk})

    def test_an_accepted_project_and_a_registration_window(self):
        project = draft_project(
            self.enterprise_user,
            make_plan(self.enterprise, self.provider.organisation, by=self.enterprise_user),
        )
        registered = timezone.now() - timedelta(days=30)
        Project.objects.filter(pk=project.pk).update(status=Project.Status.ACCEPTED, registered_at=registered)
        accepted = self.policy({"project_accepted": True})
        self.assertEqual(self.assertAgree(accepted), {self.enterprise.pk})
        day = timezone.localdate(registered)
        inside = self.policy({"project_registered_from": str(day - timedelta(days=1))})
        self.assertEqual(self.assertAgree(inside), {self.enterprise.pk})
        before = self.policy({"project_registered_to": str(day - timedelta(days=1))})
        self.assertEqual(self.assertAgree(before), set())
        self.assertEqual(self.states(before, self.enterprise, "project_registered"), [eligibility.NOT_MET])

    def test_a_district_policy_covers_its_district_only(self):
        policy = self.policy({}, region=self.home_region, actor=self.district, level=Policy.Level.DISTRICT)
        found = self.assertAgree(policy)
        self.assertIn(self.enterprise.pk, found)
        self.assertNotIn(self.far_enterprise.pk, found)
        self.assertEqual(self.states(policy, self.far_enterprise, "scope"), [eligibility.NOT_MET])

    def test_bad_conditions_and_terms_are_refused_with_a_reason(self):
        for conditions in (
            {"colour": ["red"]},
            {"level_min": "high"},
            {"tiers": [999999]},
            {"project_registered_from": "2026-05-01", "project_registered_to": "2026-01-01"},
        ):
            with self.subTest(conditions), self.assertRaises(DomainError):
                self.policy(conditions)
        with self.assertRaises(DomainError):
            self.policy({}, closes_on=date(2026, 1, 1))
        with self.assertRaises(DomainError):
            self.policy({}, support=Policy.Support.FIXED, fixed_amount=None)
        self.assertFalse(Policy.objects.exists())

    def test_only_an_authority_of_the_region_issues_a_policy(self):
        for actor, region in (
            (self.enterprise_user, self.city_region),
            (self.provider, self.city_region),
            (self.district, self.other_region),
            (self.district, self.city_region),
        ):
            with self.subTest(actor=actor.username, region=region.code), self.assertRaises(DomainError):
                self.policy({}, region=region, actor=actor)

    def test_the_estimate_takes_the_rate_up_to_the_cap_or_the_fixed_award(self):
        policy = self.policy({})
        self.assertEqual(eligibility.estimate(policy, Decimal("1000000")), Decimal("300000.00"))
        self.assertEqual(eligibility.estimate(policy, Decimal("5000000")), Decimal("500000"))
        self.assertIsNone(eligibility.estimate(policy, None))
        fixed = self.policy({}, support=Policy.Support.FIXED, fixed_amount=Decimal("200000"), rate=None)
        self.assertEqual(eligibility.estimate(fixed, None), Decimal("200000"))


class PublishTests(EligibilityCase):
    def publish(self, policy):
        with self.captureOnCommitCallbacks(execute=True):
            return services.publish_policy(policy=policy, actor=self.city)

    def test_it_writes_the_eligible_enterprises_and_tells_their_people(self):
        policy = self.policy({"region": [self.home_region.code]})
        published = self.publish(policy)
        expected = self.assertAgree(policy)
        written = set(PolicyEligibility.objects.filter(policy=policy).values_list("enterprise_id", flat=True))
        self.assertEqual(written, expected)
        self.assertEqual(
            (published.status, published.eligible_count), (Policy.Status.PUBLISHED, len(expected))
        )
        told = set(
            Notification.objects.filter(verb="subsidies.policy.eligible").values_list(
                "recipient__username", flat=True
            )
        )
        self.assertEqual(told, {"enterprise", "colleague", "other_enterprise"})
        with self.assertRaises(DomainError):
            services.publish_policy(policy=policy, actor=self.city)

    def test_publishing_costs_the_same_statements_for_more_enterprises(self):
        def statements():
            policy = self.policy({"above_scale": False})
            with CaptureQueriesContext(connection) as ctx, self.captureOnCommitCallbacks(execute=True):
                published = services.publish_policy(policy=policy, actor=self.city)
            return len(ctx.captured_queries), published

        few, first = statements()
        for n in range(30):
            make_enterprise(self.home_region, f"新增企业{n}")
        many, second = statements()
        self.assertEqual(few, many)
        self.assertEqual(second.eligible_count, first.eligible_count + 30)


class BenchTests(EligibilityCase):
    def test_the_benchmark_writes_what_its_floor_counts_and_leaves_nothing(self):
        rate(self.enterprise, 3)
        out = StringIO()
        call_command("bench_eligibility", "--repeat", "1", stdout=out)
        lines = [line for line in out.getvalue().splitlines() if "eligible written" in line]
        self.assertEqual(len(lines), 2)
        for line in lines:
            written, counted = re.findall(r"([\d,]+) (?:eligible written|in)", line)[:2]
            self.assertEqual(written, counted, line)
        self.assertIn("1 eligible written", lines[1])
        self.assertFalse(Policy.objects.exists())
        self.assertFalse(PolicyEligibility.objects.exists())


class PageTests(EligibilityCase):
    def test_the_enterprise_sees_why_it_qualifies_and_the_estimate(self):
        rate(self.enterprise, 3)
        project = draft_project(
            self.enterprise_user,
            make_plan(self.enterprise, self.provider.organisation, by=self.enterprise_user),
        )
        Project.objects.filter(pk=project.pk).update(
            status=Project.Status.ACCEPTED, contract_amount=Decimal("800000")
        )
        policy = self.policy({"level_min": 2, "project_accepted": True})
        with self.captureOnCommitCallbacks(execute=True):
            services.publish_policy(policy=policy, actor=self.city)
        self.client.force_login(self.enterprise_user)
        listing = self.client.get("/policies/")
        self.assertContains(listing, "数字化转型项目补助")
        self.assertContains(listing, "Eligible</span>")
        page = self.client.get(f"/policies/{policy.pk}/")
        self.assertEqual([c.state for c in page.context["checks"]], ["met", "met"])
        self.assertEqual(page.context["estimate"], Decimal("240000.00"))
        self.assertContains(page, "¥240,000.00")
        self.client.force_login(self.other_enterprise_user)
        page = self.client.get(f"/policies/{policy.pk}/")
        self.assertEqual([c.state for c in page.context["checks"]], ["unknown", "not_met"])
        self.assertFalse(page.context["qualifies"])

    def test_the_issuer_publishes_a_draft_from_its_page(self):
        policy = self.policy(
            {"region": [self.home_region.code]},
            region=self.home_region,
            actor=self.district,
            level=Policy.Level.DISTRICT,
        )
        self.client.force_login(self.other_district)
        self.assertEqual(self.client.post(f"/policies/{policy.pk}/publish/").status_code, 404)
        self.client.force_login(self.district)
        self.assertContains(
            self.client.get(f"/policies/{policy.pk}/"), "Publish and tell the eligible enterprises"
        )
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(f"/policies/{policy.pk}/publish/", follow=True)
        policy.refresh_from_db()
        self.assertEqual(policy.status, Policy.Status.PUBLISHED)
        self.assertContains(response, f"Published: {policy.eligible_count} enterprises")

    def test_the_city_drafts_a_policy_from_the_form_and_a_bad_one_keeps_what_was_typed(self):
        self.client.force_login(self.city)
        form = {
            "title": "上云用数补助",
            "opens_on": "2026-12-01",
            "closes_on": "2027-02-28",
            "total_budget": "2000000",
            "support": "share",
            "rate": "20",
            "cap": "100000",
            "region": [self.home_region.code],
            "size_class": ["small"],
            "above_scale": "0",
            "level_min": "2",
            "project_accepted": "on",
            "project_registered_from": "2026-01-01",
        }
        bad = self.client.post("/policies/new/", {**form, "closes_on": "2026-11-01"})
        self.assertEqual(bad.status_code, 200)
        self.assertContains(bad, 'value="上云用数补助"')
        self.assertFalse(Policy.objects.exists())
        response = self.client.post("/policies/new/", form)
        policy = Policy.objects.get()
        self.assertRedirects(response, f"/policies/{policy.pk}/")
        self.assertEqual(
            policy.conditions,
            {
                "size_class": ["small"],
                "region": [self.home_region.code],
                "above_scale": False,
                "level_min": 2,
                "project_accepted": True,
                "project_registered_from": "2026-01-01",
            },
        )
        self.assertEqual((policy.level, policy.issuer), (Policy.Level.CITY, self.city.organisation))
        self.client.force_login(self.district)
        self.assertNotIn("region", self.client.get("/policies/new/").context["form"].fields)
