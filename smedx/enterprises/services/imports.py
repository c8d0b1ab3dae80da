"""The enterprise import's steps: store an upload, check it, reserve it, write it all or nothing.

Checking streams the uploaded workbook once (openpyxl read-only), keeps the problems and saves the
cell texts as a gzipped CSV. Writing reads those texts, checks every row again (the database may
have changed meanwhile) and inserts in batches inside one transaction. Only the credit codes seen
so far are held for the whole file; rows are held a batch at a time.
"""

import csv
import gzip
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from django.core.files import File
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from smedx.core import audit, tallies, uploads
from smedx.core.errors import DomainError
from smedx.core.notifications import notify
from smedx.enterprises import tallies as enterprise_tallies
from smedx.enterprises.models import Enterprise, ImportJob
from smedx.enterprises.services.casefile import derive
from smedx.enterprises.workbook import BY_KEY, CHUNK, COLUMNS, RIGHT, FileError, Report, RowChecker, read_rows

# --- checking the whole file ------------------------------------------------------------------


def _checked_batches(job, records, report, progress=None):
    """Check (row number, texts) records and yield them CHUNK at a time, duplicates flagged."""
    checker, seen, batch, count = RowChecker(job.organisation), {}, [], 0
    for number, texts in records:
        row = checker.check(number, texts, report)
        code = row.facts.get("credit_code")
        if code is not None:
            first = seen.setdefault(code, number)
            if first != number:
                row.ok = False
                report.error(
                    number,
                    BY_KEY["credit_code"].title,
                    _("Same credit code as row %(row)d.") % {"row": first},
                )
        batch.append(row)
        count += 1
        if len(batch) >= CHUNK:
            yield _flag_existing(batch, report)
            batch = []
            if progress:
                progress(count)
    if batch:
        yield _flag_existing(batch, report)
    if progress:
        progress(count)


# The cell texts of a checked file are kept as a gzipped CSV next to it, so that writing re-checks
# them without parsing the workbook's XML a second time (the slowest part of an import).
KEYS = [column.key for column in COLUMNS]


def _saving_texts(records, sink):
    writer = csv.writer(sink)
    for number, texts in records:
        writer.writerow([number, *(texts.get(key, "") for key in KEYS)])
        yield number, texts


def _saved_texts(job):
    with job.rows_file.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8", newline="") as text:
        for number, *texts in csv.reader(text):
            yield int(number), dict(zip(KEYS, texts, strict=True))


def _workbook_texts(job, report):
    with job.file.open("rb") as fileobj:
        yield from read_rows(fileobj, report)


def _flag_existing(batch, report):
    """One query per batch for the credit codes already on the platform."""
    by_code = defaultdict(list)
    for row in batch:
        if "credit_code" in row.facts:
            by_code[row.facts["credit_code"]].append(row)
    existing = Enterprise.objects.filter(credit_code__in=list(by_code)).values_list("credit_code", flat=True)
    for code in existing:
        for row in by_code[code]:
            row.ok = False
            report.error(
                row.number,
                BY_KEY["credit_code"].title,
                _("An enterprise with the code %(code)s is already on the platform.") % {"code": code},
            )
    return batch


def create_import(*, actor, upload, rows: int) -> ImportJob:
    """Store an uploaded file as a new import of the actor's organisation; nothing is checked yet."""
    if not actor.has_right(RIGHT):
        raise DomainError(_("You may not import enterprises."))
    job = ImportJob(
        original_name=uploads.original_name(upload),
        organisation=actor.organisation,
        created_by=actor,
        total_rows=rows,
    )
    uploads.store(job.file, upload, kind="xlsx")
    job.save()
    return job


def validate_job(job: ImportJob) -> ImportJob:
    """Check every row of an uploaded file and store the problems; writes no enterprise."""
    with transaction.atomic():
        job = (
            ImportJob.objects.select_for_update(of=("self",))
            .select_related("organisation__region")
            .get(pk=job.pk)
        )
        if job.status != ImportJob.Status.UPLOADED:
            raise DomainError(_("This file has already been checked."))
        job.status = ImportJob.Status.VALIDATING
        job.save(update_fields=["status"])
    report, count = Report(), 0

    def progress(rows):
        nonlocal count
        count = rows
        # Outside any transaction, so the page polling from another connection sees it move.
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=rows, total_rows=max(rows, job.total_rows))

    try:
        with tempfile.TemporaryFile() as saved:
            with gzip.open(saved, "wt", compresslevel=1, encoding="utf-8", newline="") as sink:
                records = _saving_texts(_workbook_texts(job, report), sink)
                for _batch in _checked_batches(job, records, report, progress):
                    pass
            if count and not report.error_count:
                saved.seek(0)
                job.rows_file.save(f"{Path(job.file.name).stem}.rows.csv.gz", File(saved), save=False)
    except FileError as exc:
        report.error(None, "", exc)
    except Exception:
        _fail(job, _("The file could not be checked because of an internal error."))
        raise
    if count == 0 and not report.error_count:
        report.error(None, "", _("The file has no enterprise rows."))
    return _finish_validation(job, report, count)


