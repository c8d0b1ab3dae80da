"""Implementation plans: target progress computed from crafted case files, and the plan pages."""

import html
import re
from datetime import date, datetime
from decimal import Decimal
from unittest.mock import patch

from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from smedx.assessments.metrics import current_level_distribution
from smedx.assessments.models import Assessment
from smedx.core.errors import DomainError
from smedx.enterprises.forms.casefile import EnterpriseFilterForm
from smedx.enterprises.models import Enterprise, Stage
from smedx.planning.metrics import plan_progress, progress_of
from smedx.planning.models import Plan, Target
from smedx.planning.services import plans
from smedx.testing import PersonaTestCase, make_enterprise
from smedx.testing.planning import pdf, rate

DUE = date(2026, 12, 31)
SHARE = {
    "division": "34",
    "metric": Target.Metric.SHARE_AT_LEVEL,
    "level": 2,
    "value": Decimal(90),
    "due_date": DUE,
}
TRANSFORMED = {
    "division": "",
    "metric": Target.Metric.TRANSFORMED,
    "level": None,
    "value": Decimal(10),
    "due_date": DUE,
}
AT_LEVEL = {
    "division": "",
    "metric": Target.Metric.AT_LEVEL,
    "level": 3,
    "value": Decimal(4),
    "due_date": DUE,
}
PLAN = {
    "title": "渝北区中小企业数字化转型实施方案",
    "summary": "",
    "period_start": date(2025, 1, 1),
    "period_end": DUE,
}


def crafted_case_files(cls):
    """Enterprises of the home district at known levels, and a plan with one target of each measure."""
    home = cls.home_region
    e1 = make_enterprise(home, "规上三级", above_scale=True)
    rate(e1, 3)
    e2 = make_enterprise(home, "规上二级已复评", above_scale=True)
    rate(e2, 1)
    rate(e2, 2, period="T1")
    e3 = make_enterprise(home, "规上一级", above_scale=True)
    rate(e3, 1)
    rate(e3, 3, period="T1", status=Assessment.Status.DRAFT)
    make_enterprise(home, "规上未评", above_scale=True)
    make_enterprise(home, "实施中", stage=Stage.IMPLEMENTATION)
    rate(make_enterprise(home, "汽摩三级", industry_division="36", above_scale=True), 3)
    rate(make_enterprise(cls.other_region, "江北规上三级", above_scale=True), 3)
    cls.plan = plans.save_plan(actor=cls.district, data=PLAN, targets=[SHARE, TRANSFORMED, AT_LEVEL])


class ProgressTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        crafted_case_files(cls)

    def test_it_computes_the_share_of_above_scale_enterprises_at_the_level(self):
        progress = progress_of(self.plan.targets.get(metric=Target.Metric.SHARE_AT_LEVEL))
        self.assertEqual((progress.hits, progress.base, progress.current), (2, 4, Decimal("50.0")))
        self.assertEqual(progress.percent, 55)
        self.assertFalse(progress.reached)

    def test_it_counts_transformed_enterprises(self):
        progress = progress_of(self.plan.targets.get(metric=Target.Metric.TRANSFORMED))
        self.assertEqual(progress.hits, 2)  # stage 4, and a rated T1 (a draft T1 does not count)
        self.assertEqual(progress.percent, 20)

    def test_it_counts_enterprises_at_the_level_in_the_region(self):
        progress = progress_of(self.plan.targets.get(metric=Target.Metric.AT_LEVEL))
        self.assertEqual(progress.hits, 2)
        self.assertEqual(progress.percent, 50)

    def test_it_counts_the_current_level_the_officers_chart_counts(self):
        """A verified level outranks a later self-assessment, as on the officers' chart and the list."""
        checked = make_enterprise(self.home_region, "核实三级后自评一级", above_scale=True)
        rate(checked, 3, kind="verified", when=timezone.now() - timezone.timedelta(days=30))
        rate(checked, 1, period="T1")
        progress = progress_of(self.plan.targets.get(metric=Target.Metric.AT_LEVEL))
        self.assertEqual(progress.hits, 3)
        district = Enterprise.objects.filter(region=self.home_region, status=Enterprise.Status.ACTIVE)
        chart = current_level_distribution(district, by_district=False)
        self.assertEqual(progress.hits, sum(chart["levels"][3:]))
        listed = EnterpriseFilterForm(QueryDict("plan_level=3"), user=self.district)
        self.assertTrue(listed.is_valid(), listed.errors)
        self.assertEqual(listed.apply(Enterprise.objects.visible_to(self.district)).count(), 3)

    def test_it_computes_each_target_in_one_query_once_its_baseline_is_kept(self):
        first = plan_progress(self.plan)  # counts and keeps the baselines
        with self.assertNumQueries(4):  # the targets, then one per target
            again = plan_progress(self.plan)
        self.assertEqual([p.at_start for p in again], [p.at_start for p in first])

    def test_it_keeps_the_baseline_the_plan_started_from(self):
        target = self.plan.targets.get(metric=Target.Metric.AT_LEVEL)
        self.assertEqual(progress_of(target).at_start, 0)  # every rating came after 2025-01-01
        rate(make_enterprise(self.home_region, "新评三级"), 3)
        target = Target.objects.get(pk=target.pk)
        self.assertIsNotNone(target.baseline_at)
        progress = progress_of(target)
        self.assertEqual((progress.hits, progress.at_start), (3, 0))
        with patch("smedx.planning.metrics.timezone.localdate", return_value=date(2024, 12, 1)):
            before = progress_of(self.plan.targets.get(metric=Target.Metric.AT_LEVEL), date(2024, 12, 1))
        self.assertEqual(before.at_start, before.current)  # not started: no baseline yet

    def test_it_shows_progress_bars_on_the_plan_page(self):
        self.login(self.city)
        self.assertEqual(
            self.client.get(reverse("planning:plan_detail", args=[self.plan.pk])).status_code, 404
        )
        self.login(self.district)
        response = self.client.get(reverse("planning:plan_detail", args=[self.plan.pk]))
        self.assertContains(response, "50.0% / 90.0%")
        self.assertContains(response, 'style="width: 55%"')
        plans.publish_plan(plan=self.plan, actor=self.district)
        self.login(self.city)
        self.assertEqual(
            self.client.get(reverse("planning:plan_detail", args=[self.plan.pk])).status_code, 200
        )


