"""A policy's eligibility: conditions over platform facts, as one database condition and, for one
enterprise, each condition marked met, not met or unknown.

    {"region": ["500112"], "industry_division": ["34"], "size_class": ["small", "micro"],
     "above_scale": true, "tags": ["专精特新"], "level_min": 2, "tiers": [7, 8],
     "project_accepted": true, "project_registered_from": "2026-01-01", "project_registered_to": "2026-12-31"}

The enterprise facts are the tier rules' (`planning.rules.rule_q`: the same keys mean the same
thing); a condition not given holds always. `tiers` are tier ids of classification standards (the
enterprise's tier under any application of them); `project_accepted` asks for an accepted project;
the registration window for a project registered (备案) between the two dates, either bound open.
The database condition and the per-enterprise check agree by construction of the tests
(`subsidies/tests/test_eligibility.py` compares them on every enterprise).
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from smedx.assessments.levels import level_label
from smedx.core.errors import DomainError
from smedx.planning import rules
from smedx.planning.models import EnterpriseTier, Tier
from smedx.projects.models import Project

FACTS = ("region", "industry_division", "size_class", "above_scale", "tags", "level_min")
PROJECT_KEYS = ("project_accepted", "project_registered_from", "project_registered_to")
KEYS = (*FACTS, "tiers", *PROJECT_KEYS)

MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"


def _day(value) -> date | None:
    return date.fromisoformat(value) if value else None


def validate(conditions: dict) -> dict:
    """The conditions with empty ones dropped; a DomainError for an unknown key or a bad value."""
    conditions = {key: value for key, value in (conditions or {}).items() if value not in (None, "", [])}
    unknown = sorted(set(conditions) - set(KEYS))
    if unknown:
        raise DomainError(_("Unknown eligibility conditions: %(keys)s") % {"keys": ", ".join(unknown)})
    try:
        start = _day(conditions.get("project_registered_from"))
        end = _day(conditions.get("project_registered_to"))
        if "level_min" in conditions:
            conditions["level_min"] = int(conditions["level_min"])
        if "tiers" in conditions:
            conditions["tiers"] = [int(pk) for pk in conditions["tiers"]]
    except (TypeError, ValueError) as exc:
        raise DomainError(_("An eligibility condition has a value that is not valid.")) from exc
    if start and end and end < start:
        raise DomainError(_("The registration window ends before it starts."))
    if "tiers" in conditions and Tier.objects.filter(pk__in=conditions["tiers"]).count() != len(
        set(conditions["tiers"])
    ):
        raise DomainError(_("An eligibility condition names a tier that does not exist."))
    return conditions


def _registered(conditions) -> Q:
    """A project registered inside the window (either bound open)."""
    q = Q(registered_at__isnull=False)
    if start := _day(conditions.get("project_registered_from")):
        q &= Q(registered_at__date__gte=start)
    if end := _day(conditions.get("project_registered_to")):
        q &= Q(registered_at__date__lte=end)
    return q


def condition(conditions: dict) -> Q:
    """The database condition over enterprises: every condition given holds."""
    q = rules.rule_q({key: conditions[key] for key in FACTS if key in conditions})
    if conditions.get("tiers"):
        tiered = EnterpriseTier.objects.filter(enterprise_id=OuterRef("pk"), tier_id__in=conditions["tiers"])
        q &= Q(Exists(tiered))
    if conditions.get("project_accepted"):
        accepted = Project.objects.filter(enterprise_id=OuterRef("pk"), status=Project.Status.ACCEPTED)
        q &= Q(Exists(accepted))
    if conditions.get("project_registered_from") or conditions.get("project_registered_to"):
        q &= Q(Exists(Project.objects.filter(_registered(conditions), enterprise_id=OuterRef("pk"))))
    return q


def eligible(policy):
    """The active enterprises of the policy's region that meet its conditions (a queryset)."""
    return rules.scope(policy.region).filter(condition(policy.conditions))


def describe(policy) -> list[str]:
    """The policy's conditions as short readable lines, for its page."""
    from smedx.core.formatting import joined

    c = policy.conditions or {}
    facts = {key: c[key] for key in FACTS if key in c}
    lines = [str(line) for line in rules.describe(facts)] if facts else []
    if c.get("tiers"):
        names = joined(Tier.objects.filter(pk__in=c["tiers"]).values_list("name", flat=True))
        lines.append(str(_("Tier: %(v)s") % {"v": names}))
    if c.get("project_accepted"):
        lines.append(str(_("A transformation project accepted")))
    if c.get("project_registered_from") or c.get("project_registered_to"):
        window = {
            "start": c.get("project_registered_from") or "…",
            "end": c.get("project_registered_to") or "…",
        }
        lines.append(str(_("A project registered %(start)s – %(end)s") % window))
    return lines or [str(_("Every active enterprise of the region"))]


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    state: str  # MET, NOT_MET or UNKNOWN

    @property
    def met(self) -> bool:
        return self.state == MET


