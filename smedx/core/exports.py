"""Excel exports of any size, one way for every app: a job row, written in the request or by the worker.

An app declares what it exports as `ExportKind`s in its hooks (`exports`). Starting an export saves the
page's filters on a new `ExportJob` and counts the rows up to `EXPORT_INLINE_ROWS` + 1 (a bounded count,
cheap whatever the list's size): a small list is written at once and sent back in the same request;
a larger one goes to the task worker (`core.tasks.write_export`) and the job's page polls its progress.

The worker runs the kind's rows again from the saved filters as the owner, after checking again that
the owner may still export them, so the file holds exactly what the owner's page lists at that moment.
Rows are streamed from the database (`iterator`) into a write-only workbook on a temporary file, and
`rows_done` is updated every `EXPORT_PROGRESS_ROWS` rows outside any transaction, so the polling page
sees it move. The file is stored under MEDIA_ROOT/exports/ and deleted after `EXPORT_KEEP_DAYS` days by
the daily job `delete_old_exports`. Only the owner downloads it.
"""

import logging
import tempfile
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from smedx.core import audit, excel, frame, uploads
from smedx.core.errors import DomainError
from smedx.core.models import ExportJob
from smedx.core.notifications import notify

logger = logging.getLogger(__name__)
CHUNK = 2000  # rows fetched from the database at a time (and prefetched per chunk)
NOT_FILTERS = {"page", "csrfmiddlewaretoken"}


def kind_of(name: str) -> frame.ExportKind:
    kind = frame.export_kinds().get(name)
    if kind is None:
        raise DomainError(_("This list can no longer be exported."))
    return kind


def saved_filters(query) -> dict[str, list[str]]:
    """The page's filters (a QueryDict) as JSON: {name: [values]}, without paging or empty values."""
    return {
        name: values
        for name, values in query.lists()
        if name not in NOT_FILTERS and any(value != "" for value in values)
    }


def filters_query(params: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, values in params.items():
        query.setlist(name, values)
    return query


def start_export(*, actor, kind: str, query, ip=None) -> ExportJob:
    """A new export of `kind` filtered by `query`; small ones are marked to run in the request."""
    spec = kind_of(kind)
    if not actor.has_right(spec.right):
        raise DomainError(_("You may not export this list."))
    params = saved_filters(query)
    limit = settings.EXPORT_INLINE_ROWS
    # At most limit + 1 rows are counted: a city-wide list costs no more to decide than a small one.
    count = spec.rows(actor, filters_query(params)).order_by()[: limit + 1].count()
    small = count <= limit
    with transaction.atomic():
        job = ExportJob.objects.create(
            owner=actor,
            kind=kind,
            params=params,
            language=translation.get_language() or "",
            in_background=not small,
            rows_total=count if small else None,
        )
        audit.record(
            "core.export.started",
            actor=actor,
            obj=job,
            ip=ip,
            data={"filters": urlencode(params, doseq=True), "background": not small},
        )
    return job


def run_export(job: ExportJob) -> ExportJob:
    """Write the file of a waiting export (in the request or the worker); a job already taken is left."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().select_related("owner").get(pk=job.pk)
        if job.status != ExportJob.Status.QUEUED:
            return job
        job.status = ExportJob.Status.RUNNING
        job.save(update_fields=["status"])
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            written = _write(job)
        except DomainError as exc:
            return _fail(job, str(exc))
        except Exception:
            logger.exception("export %s (%s) failed", job.pk, job.kind)
            return _fail(job, _("The export failed because of an internal error. Please try again."))
        if job.in_background:
            notify(
                [job.owner],
                verb="core.export.done",
                title=_("Your export %(name)s is ready to download (%(rows)s rows).")
                % {"name": job.title, "rows": written},
                url=reverse("core:export_detail", args=[job.pk]),
            )
    job.refresh_from_db()
    return job


def _write(job: ExportJob) -> int:
    spec = kind_of(job.kind)
    owner = job.owner
    if not owner.is_active or not owner.has_right(spec.right):
        raise DomainError(_("You may no longer export this list."))
    rows = spec.rows(owner, filters_query(job.params))
    total = rows.count()
    ExportJob.objects.filter(pk=job.pk).update(rows_total=total)
    columns = spec.columns()
    values = (
        [value(row) for _header, value in columns] for row in spec.prepare(rows).iterator(chunk_size=CHUNK)
    )
    with tempfile.TemporaryFile() as out:
        written = excel.write_table(
            out,
            spec.title,
            [header for header, _value in columns],
            values,
            progress=lambda done: _progress(job, done),
            every=settings.EXPORT_PROGRESS_ROWS,
        )
        out.seek(0)
        job.file.save(f"{uuid.uuid4().hex}.xlsx", File(out), save=False)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.DONE,
        file=job.file.name,
        rows_done=written,
        rows_total=written,
        finished_at=timezone.now(),
    )
    return written


def _progress(job: ExportJob, done: int) -> None:
    # Outside any transaction, so the page polling from another connection sees it move.
    ExportJob.objects.filter(pk=job.pk).update(rows_done=done)


def _fail(job: ExportJob, message: str) -> ExportJob:
    if job.file:
        job.file.delete(save=False)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.FAILED, error=message, file="", finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def file_name(job: ExportJob) -> str:
    """企业-20260301-0930.xlsx: the list's name in the reader's language, then when it was asked for."""
    return f"{job.title}-{timezone.localtime(job.created_at):%Y%m%d-%H%M}.xlsx"


def download(*, job: ExportJob, actor, ip=None):
    """The file of a finished export, for its owner only; each download is audited."""
    if job.owner_id != actor.pk:
        raise DomainError(_("Only the person who asked for an export downloads it."))
    if not job.is_done:
        raise DomainError(_("This export has no file to download."))
    response = uploads.download(
        job.file, filename=file_name(job), content_type=uploads.TYPES["xlsx"].content_type
    )
    with transaction.atomic():
        ExportJob.objects.filter(pk=job.pk, downloaded_at__isnull=True).update(downloaded_at=timezone.now())
        audit.record("core.export.downloaded", actor=actor, obj=job, ip=ip, data={"rows": job.rows_done})
    return response


def delete_old_exports() -> int:
    """The daily job: exports older than EXPORT_KEEP_DAYS go, their files first."""
    cutoff = timezone.now() - timedelta(days=settings.EXPORT_KEEP_DAYS)
    old = ExportJob.objects.filter(created_at__lt=cutoff)
    count = 0
    for job in old.iterator(chunk_size=CHUNK):
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    return count