class PlanServiceTests(PersonaTestCase):
    def test_it_refuses_everybody_but_authorities(self):
        for user in (self.enterprise_user, self.provider, self.expert, self.platform):
            with self.subTest(user=user.username), self.assertRaises(DomainError):
                plans.save_plan(actor=user, data=PLAN, targets=[SHARE])
        self.assertFalse(Plan.objects.exists())

    def test_it_refuses_bad_targets_and_periods(self):
        with self.assertRaises(DomainError):
            plans.save_plan(actor=self.district, data=PLAN, targets=[{**SHARE, "level": None}])
        with self.assertRaises(DomainError):
            plans.save_plan(actor=self.district, data=PLAN, targets=[{**SHARE, "value": Decimal(120)}])
        with self.assertRaises(DomainError):
            plans.save_plan(actor=self.district, data={**PLAN, "period_end": date(2024, 1, 1)}, targets=[])
        self.assertFalse(Plan.objects.exists())

    def test_it_publishes_once_and_only_with_targets(self):
        empty = plans.save_plan(actor=self.district, data=PLAN, targets=[])
        with self.assertRaises(DomainError):
            plans.publish_plan(plan=empty, actor=self.district)
        plan = plans.save_plan(actor=self.district, data=PLAN, targets=[SHARE])
        with self.assertRaises(DomainError):
            plans.publish_plan(plan=plan, actor=self.other_district)
        plans.publish_plan(plan=plan, actor=self.district)
        with self.assertRaises(DomainError):
            plans.publish_plan(plan=plan, actor=self.district)
        with self.assertRaises(DomainError):
            plans.save_plan(actor=self.district, data=PLAN, targets=[], plan=plan)


