"""The kept counts (`enterprises.tallies`) counted the slow way, for tests that check them."""

from django.db.models import Count

from smedx.enterprises.models import Enterprise


def direct() -> dict:
    """Every kept key, counted straight from the enterprise rows (one GROUP BY per fact)."""
    counts = {}
    families = {
        "status:": "status",
        "size:": "size_class",
        "stage:": "stage",
        "level:": "current_level",
    }
    for prefix, field in families.items():
        rows = Enterprise.objects.exclude(**{f"{field}__isnull": True}).values("region_id", field)
        for row in rows.annotate(n=Count("id")).order_by():
            counts[(row["region_id"], f"{prefix}{row[field]}")] = row["n"]
    for row in Enterprise.objects.values("region_id").annotate(n=Count("id")).order_by():
        counts[(row["region_id"], "total")] = row["n"]
    active = Enterprise.objects.filter(status=Enterprise.Status.ACTIVE)
    subsets = {
        "above_scale": Enterprise.objects.filter(above_scale=True),
        "transformed": Enterprise.objects.filter(transformed=True),
        "active": active,
        "active:above_scale": active.filter(above_scale=True),
        "active:transformed": active.filter(transformed=True),
    }
    for key, rows in subsets.items():
        for row in rows.values("region_id").annotate(n=Count("id")).order_by():
            counts[(row["region_id"], key)] = row["n"]
    for key, rows in {
        "active:level:": active,
        "active:above_scale:level:": active.filter(above_scale=True),
    }.items():
        rows = rows.exclude(current_level=None).values("region_id", "current_level").annotate(n=Count("id"))
        for row in rows.order_by():
            counts[(row["region_id"], f"{key}{row['current_level']}")] = row["n"]
    return counts
