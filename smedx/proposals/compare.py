"""The side-by-side comparison of a need's proposals: one column per proposal, in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch

from smedx.assessments.levels import level_label
from smedx.proposals import services
from smedx.proposals.models import Proposal, ProposalItem, ProposalMilestone
from smedx.providers.models import ProviderProfile

SHOWN = (Proposal.Status.SUBMITTED, Proposal.Status.SELECTED, Proposal.Status.NOT_SELECTED)


@dataclass
class Column:
    proposal: Proposal
    total: Decimal
    by_kind: dict
    milestones: int
    schedule_days: int | None
    expected_level: str
    scene_gains: list = field(default_factory=list)  # (scene, name, from, to, reaches the need's target)
    rating: Decimal | None = None
    comments: int = 0
    refusal: str = ""


def _schedule_days(need, milestones) -> int | None:
    dates = [m.due_date for m in milestones]
    if not dates:
        return None
    start = need.start_month or min(dates)
    return (max(dates) - start).days


def comparison(need, user) -> list[Column]:
    proposals = (
        Proposal.objects.visible_to(user)
        .filter(need=need, status__in=SHOWN)
        .select_related("provider")
        .annotate(n_comments=Count("comments", distinct=True))
        .prefetch_related(
            Prefetch("items", queryset=ProposalItem.objects.order_by("id")),
            Prefetch("milestones", queryset=ProposalMilestone.objects.order_by("due_date")),
            "scenes",
        )
        .order_by("submitted_at", "id")
    )
    proposals = list(proposals)
    wanted = {s.scene: s for s in need.scenes.all()}
    ratings = dict(
        ProviderProfile.objects.filter(organisation__in=[p.provider_id for p in proposals]).values_list(
            "organisation_id", "rating"
        )
    )
    columns = []
    for p in proposals:
        by_kind = defaultdict(Decimal)
        for item in p.items.all():
            by_kind[item.get_kind_display()] += item.amount
        milestones = list(p.milestones.all())
        gains = []
        for s in p.scenes.all():
            w = wanted.get(s.scene)
            current = w.current_level if w else 0
            gains.append(
                (
                    s.scene,
                    w.name if w else "",
                    level_label(current),
                    level_label(s.target_level),
                    bool(w and s.target_level >= w.target_level),
                )
            )
        columns.append(
            Column(
                proposal=p,
                total=p.total,
                by_kind=dict(by_kind),
                milestones=len(milestones),
                schedule_days=_schedule_days(need, milestones),
                expected_level=level_label(p.expected_level),
                scene_gains=gains,
                rating=ratings.get(p.provider_id),
                comments=p.n_comments,
                refusal=services.selection_refusal(p) if p.status == Proposal.Status.SUBMITTED else "",
            )
        )
    return columns
