"""Load under concurrency: the production server, N clients, the pages people open most.

    manage.py bench_load --clients 20 --duration 10

Starts scripts/serve-production on a free port against this process's database (after
collectstatic, as `make serve` does), or measures a running server given by --url on the same
database. Logs in as the demo personas through the login form, then for each page runs N client
threads for a fixed time (or number of requests) and prints requests per second, latency
percentiles and the page's throughput as a share of a trivial view's (/healthz) in the same server.
Figures only: the clients run on the same cores as the server (docs/performance.md).
"""

import http.client
import itertools
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from smedx.accounts.models import User
from smedx.demo.management.commands.seed_demo import DEMO_PASSWORD
from smedx.enterprises.models import Enterprise

OFFICERS = ("city_officer", "district_officer")
PERSONAS = ("city_officer", "district_officer", "expert", "provider", "enterprise")


@dataclass
class Page:
    name: str
    path: str
    personas: tuple[str | None, ...]  # None: anonymous
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0


def pages(enterprise_id: int) -> list[Page]:
    return [
        Page("healthz (trivial view)", "/healthz", (None,)),
        Page("workbench /", "/", PERSONAS),
        Page("enterprise list", "/enterprises/", OFFICERS),
        Page("case file", f"/enterprises/{enterprise_id}/", ("enterprise", *OFFICERS)),
        Page("officer assessments list", "/assessments/officer/", OFFICERS),
    ]


class Client:
    """One connection to the server with one persona's cookies; gunicorn's sync workers close it after
    every answer, and http.client opens it again for the next request."""

    def __init__(self, base_url: str, cookies: dict[str, str] | None = None):
        parts = urlsplit(base_url)
        kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        self.connection = kind(parts.hostname, parts.port, timeout=60)
        self.cookies = dict(cookies or {})

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.update({name: morsel.value for name, morsel in SimpleCookie(header).items()})
        return response.status, content


def log_in(base_url: str, username: str) -> dict[str, str]:
    """The persona's cookies after posting the login form as a browser does (CSRF cookie first)."""
    client = Client(base_url)
    status, content = client.request("GET", "/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
    if status != 200 or token is None:
        raise CommandError(f"GET /login/ answered {status} without a CSRF token")
    form = {"csrfmiddlewaretoken": token.group(1).decode(), "username": username, "password": DEMO_PASSWORD}
    status, _content = client.request("POST", "/login/", urlencode(form))
    if status != 302 or "sessionid" not in client.cookies:
        raise CommandError(f"logging in as {username} answered {status}: run seed_demo on this database")
    return client.cookies


def run_page(base_url, page, sessions, *, clients, duration, requests):
    """N threads asking for the page until the time or the request budget is spent."""
    lock = threading.Lock()
    counter = itertools.count()  # its next() is atomic in CPython
    deadline = time.perf_counter() + duration

    def more():
        return next(counter) < requests if requests else time.perf_counter() < deadline

    def client_loop(index):
        client = Client(base_url, sessions[page.personas[index % len(page.personas)]])
        while more():
            started = time.perf_counter()
            status, _ = client.request("GET", page.path)
            elapsed = time.perf_counter() - started
            with lock:
                page.latencies.append(elapsed)
                page.errors += status != 200

    threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    page.seconds = time.perf_counter() - started


class Command(BaseCommand):
    help = "Start the production server and measure pages under N concurrent clients (figures only)."

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=20)
        parser.add_argument("--duration", type=float, default=10.0, help="seconds per page")
        parser.add_argument("--requests", type=int, default=0, help="requests per page instead of a duration")
        parser.add_argument("--workers", type=int, help="gunicorn workers (default: 2 × cores + 1)")
        parser.add_argument("--url", help="measure this running server (on the same database) instead")

    def handle(self, *args, clients, duration, requests, workers, url, **options):
        enterprise = demo_enterprise()
        server = None if url else start_server(workers)
        base_url = url or server.url
        try:
            wait_until_up(base_url)
            sessions = {None: {}} | {name: log_in(base_url, name) for name in PERSONAS}
            measured = pages(enterprise.pk)
            self.check_pages(base_url, measured, sessions)
            self.describe(base_url, server, clients, duration, requests)
            for page in measured:
                run_page(base_url, page, sessions, clients=clients, duration=duration, requests=requests)
        finally:
            if server:
                server.stop()
        self.report(measured)

    def check_pages(self, base_url, measured, sessions):
        """Every persona gets its page (200) before anything is timed; this also warms the workers."""
        for page in measured:
            for persona in page.personas:
                status, _ = Client(base_url, sessions[persona]).request("GET", page.path)
                if status != 200:
                    raise CommandError(f"{page.path} answered {status} to {persona or 'anonymous'}")

    def describe(self, base_url, server, clients, duration, requests):
        db = connection.vendor
        workers = server.workers if server else "?"
        amount = f"{requests} requests" if requests else f"{duration:g} s"
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        self.stdout.write(
            f"server {base_url}: gunicorn, {workers} workers, {db} database, "
            f"{Enterprise.objects.count()} enterprises; {os.cpu_count()} cores, load average {load}"
        )
        self.stdout.write(f"{clients} concurrent clients (threads), {amount} per page\n")

    def report(self, measured):
        baseline = throughput(measured[0])
        self.stdout.write(
            f"{'page':<26}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
            f"{'errors':>8}{'÷ healthz':>11}"
        )
        for page in measured:
            p50, p95, p99 = percentiles(page.latencies)
            share = throughput(page) / baseline if baseline else 0
            self.stdout.write(
                f"{page.name:<26}{len(page.latencies):>9}{throughput(page):>9.1f}{p50:>9.0f}{p95:>9.0f}"
                f"{p99:>9.0f}{page.errors:>8}{share:>11.2f}"
            )


