import re
import struct
import zipfile
from decimal import Decimal
from io import BytesIO
from itertools import count
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from smedx.core.creditcode import make_credit_code
from smedx.core.errors import DomainError
from smedx.core.models import AuditEntry, Notification
from smedx.enterprises import tasks, workbook
from smedx.enterprises.models import Enterprise, ImportJob, Tag
from smedx.enterprises.services import imports
from smedx.testing import PersonaTestCase, make_enterprise

_serial = count(700000)
IMPORT = reverse("enterprises:import")


def good_row(region_code="500112", **changes):
    serial = next(_serial)
    row = {
        "name": f"导入企业{serial}",
        "credit_code": make_credit_code(region_code, serial),
        "region": "渝北区" if region_code == "500112" else region_code,
        "industry_division": "34",
        "industry_code": "3491",
        "employees": 120,
        "revenue": 5000,
        "above_scale": "是",
        "tags": "重点、潜力",
        "contact_name": "张三",
        "contact_phone": "13800001234",
        "address": "渝北区示例路1号",
    }
    row.update(changes)
    return row


def xlsx(rows, columns=None) -> bytes:
    columns = columns or [column.key for column in workbook.COLUMNS]
    book = Workbook()
    sheet = book.active
    sheet.append([workbook.header_text(workbook.BY_KEY[key]) for key in columns])
    for row in rows:
        sheet.append([row.get(key) for key in columns])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"


def with_sheet(content: bytes, change) -> bytes:
    """The same .xlsx with the XML of its first sheet passed through `change` (bytes → bytes)."""
    source, out = zipfile.ZipFile(BytesIO(content)), BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info.filename, change(data) if info.filename == SHEET else data)
    return out.getvalue()


def declaring(rows: int):
    """A change that makes the sheet declare `rows` rows, whatever it holds."""
    return lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:L%d"/>' % rows, xml)


def understating(content: bytes, size: int) -> bytes:
    """The same archive with the sheet's unpacked size in the central directory forged to `size`."""
    data, at = bytearray(content), 0
    while (at := data.find(b"PK\x01\x02", at + 1)) != -1:
        (name_length,) = struct.unpack_from("<H", data, at + 28)
        if data[at + 46 : at + 46 + name_length] == SHEET.encode():
            struct.pack_into("<I", data, at + 24, size)
    return bytes(data)


class ImportTestCase(PersonaTestCase):
    def setUp(self):
        # Reasons are asserted in English, the msgid language; pages are asked for in English too.
        translation.activate("en")
        self.addCleanup(translation.deactivate)
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    def upload(self, content, name="enterprises.xlsx", user=None):
        self.login(user or self.district)
        return self.client.post(IMPORT, {"file": SimpleUploadedFile(name, content)})

    def upload_job(self, rows, user=None) -> ImportJob:
        response = self.upload(xlsx(rows), user=user)
        self.assertEqual(response.status_code, 302)
        return ImportJob.objects.latest("pk")

    def commit(self, job):
        return self.client.post(reverse("enterprises:import_commit", args=[job.pk]), follow=True)

    def problems(self, job):
        return {(error["row"], error["column"]): error["message"] for error in job.errors}


