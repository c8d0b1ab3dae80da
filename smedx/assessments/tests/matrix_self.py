"""The self-assessment's URLs in the access matrix (merged by access_matrix.py)."""

from django.core.files.base import ContentFile

from smedx.assessments.loader import load_bundled
from smedx.assessments.models import Assessment, Evidence, Instrument, LevelRule
from smedx.assessments.scoring import score
from smedx.assessments.services.self_assessment import running_result
from smedx.testing.answer_sets import best

L = "login"


def setup(cls):
    load_bundled()
    instrument = Instrument.objects.current("miit-2024-mfg")
    rule = LevelRule.objects.active_for("miit-2024-mfg")
    # A draft holds its provisional result from the start, as the service leaves it (the page links to it).
    provisional, problems = running_result(instrument.spec, rule.spec, {})
    cls.self_draft = Assessment.objects.create(
        enterprise=cls.enterprise,
        instrument=instrument,
        level_rule=rule,
        period="T0",
        result={**provisional.as_dict(), "problems": problems},
    )
    result = score(instrument.spec, best(), rule.spec)
    cls.self_submitted = Assessment.objects.create(
        enterprise=cls.enterprise,
        instrument=instrument,
        level_rule=rule,
        period="T1",
        status=Assessment.Status.SUBMITTED,
        result=result.as_dict(),
        total=result.total,
        level=result.level,
        declared=True,
    )
    cls.self_evidence = Evidence(
        assessment=cls.self_draft,
        item_code="B1",
        original_name="网络拓扑.pdf",
        content_type="application/pdf",
        size=9,
    )
    cls.self_evidence.file.save("matrix.pdf", ContentFile(b"%PDF-1.4\n"), save=True)


def draft(test, persona):
    return {"pk": test.self_draft.pk}


def section(test, persona):
    return {"pk": test.self_draft.pk, "section": "B"}


def item(test, persona):
    return {"pk": test.self_draft.pk, "code": "B1"}


def evidence(test, persona):
    return {"pk": test.self_evidence.pk}


def submitted(test, persona):
    return {"pk": test.self_submitted.pk}


def no_args(test, persona):
    return {}


# fmt: off
MATRIX = {
    #                                                         anon outs city dist odis expe prov plat ent  coll oent
    # Each enterprise starts its own; officers follow, they do not fill in.
    "assessments:self_start":             (no_args,   (L,   403, 403, 403, 403, 403, 403, 403, 200, 200, 200)),
    # Officers see the draft read-only; the other district, experts not assigned and outsiders do not see it.
    "assessments:self_overview":          (draft,     (L,   404, 200, 200, 404, 404, 404, 404, 200, 200, 404)),
    "assessments:self_section":           (section,   (L,   404, 200, 200, 404, 404, 404, 404, 200, 200, 404)),
    "assessments:self_answer":            (item,      (L,   405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    "assessments:self_evidence_upload":   (item,      (L,   405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    "assessments:self_evidence_download": (evidence,  (L,   404, 200, 200, 404, 404, 404, 404, 200, 200, 404)),
    "assessments:self_evidence_delete":   (evidence,  (L,   405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    "assessments:self_submit":            (draft,     (L,   404, 403, 403, 404, 404, 404, 404, 200, 200, 404)),
    "assessments:result":                 (submitted, (L,   404, 200, 200, 404, 404, 404, 404, 200, 200, 404)),
}
# fmt: on
