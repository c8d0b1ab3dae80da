"""Read-only figures of stage 4: the follow-up list's filters, the workbench to-dos' counts, a project's
sums and the milestones' progress. Each is one bounded query; none changes anything."""

from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum

from smedx.projects.models import ChangeRequest, Milestone, Project, Rectification, SupervisionAssignment
from smedx.projects.services import supervision

PS = Project.Status
CENT = Decimal("0.01")

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


def follow_up_count(user, todo: str) -> int:
    """How many of the projects `user` sees are waiting for the follow-up `todo` (a key of FOLLOW_UPS)."""
    return FOLLOW_UPS[todo](Project.objects.visible_to(user), user).count()


def projects_to_review(region_id) -> int:
    """Projects of a district's enterprises filed and waiting for its review."""
    return Project.objects.filter(region_id=region_id, status=PS.SUBMITTED).count()


def changes_to_decide(region_id) -> int:
    """Change requests of a district's projects waiting for its decision."""
    return ChangeRequest.objects.filter(
        status=ChangeRequest.Status.PENDING, project__region_id=region_id
    ).count()


def milestone_progress(project_ids) -> dict[int, tuple[int, int]]:
    """(confirmed, total) milestones by project id, for the projects that have milestones."""
    if not project_ids:
        return {}
    rows = (
        Milestone.objects.filter(project_id__in=project_ids)
        .values("project_id")
        .order_by()
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(status=Milestone.Status.CONFIRMED)))
    )
    return {row["project_id"]: (row["done"], row["total"]) for row in rows}


def _sum(qs) -> Decimal:
    # SQLite sums decimals without their scale; quantize so both databases give 180000.00.
    return (qs.aggregate(total=Sum("amount"))["total"] or Decimal(0)).quantize(CENT)


def items_total(project) -> Decimal:
    return _sum(project.items.all())


def eligible_total(project) -> Decimal:
    return _sum(project.items.filter(eligible=True))


def invoiced_total(project) -> Decimal:
    return _sum(project.invoices.all())
