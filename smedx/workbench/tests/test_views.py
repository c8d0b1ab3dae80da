"""The core pages: health check, workbench per role, notifications and the audit log."""

from decimal import Decimal
from unittest import mock

from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from smedx.accounts import services as account_services
from smedx.accounts.models import Organisation
from smedx.core import audit
from smedx.core.creditcode import make_credit_code
from smedx.core.models import AuditEntry, Notification
from smedx.enterprises.services import casefile as enterprise_services
from smedx.testing import PersonaTestCase

HOME = reverse("workbench:home")
HEALTHZ = reverse("core:healthz")
NOTIFICATIONS = reverse("core:notifications")
READ = reverse("core:notifications_read")
AUDIT = reverse("core:audit")


def sign_up(region, serial):
    return enterprise_services.sign_up_enterprise(
        data={
            "name": f"申请企业{serial}",
            "credit_code": make_credit_code(region.code, serial),
            "region": region,
            "industry_division": "34",
            "employees": 50,
            "revenue": Decimal("1000"),
        },
        admin={"username": f"applicant{serial}", "password": "Another-pass-456", "email": "a@example.com"},
    )


class HealthzTests(PersonaTestCase):
    def test_it_answers_ok_as_json(self):
        response = self.client.get(HEALTHZ)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"status": "ok", "database": "ok"})
        self.assertIn("no-cache", response["Cache-Control"])

    def test_it_answers_503_when_the_database_fails(self):
        with mock.patch.object(connection, "cursor", side_effect=OperationalError("connection refused")):
            response = self.client.get(HEALTHZ)
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["status"], "error")


class WorkbenchTests(PersonaTestCase):
    def test_it_renders_the_workbench_of_each_role(self):
        expected = {
            "city": "city",
            "district": "district",
            "other_district": "district",
            "expert": "expert",
            "provider": "provider",
            "platform": "platform",
            "enterprise_user": "enterprise",
            "enterprise_colleague": "enterprise",
            "outsider": "none",
        }
        for persona, role in expected.items():
            with self.subTest(persona=persona):
                self.login(getattr(self, persona))
                response = self.client.get(HOME)
                self.assertEqual(response.status_code, 200)
                template = "workbench/none.html" if role == "none" else "workbench/home.html"
                self.assertTemplateUsed(response, template)
                self.assertEqual(response.context["role"], role)

    def test_it_sends_anonymous_visitors_to_the_login_page(self):
        response = self.client.get(HOME)
        self.assertRedirects(response, reverse("login") + "?next=/", fetch_redirect_response=False)

    def todo_counts(self, user):
        self.login(user)
        return {str(todo.title): todo.count for todo in self.client.get(HOME).context["todos"]}

    def test_it_lists_pending_sign_ups_for_the_district_that_decides(self):
        sign_up(self.home_region, 9501)
        sign_up(self.home_region, 9502)
        sign_up(self.other_region, 9503)
        title = "Enterprise sign-ups awaiting approval"
        self.assertEqual(self.todo_counts(self.district)[title], 2)
        self.assertEqual(self.todo_counts(self.other_district)[title], 1)
        self.assertNotIn(title, self.todo_counts(self.city))  # the city follows; the district decides
        self.assertNotIn(title, self.todo_counts(self.enterprise_user))
        self.login(self.district)
        self.assertContains(self.client.get(HOME), reverse("enterprises:list") + "?status=pending")

    def test_it_lists_no_to_do_when_nothing_waits(self):
        self.assertEqual(self.todo_counts(self.district), {})

    def test_it_lists_pending_providers_for_the_platform(self):
        account_services.sign_up_organisation(
            kind=Organisation.Kind.PROVIDER,
            name="新服务商",
            admin={"username": "newprovider", "password": "Another-pass-456", "email": "p@example.com"},
        )
        self.assertEqual(self.todo_counts(self.platform)["Provider sign-ups awaiting approval"], 1)
        self.assertEqual(self.todo_counts(self.district), {})

    def test_it_tells_a_pending_applicant_to_wait(self):
        _enterprise, applicant = sign_up(self.home_region, 9504)
        self.assertEqual(self.todo_counts(applicant), {"Your registration is awaiting approval": 1})

    def test_it_shows_unread_notifications(self):
        Notification.objects.create(recipient=self.district, verb="test", title="有新的企业注册")
        Notification.objects.create(recipient=self.city, verb="test", title="别人的通知")
        self.login(self.district)
        response = self.client.get(HOME)
        self.assertContains(response, "有新的企业注册")
        self.assertNotContains(response, "别人的通知")

    def test_it_runs_as_many_queries_for_many_to_dos_as_for_one(self):
        sign_up(self.home_region, 9505)
        self.login(self.district)
        self.client.get(HOME)
        with CaptureQueriesContext(connection) as one:
            self.client.get(HOME)
        for serial in range(9506, 9516):
            sign_up(self.home_region, serial)
            Notification.objects.create(recipient=self.district, verb="test", title=f"通知{serial}")
        with self.assertNumQueries(len(one)):
            self.client.get(HOME)


class NotificationTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.first = Notification.objects.create(recipient=cls.district, verb="t", title="第一条")
        cls.second = Notification.objects.create(recipient=cls.district, verb="t", title="第二条")
        cls.foreign = Notification.objects.create(recipient=cls.city, verb="t", title="市里的通知")

    def test_it_lists_only_my_notifications(self):
        self.login(self.district)
        response = self.client.get(NOTIFICATIONS)
        self.assertEqual({n.title for n in response.context["page"]}, {"第一条", "第二条"})
        self.assertNotContains(response, "市里的通知")

    def test_it_marks_one_notification_read(self):
        self.login(self.district)
        response = self.client.post(READ, {"id": self.first.pk})
        self.assertRedirects(response, NOTIFICATIONS)
        self.first.refresh_from_db()
        self.second.refresh_from_db()
        self.assertIsNotNone(self.first.read_at)
        self.assertIsNone(self.second.read_at)

    def test_it_marks_all_my_notifications_read_and_goes_back(self):
        self.login(self.district)
        response = self.client.post(READ, {"next": HOME})
        self.assertRedirects(response, HOME)
        self.assertEqual(
            Notification.objects.filter(recipient=self.district, read_at__isnull=True).count(), 0
        )
        self.foreign.refresh_from_db()
        self.assertIsNone(self.foreign.read_at)

    def test_it_does_not_mark_another_users_notification(self):
        self.login(self.district)
        self.client.post(READ, {"id": self.foreign.pk})
        self.foreign.refresh_from_db()
        self.assertIsNone(self.foreign.read_at)

    def test_it_shows_the_unread_count_in_the_menu(self):
        self.login(self.district)
        self.assertEqual(self.client.get(NOTIFICATIONS).context["unread_notifications"], 2)
        self.client.post(READ, {"id": self.first.pk})
        self.assertEqual(self.client.get(NOTIFICATIONS).context["unread_notifications"], 1)

    def test_it_refuses_get_and_anonymous_visitors(self):
        self.assertEqual(self.client.post(READ).status_code, 302)
        self.login(self.district)
        self.assertEqual(self.client.get(READ).status_code, 405)
        self.assertEqual(Notification.objects.filter(read_at__isnull=False).count(), 0)


class AuditListTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        audit.record("enterprises.enterprise.updated", actor=cls.district, obj=cls.enterprise)
        audit.record("accounts.user.logged_in", actor=cls.city, obj=cls.city)

    def test_it_lists_entries_for_those_with_the_right(self):
        for user in [self.platform, self.city]:
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(AUDIT)
                self.assertEqual(response.status_code, 200)
                actions = {entry.action for entry in response.context["page"]}
                self.assertTrue({"enterprises.enterprise.updated", "accounts.user.logged_in"} <= actions)

    def test_it_filters_by_a_kind_of_action_chosen_from_the_list(self):
        self.login(self.city)
        response = self.client.get(AUDIT + "?kind=enterprises.enterprise.updated")
        self.assertEqual(
            {entry.action for entry in response.context["page"]}, {"enterprises.enterprise.updated"}
        )

    def test_it_refuses_those_without_the_right(self):
        for user in [self.enterprise_user, self.expert, self.provider, self.outsider]:
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(AUDIT).status_code, 403)

    def test_it_runs_as_many_queries_for_many_entries_as_for_few(self):
        self.login(self.platform)
        self.client.get(AUDIT)
        with CaptureQueriesContext(connection) as few:
            self.client.get(AUDIT)
        for n in range(30):
            audit.record(
                "enterprises.enterprise.updated", actor=self.district, obj=self.enterprise, data={"n": n}
            )
        with self.assertNumQueries(len(few)):
            self.client.get(AUDIT)
        self.assertGreater(AuditEntry.objects.count(), 30)
