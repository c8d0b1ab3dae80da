"""Every step of the pool lifecycle, allowed and refused, per persona."""

import threading
from datetime import timedelta
from unittest import skipUnless

from django.db import connection, connections
from django.utils import timezone

from smedx.accounts.models import Organisation, User
from smedx.core.errors import DomainError
from smedx.core.models import AuditEntry, Notification
from smedx.core.tasks import run_daily_job
from smedx.providers.models import ExpertReview, Objection, ProviderProfile, ProviderStatusChange
from smedx.providers.services import application, management
from smedx.testing import ConcurrencyTestCase, PersonaTestCase, make_org, make_user
from smedx.testing.providers import add_references, complete_profile, provider_with_admin

S = ProviderProfile.Status
SCORES = {"capability": 80, "references": 75, "finances": 70, "solution_fit": 85}
EVERYONE = (
    "outsider",
    "city",
    "district",
    "other_district",
    "expert",
    "provider",
    "platform",
    "enterprise_user",
)


class PoolTestCase(PersonaTestCase):
    def profile(self, status=S.DRAFT, **fields):
        profile = complete_profile(self.provider.organisation, status=status, **fields)
        add_references(profile, 5)
        return profile

    def assertRefused(self, fn, message=None, **kwargs):
        with self.assertRaises(DomainError) as caught:
            fn(**kwargs)
        if message:
            self.assertIn(message, str(caught.exception))
        return caught.exception

    def others(self, *allowed):
        return [getattr(self, p) for p in EVERYONE if p not in allowed]


class ProfileTests(PoolTestCase):
    def test_it_creates_the_profile_for_the_providers_own_organisation(self):
        profile = application.save_profile(
            organisation=self.provider.organisation,
            actor=self.provider,
            data={"introduction": "你好", "industries": ["34", "36"], "scenes": ["S08"]},
            regions=[self.home_region],
        )
        self.assertEqual((profile.status, profile.industries, profile.scenes), (S.DRAFT, ",34,36,", ",S08,"))
        self.assertTrue(AuditEntry.objects.filter(action="providers.profile.created").exists())

    def test_it_refuses_others_and_a_profile_under_review(self):
        for user in self.others("provider"):
            with self.subTest(user=user.username):
                self.assertRefused(
                    application.save_profile, organisation=self.provider.organisation, actor=user, data={}
                )
        self.profile(S.UNDER_REVIEW)
        self.assertRefused(
            application.save_profile,
            "being reviewed",
            organisation=self.provider.organisation,
            actor=self.provider,
            data={"introduction": "x"},
        )


class SubmitTests(PoolTestCase):
    def test_it_submits_a_complete_application_and_tells_the_managers(self):
        profile = self.profile()
        with self.captureOnCommitCallbacks(execute=True):
            application.submit_application(profile=profile, actor=self.provider)
        profile.refresh_from_db()
        self.assertEqual((profile.status, profile.round), (S.APPLIED, 1))
        change = ProviderStatusChange.objects.get(profile=profile)
        self.assertEqual((change.from_status, change.to_status), (S.DRAFT, S.APPLIED))
        self.assertEqual(
            set(
                Notification.objects.filter(verb="providers.profile.submitted").values_list(
                    "recipient", flat=True
                )
            ),
            {self.city.pk, self.platform.pk},
        )

    def test_it_lists_what_is_missing(self):
        profile = complete_profile(self.provider.organisation, introduction="", scenes="")
        add_references(profile, 4)
        add_references(profile, 1, months=3)
        missing = application.missing_for_application(profile)
        self.assertEqual(len(missing), 3, missing)
        self.assertIn("at least 5 reference customers", missing[2])
        self.assertIn("(now 4)", missing[2])
        error = self.assertRefused(
            application.submit_application, "not complete", profile=profile, actor=self.provider
        )
        self.assertIn("introduction", str(error))
        profile.refresh_from_db()
        self.assertEqual(profile.status, S.DRAFT)

    def test_it_refuses_others_and_a_second_submission(self):
        profile = self.profile()
        for user in self.others("provider"):
            with self.subTest(user=user.username):
                self.assertRefused(application.submit_application, profile=profile, actor=user)
        application.submit_application(profile=profile, actor=self.provider)
        self.assertRefused(application.submit_application, "already", profile=profile, actor=self.provider)

    def test_it_refuses_a_reference_in_use_for_less_than_six_months(self):
        profile = complete_profile(self.provider.organisation)
        data = {
            "customer_name": "新客户",
            "customer_credit_code": self.far_enterprise.credit_code,
            "solution_used": "云MES",
            "since": timezone.localdate() - timedelta(days=90),
        }
        self.assertRefused(
            application.add_reference, "at least six months", profile=profile, actor=self.provider, data=data
        )
        data["since"] = timezone.localdate() - timedelta(days=200)
        reference = application.add_reference(profile=profile, actor=self.provider, data=data)
        self.assertEqual(
            (reference.enterprise, reference.customer_name), (self.far_enterprise, "江北测试企业")
        )
        self.assertRefused(
            application.add_reference, "already", profile=profile, actor=self.provider, data=data
        )


