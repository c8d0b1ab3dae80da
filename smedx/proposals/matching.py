"""Matching a need to the solution catalogue: a ranked shortlist, each rank with its reasons.

Everything is computed in the database: one query ranks the catalogue by a weighted total of one
expression per component (each 0…1) and cuts it to N ids; a second annotates those N rows with each
component for display. No Python loop runs over the catalogue; only the N rows get their reason text.

Components (weights in `WEIGHTS`, overridable with the setting `PROJECTS_MATCH_WEIGHTS`):

- scenes: the need's scenes the solution raises, and whether it reaches the target level —
  (raised + reaching) / (2 × scenes of the need); a solution raising none is not shortlisted;
- industry: 1 if the solution names the enterprise's GB/T 4754 division, 0.5 if it names none
  (for every industry), 0 otherwise;
- region: 1 if the provider serves the enterprise's district, 0.5 if it serves the whole city;
- price: 1 if the lowest price is within the budget, 0 otherwise;
- rating: the provider's star rating / 5 (3 stars while it has none);
- load: 1 / (1 + open work), open work being the provider's unanswered invitations and undecided
  (draft or submitted) proposals — busy providers drop.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext as _

from smedx.proposals.models import Invitation, Proposal
from smedx.providers.models import ProviderProfile, Solution, SolutionScene

WEIGHTS = {"scenes": 40, "industry": 15, "region": 10, "price": 15, "rating": 10, "load": 10}
COMPONENTS = tuple(WEIGHTS)
NEUTRAL_RATING = 3
SHORTLIST = 10


def weights() -> dict[str, float]:
    return {**WEIGHTS, **getattr(settings, "PROJECTS_MATCH_WEIGHTS", {})}


def _count(qs, group: str):
    """A correlated COUNT subquery (0 when no row), grouped by `group`."""
    counted = qs.order_by().values(group).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _float(expr):
    return Cast(expr, FloatField())


def _expressions(need, scenes) -> dict:
    """One database expression per component (0…1) and the counts behind them; none refers to another,
    so the ranking query evaluates each subquery once."""
    enterprise = need.enterprise
    n = max(len(scenes), 1)
    rows = SolutionScene.objects.filter(solution=OuterRef("pk"), scene__in=[code for code, _t in scenes])
    reaching = Case(
        *(When(scene=code, to_level__gte=target, then=Value(1)) for code, target in scenes),
        default=Value(0),
        output_field=IntegerField(),
    )
    reach_sum = rows.order_by().values("solution").annotate(n=Sum(reaching)).values("n")[:1]
    served = ProviderProfile.regions.through.objects.filter(providerprofile_id=OuterRef("provider_id"))
    budget_yuan = need.budget or Decimal(0)
    open_invitations = Invitation.objects.filter(
        provider_id=OuterRef("provider__organisation_id"), status=Invitation.Status.INVITED
    )
    open_proposals = Proposal.objects.filter(
        provider_id=OuterRef("provider__organisation_id"),
        status__in=(Proposal.Status.DRAFT, Proposal.Status.SUBMITTED),
    )
    raised = _count(rows, "solution")
    reached = Coalesce(Subquery(reach_sum, output_field=IntegerField()), 0)
    open_work = _count(open_invitations, "provider") + _count(open_proposals, "provider")
    return {
        "raised": raised,
        "reaching": reached,
        "open": open_work,
        "scenes": (_float(raised) + _float(reached)) / Value(2.0 * n),
        "industry": Case(
            When(industries__contains=f",{enterprise.industry_division},", then=Value(1.0)),
            When(industries="", then=Value(0.5)),
            default=Value(0.0),
            output_field=FloatField(),
        ),
        "region": Case(
            When(Exists(served.filter(region_id=enterprise.region_id)), then=Value(1.0)),
            When(Exists(served.filter(region__parent__isnull=True)), then=Value(0.5)),
            default=Value(0.0),
            output_field=FloatField(),
        ),
        "price": Case(
            When(price_min__lte=budget_yuan, then=Value(1.0)), default=Value(0.0), output_field=FloatField()
        ),
        "rating": _float(Coalesce(F("provider__rating"), Value(Decimal(NEUTRAL_RATING)))) / Value(5.0),
        "load": Value(1.0) / (Value(1.0) + _float(open_work)),
        "covers": Exists(rows),
    }


def _total(expressions):
    w = weights()
    return sum((expressions[name] * Value(float(w[name])) for name in COMPONENTS), Value(0.0))


def annotate(solutions, need, scenes=None):
    """Annotate `solutions` with `m_<component>` (0…1), `m_raised`, `m_reaching`, `m_open` and `m_total`;
    only solutions raising at least one of the need's scenes are kept."""
    scenes = scenes if scenes is not None else list(need.scenes.values_list("scene", "target_level"))
    exprs = _expressions(need, scenes)
    named = {f"m_{name}": exprs[name] for name in ("raised", "reaching", "open", *COMPONENTS)}
    return solutions.filter(exprs["covers"]).annotate(**named, m_total=_total(exprs))


