"""gunicorn's settings for scripts/serve-production (docs/deployment.md); the environment adjusts them."""

import os

from config.env import env_int, env_str

bind = env_str("BIND", "127.0.0.1:8000")
# Sync workers, one request at a time each: pages are rendered in Python and wait on the database,
# so 2 × cores + 1 processes keep the cores busy while some of them wait. Slow clients are the
# reverse proxy's to buffer (nginx or the load balancer in front), not the workers'.
workers = env_int("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1)
# The diagnosis-report PDF and large Excel exports take seconds; anything past this is stuck.
timeout = env_int("WEB_TIMEOUT", 60)
graceful_timeout = 30
# Recycle each worker after about this many requests, so memory held by PDF and Excel work returns.
max_requests = env_int("WEB_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
# Load the application once in the master and fork the workers from it: they start in a moment and
# share its memory. Nothing connects to the database at import, so no connection is shared; a new
# release needs a restart of the service (SIGHUP would keep the loaded code).
preload_app = True
accesslog = "-"
# gunicorn 26+ opens a control socket in the home directory, one path for every instance: off, since
# nothing here uses it and two servers on one machine would fight over it.
control_socket_disable = True


def when_ready(server):
    """Import every view and the API's schemas in the master, before any worker is forked: otherwise
    each new worker (also those recycled by max_requests) pays a second or more on its first request."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (the import is the point)
