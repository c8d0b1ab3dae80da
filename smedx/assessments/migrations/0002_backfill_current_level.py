"""Fill `Enterprise.current_level/score/basis` from the assessments already stored.

The same rule as `smedx.assessments.standing` (latest verified assessment, else latest submitted
self-assessment), written against the historical models as a migration must be.
"""

from django.db import migrations
from django.db.models import F, Q


def backfill(apps, schema_editor):
    Assessment = apps.get_model("assessments", "Assessment")
    Enterprise = apps.get_model("enterprises", "Enterprise")
    rated = Assessment.objects.filter(
        Q(kind="verified", status="verified") | Q(kind="self", status__in=["submitted", "verified"])
    ).order_by("enterprise_id", F("submitted_at").desc(nulls_last=True), "-created_at", "-id")
    chosen: dict[int, tuple] = {}
    for enterprise_id, kind, level, total in rated.values_list("enterprise_id", "kind", "level", "total").iterator(
        chunk_size=2000
    ):
        # Rows come newest first per enterprise: keep the first, unless a verified one comes later.
        best = chosen.get(enterprise_id)
        if best is None or (best[0] == "self" and kind == "verified"):
            chosen[enterprise_id] = (kind, level, total)
    rows = [
        Enterprise(pk=pk, current_level=level, current_score=total, current_basis=kind)
        for pk, (kind, level, total) in chosen.items()
    ]
    Enterprise.objects.bulk_update(rows, ["current_level", "current_score", "current_basis"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_initial"),
        ("enterprises", "0003_current_level"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
