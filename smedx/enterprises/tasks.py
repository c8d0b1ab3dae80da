"""Background work of the enterprise import: large files are checked and written by the task worker.

Small files run inside the request (the user sees the result at once); files with more than
settings.IMPORT_INLINE_ROWS rows go to the queue and the job page polls their progress.
"""

from django.tasks import task

from smedx.enterprises.models import ImportJob
from smedx.enterprises.services import imports


@task
def validate_import(job_id: int) -> None:
    imports.validate_job(ImportJob.objects.get(pk=job_id))


@task
def commit_import(job_id: int) -> None:
    imports.commit_job(ImportJob.objects.get(pk=job_id))


def check_import(job: ImportJob) -> ImportJob:
    """Check a new upload now, or queue it when it is large."""
    if job.runs_in_background:
        validate_import.enqueue(job.pk)
        job.refresh_from_db()  # a worker may already be on it (or done, with the inline test backend)
        return job
    return imports.validate_job(job)


def run_import(*, job: ImportJob, actor) -> ImportJob:
    """Reserve a checked file for writing (refused twice), then write it now or in the worker."""
    job = imports.claim_job(job=job, actor=actor)
    if job.runs_in_background:
        commit_import.enqueue(job.pk)
        job.refresh_from_db()
        return job
    return imports.commit_job(job)
