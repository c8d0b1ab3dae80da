"""Background work of the frame: one task runs one app's daily job by name (see `manage.py run_daily`)."""

from django.tasks import task

from smedx.core import frame


def daily_jobs() -> dict:
    return {job.name: job for job in frame.collect("daily_jobs")}


@task
def run_daily_job(name: str) -> int:
    """Run the daily job `name`; returns how many rows it acted on."""
    return daily_jobs()[name].run()
