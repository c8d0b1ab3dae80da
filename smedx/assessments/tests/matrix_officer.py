"""Access matrix of the officer pages (list, export, history, comparison, re-scoring) and the stage 1 API.

`make_assessment` (smedx.testing.assessments) builds a scored assessment with its answers.
"""

from smedx.assessments.loader import load_bundled
from smedx.testing.answer_sets import best, middling
from smedx.testing.assessments import make_assessment

CODE = "miit-2024-mfg"
API = "REST API, covered by smedx/api/tests"


def setup(cls):
    load_bundled()
    cls.officer_t0 = make_assessment(cls.enterprise, middling(), period="T0")
    cls.officer_t1 = make_assessment(cls.enterprise, best(), period="T1")


def enterprise_pk(test, persona):
    return {"pk": test.enterprise.pk}


def t0_pk(test, persona):
    return {"pk": test.officer_t0.pk}


def no_args(test, persona):
    return {}


CASE_FILE = ("login", 404, 200, 200, 404, 404, 404, 404, 200, 200, 404)
OFFICERS = ("login", 403, 200, 200, 200, 403, 403, 403, 403, 403, 403)
POST_ONLY = ("login", 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)

# fmt: off
MATRIX = {
    #                                              anon outs city dist odis expe prov plat ent  coll oent
    "assessments:list":     (no_args,       OFFICERS),
    # The export button posts the list's filters; the file or the export's page (core) answers.
    "assessments:export":   (no_args,       POST_ONLY),
    # The enterprise's people and its officers follow its history; nobody else learns it exists.
    "assessments:history":  (enterprise_pk, CASE_FILE),
    "assessments:compare":  (enterprise_pk, CASE_FILE),
    "assessments:rescore":  (t0_pk,         CASE_FILE),
}
# fmt: on

EXEMPT = {
    f"api-1.0.0:{name}": API
    for name in (
        "list_instruments",
        "get_instrument",
        "score_answers",
        "list_assessments",
        "get_assessment",
        "create_assessment",
        "save_answer",
        "submit_assessment",
        "get_result",
        "review_answer",
        "complete_verification",
        "accept_remaining",
    )
}