class ImportGoodFileTests(ImportTestCase):
    def test_it_checks_first_and_writes_only_on_commit(self):
        rows = [good_row(), good_row(employees=5, revenue=50, tags=""), good_row(above_scale="否")]
        job = self.upload_job(rows)

        self.assertEqual(job.status, ImportJob.Status.VALID)
        self.assertEqual((job.total_rows, job.error_count), (3, 0))
        self.assertFalse(Enterprise.objects.filter(credit_code=rows[0]["credit_code"]).exists())
        self.assertTrue(job.rows_file)  # the checked texts, kept for the commit

        response = self.commit(job)

        self.assertContains(response, 'data-testid="import-done"')
        job.refresh_from_db()
        self.assertEqual((job.status, job.processed_rows, job.committed_by), ("committed", 3, self.district))
        self.assertFalse(job.rows_file)
        first = Enterprise.objects.get(credit_code=rows[0]["credit_code"])
        self.assertEqual(
            (first.region, first.industry_section, first.size_class), (self.home_region, "C", "small")
        )
        self.assertEqual(first.revenue, Decimal("5000.00"))
        self.assertTrue(first.above_scale)
        self.assertEqual(sorted(first.tags.values_list("name", flat=True)), ["潜力", "重点"])
        second = Enterprise.objects.get(credit_code=rows[1]["credit_code"])
        self.assertEqual((second.size_class, second.tags.count()), ("micro", 0))
        self.assertFalse(Enterprise.objects.get(credit_code=rows[2]["credit_code"]).above_scale)

    def test_it_writes_one_audit_entry_per_step_not_per_row(self):
        job = self.upload_job([good_row(), good_row()])
        self.commit(job)

        actions = list(AuditEntry.objects.filter(object_id=str(job.pk)).values_list("action", "data"))
        self.assertEqual(
            sorted(actions),
            [
                ("enterprises.import.committed", {"rows": 2, "tags": 4, "file": "enterprises.xlsx"}),
                ("enterprises.import.validated", {"rows": 2, "errors": 0, "warnings": 0}),
            ],
        )
        self.assertFalse(AuditEntry.objects.filter(action="enterprises.enterprise.created").exists())

    def test_it_lets_a_city_officer_import_any_district(self):
        job = self.upload_job([good_row("500105"), good_row()], user=self.city)
        self.commit(job)

        job.refresh_from_db()
        self.assertEqual(job.status, ImportJob.Status.COMMITTED)
        self.assertEqual(
            Enterprise.objects.filter(region=self.other_region, name__startswith="导入").count(), 1
        )

    def test_it_only_warns_when_the_code_is_from_another_district(self):
        row = good_row(credit_code=make_credit_code("500105", next(_serial)))
        job = self.upload_job([row])

        self.assertEqual(job.status, ImportJob.Status.VALID)
        self.assertEqual(job.warning_count, 1)
        self.assertIn("500105", job.warnings[0]["message"])
        self.commit(job)
        self.assertTrue(Enterprise.objects.filter(credit_code=row["credit_code"]).exists())

    def test_it_round_trips_the_template(self):
        self.login(self.district)
        response = self.client.get(reverse("enterprises:import_template"))
        self.assertEqual(response.status_code, 200)
        book = load_workbook(BytesIO(response.content))
        sheet, reference = book.worksheets
        reference_values = {cell for row in reference.iter_rows(values_only=True) for cell in row}
        self.assertTrue({"渝北区", "500112", "34", "重点"} <= reference_values)
        self.assertEqual(sheet.max_row, 2)  # titles and the example row
        titles = [cell.value for cell in sheet[1]]
        rows = [good_row(), good_row()]
        for row in rows:
            sheet.append([row[column.key] for column in workbook.COLUMNS])
        out = BytesIO()
        book.save(out)

        self.upload(out.getvalue(), name="filled.xlsx")
        job = ImportJob.objects.latest("pk")

        self.assertEqual((job.status, job.total_rows), ("valid", 2), job.errors)  # the example row is skipped
        self.assertEqual(titles[0], workbook.header_text(workbook.COLUMNS[0]))
        self.commit(job)
        self.assertEqual(
            Enterprise.objects.filter(credit_code__in=[r["credit_code"] for r in rows]).count(), 2
        )

    def test_it_writes_a_tag_that_looks_like_a_formula_into_the_template_as_text(self):
        Tag.objects.create(name="=1+1")
        self.login(self.district)
        reference = load_workbook(BytesIO(self.client.get(reverse("enterprises:import_template")).content))[
            "Reference"
        ]
        tag_cells = [row[7] for row in reference.iter_rows(min_row=2) if row[7].value == "=1+1"]

        self.assertEqual([cell.data_type for cell in tag_cells], ["s"])
        self.assertEqual(reference["A2"].data_type, "s")  # district codes stay text too
        self.assertEqual(reference.parent.worksheets[0]["F2"].data_type, "n")  # the example's employees

    def test_it_reads_an_export_style_file_with_extra_columns(self):
        columns = ["credit_code", "name", "region", "industry_division", "employees", "revenue"]
        book = Workbook()
        sheet = book.active
        sheet.append(
            [
                "Unified social credit code",
                "Enterprise name",
                "District",
                "Industry division",
                "Employees",
                "Annual revenue (10k yuan)",
                "Stage",
            ]
        )
        row = good_row(industry_division="34 通用设备制造业")
        sheet.append([*[row[key] for key in columns], "Not started"])
        out = BytesIO()
        book.save(out)

        self.upload(out.getvalue())
        job = ImportJob.objects.latest("pk")

        self.assertEqual(job.status, ImportJob.Status.VALID, job.errors)
        self.assertEqual([w["column"] for w in job.warnings], ["Stage"])

    def test_it_reads_titles_in_chinese_only(self):
        with translation.override("zh-hans"):
            titles = [str(column.title) for column in workbook.COLUMNS]
        self.assertNotEqual(titles[0], "Enterprise name")  # the catalogue is there, or this proves nothing
        book = Workbook()
        book.active.append(titles)
        row = good_row()
        book.active.append([row[column.key] for column in workbook.COLUMNS])
        out = BytesIO()
        book.save(out)

        self.upload(out.getvalue())
        job = ImportJob.objects.latest("pk")

        self.assertEqual((job.status, job.total_rows, job.warnings), ("valid", 1, []), job.errors)

    def test_it_counts_and_reads_a_streamed_file_that_declares_no_size(self):
        rows = [good_row(industry_division=1, industry_code="", tags="") for _ in range(3)]
        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append([workbook.header_text(column) for column in workbook.COLUMNS])
        for row in rows:
            sheet.append([row[column.key] for column in workbook.COLUMNS])
        out = BytesIO()
        book.save(out)
        out.seek(0)

        self.assertEqual(workbook.count_rows(out), 3)
        self.upload(out.getvalue())
        job = ImportJob.objects.latest("pk")
        self.assertEqual((job.status, job.total_rows), ("valid", 3), job.errors)
        self.commit(job)
        self.assertEqual(Enterprise.objects.get(credit_code=rows[0]["credit_code"]).industry_division, "01")


