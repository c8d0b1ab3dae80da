"""Measure the export of a long enterprise list: N case files streamed into a workbook as the worker does.

    manage.py bench_export --rows 100000

Run it on a scratch database: it tops the case files up to N with generated ones (credit codes of
registration kind 93, apart from the demo's, the tests' and bench_import's) and exports the whole
city as the bench officer of bench_import, through `core.exports` (start, then the worker's run).
"""

import random
from time import perf_counter, process_time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.http import QueryDict

from smedx.accounts.models import Region
from smedx.core import exports
from smedx.core.creditcode import make_credit_code
from smedx.core.models import ExportJob
from smedx.enterprises.exports import KIND as ENTERPRISES
from smedx.enterprises.management.commands.bench_import import bench_officer, peak_mb
from smedx.enterprises.models import Enterprise, Tag
from smedx.enterprises.services.casefile import derive

CODE_KIND = "93"
BATCH = 5000


class Command(BaseCommand):
    help = "Top the case files up to N, export them all as the city would; print rows/s, memory and size."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=100_000)

    def handle(self, *args, rows, **options):
        started = perf_counter()
        made = top_up(rows, random.Random(1))
        self.stdout.write(
            f"case files: {Enterprise.objects.count()} ({made} generated in {perf_counter() - started:.1f} s)"
        )
        actor = bench_officer()
        started = perf_counter()
        job = exports.start_export(actor=actor, kind=ENTERPRISES.name, query=QueryDict())
        decided = perf_counter() - started
        started, cpu = perf_counter(), process_time()
        job = exports.run_export(job)
        seconds, cpu = perf_counter() - started, process_time() - cpu
        if job.status != ExportJob.Status.DONE:
            raise CommandError(f"the export failed: {job.error}")
        self.stdout.write(f"database: {connection.vendor}")
        self.stdout.write(
            f"inline or background decided in {decided * 1000:.0f} ms (background: {job.in_background})"
        )
        self.stdout.write(
            f"exported {job.rows_done} rows in {seconds:.1f} s ({job.rows_done / seconds:,.0f} rows/s)"
        )
        # This process's CPU alone: on a shared machine the wall time also counts others' work.
        self.stdout.write(f"CPU: {cpu:.1f} s ({job.rows_done / cpu:,.0f} rows per CPU second)")
        self.stdout.write(f"file: {job.file.size / 2**20:.1f} MB; peak memory: {peak_mb():.0f} MB")
        job.file.delete(save=False)
        job.delete()


def top_up(rows: int, rng: random.Random) -> int:
    """Generated case files until there are `rows`, a third of them tagged."""
    missing = rows - Enterprise.objects.count()
    if missing <= 0:
        return 0
    districts = list(Region.objects.filter(parent__isnull=False))
    taken = Enterprise.objects.filter(credit_code__startswith=CODE_KIND).count()
    tags = list(Tag.objects.all())
    Through = Enterprise.tags.through
    for start in range(taken, taken + missing, BATCH):
        batch = []
        for serial in range(start, min(start + BATCH, taken + missing)):
            region = districts[serial % len(districts)]
            enterprise = Enterprise(
                name=f"基准导出企业{serial}",
                credit_code=make_credit_code(region.code, serial, CODE_KIND),
                region=region,
                industry_division=rng.choice(["13", "14", "34", "36", "39", "65"]),
                employees=rng.randint(1, 2000),
                revenue=round(rng.uniform(10, 50000), 2),
                above_scale=rng.random() < 0.3,
                contact_name="李四",
                contact_phone=f"139{rng.randint(0, 99_999_999):08d}",
                address=f"{region.name}测试路{serial}号",
            )
            derive(enterprise)
            batch.append(enterprise)
        Enterprise.objects.bulk_create(batch)
        if tags:
            created = Enterprise.objects.filter(credit_code__in=[e.credit_code for e in batch[::3]])
            Through.objects.bulk_create(
                Through(enterprise_id=pk, tag_id=rng.choice(tags).pk)
                for pk in created.values_list("pk", flat=True)
            )
    return missing
