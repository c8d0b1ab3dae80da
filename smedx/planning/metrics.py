"""Read-only figures of stage 2: how the region's enterprises fall into tiers, and how far plans are.

`tier_preview` counts the enterprises of each tier in one query, with the same SQL CASE as applying
a standard (`rules.classified`), so the preview and the application agree by construction.

Progress of implementation plan targets is read from the kept per-district counts
(`enterprises.tallies`, one query per target), or, for a target narrowed to one industry, counted
from the enterprise rows' kept facts:

- enterprises_transformed: active enterprises that reached stage 4 (project implementation) or have
  a submitted or verified after-assessment (T1 or later), kept on the row as `transformed`.
- enterprises_at_level: enterprises whose current level (`assessments.standing`) is at least N.
- share_above_scale_at_level: of the 规上 enterprises, the share (%) whose current level is at least N.

Beside each figure stands its baseline (基期值): the figure as it stood when the plan started (the
same rules over the assessments submitted before its first day; for transformed enterprises only the
after-assessments, since the stage has no history). It is counted once, the first time the target is
read on or after that day, and kept on the target (saving a plan writes its targets anew). A target
is "at risk" when the pace since the start, extrapolated linearly to the due date, falls short.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from smedx.assessments import standing
from smedx.assessments.models import Assessment
from smedx.enterprises import tallies as enterprise_tallies
from smedx.enterprises.models import Level
from smedx.planning.models import Target
from smedx.planning.rules import LEVEL, classified, scope

RATED = (Assessment.Status.SUBMITTED, Assessment.Status.VERIFIED)

LEVEL_AT_START = "planning_level_at_start"
TENTH = Decimal("0.1")


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
    at_start: Decimal  # the same figure when the plan started
    today: date

    @property
    def percent(self) -> int:
        """How far towards the target, 0–100, for the progress bar."""
        if not self.target.value:
            return 100
        return max(0, min(100, int(self.current * 100 / self.target.value)))

    @property
    def reached(self) -> bool:
        return self.current >= self.target.value

    @property
    def projected(self) -> Decimal | None:
        """The figure at the due date if it keeps moving as it has since the plan started."""
        elapsed = (self.today - self.target.plan.period_start).days
        if elapsed <= 0:
            return None
        remaining = max(0, (self.target.due_date - self.today).days)
        pace = (self.current - self.at_start) / elapsed
        return (self.current + pace * remaining).quantize(TENTH, ROUND_HALF_UP)

    @property
    def missed(self) -> bool:
        return not self.reached and self.today > self.target.due_date

    @property
    def at_risk(self) -> bool:
        """Not reached, and the current pace will not reach it by the due date (or the date has passed)."""
        projected = self.projected
        return not self.reached and projected is not None and projected < self.target.value


def plan_start(plan) -> datetime:
    return datetime.combine(plan.period_start, time.min, tzinfo=timezone.get_current_timezone())


def target_enterprises(target: Target):
    qs = scope(target.plan.region)
    if target.division:
        qs = qs.filter(industry_division=target.division)
    return qs


def after_assessed_q(before=None) -> Q:
    after = Assessment.objects.filter(enterprise=OuterRef("pk"), status__in=RATED).exclude(period="T0")
    if before is not None:
        after = after.filter(submitted_at__lt=before)
    return Q(Exists(after))


def transformed_q() -> Q:
    """Stage 4 reached or a rated after-assessment: kept on the row as `transformed`."""
    return Q(transformed=True)


def _counted(target: Target, level: int) -> tuple[int, int | None]:
    """(hits, base) of a target over a whole district or the city, read from the kept counts
    (`enterprises.tallies`): constant cost whatever the province's size."""
    region = target.plan.region
    kept = enterprise_tallies.read(None if region.parent_id is None else [region.pk])
    levels = range(level, max(Level.values) + 1)
    if target.metric == Target.Metric.TRANSFORMED:
        return kept.get("active:transformed", 0), None
    if target.metric == Target.Metric.AT_LEVEL:
        return sum(kept.get(f"active:level:{n}", 0) for n in levels), None
    hits = sum(kept.get(f"active:above_scale:level:{n}", 0) for n in levels)
    return hits, kept.get("active:above_scale", 0)


def _queried(target: Target, level: int) -> tuple[int, int | None]:
    """(hits, base) of a target narrowed to one industry, counted from the enterprise rows."""
    qs = target_enterprises(target)
    if target.metric == Target.Metric.TRANSFORMED:
        return qs.filter(transformed_q()).count(), None
    if target.metric == Target.Metric.AT_LEVEL:
        return qs.filter(**{f"{LEVEL}__gte": level}).count(), None
    row = qs.filter(above_scale=True).aggregate(
        base=Count("pk"), hits=Count("pk", filter=Q(**{f"{LEVEL}__gte": level}))
    )
    return row["hits"], row["base"]


def _share(hits: int, base: int) -> Decimal:
    share = Decimal(hits * 100) / base if base else Decimal(0)
    return share.quantize(TENTH, ROUND_HALF_UP)


def progress_of(target: Target, today: date | None = None) -> Progress:
    """The target's figure now (one query), beside its baseline: the figure when the plan started,
    counted once on or after the plan's first day and kept on the target."""
    today = today or timezone.localdate()
    count = _queried if target.division else _counted
    hits, base = count(target, target.level or 0)
    current = Decimal(hits) if target.metric != Target.Metric.SHARE_AT_LEVEL else _share(hits, base)
    if today < target.plan.period_start:
        return Progress(target, current, hits, base, current, today)
    if target.baseline_at is None:
        target.baseline, target.baseline_at = baseline_of(target), timezone.now()
        Target.objects.filter(pk=target.pk, baseline_at__isnull=True).update(
            baseline=target.baseline, baseline_at=target.baseline_at
        )
    return Progress(target, current, hits, base, target.baseline, today)


def baseline_of(target: Target) -> Decimal:
    """The figure as it stood when the plan started: by the same rules over the assessments submitted
    before its first day (for transformed enterprises only the after-assessments: the stage has no
    history)."""
    qs, start, level = target_enterprises(target), plan_start(target.plan), target.level or 0
    if target.metric == Target.Metric.TRANSFORMED:
        return Decimal(qs.filter(after_assessed_q(start)).count())
    qs = qs.annotate(**{LEVEL_AT_START: standing.level_as_of(start)})
    then = Count("pk", filter=Q(**{f"{LEVEL_AT_START}__gte": level}))
    if target.metric == Target.Metric.AT_LEVEL:
        return Decimal(qs.aggregate(then=then)["then"])
    row = qs.filter(above_scale=True).aggregate(base=Count("pk"), then=then)
    return _share(row["then"], row["base"])


def plan_progress(plan, today: date | None = None) -> list[Progress]:
    return [progress_of(target, today) for target in plan.targets.select_related("plan__region")]
