"""The pages people open every day, each beside its floor: the bare SQL the page fundamentally needs.

`manage.py bench_pages` logs in as each demo persona (seed_demo's logins), requests every page below and
times the same floor through a raw cursor, so a page's figure reads against what its data costs on the
same database in the same run.

A floor is a lower bound, declared by hand so a reviewer can judge it: the rows and figures the page
shows, read the cheapest plain way (the stored facts on the enterprise row, one grouped count instead
of several), without the session and user lookups every page makes and without child rows such as
tags or solution scenes. A ratio far above the others points at the page to look at.

Each page also declares `max_queries`, the most SQL queries one request may run once warmed up (the
first view of a plan stores its targets' baselines). `test_page_queries` holds every page to it on the
demo data and again after adding more rows, so a page whose queries grow with its rows fails there.

Pages that need an object take one from the database (the district's first enterprise, project, plan
and standard in list order), so the same declarations run on the demo data and on a large synthetic
database; a page whose object is missing is reported as such.
"""

from dataclasses import dataclass
from functools import cached_property
from math import ceil
from urllib.parse import urlencode

from django.db import connection

from smedx.accounts.models import User
from smedx.assessments.exports import DIMENSIONS
from smedx.enterprises.models import Enterprise
from smedx.planning.models import Plan, Standard, Target
from smedx.projects.models import Project
from smedx.subsidies.models import Policy

PAGE_SIZE = 25  # the lists' page size (the catalogue shows 20)
DEEP_PAGE = 500
SEARCH = "宏达"

# --- the floors' SQL ------------------------------------------------------------------------------

NOTIFICATIONS = """SELECT id, title, url, created_at FROM core_notification
WHERE recipient_id = %s AND read_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 5"""

REGION_SUMMARY = """SELECT status, size_class, above_scale, COUNT(*) FROM enterprises_enterprise e
{where} GROUP BY status, size_class, above_scale"""

EXPERT_TODOS = (
    "SELECT status, COUNT(*) FROM assessments_diagnosisrequest WHERE expert_id = %s GROUP BY status"
)
PROVIDER_TODOS = "SELECT status, COUNT(*) FROM proposals_invitation WHERE provider_id = %s GROUP BY status"

ENTERPRISE_ROWS = """SELECT e.id, e.name, e.credit_code, r.name, e.industry_division, e.size_class,
  e.above_scale, e.stage, e.current_level, e.current_basis, e.current_score, e.status, e.contact_name,
  e.contact_phone
FROM enterprises_enterprise e JOIN accounts_region r ON r.id = e.region_id
{where} ORDER BY e.created_at DESC, e.id DESC LIMIT 25 OFFSET %s"""
ENTERPRISE_COUNT = "SELECT COUNT(*) FROM enterprises_enterprise e {where}"
BY_DISTRICT = "WHERE e.region_id = %s"
BY_NAME = "WHERE e.name LIKE %s OR e.credit_code LIKE %s"

CASE_FILE = """SELECT e.*, r.name FROM enterprises_enterprise e JOIN accounts_region r ON r.id = e.region_id
WHERE e.id = %s"""
OWN_CASE_FILE = """SELECT e.*, r.name FROM enterprises_enterprise e JOIN accounts_region r ON r.id = e.region_id
WHERE e.organisation_id = %s"""
TRAIL = """SELECT id, created_at, actor_id, action, object_repr, data FROM core_auditentry
WHERE enterprise_id = %s ORDER BY created_at DESC, id DESC LIMIT 50"""

ASSESSMENT_ROWS = """SELECT a.id, a.kind, a.period, a.status, a.total, a.level, a.submitted_at, {points},
  e.id, e.name, e.credit_code, e.industry_division, r.name, i.version
FROM assessments_assessment a JOIN enterprises_enterprise e ON e.id = a.enterprise_id
  JOIN accounts_region r ON r.id = e.region_id JOIN assessments_instrument i ON i.id = a.instrument_id
{where} ORDER BY a.created_at DESC, a.id DESC LIMIT 25"""
ASSESSMENT_COUNT = "SELECT COUNT(*) FROM assessments_assessment a"
DISTRICT_ASSESSMENT_COUNT = """SELECT COUNT(*) FROM assessments_assessment a
JOIN enterprises_enterprise e ON e.id = a.enterprise_id WHERE e.region_id = %s"""
LEVEL_CHART = """SELECT r.code, r.name, e.current_level, COUNT(*) FROM enterprises_enterprise e
JOIN accounts_region r ON r.id = e.region_id WHERE e.current_level IS NOT NULL {also}
GROUP BY r.code, r.name, e.current_level"""

