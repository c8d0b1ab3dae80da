"""Uploaded files, one way for every app: checked by content, stored under a generated name, sent back safely.

Each use passes what it accepts (`kinds`, a tuple of the keys of `TYPES`) and its size limit in bytes.
The type is read from the first bytes (and, for the Office formats, from the members of the zip), never
from the name alone; the name's extension must then match what was found. The uploader's name never
reaches the disk: it is kept on the row for display and for the download's file name.
"""

import re
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django import forms
from django.http import FileResponse, Http404
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from smedx.core.errors import DomainError

MB = 1024 * 1024


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    extensions: tuple[str, ...]  # the first one is given to the stored file


TYPES = {
    "pdf": FileType("PDF", "application/pdf", ("pdf",)),
    "jpg": FileType("JPG", "image/jpeg", ("jpg", "jpeg")),
    "png": FileType("PNG", "image/png", ("png",)),
    "xlsx": FileType("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",)),
    "docx": FileType(
        "DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",)
    ),
}
DOCUMENTS = ("pdf", "docx", "xlsx")
SCANS = ("pdf", "jpg", "png")
EVIDENCE = ("pdf", "jpg", "png", "xlsx", "docx")
# Sent with every download: the browser takes the declared type, and even a file that a browser would
# render runs no script, loads nothing and is treated as a foreign origin.
DOWNLOAD_CSP = "default-src 'none'; sandbox"
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f]")


def detect_type(file) -> str | None:
    """The key in `TYPES` of a file by its content (not its name), or None for anything else."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        return _office_type(file)
    return None


def _office_type(file) -> str | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        file.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    return None


def check(file, *, kinds: tuple[str, ...], max_bytes: int) -> str:
    """The kind of an upload among `kinds`; DomainError when it is too big, empty, or not what its name says."""
    if file.size > max_bytes:
        raise DomainError(_("The file is larger than %(max)s MB.") % {"max": f"{max_bytes / MB:g}"})
    if file.size == 0:
        raise DomainError(_("The file is empty."))
    kind = detect_type(file)
    if kind not in kinds or extension(file.name) not in TYPES[kind].extensions:
        raise DomainError(
            _("Only %(kinds)s files are accepted, and the content must match the name.")
            % {"kinds": _listed([TYPES[k].label for k in kinds])}
        )
    return kind


def _listed(labels: list[str]) -> str:
    """ "PDF, JPG and PNG" (in Chinese "PDF、JPG 和 PNG")."""
    if len(labels) < 2:
        return "".join(labels)
    items = pgettext("list separator", ", ").join(labels[:-1])
    return pgettext("list", "%(items)s and %(last)s") % {"items": items, "last": labels[-1]}


def clean(upload, *, kinds: tuple[str, ...], max_bytes: int):
    """The same check for a form's `clean_<field>`: the upload (or None), or a ValidationError."""
    if upload is None:
        return None
    try:
        check(upload, kinds=kinds, max_bytes=max_bytes)
    except DomainError as exc:
        raise forms.ValidationError(str(exc)) from exc
    return upload


def extension(name: str | None) -> str:
    return PurePath(name or "").suffix.lower().lstrip(".")


def original_name(file) -> str:
    """The uploader's file name, for display only: no folders, no control characters, 200 characters."""
    name = _UNSAFE_NAME.sub("", PurePath((file.name or "").replace("\\", "/")).name)
    return name[:200] or "file"


def store(field_file, file, *, kind: str) -> None:
    """Save a checked upload into a FileField under a generated name (the model row is not saved)."""
    field_file.save(f"{uuid.uuid4().hex}.{TYPES[kind].extensions[0]}", file, save=False)


def content_type_of(stored_name: str) -> str:
    """The content type of a stored file by its generated name, whose extension is the detected kind."""
    kind = next((k for k, t in TYPES.items() if extension(stored_name) in t.extensions), None)
    return TYPES[kind].content_type if kind else "application/octet-stream"


def download(field_file, *, filename: str, content_type: str = "") -> FileResponse:
    """The response sending a stored file as an attachment; the view has checked who may have it."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=content_type or content_type_of(field_file.name))
    response["Content-Disposition"] = _disposition(filename or PurePath(field_file.name).name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    return response


def _disposition(filename: str) -> str:
    """`attachment` with the name; a non-ASCII name goes as RFC 5987 `filename*` after an ASCII fallback."""
    filename = _UNSAFE_NAME.sub("", filename)
    header = content_disposition_header(True, filename)
    if "filename*=" not in header:
        return header
    ext = extension(filename)
    fallback = f"download.{ext}" if ext.isascii() and ext.isalnum() else "download"
    return header.replace("attachment;", f'attachment; filename="{fallback}";', 1)