class ImportBadFileTests(ImportTestCase):
    def test_it_lists_every_bad_row_with_its_reason_and_writes_nothing(self):
        code = good_row()["credit_code"]
        bad_code = code[:17] + ("1" if code[17] == "0" else "0")
        rows = [
            good_row(),
            good_row(credit_code=bad_code),
            good_row(region="火星区"),
            good_row(industry_division="99"),
            good_row(industry_code="12"),
            good_row(industry_code="3591"),
            good_row(employees=-1),
            good_row(employees="many"),
            good_row(revenue=-5),
            good_row(above_scale="maybe"),
            good_row(tags="重点、不存在"),
            good_row(name=None),
            good_row(contact_phone="call me"),
        ]
        before = Enterprise.objects.count()

        job = self.upload_job(rows)

        self.assertEqual(job.status, ImportJob.Status.INVALID)
        self.assertEqual(job.error_count, 12)
        problems = self.problems(job)
        expected = {
            (3, "Unified social credit code"): "check character",
            (4, "District"): "火星区",
            (5, "Industry division"): "99",
            (6, "Finer industry code"): "3 or 4 digits",
            (7, "Finer industry code"): "start with the division code 34",
            (8, "Employees"): "whole number",
            (9, "Employees"): "whole number",
            (10, "Annual revenue (10k yuan)"): "0 or more",
            (11, "规上"): "是 or 否",
            (12, "Tags"): "不存在",
            (13, "Enterprise name"): "required",
            (14, "Contact phone"): "digits",
        }
        for key, fragment in expected.items():
            self.assertIn(fragment, problems.get(key, ""), key)
        self.assertEqual(Enterprise.objects.count(), before)

        response = self.client.get(reverse("enterprises:import_detail", args=[job.pk]))
        self.assertContains(response, 'data-testid="import-invalid"')
        self.assertContains(response, "火星区")
        self.assertNotContains(response, 'data-testid="import-commit"')

        response = self.commit(job)
        self.assertContains(response, "without errors")
        self.assertEqual(Enterprise.objects.count(), before)

    def test_it_names_the_other_row_of_a_duplicate_in_the_file(self):
        first = good_row()
        job = self.upload_job([first, good_row(), good_row(credit_code=first["credit_code"])])

        self.assertEqual(job.status, ImportJob.Status.INVALID)
        self.assertEqual(
            job.errors,
            [{"row": 4, "column": "Unified social credit code", "message": "Same credit code as row 2."}],
        )

    def test_it_refuses_a_code_already_on_the_platform(self):
        rows = [good_row(), good_row(credit_code=self.enterprise.credit_code), good_row()]
        rows.append(good_row(credit_code=self.far_enterprise.credit_code, tags="不存在"))
        job = self.upload_job(rows)

        self.assertEqual(job.status, ImportJob.Status.INVALID)
        problems = self.problems(job)
        self.assertEqual(
            sorted(problems),
            [(3, "Unified social credit code"), (5, "Tags"), (5, "Unified social credit code")],
        )
        self.assertIn("already on the platform", problems[(3, "Unified social credit code")])
        self.assertIn(self.far_enterprise.credit_code, problems[(5, "Unified social credit code")])

    def test_it_refuses_a_row_of_another_district_for_a_district_officer(self):
        job = self.upload_job([good_row(), good_row("500105")])

        self.assertEqual(job.status, ImportJob.Status.INVALID)
        self.assertEqual(self.problems(job), {(3, "District"): "You can only file enterprises of 渝北区."})

    def test_it_refuses_a_file_without_the_required_columns(self):
        response = self.upload(xlsx([good_row()], columns=["name", "region"]))
        job = ImportJob.objects.latest("pk")

        self.assertRedirects(response, reverse("enterprises:import_detail", args=[job.pk]))
        self.assertEqual(job.status, ImportJob.Status.INVALID)
        self.assertIn("Unified social credit code", job.errors[0]["message"])
        self.assertIsNone(job.errors[0]["row"])

    def test_it_refuses_a_file_without_rows(self):
        job = self.upload_job([])

        self.assertEqual(job.status, ImportJob.Status.INVALID)
        self.assertEqual(job.errors[0]["message"], "The file has no enterprise rows.")

    def test_it_refuses_a_file_that_is_not_xlsx(self):
        response = self.upload(b"name,code\n", name="enterprises.csv")

        self.assertContains(response, "Only XLSX files are accepted")
        self.assertFalse(ImportJob.objects.exists())

    def test_it_refuses_a_file_that_only_looks_like_xlsx(self):
        response = self.upload(b"<html><script>alert(1)</script></html>", name="enterprises.xlsx")

        self.assertContains(response, "Only XLSX files are accepted")
        self.assertFalse(ImportJob.objects.exists())

    @override_settings(IMPORT_MAX_BYTES=1000)
    def test_it_refuses_a_file_that_is_too_large(self):
        response = self.upload(xlsx([good_row()]))

        self.assertContains(response, "The file is larger than")
        self.assertFalse(ImportJob.objects.exists())


