"""Figures for the authority workbench: the enterprises of the officer's region at a glance."""

from django.db.models import Count, Q

from smedx.accounts.models import Organisation
from smedx.core.todos import Panel, register_panel
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


@register_panel
def region_panel(user):
    org = user.organisation if user.is_authenticated else None
    if (
        org is None
        or org.kind != Organisation.Kind.AUTHORITY
        or not user.has_right("enterprises.enterprise:list")
    ):
        return None
    return Panel("enterprises/_region_summary.html", {"summary": region_summary(user), "region": org.region})
