"""The solution catalogue: writing and publishing, the public page's filters and its queries, the report links."""

from decimal import Decimal
from unittest.mock import patch

from django.urls import reverse

from smedx.assessments import report as report_module
from smedx.assessments.report import CatalogueLink, catalogue_online
from smedx.core.errors import DomainError
from smedx.core.models import AuditEntry
from smedx.providers.models import ProviderProfile, Solution
from smedx.providers.search import kind_words, report_links
from smedx.providers.services import catalogue
from smedx.testing import PersonaTestCase
from smedx.testing.providers import (
    add_references,
    complete_profile,
    make_solution,
    provider_with_admin,
)

S = ProviderProfile.Status
FACTS = {
    "name": "云MES轻量版",
    "summary": "车间报工与生产看板",
    "description": "",
    "keywords": "MES,生产管控",
    "industries": ["34"],
    "deployment": "saas",
    "price_min": Decimal("20000"),
    "price_max": Decimal("60000"),
    "price_unit": "per_year",
    "delivery_days": 30,
}


class SolutionServiceTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.profile = complete_profile(cls.provider.organisation, status=S.LISTED)
        cls.references = add_references(cls.profile, 2)

    def save(self, actor=None, **extra):
        return catalogue.save_solution(
            profile=self.profile,
            actor=actor or self.provider,
            data={**FACTS, **extra},
            scene_rows=[("S06", 1, 3)],
            references=self.references[:1],
        )

    def test_it_saves_publishes_and_withdraws_a_solution(self):
        solution = self.save()
        self.assertEqual((solution.status, solution.industries), (Solution.Status.DRAFT, ",34,"))
        self.assertEqual(
            [(r.scene, r.from_level, r.to_level) for r in solution.scenes.all()], [("S06", 1, 3)]
        )
        catalogue.publish_solution(solution=solution, actor=self.provider)
        self.assertEqual(Solution.objects.catalogue().get().pk, solution.pk)
        catalogue.withdraw_solution(solution=solution, actor=self.provider)
        self.assertFalse(Solution.objects.catalogue().exists())
        self.assertEqual(
            list(
                AuditEntry.objects.filter(action__startswith="providers.solution.").values_list(
                    "action", flat=True
                )
            ),
            ["providers.solution.withdrawn", "providers.solution.published", "providers.solution.created"],
        )

    def test_it_refuses_publishing_by_an_unlisted_provider(self):
        for status in (S.DRAFT, S.APPLIED, S.UNDER_REVIEW, S.IN_PUBLIC_NOTICE, S.SUSPENDED):
            with self.subTest(status):
                ProviderProfile.objects.filter(pk=self.profile.pk).update(status=status)
                solution = make_solution(self.profile, status=Solution.Status.DRAFT)
                with self.assertRaisesMessage(DomainError, "Only a provider listed in the pool can publish"):
                    catalogue.publish_solution(solution=solution, actor=self.provider)
                solution.refresh_from_db()
                self.assertEqual(solution.status, Solution.Status.DRAFT)

    def test_it_refuses_others_and_bad_input(self):
        for user in (self.outsider, self.city, self.platform, self.enterprise_user):
            with self.subTest(user.username), self.assertRaises(DomainError):
                self.save(actor=user)
        other, other_user = provider_with_admin("他人服务商", "other_provider")
        with self.assertRaisesMessage(DomainError, "not your organisation"):
            self.save(actor=other_user)
        bad = [
            ({"price_min": Decimal("9"), "price_max": Decimal("1")}, [("S06", 1, 3)], "below the lowest"),
            ({}, [], "at least one scene"),
            ({}, [("S99", 0, 1)], "no scene S99"),
            ({}, [("S06", 3, 2)], "must rise"),
            ({}, [("S06", 0, 1), ("S06", 1, 2)], "twice"),
        ]
        for extra, rows, message in bad:
            with self.subTest(message), self.assertRaisesMessage(DomainError, message):
                catalogue.save_solution(
                    profile=self.profile, actor=self.provider, data={**FACTS, **extra}, scene_rows=rows
                )
        with self.assertRaisesMessage(DomainError, "own reference"):
            catalogue.save_solution(
                profile=self.profile,
                actor=self.provider,
                data=FACTS,
                scene_rows=[("S06", 0, 1)],
                references=add_references(other, 1),
            )
        self.assertFalse(Solution.objects.exists())


class CataloguePageTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.profile = complete_profile(cls.provider.organisation, status=S.LISTED, rating=Decimal("4.5"))
        cls.mes = make_solution(
            cls.profile,
            name="云MES轻量版",
            scenes=[("S06", 1, 3)],
            industries=",34,",
            price_min=Decimal("50000"),
            price_max=Decimal("90000"),
            keywords="MES",
        )
        cls.check = make_solution(
            cls.profile,
            name="设备点检APP",
            scenes=[("S08", 0, 2)],
            price_min=Decimal("5000"),
            deployment="on_premises",
        )
        other, _u = provider_with_admin("江北能耗服务商", "energy", rating=Decimal("3.0"))
        other.regions.set([cls.other_region])
        cls.energy = make_solution(
            other,
            name="能耗在线监测",
            scenes=[("S10", 1, 2)],
            industries=",13,",
            keywords="EMS,能源管理",
            price_min=Decimal("30000"),
        )
        cls.draft = make_solution(cls.profile, name="草稿方案", status=Solution.Status.DRAFT)
        suspended, _u = provider_with_admin("暂停服务商", "suspended", S.SUSPENDED)
        cls.hidden = make_solution(suspended, name="暂停方案")

    def names(self, **query):
        response = self.client.get(reverse("providers:catalogue"), query)
        self.assertEqual(response.status_code, 200)
        return [s.name for s in response.context["page"]]

    def test_it_shows_published_solutions_of_listed_providers_best_rated_first(self):
        self.assertEqual(self.names(), ["设备点检APP", "云MES轻量版", "能耗在线监测"])

    def test_it_filters_by_text_scene_industry_deployment_price_and_district(self):
        cases = [
            ({"q": "mes"}, ["云MES轻量版"]),
            ({"q": "江北能耗"}, ["能耗在线监测"]),
            ({"scene": "S08"}, ["设备点检APP"]),
            ({"industry": "13"}, ["设备点检APP", "能耗在线监测"]),  # 点检 names no industry: fits all
            ({"deployment": "on_premises"}, ["设备点检APP"]),
            ({"price_max": "40000"}, ["设备点检APP", "能耗在线监测"]),
            ({"district": self.other_region.pk}, ["能耗在线监测"]),
            ({"sort": "price"}, ["设备点检APP", "能耗在线监测", "云MES轻量版"]),
        ]
        for query, expected in cases:
            with self.subTest(query):
                self.assertEqual(self.names(**query), expected)

    def test_it_ignores_bad_filters_and_says_so(self):
        response = self.client.get(reverse("providers:catalogue"), {"price_max": "abc", "scene": "S99"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.context["page"]), 3)
        self.assertTrue(response.context["form"].errors)

    def test_it_answers_the_catalogue_in_few_queries(self):
        for i in range(10):
            make_solution(self.profile, name=f"方案{i}", scenes=[("S01", 0, 1), ("S02", 1, 2)])
        # count, page rows with providers, their scenes, the districts of the filter
        with self.assertNumQueries(4):
            response = self.client.get(reverse("providers:catalogue"), {"scene": "S01"})
        self.assertEqual(len(response.context["page"]), 10)

    def test_it_shows_a_solution_and_a_listed_provider_to_anyone(self):
        response = self.client.get(reverse("providers:solution_detail", args=[self.mes.pk]))
        self.assertContains(response, "云MES轻量版")
        self.assertContains(response, "S06")
        response = self.client.get(reverse("providers:provider_detail", args=[self.profile.pk]))
        self.assertContains(response, "设备点检APP")
        self.assertContains(response, 'data-testid="rating"')
        self.assertNotContains(response, "草稿方案")
        for url in (
            reverse("providers:solution_detail", args=[self.draft.pk]),
            reverse("providers:solution_detail", args=[self.hidden.pk]),
            reverse("providers:provider_detail", args=[self.hidden.provider_id]),
        ):
            with self.subTest(url):
                self.assertEqual(self.client.get(url).status_code, 404)
        self.login(self.provider)  # its own draft
        self.assertEqual(
            self.client.get(reverse("providers:solution_detail", args=[self.draft.pk])).status_code, 200
        )


class ReportHookTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        profile = complete_profile(cls.provider.organisation, status=S.LISTED)
        cls.energy = make_solution(
            profile, name="能耗在线监测", scenes=[("S10", 1, 2)], keywords="EMS,能耗监测"
        )
        cls.check = make_solution(profile, name="设备点检APP", scenes=[("S08", 0, 2)], keywords="设备点检")
        make_solution(profile, name="草稿能耗", scenes=[("S10", 0, 1)], status=Solution.Status.DRAFT)

    def test_it_is_registered_by_the_app(self):
        self.assertTrue(catalogue_online())

    def test_it_takes_words_from_the_kinds_of_solution(self):
        self.assertEqual(kind_words("能源管理系统（EMS）"), {"EMS", "能源管理"})
        self.assertEqual(kind_words("设备联网与数据采集（DNC/MDC）"), {"DNC", "MDC", "设备联网", "数据采集"})

    def test_it_links_scenes_and_items_to_published_solutions_in_one_query(self):
        with self.assertNumQueries(1):
            links = report_links(
                {
                    "S10": ("能源管理系统（EMS）",),
                    "E1": ("能源管理系统（EMS）", "节能改造"),
                    "S05": ("APS 高级计划排程",),
                    "B6": ("工控安全防护",),
                }
            )
        url = reverse("providers:solution_detail", args=[self.energy.pk])
        self.assertEqual(links["S10"], [CatalogueLink(f"能耗在线监测 · {self.energy.provider.name}", url)])
        self.assertEqual([link.url for link in links["E1"]], [url])
        self.assertNotIn("S05", links)
        self.assertNotIn("B6", links)

    def test_the_report_page_shows_the_links(self):
        hooked = patch.object(report_module, "catalogue_hook", return_value=report_links)
        hooked.start()
        self.addCleanup(hooked.stop)
        from smedx.assessments.loader import load_bundled
        from smedx.testing import answer_sets as sets
        from smedx.testing.assessments import make_assessment

        load_bundled()
        assessment = make_assessment(self.enterprise, sets.middling())
        self.login(self.enterprise_user)
        response = self.client.get(reverse("assessments:report", kwargs={"pk": assessment.pk}))
        # E1 绿色低碳 needs an energy management system: the catalogue's energy monitoring is linked.
        self.assertContains(response, reverse("providers:solution_detail", args=[self.energy.pk]))
