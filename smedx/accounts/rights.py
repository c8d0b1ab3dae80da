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

# Rights only the city authority has (not the districts); apps add theirs below with `|=`.
CITY_EXTRA: set[str] = set()

# --- providers: the provider pool (服务商资源池) and the solution catalogue -------------------------
PROVIDER_POOL_STAFF = {"providers.profile:edit", "providers.solution:edit"}
PROVIDER_POOL_MANAGER = {"providers.application:decide", "providers.provider:manage"}
BY_KIND[Kind.PROVIDER] |= PROVIDER_POOL_STAFF
BY_KIND[Kind.COMMITTEE] |= {"providers.application:review"}
BY_KIND[Kind.PLATFORM] |= PROVIDER_POOL_MANAGER | {"providers.institution:flag"}
CITY_EXTRA |= PROVIDER_POOL_MANAGER
# --- end providers ---------------------------------------------------------------------------------

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
        rights |= CITY_EXTRA
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


# --- Stage 3 方案设计 (projects app): needs, proposals, selection, conflicts of interest ------------
PROJECTS_BY_KIND = {
    Kind.ENTERPRISE: {"proposals.need:edit", "proposals.proposal:select"},
    Kind.PROVIDER: {"proposals.proposal:edit"},
    Kind.COMMITTEE: {"proposals.need:recommend", "proposals.proposal:comment"},
    # The services let only the enterprise's own district acknowledge a conflict of interest.
    Kind.AUTHORITY: {"proposals.need:list", "proposals.conflict:acknowledge"},
}
for _kind, _rights in PROJECTS_BY_KIND.items():
    BY_KIND[_kind] |= _rights


# --- Stage 2 战略规划 (smedx.planning) -------------------------------------------------------------
# Everyone with an active organisation reads the guide library (an enterprise only what fits it);
# authorities issue documents, standards and plans and answer planning requests of their area.
PLANNING_READER = {"planning.document:view"}
PLANNING_OFFICER = {
    "planning.document:manage",
    "planning.standard:manage",
    "planning.plan:view",
    "planning.plan:manage",
    "planning.request:list",
    "planning.request:answer",
}
PLANNING_ENTERPRISE = {"planning.document:read", "planning.request:create", "planning.request:list"}
# The provider an enterprise engaged for its plan answers that request.
PLANNING_PROVIDER = {"planning.request:list", "planning.request:answer"}
for _kind in BY_KIND:
    BY_KIND[_kind] |= PLANNING_READER
BY_KIND[Kind.AUTHORITY] |= PLANNING_OFFICER
BY_KIND[Kind.ENTERPRISE] |= PLANNING_ENTERPRISE
BY_KIND[Kind.PROVIDER] |= PLANNING_PROVIDER
# --- end planning ----------------------------------------------------------------------------------


# --- Stage 4 项目实施, registration and implementation (smedx.projects.services.filing) -----------
# The enterprise registers its project, confirms milestones, records invoices and asks for changes;
# the provider reports progress; authorities follow projects, and the enterprise's district reviews.
PROJECT_DELIVERY_BY_KIND = {
    Kind.ENTERPRISE: {"projects.project:edit", "projects.milestone:confirm", "projects.invoice:record"},
    Kind.PROVIDER: {"projects.progress:report"},
    Kind.AUTHORITY: {"projects.project:review", "projects.project:list"},
}
for _kind, _rights in PROJECT_DELIVERY_BY_KIND.items():
    BY_KIND[_kind] |= _rights
# --- end stage 4 registration and implementation ---------------------------------------------------


# --- Stage 4 项目实施, supervision and acceptance (services_supervision, services_acceptance) --------
# The committee assigns supervisors, supervises and decides acceptances; the provider fixes
# rectifications; the enterprise applies for acceptance and rates its provider.
PROJECT_ACCEPTANCE_BY_KIND = {
    Kind.ENTERPRISE: {"projects.acceptance:apply"},
    Kind.PROVIDER: {"projects.rectification:fix"},
    Kind.COMMITTEE: {"projects.supervision:assign", "projects.supervision:act", "projects.acceptance:decide"},
}
for _kind, _rights in PROJECT_ACCEPTANCE_BY_KIND.items():
    BY_KIND[_kind] |= _rights
# --- end stage 4 supervision and acceptance --------------------------------------------------------
