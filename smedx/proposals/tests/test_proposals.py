"""Research, proposals, comments, conflicts of interest and the selection of a plan."""

import threading
import unittest
from decimal import Decimal

from django.db import connection, connections

from smedx.accounts.models import Organisation
from smedx.assessments import conflicts as assessment_conflicts
from smedx.assessments.models import DiagnosisRequest
from smedx.assessments.services import diagnosis as services_diagnosis
from smedx.core.errors import ConflictError, DomainError
from smedx.core.models import AuditEntry, Notification
from smedx.proposals import services
from smedx.proposals.models import Invitation, Need, Proposal, ProposalComment, Research, TransformationPlan
from smedx.testing import ConcurrencyTestCase, PersonaTestCase, make_org, make_user
from smedx.testing.proposals import (
    ITEMS,
    RESEARCH,
    ProjectsTestCase,
    diagnosed,
    listed,
    new_provider,
    proposal_for,
    published_need,
)

DRAFT = {"title": "方案", "scope": "范围", "expected_level": 2}


class ProposalTestCase(ProjectsTestCase):
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


class ResearchAndDraftTests(ProposalTestCase):
    def test_it_needs_research_before_a_proposal(self):
        with self.assertRaisesMessage(DomainError, "Record your research"):
            services.save_proposal(invitation=self.invitation, actor=self.provider, data=DRAFT, items=ITEMS)
        research = services.record_research(invitation=self.invitation, actor=self.provider, data=RESEARCH)
        self.assertEqual(research.strategy, "三年内建成数字化车间")
        self.assertEqual(Research.objects.visible_to(self.enterprise_user).get(), research)
        self.assertEqual(Research.objects.visible_to(self.expert).get(), research)
        self.assertFalse(Research.objects.visible_to(self.second).exists())
        self.assertFalse(Research.objects.visible_to(self.other_enterprise_user).exists())

    def test_it_refuses_research_by_another_provider(self):
        for persona in ("second", "enterprise_user", "expert"):
            with self.subTest(persona), self.assertRaises(DomainError):
                services.record_research(
                    invitation=self.invitation, actor=getattr(self, persona), data=RESEARCH
                )
        self.assertFalse(Research.objects.exists())

    def test_it_computes_amounts_and_the_total_and_keeps_the_draft_private(self):
        proposal = proposal_for(self.invitation, self.provider, submit=False)
        self.assertEqual(proposal.total, Decimal("180000.00"))
        self.assertEqual(
            sorted(proposal.items.values_list("amount", flat=True)), [Decimal(60000), Decimal(120000)]
        )
        self.assertFalse(Proposal.objects.visible_to(self.enterprise_user).exists())
        self.assertFalse(Proposal.objects.visible_to(self.expert).exists())
        self.assertTrue(Proposal.objects.visible_to(self.provider).exists())

    def test_it_refuses_a_negative_price_and_scenes_outside_the_need(self):
        services.record_research(invitation=self.invitation, actor=self.provider, data=RESEARCH)
        bad = [{**ITEMS[0], "unit_price": Decimal(-1)}]
        with self.assertRaises(DomainError):
            services.save_proposal(invitation=self.invitation, actor=self.provider, data=DRAFT, items=bad)
        with self.assertRaisesMessage(DomainError, "S16 is not a scene of this need"):
            services.save_proposal(
                invitation=self.invitation, actor=self.provider, data=DRAFT, items=ITEMS, scenes={"S16": 2}
            )
        self.assertFalse(Proposal.objects.exists())


