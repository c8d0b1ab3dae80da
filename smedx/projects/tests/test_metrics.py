"""The read-only figures of stage 4: each is one query and agrees with a direct count."""

from smedx.enterprises.services import casefile
from smedx.projects import metrics
from smedx.projects.models import ChangeRequest, Milestone, Project
from smedx.projects.services import filing as services
from smedx.projects.tests.test_projects_services import StageFourCase
from smedx.testing.projects import draft_project, make_plan, registered_project


class MetricsTests(StageFourCase):
    def test_it_counts_the_district_projects_to_review(self):
        project = draft_project(self.enterprise_user, self.plan)
        self.assertEqual(metrics.projects_to_review(self.home_region.pk), 0)
        services.submit_project(project=project, actor=self.enterprise_user, declared=True)
        direct = Project.objects.filter(
            enterprise__region=self.home_region, status=Project.Status.SUBMITTED
        ).count()
        with self.assertNumQueries(1):
            self.assertEqual(metrics.projects_to_review(self.home_region.pk), direct)
        self.assertEqual(direct, 1)
        self.assertEqual(metrics.projects_to_review(self.other_region.pk), 0)

    def test_a_project_keeps_its_enterprises_district_when_the_enterprise_moves(self):
        project = draft_project(self.enterprise_user, self.plan)
        self.assertEqual(project.region_id, self.home_region.pk)
        services.submit_project(project=project, actor=self.enterprise_user, declared=True)
        self.enterprise.refresh_from_db()
        casefile.update_enterprise(
            enterprise=self.enterprise,
            actor=self.city,
            data={"region": self.other_region},
            version=self.enterprise.version,
        )
        project.refresh_from_db()
        self.assertEqual(project.region_id, self.other_region.pk)
        self.assertEqual(metrics.projects_to_review(self.other_region.pk), 1)
        self.assertEqual(metrics.projects_to_review(self.home_region.pk), 0)
        self.assertEqual(list(Project.objects.visible_to(self.district)), [])

    def test_it_counts_the_district_changes_to_decide(self):
        project = registered_project(self.enterprise_user, self.district, self.plan)
        services.request_change(project=project, actor=self.enterprise_user, description="延期", changes={})
        with self.assertNumQueries(1):
            self.assertEqual(metrics.changes_to_decide(self.home_region.pk), 1)
        self.assertEqual(metrics.changes_to_decide(self.other_region.pk), 0)
        ChangeRequest.objects.update(status=ChangeRequest.Status.REFUSED)
        self.assertEqual(metrics.changes_to_decide(self.home_region.pk), 0)

    def test_it_gives_the_confirmed_and_total_milestones_of_each_project(self):
        project = registered_project(self.enterprise_user, self.district, self.plan)
        empty = draft_project(
            self.enterprise_user,
            make_plan(self.enterprise, self.provider_org, by=self.enterprise_user),
            complete=False,
        )
        empty.milestones.all().delete()
        first = project.milestones.first()
        Milestone.objects.filter(pk=first.pk).update(status=Milestone.Status.CONFIRMED)
        with self.assertNumQueries(1):
            progress = metrics.milestone_progress([project.pk, empty.pk])
        self.assertEqual(progress, {project.pk: (1, project.milestones.count())})
        with self.assertNumQueries(0):
            self.assertEqual(metrics.milestone_progress([]), {})

    def test_it_counts_the_follow_ups_of_what_the_user_sees(self):
        registered_project(self.enterprise_user, self.district, self.plan)
        for todo in metrics.FOLLOW_UPS:
            direct = metrics.FOLLOW_UPS[todo](Project.objects.visible_to(self.city), self.city).count()
            with self.subTest(todo), self.assertNumQueries(1):
                self.assertEqual(metrics.follow_up_count(self.city, todo), direct)
        self.assertEqual(metrics.follow_up_count(self.city, "assign"), 1)
        self.assertEqual(metrics.follow_up_count(self.outsider, "assign"), 0)
