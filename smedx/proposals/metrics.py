"""Read-only figures of stage 3 that the workbench to-dos, the need list and the case file read.

Each is one bounded query; none changes anything.
"""

from django.db.models import Count, Exists, OuterRef, Q

from smedx.proposals.models import (
    ConflictAcknowledgement,
    Invitation,
    Need,
    Proposal,
    ProposalComment,
    Recommendation,
)


def unacknowledged_conflicts():
    """Submitted proposals flagged for a conflict of interest that no officer has acknowledged yet."""
    acknowledged = ConflictAcknowledgement.objects.filter(proposal=OuterRef("pk"))
    return (
        Proposal.objects.filter(status=Proposal.Status.SUBMITTED)
        .exclude(conflict="")
        .exclude(Exists(acknowledged))
    )


def conflicts_to_acknowledge(region_id) -> int:
    """Flagged proposals for the published needs of a district, waiting for its acknowledgement."""
    return (
        unacknowledged_conflicts()
        .filter(need__status=Need.Status.PUBLISHED, need__enterprise__region_id=region_id)
        .count()
    )


def needs_awaiting_recommendation() -> int:
    """Published needs no expert has recommended a provider for."""
    recommended = Recommendation.objects.filter(need=OuterRef("pk"))
    return Need.objects.filter(status=Need.Status.PUBLISHED).exclude(Exists(recommended)).count()


def proposals_awaiting_comment(user) -> int:
    """Submitted proposals for published needs that `user` has not commented on."""
    mine = ProposalComment.objects.filter(proposal=OuterRef("pk"), author=user)
    return (
        Proposal.objects.filter(status=Proposal.Status.SUBMITTED, need__status=Need.Status.PUBLISHED)
        .exclude(Exists(mine))
        .count()
    )


def open_invitations(user) -> tuple[int, int]:
    """The provider's open invitations: (without research yet, researched and waiting for an answer)."""
    row = (
        Invitation.objects.visible_to(user)
        .filter(status=Invitation.Status.INVITED, need__status=Need.Status.PUBLISHED)
        .aggregate(total=Count("pk"), researched=Count("pk", filter=Q(research__isnull=False)))
    )
    return row["total"] - row["researched"], row["researched"]


def invitations_per_need(enterprise) -> dict[int, int]:
    """How many providers were invited to each need of the enterprise, by need id."""
    rows = (
        Invitation.objects.filter(need__enterprise=enterprise)
        .values("need")
        .order_by()
        .annotate(n=Count("pk"))
        .values_list("need", "n")
    )
    return dict(rows)
