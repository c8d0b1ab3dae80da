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

# Stage 1 诊断评估: officers follow assessments, arrange on-site diagnoses and decide on conflicts.
ASSESSMENT_OFFICER = {
    "assessments.assessment:list",
    "assessments.assessment:export",
    "assessments.diagnosis:assign",
    "assessments.conflict:decide",
}

BY_KIND: dict[str, set[str]] = {
    Kind.AUTHORITY: ENTERPRISE_OFFICER | ASSESSMENT_OFFICER,
    Kind.COMMITTEE: {
        "accounts.expert:act",
        "assessments.diagnosis:recommend",
        "assessments.diagnosis:assign",
        "assessments.assessment:verify",
    },
    Kind.PROVIDER: set(),
    Kind.ENTERPRISE: {
        "enterprises.enterprise:view",
        "enterprises.enterprise:change",
        "assessments.assessment:fill",
        "assessments.diagnosis:request",
    },
    Kind.PLATFORM: {
        "accounts.organisation:approve",
        "accounts.organisation:list",
        "core.audit:view",
        "assessments.level_rule:change",
    },
}

# A provider listed as a diagnosis institution (诊断机构) verifies the assessments it is assigned.
DIAGNOSIS_INSTITUTION = {"assessments.assessment:verify"}

ADMIN_EXTRA = {"accounts.membership:invite", "accounts.membership:manage"}


def rights_for(user) -> frozenset[str]:
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    membership = user.membership
    if membership is None or not membership.organisation.is_active:
        return frozenset()
    org = membership.organisation
    rights = set(BY_KIND.get(org.kind, set()))
    if org.kind == Kind.AUTHORITY and org.level == Organisation.Level.CITY:
        # The whole audit log spans all districts; a district sees the trail on its case files.
        rights.add("core.audit:view")
    if org.kind == Kind.PROVIDER and org.is_diagnosis_institution:
        rights |= DIAGNOSIS_INSTITUTION
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
