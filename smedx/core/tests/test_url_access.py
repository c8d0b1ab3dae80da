"""The access matrix: every named URL, every persona, the expected answer to a GET.

A new view cannot be added without declaring here who may see it: the test walks the URL resolver and
fails for any named pattern that is neither in MATRIX nor in EXEMPT.

Codes: 200 shown, 403 a right is missing, 404 the object is not visible to this persona (outsiders
must not learn it exists), 405 the view takes POST only, L a redirect to the login page, 302 another
redirect (the login page sends logged-in users to their workbench).
"""

from django.urls import URLPattern, URLResolver, get_resolver

from smedx.testing import PersonaTestCase
from smedx.testing.access import APP_MATRICES, PERSONAS, AccessMatrixCase, L

# Named patterns this matrix does not cover, each with the reason.
EXEMPT = {
    "set_language": "Django's language switch: POST from every page, redirects back; no data",
    # The REST API answers 401/403/404 in JSON; smedx/api/tests walk its personas.
    "api-1.0.0:api-root": "REST API, covered by smedx/api/tests",
    "api-1.0.0:openapi-json": "REST API schema, covered by smedx/api/tests",
    "api-1.0.0:openapi-view": "REST API docs page, covered by smedx/api/tests",
    "api-1.0.0:me": "REST API, covered by smedx/api/tests",
    "api-1.0.0:list_enterprises": "REST API, covered by smedx/api/tests",
    "api-1.0.0:create_enterprise": "REST API, covered by smedx/api/tests",
    "api-1.0.0:get_enterprise": "REST API, covered by smedx/api/tests",
    "api-1.0.0:update_enterprise": "REST API, covered by smedx/api/tests",
}


def no_args(test, persona):
    return {}


def enterprise_pk(test, persona):
    return {"pk": test.enterprise.pk}


def own_token_pk(test, persona):
    # Each persona revokes its own token; the anonymous visitor tries the district's.
    return {"pk": test.tokens[persona if persona != "anonymous" else "district"].pk}


# fmt: off
MATRIX = {
    #                                                 anon outs city dist odis expe prov plat ent  coll oent
    "workbench:home":                    (no_args,        (L,   200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "core:healthz":                 (no_args,        (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "core:notifications":           (no_args,        (L,   200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "core:notifications_read":      (no_args,        (L,   405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    # The whole audit log: city and platform only; a district sees the trail on its case files.
    "core:audit":                   (no_args,        (L,   403, 200, 403, 403, 403, 403, 200, 403, 403, 403)),
    # An export is its owner's alone (here the district's, failed: no file, so its download goes back
    # to its page); everybody else is refused whatever they may see.
    "core:export_list":             (no_args,        (L,   200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "core:export_detail":           (lambda t, p: {"pk": t.export_job.pk},
                                                     (L,   403, 403, 200, 403, 403, 403, 403, 403, 403, 403)),
    "core:export_download":         (lambda t, p: {"pk": t.export_job.pk},
                                                     (L,   403, 403, 302, 403, 403, 403, 403, 403, 403, 403)),
    "accounts:signup":              (no_args,        (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "accounts:provider_signup":     (no_args,        (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "accounts:profile":             (no_args,        (L,   200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "accounts:token_create":        (no_args,        (L,   405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    "accounts:token_revoke":        (own_token_pk,   (L,   405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    "accounts:invite":              (no_args,        (L,   403, 200, 200, 200, 403, 200, 200, 200, 403, 200)),
    "accounts:invitation_revoke":   (lambda t, p: {"pk": t.invitation.pk},
                                                     (L,   405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    "accounts:accept_invitation":   (lambda t, p: {"token": t.invitation_token},
                                                     (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "accounts:organisation_list":   (no_args,        (L,   403, 403, 403, 403, 403, 403, 200, 403, 403, 403)),
    "accounts:organisation_review": (lambda t, p: {"pk": t.pending_provider.pk},
                                                     (L,   403, 403, 403, 403, 403, 403, 200, 403, 403, 403)),
    "login":                        (no_args,        (200, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302)),
    "logout":                       (no_args,        (405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    "password_change":              (no_args,        (L,   200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "password_change_done":         (no_args,        (L,   200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "password_reset":               (no_args,        (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "password_reset_done":          (no_args,        (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "password_reset_confirm":       (lambda t, p: {"uidb64": "MQ", "token": "not-a-token"},
                                                     (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "password_reset_complete":      (no_args,        (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "enterprises:list":             (no_args,        (L,   403, 200, 200, 200, 403, 403, 403, 403, 403, 403)),
    "enterprises:export":           (no_args,        (L,   405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    "enterprises:create":           (no_args,        (L,   403, 200, 200, 200, 403, 403, 403, 403, 403, 403)),
    "enterprises:signup":           (no_args,        (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "enterprises:detail":           (enterprise_pk,  (L,   404, 200, 200, 404, 404, 404, 404, 200, 200, 404)),
    "enterprises:edit":             (enterprise_pk,  (L,   404, 200, 200, 404, 404, 404, 404, 200, 200, 404)),
    # The persona's enterprise is already active: the review page sends its district back to the case
    # file; the city follows sign-ups but does not decide them (403).
    "enterprises:review":           (enterprise_pk,  (L,   404, 403, 302, 404, 404, 404, 404, 403, 403, 404)),
    "enterprises:import":           (no_args,        (L,   403, 200, 200, 200, 403, 403, 403, 403, 403, 403)),
    "enterprises:import_template":  (no_args,        (L,   403, 200, 200, 200, 403, 403, 403, 403, 403, 403)),
    # An import is seen only inside the organisation that uploaded it (here the district).
    "enterprises:import_detail":    (lambda t, p: {"pk": t.import_job.pk},
                                                     (L,   404, 404, 200, 404, 404, 404, 404, 404, 404, 404)),
    "enterprises:import_commit":    (lambda t, p: {"pk": t.import_job.pk},
                                                     (L,   405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
}
# fmt: on


for _module in APP_MATRICES:
    MATRIX.update(_module.MATRIX)
    EXEMPT.update(getattr(_module, "EXEMPT", {}))


def url_names(resolver=None, namespace=()):
    """Every named pattern as `namespace:name`, walking included resolvers."""
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = (*namespace, pattern.namespace) if pattern.namespace else namespace
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(":".join((*namespace, pattern.name)))
    return names


class UrlMatrixCompletenessTests(PersonaTestCase):
    def test_it_declares_every_named_url(self):
        missing = sorted(url_names() - set(MATRIX) - set(EXEMPT))
        self.assertFalse(
            missing,
            "These URLs are not in the access matrix. Add each to MATRIX in "
            "smedx/core/tests/test_url_access.py (or the app's tests/access_matrix.py) "
            "with the expected answer for every persona: " + ", ".join(missing),
        )

    def test_it_declares_no_url_that_no_longer_exists(self):
        stale = sorted((set(MATRIX) | set(EXEMPT)) - url_names())
        self.assertFalse(
            stale, "These URLs are in the access matrix but no longer exist: " + ", ".join(stale)
        )

    def test_it_gives_an_answer_for_every_persona(self):
        for name, (_kwargs, expected) in MATRIX.items():
            with self.subTest(url=name):
                self.assertEqual(len(expected), len(PERSONAS))
        self.assertFalse(set(MATRIX) & set(EXEMPT))


class UrlAccessMatrixTests(AccessMatrixCase):
    def test_it_answers_every_persona_as_declared(self):
        self.check(MATRIX)
