"""Measure the Excel import: generate N valid rows, then check and write them as the web does.

    manage.py bench_import --rows 100000

Run it on a scratch database, or with --rollback: it adds N enterprises (credit codes of registration kind 92, chosen
not to collide with what is there) and an officer of a test authority.

The floor, measured on the same file in the same run: reading it with openpyxl alone (read-only,
`iter_rows(values_only=True)`), which every import must do before it can check a row.
"""

import random
import resource
import tempfile
import zipfile
from pathlib import Path
from time import perf_counter

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from smedx.accounts.models import Membership, Organisation, Region, User
from smedx.core import excel
from smedx.core.creditcode import make_credit_code
from smedx.enterprises import workbook
from smedx.enterprises.models import Enterprise, ImportJob
from smedx.enterprises.reference import industries
from smedx.enterprises.services import imports

KIND = "92"  # 个体工商户: kept apart from the demo and test data, which use 91


class Command(BaseCommand):
    help = "Generate an .xlsx of N valid enterprises, check and import it; print the timings."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--no-dimension",
            action="store_true",
            help="keep openpyxl's streamed file as is, without the size that Excel and WPS declare",
        )
        parser.add_argument(
            "--rollback",
            action="store_true",
            help="leave the database as it was: write the rows, then roll the whole import back",
        )

    def handle(self, *args, rows, seed, no_dimension, rollback, **options):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"bench-{rows}.xlsx"
            started = perf_counter()
            generate(path, rows, random.Random(seed))
            if not no_dimension:
                declare_dimension(path, rows + 1, len(workbook.COLUMNS))
            timings = {"generate": perf_counter() - started}
            self.report_memory("generated", path.stat().st_size)
            floor = read_floor(path)
            if rollback:
                with transaction.atomic():
                    job = self.run_import(path, timings)
                    transaction.set_rollback(True)
                job.file.delete(save=False)  # the stored upload outlives the rolled-back row
                vacuum_after_rollback()
            else:
                job = self.run_import(path, timings)

        total = sum(timings.values())
        self.stdout.write(f"rows: {job.processed_rows}")
        for phase, seconds in timings.items():
            self.stdout.write(f"{phase}: {seconds:.1f} s ({rows / seconds:,.0f} rows/s)")
        both = timings["validate"] + timings["commit"]
        self.stdout.write(f"validate + commit: {both:.1f} s ({rows / both:,.0f} rows/s)")
        self.stdout.write(
            f"floor, reading the file with openpyxl alone: {floor:.1f} s ({rows / floor:,.0f} rows/s); "
            f"validate + commit take {both / floor:.1f}× that"
        )
        self.stdout.write(f"total: {total:.1f} s")
        if rollback:
            self.stdout.write(
                "the import's rows were rolled back (its final COMMIT is not timed), the tables vacuumed"
            )
        self.stdout.write(f"peak memory: {peak_mb():.0f} MB")

    def run_import(self, path: Path, timings: dict) -> ImportJob:
        actor = bench_officer()
        started = perf_counter()
        with open(path, "rb") as fh:
            job = imports.create_import(
                actor=actor, upload=File(fh, name=path.name), rows=workbook.count_rows(fh)
            )
        job = imports.validate_job(job)
        timings["validate"] = perf_counter() - started
        if job.status != ImportJob.Status.VALID:
            raise CommandError(f"validation failed: {job.error_count} errors, first {job.errors[:3]}")
        self.report_memory("validated")

        started = perf_counter()
        job = imports.commit_job(imports.claim_job(job=job, actor=actor))
        timings["commit"] = perf_counter() - started
        if job.status != ImportJob.Status.COMMITTED:
            raise CommandError(f"commit failed: {job.message} {job.errors[:3]}")
        self.report_memory("committed")
        self.stdout.write(f"enterprises in the database after the import: {Enterprise.objects.count():,}")
        return job

    def report_memory(self, phase, size=None):
        extra = f", file {size / 2**20:.1f} MB" if size else ""
        self.stdout.write(f"[{phase}] peak memory so far {peak_mb():.0f} MB{extra}")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def vacuum_after_rollback() -> None:
    """On PostgreSQL the rolled-back rows stay in the tables as dead rows until autovacuum comes by,
    and every scan of the next run would read them: vacuum the tables the import wrote to now
    (not inside a transaction, where PostgreSQL refuses VACUUM: a test's, for one)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    tables = [model._meta.db_table for model in (Enterprise, Enterprise.tags.through, ImportJob)]
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {', '.join(tables)}")


def read_floor(path: Path) -> float:
    """Seconds to read every row's values with openpyxl alone (read-only, values only)."""
    started = perf_counter()
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        for _row in book.worksheets[0].iter_rows(values_only=True):
            pass
    finally:
        book.close()
    return perf_counter() - started


def bench_officer() -> User:
    city = Region.objects.get(parent__isnull=True)
    org, _ = Organisation.objects.get_or_create(
        kind=Organisation.Kind.AUTHORITY,
        name="基准测试（bench_import）",
        defaults={"level": Organisation.Level.CITY, "region": city},
    )
    user, created = User.objects.get_or_create(username="bench-importer", defaults={"display_name": "bench"})
    if created:
        Membership.objects.create(user=user, organisation=org, role=Membership.Role.MEMBER)
    return user


def generate(path: Path, rows: int, rng: random.Random) -> None:
    """Write `rows` valid rows in the template's layout, streaming (write-only workbook)."""
    districts = list(Region.objects.filter(parent__isnull=False).values_list("code", "name"))
    divisions = [code for code in industries() if len(code) == 2]
    taken = set(Enterprise.objects.filter(credit_code__startswith=KIND).values_list("credit_code", flat=True))
    tag_choices = ["", "", "", "", "重点", "潜力", "重点、专精特新"]
    book = excel.new_workbook()
    sheet = book.create_sheet()
    excel.append(sheet, [workbook.header_text(column) for column in workbook.COLUMNS])
    serial = 0
    for index in range(rows):
        code, name = districts[index % len(districts)]
        serial += 1
        while (credit := make_credit_code(code, serial, KIND)) in taken:
            serial += 1
        division = rng.choice(divisions)
        excel.append(sheet, [
            f"基准企业{serial}", credit, name if index % 2 else code, division, "",
            rng.randint(0, 2000), round(rng.uniform(0, 50000), 2), rng.choice(["是", "否"]),
            rng.choice(tag_choices), "李四", f"139{rng.randint(0, 99_999_999):08d}", f"{name}测试路{index}号",
        ])  # fmt: skip
    book.save(path)


def declare_dimension(path: Path, rows: int, columns: int) -> None:
    """Add the <dimension> that Excel and WPS write and openpyxl's streaming writer leaves out.

    Without it openpyxl reads the whole sheet once more on every open just to learn its size.
    """
    ref = f"A1:{get_column_letter(columns)}{rows}".encode()
    copy = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            with source.open(info) as src, target.open(info.filename, "w") as dst:
                first = True
                while chunk := src.read(1 << 20):
                    if first and info.filename.startswith("xl/worksheets/sheet"):
                        chunk = chunk.replace(
                            b"<sheetViews>", b'<dimension ref="' + ref + b'"/><sheetViews>', 1
                        )
                    dst.write(chunk)
                    first = False
    copy.replace(path)
