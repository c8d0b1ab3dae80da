"""The one upload module: type by content, size per use, generated names, safe downloads."""

from types import SimpleNamespace

from django import forms
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.http import Http404
from django.test import SimpleTestCase
from django.utils import translation

from smedx.core import uploads
from smedx.core.errors import DomainError
from smedx.testing.uploads import DOCX, HTML, JPEG, PDF, PNG, XLSX, media_files, office


def upload(name, content):
    return SimpleUploadedFile(name, content)


def field_file(name="uploads-test/x.pdf"):
    field = models.FileField(upload_to="uploads-test/")
    field.set_attributes_from_name("file")
    return models.fields.files.FieldFile(SimpleNamespace(), field, name)


class DetectTypeTests(SimpleTestCase):
    def test_it_detects_each_type_by_its_content(self):
        samples = {"pdf": PDF, "png": PNG, "jpg": JPEG, "docx": DOCX, "xlsx": XLSX}
        found = {
            kind: uploads.detect_type(upload("no-extension", content)) for kind, content in samples.items()
        }
        self.assertEqual(found, {kind: kind for kind in samples})

    def test_it_detects_nothing_in_html_a_bare_zip_or_a_broken_zip(self):
        for content in (HTML, office(), office("other.xml"), b"PK\x03\x04 broken"):
            with self.subTest(content=content[:12]):
                self.assertIsNone(uploads.detect_type(upload("x.pdf", content)))

    def test_it_leaves_the_file_at_its_start(self):
        file = upload("a.xlsx", XLSX)
        uploads.detect_type(file)
        self.assertEqual(file.read(), XLSX)


class CheckTests(SimpleTestCase):
    def check(self, name, content, kinds=uploads.EVIDENCE, max_bytes=uploads.MB):
        return uploads.check(upload(name, content), kinds=kinds, max_bytes=max_bytes)

    def test_it_returns_the_detected_kind(self):
        self.assertEqual(self.check("照片.JPEG", JPEG), "jpg")
        self.assertEqual(self.check("台账.xlsx", XLSX), "xlsx")

    def test_it_refuses_html_renamed_to_pdf(self):
        with self.assertRaisesMessage(
            DomainError, "Only PDF, JPG, PNG, XLSX and DOCX files are accepted, and the content must match"
        ):
            self.check("report.pdf", HTML)

    def test_it_refuses_an_extension_that_does_not_match_the_content(self):
        for name, content in (("photo.pdf", PNG), ("sheet.docx", XLSX), ("doc.xlsx", DOCX), ("scan", PDF)):
            with self.subTest(name=name), self.assertRaises(DomainError):
                self.check(name, content)

    def test_it_refuses_a_kind_the_use_does_not_accept(self):
        with self.assertRaisesMessage(DomainError, "Only PDF, JPG and PNG files are accepted"):
            self.check("sheet.xlsx", XLSX, kinds=uploads.SCANS)

    def test_it_refuses_a_file_over_the_limit_and_an_empty_file(self):
        with self.assertRaisesMessage(DomainError, "The file is larger than 0.5 MB."):
            self.check("big.pdf", PDF + b"0" * uploads.MB, max_bytes=uploads.MB // 2)
        with self.assertRaisesMessage(DomainError, "The file is empty."):
            self.check("empty.pdf", b"")

    def test_it_names_the_kinds_in_chinese(self):
        with (
            translation.override("zh-hans"),
            self.assertRaisesMessage(DomainError, "只接受 PDF、DOCX 和 XLSX 文件"),
        ):
            self.check("x.pdf", HTML, kinds=uploads.DOCUMENTS)

    def test_it_gives_forms_a_validation_error(self):
        self.assertIsNone(uploads.clean(None, kinds=uploads.SCANS, max_bytes=10))
        with self.assertRaisesMessage(forms.ValidationError, "Only PDF, JPG and PNG"):
            uploads.clean(upload("x.pdf", HTML), kinds=uploads.SCANS, max_bytes=uploads.MB)


class StoreTests(SimpleTestCase):
    def test_it_stores_under_a_generated_name_and_keeps_the_original_for_display(self):
        file = upload("../../<script>验收报告.pdf", PDF)
        target = field_file(name=None)
        uploads.store(target, file, kind="pdf")
        self.addCleanup(target.storage.delete, target.name)
        self.assertRegex(target.name, r"^uploads-test/[0-9a-f]{32}\.pdf$")
        self.assertIn(target.name, media_files())
        self.assertEqual(uploads.original_name(file), "<script>验收报告.pdf")

    def test_it_drops_folders_and_control_characters_from_the_original_name(self):
        self.assertEqual(uploads.original_name(SimpleNamespace(name="C:\\docs\\a\r\nb.pdf")), "ab.pdf")
        self.assertEqual(uploads.original_name(SimpleNamespace(name="")), "file")


class DownloadTests(SimpleTestCase):
    def setUp(self):
        self.stored = field_file(name=None)
        self.stored.save("x.pdf", ContentFile(PDF), save=False)
        self.addCleanup(self.stored.storage.delete, self.stored.name)

    def test_it_sends_an_attachment_that_cannot_run_script(self):
        response = uploads.download(self.stored, filename="report.pdf")
        self.assertEqual(b"".join(response.streaming_content), PDF)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertEqual(response["Content-Disposition"], 'attachment; filename="report.pdf"')
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Content-Security-Policy"], "default-src 'none'; sandbox")

    def test_it_encodes_a_chinese_name_after_rfc_5987_with_an_ascii_fallback(self):
        response = uploads.download(self.stored, filename="验收 报告.pdf")
        self.assertEqual(
            response["Content-Disposition"],
            "attachment; filename=\"download.pdf\"; filename*=utf-8''%E9%AA%8C%E6%94%B6%20%E6%8A%A5%E5%91%8A.pdf",
        )

    def test_it_keeps_quotes_and_line_breaks_out_of_the_header(self):
        response = uploads.download(self.stored, filename='a"b\r\nSet-Cookie: x.pdf')
        self.assertEqual(response["Content-Disposition"], 'attachment; filename="a\\"bSet-Cookie: x.pdf"')

    def test_it_uses_the_stored_content_type_when_given(self):
        response = uploads.download(self.stored, filename="a.png", content_type="image/png")
        self.assertEqual(response["Content-Type"], "image/png")

    def test_it_answers_404_for_no_file_or_a_missing_one(self):
        with self.assertRaises(Http404):
            uploads.download(field_file(name=""), filename="a.pdf")
        with self.assertRaises(Http404):
            uploads.download(field_file(name="uploads-test/gone.pdf"), filename="a.pdf")
