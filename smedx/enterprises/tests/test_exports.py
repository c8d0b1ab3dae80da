"""The enterprise list's export through the export jobs: at once when small, in the worker when long."""

from datetime import timedelta
from io import BytesIO
from unittest import mock

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from smedx.core import exports
from smedx.core.models import AuditEntry, ExportJob, Notification
from smedx.core.todos import todos_for
from smedx.enterprises.exports import rows as enterprise_rows
from smedx.enterprises.models import Enterprise, Tag
from smedx.testing import PersonaTestCase, make_enterprise

EXPORT = reverse("enterprises:export")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Tests run the tasks inline (ImmediateBackend); the dummy backend keeps them queued, as a busy worker would.
QUEUED = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def sheet_rows(response):
    sheet = load_workbook(BytesIO(response.getvalue()), read_only=True).active
    header, *rows = sheet.iter_rows(values_only=True)
    return header, rows


def detail(job):
    return reverse("core:export_detail", args=[job.pk])


def download(job):
    return reverse("core:export_download", args=[job.pk])


class InlineExportTests(PersonaTestCase):
    def test_it_sends_a_small_list_at_once_and_keeps_the_job(self):
        self.login(self.district)
        response = self.client.post(EXPORT + "?q=测试企业甲", HTTP_ACCEPT_LANGUAGE="zh-hans")
        self.assertEqual(response["Content-Type"], XLSX)
        # A Chinese name for the file, with an ASCII fallback for old clients.
        self.assertIn(
            "filename*=utf-8''%E4%BC%81%E4%B8%9A%E5%90%8D%E5%8D%95-", response["Content-Disposition"]
        )
        _header, rows = sheet_rows(response)
        self.assertEqual([row[0] for row in rows], ["测试企业甲"])
        job = ExportJob.objects.get()
        self.assertEqual((job.status, job.in_background, job.rows_done), (ExportJob.Status.DONE, False, 1))
        self.assertEqual(job.params, {"q": ["测试企业甲"]})
        self.assertIsNotNone(job.downloaded_at)
        codes = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
        self.assertEqual(codes[-2:], ["core.export.started", "core.export.downloaded"])

    def test_it_answers_405_to_a_get(self):
        self.login(self.district)
        self.assertEqual(self.client.get(EXPORT).status_code, 405)


@override_settings(EXPORT_INLINE_ROWS=1)
class BackgroundExportTests(PersonaTestCase):
    def start(self, user, query=""):
        self.login(user)
        response = self.client.post(EXPORT + query)
        job = ExportJob.objects.latest("id")
        self.assertRedirects(response, detail(job))
        return job

    def test_it_writes_a_long_list_in_the_worker_with_the_owners_visibility(self):
        make_enterprise(self.home_region, "渝北第三家")
        job = self.start(self.district)
        self.assertTrue(job.in_background)
        self.assertEqual(job.status, ExportJob.Status.DONE)
        page = self.client.get(detail(job))
        self.assertContains(page, 'data-testid="export-download"')
        self.assertContains(page, "3 of 3 rows written (100%)")
        _header, rows = sheet_rows(self.client.get(download(job)))
        expected = Enterprise.objects.visible_to(self.district).order_by("-created_at", "-id")
        self.assertEqual([row[0] for row in rows], list(expected.values_list("name", flat=True)))
        self.assertNotIn("江北测试企业", [row[0] for row in rows])  # another district's
        self.assertEqual(job.rows_total, 3)

    def test_it_reruns_the_saved_filters(self):
        make_enterprise(self.home_region, "渝北软件公司", industry_division="65")
        make_enterprise(self.other_region, "江北软件公司", industry_division="65")
        job = self.start(self.city, "?division=65&page=2")
        self.assertEqual(job.params, {"division": ["65"]})
        _header, rows = sheet_rows(self.client.get(download(job)))
        self.assertEqual({row[0] for row in rows}, {"渝北软件公司", "江北软件公司"})
        filtered = enterprise_rows(self.city, exports.filters_query(job.params))
        self.assertEqual(len(rows), filtered.count())

    def test_it_writes_the_tags_of_each_enterprise_with_a_bounded_number_of_queries(self):
        key = Tag.objects.get_or_create(name="重点")[0]
        for n in range(12):
            make_enterprise(self.home_region, f"带标签{n}").tags.add(key)
        self.login(self.district)
        with CaptureQueriesContext(connection) as few:
            self.client.post(EXPORT + "?q=测试企业")
        with CaptureQueriesContext(connection) as many:
            self.client.post(EXPORT)
        self.assertEqual(len(many), len(few))  # 14 rows cost what 2 rows cost: no query per row
        two = Tag.objects.order_by("id")[:2]
        make_enterprise(self.home_region, "两个标签").tags.add(*reversed(two))
        self.client.post(EXPORT)
        header, rows = sheet_rows(self.client.get(download(ExportJob.objects.latest("id"))))
        tags = {row[0]: row[header.index("Tags")] for row in rows}
        self.assertEqual({tags[f"带标签{n}"] for n in range(12)}, {"重点"})
        self.assertEqual(tags["两个标签"], "、".join(tag.name for tag in two))  # by tag id, as the case file
        self.assertIsNone(tags["测试企业甲"])  # no tags: an empty cell

    def test_it_tells_the_owner_and_lists_the_file_on_the_workbench_until_downloaded(self):
        with self.captureOnCommitCallbacks(execute=True):
            job = self.start(self.district)
        note = Notification.objects.get(recipient=self.district, verb="core.export.done")
        self.assertEqual(note.url, detail(job))
        self.assertEqual(
            [t.count for t in todos_for(self.district) if t.url == reverse("core:export_list")], [1]
        )
        self.assertContains(self.client.get(reverse("workbench:home")), "Exports ready to download")
        self.client.get(download(job))
        self.assertEqual([t for t in todos_for(self.district) if t.url == reverse("core:export_list")], [])

    def test_it_gives_the_file_and_the_page_to_the_owner_only(self):
        job = self.start(self.district)
        for user in (self.city, self.other_district, self.enterprise_user, self.outsider):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(download(job)).status_code, 403)
                self.assertEqual(self.client.get(detail(job)).status_code, 403)
        self.client.logout()
        self.assertRedirects(self.client.get(download(job)), f"{reverse('login')}?next={download(job)}")
        self.assertFalse(AuditEntry.objects.filter(action="core.export.downloaded").exists())

    def test_it_lists_the_owners_exports_only(self):
        mine = self.start(self.district)
        self.start(self.city)
        self.login(self.district)
        self.assertEqual(list(self.client.get(reverse("core:export_list")).context["jobs"]), [mine])

    def test_it_moves_the_progress_every_few_rows(self):
        for n in range(4):
            make_enterprise(self.home_region, f"进度{n}")
        with (
            override_settings(EXPORT_PROGRESS_ROWS=2),
            mock.patch.object(exports, "_progress", wraps=exports._progress) as progress,
        ):
            job = self.start(self.district)
        self.assertEqual([call.args[1] for call in progress.call_args_list], [2, 4, 6])
        self.assertEqual((job.rows_done, job.rows_total, job.percent), (6, 6, 100))

    def test_it_shows_a_failure_with_a_message(self):
        with (
            mock.patch("smedx.core.excel.write_table", side_effect=RuntimeError("disk full")),
            self.assertLogs("smedx.core.exports", "ERROR"),
        ):
            job = self.start(self.district)
        self.assertEqual(job.status, ExportJob.Status.FAILED)
        self.assertFalse(job.file)
        page = self.client.get(detail(job))
        self.assertContains(page, "The export failed because of an internal error. Please try again.")
        self.assertNotContains(page, 'data-testid="export-download"')
        self.assertEqual(self.client.get(download(job)).status_code, 302)  # back to the page, with why


