"""Needs: drafted from the diagnosis, edited, published (stage 3), closed; recommendations and invitations."""

from datetime import date
from decimal import Decimal

from smedx.accounts.models import Organisation
from smedx.assessments.models import Assessment
from smedx.core.errors import DomainError
from smedx.core.models import AuditEntry, Notification
from smedx.enterprises.models import Enterprise, Stage
from smedx.proposals import services
from smedx.proposals.models import Invitation, Need, NeedScene, Recommendation
from smedx.providers.models import ProviderProfile
from smedx.testing import make_org, make_user
from smedx.testing.proposals import GAP_SCENES, ProjectsTestCase, new_provider, published_need

DATA = {
    "title": "MES 上线",
    "target_level": 2,
    "budget": Decimal("300000"),
    "start_month": date(2026, 3, 1),
    "end_month": date(2026, 12, 1),
    "description": "",
}


class DraftNeedTests(ProjectsTestCase):
    def test_it_prefills_the_gap_scenes_and_the_next_level_from_the_latest_diagnosis(self):
        need = services.draft_need_from_diagnosis(enterprise=self.enterprise, actor=self.enterprise_user)
        self.assertEqual(need.status, Need.Status.DRAFT)
        self.assertEqual((need.current_level, need.target_level), (1, 2))
        self.assertEqual(need.source_assessment, self.assessment)
        rows = list(need.scenes.values_list("scene", "current_level", "target_level"))
        self.assertEqual(rows, [(code, 1, 2) for code in GAP_SCENES])
        self.assertTrue(
            AuditEntry.objects.filter(
                action="proposals.need.created", enterprise_id=self.enterprise.pk
            ).exists()
        )

    def test_it_ignores_drafts_and_takes_the_latest_rated_assessment(self):
        Assessment.objects.filter(pk=self.assessment.pk).update(status=Assessment.Status.DRAFT)
        with self.assertRaisesMessage(DomainError, "Submit a self-assessment first"):
            services.draft_need_from_diagnosis(enterprise=self.enterprise, actor=self.enterprise_user)
        self.assertFalse(Need.objects.exists())

    def test_it_refuses_everybody_but_the_enterprise_people(self):
        for persona in ("district", "city", "expert", "provider", "other_enterprise_user", "outsider"):
            with self.subTest(persona), self.assertRaises(DomainError):
                services.draft_need_from_diagnosis(enterprise=self.enterprise, actor=getattr(self, persona))
        services.draft_need_from_diagnosis(enterprise=self.enterprise, actor=self.enterprise_colleague)


class EditPublishTests(ProjectsTestCase):
    def setUp(self):
        self.need = services.draft_need_from_diagnosis(enterprise=self.enterprise, actor=self.enterprise_user)

    def test_it_saves_fields_and_replaces_the_scenes(self):
        services.update_need(
            need=self.need, actor=self.enterprise_user, data=DATA, scenes={"S01": 3, "S02": 2}
        )
        self.need.refresh_from_db()
        self.assertEqual((self.need.title, self.need.budget), ("MES 上线", Decimal("300000")))
        self.assertEqual(
            list(self.need.scenes.values_list("scene", "current_level", "target_level")),
            [("S01", 1, 3), ("S02", 1, 2)],
        )

    def test_it_refuses_a_target_not_above_the_current_level_and_saves_nothing(self):
        with self.assertRaisesMessage(DomainError, "S01: the target level must be above the current level 1"):
            services.update_need(need=self.need, actor=self.enterprise_user, data=DATA, scenes={"S01": 1})
        with self.assertRaisesMessage(DomainError, "Unknown scene S99"):
            services.update_need(need=self.need, actor=self.enterprise_user, data=DATA, scenes={"S99": 2})
        self.assertEqual(NeedScene.objects.filter(need=self.need).count(), len(GAP_SCENES))
        self.assertNotEqual(Need.objects.get(pk=self.need.pk).title, "MES 上线")

    def test_it_publishes_advances_the_journey_to_stage_3_and_tells_the_committee(self):
        services.update_need(need=self.need, actor=self.enterprise_user, data=DATA, scenes={"S01": 2})
        with self.captureOnCommitCallbacks(execute=True):
            services.publish_need(need=self.need, actor=self.enterprise_user)
        self.need.refresh_from_db()
        self.assertEqual(self.need.status, Need.Status.PUBLISHED)
        self.assertEqual(self.need.published_by, self.enterprise_user)
        self.assertEqual(Enterprise.objects.get(pk=self.enterprise.pk).stage, Stage.DESIGN)
        self.assertTrue(AuditEntry.objects.filter(action="proposals.need.published").exists())
        self.assertTrue(
            Notification.objects.filter(recipient=self.expert, verb="proposals.need.published").exists()
        )

    def test_it_tells_no_expert_of_a_pending_or_rejected_committee(self):
        for status in (Organisation.Status.PENDING, Organisation.Status.REJECTED):
            org = make_org(Organisation.Kind.COMMITTEE, f"未批准的委员会 {status}", status=status)
            make_user(f"expert_{status}", org)
        services.update_need(need=self.need, actor=self.enterprise_user, data=DATA, scenes={"S01": 2})
        with self.captureOnCommitCallbacks(execute=True):
            services.publish_need(need=self.need, actor=self.enterprise_user)
        told = Notification.objects.filter(verb="proposals.need.published").values_list(
            "recipient__username", flat=True
        )
        self.assertEqual(set(told), {"expert"})

    def test_it_refuses_to_publish_without_a_budget_or_twice_or_by_an_officer(self):
        with self.assertRaisesMessage(DomainError, "a budget"):
            services.publish_need(need=self.need, actor=self.enterprise_user)
        services.update_need(need=self.need, actor=self.enterprise_user, data=DATA, scenes={"S01": 2})
        with self.assertRaises(DomainError):
            services.publish_need(need=self.need, actor=self.district)
        services.publish_need(need=self.need, actor=self.enterprise_user)
        with self.assertRaisesMessage(DomainError, "already published"):
            services.publish_need(need=self.need, actor=self.enterprise_user)
        with self.assertRaisesMessage(DomainError, "Only a draft need"):
            services.update_need(need=self.need, actor=self.enterprise_user, data=DATA, scenes={"S01": 3})

    def test_it_closes_an_open_need_once(self):
        services.close_need(need=self.need, actor=self.enterprise_user)
        self.assertEqual(Need.objects.get(pk=self.need.pk).status, Need.Status.CLOSED)
        with self.assertRaises(DomainError):
            services.close_need(need=self.need, actor=self.enterprise_user)


