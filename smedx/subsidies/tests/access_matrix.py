"""Stage 5 URLs in the access matrix (see smedx/core/tests/test_url_access.py).

The objects: a published city policy (every active organisation reads it) and a draft policy of the
persona district (its authority and the city's only)."""

from datetime import date
from decimal import Decimal

from smedx.subsidies import services
from smedx.subsidies.models import Policy

L = "login"
POST_ONLY = (L, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)
ALL_MEMBERS = (L, 404, 200, 200, 200, 200, 200, 200, 200, 200, 200)


def published(test, persona):
    return {"pk": test.subsidies_published.pk}


def draft(test, persona):
    return {"pk": test.subsidies_draft.pk}


# fmt: off
MATRIX = {
    #                                                 anon outs city dist odis expe prov plat ent  coll oent
    "subsidies:policy_list":      (lambda t, p: {}, (L,   403, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "subsidies:policy_create":    (lambda t, p: {}, (L,   403, 200, 200, 200, 403, 403, 403, 403, 403, 403)),
    "subsidies:policy_detail":    (published,       ALL_MEMBERS),
    "subsidies:policy_publish":   (draft,           POST_ONLY),
}
# fmt: on
EXEMPT = {}

TERMS = {
    "level": Policy.Level.CITY,
    "opens_on": date(2026, 12, 1),
    "closes_on": date(2027, 3, 31),
    "total_budget": Decimal("5000000"),
    "support": Policy.Support.SHARE,
    "rate": Decimal("30"),
    "cap": Decimal("500000"),
}


def setup(cls):
    policy = services.create_policy(
        actor=cls.city,
        region=cls.city_region,
        data={**TERMS, "title": "市级补助"},
        conditions={"level_min": 2},
    )
    cls.subsidies_published = services.publish_policy(policy=policy, actor=cls.city)
    cls.subsidies_draft = services.create_policy(
        actor=cls.district,
        region=cls.home_region,
        data={**TERMS, "title": "区级奖励", "level": Policy.Level.DISTRICT},
        conditions={},
    )
