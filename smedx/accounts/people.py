"""Who is who, asked by every stage in one way: the people to notify, and "does this person act for
that organisation / is this the enterprise's district?". Rights come from `accounts.rights`; these
questions only add *which* organisation or region.
"""

from django.db.models import Q

from smedx.accounts.models import Membership, Organisation, User

Kind = Organisation.Kind
ACTIVE = Organisation.Status.ACTIVE


def organisation_of(user):
    """The user's organisation if it is active, else None (a pending or rejected one acts for no one)."""
    if user is None or not user.is_authenticated:
        return None
    org = user.organisation
    return org if org is not None and org.is_active else None


def acts_for(user, organisation_id, right=None) -> bool:
    """The user belongs to that (active) organisation and, if a right is named, holds it."""
    org = organisation_of(user)
    return org is not None and organisation_id is not None and org.pk == organisation_id and has(user, right)


def district_authority_of(user):
    """The user's organisation if it is an active district authority, else None."""
    org = organisation_of(user)
    return (
        org
        if org is not None and org.kind == Kind.AUTHORITY and org.level == Organisation.Level.DISTRICT
        else None
    )


def is_district_of(user, enterprise, right=None) -> bool:
    """The user is an officer of the district authority of the enterprise's district."""
    district = district_authority_of(user)
    return district is not None and district.region_id == enterprise.region_id and has(user, right)


def is_committee_expert(user, right=None) -> bool:
    """The user is an expert of an active committee."""
    org = organisation_of(user)
    return org is not None and org.kind == Kind.COMMITTEE and has(user, right)


def has(user, right) -> bool:
    return right is None or user.has_right(right)


def users_where(**membership_lookup):
    """Active users whose membership matches, e.g. `organisation=org`.

    `Membership.user` has no reverse query name (`User.membership` is a property), so filter through it.
    """
    return User.objects.filter(
        is_active=True, pk__in=Membership.objects.filter(**membership_lookup).values("user_id")
    )


def members(org) -> list:
    """The active people of an organisation (none for None)."""
    return list(users_where(organisation=org)) if org is not None else []


def district_officers(region):
    return users_where(
        organisation__kind=Kind.AUTHORITY,
        organisation__level=Organisation.Level.DISTRICT,
        organisation__region=region,
        organisation__status=ACTIVE,
    )


def city_officers():
    return users_where(
        organisation__kind=Kind.AUTHORITY,
        organisation__level=Organisation.Level.CITY,
        organisation__status=ACTIVE,
    )


def committee_experts():
    """Experts of an active committee: only they are assigned, notified or listed as experts."""
    return users_where(organisation__kind=Kind.COMMITTEE, organisation__status=ACTIVE)


def platform_operators():
    return users_where(organisation__kind=Kind.PLATFORM, organisation__status=ACTIVE)


def pool_managers():
    """Who decides on provider applications: the platform and, per `accounts.rights`, the city authority."""
    managers = Organisation.objects.filter(
        Q(kind=Kind.PLATFORM) | Q(kind=Kind.AUTHORITY, level=Organisation.Level.CITY), status=ACTIVE
    )
    return users_where(organisation__in=managers)
