"""Stage 2 URLs in the access matrix (see smedx/core/tests/test_url_access.py).

The objects: a published district guide for division 34 (fits both persona enterprises) with an
attachment, a draft guide, a draft standard with a tier, an applied standard, a published plan with a
document, a draft plan, and a planning request of the persona enterprise answered by the persona
provider with a plan document.
"""

from smedx.testing.planning import stage_two

L = "login"
POST_ONLY = (L, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)
OFFICERS = (L, 403, 200, 200, 200, 403, 403, 403, 403, 403, 403)
OWN_DISTRICT = (L, 404, 404, 200, 404, 404, 404, 404, 404, 404, 404)
AUTHORITIES_404 = (L, 404, 200, 200, 200, 404, 404, 404, 404, 404, 404)
CITY_AND_DISTRICT = (L, 404, 200, 200, 404, 404, 404, 404, 404, 404, 404)
ALL_MEMBERS = (L, 404, 200, 200, 200, 200, 200, 200, 200, 200, 200)


def doc(test, persona):
    return {"pk": test.planning_doc.pk}


def draft(test, persona):
    return {"pk": test.planning_draft.pk}


def standard(test, persona):
    return {"pk": test.planning_standard.pk}


def tier(test, persona):
    return {"pk": test.planning_tier.pk}


def request(test, persona):
    return {"pk": test.planning_request.pk}


def plan(test, persona):
    return {"pk": test.planning_plan.pk}


def draft_plan(test, persona):
    return {"pk": test.planning_draft_plan.pk}


def no_args(test, persona):
    return {}


# fmt: off
MATRIX = {
    #                                                       anon outs city dist odis expe prov plat ent  coll oent
    "planning:library":              (no_args,             (L,   403, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "planning:document_create":      (no_args,             OFFICERS),
    "planning:document_detail":      (doc,                 ALL_MEMBERS),
    "planning:document_edit":        (draft,               OWN_DISTRICT),
    "planning:document_publish":     (draft,               POST_ONLY),
    "planning:document_withdraw":    (doc,                 POST_ONLY),
    "planning:document_new_version": (doc,                 POST_ONLY),
    "planning:document_read":        (doc,                 POST_ONLY),
    # Officers see who read it; everybody else who sees the document is refused.
    "planning:document_readers":     (doc,                 (L,   404, 200, 200, 200, 403, 403, 403, 403, 403, 403)),
    "planning:attachment_download":  (lambda t, p: {"pk": t.planning_attachment.pk}, ALL_MEMBERS),
    "planning:attachment_delete":    (lambda t, p: {"pk": t.planning_attachment.pk}, POST_ONLY),
    "planning:request_list":         (no_args,             (L,   403, 200, 200, 200, 403, 200, 403, 200, 200, 200)),
    "planning:request_create":       (no_args,             (L,   403, 403, 403, 403, 403, 403, 403, 200, 200, 200)),
    # The enterprise, its officers and the provider it engaged.
    "planning:request_detail":       (request,             (L,   404, 200, 200, 404, 404, 200, 404, 200, 200, 404)),
    "planning:request_answer":       (request,             POST_ONLY),
    "planning:request_close":        (request,             POST_ONLY),
    "planning:request_document":     (request,             (L,   404, 200, 200, 404, 404, 200, 404, 200, 200, 404)),
    "planning:standard_list":        (no_args,             OFFICERS),
    "planning:standard_create":      (no_args,             OFFICERS),
    "planning:standard_detail":      (standard,            CITY_AND_DISTRICT),
    "planning:standard_edit":        (standard,            OWN_DISTRICT),
    "planning:tier_create":          (standard,            OWN_DISTRICT),
    "planning:standard_apply":       (standard,            OWN_DISTRICT),
    "planning:standard_new_version": (standard,            POST_ONLY),
    "planning:tier_edit":            (tier,                OWN_DISTRICT),
    "planning:tier_delete":          (tier,                POST_ONLY),
    "planning:application_detail":   (lambda t, p: {"pk": t.planning_application.pk}, CITY_AND_DISTRICT),
    "planning:plan_list":            (no_args,             OFFICERS),
    "planning:plan_create":          (no_args,             OFFICERS),
    "planning:plan_detail":          (plan,                AUTHORITIES_404),
    "planning:plan_edit":            (draft_plan,          OWN_DISTRICT),
    "planning:plan_publish":         (draft_plan,          POST_ONLY),
    "planning:plan_document":        (plan,                AUTHORITIES_404),
}
# fmt: on

EXEMPT = {
    f"api-1.0.0:{name}": "REST API, covered by smedx/planning/tests/test_api.py"
    for name in (
        "list_documents",
        "get_document",
        "create_document",
        "update_document",
        "publish_document",
        "withdraw_document",
        "new_document_version",
        "mark_document_read",
        "list_document_readers",
        "list_standards",
        "get_standard",
        "create_standard",
        "update_standard",
        "create_tier",
        "update_tier",
        "preview_standard",
        "apply_standard",
        "list_implementation_plans",
        "get_implementation_plan",
        "create_implementation_plan",
        "update_implementation_plan",
        "publish_implementation_plan",
        "list_planning_requests",
        "get_planning_request",
        "create_planning_request",
        "answer_planning_request",
        "close_planning_request",
    )
}


def setup(cls):
    stage_two(cls)
