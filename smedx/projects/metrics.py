"""Read-only queries of stage 4 that the follow-up list and the workbench to-dos share."""

from django.db.models import Exists, OuterRef

from smedx.projects.models import Project, Rectification, SupervisionAssignment
from smedx.projects.services import supervision

PS = Project.Status

FOLLOW_UPS = {
    "assign": lambda qs, user: qs.filter(status__in=supervision.SUPERVISED).exclude(
        Exists(SupervisionAssignment.objects.filter(project=OuterRef("pk")))
    ),
    "decide": lambda qs, user: qs.filter(status=PS.ACCEPTANCE_APPLIED),
    "close": lambda qs, user: qs.filter(
        Exists(Rectification.objects.filter(project=OuterRef("pk"), status=Rectification.Status.FIXED)),
        supervision__expert=user,
    ),
    "fix": lambda qs, user: qs.filter(
        Exists(Rectification.objects.filter(project=OuterRef("pk"), status=Rectification.Status.OPEN))
    ),
    "apply": lambda qs, user: qs.filter(status__in=(PS.COMPLETED, PS.RECTIFY)),
}