class ReviewTests(PoolTestCase):
    def test_it_runs_from_application_to_public_notice(self):
        profile = self.profile(S.APPLIED, round=1)
        with self.captureOnCommitCallbacks(execute=True):
            management.start_review(profile=profile, actor=self.platform)
        self.assertTrue(
            Notification.objects.filter(recipient=self.expert, verb="providers.profile.review_started")
        )
        review = management.review_application(
            profile=profile, actor=self.expert, scores=SCORES, opinion="资质齐全"
        )
        self.assertEqual(review.total, 77.5)
        again = management.review_application(
            profile=profile, actor=self.expert, scores={**SCORES, "finances": 90}, opinion="修订"
        )
        self.assertEqual((again.pk, ExpertReview.objects.count(), again.finances), (review.pk, 1, 90))
        with self.settings(PROVIDER_NOTICE_DAYS=10):
            management.decide_review(profile=profile, actor=self.city, approve=True)
        profile.refresh_from_db()
        today = timezone.localdate()
        self.assertEqual(
            (profile.status, profile.notice_start, profile.notice_end),
            (S.IN_PUBLIC_NOTICE, today, today + timedelta(days=10)),
        )
        self.assertEqual(
            list(profile.status_changes.values_list("to_status", flat=True)),
            [S.IN_PUBLIC_NOTICE, S.UNDER_REVIEW],
        )

    def test_it_refuses_review_steps_by_the_wrong_people(self):
        profile = self.profile(S.APPLIED, round=1)
        for user in self.others("city", "platform"):
            with self.subTest(step="start", user=user.username):
                self.assertRefused(management.start_review, profile=profile, actor=user)
        management.start_review(profile=profile, actor=self.platform)
        for user in self.others("expert"):
            with self.subTest(step="review", user=user.username):
                self.assertRefused(
                    management.review_application, profile=profile, actor=user, scores=SCORES, opinion="x"
                )
        for user in self.others("city", "platform"):
            with self.subTest(step="decide", user=user.username):
                self.assertRefused(management.decide_review, profile=profile, actor=user, approve=True)

    def test_it_refuses_steps_in_the_wrong_state_and_bad_input(self):
        profile = self.profile(S.APPLIED, round=1)
        self.assertRefused(
            management.review_application,
            "not under review",
            profile=profile,
            actor=self.expert,
            scores=SCORES,
            opinion="x",
        )
        self.assertRefused(management.decide_review, profile=profile, actor=self.city, approve=True)
        management.start_review(profile=profile, actor=self.city)
        self.assertRefused(management.start_review, profile=profile, actor=self.city)
        self.assertRefused(
            management.review_application,
            "between 0 and 100",
            profile=profile,
            actor=self.expert,
            scores={**SCORES, "capability": 101},
            opinion="x",
        )
        self.assertRefused(
            management.review_application,
            "opinion",
            profile=profile,
            actor=self.expert,
            scores=SCORES,
            opinion=" ",
        )
        self.assertRefused(
            management.decide_review, "No committee expert", profile=profile, actor=self.city, approve=True
        )
        self.assertRefused(
            management.decide_review, "Say why", profile=profile, actor=self.city, approve=False
        )
        self.assertFalse(ExpertReview.objects.exists())

    def test_it_sends_a_rejected_application_back_to_draft_with_the_reason(self):
        profile = self.profile(S.UNDER_REVIEW, round=1)
        with self.captureOnCommitCallbacks(execute=True):
            management.decide_review(
                profile=profile, actor=self.platform, approve=False, reason="财务数据不全"
            )
        profile.refresh_from_db()
        self.assertEqual(profile.status, S.DRAFT)
        self.assertEqual(profile.status_changes.first().reason, "财务数据不全")
        note = Notification.objects.get(recipient=self.provider)
        self.assertEqual(note.body, "财务数据不全")
        # The second round is reviewed afresh.
        application.submit_application(profile=profile, actor=self.provider)
        profile.refresh_from_db()
        self.assertEqual(profile.round, 2)