PLAN = "SELECT p.*, r.name FROM planning_plan p JOIN accounts_region r ON r.id = p.region_id WHERE p.id = %s"
TARGETS = 'SELECT * FROM planning_target WHERE plan_id = %s ORDER BY "order", id'
# One count per target over the stored facts (the figure at the plan's start, which needs the
# assessments' history, is left out).
TARGET_COUNT = """SELECT COUNT(*), SUM(CASE WHEN {hit} THEN 1 ELSE 0 END) FROM enterprises_enterprise e
WHERE e.status = 'active' {also}"""
AT_LEVEL = "e.current_level >= %s"
TRANSFORMED = """e.stage >= 4 OR EXISTS (SELECT 1 FROM assessments_assessment a WHERE a.enterprise_id = e.id
  AND a.status IN ('submitted', 'verified') AND a.period <> 'T0')"""

STANDARD = """SELECT s.*, r.name FROM planning_standard s JOIN accounts_region r ON r.id = s.region_id
WHERE s.id = %s"""
TIERS = 'SELECT * FROM planning_tier WHERE standard_id = %s ORDER BY "order", id'
# Every tier count is a sum over these groups of the facts the rules test.
TIER_FACTS = """SELECT size_class, above_scale, industry_division, current_level, COUNT(*)
FROM enterprises_enterprise e WHERE e.status = 'active' {also}
GROUP BY size_class, above_scale, industry_division, current_level"""
APPLICATIONS = """SELECT id, applied_at, applied_by_id, counts FROM planning_application
WHERE standard_id = %s ORDER BY applied_at DESC, id DESC"""

CATALOGUE = """SELECT s.id, s.name, s.summary, s.deployment, s.price_min, s.price_max, s.price_unit,
  s.delivery_days, p.rating, o.name
FROM providers_solution s JOIN providers_providerprofile p ON p.id = s.provider_id
  JOIN accounts_organisation o ON o.id = p.organisation_id
WHERE s.status = 'published' AND p.status IN ('listed', 'warned')
ORDER BY p.rating DESC NULLS LAST, s.published_at DESC, s.id DESC LIMIT 20"""
CATALOGUE_COUNT = """SELECT COUNT(*) FROM providers_solution s JOIN providers_providerprofile p
ON p.id = s.provider_id WHERE s.status = 'published' AND p.status IN ('listed', 'warned')"""

DIAGNOSIS_ROWS = """SELECT d.id, d.status, d.route, d.requested_at, d.expert_id, d.institution_id,
  e.name, r.name, a.period
FROM assessments_diagnosisrequest d JOIN enterprises_enterprise e ON e.id = d.enterprise_id
  JOIN accounts_region r ON r.id = e.region_id JOIN assessments_assessment a ON a.id = d.assessment_id
ORDER BY d.requested_at DESC, d.id DESC LIMIT 25"""
DIAGNOSIS_COUNT = "SELECT COUNT(*) FROM assessments_diagnosisrequest"

INVITATION_ROWS = """SELECT i.id, i.status, i.created_at, n.title, e.name, r.name
FROM proposals_invitation i JOIN proposals_need n ON n.id = i.need_id
  JOIN enterprises_enterprise e ON e.id = n.enterprise_id JOIN accounts_region r ON r.id = e.region_id
WHERE i.provider_id = %s ORDER BY i.created_at DESC, i.id DESC LIMIT 25"""
INVITATION_COUNT = "SELECT COUNT(*) FROM proposals_invitation WHERE provider_id = %s"

