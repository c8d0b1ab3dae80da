"""The catalogue and the listed providers over the API: public, filtered like the pages."""

from decimal import Decimal

from django.core.files.base import ContentFile

from smedx.providers.models import ProviderCertificate, ProviderProfile, Solution
from smedx.testing.api import ApiTestCase
from smedx.testing.providers import complete_profile, make_solution, provider_with_admin

S = ProviderProfile.Status


class ProvidersApiTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.profile = complete_profile(cls.provider.organisation, status=S.LISTED, rating=Decimal("4.2"))
        cls.mes = make_solution(
            cls.profile,
            name="云MES轻量版",
            scenes=[("S06", 1, 3)],
            price_min=Decimal("60000"),
            keywords="MES",
        )
        cls.check = make_solution(cls.profile, name="设备点检APP", scenes=[("S08", 0, 2)])
        make_solution(cls.profile, name="草稿", status=Solution.Status.DRAFT)
        ProviderCertificate.objects.create(profile=cls.profile, name="ISO 9001", issuer="CQC").file.save(
            "c.pdf", ContentFile(b"%PDF-1.4"), save=True
        )
        cls.hidden, _u = provider_with_admin("审核中服务商", "reviewing", S.UNDER_REVIEW)
        cls.hidden_solution = make_solution(cls.hidden, name="未入库方案")

    def test_it_lists_published_solutions_to_anyone(self):
        for persona in ("anonymous", "outsider", "enterprise_user"):
            with self.subTest(persona):
                self.act_as(persona)
                body = self.get("/solutions").json()
                self.assertEqual(body["count"], 2)
                self.assertEqual({r["name"] for r in body["results"]}, {"云MES轻量版", "设备点检APP"})

    def test_it_filters_like_the_page_and_pages(self):
        self.act_as("anonymous")
        cases = [
            ({"scene": "S06"}, ["云MES轻量版"]),
            ({"q": "app"}, ["设备点检APP"]),
            ({"price_max": "20000"}, ["设备点检APP"]),
            ({"district": "500112", "sort": "price"}, ["设备点检APP", "云MES轻量版"]),
            ({"district": "500105"}, []),
        ]
        for query, names in cases:
            with self.subTest(query):
                self.assertEqual(
                    [r["name"] for r in self.get("/solutions", **query).json()["results"]], names
                )
        body = self.get("/solutions", page_size=1, page=2).json()
        self.assertEqual((body["count"], body["pages"], len(body["results"])), (2, 2, 1))

    def test_it_refuses_bad_filters(self):
        self.act_as("anonymous")
        response = self.get("/solutions", scene="S99")
        self.assertEqual(response.status_code, 422)
        self.assertIn("scene", response.json()["errors"])
        self.assertEqual(self.get("/solutions", page_size=1000).status_code, 422)

    def test_it_gives_one_solution_with_its_scenes(self):
        self.act_as("anonymous")
        data = self.get(f"/solutions/{self.mes.pk}").json()
        self.assertEqual(
            data["scenes"], [{"scene": "S06", "name": "生产管控", "from_level": 1, "to_level": 3}]
        )
        self.assertEqual((data["provider"]["name"], data["provider"]["rating"]), ("测试服务商", "4.2"))
        self.assertEqual(self.get(f"/solutions/{self.hidden_solution.pk}").status_code, 404)

    def test_it_lists_only_listed_providers(self):
        self.act_as("anonymous")
        body = self.get("/providers").json()
        self.assertEqual([p["name"] for p in body["results"]], ["测试服务商"])
        data = self.get(f"/providers/{self.profile.pk}").json()
        self.assertEqual(data["regions"], ["500112"])
        self.assertEqual([c["name"] for c in data["certificates"]], ["ISO 9001"])
        self.assertEqual({s["name"] for s in data["solutions"]}, {"云MES轻量版", "设备点检APP"})
        self.assertNotIn("debt_ratio", data)
        self.assertEqual(self.get(f"/providers/{self.hidden.pk}").status_code, 404)

    def test_it_answers_a_wrong_method_in_json(self):
        self.act_as("platform")
        response = self.post("/solutions", {})
        self.assertEqual(response.status_code, 405)
        self.assertIn("detail", response.json())