class NoticeTests(PoolTestCase):
    def in_notice(self, days_left=3):
        today = timezone.localdate()
        return self.profile(
            S.IN_PUBLIC_NOTICE,
            round=1,
            notice_start=today - timedelta(days=7 - days_left),
            notice_end=today + timedelta(days=days_left),
        )

    def test_it_refuses_to_list_before_the_notice_ends_and_names_the_date(self):
        profile = self.in_notice(days_left=2)
        end = timezone.localdate() + timedelta(days=2)
        self.assertRefused(management.list_provider, str(end), profile=profile, actor=self.city)
        self.assertEqual(run_daily_job.call("list_due_providers"), 0)
        profile.refresh_from_db()
        self.assertEqual(profile.status, S.IN_PUBLIC_NOTICE)

    def test_it_lists_when_the_notice_is_over(self):
        profile = self.in_notice(days_left=0)
        for user in self.others("city", "platform"):
            with self.subTest(user=user.username):
                self.assertRefused(management.list_provider, profile=profile, actor=user)
        management.list_provider(profile=profile, actor=self.platform)
        profile.refresh_from_db()
        self.assertEqual(profile.status, S.LISTED)
        self.assertEqual(profile.next_review_on, timezone.localdate() + timedelta(days=365))

    def test_the_daily_task_lists_ended_notices_without_open_objections(self):
        due = self.in_notice(days_left=0)
        objected, _u = provider_with_admin(
            "有异议服务商",
            "objected",
            S.IN_PUBLIC_NOTICE,
            round=1,
            notice_end=timezone.localdate() - timedelta(days=1),
        )
        Objection.objects.create(profile=objected, author=self.outsider, text="资质造假")
        early, _u = provider_with_admin(
            "未到期服务商",
            "early",
            S.IN_PUBLIC_NOTICE,
            round=1,
            notice_end=timezone.localdate() + timedelta(days=1),
        )
        self.assertEqual(run_daily_job.call("list_due_providers"), 1)
        statuses = dict(ProviderProfile.objects.values_list("pk", "status"))
        self.assertEqual(
            (statuses[due.pk], statuses[objected.pk], statuses[early.pk]),
            (S.LISTED, S.IN_PUBLIC_NOTICE, S.IN_PUBLIC_NOTICE),
        )
        entry = AuditEntry.objects.get(action="providers.profile.listed")
        self.assertIsNone(entry.actor)

    def test_an_objection_blocks_the_listing_until_resolved(self):
        profile = self.in_notice(days_left=0)
        with self.captureOnCommitCallbacks(execute=True):
            objection = management.raise_objection(profile=profile, actor=self.enterprise_user, text="未履约")
        self.assertTrue(
            Notification.objects.filter(recipient=self.platform, verb="providers.objection.raised")
        )
        self.assertRefused(management.list_provider, "objection", profile=profile, actor=self.city)
        self.assertRefused(
            management.resolve_objection, objection=objection, actor=self.expert, upheld=False, resolution="x"
        )
        management.resolve_objection(
            objection=objection, actor=self.city, upheld=False, resolution="已核实，不成立"
        )
        management.list_provider(profile=profile, actor=self.city)

    def test_an_upheld_objection_sends_the_application_back(self):
        profile = self.in_notice()
        objection = management.raise_objection(profile=profile, actor=self.outsider, text="资质造假")
        management.resolve_objection(
            objection=objection, actor=self.platform, upheld=True, resolution="资质证书过期"
        )
        profile.refresh_from_db()
        self.assertEqual((profile.status, profile.status_changes.first().reason), (S.DRAFT, "资质证书过期"))

    def test_it_takes_objections_only_during_the_notice(self):
        listed, _user = provider_with_admin("已入库服务商", "listed_provider")
        self.assertRefused(
            management.raise_objection, "only during", profile=listed, actor=self.outsider, text="x"
        )
        profile = self.in_notice()
        self.assertRefused(
            management.raise_objection, "Write", profile=profile, actor=self.outsider, text=" "
        )
        self.assertFalse(Objection.objects.exists())