def _state(ok) -> str:
    return UNKNOWN if ok is None else (MET if ok else NOT_MET)


def check(policy, enterprise) -> list[Check]:
    """Each condition of `policy` for `enterprise`, with its state; unknown where the fact is missing
    (no current level yet, no size class)."""
    from smedx.accounts.models import Region
    from smedx.core.formatting import joined
    from smedx.enterprises.models import SizeClass
    from smedx.enterprises.reference import industry_name

    c = policy.conditions or {}
    checks = []
    if policy.region.parent_id is not None:
        checks.append(
            Check(
                "scope",
                _("In %(region)s") % {"region": policy.region.name},
                _state(enterprise.region_id == policy.region_id),
            )
        )
    if c.get("region"):
        names = joined(Region.objects.filter(code__in=c["region"]).values_list("name", flat=True))
        checks.append(
            Check(
                "region", _("District: %(v)s") % {"v": names}, _state(enterprise.region.code in c["region"])
            )
        )
    if c.get("industry_division"):
        label = joined(f"{code} {industry_name(code)}" for code in c["industry_division"])
        ok = enterprise.industry_division in c["industry_division"]
        checks.append(Check("industry_division", _("Industry: %(v)s") % {"v": label}, _state(ok)))
    if c.get("size_class"):
        labels = dict(SizeClass.choices)
        label = joined(str(labels.get(s, s)) for s in c["size_class"])
        ok = enterprise.size_class in c["size_class"] if enterprise.size_class else None
        checks.append(Check("size_class", _("Size: %(v)s") % {"v": label}, _state(ok)))
    if "above_scale" in c:
        label = _("规上") if c["above_scale"] else _("规下")
        checks.append(Check("above_scale", label, _state(enterprise.above_scale == bool(c["above_scale"]))))
    if c.get("tags"):
        has = enterprise.tags.filter(name__in=c["tags"]).exists()
        checks.append(Check("tags", _("Tags: %(v)s") % {"v": joined(c["tags"])}, _state(has)))
    if c.get("level_min") is not None:
        level = enterprise.current_level
        label = _("Level at least %(v)s") % {"v": level_label(c["level_min"])}
        checks.append(Check("level_min", label, _state(None if level is None else level >= c["level_min"])))
    if c.get("tiers"):
        names = joined(Tier.objects.filter(pk__in=c["tiers"]).values_list("name", flat=True))
        has = EnterpriseTier.objects.filter(enterprise=enterprise, tier_id__in=c["tiers"]).exists()
        checks.append(Check("tiers", _("Tier: %(v)s") % {"v": names}, _state(has)))
    projects = Project.objects.filter(enterprise=enterprise)
    if c.get("project_accepted"):
        has = projects.filter(status=Project.Status.ACCEPTED).exists()
        checks.append(Check("project_accepted", _("A transformation project accepted"), _state(has)))
    if c.get("project_registered_from") or c.get("project_registered_to"):
        window = {
            "start": c.get("project_registered_from") or "…",
            "end": c.get("project_registered_to") or "…",
        }
        has = projects.filter(_registered(c)).exists()
        checks.append(
            Check("project_registered", _("A project registered %(start)s – %(end)s") % window, _state(has))
        )
    return checks


def base_amount(enterprise) -> Decimal | None:
    """What a share is taken of: the contract amount of the enterprise's latest accepted project."""
    project = (
        Project.objects.filter(enterprise=enterprise, status=Project.Status.ACCEPTED)
        .order_by("-completed_at", "-id")
        .first()
    )
    return project.contract_amount if project is not None else None


def estimate(policy, base: Decimal | None) -> Decimal | None:
    """The support the enterprise may expect: a fixed award, or the rate of `base` up to the cap."""
    if policy.support == policy.Support.FIXED:
        return policy.fixed_amount
    if base is None or policy.rate is None:
        return None
    amount = (Decimal(base) * policy.rate / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return min(amount, policy.cap) if policy.cap is not None else amount
