"""Builders of stage 1: a scored assessment with its answers, for any app's tests."""

from smedx.assessments import standing
from smedx.assessments.models import Answer, Assessment, Instrument, LevelRule
from smedx.assessments.scoring import score

CODE = "miit-2024-mfg"


def make_assessment(
    enterprise,
    answers,
    *,
    period="T0",
    kind=Assessment.Kind.SELF,
    status=Assessment.Status.SUBMITTED,
    verified_from=None,
    instrument=None,
    rule=None,
    submitted_at=None,
):
    """An assessment with `answers` saved as rows; rated, or a draft with its provisional score."""
    instrument = instrument or Instrument.objects.current(CODE)
    rule = rule or LevelRule.objects.active_for(instrument.code)
    draft = status == Assessment.Status.DRAFT
    result = score(instrument.spec, answers, rule.spec, partial=draft)
    assessment = Assessment.objects.create(
        enterprise=enterprise,
        instrument=instrument,
        level_rule=rule,
        kind=kind,
        period=period,
        status=status,
        verified_from=verified_from,
        total=result.total,
        level=None if draft else result.level,
        result={**result.as_dict(), "problems": {}} if draft else result.as_dict(),
        declared=not draft,
        submitted_at=submitted_at,
    )
    Answer.objects.bulk_create(
        Answer(assessment=assessment, item_code=code, value=value) for code, value in answers.items()
    )
    standing.refresh_current_level(enterprise.pk)
    return assessment
