"""Read-only figures of the case files: the enterprises of an officer's region at a glance.

The figures come from the district counts kept by the services (`enterprises.tallies`): reading
them costs the same for one district as for the whole province.
"""

from smedx.accounts import people
from smedx.enterprises import tallies
from smedx.enterprises.models import Enterprise, SizeClass


def regions_of(user):
    """The region ids whose counts `user` reads: None for the city (all), the own district otherwise."""
    district = people.district_authority_of(user)
    return None if district is None else [district.region_id]


def region_summary(user) -> dict:
    """Counts by status, by size class and 规上 of the officer's city or district."""
    row = tallies.read(regions_of(user))
    return {
        "total": row.get("total", 0),
        "above_scale": row.get("above_scale", 0),
        "by_status": [(s.value, s.label, row.get(f"status:{s.value}", 0)) for s in Enterprise.Status],
        "by_size": [(s.value, s.label, row.get(f"size:{s.value}", 0)) for s in SizeClass],
    }
