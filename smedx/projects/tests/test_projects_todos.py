"""Stage 4 to-dos on the workbenches and stage 4 of the case file."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from smedx.core.todos import todos_for
from smedx.enterprises.journey import journey
from smedx.projects.models import Milestone
from smedx.projects.services import filing as services
from smedx.projects.tests.test_projects_services import StageFourCase
from smedx.testing.projects import draft_project, registered_project


def titles(user):
    return [t.title for t in todos_for(user)]


class TodoTests(StageFourCase):
    def test_it_asks_the_enterprise_to_file_its_plan_and_the_district_to_review(self):
        self.assertIn(f"File the project of the plan {self.plan}", titles(self.enterprise_user))
        project = draft_project(self.enterprise_user, self.plan)
        services.submit_project(project=project, actor=self.enterprise_user, declared=True)
        self.assertIn("Projects to review", titles(self.district))
        self.assertNotIn("Projects to review", titles(self.other_district))
        services.review_project(project=project, actor=self.district, register=False, comment="补充")
        self.assertIn(f"Returned project to correct: {project}", titles(self.enterprise_user))

    def test_it_reminds_the_provider_of_due_milestones_and_the_enterprise_to_confirm(self):
        project = registered_project(self.enterprise_user, self.district, self.plan)
        first, second = list(project.milestones.all())
        today = timezone.localdate()
        Milestone.objects.filter(pk=first.pk).update(due_date=today - timedelta(days=1))
        Milestone.objects.filter(pk=second.pk).update(due_date=today + timedelta(days=60))
        reminders = [t for t in titles(self.provider) if "report" in t]
        self.assertEqual(reminders, [f"Overdue: report {project} · {first.name}"])
        services.report_progress(milestone=first, actor=self.provider, text="完成")
        self.assertIn(f"Confirm the milestone {project} · {first.name}", titles(self.enterprise_user))
        self.assertFalse([t for t in titles(self.provider) if "report" in t])
        services.request_change(project=project, actor=self.enterprise_user, description="延期", changes={})
        self.assertIn("Project change requests to decide", titles(self.district))


class JourneyTests(StageFourCase):
    def test_it_lists_the_project_and_its_milestones_on_the_case_file(self):
        stage = next(s for s in journey(self.enterprise) if s.number == 4)
        self.assertEqual(stage.items[0][1], reverse("projects:project_create", args=[self.plan.pk]))
        project = registered_project(self.enterprise_user, self.district, self.plan)
        self.enterprise.refresh_from_db()
        stage = next(s for s in journey(self.enterprise) if s.number == 4)
        self.assertEqual(stage.status, "in_progress")
        texts = [text for text, _url in stage.items]
        self.assertIn("Milestones confirmed: 0 of 2", texts)
        self.assertTrue(any(str(project) in text for text in texts))
        self.login(self.enterprise_user)
        response = self.client.get(reverse("enterprises:detail", args=[self.enterprise.pk]))
        self.assertContains(response, reverse("projects:project_detail", args=[project.pk]))
