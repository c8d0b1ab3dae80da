"""Pre-aggregated counts per district (`core.models.Tally`), kept by the services that change the rows.

An app names what it counts by keys of its own ("enterprises.level:3") and calls:

- `change(delta)` inside the service's transaction, with {(region_id, key): +n / -n}; each row is
  moved by one `UPDATE … SET n = n + d`, so concurrent services add up instead of overwriting;
- `replace(prefix, counts, regions)` after a bulk write (imports, demo, synthetic data): the keys
  under `prefix` of those regions are set to direct counts;
- `read(prefix, regions)` for a page: {key: n} summed over the regions (None: every region).
"""

from collections import Counter

from django.db import transaction
from django.db.models import F, Sum

from smedx.core.models import Tally


def change(delta: dict) -> None:
    for (region_id, key), d in delta.items():
        if not d:
            continue
        if not Tally.objects.filter(region_id=region_id, key=key).update(n=F("n") + d):
            with transaction.atomic():  # first count of this key in this region
                row, _created = Tally.objects.select_for_update().get_or_create(region_id=region_id, key=key)
                Tally.objects.filter(pk=row.pk).update(n=F("n") + d)


def moved(before: Counter, after: Counter) -> None:
    """Apply the difference between two snapshots of {(region_id, key): count}."""
    change({k: after.get(k, 0) - before.get(k, 0) for k in set(before) | set(after)})


def replace(prefix: str, counts: dict, regions=None) -> None:
    """Set the keys under `prefix` to `counts` ({(region_id, key): n}) for `regions` (None: all)."""
    with transaction.atomic():
        stale = Tally.objects.filter(key__startswith=prefix)
        if regions is not None:
            stale = stale.filter(region_id__in=list(regions))
        stale.delete()
        Tally.objects.bulk_create(
            [Tally(region_id=r, key=k, n=n) for (r, k), n in counts.items() if n], batch_size=1000
        )


def read(prefix: str, regions=None) -> dict:
    qs = Tally.objects.filter(key__startswith=prefix)
    if regions is not None:
        qs = qs.filter(region_id__in=list(regions))
    return {row["key"]: row["total"] for row in qs.values("key").annotate(total=Sum("n")).order_by()}


def by_region(prefix: str, regions=None) -> dict:
    """{(region_id, key): n} under `prefix` for `regions` (None: every region)."""
    qs = Tally.objects.filter(key__startswith=prefix)
    if regions is not None:
        qs = qs.filter(region_id__in=list(regions))
    return {(r, k): n for r, k, n in qs.values_list("region_id", "key", "n")}
