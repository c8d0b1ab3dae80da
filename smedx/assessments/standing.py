"""An enterprise's current level, the figure officers report upward, kept on the enterprise row.

The rule: the level and total of the enterprise's latest verified assessment, else of its latest
submitted self-assessment ("latest" by submission time, then by creation). A drafted or superseded
assessment never counts, and an enterprise is counted once however many assessments it has.
Beside it the row keeps the verified level alone and "transformed" (stage 4 reached, or a rated
after-assessment, T1 or later). Stage 1's services call `refresh_current_level` whenever an assessment is submitted or verified;
`refresh_current_levels` recomputes many rows at once (demo data, repairs); `current_assessment` is
the direct computation that the stored fields are compared with.
"""

from django.db.models import Exists, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from smedx.assessments.models import Assessment
from smedx.core import tallies
from smedx.enterprises import tallies as enterprise_tallies
from smedx.enterprises.models import Enterprise, LevelBasis, Stage

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


def verified_assessment(enterprise_id) -> Assessment | None:
    return _latest(_verified().filter(enterprise_id=enterprise_id)).first()


def after_assessed(enterprise_id) -> bool:
    """Whether the enterprise has a rated after-assessment (T1 or later): one half of "transformed"."""
    return _after().filter(enterprise_id=enterprise_id).exists()


def _after():
    rated = (Assessment.Status.SUBMITTED, Assessment.Status.VERIFIED)
    return Assessment.objects.filter(status__in=rated).exclude(period="T0")


FIELDS = ("current_level", "current_score", "current_basis", "verified_level", "transformed")


def current_fields(assessment, verified=None, after=False, stage=0) -> dict:
    """The enterprise row's kept values: `current_*` for `assessment` (None: not rated yet),
    `verified_level` from `verified` (its latest verified assessment), `transformed` from the stage and
    whether it has a rated after-assessment."""
    fields = {"current_level": None, "current_score": None, "current_basis": ""}
    if assessment is not None:
        on_site = assessment.kind == Assessment.Kind.VERIFIED
        fields = {
            "current_level": assessment.level,
            "current_score": assessment.total,
            "current_basis": LevelBasis.VERIFIED if on_site else LevelBasis.SELF,
        }
    fields["verified_level"] = verified.level if verified is not None else None
    fields["transformed"] = bool(after) or stage >= Stage.IMPLEMENTATION
    return fields


def facts_of(enterprise_id, stage) -> dict:
    """The kept values computed directly from the enterprise's assessments (what the row must equal)."""
    return current_fields(
        current_assessment(enterprise_id),
        verified_assessment(enterprise_id),
        after_assessed(enterprise_id),
        stage,
    )


def refresh_current_level(enterprise_id):
    """Store the enterprise's current level, verified level and "transformed" on its row, and move the
    district's counts with them; called inside the assessment services' transaction."""
    counted = enterprise_tallies.snapshot_of(enterprise_id)
    stage = Enterprise.objects.filter(pk=enterprise_id).values_list("stage", flat=True).first() or 0
    Enterprise.objects.filter(pk=enterprise_id).update(**facts_of(enterprise_id, stage))
    tallies.moved(counted, enterprise_tallies.snapshot_of(enterprise_id))


def refresh_current_levels(enterprises=None) -> int:
    """Recompute the current level of many enterprises (all by default) in batches; returns how many."""
    qs = Enterprise.objects.all() if enterprises is None else enterprises
    verified = Subquery(_latest(_verified().filter(enterprise=OuterRef("pk"))).values("pk")[:1])
    chosen = Coalesce(
        verified, Subquery(_latest(_self_assessed().filter(enterprise=OuterRef("pk"))).values("pk")[:1])
    )
    after = Exists(_after().filter(enterprise=OuterRef("pk")))
    rows = qs.order_by("pk").annotate(chosen=chosen, verified=verified, after=after)
    pairs = list(rows.values_list("pk", "chosen", "verified", "after", "stage"))
    for start in range(0, len(pairs), BATCH):
        batch = pairs[start : start + BATCH]
        ids = {a for row in batch for a in row[1:3] if a}
        rated = Assessment.objects.only("kind", "level", "total").in_bulk(ids)
        updated = []
        for enterprise_id, chosen_id, verified_id, after_assessed_, stage in batch:
            row = Enterprise(pk=enterprise_id)
            fields = current_fields(rated.get(chosen_id), rated.get(verified_id), after_assessed_, stage)
            for name, value in fields.items():
                setattr(row, name, value)
            updated.append(row)
        Enterprise.objects.bulk_update(updated, FIELDS)
    regions = None if enterprises is None else set(qs.values_list("region_id", flat=True).distinct())
    enterprise_tallies.rebuild(regions)
    return len(pairs)