def throughput(page: Page) -> float:
    return len(page.latencies) / page.seconds if page.seconds else 0.0


def percentiles(latencies: list[float]) -> tuple[float, float, float]:
    if len(latencies) < 2:
        return (latencies[0] * 1000,) * 3 if latencies else (0.0, 0.0, 0.0)
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[94] * 1000, cuts[98] * 1000


def demo_enterprise() -> Enterprise:
    user = User.objects.filter(username="enterprise").first()
    enterprise = Enterprise.objects.filter(organisation=user.organisation).first() if user else None
    if enterprise is None:
        raise CommandError("no demo enterprise in this database: run `manage.py seed_demo` first")
    return enterprise


@dataclass
class Server:
    process: subprocess.Popen
    url: str
    workers: int

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()


def server_env(workers: int) -> dict[str, str]:
    """This process's database and secret in a server's settings (not a developer's): DEBUG off,
    persistent connections, hashed static files; plain HTTP on the loopback, so no secure cookies."""
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SMEDX_DEV="0",
        SECRET_KEY=settings.SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_COOKIES="0",
        WEB_CONCURRENCY=str(workers),
    )
    return env


def start_server(workers: int | None) -> Server:
    workers = workers or 2 * (os.cpu_count() or 1) + 1
    env = server_env(workers)
    manage = [sys.executable, "manage.py"]
    subprocess.run(
        [*manage, "collectstatic", "--no-input", "-v0"], cwd=settings.BASE_DIR, env=env, check=True
    )
    port = free_port()
    with open(settings.VAR_DIR / "bench_load-server.log", "w") as log:
        process = subprocess.Popen(
            ["scripts/serve-production", "127.0.0.1", str(port)],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,  # the access log
            stderr=log,
        )
    return Server(process, f"http://127.0.0.1:{port}", workers)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(base_url: str, seconds: float = 60) -> None:
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        try:
            if Client(base_url).request("GET", "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise CommandError(f"{base_url}/healthz did not answer within {seconds:g} s (see bench_load-server.log)")