class StandingTests(PoolTestCase):
    def test_it_warns_suspends_reinstates_and_removes(self):
        profile = self.profile(S.LISTED)
        deadline = timezone.localdate() + timedelta(days=30)
        management.warn_provider(profile=profile, actor=self.city, reason="投诉未处理", deadline=deadline)
        profile.refresh_from_db()
        self.assertEqual((profile.status, profile.warning_deadline), (S.WARNED, deadline))
        management.suspend_provider(profile=profile, actor=self.platform, reason="逾期未整改")
        management.reinstate_provider(profile=profile, actor=self.platform, reason="已整改")
        profile.refresh_from_db()
        self.assertEqual((profile.status, profile.warning_deadline), (S.LISTED, None))
        management.remove_provider(profile=profile, actor=self.city, reason="严重违规")
        self.assertEqual(
            list(profile.status_changes.values_list("to_status", "reason")),
            [
                (S.REMOVED, "严重违规"),
                (S.LISTED, "已整改"),
                (S.SUSPENDED, "逾期未整改"),
                (S.WARNED, "投诉未处理"),
            ],
        )
        self.assertEqual(AuditEntry.objects.filter(action__startswith="providers.profile.").count(), 4)

    def test_it_refuses_standing_changes_by_others_in_the_wrong_state_or_without_reason(self):
        profile = self.profile(S.LISTED)
        deadline = timezone.localdate() + timedelta(days=30)
        for user in self.others("city", "platform"):
            with self.subTest(user=user.username):
                self.assertRefused(management.suspend_provider, profile=profile, actor=user, reason="x")
                self.assertRefused(
                    management.warn_provider, profile=profile, actor=user, reason="x", deadline=deadline
                )
        self.assertRefused(management.suspend_provider, "reason", profile=profile, actor=self.city, reason="")
        self.assertRefused(
            management.warn_provider,
            "future",
            profile=profile,
            actor=self.city,
            reason="x",
            deadline=timezone.localdate(),
        )
        self.assertRefused(management.reinstate_provider, profile=profile, actor=self.city, reason="x")
        draft = ProviderProfile.objects.create(
            organisation=make_org(Organisation.Kind.PROVIDER, "草稿服务商")
        )
        for step in (management.suspend_provider, management.remove_provider):
            self.assertRefused(step, profile=draft, actor=self.city, reason="x")
        management.remove_provider(profile=profile, actor=self.city, reason="x")
        self.assertRefused(management.reinstate_provider, profile=profile, actor=self.city, reason="x")
        self.assertRefused(
            application.save_profile,
            "removed",
            organisation=self.provider.organisation,
            actor=self.provider,
            data={},
        )

    def test_the_yearly_review_keeps_warns_or_suspends(self):
        profile = self.profile(S.WARNED)
        management.yearly_review(profile=profile, actor=self.city, decision="keep", reason="服务良好")
        profile.refresh_from_db()
        today = timezone.localdate()
        self.assertEqual((profile.status, profile.last_reviewed_on), (S.LISTED, today))
        self.assertEqual(profile.status_changes.first().reason, "Yearly review: 服务良好")
        self.assertRefused(
            management.yearly_review, "future", profile=profile, actor=self.city, decision="warn", reason="x"
        )
        management.yearly_review(
            profile=profile,
            actor=self.platform,
            decision="warn",
            reason="评分下降",
            deadline=today + timedelta(days=60),
        )
        management.yearly_review(profile=profile, actor=self.platform, decision="suspend", reason="多次投诉")
        profile.refresh_from_db()
        self.assertEqual(profile.status, S.SUSPENDED)
        self.assertRefused(
            management.yearly_review, profile=profile, actor=self.city, decision="keep", reason="x"
        )
        self.assertRefused(
            management.yearly_review,
            profile=self.profile_of_other(),
            actor=self.district,
            decision="keep",
            reason="x",
        )

    def profile_of_other(self):
        profile, _user = provider_with_admin("另一服务商", "another")
        return profile

    def test_only_the_platform_flags_a_listed_provider_as_diagnosis_institution(self):
        profile = self.profile(S.LISTED)
        self.assertRefused(management.flag_diagnosis_institution, profile=profile, actor=self.city, flag=True)
        management.flag_diagnosis_institution(
            profile=profile, actor=self.platform, flag=True, reason="经验丰富"
        )
        provider = User.objects.get(pk=self.provider.pk)  # rights are cached per user object
        self.assertIn("assessments.assessment:verify", provider.rights)
        self.assertTrue(AuditEntry.objects.filter(action="providers.profile.institution_flagged").exists())
        management.flag_diagnosis_institution(profile=profile, actor=self.platform, flag=False)
        self.assertNotIn("assessments.assessment:verify", User.objects.get(pk=self.provider.pk).rights)
        draft, _u = provider_with_admin("草稿服务商", "draft_provider", S.DRAFT)
        self.assertRefused(
            management.flag_diagnosis_institution, "listed", profile=draft, actor=self.platform, flag=True
        )


