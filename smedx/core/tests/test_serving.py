"""The production configuration: settings that refuse to start without secrets, static files, the server."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client, SimpleTestCase, override_settings

ROOT = settings.BASE_DIR
STRONG_SECRET = "k7Qm2vX9pL4tR8wZ1nB6cY3hJ5sD0fG-aE_uI7oP2qW9xM4zK1"
SERVER_STATIC = "whitenoise.storage.CompressedManifestStaticFilesStorage"
# What a server reads, printed as JSON by the settings' own process.
SHOW = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "db = s.DATABASES['default']; print(json.dumps({'secure': s.SESSION_COOKIE_SECURE, "
    "'hosts': s.ALLOWED_HOSTS, 'age': db['CONN_MAX_AGE'], 'checks': db['CONN_HEALTH_CHECKS'], "
    "'storages': s.STORAGES, 'debug': s.DEBUG}))"
)


def server_env(var_dir, **values):
    """The environment of a server process: no DEBUG, no developer's flag, nothing from this run."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SMEDX_DEV", "SECRET_KEY"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings", SMEDX_VAR_DIR=str(var_dir), ALLOWED_HOSTS="127.0.0.1"
    )
    env.pop("DATABASE_URL", None)  # a SQLite file in var_dir, never the suite's database
    env.update(values)
    return {k: v for k, v in env.items() if v is not None}


class ServerSettingsTests(SimpleTestCase):
    def setUp(self):
        self.var_dir = tempfile.mkdtemp(prefix="smedx-settings-")
        self.addCleanup(shutil.rmtree, self.var_dir, ignore_errors=True)

    def start(self, code="import django; django.setup()", **env):
        return subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=server_env(self.var_dir, **env),
            capture_output=True,
            text=True,
            timeout=60,
        )

    def assert_refused(self, result, message):
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("ImproperlyConfigured", result.stderr)
        self.assertIn(message, result.stderr)

    def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off(self):
        self.assert_refused(self.start(), "SECRET_KEY is not set")
        self.assertFalse((Path(self.var_dir) / "secret_key").exists())

    def test_it_refuses_a_placeholder_or_short_secret_key(self):
        for secret in ("change-me", "django-insecure-" + STRONG_SECRET, "a" * 60):
            with self.subTest(secret=secret):
                self.assert_refused(self.start(SECRET_KEY=secret), "SECRET_KEY is a placeholder or too weak")

    def test_it_refuses_to_start_without_allowed_hosts(self):
        self.assert_refused(
            self.start(SECRET_KEY=STRONG_SECRET, ALLOWED_HOSTS=""), "ALLOWED_HOSTS is not set"
        )

    def test_a_server_has_secure_cookies_persistent_connections_and_hashed_static_files(self):
        result = self.start(SHOW, SECRET_KEY=STRONG_SECRET, ALLOWED_HOSTS="smedx.example.cn")
        self.assertEqual(result.returncode, 0, result.stderr)
        shown = json.loads(result.stdout)
        self.assertEqual(shown["hosts"], ["smedx.example.cn"])
        self.assertEqual(
            (shown["secure"], shown["age"], shown["checks"], shown["debug"]), (True, 600, True, False)
        )
        self.assertEqual(shown["storages"]["staticfiles"]["BACKEND"], SERVER_STATIC)
        self.assertEqual(
            shown["storages"]["default"]["BACKEND"], "django.core.files.storage.FileSystemStorage"
        )

    def test_debug_still_starts_with_the_generated_local_secret(self):
        result = self.start(SHOW, DEBUG="1", ALLOWED_HOSTS=None)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(json.loads(result.stdout)["hosts"], ["127.0.0.1", "localhost"])
        self.assertTrue((Path(self.var_dir) / "secret_key").exists())

    def test_uploads_go_to_an_s3_bucket_when_the_environment_says_so(self):
        result = self.start(SHOW, SECRET_KEY=STRONG_SECRET, MEDIA_STORAGE="s3", S3_BUCKET="smedx-files")
        self.assertEqual(result.returncode, 0, result.stderr)
        media = json.loads(result.stdout)["storages"]["default"]
        self.assertEqual(media["BACKEND"], "storages.backends.s3.S3Storage")
        self.assertEqual(
            (media["OPTIONS"]["bucket_name"], media["OPTIONS"]["location"]), ("smedx-files", "media")
        )
        self.assert_refused(
            self.start(SECRET_KEY=STRONG_SECRET, MEDIA_STORAGE="nfs"), "MEDIA_STORAGE must be"
        )


class StaticFilesTests(SimpleTestCase):
    """The server's storage, on a small folder of our own so that collectstatic takes a moment."""

    def setUp(self):
        tmp = Path(tempfile.mkdtemp(prefix="smedx-static-"))
        self.addCleanup(shutil.rmtree, tmp, ignore_errors=True)
        (tmp / "src" / "app").mkdir(parents=True)
        (tmp / "src" / "app" / "site.css").write_text("body { color: #333; }\n" * 200)
        self.root = tmp / "static"
        server = override_settings(
            STATICFILES_DIRS=[tmp / "src"],
            STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
            STATIC_ROOT=self.root,
            STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": SERVER_STATIC}},
            WHITENOISE_AUTOREFRESH=False,
            WHITENOISE_USE_FINDERS=False,
        )
        server.enable()
        self.addCleanup(server.disable)
        call_command("collectstatic", interactive=False, verbosity=0)

    def test_collectstatic_writes_hashed_names_with_gzip_and_brotli_copies(self):
        hashed = staticfiles_storage.stored_name("app/site.css")
        self.assertRegex(hashed, r"^app/site\.[0-9a-f]{12}\.css$")
        for suffix in ("", ".gz", ".br"):
            self.assertTrue((self.root / f"{hashed}{suffix}").exists(), suffix)
        self.assertFalse((self.root / "app" / "site.css").exists())  # pages link the hashed name only
        self.assertEqual(staticfiles_storage.url("app/site.css"), f"/static/{hashed}")

    def test_whitenoise_serves_the_compressed_copy_for_good(self):
        url = staticfiles_storage.url("app/site.css")
        response = Client().get(url, headers={"accept-encoding": "gzip, br"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Encoding"], "br")
        self.assertIn("immutable", response["Cache-Control"])
        self.assertEqual(Client().get(url, headers={"accept-encoding": "gzip"})["Content-Encoding"], "gzip")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, seconds):
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status, json.load(response)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "gunicorn").exists(), reason="gunicorn is not installed")
def test_serve_production_starts_answers_healthz_and_stops(tmp_path):
    env = server_env(tmp_path, SECRET_KEY=STRONG_SECRET, WEB_CONCURRENCY="2")
    (tmp_path / "static").mkdir()  # collectstatic's folder; /healthz needs none of its files
    # The task worker's table is all /healthz and the worker need; the whole schema takes much longer.
    manage = [sys.executable, "manage.py"]
    subprocess.run(
        [*manage, "migrate", "django_tasks_database", "-v0"], cwd=ROOT, env=env, check=True, timeout=120
    )
    port = free_port()
    server = subprocess.Popen(
        ["scripts/serve-production", "127.0.0.1", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert wait_for(f"http://127.0.0.1:{port}/healthz", 60) == (200, {"status": "ok", "database": "ok"})
    finally:
        server.send_signal(signal.SIGTERM)
        _, errors = server.communicate(timeout=60)
    assert server.returncode == 0, errors
    assert "Booting worker" in errors
