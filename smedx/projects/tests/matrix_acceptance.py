"""Stage 4 supervision and acceptance URLs in the access matrix (merged by access_matrix.py).

`setup` gives the persona enterprise, with the persona provider: a project in progress supervised by
the persona expert with an open rectification (`ac_project`, `ac_rectification`), a completed project
(`ac_completed`) and one whose acceptance was applied for (`ac_applied`).
"""

from datetime import timedelta

from django.utils import timezone

from smedx.projects.models import AcceptanceApplication, Project, Rectification
from smedx.testing.acceptance import make_project, supervise

L = "login"


def setup(cls):
    provider = cls.provider.organisation
    cls.ac_project = make_project(
        cls.enterprise, provider, Project.Status.IN_PROGRESS, by=cls.enterprise_user
    )
    supervise(cls.ac_project, cls.expert, cls.expert)
    cls.ac_rectification = Rectification.objects.create(
        project=cls.ac_project,
        issued_by=cls.expert,
        description="整改",
        deadline=timezone.localdate() + timedelta(days=7),
    )
    cls.ac_completed = make_project(
        cls.enterprise, provider, Project.Status.COMPLETED, by=cls.enterprise_user, completed_days_ago=5
    )
    cls.ac_applied = make_project(
        cls.enterprise,
        provider,
        Project.Status.ACCEPTANCE_APPLIED,
        by=cls.enterprise_user,
        completed_days_ago=5,
    )
    AcceptanceApplication.objects.create(
        project=cls.ac_applied, applied_by=cls.enterprise_user, declared=True
    )


def project(test, persona):
    return {"pk": test.ac_project.pk}


def completed(test, persona):
    return {"pk": test.ac_completed.pk}


def applied(test, persona):
    return {"pk": test.ac_applied.pk}


def rectification(test, persona):
    return {"pk": test.ac_rectification.pk}


def no_args(test, persona):
    return {}


POST_ONLY = (L, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)
# The enterprise, its district and the city, the provider doing it and the committee see a project.
SEEN = (L, 404, 200, 200, 404, 200, 200, 404, 200, 200, 404)

# fmt: off
MATRIX = {
    #                                                       anon outs city dist odis expe prov plat ent  coll oent
    # Whoever supervises, fixes, applies or decides; officers follow projects on their own list.
    "projects:acceptance_list":     (no_args,         (L,   403, 403, 403, 403, 200, 200, 403, 200, 200, 200)),
    "projects:supervision":         (project,         SEEN),
    "projects:supervision_assign":  (project,         POST_ONLY),
    "projects:supervision_visit":   (project,         POST_ONLY),
    "projects:rectification_issue": (project,         POST_ONLY),
    "projects:rectification_fix":   (rectification,   POST_ONLY),
    "projects:rectification_close": (rectification,   POST_ONLY),
    "projects:acceptance_detail":   (applied,         SEEN),
    # Only the enterprise applies; the others who see the project get 403.
    "projects:acceptance_apply":    (completed,       (L,   404, 403, 403, 404, 403, 403, 404, 200, 200, 404)),
    "projects:acceptance_upload":   (completed,       POST_ONLY),
    "projects:acceptance_verify":   (applied,         POST_ONLY),
    "projects:acceptance_decide":   (applied,         POST_ONLY),
}
# fmt: on