PROJECT_ROWS = """SELECT p.id, p.title, p.status, p.contract_amount, e.name, r.name, o.name
FROM projects_project p JOIN enterprises_enterprise e ON e.id = p.enterprise_id
  JOIN accounts_region r ON r.id = e.region_id JOIN accounts_organisation o ON o.id = p.provider_id
{where} ORDER BY p.created_at DESC, p.id DESC LIMIT 25"""
PROJECT_COUNT = (
    "SELECT COUNT(*) FROM projects_project p JOIN enterprises_enterprise e ON e.id = p.enterprise_id {where}"
)
BY_PROVIDER = "WHERE p.provider_id = %s"
PROJECT = """SELECT p.*, e.name, o.name FROM projects_project p JOIN enterprises_enterprise e ON e.id = p.enterprise_id
  JOIN accounts_organisation o ON o.id = p.provider_id WHERE p.id = %s"""
MILESTONES = 'SELECT * FROM projects_milestone WHERE project_id = %s ORDER BY "order", due_date, id'
ITEMS = "SELECT * FROM projects_projectitem WHERE project_id = %s ORDER BY id"


POLICY_ROWS = """SELECT p.id, p.title, p.level, p.opens_on, p.closes_on, p.total_budget, p.status, r.name, o.name
FROM subsidies_policy p JOIN accounts_region r ON r.id = p.region_id JOIN accounts_organisation o ON o.id = p.issuer_id
WHERE p.status = 'published' ORDER BY p.created_at DESC, p.id DESC LIMIT 200"""
OWN_ELIGIBILITY = """SELECT pe.policy_id FROM subsidies_policyeligibility pe JOIN enterprises_enterprise e
ON e.id = pe.enterprise_id WHERE e.organisation_id = %s"""
POLICY = """SELECT p.*, r.name, o.name FROM subsidies_policy p JOIN accounts_region r ON r.id = p.region_id
  JOIN accounts_organisation o ON o.id = p.issuer_id WHERE p.id = %s"""


def json_text(column: str, *path: str) -> str:
    """A text value inside a JSON column, as each database writes it."""
    if connection.vendor == "postgresql":
        *inner, last = path
        return column + "".join(f" -> '{key}'" for key in inner) + f" ->> '{last}'"
    return f"json_extract({column}, '$.{'.'.join(path)}')"


# --- the objects the pages are about --------------------------------------------------------------


class Objects:
    """The demo personas and, found on first use, the objects their pages show."""

    def __init__(self):
        self.users = {}

    def user(self, username: str) -> User:
        if username not in self.users:
            self.users[username] = User.objects.get(username=username)
        return self.users[username]

    @cached_property
    def district_org(self):
        return self.user("district_officer").organisation

    @cached_property
    def district(self) -> int:
        return self.district_org.region_id

    @cached_property
    def enterprises(self) -> int:
        return Enterprise.objects.count()

    @cached_property
    def deep_page(self) -> int:
        return max(1, min(DEEP_PAGE, ceil(self.enterprises / PAGE_SIZE)))

    @cached_property
    def district_enterprise(self) -> Enterprise | None:
        return Enterprise.objects.filter(region_id=self.district).order_by("-created_at", "-id").first()

    @cached_property
    def own_organisation(self) -> int:
        return self.user("enterprise").organisation.pk

    @cached_property
    def own_enterprise(self) -> Enterprise | None:
        return Enterprise.objects.filter(organisation_id=self.own_organisation).first()

    @cached_property
    def plan(self) -> Plan | None:
        return Plan.objects.filter(region_id=self.district).order_by("-period_start", "-id").first()

    @cached_property
    def standard(self) -> Standard | None:
        return Standard.objects.filter(authority=self.district_org).order_by("-created_at", "-id").first()

    @cached_property
    def project(self) -> Project | None:
        return (
            Project.objects.filter(enterprise__region_id=self.district).order_by("-created_at", "-id").first()
        )

    @cached_property
    def policy(self) -> Policy | None:
        return Policy.objects.published().order_by("-created_at", "-id").first()

    @cached_property
    def provider(self) -> int:
        return self.user("provider").organisation.pk