class SubmitCommentTests(ProposalTestCase):
    def test_it_submits_marks_the_invitation_proposed_and_tells_the_enterprise_and_committee(self):
        with self.captureOnCommitCallbacks(execute=True):
            proposal = proposal_for(self.invitation, self.provider)
        self.assertEqual(proposal.status, Proposal.Status.SUBMITTED)
        self.assertEqual(proposal.conflict, "")
        self.assertEqual(Invitation.objects.get(pk=self.invitation.pk).status, Invitation.Status.PROPOSED)
        for user in (self.enterprise_user, self.expert):
            self.assertTrue(
                Notification.objects.filter(recipient=user, verb="proposals.proposal.submitted").exists()
            )
        with self.assertRaisesMessage(DomainError, "Only a draft proposal can be changed"):
            services.save_proposal(invitation=self.invitation, actor=self.provider, data=DRAFT, items=ITEMS)
        with self.assertRaises(DomainError):
            services.submit_proposal(proposal=proposal, actor=self.provider)

    def test_it_tells_no_expert_of_a_pending_committee_of_a_submitted_proposal(self):
        pending = make_org(Organisation.Kind.COMMITTEE, "待批准的委员会", status=Organisation.Status.PENDING)
        waiting = make_user("waiting_expert", pending)
        with self.captureOnCommitCallbacks(execute=True):
            proposal_for(self.invitation, self.provider)
        told = Notification.objects.filter(verb="proposals.proposal.submitted")
        self.assertTrue(told.filter(recipient=self.expert).exists())
        self.assertFalse(told.filter(recipient=waiting).exists())

    def test_it_refuses_submission_by_another_provider(self):
        proposal = proposal_for(self.invitation, self.provider, submit=False)
        with self.assertRaises(DomainError):
            services.submit_proposal(proposal=proposal, actor=self.second)
        self.assertEqual(Proposal.objects.get(pk=proposal.pk).status, Proposal.Status.DRAFT)

    def test_it_lets_experts_comment_on_submitted_proposals_only(self):
        proposal = proposal_for(self.invitation, self.provider, submit=False)
        with self.assertRaisesMessage(DomainError, "Only a submitted proposal"):
            services.comment_proposal(proposal=proposal, actor=self.expert, body="好")
        proposal = services.submit_proposal(proposal=proposal, actor=self.provider)
        for persona in ("enterprise_user", "provider", "district"):
            with self.subTest(persona), self.assertRaises(DomainError):
                services.comment_proposal(proposal=proposal, actor=getattr(self, persona), body="好")
        comment = services.comment_proposal(proposal=proposal, actor=self.expert, body="建议分两期实施")
        self.assertEqual((comment.author, comment.body), (self.expert, "建议分两期实施"))
        self.assertEqual(ProposalComment.objects.count(), 1)

    def test_it_withdraws_a_submitted_proposal(self):
        proposal = proposal_for(self.invitation, self.provider)
        services.withdraw_proposal(proposal=proposal, actor=self.provider)
        self.assertEqual(Proposal.objects.get(pk=proposal.pk).status, Proposal.Status.WITHDRAWN)
        with self.assertRaises(DomainError):
            services.withdraw_proposal(proposal=proposal, actor=self.provider)


class SelectionTests(ProposalTestCase):
    def test_it_makes_the_selected_proposal_the_plan_and_the_others_not_selected(self):
        first = proposal_for(self.invitation, self.provider)
        second = proposal_for(self.second_invitation, self.second)
        with self.captureOnCommitCallbacks(execute=True):
            plan = services.select_proposal(need=self.need, proposal=second, actor=self.enterprise_user)
        self.assertEqual(
            (plan.need, plan.proposal, plan.selected_by), (self.need, second, self.enterprise_user)
        )
        self.assertEqual(Proposal.objects.get(pk=first.pk).status, Proposal.Status.NOT_SELECTED)
        self.assertEqual(Proposal.objects.get(pk=second.pk).status, Proposal.Status.SELECTED)
        self.assertEqual(Need.objects.get(pk=self.need.pk).status, Need.Status.FULFILLED)
        self.assertTrue(AuditEntry.objects.filter(action="proposals.proposal.selected").exists())
        self.assertTrue(
            Notification.objects.filter(
                recipient=self.provider, verb="proposals.proposal.not_selected"
            ).exists()
        )
        self.assertTrue(
            Notification.objects.filter(recipient=self.second, verb="proposals.proposal.selected").exists()
        )
        with self.assertRaises(ConflictError):
            services.select_proposal(need=self.need, proposal=first, actor=self.enterprise_user)

    def test_it_refuses_selection_by_others_and_of_drafts(self):
        draft = proposal_for(self.invitation, self.provider, submit=False)
        with self.assertRaisesMessage(DomainError, "Only a submitted proposal"):
            services.select_proposal(need=self.need, proposal=draft, actor=self.enterprise_user)
        submitted = services.submit_proposal(proposal=draft, actor=self.provider)
        for persona in ("district", "expert", "provider", "other_enterprise_user"):
            with self.subTest(persona), self.assertRaises(DomainError):
                services.select_proposal(need=self.need, proposal=submitted, actor=getattr(self, persona))
        self.assertFalse(TransformationPlan.objects.exists())