@override_settings(EXPORT_INLINE_ROWS=1, TASKS=QUEUED)
class QueuedExportTests(PersonaTestCase):
    def queue(self, user=None):
        self.login(user or self.district)
        self.client.post(EXPORT)
        return ExportJob.objects.latest("id")

    def test_it_shows_the_waiting_job_and_polls_it(self):
        job = self.queue()
        page = self.client.get(detail(job))
        self.assertContains(page, "Waiting for the task worker…")
        self.assertContains(page, f'hx-get="{detail(job)}"')
        poll = self.client.get(detail(job), HTTP_HX_REQUEST="true")
        self.assertTemplateUsed(poll, "core/_export_progress.html")
        exports.run_export(job)
        done = self.client.get(detail(job), HTTP_HX_REQUEST="true")
        self.assertEqual(done["HX-Refresh"], "true")

    def test_it_checks_the_owners_right_again_when_the_worker_runs(self):
        job = self.queue()
        self.district.organisation.status = "pending"
        self.district.organisation.save(update_fields=["status"])
        job = exports.run_export(job)
        self.assertEqual(
            (job.status, job.error), (ExportJob.Status.FAILED, "You may no longer export this list.")
        )

    def test_it_runs_a_job_once(self):
        job = self.queue()
        first = exports.run_export(job)
        with mock.patch("smedx.core.excel.write_table") as write:
            again = exports.run_export(job)
        write.assert_not_called()
        self.assertEqual((first.status, again.status), (ExportJob.Status.DONE, ExportJob.Status.DONE))

    def test_it_refuses_to_download_what_is_not_written_yet(self):
        job = self.queue()
        response = self.client.get(download(job))
        self.assertRedirects(response, detail(job))


class ExportCleanupTests(PersonaTestCase):
    @override_settings(EXPORT_INLINE_ROWS=1)
    def test_it_deletes_exports_and_their_files_after_the_kept_days(self):
        self.login(self.district)
        self.client.post(EXPORT)
        self.client.post(EXPORT)
        old, new = ExportJob.objects.order_by("id")
        ExportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
        storage, name = old.file.storage, old.file.name
        self.assertEqual(exports.delete_old_exports(), 1)
        self.assertFalse(storage.exists(name))
        self.assertEqual(list(ExportJob.objects.all()), [new])
