"""States that must agree: the case file's stage 4 after acceptance, and rectifications before acceptance."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from smedx.assessments.levels import level_label
from smedx.core.errors import DomainError
from smedx.enterprises.models import Stage
from smedx.projects.models import AcceptanceDecision, Project, Rectification
from smedx.projects.services import acceptance as acc
from smedx.projects.tests.test_acceptance_services import AcceptanceTestCase

PS = Project.Status


class CaseFileStageTests(AcceptanceTestCase):
    def stage_4(self):
        self.login(self.enterprise_user)
        response = self.client.get(reverse("enterprises:detail", args=[self.enterprise.pk]))
        return next(step for step in response.context["journey"] if step.number == Stage.IMPLEMENTATION)

    def test_it_shows_stage_4_done_once_the_project_is_accepted(self):
        self.verified()
        acc.decide_acceptance(
            project=self.project, actor=self.expert, decision="accepted", reasons="目标达成"
        )
        self.enterprise.refresh_from_db()
        self.assertEqual(self.enterprise.stage, Stage.POLICY)
        self.assertEqual(self.stage_4().status, "done")

    def test_it_names_the_levels_before_and_after_on_the_case_file(self):
        verified = self.verified()
        acc.decide_acceptance(
            project=self.project, actor=self.expert, decision="accepted", reasons="目标达成"
        )
        texts = [text for text, _url in self.stage_4().items]
        expected = f"{level_label(self.before.level)}, after: {level_label(verified.level)}"
        self.assertTrue(any(expected in text for text in texts), texts)

    def test_it_keeps_stage_4_in_progress_when_the_acceptance_is_sent_back(self):
        self.enterprise.__class__.objects.filter(pk=self.enterprise.pk).update(stage=Stage.IMPLEMENTATION)
        self.verified()
        acc.decide_acceptance(project=self.project, actor=self.expert, decision="rectify", reasons="补充材料")
        self.enterprise.refresh_from_db()
        self.assertEqual(self.enterprise.stage, Stage.IMPLEMENTATION)
        self.assertEqual(self.stage_4().status, "in_progress")


class RectificationRuleTests(AcceptanceTestCase):
    def rectify(self, status=Rectification.Status.OPEN, description="补齐来料批次字段"):
        return Rectification.objects.create(
            project=self.project,
            issued_by=self.expert,
            description=description,
            deadline=timezone.localdate() + timedelta(days=7),
            status=status,
        )

    def test_it_refuses_the_application_while_a_rectification_is_open_and_names_it(self):
        self.rectify()
        with self.assertRaisesMessage(DomainError, "补齐来料批次字段"):
            self.apply()
        self.project.refresh_from_db()
        self.assertEqual(self.project.status, PS.COMPLETED)

    def test_it_refuses_to_accept_while_a_rectification_issued_later_is_not_closed(self):
        self.verified()
        self.rectify(Rectification.Status.FIXED, "追溯演练记录")
        with self.assertRaisesMessage(DomainError, "追溯演练记录"):
            acc.decide_acceptance(project=self.project, actor=self.expert, decision="accepted", reasons="好")
        self.assertFalse(AcceptanceDecision.objects.exists())
        self.project.refresh_from_db()
        self.assertEqual(self.project.status, PS.ACCEPTANCE_APPLIED)

    def test_it_still_sends_back_to_rectify_with_a_rectification_open(self):
        self.verified()
        self.rectify()
        acc.decide_acceptance(
            project=self.project, actor=self.expert, decision="rectify", reasons="整改未完成"
        )
        self.project.refresh_from_db()
        self.assertEqual(self.project.status, PS.RECTIFY)

    def test_it_accepts_once_every_rectification_is_closed(self):
        self.rectify(Rectification.Status.CLOSED)
        self.verified()
        acc.decide_acceptance(project=self.project, actor=self.expert, decision="accepted", reasons="好")
        self.project.refresh_from_db()
        self.assertEqual(self.project.status, PS.ACCEPTED)

    def test_it_shows_the_open_rectification_on_the_checklist(self):
        self.rectify()
        self.login(self.enterprise_user)
        response = self.client.get(reverse("projects:acceptance_apply", args=[self.project.pk]))
        self.assertContains(response, 'data-check="rectifications" data-ok="0"')
        self.assertContains(response, "补齐来料批次字段")