class ConflictOfInterestTests(ProposalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # The persona provider, a diagnosis institution, carried out the enterprise's on-site diagnosis.
        cls.provider_org.is_diagnosis_institution = True
        cls.provider_org.save(update_fields=["is_diagnosis_institution"])
        cls.diagnosis = services_diagnosis.request_diagnosis(
            assessment=cls.assessment, actor=cls.enterprise_user, route="district"
        )
        services_diagnosis.assign(request=cls.diagnosis, actor=cls.district, institution=cls.provider_org)

    def test_it_flags_the_diagnosing_provider_and_refuses_selection_with_the_reason(self):
        with self.captureOnCommitCallbacks(execute=True):
            proposal = proposal_for(self.invitation, self.provider)
        self.assertIn("carried out the on-site diagnosis", proposal.conflict)
        self.assertTrue(
            Notification.objects.filter(recipient=self.district, verb="proposals.proposal.flagged").exists()
        )
        with self.assertRaisesMessage(DomainError, "needs the district authority's acknowledgement"):
            services.select_proposal(need=self.need, proposal=proposal, actor=self.enterprise_user)
        self.assertFalse(TransformationPlan.objects.exists())

    def test_it_selects_after_the_district_acknowledges(self):
        proposal = proposal_for(self.invitation, self.provider)
        for persona in ("other_district", "city", "enterprise_user", "expert"):
            with self.subTest(persona), self.assertRaises(DomainError):
                services.acknowledge_conflict(proposal=proposal, actor=getattr(self, persona), note="知悉")
        with self.assertRaisesMessage(DomainError, "Say why"):
            services.acknowledge_conflict(proposal=proposal, actor=self.district, note=" ")
        ack = services.acknowledge_conflict(
            proposal=proposal, actor=self.district, note="诊断与实施分离，已知悉"
        )
        self.assertEqual(ack.officer, self.district)
        with self.assertRaisesMessage(DomainError, "already acknowledged"):
            services.acknowledge_conflict(proposal=proposal, actor=self.district, note="再次")
        plan = services.select_proposal(need=self.need, proposal=proposal, actor=self.enterprise_user)
        self.assertEqual(plan.proposal, proposal)

    def test_it_flags_the_provider_whose_member_was_the_assigned_expert(self):
        DiagnosisRequest.objects.filter(pk=self.diagnosis.pk).update(institution=None, expert=self.second)
        second = proposal_for(self.second_invitation, self.second)
        self.assertIn(str(self.second_org), second.conflict)
        first = proposal_for(self.invitation, self.provider)
        self.assertEqual(first.conflict, "")

    def test_it_refuses_an_acknowledgement_for_a_proposal_without_a_conflict(self):
        second = proposal_for(self.second_invitation, self.second)
        with self.assertRaisesMessage(DomainError, "no conflict of interest"):
            services.acknowledge_conflict(proposal=second, actor=self.district, note="知悉")


class VerifierRuleTests(ProposalTestCase):
    def test_it_keeps_a_provider_with_a_proposal_from_verifying_the_enterprise(self):
        self.assertEqual(assessment_conflicts.reasons.__module__, "smedx.assessments.conflicts")
        proposal_for(self.invitation, self.provider, submit=False)
        request = services_diagnosis.request_diagnosis(
            assessment=self.assessment, actor=self.enterprise_user, route="district"
        )
        self.assertEqual(assessment_conflicts.reasons(request, institution=self.provider_org), [])
        services.submit_proposal(proposal=Proposal.objects.get(), actor=self.provider)
        found = assessment_conflicts.reasons(request, institution=self.provider_org)
        self.assertEqual(found, [f"{self.provider_org} has a proposal with the enterprise."])
        self.assertEqual(assessment_conflicts.reasons(request, institution=self.second_org), [])


@unittest.skipIf(connection.vendor != "postgresql", "row locks need PostgreSQL")
class ConcurrentSelectionTests(ConcurrencyTestCase):
    serialized_rollback = True

    def test_it_makes_one_plan_when_two_people_select_at_once(self):
        PersonaTestCase.setUpTestData.__func__(type(self))
        listed(self.provider.organisation)
        second_org, _profile = new_provider()
        second_user = make_user("second_provider", second_org)
        diagnosed(self.enterprise)
        owner, colleague = self.enterprise_user, self.enterprise_colleague
        need = published_need(self.enterprise, owner)
        invitations = [
            services.invite_provider(need=need, actor=owner, provider=org)
            for org in (self.provider.organisation, second_org)
        ]
        first = proposal_for(invitations[0], self.provider)
        second = proposal_for(invitations[1], second_user)
        barrier = threading.Barrier(2)
        outcomes = []

        def select(actor, proposal):
            try:
                barrier.wait()
                services.select_proposal(need=need, proposal=proposal, actor=actor)
                outcomes.append("plan")
            except DomainError as exc:
                outcomes.append(type(exc).__name__)
            finally:
                connections.close_all()

        threads = [
            threading.Thread(target=select, args=(owner, first)),
            threading.Thread(target=select, args=(colleague, second)),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(outcomes), ["ConflictError", "plan"])
        self.assertEqual(TransformationPlan.objects.filter(need=need).count(), 1)
        self.assertEqual(Proposal.objects.filter(status=Proposal.Status.SELECTED).count(), 1)
