"""The read-only figures of stage 3: each is one query and agrees with a direct count."""

from smedx.proposals import metrics, services
from smedx.proposals.models import ConflictAcknowledgement, Invitation, Need, Proposal, ProposalComment
from smedx.testing.proposals import RESEARCH, ProjectsTestCase, proposal_for, published_need


class MetricsTests(ProjectsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.need = published_need(cls.enterprise, cls.enterprise_user)
        cls.invitation = services.invite_provider(
            need=cls.need, actor=cls.enterprise_user, provider=cls.provider_org
        )
        cls.second_invitation = services.invite_provider(
            need=cls.need, actor=cls.enterprise_user, provider=cls.second_org
        )
        cls.proposal = proposal_for(cls.invitation, cls.provider)
        Proposal.objects.filter(pk=cls.proposal.pk).update(conflict="诊断机构")

    def test_it_counts_the_district_conflicts_to_acknowledge(self):
        with self.assertNumQueries(1):
            self.assertEqual(metrics.conflicts_to_acknowledge(self.home_region.pk), 1)
        self.assertEqual(metrics.conflicts_to_acknowledge(self.other_region.pk), 0)
        ConflictAcknowledgement.objects.create(proposal=self.proposal, officer=self.district, note="知悉")
        self.assertEqual(metrics.conflicts_to_acknowledge(self.home_region.pk), 0)
        self.assertFalse(metrics.unacknowledged_conflicts().exists())

    def test_it_counts_needs_awaiting_a_recommendation(self):
        direct = Need.objects.filter(status=Need.Status.PUBLISHED, recommendations__isnull=True).count()
        with self.assertNumQueries(1):
            self.assertEqual(metrics.needs_awaiting_recommendation(), direct)
        services.recommend_provider(need=self.need, actor=self.expert, provider=self.second_org, note="推荐")
        self.assertEqual(metrics.needs_awaiting_recommendation(), direct - 1)

    def test_it_counts_the_proposals_awaiting_the_experts_comment(self):
        with self.assertNumQueries(1):
            self.assertEqual(metrics.proposals_awaiting_comment(self.expert), 1)
        ProposalComment.objects.create(proposal=self.proposal, author=self.expert, body="好")
        self.assertEqual(metrics.proposals_awaiting_comment(self.expert), 0)

    def test_it_splits_open_invitations_into_to_research_and_to_answer(self):
        services.record_research(invitation=self.second_invitation, actor=self.second, data=RESEARCH)
        with self.assertNumQueries(1):
            self.assertEqual(metrics.open_invitations(self.second), (0, 1))
        Invitation.objects.filter(pk=self.second_invitation.pk).update(status=Invitation.Status.DECLINED)
        self.assertEqual(metrics.open_invitations(self.second), (0, 0))
        self.assertEqual(metrics.open_invitations(self.outsider), (0, 0))

    def test_it_counts_the_invitations_of_each_need(self):
        with self.assertNumQueries(1):
            self.assertEqual(metrics.invitations_per_need(self.enterprise), {self.need.pk: 2})
        self.assertEqual(metrics.invitations_per_need(self.other_enterprise), {})