class PlanPageTests(PersonaTestCase):
    def post(self, **extra):
        data = {
            "title": "渝北区实施方案",
            "summary": "",
            "period_start": "2025-01-01",
            "period_end": "2026-12-31",
            "targets-TOTAL_FORMS": "2",
            "targets-INITIAL_FORMS": "0",
            "targets-MIN_NUM_FORMS": "0",
            "targets-MAX_NUM_FORMS": "30",
            "targets-0-division": "34",
            "targets-0-metric": "share_above_scale_at_level",
            "targets-0-level": "2",
            "targets-0-value": "90",
            "targets-0-due_date": "2026-12-31",
        }
        data.update(extra)
        return data

    def test_it_creates_a_plan_with_targets_and_a_document(self):
        self.login(self.district)
        response = self.client.post(
            reverse("planning:plan_create"), {**self.post(), "document": pdf("方案.pdf")}
        )
        plan = Plan.objects.get()
        self.assertRedirects(response, reverse("planning:plan_detail", args=[plan.pk]))
        target = plan.targets.get()
        self.assertEqual((target.division, target.level, target.value), ("34", 2, Decimal(90)))
        self.assertEqual(plan.document_name, "方案.pdf")
        download = self.client.get(reverse("planning:plan_document", args=[plan.pk]))
        self.assertEqual(download.status_code, 200)

    def test_it_saves_nothing_on_bad_input(self):
        self.login(self.district)
        response = self.client.post(
            reverse("planning:plan_create"), self.post(**{"targets-0-level": "", "period_end": "2020-01-01"})
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("period_end", response.context["form"].errors)
        self.assertIn("level", response.context["formset"].forms[0].errors)
        self.assertFalse(Plan.objects.exists())

    def test_it_edits_a_draft_and_replaces_its_targets(self):
        plan = plans.save_plan(actor=self.district, data=PLAN, targets=[SHARE, TRANSFORMED])
        self.login(self.district)
        url = reverse("planning:plan_edit", args=[plan.pk])
        form = self.client.get(url).context["formset"]
        self.assertEqual(len(form.forms), 4)  # two targets and two empty rows
        self.client.post(url, self.post(**{"targets-0-value": "80"}))
        self.assertEqual([t.value for t in plan.targets.all()], [Decimal(80)])
        self.login(self.other_district)
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_it_publishes_by_post_only(self):
        plan = plans.save_plan(actor=self.district, data=PLAN, targets=[SHARE])
        url = reverse("planning:plan_publish", args=[plan.pk])
        self.login(self.district)
        self.assertEqual(self.client.get(url).status_code, 405)
        self.client.post(url)
        plan.refresh_from_db()
        self.assertEqual(plan.status, Plan.Status.PUBLISHED)


class TargetSentenceTests(PersonaTestCase):
    """A target reads as a sentence with its level and figures; each figure opens the list it counts."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        crafted_case_files(cls)

    def page(self):
        self.login(self.district)
        with patch("smedx.planning.metrics.timezone.localdate", return_value=date(2026, 1, 1)):
            return self.client.get(reverse("planning:plan_detail", args=[self.plan.pk]))

    def test_it_shows_each_target_as_a_sentence_with_the_level_filled_in(self):
        response = self.page()
        self.assertContains(
            response, "By 2026-12-31, the share of 规上 enterprises at Level 2 or above reaches 90%"
        )
        self.assertContains(response, "By 2026-12-31, 4 enterprises reach Level 3 or above: now")
        self.assertContains(response, "By 2026-12-31, 10 enterprises have transformed: now")
        self.assertNotContains(response, "(%) (2)")

    def test_it_links_each_figure_to_the_enterprises_it_counts(self):
        sentences = re.findall(r'data-testid="sentence">(.*?)</span>', self.page().content.decode())
        self.assertEqual(len(sentences), 3)
        visible = Enterprise.objects.visible_to(self.district)
        counted = []
        for sentence in sentences:
            for href, figure in re.findall(r'<a href="([^"]+)">(\d+)</a>', sentence):
                path, query = html.unescape(href).split("?")
                self.assertEqual(path, reverse("enterprises:list"))
                form = EnterpriseFilterForm(QueryDict(query), user=self.district)
                self.assertTrue(form.is_valid(), form.errors)
                counted.append((int(figure), form.apply(visible).count()))
        self.assertEqual(len(counted), 4)  # the share's hits and base, and one count each
        for figure, listed in counted:
            self.assertEqual(figure, listed)


class TargetRiskTests(PersonaTestCase):
    """A target is at risk when the pace since the plan's start, carried to the due date, falls short."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        home, zone = cls.home_region, timezone.get_current_timezone()
        rate(make_enterprise(home, "早已三级"), 3, when=datetime(2024, 6, 1, tzinfo=zone))
        rate(make_enterprise(home, "今年三级"), 3, when=datetime(2025, 6, 1, tzinfo=zone))
        rate(make_enterprise(home, "今年二级"), 2, when=datetime(2025, 6, 1, tzinfo=zone))
        targets = [{**AT_LEVEL, "value": Decimal(4)}, {**AT_LEVEL, "value": Decimal(3), "order": 1}]
        cls.plan = plans.save_plan(actor=cls.district, data=PLAN, targets=targets)

    def test_it_flags_a_target_the_pace_will_not_reach(self):
        # One enterprise reached 三级 in the first year; one more by the end is 3, not 4.
        four, three = plan_progress(self.plan, today=date(2026, 1, 1))
        self.assertEqual((four.at_start, four.current), (1, 2))
        self.assertEqual(four.projected, Decimal("3.0"))
        self.assertTrue(four.at_risk)
        self.assertFalse(three.at_risk)

    def test_it_flags_nothing_before_the_plan_starts_and_a_missed_target_after_the_due_date(self):
        four, _three = plan_progress(self.plan, today=date(2024, 12, 1))
        self.assertFalse(four.at_risk)
        four, _three = plan_progress(self.plan, today=date(2027, 1, 5))
        self.assertTrue(four.missed)

    def test_it_shows_the_flag_on_the_plan_page(self):
        self.login(self.district)
        with patch("smedx.planning.metrics.timezone.localdate", return_value=date(2026, 1, 1)):
            response = self.client.get(reverse("planning:plan_detail", args=[self.plan.pk]))
        self.assertContains(response, 'data-testid="at-risk"', count=1)
