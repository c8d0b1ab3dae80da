"""Small builders for the planning tests."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from smedx.assessments.models import Assessment, Instrument, LevelRule
from smedx.planning.models import Document

PDF = b"%PDF-1.4\n% planning test\n"


def pdf(name="guide.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_document(authority, *, level=None, status=Document.Status.PUBLISHED, industries="", **fields):
    """A document of `authority` (a user or organisation), published by default."""
    org = getattr(authority, "organisation", None) or authority
    level = level or ("city" if org.level == "city" else "district")
    defaults = {
        "kind": Document.Kind.GUIDE,
        "title": "机械行业数字化转型指南",
        "summary": "摘要",
        "body": "第一段\n\n第二段",
        "issuer": org.name,
    }
    defaults.update(fields)
    return Document.objects.create(
        authority=org,
        region_id=org.region_id,
        level=level,
        status=status,
        industries=industries,
        published_at=timezone.now() if status == Document.Status.PUBLISHED else None,
        **defaults,
    )


def instrument_and_rule():
    instrument, _ = Instrument.objects.get_or_create(
        code="planning-test",
        version="1",
        defaults={"title": "test", "total": 100, "data": {}, "checksum": "planning-test"},
    )
    rule, _ = LevelRule.objects.get_or_create(
        code="planning-test",
        version="1",
        defaults={"instrument_code": "planning-test", "data": {}, "checksum": "planning-test"},
    )
    return instrument, rule


def rate(enterprise, level, *, period="T0", status=Assessment.Status.SUBMITTED, when=None, kind="self"):
    """A rated assessment of `enterprise` at `level` (no answers: only the level matters here)."""
    instrument, rule = instrument_and_rule()
    source = None
    if kind == "verified":
        source = rate(enterprise, level, period=period, status=Assessment.Status.VERIFIED, when=when)
    return Assessment.objects.create(
        enterprise=enterprise,
        instrument=instrument,
        level_rule=rule,
        kind=kind,
        period=period,
        status=status,
        level=None if status == Assessment.Status.DRAFT else level,
        verified_from=source,
        submitted_at=when or timezone.now(),
    )
