"""Fuzz every operation of the published OpenAPI document with schemathesis, as several personas.

The schema and the calls go through Django's WSGI handler in-process (no network). Each operation
gets a few generated requests per persona, derandomized so a run is reproducible; every answer must
be a documented status code with a body that matches the document, and never a 5xx.
"""

import re
from contextlib import contextmanager
from datetime import date

import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode, checks

from smedx.accounts.services import create_api_token
from smedx.assessments.models import Assessment
from smedx.projects.models import ChangeRequest, Rectification
from smedx.proposals import services as proposals
from smedx.testing.api import API, ApiTestCase
from smedx.testing.assessments import make_assessment
from smedx.testing.planning import stage_two
from smedx.testing.projects import make_plan, registered_project
from smedx.testing.proposals import ProjectsTestCase, proposal_for, published_need, solution

PERSONAS = ("enterprise_user", "district", "expert", "provider")
# Examples per operation and persona: valid requests, then requests the document says are invalid.
EXAMPLES = {GenerationMode.POSITIVE: 4, GenerationMode.NEGATIVE: 3}
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@contextmanager
def one_transaction():
    """Keep the test's transaction across requests: Django's handler would close the connection after each.

    Django's own test client does the same around every request.
    """
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (signals.request_started, signals.request_finished):
            signal.connect(close_old_connections)


class FuzzTests(ApiTestCase, ProjectsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # One object of each kind the paths name, so that requests get past the 404.
        draft = make_assessment(cls.enterprise, {}, period="T1", status=Assessment.Status.DRAFT)
        need = published_need(cls.enterprise, cls.enterprise_user)
        invitation = proposals.invite_provider(
            need=need, actor=cls.enterprise_user, provider=cls.provider_org
        )
        proposal = proposal_for(invitation, cls.provider)
        plan = make_plan(cls.enterprise, cls.provider_org, by=cls.enterprise_user)
        project = registered_project(cls.enterprise_user, cls.district, plan)
        stage_two(cls)  # a guide, a standard with a tier, a plan and a planning request
        change = ChangeRequest.objects.create(
            project=project, requested_by=cls.enterprise_user, description="延期", changes={}
        )
        rectification = Rectification.objects.create(
            project=project, issued_by=cls.expert, description="整改", deadline=date(2099, 1, 1)
        )
        cls.path_values = {
            "enterprise_id": cls.enterprise.pk,
            "assessment_id": draft.pk,
            "verification_id": cls.assessment.pk,
            "code": "miit-2024-mfg",
            "version": "2024.1",
            "item_code": "B2",
            "need_id": need.pk,
            "proposal_id": proposal.pk,
            "project_id": project.pk,
            "milestone_id": project.milestones.first().pk,
            "solution_id": solution(cls.provider_profile, {"S01": 2}, industries=["34"]).pk,
            "provider_id": cls.provider_profile.pk,
            "document_id": cls.planning_doc.pk,
            "standard_id": cls.planning_standard.pk,
            "tier_id": cls.planning_tier.pk,
            "plan_id": cls.planning_plan.pk,
            "request_id": cls.planning_request.pk,
            "change_id": change.pk,
            "rectification_id": rectification.pk,
        }
        cls.tokens = {
            persona: create_api_token(user=getattr(cls, persona), name="fuzz")[1] for persona in PERSONAS
        }

    def test_it_answers_every_operation_as_documented_and_never_with_5xx(self):
        failures = []
        with one_transaction():
            schema = schemathesis.openapi.from_wsgi(f"{API}/openapi.json", WSGIHandler())
            for result in schema.get_all_operations():
                operation = result.ok()
                for persona in PERSONAS:
                    for mode, examples in EXAMPLES.items():
                        failures += self.fuzz(operation, persona, mode, examples)
        self.assertEqual(failures, [], "\n\n".join(failures))

    def fuzz(self, operation, persona, mode, examples) -> list[str]:
        headers = {"Authorization": f"Bearer {self.tokens[persona]}"}
        names = re.findall(r"{(\w+)}", operation.path)
        path_parameters = {name: self.path_values[name] for name in names}
        found = []

        @settings(
            max_examples=examples,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(mode, path_parameters=path_parameters))
        def run(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except Unsatisfiable:
            pass  # negative mode on an operation whose only input is the fixed path: nothing to break
        except (Exception, BaseExceptionGroup) as exc:  # collected: one run reports every operation at fault
            found.append(f"{operation.label} as {persona} ({mode.value}):\n{exc}")
        return found
