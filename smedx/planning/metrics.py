"""Read-only figures of stage 2: how the region's enterprises fall into tiers, and how far plans are.

`tier_preview` counts the enterprises of each tier in one query, with the same SQL CASE as applying
a standard (`rules.classified`), so the preview and the application agree by construction.

Progress of implementation plan targets is computed from the case files (one query per target):

- enterprises_transformed: enterprises that reached stage 4 (project implementation) or have a
  submitted or verified after-assessment (T1 or later).
- enterprises_at_level: enterprises whose latest rated level is at least N.
- share_above_scale_at_level: of the 规上 enterprises, the share (%) whose latest rated level is at least N.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q

from smedx.assessments.models import Assessment
from smedx.enterprises.models import Stage
from smedx.planning.models import Target
from smedx.planning.rules import LEVEL, RATED, classified, scope, with_level


def tier_preview(region, tiers) -> dict:
    """{tier id or None: number of enterprises} of `region` under `tiers`, counted in one query."""
    rows = classified(region, tiers).order_by().values("tier_id").annotate(n=Count("pk"))
    return {row["tier_id"]: row["n"] for row in rows}


@dataclass(frozen=True)
class Progress:
    target: Target
    current: Decimal  # a count, or a share in %
    hits: int
    base: int | None  # the denominator of a share

    @property
    def percent(self) -> int:
        """How far towards the target, 0–100, for the progress bar."""
        if not self.target.value:
            return 100
        return max(0, min(100, int(self.current * 100 / self.target.value)))

    @property
    def reached(self) -> bool:
        return self.current >= self.target.value


def target_enterprises(target: Target):
    qs = scope(target.plan.region)
    if target.division:
        qs = qs.filter(industry_division=target.division)
    return qs


def transformed_q() -> Q:
    after = Assessment.objects.filter(enterprise=OuterRef("pk"), status__in=RATED).exclude(period="T0")
    return Q(stage__gte=Stage.IMPLEMENTATION) | Q(Exists(after))


def progress_of(target: Target) -> Progress:
    qs = target_enterprises(target)
    if target.metric == Target.Metric.TRANSFORMED:
        hits = qs.filter(transformed_q()).count()
        return Progress(target, Decimal(hits), hits, None)
    level = target.level or 0
    qs = with_level(qs)
    if target.metric == Target.Metric.AT_LEVEL:
        hits = qs.filter(**{f"{LEVEL}__gte": level}).count()
        return Progress(target, Decimal(hits), hits, None)
    row = qs.filter(above_scale=True).aggregate(
        base=Count("pk"), hits=Count("pk", filter=Q(**{f"{LEVEL}__gte": level}))
    )
    base, hits = row["base"], row["hits"]
    share = Decimal(hits * 100) / base if base else Decimal(0)
    return Progress(target, share.quantize(Decimal("0.1"), ROUND_HALF_UP), hits, base)


def plan_progress(plan) -> list[Progress]:
    return [progress_of(target) for target in plan.targets.select_related("plan__region")]
