"""Two district officers review the same project at once: exactly one decision is recorded."""

import threading
import unittest

from django.db import connection, connections

from smedx.core.errors import DomainError
from smedx.projects.models import Project, ReviewStep
from smedx.projects.services import filing as services
from smedx.testing import ConcurrencyTestCase, PersonaTestCase, make_user
from smedx.testing.projects import draft_project, make_plan


@unittest.skipIf(connection.vendor != "postgresql", "row locks need PostgreSQL")
class ConcurrentReviewTests(ConcurrencyTestCase):
    serialized_rollback = True

    def test_it_records_one_decision_when_two_officers_review_at_once(self):
        PersonaTestCase.setUpTestData.__func__(type(self))
        colleague = make_user("district_colleague", self.district.organisation)
        plan = make_plan(self.enterprise, self.provider.organisation, by=self.enterprise_user)
        project = draft_project(self.enterprise_user, plan)
        services.submit_project(project=project, actor=self.enterprise_user, declared=True)
        barrier = threading.Barrier(2)
        outcomes = []

        def review(actor, register):
            try:
                barrier.wait()
                services.review_project(project=project, actor=actor, register=register, comment="意见")
                outcomes.append("registered" if register else "returned")
            except DomainError as exc:
                outcomes.append(type(exc).__name__)
            finally:
                connections.close_all()

        threads = [
            threading.Thread(target=review, args=(self.district, True)),
            threading.Thread(target=review, args=(colleague, False)),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(len(outcomes), 2)
        self.assertIn("ConflictError", outcomes)
        decided = ReviewStep.objects.filter(project=project).exclude(action=ReviewStep.Action.SUBMITTED)
        self.assertEqual(decided.count(), 1)
        winner = decided.get().action
        self.assertIn(winner, outcomes)
        self.assertEqual(Project.objects.get(pk=project.pk).status, winner)