# --- the pages ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    name: str
    persona: str
    url: object  # Objects -> the path, or None when the database holds no object for it
    floor: object  # Objects -> [(sql, params), …]
    max_queries: int  # the most queries a warmed-up request may run, whatever the data (test_page_queries)


def _workbench(persona, max_queries, *statements):
    def floor(o):
        return [(NOTIFICATIONS, [o.user(persona).pk]), *(s(o) for s in statements)]

    return Page("workbench /", persona, lambda o: "/", floor, max_queries)


def _enterprise_list(where="", params=(), offset=0):
    return [
        (ENTERPRISE_ROWS.format(where=where), [*params, offset]),
        (ENTERPRISE_COUNT.format(where=where), list(params)),
    ]


def _assessment_list(o, district: bool):
    points = ", ".join(json_text("a.result", "dimensions", code, "points") for code, _name in DIMENSIONS)
    if not district:
        return [
            (ASSESSMENT_ROWS.format(points=points, where=""), []),
            (ASSESSMENT_COUNT, []),
            (LEVEL_CHART.format(also=""), []),
        ]
    return [
        (ASSESSMENT_ROWS.format(points=points, where=BY_DISTRICT), [o.district]),
        (DISTRICT_ASSESSMENT_COUNT, [o.district]),
        (LEVEL_CHART.format(also="AND e.region_id = %s"), [o.district]),
    ]


def _in_region(region) -> tuple[str, list]:
    """The scope of a plan or standard: one district, or the whole city (the region without parent)."""
    return ("AND e.region_id = %s", [region.pk]) if region.parent_id is not None else ("", [])


def _target_count(target: Target):
    also, params = _in_region(target.plan.region)
    if target.division:
        also, params = also + " AND e.industry_division = %s", [*params, target.division]
    if target.metric == Target.Metric.TRANSFORMED:
        return TARGET_COUNT.format(hit=TRANSFORMED, also=also), params
    if target.metric == Target.Metric.SHARE_AT_LEVEL:
        also += " AND e.above_scale"
    return TARGET_COUNT.format(hit=AT_LEVEL, also=also), [target.level or 0, *params]


def _plan_floor(o):
    targets = o.plan.targets.select_related("plan__region")
    return [(PLAN, [o.plan.pk]), (TARGETS, [o.plan.pk]), *(_target_count(t) for t in targets)]


def _tier_floor(o, applications=False):
    also, params = _in_region(o.standard.region)
    statements = [
        (STANDARD, [o.standard.pk]),
        (TIERS, [o.standard.pk]),
        (TIER_FACTS.format(also=also), params),
    ]
    return statements + ([(APPLICATIONS, [o.standard.pk])] if applications else [])


def _project_floor(o):
    pk = o.project.pk
    return [(PROJECT, [pk]), (MILESTONES, [pk]), (ITEMS, [pk])]


def _at(path, obj_name):
    """The path of `obj_name`'s page, or None when there is no such object."""

    def url(o):
        obj = getattr(o, obj_name)
        return None if obj is None else path.format(pk=obj.pk)

    return url