class ImportRangeTests(ImportTestCase):
    def test_it_refuses_more_employees_than_the_form_takes(self):
        job = self.upload_job([good_row(employees=10_000_000), good_row(employees=10_000_001)])
        self.assertEqual(job.status, ImportJob.Status.INVALID)
        self.assertEqual(list(self.problems(job)), [(3, "Employees")])
        self.assertIn("10,000,000", self.problems(job)[(3, "Employees")])


class ImportOversizeTests(ImportTestCase):
    """Zip bombs, forged sizes and sheets that declare fewer rows than they hold."""

    def bomb(self) -> bytes:
        # 3 MB of whitespace between the rows: valid XML that deflates to a few kilobytes.
        return with_sheet(
            xlsx([good_row()]), lambda xml: xml.replace(b"</sheetData>", b" " * 3 * 2**20 + b"</sheetData>")
        )

    @override_settings(IMPORT_MAX_ROWS=1000, IMPORT_MAX_UNZIPPED_BYTES=2**20)
    def test_it_refuses_a_file_that_unpacks_to_more_than_the_rows_need(self):
        content = self.bomb()
        self.assertLess(len(content), 50_000)
        before = Enterprise.objects.count()

        response = self.upload(content)

        self.assertContains(response, "unpacks to more than 1 MB, more than 1,000 enterprise rows need")
        self.assertFalse(ImportJob.objects.exists())
        self.assertEqual(Enterprise.objects.count(), before)

    @override_settings(IMPORT_MAX_ROWS=1000, IMPORT_MAX_UNZIPPED_BYTES=2**20)
    def test_it_refuses_the_bomb_in_the_worker_too(self):
        job = imports.create_import(
            actor=self.district, upload=SimpleUploadedFile("b.xlsx", self.bomb()), rows=1
        )

        job = imports.validate_job(job)

        self.assertEqual(job.status, ImportJob.Status.INVALID)
        self.assertIn("unpacks to more than 1 MB", job.errors[0]["message"])
        self.assertFalse(job.rows_file)

    def test_it_refuses_a_file_whose_header_understates_the_unpacked_size(self):
        content = understating(xlsx([good_row(), good_row()]), 100)
        self.assertEqual(zipfile.ZipFile(BytesIO(content)).getinfo(SHEET).file_size, 100)

        response = self.upload(content)

        self.assertContains(response, "not an Excel file that can be read")
        self.assertFalse(ImportJob.objects.exists())

    def uploaded(self, content):
        with mock.patch.object(tasks, "validate_import") as queue:
            self.upload(content)
        job = ImportJob.objects.latest("pk")
        queued = [call.args for call in queue.enqueue.call_args_list] == [(job.pk,)]
        return job.total_rows, job.runs_in_background, queued, job.status

    @override_settings(IMPORT_INLINE_ROWS=3)
    def test_it_counts_the_rows_a_sheet_holds_not_those_it_declares(self):
        truthful = xlsx([good_row() for _ in range(5)])
        lying = with_sheet(xlsx([good_row() for _ in range(5)]), declaring(3))
        self.assertIn(b'<dimension ref="A1:L3"/>', zipfile.ZipFile(BytesIO(lying)).read(SHEET))

        self.assertEqual(self.uploaded(truthful), (5, True, True, ImportJob.Status.UPLOADED))
        self.assertEqual(self.uploaded(lying), (5, True, True, ImportJob.Status.UPLOADED))

    @override_settings(IMPORT_MAX_ROWS=4)
    def test_it_refuses_more_rows_than_the_maximum_whatever_the_sheet_declares(self):
        for content in (
            xlsx([good_row() for _ in range(5)]),
            with_sheet(xlsx([good_row() for _ in range(5)]), declaring(3)),
        ):
            with self.subTest(declared=b"A1:L3" in zipfile.ZipFile(BytesIO(content)).read(SHEET)):
                response = self.upload(content)
                self.assertContains(response, "The file has 5 rows; at most 4 can be imported at once.")
        self.assertFalse(ImportJob.objects.exists())

    @override_settings(IMPORT_MAX_ROWS=4)
    def test_it_refuses_more_rows_than_the_maximum_in_the_worker_too(self):
        upload = SimpleUploadedFile("many.xlsx", xlsx([good_row() for _ in range(5)]))
        job = imports.validate_job(imports.create_import(actor=self.district, upload=upload, rows=0))

        self.assertEqual(job.status, ImportJob.Status.INVALID)
        self.assertIn("at most 4", job.errors[0]["message"])
        self.assertFalse(job.rows_file)


