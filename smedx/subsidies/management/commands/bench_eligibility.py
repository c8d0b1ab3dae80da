"""Measure computing a city policy's eligible enterprises, as publishing it does, beside the bare SQL.

    manage.py bench_eligibility [--repeat 3]

Drafts city-wide policies as the bench officer of bench_import (level 二级 or above with an
accepted transformation project — the seed's "guide the enterprises that finished their
transformation to apply"; and a broad one, 规下 at 二级 or above), then times, each inside a transaction that is rolled back:
`services.write_eligible` (one INSERT … SELECT of the eligible enterprises) and, as its floor, a
hand-written `SELECT count(*)` of the same conditions over the stored facts. Figures only.
"""

import statistics
from datetime import timedelta
from decimal import Decimal
from functools import partial
from time import perf_counter

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from smedx.accounts.models import Region
from smedx.enterprises.management.commands.bench_import import bench_officer, peak_mb
from smedx.subsidies import services
from smedx.subsidies.models import Policy

# Each case: the policy's conditions and, as the floor, the bare SQL count of the same enterprises.
CASES = (
    (
        {"level_min": 2, "project_accepted": True},
        """SELECT count(*) FROM enterprises_enterprise e WHERE e.status = 'active' AND e.current_level >= 2
           AND EXISTS (SELECT 1 FROM projects_project p WHERE p.enterprise_id = e.id AND p.status = 'accepted')""",
    ),
    (
        {"above_scale": False, "level_min": 2},
        """SELECT count(*) FROM enterprises_enterprise e
           WHERE e.status = 'active' AND NOT e.above_scale AND e.current_level >= 2""",
    ),
)


def count(sql) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time computing a city policy's eligible enterprises beside the bare SQL count."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=3)

    def timed(self, work, repeat) -> tuple[float, object]:
        times, result = [], None
        for _ in range(repeat):
            try:
                with transaction.atomic():
                    started = perf_counter()
                    result = work()
                    times.append(perf_counter() - started)
                    raise Rollback
            except Rollback:
                pass
        return statistics.median(times), result

    def handle(self, *args, repeat, **options):
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM enterprises_enterprise")
            total = cursor.fetchone()[0]
        self.stdout.write(f"database: {connection.vendor}; enterprises: {total:,}; city-wide policies")
        officer = bench_officer()
        for conditions, sql in CASES:
            policy = self.draft(officer, conditions)
            seconds, written = self.timed(partial(services.write_eligible, policy, timezone.now()), repeat)
            floor_seconds, counted = self.timed(partial(count, sql), repeat)
            self.stdout.write(
                f"{conditions}: {written:,} eligible written in {seconds * 1000:,.1f} ms (median of {repeat}, "
                f"rolled back); floor, the bare SQL count: {counted:,} in {floor_seconds * 1000:,.1f} ms; "
                f"ratio {seconds / floor_seconds if floor_seconds else 0:.1f}×"
            )
            policy.delete()
        self.stdout.write(f"peak memory: {peak_mb():.0f} MB")

    def draft(self, officer, conditions) -> Policy:
        today = timezone.localdate()
        return services.create_policy(
            actor=officer,
            region=Region.objects.get(parent__isnull=True),
            data={
                "title": "基准测试政策（bench_eligibility）",
                "level": Policy.Level.CITY,
                "opens_on": today,
                "closes_on": today + timedelta(days=90),
                "total_budget": Decimal("100000000"),
                "support": Policy.Support.SHARE,
                "rate": Decimal("30"),
                "cap": Decimal("500000"),
            },
            conditions=conditions,
        )