PAGES = [
    _workbench("city_officer", 12, lambda o: (REGION_SUMMARY.format(where=""), [])),
    _workbench("district_officer", 15, lambda o: (REGION_SUMMARY.format(where=BY_DISTRICT), [o.district])),
    _workbench("expert", 15, lambda o: (EXPERT_TODOS, [o.user("expert").pk])),
    _workbench("provider", 15, lambda o: (PROVIDER_TODOS, [o.provider])),
    _workbench("enterprise", 24, lambda o: (OWN_CASE_FILE, [o.own_organisation])),
    Page(
        "enterprise list, page 1",
        "city_officer",
        lambda o: "/enterprises/",
        lambda o: _enterprise_list(),
        max_queries=10,
    ),
    Page(
        "enterprise list, deep page",
        "city_officer",
        lambda o: f"/enterprises/?page={o.deep_page}",
        lambda o: _enterprise_list(offset=(o.deep_page - 1) * PAGE_SIZE),
        max_queries=10,
    ),
    Page(
        "enterprise list, page 1",
        "district_officer",
        lambda o: "/enterprises/",
        lambda o: _enterprise_list(BY_DISTRICT, [o.district]),
        max_queries=10,
    ),
    Page(
        f"enterprise search {SEARCH}",
        "city_officer",
        lambda o: "/enterprises/?" + urlencode({"q": SEARCH}),
        lambda o: _enterprise_list(BY_NAME, [f"%{SEARCH}%", f"{SEARCH}%"]),
        max_queries=10,
    ),
    Page(
        "case file",
        "district_officer",
        _at("/enterprises/{pk}/", "district_enterprise"),
        lambda o: [(CASE_FILE, [o.district_enterprise.pk]), (TRAIL, [o.district_enterprise.pk])],
        max_queries=19,
    ),
    Page(
        "case file (own)",
        "enterprise",
        _at("/enterprises/{pk}/", "own_enterprise"),
        lambda o: [(CASE_FILE, [o.own_enterprise.pk]), (TRAIL, [o.own_enterprise.pk])],
        max_queries=20,
    ),
    Page(
        "assessment list",
        "city_officer",
        lambda o: "/assessments/officer/",
        lambda o: _assessment_list(o, district=False),
        max_queries=10,
    ),
    Page(
        "assessment list",
        "district_officer",
        lambda o: "/assessments/officer/",
        lambda o: _assessment_list(o, district=True),
        max_queries=10,
    ),
    Page(
        "plan progress",
        "district_officer",
        _at("/planning/plans/{pk}/", "plan"),
        _plan_floor,
        max_queries=9,
    ),
    Page(
        "tier preview",
        "district_officer",
        _at("/planning/standards/{pk}/apply/", "standard"),
        _tier_floor,
        max_queries=8,
    ),
    Page(
        "standard detail",
        "district_officer",
        _at("/planning/standards/{pk}/", "standard"),
        lambda o: _tier_floor(o, applications=True),
        max_queries=9,
    ),
    Page(
        "solution catalogue",
        "enterprise",
        lambda o: "/providers/solutions/",
        lambda o: [(CATALOGUE, []), (CATALOGUE_COUNT, [])],
        max_queries=8,
    ),
    Page(
        "diagnosis list",
        "expert",
        lambda o: "/assessments/diagnosis/",
        lambda o: [(DIAGNOSIS_ROWS, []), (DIAGNOSIS_COUNT, [])],
        max_queries=6,
    ),
    Page(
        "invitations and proposals",
        "provider",
        lambda o: "/proposals/invitations/",
        lambda o: [(INVITATION_ROWS, [o.provider]), (INVITATION_COUNT, [o.provider])],
        max_queries=6,
    ),
    Page(
        "project list",
        "provider",
        lambda o: "/projects/",
        lambda o: [
            (PROJECT_ROWS.format(where=BY_PROVIDER), [o.provider]),
            (PROJECT_COUNT.format(where=BY_PROVIDER), [o.provider]),
        ],
        max_queries=6,
    ),
    Page(
        "project list",
        "district_officer",
        lambda o: "/projects/",
        lambda o: [
            (PROJECT_ROWS.format(where=BY_DISTRICT), [o.district]),
            (PROJECT_COUNT.format(where=BY_DISTRICT), [o.district]),
        ],
        max_queries=6,
    ),
    Page(
        "project page",
        "district_officer",
        _at("/projects/{pk}/", "project"),
        _project_floor,
        max_queries=12,
    ),
    Page(
        "policy list",
        "enterprise",
        lambda o: "/policies/",
        lambda o: [(POLICY_ROWS, []), (OWN_ELIGIBILITY, [o.own_organisation])],
        max_queries=7,
    ),
    Page(
        "policy page",
        "enterprise",
        _at("/policies/{pk}/", "policy"),
        # One query per condition the demo policy sets (current level, an accepted project).
        lambda o: [(POLICY, [o.policy.pk]), (OWN_CASE_FILE, [o.own_organisation])],
        max_queries=8,
    ),
    Page(
        "policy page",
        "city_officer",
        _at("/policies/{pk}/", "policy"),
        lambda o: [(POLICY, [o.policy.pk])],
        max_queries=6,
    ),
]