class RecommendInviteTests(ProjectsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.need = published_need(cls.enterprise, cls.enterprise_user)

    def test_it_lets_an_expert_recommend_a_listed_provider_and_tells_the_enterprise(self):
        with self.captureOnCommitCallbacks(execute=True):
            services.recommend_provider(
                need=self.need, actor=self.expert, provider=self.second_org, note="经验丰富"
            )
        self.assertEqual(Recommendation.objects.get().provider, self.second_org)
        self.assertTrue(Notification.objects.filter(recipient=self.enterprise_user).exists())

    def test_it_refuses_recommendations_by_others_and_of_unlisted_providers(self):
        for persona in ("enterprise_user", "provider", "district"):
            with self.subTest(persona), self.assertRaises(DomainError):
                services.recommend_provider(
                    need=self.need, actor=getattr(self, persona), provider=self.second_org
                )
        org, profile = new_provider(status=ProviderProfile.Status.SUSPENDED)
        with self.assertRaisesMessage(DomainError, "not listed"):
            services.recommend_provider(need=self.need, actor=self.expert, provider=org)
        self.assertFalse(Recommendation.objects.exists())

    def test_it_invites_a_listed_provider_once_with_a_notification(self):
        with self.captureOnCommitCallbacks(execute=True):
            invitation = services.invite_provider(
                need=self.need, actor=self.enterprise_user, provider=self.provider_org
            )
        self.assertEqual(invitation.status, Invitation.Status.INVITED)
        self.assertTrue(
            Notification.objects.filter(recipient=self.provider, verb="proposals.invitation.created").exists()
        )
        with self.assertRaisesMessage(DomainError, "already invited"):
            services.invite_provider(need=self.need, actor=self.enterprise_user, provider=self.provider_org)

    def test_it_refuses_invitations_by_others_or_to_a_closed_need(self):
        for persona in ("district", "expert", "provider", "other_enterprise_user"):
            with self.subTest(persona), self.assertRaises(DomainError):
                services.invite_provider(
                    need=self.need, actor=getattr(self, persona), provider=self.provider_org
                )
        services.close_need(need=self.need, actor=self.enterprise_user)
        with self.assertRaisesMessage(DomainError, "not open"):
            services.invite_provider(need=self.need, actor=self.enterprise_user, provider=self.provider_org)
        self.assertFalse(Invitation.objects.exists())

    def test_it_lets_the_provider_decline_once(self):
        invitation = services.invite_provider(
            need=self.need, actor=self.enterprise_user, provider=self.provider_org
        )
        with self.assertRaises(DomainError):
            services.decline_invitation(invitation=invitation, actor=self.second, reason="")
        services.decline_invitation(invitation=invitation, actor=self.provider, reason="档期已满")
        invitation.refresh_from_db()
        self.assertEqual(
            (invitation.status, invitation.decline_reason), (Invitation.Status.DECLINED, "档期已满")
        )
        with self.assertRaisesMessage(DomainError, "already answered"):
            services.decline_invitation(invitation=invitation, actor=self.provider)
