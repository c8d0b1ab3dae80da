"""Time the pages people open every day against their floors. Figures only, no pass/fail.

    manage.py bench_pages [--repeat 5] [--json path]

Logs in as each demo persona (run seed_demo first), requests every page of `smedx.demo.pages` once to
warm up, once more to count its SQL queries (printed beside the page's declared `max_queries`), then R
times more; prints the median server time (the wall time of the test client's request, in the process,
DEBUG off) beside the median time of the page's floor run through a raw cursor, and their ratio. The
row counts of the main tables say what scale the figures are for.
"""

import json
import os
import statistics
import unicodedata
from time import perf_counter
from urllib.parse import unquote

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from smedx.accounts.models import User
from smedx.assessments.models import Assessment
from smedx.core.models import AuditEntry
from smedx.demo.pages import PAGES, Objects
from smedx.enterprises.models import Enterprise
from smedx.projects.models import Project

COLUMNS = [  # heading, key, width, left-aligned, format
    ("page", "page", 26, True, "{}"),
    ("persona", "persona", 16, True, "{}"),
    ("status", "status", 6, False, "{}"),
    ("page ms", "ms", 9, False, "{:.1f}"),
    ("queries", "queries", 7, False, "{}"),
    ("max q", "max_queries", 5, False, "{}"),
    ("floor ms", "floor_ms", 9, False, "{:.2f}"),
    ("floor q", "floor_queries", 7, False, "{}"),
    ("ratio", "ratio", 7, False, "{:.0f}×"),
    ("path", "path", 0, True, "{}"),
]


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = perf_counter()
        fn()
        times.append(perf_counter() - start)
    return statistics.median(times)


def run_floor(statements) -> None:
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            cursor.fetchall()


def pad(text: str, width: int, left: bool) -> str:
    """`text` padded to `width` terminal columns (a Chinese character takes two)."""
    wide = sum(unicodedata.east_asian_width(c) in "WF" for c in text)
    return text.ljust(width - wide) if left else text.rjust(width - wide)


def host() -> str:
    """A host name the settings allow, so the client's requests pass ALLOWED_HOSTS."""
    for name in settings.ALLOWED_HOSTS:
        if name and "*" not in name:
            return name.lstrip(".")
    return "localhost"


class Command(BaseCommand):
    help = "Time the daily pages of each demo persona against the bare SQL each needs."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=5, help="timed requests per page (default 5)")
        parser.add_argument("--json", dest="json_path", help="also write the figures to this file")

    def handle(self, *args, repeat, json_path, **options):
        if settings.DEBUG:
            raise CommandError("DEBUG is on: the figures would include Django's debug work. Unset DEBUG.")
        if repeat < 1:
            raise CommandError("--repeat must be at least 1")
        objects = Objects()
        counts = {
            "enterprises": Enterprise.objects.count(),
            "assessments": Assessment.objects.count(),
            "projects": Project.objects.count(),
            "audit entries": AuditEntry.objects.count(),
        }
        self.stdout.write(
            f"{connection.vendor} {connection.settings_dict['NAME']}: "
            + ", ".join(f"{n:,} {name}" for name, n in counts.items())
            + f"; median of {repeat} requests after a warm-up and a counted one; "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        clients = {}
        rows = [self.measure(page, objects, clients, repeat) for page in PAGES]
        for client in clients.values():
            client.logout()
        self.print_table(rows)
        if json_path:
            data = {"database": connection.vendor, "counts": counts, "repeat": repeat, "pages": rows}
            with open(json_path, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False, indent=2)

    def client_for(self, persona, objects, clients) -> Client:
        if persona not in clients:
            try:
                user = objects.user(persona)
            except User.DoesNotExist:
                raise CommandError(f"No user {persona!r}: run seed_demo first.") from None
            clients[persona] = Client(HTTP_HOST=host())
            clients[persona].force_login(user)
        return clients[persona]

    def measure(self, page, objects, clients, repeat) -> dict:
        row = {
            "page": page.name,
            "persona": page.persona,
            "url": page.url(objects),
            "max_queries": page.max_queries,
        }
        if row["url"] is None:
            return {**row, "status": "none", "path": "no object in the database"}
        row["path"] = unquote(row["url"])
        client = self.client_for(page.persona, objects, clients)
        # After the warm-up (which may store what a page computes once), one request counts the
        # queries, as test_page_queries does; the timed requests run without capturing them.
        client.get(row["url"])
        with CaptureQueriesContext(connection) as queries:
            row["status"] = client.get(row["url"]).status_code
        row["queries"] = len(queries)
        row["ms"] = median_time(lambda: client.get(row["url"]), repeat) * 1000
        statements = page.floor(objects)
        run_floor(statements)
        row["floor_queries"] = len(statements)
        row["floor_ms"] = median_time(lambda: run_floor(statements), repeat) * 1000
        row["ratio"] = row["ms"] / row["floor_ms"] if row["floor_ms"] else None
        return row

    def print_table(self, rows):
        self.stdout.write("  ".join(pad(h, width, left) for h, _key, width, left, _fmt in COLUMNS).rstrip())
        for row in rows:
            cells = []
            for _heading, key, width, left, fmt in COLUMNS:
                value = row.get(key)
                text = "—" if value is None else value if isinstance(value, str) else fmt.format(value)
                cells.append(pad(text, width, left))
            self.stdout.write("  ".join(cells).rstrip())