class RightsTests(PoolTestCase):
    def test_it_gives_the_pool_rights_to_the_right_people(self):
        expected = {
            "provider": {"providers.profile:edit", "providers.solution:edit"},
            "expert": {"providers.application:review"},
            "platform": {
                "providers.application:decide",
                "providers.provider:manage",
                "providers.institution:flag",
            },
            "city": {"providers.application:decide", "providers.provider:manage"},
            "district": set(),
            "enterprise_user": set(),
        }
        for persona, rights in expected.items():
            with self.subTest(persona):
                got = {r for r in getattr(self, persona).rights if r.startswith("providers.")}
                self.assertEqual(got, rights)


@skipUnless(connection.vendor == "postgresql", "row locks need PostgreSQL")
class ConcurrentDecisionTests(ConcurrencyTestCase):
    """Two managers decide the same application at once: one wins, the other is told it was decided."""

    def test_two_decisions_at_once_give_one_result(self):
        K = Organisation.Kind
        platform = make_user("p1", make_org(K.PLATFORM, "平台"), "admin")
        other = make_user("p2", platform.organisation, "admin")
        expert = make_user("e1", make_org(K.COMMITTEE, "专家委员会"))
        profile = complete_profile(make_org(K.PROVIDER, "并发服务商"), status=S.UNDER_REVIEW, round=1)
        ExpertReview.objects.create(profile=profile, round=1, expert=expert, opinion="ok", **SCORES)
        barrier = threading.Barrier(2)
        outcomes = []

        def decide(user, approve):
            try:
                barrier.wait()
                management.decide_review(profile=profile, actor=user, approve=approve, reason="不符合")
                outcomes.append("ok")
            except DomainError:
                outcomes.append("refused")
            finally:
                connections.close_all()

        threads = [
            threading.Thread(target=decide, args=(u, a)) for u, a in ((platform, True), (other, False))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(sorted(outcomes), ["ok", "refused"])
        self.assertEqual(ProviderStatusChange.objects.filter(profile=profile).count(), 1)
