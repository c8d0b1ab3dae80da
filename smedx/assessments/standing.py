"""An enterprise's current level, the figure officers report upward, kept on the enterprise row.

The rule: the level and total of the enterprise's latest verified assessment, else of its latest
submitted self-assessment ("latest" by submission time, then by creation). A drafted or superseded
assessment never counts, and an enterprise is counted once however many assessments it has.
Stage 1's services call `refresh_current_level` whenever an assessment is submitted or verified;
`refresh_current_levels` recomputes many rows at once (demo data, repairs); `current_assessment` is
the direct computation that the stored fields are compared with.
"""

from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from smedx.assessments.models import Assessment
from smedx.core import tallies
from smedx.enterprises import tallies as enterprise_tallies
from smedx.enterprises.models import Enterprise, LevelBasis

RULE = _(
    "Each enterprise is counted once, at its current level: its latest on-site verified assessment, "
    "else its latest submitted self-assessment."
)
BATCH = 1000


def _latest(qs):
    return qs.order_by(F("submitted_at").desc(nulls_last=True), "-created_at", "-id")


def _verified():
    return Assessment.objects.filter(kind=Assessment.Kind.VERIFIED, status=Assessment.Status.VERIFIED)


def _self_assessed():
    return Assessment.objects.filter(
        kind=Assessment.Kind.SELF, status__in=(Assessment.Status.SUBMITTED, Assessment.Status.VERIFIED)
    )


def current_assessment(enterprise_id) -> Assessment | None:
    """The assessment the enterprise's current level comes from, or None while it has none."""
    return (
        _latest(_verified().filter(enterprise_id=enterprise_id)).first()
        or _latest(_self_assessed().filter(enterprise_id=enterprise_id)).first()
    )


def level_as_of(before):
    """Expression over enterprises: the current level as it stood at `before` (a datetime), by the same
    rule over the assessments submitted before it; None where none was."""
    verified = _verified().filter(enterprise=OuterRef("pk"), submitted_at__lt=before)
    self_assessed = _self_assessed().filter(enterprise=OuterRef("pk"), submitted_at__lt=before)
    return Coalesce(
        Subquery(_latest(verified).values("level")[:1]), Subquery(_latest(self_assessed).values("level")[:1])
    )


def current_fields(assessment) -> dict:
    """The enterprise row's `current_*` values for `assessment` (None: not rated yet)."""
    if assessment is None:
        return {"current_level": None, "current_score": None, "current_basis": ""}
    verified = assessment.kind == Assessment.Kind.VERIFIED
    return {
        "current_level": assessment.level,
        "current_score": assessment.total,
        "current_basis": LevelBasis.VERIFIED if verified else LevelBasis.SELF,
    }


def refresh_current_level(enterprise_id):
    """Store the enterprise's current level on its row, and move the district's level counts with it;
    called inside the assessment services' transaction."""
    counted = enterprise_tallies.snapshot_of(enterprise_id)
    Enterprise.objects.filter(pk=enterprise_id).update(**current_fields(current_assessment(enterprise_id)))
    tallies.moved(counted, enterprise_tallies.snapshot_of(enterprise_id))


def refresh_current_levels(enterprises=None) -> int:
    """Recompute the current level of many enterprises (all by default) in batches; returns how many."""
    qs = Enterprise.objects.all() if enterprises is None else enterprises
    chosen = Coalesce(
        Subquery(_latest(_verified().filter(enterprise=OuterRef("pk"))).values("pk")[:1]),
        Subquery(_latest(_self_assessed().filter(enterprise=OuterRef("pk"))).values("pk")[:1]),
    )
    pairs = list(qs.order_by("pk").annotate(chosen=chosen).values_list("pk", "chosen"))
    for start in range(0, len(pairs), BATCH):
        batch = pairs[start : start + BATCH]
        rows = Assessment.objects.only("kind", "level", "total").in_bulk([a for _e, a in batch if a])
        updated = []
        for enterprise_id, assessment_id in batch:
            row = Enterprise(pk=enterprise_id)
            for name, value in current_fields(rows.get(assessment_id)).items():
                setattr(row, name, value)
            updated.append(row)
        Enterprise.objects.bulk_update(updated, ["current_level", "current_score", "current_basis"])
    regions = None if enterprises is None else set(qs.values_list("region_id", flat=True).distinct())
    enterprise_tallies.rebuild(regions)
    return len(pairs)
