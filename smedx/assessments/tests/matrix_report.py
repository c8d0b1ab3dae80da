"""The report's URLs in the access matrix, and a small builder of scored assessments for the report tests.

The builder writes the rows directly and scores with `scoring.score`, so these tests do not depend on
the wizard's services.
"""

from django.utils import timezone

from smedx.assessments.loader import load_bundled
from smedx.assessments.models import Answer, Assessment, Instrument, LevelRule
from smedx.assessments.scoring import score
from smedx.testing import answer_sets

INSTRUMENT = "miit-2024-mfg"


def make_assessment(enterprise, answers, *, user=None, status=Assessment.Status.SUBMITTED, **fields):
    """An assessment of `enterprise` with `answers`, scored and (unless a draft) submitted."""
    load_bundled()
    instrument = Instrument.objects.current(INSTRUMENT)
    rule = LevelRule.objects.active_for(INSTRUMENT)
    draft = status == Assessment.Status.DRAFT
    result = score(instrument.spec, answers, rule.spec, partial=draft)
    assessment = Assessment.objects.create(
        enterprise=enterprise,
        instrument=instrument,
        level_rule=rule,
        status=status,
        total=None if draft else result.total,
        level=None if draft else result.level,
        result={} if draft else result.as_dict(),
        declared=not draft,
        submitted_at=None if draft else timezone.now(),
        submitted_by=None if draft else user,
        created_by=user,
        **fields,
    )
    Answer.objects.bulk_create(
        Answer(assessment=assessment, item_code=code, value=value, answered_by=user)
        for code, value in answers.items()
    )
    return assessment


def setup(cls):
    cls.report_assessment = make_assessment(
        cls.enterprise, answer_sets.middling(**answer_sets.scenes(2, S01=3)), user=cls.enterprise_user
    )


def report_pk(test, persona):
    return {"pk": test.report_assessment.pk}


# Whoever sees the assessment reads its report: the enterprise's people and its officers.
# fmt: off
MATRIX = {
    #                                            anon     outs city dist odis expe prov plat ent  coll oent
    "assessments:report":     (report_pk,       ("login", 404, 200, 200, 404, 404, 404, 404, 200, 200, 404)),
    "assessments:report_pdf": (report_pk,       ("login", 404, 200, 200, 404, 404, 404, 404, 200, 200, 404)),
}
# fmt: on
