"""Rights are namespaced strings derived from organisation kind, level and role — in this one place.

A right says what a person may do; the `visible_to(user)` queryset of each model says on which rows.
"""

from smedx.accounts.models import Membership, Organisation

Kind = Organisation.Kind

ENTERPRISE_OFFICER = {
    "enterprises.enterprise:view",
    "enterprises.enterprise:create",
    "enterprises.enterprise:change",
    "enterprises.enterprise:import",
    "enterprises.enterprise:export",
    "enterprises.enterprise:approve",
    "enterprises.enterprise:list",
}

BY_KIND: dict[str, set[str]] = {
    Kind.AUTHORITY: ENTERPRISE_OFFICER | {"core.audit:view"},
    Kind.COMMITTEE: {"accounts.expert:act"},
    Kind.PROVIDER: set(),
    Kind.ENTERPRISE: {"enterprises.enterprise:view", "enterprises.enterprise:change"},
    Kind.PLATFORM: {"accounts.organisation:approve", "accounts.organisation:list", "core.audit:view"},
}

ADMIN_EXTRA = {"accounts.membership:invite", "accounts.membership:manage"}


def rights_for(user) -> frozenset[str]:
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    membership = user.membership
    if membership is None or not membership.organisation.is_active:
        return frozenset()
    rights = set(BY_KIND.get(membership.organisation.kind, set()))
    if membership.role == Membership.Role.ADMIN:
        rights |= ADMIN_EXTRA
    return frozenset(rights)


def role_of(user) -> str:
    """The workbench a user lands on: enterprise, provider, expert, district, city, platform or none."""
    if not user.is_authenticated or user.membership is None:
        return "none"
    org = user.membership.organisation
    if org.kind == Kind.AUTHORITY:
        return "city" if org.level == Organisation.Level.CITY else "district"
    return {Kind.COMMITTEE: "expert"}.get(org.kind, org.kind)
