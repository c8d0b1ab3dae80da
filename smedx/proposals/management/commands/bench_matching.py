"""Time the matching of a need against a large scratch catalogue; everything is rolled back afterwards."""

import random
import time
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from smedx.accounts.models import Organisation, Region
from smedx.core.creditcode import make_credit_code
from smedx.enterprises.models import Enterprise
from smedx.enterprises.services.casefile import derive
from smedx.proposals import matching
from smedx.proposals.models import Invitation, Need, NeedScene
from smedx.providers.models import ProviderProfile, Solution, SolutionScene
from smedx.providers.reference import pack

SCENES = [f"S{n:02d}" for n in range(1, 17)]
DIVISIONS = ["13", "14", "26", "29", "33", "34", "35", "36", "38", "39"]


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Benchmark matching: N scratch solutions, time per shortlist. Writes nothing (rolled back)."

    def add_arguments(self, parser):
        parser.add_argument("--solutions", type=int, default=5000)
        parser.add_argument("--runs", type=int, default=10)

    def handle(self, *args, solutions, runs, **options):
        try:
            with transaction.atomic():
                need = self.scratch(solutions)
                self.measure(need, runs)
                raise Rollback
        except Rollback:
            self.stdout.write("Scratch data rolled back.")

    def scratch(self, count):
        rng = random.Random(4)
        districts = list(Region.objects.filter(parent__isnull=False))
        providers = max(count // 10, 1)
        orgs = Organisation.objects.bulk_create(
            Organisation(kind=Organisation.Kind.PROVIDER, name=f"基准服务商{i}") for i in range(providers)
        )
        profiles = ProviderProfile.objects.bulk_create(
            ProviderProfile(
                organisation=org,
                status=ProviderProfile.Status.LISTED,
                rating=Decimal(rng.randint(10, 50)) / 10 if rng.random() < 0.8 else None,
            )
            for org in orgs
        )
        Through = ProviderProfile.regions.through
        Through.objects.bulk_create(
            Through(providerprofile_id=p.pk, region_id=r.pk)
            for p in profiles
            for r in rng.sample(districts, 3)
        )
        rows = []
        for i in range(count):
            low = Decimal(rng.randint(1, 80) * 5000)
            rows.append(
                Solution(
                    provider=profiles[i % providers],
                    name=f"基准方案{i}",
                    summary="基准",
                    industries=pack(rng.sample(DIVISIONS, rng.randint(0, 3))),
                    deployment=Solution.Deployment.SAAS,
                    price_min=low,
                    price_max=low * 2,
                    price_unit=Solution.PriceUnit.PER_YEAR,
                    delivery_days=60,
                    status=Solution.Status.PUBLISHED,
                )
            )
        created = Solution.objects.bulk_create(rows, batch_size=1000)
        SolutionScene.objects.bulk_create(
            (
                SolutionScene(solution=s, scene=code, from_level=0, to_level=rng.randint(1, 4))
                for s in created
                for code in rng.sample(SCENES, rng.randint(1, 4))
            ),
            batch_size=2000,
        )
        region = districts[0]
        enterprise = Enterprise(
            name="基准企业",
            credit_code=make_credit_code(region.code, 987654),
            region=region,
            industry_division="34",
            employees=100,
            revenue=Decimal(5000),
        )
        derive(enterprise)
        enterprise.save()
        need = Need.objects.create(
            enterprise=enterprise,
            title="基准需求",
            status=Need.Status.PUBLISHED,
            target_level=2,
            budget=Decimal(300000),
        )
        NeedScene.objects.bulk_create(
            NeedScene(need=need, scene=code, current_level=1, target_level=2) for code in SCENES[:6]
        )
        Invitation.objects.bulk_create(Invitation(need=need, provider=org) for org in orgs[: providers // 4])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # fresh rows have no statistics yet; production tables do
                cursor.execute("ANALYZE")
        self.stdout.write(
            f"{count} solutions of {providers} listed providers, {SolutionScene.objects.count()} scene rows."
        )
        return need

    def measure(self, need, runs):
        matching.shortlist(need)  # warm up
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            matches = matching.shortlist(need)
            times.append(time.perf_counter() - start)
        times.sort()
        self.stdout.write(
            f"shortlist of {len(matches)} over {runs} runs: median {times[len(times) // 2] * 1000:.1f} ms, "
            f"best {times[0] * 1000:.1f} ms, worst {times[-1] * 1000:.1f} ms"
        )
        top = matches[0]
        self.stdout.write(f"top: {top.solution.name} {top.total} — {top.reason}")
