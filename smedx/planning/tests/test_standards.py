"""Classification standards: rules on crafted enterprises, preview = application, history, tier filter."""

from datetime import timedelta
from io import BytesIO

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from smedx.assessments.models import Assessment
from smedx.core.errors import DomainError
from smedx.enterprises.models import Enterprise, Tag
from smedx.planning import metrics, rules, tasks
from smedx.planning.models import Application, EnterpriseTier, Standard
from smedx.planning.services import standards
from smedx.testing import PersonaTestCase, make_enterprise
from smedx.testing.planning import rate

LEAD = {
    "order": 1,
    "code": "lead",
    "name": "示范引领",
    "description": "",
    "rule": {"above_scale": True, "level_min": 3},
}
KEY = {"order": 2, "code": "key", "name": "重点培育", "description": "", "rule": {"tags": ["重点"]}}
ALL = {"order": 3, "code": "all", "name": "普及推广", "description": "", "rule": {}}


class Crafted(PersonaTestCase):
    """渝北区 enterprises whose tier under LEAD / KEY / ALL is known."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        home = cls.home_region
        key = Tag.objects.get(name="重点")
        earlier = timezone.now() - timedelta(days=30)
        cls.lead = make_enterprise(home, "规上三级", above_scale=True)
        rate(cls.lead, 3, kind="verified")
        cls.fallen = make_enterprise(home, "最近降到二级", above_scale=True)
        rate(cls.fallen, 4, when=earlier)
        rate(cls.fallen, 2, period="T1")
        cls.tagged = make_enterprise(home, "重点未评")
        cls.tagged.tags.add(key)
        cls.both = make_enterprise(home, "规上重点四级", above_scale=True)
        cls.both.tags.add(key)
        rate(cls.both, 4)
        cls.drafted = make_enterprise(home, "草稿三级", above_scale=True)
        rate(cls.drafted, 3, status=Assessment.Status.DRAFT)
        cls.pending = make_enterprise(home, "待审", above_scale=True, status=Enterprise.Status.PENDING)
        rate(cls.pending, 4)
        # The persona enterprises 测试企业甲/乙 are plain; 江北测试企业 is outside the district.
        cls.expected = {
            cls.lead.pk: "lead",
            cls.fallen.pk: "all",
            cls.tagged.pk: "key",
            cls.both.pk: "lead",
            cls.drafted.pk: "all",
            cls.enterprise.pk: "all",
            cls.other_enterprise.pk: "all",
        }

    def make_standard(self, user=None, tiers=(LEAD, KEY, ALL)):
        user = user or self.district
        standard = standards.create_standard(actor=user, name="渝北区企业分级分类标准")
        for tier in tiers:
            standards.save_tier(standard=standard, actor=user, data=tier)
        return standard


class RuleTests(Crafted):
    def test_it_puts_each_crafted_enterprise_in_its_known_tier(self):
        standard = self.make_standard()
        codes = {tier.pk: tier.code for tier in standard.tiers.all()}
        got = {e.pk: codes.get(e.tier_id) for e in rules.classified(self.home_region, standard.tiers.all())}
        self.assertEqual(got, self.expected)

    def test_it_counts_the_preview_in_one_query(self):
        standard = self.make_standard()
        tiers = list(standard.tiers.all())
        with self.assertNumQueries(1):
            counts = metrics.tier_preview(self.home_region, tiers)
        by_code = {tier.code: counts.get(tier.pk, 0) for tier in tiers}
        self.assertEqual(by_code, {"lead": 2, "key": 1, "all": 4})
        self.assertNotIn(None, counts)

    def test_it_leaves_enterprises_without_a_matching_tier_out(self):
        standard = self.make_standard(tiers=(LEAD,))
        counts = metrics.tier_preview(self.home_region, list(standard.tiers.all()))
        self.assertEqual(counts[None], 5)

    def test_it_evaluates_each_condition(self):
        make_enterprise(self.home_region, "食品小微", industry_division="14", employees=5, revenue=100)
        qs = rules.scope(self.home_region)

        def names(rule):
            return set(qs.filter(rules.rule_q(rule)).values_list("name", flat=True))

        self.assertEqual(names({"industry_division": ["14"]}), {"食品小微"})
        self.assertEqual(names({"size_class": ["micro"]}), {"食品小微"})
        self.assertEqual(names({"above_scale": True, "level_max": 2}), {"最近降到二级"})
        self.assertEqual(names({"level_min": 4}), {"规上重点四级"})
        self.assertEqual(names({"level_in": [2, 4]}), {"最近降到二级", "规上重点四级"})
        self.assertEqual(names({"region": ["500105"]}), set())
        self.assertEqual(names({"tags": ["重点", "潜力"]}), {"重点未评", "规上重点四级"})
        self.assertEqual(len(names({})), 8)

    def test_it_describes_a_rule_with_names_not_codes(self):
        from django.utils import translation

        with translation.override("zh-hans"):
            parts = rules.describe({"industry_division": ["34", "36"], "level_in": [2, 3]})
        self.assertEqual(parts, ["行业：34 通用设备制造业、36 汽车制造业", "等级：二级、三级"])

    def test_it_classifies_the_whole_city_for_a_city_standard(self):
        standard = self.make_standard(self.city, tiers=({**ALL, "rule": {"region": ["500105"]}},))
        counts = metrics.tier_preview(self.city_region, list(standard.tiers.all()))
        self.assertEqual(counts[standard.tiers.get().pk], 1)  # 江北测试企业


class ApplyTests(Crafted):
    def test_it_writes_the_rows_the_preview_counted(self):
        standard = self.make_standard()
        tiers = list(standard.tiers.all())
        preview = metrics.tier_preview(self.home_region, tiers)
        application = tasks.run_application(standard=standard, actor=self.district)
        rows = EnterpriseTier.objects.filter(application=application)
        for tier in tiers:
            self.assertEqual(rows.filter(tier=tier).count(), preview[tier.pk])
            self.assertEqual(application.counts[str(tier.pk)], preview[tier.pk])
        self.assertEqual({r.enterprise_id: r.tier.code for r in rows}, self.expected)
        standard.refresh_from_db()
        self.assertEqual(standard.status, Standard.Status.APPLIED)

    def test_it_keeps_history_when_a_new_version_is_applied(self):
        first = self.make_standard()
        old_application = tasks.run_application(standard=first, actor=self.district)
        second = standards.new_standard_version(standard=first, actor=self.district)
        self.assertEqual((second.version, second.status, second.tiers.count()), (2, Standard.Status.DRAFT, 3))
        lead = second.tiers.get(code="lead")
        standards.save_tier(
            standard=second, actor=self.district, tier=lead, data={**LEAD, "rule": {"level_min": 4}}
        )
        new_application = tasks.run_application(standard=second, actor=self.district)
        self.assertEqual(EnterpriseTier.objects.filter(application=old_application).count(), 7)
        self.assertEqual(
            EnterpriseTier.objects.filter(application=old_application, tier__code="lead").count(), 2
        )
        self.assertEqual(
            EnterpriseTier.objects.filter(application=new_application, tier__code="lead").count(), 1
        )
        self.assertEqual(Application.objects.filter(region=self.home_region).latest(), new_application)
        first.tiers.get(code="lead")  # the old version's tiers are still there

    def test_it_refuses_to_change_an_applied_standard(self):
        standard = self.make_standard()
        tasks.run_application(standard=standard, actor=self.district)
        with self.assertRaises(DomainError):
            standards.save_tier(standard=standard, actor=self.district, data={**ALL, "code": "x"})
        with self.assertRaises(DomainError):
            standards.delete_tier(tier=standard.tiers.first(), actor=self.district)

    def test_it_refuses_others_and_empty_standards(self):
        standard = self.make_standard()
        for user in (self.other_district, self.city, self.enterprise_user, self.provider, self.expert):
            with self.subTest(user=user.username), self.assertRaises(DomainError):
                standards.apply_standard(standard=standard, actor=user)
        empty = standards.create_standard(actor=self.district, name="空")
        with self.assertRaises(DomainError):
            standards.apply_standard(standard=empty, actor=self.district)
        with self.assertRaises(DomainError):
            standards.create_standard(actor=self.enterprise_user, name="不行")
        self.assertFalse(Application.objects.exists())

    def test_it_refuses_a_second_tier_with_the_same_code(self):
        standard = self.make_standard(tiers=(ALL,))
        with self.assertRaises(DomainError):
            standards.save_tier(standard=standard, actor=self.district, data=ALL)


class StandardPageTests(Crafted):
    def test_it_builds_the_rule_from_the_tier_form(self):
        standard = self.make_standard(tiers=())
        self.login(self.district)
        response = self.client.post(
            reverse("planning:tier_create", args=[standard.pk]),
            {
                "order": "1",
                "code": "key",
                "name": "重点培育",
                "size_class": ["medium", "small"],
                "above_scale": "1",
                "industry_division": ["34", "36"],
                "level_min": "1",
                "level_max": "2",
                "level_in": ["1", "2"],
                "tags": ["重点"],
            },
        )
        self.assertRedirects(response, reverse("planning:standard_detail", args=[standard.pk]))
        self.assertEqual(
            standard.tiers.get().rule,
            {
                "size_class": ["medium", "small"],
                "industry_division": ["34", "36"],
                "tags": ["重点"],
                "above_scale": True,
                "level_min": 1,
                "level_max": 2,
                "level_in": [1, 2],
            },
        )

    def test_it_saves_no_tier_on_bad_input(self):
        standard = self.make_standard(tiers=())
        self.login(self.district)
        url = reverse("planning:tier_create", args=[standard.pk])
        response = self.client.post(
            url, {"order": "1", "code": "bad code!", "name": "", "level_min": "3", "level_max": "1"}
        )
        self.assertEqual(set(response.context["form"].errors), {"code", "name", "level_max"})
        self.assertFalse(standard.tiers.exists())

    def test_it_shows_the_preview_and_applies_by_post(self):
        standard = self.make_standard()
        self.login(self.district)
        detail = self.client.get(reverse("planning:standard_detail", args=[standard.pk]))
        self.assertContains(detail, 'data-testid="tier-count-lead">2<', html=False)
        apply_url = reverse("planning:standard_apply", args=[standard.pk])
        self.assertContains(self.client.get(apply_url), "Apply now")
        self.assertFalse(Application.objects.exists())
        self.client.post(apply_url)
        self.assertEqual(Application.objects.get().counts[str(standard.tiers.get(code="lead").pk)], 2)

    def test_it_keeps_the_typed_tier_and_shows_why_it_was_refused(self):
        standard = self.make_standard(tiers=(ALL,))
        self.login(self.district)
        url = reverse("planning:tier_create", args=[standard.pk])
        response = self.client.post(url, {"order": "2", "code": "all", "name": "再来一层"})
        self.assertEqual(response.status_code, 200)
        form = response.context["form"]
        self.assertEqual(form.non_field_errors(), ["Another tier of this standard has the code all."])
        self.assertEqual(form["name"].value(), "再来一层")
        self.assertEqual(standard.tiers.count(), 1)

    def test_it_tells_how_many_enterprises_applying_classified(self):
        standard = self.make_standard()
        self.login(self.district)
        response = self.client.post(reverse("planning:standard_apply", args=[standard.pk]))
        application = Application.objects.get()
        self.assertRedirects(response, reverse("planning:application_detail", args=[application.pk]))
        said = [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]
        self.assertEqual(said, [("success", "Standard applied: 7 enterprises classified.")])

    def test_it_says_why_an_empty_standard_was_not_applied(self):
        standard = self.make_standard(tiers=())
        self.login(self.district)
        response = self.client.post(reverse("planning:standard_apply", args=[standard.pk]))
        said = [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]
        self.assertEqual(said, [("error", "Add at least one tier before applying the standard.")])
        self.assertFalse(Application.objects.exists())

    def test_it_opens_the_new_version_or_stays_when_refused(self):
        standard = self.make_standard()
        self.login(self.district)
        url = reverse("planning:standard_new_version", args=[standard.pk])
        response = self.client.post(url)
        draft = Standard.objects.get(based_on=standard)
        self.assertRedirects(response, reverse("planning:standard_detail", args=[draft.pk]))
        again = self.client.post(url)
        self.assertRedirects(again, reverse("planning:standard_detail", args=[standard.pk]))
        said = [str(m) for m in get_messages(again.wsgi_request)]
        self.assertEqual(said, ["A draft version of this standard already exists."])

    def test_it_gives_other_districts_404(self):
        standard = self.make_standard()
        self.login(self.other_district)
        for name in ("standard_detail", "standard_apply", "tier_create"):
            with self.subTest(name):
                self.assertEqual(
                    self.client.get(reverse(f"planning:{name}", args=[standard.pk])).status_code, 404
                )
        self.assertEqual(
            self.client.post(reverse("planning:standard_apply", args=[standard.pk])).status_code, 404
        )


class TierFilterTests(Crafted):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        standard = standards.create_standard(actor=cls.district, name="标准")
        for tier in (LEAD, KEY, ALL):
            standards.save_tier(standard=standard, actor=cls.district, data=tier)
        tasks.run_application(standard=standard, actor=cls.district)
        cls.standard = standard
        cls.lead_tier = standard.tiers.get(code="lead")

    def test_it_filters_the_enterprise_list_by_tier(self):
        self.login(self.district)
        response = self.client.get(reverse("enterprises:list") + f"?tier={self.lead_tier.pk}")
        self.assertEqual({e.name for e in response.context["page"]}, {"规上三级", "规上重点四级"})
        self.assertContains(response, 'name="tier"')

    def test_it_filters_the_export_by_tier(self):
        self.login(self.district)
        response = self.client.post(reverse("enterprises:export") + f"?tier={self.lead_tier.pk}")
        sheet = load_workbook(BytesIO(response.getvalue()), read_only=True).active
        names = {row[0] for row in list(sheet.iter_rows(values_only=True))[1:]}
        self.assertEqual(names, {"规上三级", "规上重点四级"})

    def test_it_offers_only_current_tiers_of_the_area(self):
        newer = standards.new_standard_version(standard=self.standard, actor=self.district)
        tasks.run_application(standard=newer, actor=self.district)
        self.login(self.district)
        form = self.client.get(reverse("enterprises:list")).context["form"]
        self.assertEqual(set(form.fields["tier"].queryset), set(newer.tiers.all()))
        old = self.client.get(reverse("enterprises:list") + f"?tier={self.lead_tier.pk}")
        self.assertIn("tier", old.context["form"].errors)  # no longer current: not a valid choice
        self.login(self.other_district)
        self.assertFalse(
            self.client.get(reverse("enterprises:list")).context["form"].fields["tier"].queryset.exists()
        )
