"""Background work of the frame: the apps' daily jobs by name (see `manage.py run_daily`) and exports."""

from django.tasks import task

from smedx.core import exports, frame
from smedx.core.models import ExportJob


def daily_jobs() -> dict:
    return {job.name: job for job in frame.collect("daily_jobs")}


@task
def run_daily_job(name: str) -> int:
    """Run the daily job `name`; returns how many rows it acted on."""
    return daily_jobs()[name].run()


@task
def write_export(job_id: int) -> int:
    """Write the file of one export; returns the rows written."""
    return exports.run_export(ExportJob.objects.get(pk=job_id)).rows_done


def run_or_queue(job: ExportJob) -> ExportJob:
    """Write a small export now; queue a large one for the worker."""
    if job.in_background:
        write_export.enqueue(job.pk)
        job.refresh_from_db()  # the inline test backend has already written it
        return job
    return exports.run_export(job)