def rank(solutions, need, scenes, limit: int) -> list[int]:
    """The ids of the best `limit` solutions, best first, in one query.

    The scene component comes from joining the solutions' scene rows (one GROUP BY) rather than from
    correlated subqueries; the other components are evaluated once per solution.
    """
    exprs = _expressions(need, scenes)
    codes = [code for code, _t in scenes]
    points = Sum(
        Case(
            *(
                When(scenes__scene=code, scenes__to_level__gte=target, then=Value(2))
                for code, target in scenes
            ),
            default=Value(1),
            output_field=IntegerField(),
        )
    )
    w = weights()
    others = sum((exprs[name] * Value(float(w[name])) for name in COMPONENTS if name != "scenes"), Value(0.0))
    scene_points = _float(points) / Value(2.0 * max(len(scenes), 1)) * Value(float(w["scenes"]))
    ranked = (
        solutions.filter(scenes__scene__in=codes)
        .annotate(m_rank=scene_points + others)
        .order_by("-m_rank", "price_min", "pk")
    )
    return list(ranked.values_list("pk", flat=True)[:limit])


@dataclass
class Match:
    rank: int
    solution: Solution
    total: float
    scores: dict  # component → weighted points
    reasons: list

    @property
    def provider(self):
        return self.solution.provider.organisation

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


def _reasons(solution, scene_count: int) -> list[str]:
    s = solution
    out = [
        _("covers %(raised)s of %(total)s scenes, %(reaching)s to the target level")
        % {"raised": s.m_raised, "total": scene_count, "reaching": s.m_reaching}
    ]
    out.append(
        {1.0: _("fits the industry"), 0.5: _("for every industry")}.get(
            s.m_industry, _("made for other industries")
        )
    )
    out.append(
        {1.0: _("serves this district"), 0.5: _("serves the whole city")}.get(
            s.m_region, _("does not serve this district")
        )
    )
    out.append(_("price within budget") if s.m_price else _("price above budget"))
    rating = s.provider.rating
    out.append(_("rated %(stars)s") % {"stars": rating} if rating is not None else _("not yet rated"))
    out.append(_("%(n)s open proposals or invitations") % {"n": s.m_open} if s.m_open else _("no open work"))
    return out


def shortlist(need, limit: int = SHORTLIST, solutions=None) -> list[Match]:
    """The best `limit` solutions of the catalogue (or of `solutions`) for `need`, best first."""
    scenes = list(need.scenes.values_list("scene", "target_level"))
    if not scenes:
        return []
    base = solutions if solutions is not None else Solution.objects.catalogue()
    ids = rank(base, need, scenes, limit)
    rows = annotate(Solution.objects.filter(pk__in=ids), need, scenes).select_related(
        "provider__organisation"
    )
    by_id = {s.pk: s for s in rows}
    w = weights()
    return [
        Match(
            rank=position,
            solution=s,
            total=round(s.m_total, 1),
            scores={name: round(getattr(s, f"m_{name}") * w[name], 1) for name in COMPONENTS},
            reasons=_reasons(s, len(scenes)),
        )
        for position, s in enumerate((by_id[pk] for pk in ids), start=1)
    ]


def component_labels() -> dict[str, str]:
    return {
        "scenes": _("Scenes"),
        "industry": _("Industry"),
        "region": _("Region"),
        "price": _("Price"),
        "rating": _("Rating"),
        "load": _("Load"),
    }
