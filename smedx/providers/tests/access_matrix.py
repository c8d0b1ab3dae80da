"""The pool and catalogue URLs in the access matrix (see smedx/core/tests/test_url_access.py)."""

from django.core.files.base import ContentFile

from smedx.providers.models import ProviderCertificate, ProviderProfile, ProviderReference
from smedx.testing.providers import (
    add_references,
    complete_profile,
    make_solution,
    provider_with_admin,
)

L = "login"
S = ProviderProfile.Status

EXEMPT = {
    f"api-1.0.0:{name}": "REST API, covered by smedx/api/tests"
    for name in ("list_solutions", "get_solution", "list_providers", "get_provider")
}


def setup(cls):
    """The `provider` persona's organisation is listed with a solution, a certificate and a reference the
    persona enterprise is asked to confirm; another provider is under review, a third in public notice."""
    cls.pool_profile = complete_profile(cls.provider.organisation, status=S.LISTED)
    cls.pool_solution = make_solution(cls.pool_profile)
    cls.pool_certificate = ProviderCertificate.objects.create(
        profile=cls.pool_profile, name="ISO 9001", issuer="CQC"
    )
    cls.pool_certificate.file.save("cert.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    [cls.pool_reference] = add_references(cls.pool_profile, 1, enterprises=[cls.enterprise])
    ProviderReference.objects.filter(pk=cls.pool_reference.pk).update(confirmation="asked")
    cls.reviewed_profile, _u = provider_with_admin(
        "审核中服务商", "reviewed_provider", S.UNDER_REVIEW, round=1
    )
    cls.notice_profile, _u = provider_with_admin(
        "公示中服务商", "notice_provider", S.IN_PUBLIC_NOTICE, round=1
    )


def pool(test, persona):
    return {"pk": test.pool_profile.pk}


ALL_LOGGED_IN = (L, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)
PUBLIC = (200,) * 11
PROVIDER_ONLY = (L, 403, 403, 403, 403, 403, 200, 403, 403, 403, 403)
POST_ONLY = (L, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)
MANAGERS = (L, 403, 200, 403, 403, 403, 403, 200, 403, 403, 403)

# fmt: off
MATRIX = {
    #                                                       anon outs city dist odis expe prov plat ent  coll oent
    "providers:entry":              (lambda t, p: {},       (L,   302, 302, 302, 302, 302, 302, 302, 302, 302, 302)),
    "providers:pool":               (lambda t, p: {},       PROVIDER_ONLY),
    "providers:profile_edit":       (lambda t, p: {},       PROVIDER_ONLY),
    "providers:certificate_add":    (lambda t, p: {},       PROVIDER_ONLY),
    "providers:certificate_delete": (lambda t, p: {"pk": t.pool_certificate.pk}, POST_ONLY),
    # The scan is for the provider, the pool's managers and the committee; the public sees the name only.
    "providers:certificate_file":   (lambda t, p: {"pk": t.pool_certificate.pk},
                                                            (L,   404, 200, 404, 404, 200, 200, 200, 404, 404, 404)),
    "providers:reference_add":      (lambda t, p: {},       PROVIDER_ONLY),
    "providers:reference_delete":   (lambda t, p: {"pk": t.pool_reference.pk}, POST_ONLY),
    "providers:reference_ask":      (lambda t, p: {"pk": t.pool_reference.pk}, POST_ONLY),
    "providers:submit":             (lambda t, p: {},       PROVIDER_ONLY),
    "providers:solution_create":    (lambda t, p: {},       PROVIDER_ONLY),
    # A published solution is public: others see it exists but may not edit it.
    "providers:solution_edit":      (lambda t, p: {"pk": t.pool_solution.pk}, PROVIDER_ONLY),
    "providers:solution_publish":   (lambda t, p: {"pk": t.pool_solution.pk}, POST_ONLY),
    "providers:solution_withdraw":  (lambda t, p: {"pk": t.pool_solution.pk}, POST_ONLY),
    # Only the customer enterprise's administrators answer (the colleague is a plain member).
    "providers:reference_confirm":  (lambda t, p: {"pk": t.pool_reference.pk},
                                                            (L,   404, 404, 404, 404, 404, 404, 404, 200, 404, 404)),
    "providers:manage_list":        (lambda t, p: {},       MANAGERS),
    # A listed provider is public, so others get 403 here rather than 404.
    "providers:manage_detail":      (pool,                  MANAGERS),
    "providers:manage_action":      (lambda t, p: {"pk": t.pool_profile.pk, "action": "warn"}, POST_ONLY),
    "providers:review_list":        (lambda t, p: {},       (L,   403, 403, 403, 403, 200, 403, 403, 403, 403, 403)),
    # An application under review is not public: managers see it (403, not their task), others 404.
    "providers:review":             (lambda t, p: {"pk": t.reviewed_profile.pk},
                                                            (L,   404, 403, 404, 404, 200, 404, 403, 404, 404, 404)),
    "providers:notice":             (lambda t, p: {},       PUBLIC),
    "providers:objection":          (lambda t, p: {"pk": t.notice_profile.pk}, ALL_LOGGED_IN),
    "providers:catalogue":          (lambda t, p: {},       PUBLIC),
    "providers:solution_detail":    (lambda t, p: {"pk": t.pool_solution.pk}, PUBLIC),
    "providers:provider_detail":    (pool,                  PUBLIC),
}
# fmt: on
