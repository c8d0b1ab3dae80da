"""Read-only aggregates of stage 1, one bounded query each: peer comparisons and level distributions.

Peers: how an enterprise's total compares with its peers of the same industry division, district
and size. Peers are the other enterprises' latest submitted self-assessments under the same
instrument code (any version). A group is shown only when it holds at least `MIN_PEERS` of them, so
that no single enterprise's score can be read off it. One aggregate query answers all three groups.

Levels: how many enterprises stand at each current level (the officers' figure), or how many rated
assessments reach each level (the second view), in total and per district.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from smedx.accounts.models import Region
from smedx.assessments.levels import LEVEL_LABELS
from smedx.assessments.models import Assessment
from smedx.enterprises import tallies as enterprise_tallies

MIN_PEERS = 5
DONE = (Assessment.Status.SUBMITTED, Assessment.Status.VERIFIED)
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class PeerGroup:
    key: str
    label: str
    value: str  # the industry division, district or size class of the group
    count: int
    average: Decimal
    percentile: Decimal  # share of the peers scoring lower (ties count half), in %


def latest_submitted(instrument_code: str):
    """Each enterprise's latest submitted self-assessment under `instrument_code`."""
    submitted = Assessment.objects.filter(
        kind=Assessment.Kind.SELF, status__in=DONE, instrument__code=instrument_code
    )
    latest = submitted.filter(enterprise=OuterRef("enterprise")).order_by("-submitted_at", "-id").values("pk")
    return submitted.filter(pk=Subquery(latest[:1]))


def peer_groups(assessment) -> list[PeerGroup]:
    """The groups with enough peers to show; empty for a draft (its total is not final)."""
    if assessment.status not in DONE or assessment.total is None:
        return []
    enterprise = assessment.enterprise
    groups = {
        "industry": (
            _("Same industry"),
            enterprise.industry_label,
            Q(enterprise__industry_division=enterprise.industry_division),
        ),
        "district": (
            _("Same district"),
            enterprise.region.name,
            Q(region_id=enterprise.region_id),
        ),
        "size": (
            _("Same size"),
            enterprise.get_size_class_display(),
            Q(enterprise__size_class=enterprise.size_class),
        ),
    }
    total = assessment.total
    aggregates = {}
    for key, (_label, _value, where) in groups.items():
        aggregates[f"{key}_n"] = Count("pk", filter=where)
        aggregates[f"{key}_avg"] = Avg("total", filter=where)
        aggregates[f"{key}_below"] = Count("pk", filter=where & Q(total__lt=total))
        aggregates[f"{key}_tied"] = Count("pk", filter=where & Q(total=total))
    any_group = Q()
    for _label, _value, where in groups.values():
        any_group |= where
    row = (
        latest_submitted(assessment.instrument.code)
        .exclude(enterprise_id=enterprise.pk)
        .filter(any_group)
        .aggregate(**aggregates)
    )
    out = []
    for key, (label, value, _where) in groups.items():
        n = row[f"{key}_n"]
        if n < MIN_PEERS:
            continue
        rank = (Decimal(row[f"{key}_below"]) + Decimal(row[f"{key}_tied"]) / 2) * 100 / n
        out.append(
            PeerGroup(
                key=key,
                label=label,
                value=value,
                count=n,
                average=Decimal(str(row[f"{key}_avg"])).quantize(TWO_PLACES, rounding=ROUND_HALF_UP),
                percentile=rank.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
            )
        )
    return out


def level_distribution(qs, *, by_district: bool) -> dict:
    """Rated assessments per level 0..4, and per district when asked: one grouped query."""
    return _distribution(qs.filter(level__isnull=False), "enterprise__region__", "level", by_district)


def current_level_distribution(enterprises, *, by_district: bool) -> dict:
    """Enterprises per current level 0..4 (each counted once), and per district when asked: one query."""
    return _distribution(
        enterprises.filter(current_level__isnull=False), "region__", "current_level", by_district
    )


def current_level_tally(regions, *, by_district: bool) -> dict:
    """The same chart as `current_level_distribution` over whole districts (`regions`: ids, None for
    the city), read from the counts the services keep (`enterprises.tallies`) instead of counting."""
    counts = enterprise_tallies.by_region(regions)
    regions = {pk: (code, name) for pk, code, name in Region.objects.values_list("pk", "code", "name")}
    rows = [
        {"region__code": regions[r][0], "region__name": regions[r][1], "current_level": int(key[6:]), "n": n}
        for (r, key), n in counts.items()
        if key.startswith("level:") and n
    ]
    return _chart_of(rows, "region__", "current_level", by_district)


def _distribution(qs, region: str, level_field: str, by_district: bool) -> dict:
    code, name = f"{region}code", f"{region}name"
    rows = qs.order_by().values(code, name, level_field).annotate(n=Count("id"))
    return _chart_of(rows, region, level_field, by_district)


def _chart_of(rows, region: str, level_field: str, by_district: bool) -> dict:
    code, name = f"{region}code", f"{region}name"
    levels = [0] * len(LEVEL_LABELS)
    districts: dict[str, dict] = {}
    for row in rows:
        level = row[level_field]
        if not 0 <= level < len(levels):
            continue
        levels[level] += row["n"]
        entry = districts.setdefault(row[code], {"name": row[name], "levels": [0] * len(LEVEL_LABELS)})
        entry["levels"][level] += row["n"]
    chart = {"labels": [str(label) for label in LEVEL_LABELS], "levels": levels, "total": sum(levels)}
    if by_district:
        ordered = [districts[code] for code in sorted(districts)]
        chart["districts"] = [entry["name"] for entry in ordered]
        chart["series"] = [[entry["levels"][n] for entry in ordered] for n in range(len(LEVEL_LABELS))]
    return chart
