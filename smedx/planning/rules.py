"""Tier rules as data, turned into database conditions.

A rule is a dict of conditions over enterprise facts; every condition given must hold, a missing or
empty one holds always (a rule `{}` is a catch-all):

    {"size_class": ["medium", "small"], "above_scale": true, "industry_division": ["34", "36"],
     "region": ["500112"], "level_min": 2, "level_max": 3, "level_in": [2, 3], "tags": ["重点"]}

The level is the enterprise's current level (`Enterprise.current_level`, kept by stage 1's services
with the rule of `assessments.standing`: latest verified, else latest submitted self-assessment), so
tiers, plan figures and the officers' chart count the same enterprises; an enterprise without one
fails every level condition. Tiers are tried in order and the first match
wins, which `tier_case` expresses as one SQL CASE so counting (`metrics.tier_preview`) and applying
agree by construction.
"""

from django.db import connection
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Subquery, Value, When

from smedx.enterprises.models import Enterprise, InArray, Tag

LEVEL = "current_level"
RULE_KEYS = (
    "size_class",
    "above_scale",
    "industry_division",
    "region",
    "level_min",
    "level_max",
    "level_in",
    "tags",
)


def rule_q(rule: dict) -> Q:
    """The condition of one rule over enterprises (the level is `Enterprise.current_level`)."""
    rule = rule or {}
    q = Q()
    if rule.get("size_class"):
        q &= Q(size_class__in=rule["size_class"])
    if rule.get("above_scale") is not None:
        q &= Q(above_scale=bool(rule["above_scale"]))
    if rule.get("industry_division"):
        q &= Q(industry_division__in=rule["industry_division"])
    if rule.get("region"):
        q &= Q(region__code__in=rule["region"])
    if rule.get("level_min") is not None:
        q &= Q(**{f"{LEVEL}__gte": int(rule["level_min"])})
    if rule.get("level_max") is not None:
        q &= Q(**{f"{LEVEL}__lte": int(rule["level_max"])})
    if rule.get("level_in"):
        q &= Q(**{f"{LEVEL}__in": [int(level) for level in rule["level_in"]]})
    if rule.get("tags"):
        q &= Q(Exists(_tagged(rule["tags"])))
    return q


def _tagged(names):
    """The tag links of the outer enterprise to a tag named in `names`. On PostgreSQL the tag ids are
    looked up once (`= ANY(ARRAY(…))`), so each enterprise costs one probe of the (enterprise, tag)
    index instead of a join to the tags per row."""
    links = Enterprise.tags.through.objects.filter(enterprise_id=OuterRef("pk"))
    if connection.vendor != "postgresql":
        return links.filter(tag__name__in=names)
    ids = Tag.objects.filter(name__in=names).order_by().values("pk")
    return links.filter(InArray(F("tag_id"), Subquery(ids)))


def tier_case(tiers):
    """CASE WHEN rule1 THEN tier1 WHEN rule2 THEN tier2 … END: the first matching tier's id, or NULL."""
    # A catch-all rule has no condition; When() needs one that always holds.
    whens = [When(rule_q(tier.rule) or Q(pk__isnull=False), then=Value(tier.pk)) for tier in tiers]
    if not whens:
        return Value(None, output_field=IntegerField())
    return Case(*whens, default=None, output_field=IntegerField())


def scope(region):
    """The active enterprises a standard of `region` classifies: the whole city or one district."""
    qs = Enterprise.objects.filter(status=Enterprise.Status.ACTIVE)
    if region.parent_id is not None:
        qs = qs.filter(region_id=region.pk)
    return qs


def classified(region, tiers):
    """The enterprises of `region`, each annotated with `tier_id` (None when no tier matches)."""
    return scope(region).annotate(tier_id=tier_case(tiers))


def describe(rule: dict) -> list[str]:
    """Short readable conditions for the standard page."""
    from django.utils.translation import gettext as _

    from smedx.assessments.levels import level_label
    from smedx.core.formatting import joined
    from smedx.enterprises.models import SizeClass
    from smedx.enterprises.reference import industry_name

    rule = rule or {}
    parts = []
    if rule.get("size_class"):
        labels = dict(SizeClass.choices)
        parts.append(_("Size: %(v)s") % {"v": joined(str(labels.get(s, s)) for s in rule["size_class"])})
    if rule.get("above_scale") is not None:
        parts.append(_("规上") if rule["above_scale"] else _("规下"))
    if rule.get("industry_division"):
        parts.append(
            _("Industry: %(v)s")
            % {"v": joined(f"{code} {industry_name(code)}" for code in rule["industry_division"])}
        )
    if rule.get("region"):
        from smedx.accounts.models import Region

        names = Region.objects.filter(code__in=rule["region"]).values_list("name", flat=True)
        parts.append(_("District: %(v)s") % {"v": joined(names)})
    if rule.get("level_min") is not None:
        parts.append(_("Level at least %(v)s") % {"v": level_label(rule["level_min"])})
    if rule.get("level_max") is not None:
        parts.append(_("Level at most %(v)s") % {"v": level_label(rule["level_max"])})
    if rule.get("level_in"):
        parts.append(_("Level: %(v)s") % {"v": joined(str(level_label(n)) for n in rule["level_in"])})
    if rule.get("tags"):
        parts.append(_("Tags: %(v)s") % {"v": joined(rule["tags"])})
    return parts or [_("All other enterprises")]


def known_tags() -> list[str]:
    return list(Tag.objects.values_list("name", flat=True))