class ImportCommitTests(ImportTestCase):
    def test_it_refuses_a_second_commit(self):
        job = self.upload_job([good_row()])
        self.commit(job)
        before = Enterprise.objects.count()

        response = self.commit(job)

        self.assertContains(response, "already been imported")
        self.assertEqual(Enterprise.objects.count(), before)
        with self.assertRaises(DomainError):
            imports.claim_job(job=job, actor=self.district)
        self.assertEqual(AuditEntry.objects.filter(action="enterprises.import.committed").count(), 1)

    def test_it_fails_whole_when_a_duplicate_lands_before_the_commit(self):
        rows = [good_row(), good_row(), good_row()]
        job = self.upload_job(rows)
        self.assertEqual(job.status, ImportJob.Status.VALID)
        make_enterprise(
            self.home_region, credit_code=rows[1]["credit_code"]
        )  # another import got there first

        response = self.commit(job)

        job.refresh_from_db()
        self.assertEqual(job.status, ImportJob.Status.FAILED)
        self.assertContains(response, "Nothing was written")
        self.assertEqual([(e["row"], e["column"]) for e in job.errors], [(3, "Unified social credit code")])
        self.assertFalse(
            Enterprise.objects.filter(credit_code__in=[rows[0]["credit_code"], rows[2]["credit_code"]])
        )
        self.assertFalse(AuditEntry.objects.filter(action="enterprises.import.committed").exists())

    def test_it_reports_a_race_on_the_unique_code_as_a_whole_failure(self):
        job = self.upload_job([good_row(), good_row()])
        job = imports.claim_job(job=job, actor=self.district)
        real_flag = imports._flag_existing

        def late_duplicate(batch, report):
            checked = real_flag(batch, report)
            make_enterprise(self.home_region, credit_code=batch[0].facts["credit_code"])
            return checked

        with mock.patch.object(imports, "_flag_existing", late_duplicate):
            job = imports.commit_job(job)

        self.assertEqual(job.status, ImportJob.Status.FAILED)
        self.assertIn("at the same time", job.message)
        self.assertEqual(Enterprise.objects.filter(name__startswith="导入企业").count(), 0)

    @override_settings(IMPORT_INLINE_ROWS=2)
    def test_it_runs_large_files_as_background_tasks(self):
        rows = [good_row() for _ in range(5)]
        with self.captureOnCommitCallbacks(execute=True):
            job = self.upload_job(rows)
        self.assertTrue(job.runs_in_background)
        self.assertEqual((job.status, job.processed_rows), ("valid", 5))

        with self.captureOnCommitCallbacks(execute=True):
            self.commit(job)

        job.refresh_from_db()
        self.assertEqual(job.status, ImportJob.Status.COMMITTED)
        self.assertEqual(
            Enterprise.objects.filter(credit_code__in=[r["credit_code"] for r in rows]).count(), 5
        )
        # Only the background path tells the officer by notification that the work is done.
        self.assertEqual(
            sorted(Notification.objects.filter(recipient=self.district).values_list("verb", flat=True)),
            ["enterprises.import.committed", "enterprises.import.validated"],
        )


