"""One user's rights, from the grants each app declares in its `hooks.py` (see `smedx.core.frame`).

A right says what a person may do; the `visible_to(user)` queryset of each model says on which rows.
A person holds grants by organisation kind, level and role (`grants_of`); their rights are the union of
what every app grants to those. `manage.py rights_table` prints the whole role × right table, and
`docs/rights.md` is that table as committed (a test compares them).
"""

from functools import cache

from smedx.accounts.models import Membership, Organisation
from smedx.core import frame

Kind = Organisation.Kind

# The columns of the printed table: a role and the grants a plain member of it holds.
ROLES = {
    "city": ("everyone", "authority", "city"),
    "district": ("everyone", "authority", "district"),
    "expert": ("everyone", "committee"),
    "provider": ("everyone", "provider"),
    "institution": ("everyone", "provider", "institution"),
    "enterprise": ("everyone", "enterprise"),
    "platform": ("everyone", "platform"),
    "admin": ("admin",),
}


def grants_of(user) -> frozenset[str]:
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    membership = user.membership
    if membership is None or not membership.organisation.is_active:
        return frozenset()  # a pending or rejected organisation has no rights
    org = membership.organisation
    grants = {"everyone", org.kind}
    if org.kind == Kind.AUTHORITY:
        grants.add(org.level)
    if org.kind == Kind.PROVIDER and org.is_diagnosis_institution:
        grants.add("institution")
    if membership.role == Membership.Role.ADMIN:
        grants.add("admin")
    return frozenset(grants)


@cache
def by_grant() -> dict[str, frozenset[str]]:
    """grant → every right the installed apps give it (computed once, after the apps are ready)."""
    table = {grant: set() for grant in frame.GRANTS}
    for _label, hooks in frame.installed():
        for grant, rights in hooks.rights.items():
            table[grant] |= set(rights)
    return {grant: frozenset(rights) for grant, rights in table.items()}


def rights_for(user) -> frozenset[str]:
    table = by_grant()
    return frozenset().union(*(table[grant] for grant in grants_of(user)))


def role_rights(role: str) -> frozenset[str]:
    table = by_grant()
    return frozenset().union(*(table[grant] for grant in ROLES[role]))


def role_table() -> str:
    """The role × right table as Markdown: one row per right, a mark per role that holds it."""
    roles = list(ROLES)
    held = {role: role_rights(role) for role in roles}
    every = sorted(set().union(*held.values()))
    lines = ["| right | " + " | ".join(roles) + " |", "|---" * (len(roles) + 1) + "|"]
    for right in every:
        marks = " | ".join("✓" if right in held[role] else "" for role in roles)
        lines.append(f"| `{right}` | {marks} |")
    return "\n".join(lines) + "\n"


def role_of(user) -> str:
    """The workbench a user lands on: enterprise, provider, expert, district, city, platform or none."""
    if not user.is_authenticated or user.membership is None:
        return "none"
    org = user.membership.organisation
    if org.kind == Kind.AUTHORITY:
        return "city" if org.level == Organisation.Level.CITY else "district"
    return {Kind.COMMITTEE: "expert"}.get(org.kind, org.kind)
