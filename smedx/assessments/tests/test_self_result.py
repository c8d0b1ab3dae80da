"""The result page: the engine's numbers, the gap, the provisional result of a draft, and the peers."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from smedx.assessments.metrics import MIN_PEERS, peer_groups
from smedx.assessments.models import Assessment
from smedx.assessments.scoring import score
from smedx.assessments.tests.test_self_services import SelfAssessmentTestCase
from smedx.testing import make_enterprise
from smedx.testing.answer_sets import middling, rule


class ResultPageTests(SelfAssessmentTestCase):
    def url(self, assessment):
        return reverse("assessments:result", args=[assessment.pk])

    def test_it_shows_the_engines_numbers(self):
        answers = middling(S01=2, S06=1)
        submitted = self.submitted(answers)
        expected = score(self.spec, answers, rule())
        self.login(self.enterprise_user)
        response = self.client.get(self.url(submitted))
        view = response.context["view"]
        self.assertEqual(view["total"], Decimal("65.25"))
        self.assertEqual(view["total"], expected.total_display)
        self.assertEqual(
            {d["code"]: d["points"] for d in view["dimensions"]},
            {code: s.points.quantize(Decimal("0.01")) for code, s in expected.dimensions.items()},
        )
        self.assertEqual({s["code"]: s["level"] for s in view["scenes"]}, expected.scenes)
        self.assertEqual(view["level"], expected.level)
        self.assertContains(response, 'data-testid="total">65.25<')
        self.assertContains(response, '<span data-testid="dimension-points-M">8.25</span>')
        self.assertContains(response, 'data-testid="level">Level 3<')
        self.assertNotContains(response, 'data-testid="provisional"')

    def test_it_lists_the_gap_to_the_next_level(self):
        # 65.25 points and every scene at 二级: level 2; level 3 needs 8 scenes (5 constrained) at 三级.
        answers = middling(**{f"S{n:02d}": 2 for n in range(1, 17)})
        submitted = self.submitted(answers)
        gap = score(self.spec, answers, rule()).gap
        self.login(self.enterprise_user)
        response = self.client.get(self.url(submitted))
        shown = response.context["view"]["gap"]
        self.assertEqual(shown["level"], 3)
        self.assertEqual(shown["points_missing"], Decimal("0.00"))
        self.assertEqual([s["scene"] for s in shown["scenes"]], [s.scene for s in gap.scenes])
        self.assertTrue(shown["scenes"][0]["constrained"])
        self.assertEqual(len(shown["scenes"]), 8)
        first = shown["suggestions"][0]
        self.assertEqual((first["item"], first["gain"]), (gap.suggestions[0].item, gap.suggestions[0].gain))
        self.assertContains(response, "What it takes to reach Level 3")

    def test_it_shows_a_drafts_running_score_as_provisional(self):
        draft = self.fill(self.start(), {"B1": ["B", "C", "D", "E"], "B5": ["E"]})
        self.login(self.enterprise_user)
        response = self.client.get(self.url(draft))
        self.assertContains(response, 'data-testid="provisional"')
        self.assertContains(response, "29 items are still to answer")
        self.assertEqual(response.context["view"]["total"], Decimal("18.00"))
        self.assertEqual(response.context["peers"], [])

    def test_it_shows_the_result_to_the_district_and_hides_it_from_others(self):
        submitted = self.submitted()
        self.login(self.district)
        self.assertEqual(self.client.get(self.url(submitted)).status_code, 200)
        for user in (self.other_district, self.other_enterprise_user, self.expert, self.outsider):
            self.login(user)
            self.assertEqual(self.client.get(self.url(submitted)).status_code, 404)

    def test_it_gives_the_radar_its_dimensions_and_scene_categories(self):
        submitted = self.submitted(middling())
        self.login(self.enterprise_user)
        radar = self.client.get(self.url(submitted)).context["view"]["radar"]
        self.assertEqual(len(radar["indicators"]), 3 + 4)
        self.assertEqual(radar["values"], [100, 27, 35, 100, 100, 100, 100])  # 8.25/30, 7/20; scenes at 四级

    def test_it_runs_a_fixed_number_of_queries(self):
        submitted = self.submitted()
        self.login(self.enterprise_user)
        self.client.get(self.url(submitted))
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url(submitted))
        for n in range(6):
            make_peer(self.enterprise, Decimal(50 + n))
        with self.assertNumQueries(len(few)):
            self.client.get(self.url(submitted))
        # session, user, membership, assessment, peers, unread notifications
        self.assertEqual(len(few), 6)


def make_peer(like, total, **fields):
    """Another enterprise like `like` (same industry, district and size unless told) with a submitted total."""
    values = {
        "industry_division": like.industry_division,
        "employees": like.employees,
        "revenue": like.revenue,
        **fields,
    }
    region = values.pop("region", like.region)
    enterprise = make_enterprise(region, **values)
    own = Assessment.objects.filter(enterprise=like).first()
    return Assessment.objects.create(
        enterprise=enterprise,
        instrument=own.instrument,
        level_rule=own.level_rule,
        status=Assessment.Status.SUBMITTED,
        submitted_at=timezone.now(),
        total=total,
        level=2,
    )


class PeerTests(SelfAssessmentTestCase):
    def setUp(self):
        super().setUp()
        self.mine = self.submitted(middling())  # 65.25

    def groups(self):
        return {g.key: g for g in peer_groups(self.mine)}

    def test_it_hides_groups_with_fewer_than_five_other_enterprises(self):
        for total in (40, 50, 60, 70):
            make_peer(self.enterprise, Decimal(total))
        self.assertEqual(self.groups(), {})
        self.login(self.enterprise_user)
        response = self.client.get(reverse("assessments:result", args=[self.mine.pk]))
        self.assertContains(response, "at least 5 other enterprises")

    def test_it_shows_the_average_and_percentile_from_five(self):
        for total in (40, 50, 60, 70, "65.25"):
            make_peer(self.enterprise, Decimal(total))
        groups = self.groups()
        self.assertEqual(set(groups), {"industry", "district", "size"})
        industry = groups["industry"]
        self.assertEqual(industry.count, MIN_PEERS)
        self.assertEqual(industry.average, Decimal("57.05"))  # (40+50+60+70+65.25)/5
        self.assertEqual(industry.percentile, Decimal("70.0"))  # 3 lower, 1 equal (half): 3.5/5
        self.login(self.enterprise_user)
        response = self.client.get(reverse("assessments:result", args=[self.mine.pk]))
        self.assertContains(response, 'data-testid="peer-industry"')
        self.assertContains(response, "57.05")
        self.assertContains(response, "70.0 %")

    def test_it_counts_each_group_on_its_own(self):
        for total in (10, 20, 30, 40, 50):
            make_peer(self.enterprise, Decimal(total), industry_division="13")  # same district and size
        make_peer(self.enterprise, Decimal(90), region=self.other_region)  # same industry and size
        groups = self.groups()
        self.assertEqual(set(groups), {"district", "size"})
        self.assertEqual(groups["district"].count, 5)
        self.assertEqual(groups["district"].percentile, Decimal("100.0"))
        self.assertEqual(groups["size"].count, 6)
        self.assertEqual(groups["size"].average, Decimal("40.00"))

    def test_it_counts_only_each_enterprises_latest_submitted_self_assessment(self):
        peers = [make_peer(self.enterprise, Decimal(80)) for _ in range(5)]
        earlier = timezone.now() - timezone.timedelta(days=30)
        for peer in peers:
            Assessment.objects.create(  # an older, lower one: not counted
                enterprise=peer.enterprise,
                instrument=peer.instrument,
                level_rule=peer.level_rule,
                period="T1",
                status=Assessment.Status.SUBMITTED,
                submitted_at=earlier,
                total=Decimal(10),
            )
        Assessment.objects.create(  # a draft: not counted
            enterprise=peers[0].enterprise,
            instrument=peers[0].instrument,
            level_rule=peers[0].level_rule,
            period="T2",
            total=Decimal(0),
        )
        industry = self.groups()["industry"]
        self.assertEqual(
            (industry.count, industry.average, industry.percentile), (5, Decimal("80.00"), Decimal("0.0"))
        )
