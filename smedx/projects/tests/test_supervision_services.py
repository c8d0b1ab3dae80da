from datetime import timedelta

from django.utils import timezone

from smedx.core.errors import ConflictError, DomainError
from smedx.core.models import AuditEntry, Notification
from smedx.projects.models import Project, Rectification, SupervisionAssignment, SupervisionVisit
from smedx.projects.services import supervision as sv
from smedx.testing import PersonaTestCase, make_user
from smedx.testing.acceptance import make_project, supervise


class SupervisionTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.committee = cls.expert.organisation
        cls.second_expert = make_user("expert_two", cls.committee)
        cls.project = make_project(cls.enterprise, cls.provider.organisation, by=cls.enterprise_user)

    def today(self):
        return timezone.localdate()


class AssignSupervisorTests(SupervisionTestCase):
    def test_it_lets_the_committee_assign_an_expert(self):
        with self.captureOnCommitCallbacks(execute=True):
            sv.assign_supervisor(project=self.project, actor=self.second_expert, expert=self.expert)
        self.assertEqual(sv.supervisor_of(self.project), self.expert)
        self.assertTrue(AuditEntry.objects.filter(action="projects.supervisionassignment.created").exists())
        self.assertTrue(Notification.objects.filter(recipient=self.expert).exists())
        self.assertTrue(Notification.objects.filter(recipient=self.provider).exists())

    def test_it_refuses_everybody_outside_the_committee(self):
        for actor in (self.city, self.district, self.provider, self.enterprise_user, self.outsider):
            with self.subTest(actor=actor), self.assertRaises(DomainError):
                sv.assign_supervisor(project=self.project, actor=actor, expert=self.expert)
        self.assertFalse(SupervisionAssignment.objects.exists())

    def test_it_refuses_a_supervisor_who_is_not_an_expert(self):
        with self.assertRaises(DomainError):
            sv.assign_supervisor(project=self.project, actor=self.expert, expert=self.provider)

    def test_it_refuses_a_second_assignment(self):
        sv.assign_supervisor(project=self.project, actor=self.expert, expert=self.expert)
        with self.assertRaises(ConflictError):
            sv.assign_supervisor(project=self.project, actor=self.second_expert, expert=self.second_expert)
        self.assertEqual(sv.supervisor_of(self.project), self.expert)

    def test_it_refuses_a_project_not_registered(self):
        for status in (Project.Status.DRAFT, Project.Status.SUBMITTED, Project.Status.ACCEPTED):
            project = make_project(
                self.enterprise, self.provider.organisation, status, by=self.enterprise_user
            )
            with self.subTest(status=status), self.assertRaises(DomainError):
                sv.assign_supervisor(project=project, actor=self.expert, expert=self.expert)


class VisitAndRectificationTests(SupervisionTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        supervise(cls.project, cls.expert, cls.expert)

    def issue(self):
        return sv.issue_rectification(
            project=self.project,
            actor=self.expert,
            description="数采网关未接入 3 台设备",
            deadline=self.today() + timedelta(days=14),
        )

    def test_it_records_the_supervisors_visit(self):
        sv.record_supervision_visit(
            project=self.project, actor=self.expert, visited_on=self.today(), findings="进度正常"
        )
        self.assertEqual(SupervisionVisit.objects.get().findings, "进度正常")

    def test_it_refuses_visits_by_others_or_without_findings_or_in_the_future(self):
        cases = [
            (self.second_expert, self.today(), "x"),
            (self.provider, self.today(), "x"),
            (self.expert, self.today(), "  "),
            (self.expert, self.today() + timedelta(days=1), "x"),
        ]
        for actor, day, findings in cases:
            with self.subTest(actor=actor, day=day), self.assertRaises(DomainError):
                sv.record_supervision_visit(
                    project=self.project, actor=actor, visited_on=day, findings=findings
                )
        self.assertFalse(SupervisionVisit.objects.exists())

    def test_it_issues_a_rectification_and_tells_both_parties(self):
        with self.captureOnCommitCallbacks(execute=True):
            rectification = self.issue()
        self.assertEqual(rectification.status, Rectification.Status.OPEN)
        self.assertTrue(Notification.objects.filter(recipient=self.provider).exists())
        self.assertTrue(Notification.objects.filter(recipient=self.enterprise_user).exists())

    def test_it_refuses_a_rectification_by_others_or_past_deadline(self):
        with self.assertRaises(DomainError):
            sv.issue_rectification(
                project=self.project, actor=self.second_expert, description="x", deadline=self.today()
            )
        with self.assertRaises(DomainError):
            sv.issue_rectification(
                project=self.project,
                actor=self.expert,
                description="x",
                deadline=self.today() - timedelta(days=1),
            )
        self.assertFalse(Rectification.objects.exists())

    def test_it_goes_open_fixed_closed(self):
        rectification = self.issue()
        sv.mark_rectification_fixed(rectification=rectification, actor=self.provider, note="已接入")
        closed = sv.close_rectification(rectification=rectification, actor=self.expert)
        self.assertEqual(closed.status, Rectification.Status.CLOSED)
        self.assertEqual(closed.closed_by, self.expert)
        actions = set(AuditEntry.objects.values_list("action", flat=True))
        self.assertTrue({"projects.rectification.fixed", "projects.rectification.closed"} <= actions)

    def test_it_lets_only_the_provider_mark_fixed(self):
        rectification = self.issue()
        for actor in (self.enterprise_user, self.expert, self.district):
            with self.subTest(actor=actor), self.assertRaises(DomainError):
                sv.mark_rectification_fixed(rectification=rectification, actor=actor, note="done")
        with self.assertRaises(DomainError):
            sv.mark_rectification_fixed(rectification=rectification, actor=self.provider, note=" ")
        rectification.refresh_from_db()
        self.assertEqual(rectification.status, Rectification.Status.OPEN)

    def test_it_closes_only_what_is_fixed_and_only_by_the_supervisor(self):
        rectification = self.issue()
        with self.assertRaises(DomainError):
            sv.close_rectification(rectification=rectification, actor=self.expert)
        sv.mark_rectification_fixed(rectification=rectification, actor=self.provider, note="已接入")
        for actor in (self.second_expert, self.provider, self.enterprise_user):
            with self.subTest(actor=actor), self.assertRaises(DomainError):
                sv.close_rectification(rectification=rectification, actor=actor)
        with self.assertRaises(DomainError):
            sv.mark_rectification_fixed(rectification=rectification, actor=self.provider, note="again")
