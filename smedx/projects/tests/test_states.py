"""The state questions project pages ask, answered by the models."""

from django.test import SimpleTestCase

from smedx.projects.models import Milestone, Project

S = Project.Status


class ProjectStateTests(SimpleTestCase):
    def test_it_counts_a_project_as_filed_once_the_district_registered_it(self):
        filed = {status for status in S if Project(status=status).is_filed}
        self.assertEqual(filed, set(S) - {S.DRAFT, S.SUBMITTED, S.RETURNED})

    def test_it_awaits_review_only_while_submitted(self):
        self.assertEqual({s for s in S if Project(status=s).is_awaiting_review}, {S.SUBMITTED})

    def test_it_colours_a_failed_acceptance_as_danger_and_a_draft_as_secondary(self):
        self.assertEqual(
            (Project(status=S.FAILED).status_tone, Project().status_tone), ("danger", "secondary")
        )

    def test_it_waits_for_confirmation_of_a_reported_milestone_only(self):
        answers = [
            (Milestone(status=s).is_reported, Milestone(status=s).is_confirmed) for s in Milestone.Status
        ]
        self.assertEqual(answers, [(False, False), (True, False), (False, True)])
