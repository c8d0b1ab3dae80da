"""Matching on a crafted catalogue whose scores are computed by hand.

The need (渝北区, division 34, budget 300,000 元) raises S01 S03 S06 S07 from 1 to 2. Weights: scenes 40,
industry 15, region 10, price 15, rating 10, load 10.

| | scenes | industry | region | price | rating | load | total |
|---|---|---|---|---|---|---|---|
| A: S01 S03 S06 →2, division 34, serves 渝北, ¥200k, 4.0★, idle | 6/8 → 30 | 15 | 10 | 15 | 8 | 10 | 88 |
| C: S01 →1 only, division 34, serves 渝北, ¥100k, 5.0★, idle | 1/8 → 5 | 15 | 10 | 15 | 10 | 10 | 65 |
| B: all four →3, every industry, serves the city, ¥400k, unrated, 1 open | 8/8 → 40 | 7.5 | 5 | 0 | 6 | 5 | 63.5 |
| D: all four →2, division 13, serves 江北, ¥300k, 2.0★, 2 open | 40 | 0 | 0 | 15 | 4 | 3.3 | 62.3 |
| E: S16 only | — not shortlisted — |
"""

from decimal import Decimal

from django.test import override_settings

from smedx.accounts.models import Region
from smedx.proposals import matching
from smedx.proposals.models import Invitation, Need, Proposal
from smedx.testing.proposals import ProjectsTestCase, new_provider, published_need, solution

TARGETS = {"S01": 2, "S03": 2, "S06": 2, "S07": 2}


class MatchingTests(ProjectsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        city, jiangbei = Region.objects.get(code="500000"), cls.other_region
        cls.need = published_need(
            cls.enterprise, cls.enterprise_user, budget=Decimal("300000"), targets=TARGETS
        )
        _a, pa = new_provider("甲", regions=[cls.home_region], rating=Decimal("4.0"))
        _b, pb = new_provider("乙", regions=[city])
        _c, pc = new_provider("丙", regions=[cls.home_region], rating=Decimal("5.0"))
        _d, pd = new_provider("丁", regions=[jiangbei], rating=Decimal("2.0"))
        _e, pe = new_provider("戊", regions=[cls.home_region], rating=Decimal("5.0"))
        cls.a = solution(pa, {"S01": 2, "S03": 2, "S06": 2}, industries=["34"], price_min=200000, name="A")
        cls.b = solution(pb, dict.fromkeys(TARGETS, 3), price_min=400000, name="B")
        cls.c = solution(pc, {"S01": 1}, industries=["34"], price_min=100000, name="C")
        cls.d = solution(pd, dict.fromkeys(TARGETS, 2), industries=["13"], price_min=300000, name="D")
        cls.e = solution(pe, {"S16": 3}, industries=["34"], price_min=1000, name="E")
        # Open work elsewhere: B has one unanswered invitation; D one invitation with a draft proposal.
        other = Need.objects.create(
            enterprise=cls.other_enterprise, title="别家", status=Need.Status.PUBLISHED
        )
        Invitation.objects.create(need=other, provider=pb.organisation)
        invitation = Invitation.objects.create(need=other, provider=pd.organisation)
        Proposal.objects.create(
            need=other, invitation=invitation, provider=pd.organisation, title="草稿", scope=""
        )

    def test_it_ranks_the_crafted_set_as_computed_by_hand(self):
        matches = matching.shortlist(self.need)
        self.assertEqual([m.solution.name for m in matches], ["A", "C", "B", "D"])
        self.assertEqual([m.total for m in matches], [88.0, 65.0, 63.5, 62.3])
        a, c, b, d = matches
        self.assertEqual(
            a.scores,
            {"scenes": 30.0, "industry": 15.0, "region": 10.0, "price": 15.0, "rating": 8.0, "load": 10.0},
        )
        self.assertEqual(
            b.scores,
            {"scenes": 40.0, "industry": 7.5, "region": 5.0, "price": 0.0, "rating": 6.0, "load": 5.0},
        )
        self.assertEqual(d.scores["load"], 3.3)
        self.assertEqual(c.scores["scenes"], 5.0)

    def test_it_gives_the_reason_for_each_rank(self):
        a, c, b, d = matching.shortlist(self.need)
        self.assertEqual(
            a.reason,
            "covers 3 of 4 scenes, 3 to the target level; fits the industry; serves this district; "
            "price within budget; rated 4.0; no open work",
        )
        self.assertIn(
            "for every industry; serves the whole city; price above budget; not yet rated", b.reason
        )
        self.assertIn("1 open proposals or invitations", b.reason)
        self.assertIn("made for other industries; does not serve this district", d.reason)

    def test_it_computes_the_shortlist_in_the_database_in_three_queries(self):
        # The need's scenes, the ranking, the components of the shortlisted rows.
        with self.assertNumQueries(3):
            matches = matching.shortlist(self.need, limit=2)
            self.assertEqual([m.provider.name for m in matches], ["甲", "丙"])

    @override_settings(
        PROJECTS_MATCH_WEIGHTS={"industry": 0, "region": 0, "price": 0, "rating": 0, "load": 0}
    )
    def test_it_takes_the_weights_from_the_settings(self):
        # Only scenes count: B and D cover all four (40 each; the cheaper D first), then A, then C.
        self.assertEqual([m.solution.name for m in matching.shortlist(self.need)], ["D", "B", "A", "C"])

    def test_it_leaves_out_unpublished_solutions_and_providers_no_longer_listed(self):
        self.a.status = self.a.Status.WITHDRAWN
        self.a.save(update_fields=["status"])
        self.c.provider.status = self.c.provider.Status.SUSPENDED
        self.c.provider.save(update_fields=["status"])
        self.assertEqual([m.solution.name for m in matching.shortlist(self.need)], ["B", "D"])
