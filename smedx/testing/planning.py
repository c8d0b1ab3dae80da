"""Small builders for the planning tests."""

from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from smedx.assessments import standing
from smedx.assessments.models import Assessment, Instrument, LevelRule
from smedx.planning.models import Document
from smedx.planning.services import library, plans, standards, support

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
        status = Assessment.Status.VERIFIED if status == Assessment.Status.SUBMITTED else status
        source = rate(enterprise, level, period=period, status=Assessment.Status.VERIFIED, when=when)
    assessment = Assessment.objects.create(
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
    standing.refresh_current_level(enterprise.pk)
    return assessment


def stage_two(cls):
    """One of each stage-2 object on `cls` (planning_doc, planning_standard, planning_tier, planning_plan,
    planning_request, ...), written through the services by the persona district and enterprise."""
    district, enterprise_user = cls.district, cls.enterprise_user
    guide = {"kind": "guide", "level": "district", "title": "机械行业数字化转型指南", "industries": ["34"]}
    document = library.create_document(actor=district, data=guide)
    cls.planning_attachment = library.add_attachment(document=document, actor=district, file=pdf())
    cls.planning_doc = library.publish_document(document=document, actor=district)
    cls.planning_draft = library.create_document(actor=district, data={**guide, "title": "草稿"})

    rule = {"order": 1, "code": "all", "name": "普及推广", "description": "", "rule": {}}
    cls.planning_standard = standards.create_standard(actor=district, name="分级标准")
    cls.planning_tier = standards.save_tier(standard=cls.planning_standard, actor=district, data=rule)
    applied = standards.create_standard(actor=district, name="已应用标准")
    standards.save_tier(standard=applied, actor=district, data=rule)
    asked = standards.apply_standard(standard=applied, actor=district)
    cls.planning_application = standards.classify_enterprises(asked)

    period = {
        "title": "实施方案",
        "summary": "",
        "period_start": date(2025, 1, 1),
        "period_end": date(2026, 12, 31),
    }
    target = {
        "division": "34",
        "metric": "enterprises_transformed",
        "level": None,
        "value": Decimal(5),
        "due_date": date(2026, 12, 31),
    }
    published = plans.save_plan(actor=district, data=period, targets=[target], document=pdf("方案.pdf"))
    cls.planning_plan = plans.publish_plan(plan=published, actor=district)
    cls.planning_draft_plan = plans.save_plan(actor=district, data=period, targets=[])

    cls.planning_request = support.request_planning(
        enterprise=cls.enterprise, actor=enterprise_user, need="规划", provider=cls.provider.organisation
    )
    support.answer_request(
        request=cls.planning_request, actor=cls.provider, answer="见附件", document=pdf("规划.pdf")
    )
