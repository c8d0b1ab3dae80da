"""Measure applying a classification standard to the whole city, as the task worker does.

    manage.py bench_tiers

Run it on a scratch database with many case files (bench_export --rows N makes them): it makes a
three-tier standard of the city as the bench officer of bench_import and applies it.
"""

from time import perf_counter

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from smedx.enterprises.management.commands.bench_import import bench_officer, peak_mb
from smedx.enterprises.models import Enterprise
from smedx.planning.models import Application
from smedx.planning.services import standards

TIERS = (
    {
        "order": 1,
        "code": "lead",
        "name": "示范引领",
        "description": "",
        "rule": {"above_scale": True, "level_min": 3},
    },
    {
        "order": 2,
        "code": "key",
        "name": "重点培育",
        "description": "",
        "rule": {"tags": ["重点", "专精特新"]},
    },
    {
        "order": 3,
        "code": "small",
        "name": "中小企业",
        "description": "",
        "rule": {"size_class": ["small", "medium"]},
    },
    {"order": 4, "code": "all", "name": "普及推广", "description": "", "rule": {}},
)


class Command(BaseCommand):
    help = "Apply a four-tier standard to every active case file of the city; print the time and statements."

    def handle(self, *args, **options):
        actor = bench_officer()
        standard = standards.create_standard(actor=actor, name=f"基准标准 {Application.objects.count() + 1}")
        for tier in TIERS:
            standards.save_tier(standard=standard, actor=actor, data=tier)
        application = standards.apply_standard(standard=standard, actor=actor)
        started = perf_counter()
        with CaptureQueriesContext(connection) as queries:
            application = standards.classify_enterprises(application)
        seconds = perf_counter() - started
        if not application.is_done:
            raise CommandError(f"the application failed: {application.error}")
        active = Enterprise.objects.filter(status=Enterprise.Status.ACTIVE).count()
        self.stdout.write(f"database: {connection.vendor}; active case files: {active}")
        self.stdout.write(
            f"classified {application.enterprises} enterprises in {seconds:.2f} s with {len(queries)} statements"
        )
        self.stdout.write(f"peak memory: {peak_mb():.0f} MB")