class ImportPageTests(ImportTestCase):
    def test_it_shows_the_upload_page_with_recent_imports(self):
        for _ in range(3):
            ImportJob.objects.create(
                organisation=self.district.organisation,
                created_by=self.district,
                original_name="old.xlsx",
                file="imports/old.xlsx",
            )
        self.login(self.district)

        with self.assertNumQueries(5):  # session, user, membership, unread notifications, jobs with uploader
            response = self.client.get(IMPORT)

        self.assertContains(response, "old.xlsx", count=3)
        self.assertContains(response, reverse("enterprises:import_template"))

    def test_it_polls_progress_while_running_and_reloads_when_done(self):
        job = ImportJob.objects.create(
            organisation=self.district.organisation,
            created_by=self.district,
            original_name="big.xlsx",
            file="imports/big.xlsx",
            status=ImportJob.Status.VALIDATING,
            total_rows=5000,
            processed_rows=2000,
        )
        url = reverse("enterprises:import_detail", args=[job.pk])
        self.login(self.district)

        response = self.client.get(url, headers={"HX-Request": "true"})
        self.assertContains(response, 'hx-trigger="every 1s"')
        self.assertContains(response, 'value="40"')
        self.assertNotContains(response, "<html")

        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.VALID)
        response = self.client.get(url, headers={"HX-Request": "true"})
        self.assertEqual(response.headers["HX-Refresh"], "true")

        response = self.client.get(url)
        self.assertContains(response, 'data-testid="import-commit"')
        self.assertNotContains(response, 'hx-trigger="every 1s"')

    def test_it_hides_an_import_from_another_organisation(self):
        job = self.upload_job([good_row()])
        self.login(self.other_district)

        self.assertEqual(
            self.client.get(reverse("enterprises:import_detail", args=[job.pk])).status_code, 404
        )
        self.assertEqual(
            self.client.post(reverse("enterprises:import_commit", args=[job.pk])).status_code, 404
        )
        job.refresh_from_db()
        self.assertEqual(job.status, ImportJob.Status.VALID)

    def test_it_refuses_people_without_the_import_right(self):
        job = self.upload_job([good_row()])
        for user in (self.outsider, self.enterprise_user, self.provider):
            self.login(user)
            self.assertEqual(self.client.get(IMPORT).status_code, 403)
            self.assertEqual(self.client.get(reverse("enterprises:import_template")).status_code, 403)
            self.assertEqual(
                self.client.get(reverse("enterprises:import_detail", args=[job.pk])).status_code, 404
            )
            self.assertEqual(
                self.client.post(reverse("enterprises:import_commit", args=[job.pk])).status_code, 404
            )
        self.client.logout()
        self.assertEqual(self.client.get(IMPORT).status_code, 302)

    def test_it_refuses_wrong_methods(self):
        job = self.upload_job([good_row()])

        self.assertEqual(
            self.client.get(reverse("enterprises:import_commit", args=[job.pk])).status_code, 405
        )
        self.assertEqual(self.client.post(reverse("enterprises:import_template")).status_code, 405)
        self.assertEqual(
            self.client.post(reverse("enterprises:import_detail", args=[job.pk])).status_code, 405
        )
        self.assertEqual(self.client.put(IMPORT).status_code, 405)
        job.refresh_from_db()
        self.assertEqual(job.status, ImportJob.Status.VALID)
