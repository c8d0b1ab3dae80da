from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from smedx.accounts.models import ExpertProfile, Membership, Organisation, User
from smedx.accounts.rights import role_of
from smedx.core.creditcode import credit_code_error
from smedx.core.models import AuditEntry
from smedx.core.todos import todos_for
from smedx.demo.management.commands.seed_demo import ACCOUNTS, DEMO_PASSWORD
from smedx.enterprises.models import Enterprise, SizeClass


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict:
    models = [Organisation, User, Membership, ExpertProfile, Enterprise, Enterprise.tags.through, AuditEntry]
    return {model.__name__: model.objects.count() for model in models}


class SeedDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = seed()

    def test_it_changes_nothing_when_run_again(self):
        before = counts()
        output = seed()
        self.assertEqual(counts(), before)
        self.assertIn("Created now: 0 organisations, 0 users, 0 enterprises", output)

    def test_it_creates_each_demo_login_with_the_password_and_role(self):
        for username, role in ACCOUNTS:
            with self.subTest(username=username):
                user = User.objects.get(username=username)
                self.assertTrue(user.check_password(DEMO_PASSWORD))
                self.assertEqual(role_of(user), role)
                self.assertTrue(user.organisation.is_active)
                self.assertIn(username, self.output)

    def test_it_makes_the_platform_admin_a_superuser(self):
        admin = User.objects.get(username="platform_admin")
        self.assertTrue(admin.is_staff)
        self.assertTrue(admin.is_superuser)

    def test_it_links_the_enterprise_login_to_an_active_case_file_in_yubei(self):
        user = User.objects.get(username="enterprise")
        enterprise = user.organisation.enterprise
        self.assertEqual(enterprise.status, Enterprise.Status.ACTIVE)
        self.assertEqual(enterprise.region.code, "500112")
        self.assertEqual(user.membership.role, Membership.Role.ADMIN)
        self.assertTrue(Enterprise.objects.visible_to(user).filter(pk=enterprise.pk).exists())

    def test_it_creates_enough_enterprises_with_valid_codes_over_several_districts(self):
        enterprises = list(Enterprise.objects.select_related("region"))
        self.assertGreaterEqual(len(enterprises), 200)
        self.assertEqual([e.credit_code for e in enterprises if credit_code_error(e.credit_code)], [])
        self.assertEqual([e.credit_code for e in enterprises if not e.division_code_matches], [])
        self.assertGreaterEqual(len({e.region_id for e in enterprises}), 3)
        self.assertEqual({e.size_class for e in enterprises}, set(SizeClass.values))
        self.assertTrue(any(e.above_scale for e in enterprises))

    def test_it_gives_the_expert_a_profile(self):
        self.assertTrue(ExpertProfile.objects.filter(user__username="expert").exists())
        committee = Membership.objects.filter(organisation__kind=Organisation.Kind.COMMITTEE)
        self.assertGreaterEqual(committee.filter(user__expert_profile__isnull=False).count(), 5)

    def test_it_leaves_sign_ups_for_the_district_officer_and_the_platform_to_decide(self):
        district = User.objects.get(username="district_officer")
        platform = User.objects.get(username="platform_admin")
        self.assertTrue(any(todo.count for todo in todos_for(district)))
        self.assertTrue(any(todo.count for todo in todos_for(platform)))
        self.assertEqual(
            {e.region.code for e in Enterprise.objects.filter(status=Enterprise.Status.PENDING)}, {"500112"}
        )
