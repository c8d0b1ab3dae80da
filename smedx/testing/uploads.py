"""Sample files for the upload tests, and an assertion that a refused upload left nothing behind."""

import io
import os
import zipfile
from contextlib import contextmanager

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
HTML = b"<html><script>alert(1)</script></html>"


def office(*members: str) -> bytes:
    """A zip with `[Content_Types].xml` and the given members: enough to be detected as DOCX or XLSX."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ("[Content_Types].xml", *members):
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


DOCX = office("word/document.xml")
XLSX = office("xl/workbook.xml")


def html_as_pdf(name="报告.pdf") -> SimpleUploadedFile:
    """A page with a script, renamed to .pdf and declared as a PDF by the browser."""
    return SimpleUploadedFile(name, HTML, content_type="application/pdf")


def pdf(name="文件.pdf", content=PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def media_files() -> set[str]:
    """Every file under MEDIA_ROOT, relative to it."""
    root = settings.MEDIA_ROOT
    return {os.path.relpath(os.path.join(d, f), root) for d, _, files in os.walk(root) for f in files}


class UploadAssertions:
    """A mixin for TestCase: `with self.assertStoresNothing(Model): ...`."""

    @contextmanager
    def assertStoresNothing(self, *models):  # noqa: N802 (named like the TestCase assertions)
        rows = [model.objects.count() for model in models]
        files = media_files()
        yield
        self.assertEqual([model.objects.count() for model in models], rows)
        self.assertEqual(media_files(), files)
