"""Read-only figures of the case files: the enterprises of an officer's region at a glance."""

from django.db.models import Count, Q

from smedx.enterprises.models import Enterprise, SizeClass


def region_summary(user) -> dict:
    """Counts by status, by size class and 规上, in one aggregate query over the visible enterprises."""
    counts = {"total": Count("id"), "above_scale": Count("id", filter=Q(above_scale=True))}
    for status in Enterprise.Status:
        counts[f"status_{status.value}"] = Count("id", filter=Q(status=status.value))
    for size in SizeClass:
        counts[f"size_{size.value}"] = Count("id", filter=Q(size_class=size.value))
    row = Enterprise.objects.visible_to(user).aggregate(**counts)
    return {
        "total": row["total"],
        "above_scale": row["above_scale"],
        "by_status": [(s.value, s.label, row[f"status_{s.value}"]) for s in Enterprise.Status],
        "by_size": [(s.value, s.label, row[f"size_{s.value}"]) for s in SizeClass],
    }
