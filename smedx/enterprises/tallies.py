"""The enterprises of each district counted by status, size, 规上, stage, current level and
"transformed" (and the active ones as the plan targets count them), kept as
pre-aggregates (`core.tallies`) by every service that files, edits, reviews, advances or rates an
enterprise; workbenches and the officers' chart read them instead of counting the province.

`snapshot(e)` is what one enterprise adds to the counts; a service takes one before and one after its
change and calls `core.tallies.moved`. Bulk writes (imports, demo and synthetic data, repairs) call
`rebuild(regions)`, which sets the counts of those districts from one GROUP BY.
"""

from collections import Counter

from django.db.models import Count

from smedx.core import tallies
from smedx.enterprises.models import Enterprise

PREFIX = "enterprises."
FACTS = ("region_id", "status", "size_class", "above_scale", "stage", "current_level", "transformed")
ACTIVE = "active"  # Enterprise.Status.ACTIVE, the enterprises plan targets and standards count


def keys_of(facts: dict) -> list[str]:
    """The keys one enterprise adds 1 to. Beside the counts by one fact, the active enterprises are
    counted by what plan targets ask: level, 规上 at level, transformed (`active:…` keys)."""
    level, above = facts["current_level"], facts["above_scale"]
    keys = ["total", f"status:{facts['status']}", f"size:{facts['size_class']}", f"stage:{facts['stage']}"]
    if above:
        keys.append("above_scale")
    if level is not None:
        keys.append(f"level:{level}")
    if facts["transformed"]:
        keys.append("transformed")
    if facts["status"] == ACTIVE:
        keys.append("active")
        keys += ["active:above_scale"] if above else []
        keys += ["active:transformed"] if facts["transformed"] else []
        if level is not None:
            keys.append(f"active:level:{level}")
            keys += [f"active:above_scale:level:{level}"] if above else []
    return [PREFIX + key for key in keys]


def snapshot(enterprise) -> Counter:
    """What `enterprise` (an instance, or None for "not there") adds to the counts."""
    if enterprise is None:
        return Counter()
    facts = {name: getattr(enterprise, name) for name in FACTS}
    return Counter({(facts["region_id"], key): 1 for key in keys_of(facts)})


def snapshot_of(enterprise_id) -> Counter:
    return snapshot(Enterprise.objects.only(*FACTS).filter(pk=enterprise_id).first())


def rebuild(regions=None) -> None:
    """Set the counts of `regions` (region ids; None: all) from the enterprise rows."""
    qs = (
        Enterprise.objects.all()
        if regions is None
        else Enterprise.objects.filter(region_id__in=list(regions))
    )
    counts = Counter()
    for row in qs.order_by().values(*FACTS).annotate(n=Count("id")):
        for key in keys_of(row):
            counts[(row["region_id"], key)] += row["n"]
    tallies.replace(PREFIX, counts, regions)


def read(regions=None) -> dict:
    """{"total": n, "status:active": n, "level:3": n, …} summed over `regions` (None: the city)."""
    return {key.removeprefix(PREFIX): n for key, n in tallies.read(PREFIX, regions).items()}


def by_region(regions=None) -> dict:
    """{(region_id, "level:3"): n, …} per district."""
    return {(r, key.removeprefix(PREFIX)): n for (r, key), n in tallies.by_region(PREFIX, regions).items()}
