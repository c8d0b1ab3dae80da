"""Background work of the pool: once a day, list the providers whose public notice is over.

Run daily by the scheduler of the deployment (cron or a systemd timer):
`manage.py list_due_providers`, which queues `list_due` for the task worker.
"""

from django.tasks import task

from smedx.providers import services


@task
def list_due() -> int:
    """List every provider whose notice ended without an open objection; returns how many."""
    return len(services.list_due_providers())
