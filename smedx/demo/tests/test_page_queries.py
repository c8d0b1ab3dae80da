"""Every daily page of `smedx.demo.pages` runs a bounded number of queries, whatever the data.

The demo is seeded once. Each page is requested as its persona (as `bench_pages` does) and its queries
counted; then more of what the persona sees is added (enterprises in the persona's district and in
another, submitted and verified assessments, diagnosis requests, invitations, solutions of more
providers, registered projects) and the page is counted again. The two counts are equal, so the page does not run a query per row,
and neither is above the page's declared `max_queries`.
"""

from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from smedx.accounts.models import Organisation, Region
from smedx.assessments.models import Assessment, DiagnosisRequest
from smedx.demo.management.commands.bench_pages import host
from smedx.demo.pages import PAGES, SEARCH, Objects
from smedx.demo.tests.test_seed_demo import seed
from smedx.enterprises.models import Enterprise, Tag
from smedx.projects.models import Project
from smedx.proposals.models import Invitation, Need
from smedx.providers.models import Solution
from smedx.testing import make_enterprise, make_org, make_user
from smedx.testing.planning import rate
from smedx.testing.projects import make_plan, registered_project
from smedx.testing.proposals import new_provider, solution

MORE = 30  # enterprises added in the persona's district and as many in another: more than a page
OTHER_DISTRICT = "500105"  # 江北区


class PageQueryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        seed()

    def setUp(self):
        self.objects = Objects()
        self.clients = {}

    def count(self, page) -> int:
        """The queries of one request to `page` as its persona, after a first request has warmed up."""
        if page.persona not in self.clients:
            self.clients[page.persona] = Client(HTTP_HOST=host())
            self.clients[page.persona].force_login(self.objects.user(page.persona))
        client, url = self.clients[page.persona], page.url(self.objects)
        self.assertIsNotNone(url, f"{page.name}: no object in the demo data")
        self.assertEqual(client.get(url).status_code, 200, url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return len(queries)

    def add_data(self):
        """More of everything the personas see, in the district officer's district and in another."""
        o = self.objects
        district = Region.objects.get(pk=o.district)
        other = Region.objects.get(code=OTHER_DISTRICT)
        tags = list(Tag.objects.all()[:3])
        expert, officer = o.user("expert"), o.user("district_officer")
        provider = Organisation.objects.get(pk=o.provider)
        divisions = ["13", "34", "36", "39"]
        for region in (district, other):
            for n in range(MORE):
                enterprise = make_enterprise(
                    region,
                    name=f"{SEARCH}{region.name}{n}" if n % 3 == 0 else None,
                    industry_division=divisions[n % len(divisions)],
                    employees=[8, 60, 400, 1200][n % 4],
                    above_scale=n % 2 == 0,
                )
                enterprise.tags.set(tags[: n % 4])
                if n % 3 == 1:
                    rate(enterprise, n % 4 + 1)
                elif n % 3 == 2:
                    # Half verified by the expert, half still awaiting the expert's visit.
                    done = n % 2 == 0
                    DiagnosisRequest.objects.create(
                        enterprise=enterprise,
                        assessment=rate(enterprise, n % 4 + 1),
                        route=DiagnosisRequest.Route.DISTRICT,
                        status=DiagnosisRequest.Status.VERIFIED if done else DiagnosisRequest.Status.ASSIGNED,
                        expert=expert,
                        assigned_by=officer,
                        assigned_at=timezone.now(),
                        verified_assessment=rate(enterprise, n % 4 + 1, kind="verified") if done else None,
                    )
                if n % 5 == 0:
                    need = Need.objects.create(
                        enterprise=enterprise, title=f"需求{n}", status=Need.Status.PUBLISHED, budget=300000
                    )
                    Invitation.objects.create(need=need, provider=provider, invited_by=officer)
        # The case files the officer and the enterprise open gain assessments of their own.
        for enterprise in (o.district_enterprise, o.own_enterprise):
            rate(enterprise, 2, period="T1")
            rate(enterprise, 3, period="T1", kind="verified")
        # Solutions of more listed providers in the catalogue, with scenes and industries.
        for n in range(MORE // 3):
            _org, profile = new_provider(regions=[district], rating=n % 5 + 1)
            solution(profile, {"S01": 2, "S03": n % 3 + 1}, industries=divisions[: n % 3 + 1])
            solution(profile, {"S06": 3}, price_min=80000 + n)
        # Registered projects of the persona provider in the district.
        for n in range(3):
            org = make_org(Organisation.Kind.ENTERPRISE, f"项目企业{n}", district)
            enterprise = make_enterprise(district, name=f"项目企业{n}", org=org)
            user = make_user(f"project_enterprise_{n}", org, "admin")
            plan = make_plan(enterprise, provider, by=user)
            registered_project(user, officer, plan)

    def test_no_page_runs_more_queries_with_more_data_or_above_its_ceiling(self):
        before = [self.count(page) for page in PAGES]
        models = [Enterprise, Assessment, DiagnosisRequest, Invitation, Solution, Project]
        rows = [model.objects.count() for model in models]
        self.add_data()
        for model, n in zip(models, rows, strict=True):
            self.assertGreater(model.objects.count(), n, model.__name__)
        # The pages about one object (case file, plan, standard, project) show the same object again:
        # `self.objects` found it before the data was added.
        for page, first in zip(PAGES, before, strict=True):
            with self.subTest(page=page.name, persona=page.persona):
                after = self.count(page)
                self.assertEqual(after, first, "the page runs more queries with more data")
                self.assertLessEqual(first, page.max_queries, "more than the page's declared max_queries")