def _finish_validation(job, report, count):
    job.status = ImportJob.Status.INVALID if report.error_count else ImportJob.Status.VALID
    job.total_rows = job.processed_rows = count
    job.error_count, job.warning_count = report.error_count, report.warning_count
    job.errors, job.warnings = report.sorted(report.errors), report.sorted(report.warnings)
    job.finished_at = timezone.now()
    job.save(update_fields=[
        "status", "total_rows", "processed_rows", "error_count", "warning_count", "errors", "warnings",
        "finished_at", "rows_file",
    ])  # fmt: skip
    audit.record(
        "enterprises.import.validated",
        actor=job.created_by,
        obj=job,
        organisation=job.organisation,
        data={"rows": count, "errors": report.error_count, "warnings": report.warning_count},
    )
    if job.runs_in_background:
        notify(
            [job.created_by],
            verb="enterprises.import.validated",
            title=_("The file %(name)s has been checked: %(errors)d errors.")
            % {"name": job.original_name, "errors": report.error_count},
            url=reverse("enterprises:import_detail", args=[job.pk]),
        )
    return job


def claim_job(*, job: ImportJob, actor) -> ImportJob:
    """Reserve a checked file for writing. A second click, or a second officer, is refused."""
    if not actor.has_right(RIGHT):
        raise DomainError(_("You may not import enterprises."))
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status in (ImportJob.Status.COMMITTING, ImportJob.Status.COMMITTED):
            raise DomainError(_("This file has already been imported or is being imported."))
        if job.status != ImportJob.Status.VALID:
            raise DomainError(_("Only a checked file without errors can be imported."))
        job.status = ImportJob.Status.COMMITTING
        job.committed_by = actor
        job.processed_rows = 0
        job.save(update_fields=["status", "committed_by", "processed_rows"])
    return job


class _Rollback(Exception):
    pass


def commit_job(job: ImportJob) -> ImportJob:
    """Write every row of a claimed file in one transaction, or none of them.

    The file is checked again as it is written: another import or a colleague may have filed one of
    these enterprises since the check. Any problem rolls the whole file back and is listed on the job.
    Progress is not visible while this runs: the rows only exist for others once the transaction
    commits, so the page shows the phase "writing" instead of a count.
    """
    report = Report()
    try:
        with transaction.atomic():
            job = (
                ImportJob.objects.select_for_update(of=("self",))
                .select_related("organisation__region")
                .get(pk=job.pk)
            )
            if job.status != ImportJob.Status.COMMITTING:
                raise DomainError(_("This file has already been imported or is being imported."))
            records = _saved_texts(job) if job.rows_file else _workbook_texts(job, report)
            written, links = _write_all(job, records, report)
            if report.error_count:
                raise _Rollback
            job.status, job.processed_rows, job.finished_at = (
                ImportJob.Status.COMMITTED,
                written,
                timezone.now(),
            )
            job.save(update_fields=["status", "processed_rows", "finished_at"])
            audit.record(
                "enterprises.import.committed",
                actor=job.committed_by,
                obj=job,
                organisation=job.organisation,
                data={"rows": written, "tags": links, "file": job.original_name},
            )
    except _Rollback:
        return _fail(job, _("Nothing was written: some rows no longer pass the checks."), report)
    except IntegrityError:
        return _fail(
            job, _("Nothing was written: another import filed some of these enterprises at the same time.")
        )
    except FileError as exc:
        return _fail(job, _("Nothing was written: %(reason)s") % {"reason": exc})
    except DomainError:
        raise
    except Exception:
        _fail(job, _("Nothing was written because of an internal error."))
        raise
    _drop_saved_texts(job)
    if job.runs_in_background:
        notify(
            [job.committed_by],
            verb="enterprises.import.committed",
            title=_("%(rows)d enterprises imported from %(name)s.")
            % {"rows": written, "name": job.original_name},
            url=reverse("enterprises:import_detail", args=[job.pk]),
        )
    return job


def _write_all(job, records, report) -> tuple[int, int]:
    written = links = 0
    for batch in _checked_batches(job, records, report):
        if report.error_count:
            continue  # keep reading to list every problem; the transaction is rolled back anyway
        enterprises = []
        for row in batch:
            enterprise = Enterprise(**row.facts)
            derive(enterprise)
            enterprises.append(enterprise)
        Enterprise.objects.bulk_create(enterprises, batch_size=CHUNK)
        tallies.change(sum((enterprise_tallies.snapshot(e) for e in enterprises), Counter()))
        links += _link_tags(enterprises, batch)
        written += len(enterprises)
    return written, links


def _link_tags(enterprises, batch) -> int:
    if enterprises and enterprises[0].pk is None:  # a database that cannot return ids from bulk inserts
        ids = dict(
            Enterprise.objects.filter(credit_code__in=[e.credit_code for e in enterprises]).values_list(
                "credit_code", "pk"
            )
        )
        for enterprise in enterprises:
            enterprise.pk = ids[enterprise.credit_code]
    through = Enterprise.tags.through
    rows = [
        through(enterprise_id=enterprise.pk, tag_id=tag_id)
        for enterprise, row in zip(enterprises, batch, strict=True)
        for tag_id in row.tag_ids
    ]
    through.objects.bulk_create(rows, batch_size=CHUNK)
    return len(rows)


def _fail(job, message, report=None) -> ImportJob:
    fields = {"status": ImportJob.Status.FAILED, "message": str(message), "finished_at": timezone.now()}
    if report is not None:
        fields |= {
            "error_count": report.error_count,
            "errors": report.sorted(report.errors),
            "warning_count": report.warning_count,
            "warnings": report.sorted(report.warnings),
        }
    ImportJob.objects.filter(pk=job.pk).update(**fields)
    job.refresh_from_db()
    _drop_saved_texts(job)
    return job


def _drop_saved_texts(job):
    """The saved texts hold personal data twice over; once the file is written or refused, go."""
    if job.rows_file:
        job.rows_file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(rows_file="")
