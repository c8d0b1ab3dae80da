"""Uploaded planning files: PDF, Word or Excel up to 20 MB, checked by content, stored under a generated name."""

import uuid
from pathlib import PurePath

from django.utils.translation import gettext as _

from smedx.assessments.services import detect_type
from smedx.core.errors import DomainError

MAX_BYTES = 20 * 1024 * 1024
KINDS = {"pdf", "docx", "xlsx"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def check_file(file) -> str:
    """The kind (pdf, docx, xlsx) of an upload; DomainError when too big, empty or of another type."""
    if file.size > MAX_BYTES:
        raise DomainError(_("The file is larger than 20 MB."))
    if file.size == 0:
        raise DomainError(_("The file is empty."))
    kind = detect_type(file)
    extension = PurePath(file.name or "").suffix.lower().lstrip(".")
    if kind not in KINDS or extension != kind:
        raise DomainError(
            _("Only PDF, DOCX and XLSX files are accepted, and the content must match the name.")
        )
    return kind


def original_name(file) -> str:
    return PurePath(file.name or "file").name[:200]


def store(field_file, file) -> None:
    """Save `file` into a FileField under a generated name: the uploader's name never reaches the disk."""
    kind = check_file(file)
    field_file.save(f"{uuid.uuid4().hex}.{kind}", file, save=False)


def content_type(name: str) -> str:
    return CONTENT_TYPES.get(PurePath(name).suffix.lower().lstrip("."), "application/octet-stream")
