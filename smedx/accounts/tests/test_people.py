"""The one place that says who is who: organisations acted for, districts, experts, the people to notify."""

from django.contrib.auth.models import AnonymousUser

from smedx.accounts import people
from smedx.accounts.models import Organisation
from smedx.testing import PersonaTestCase, make_org, make_user

K, S = Organisation.Kind, Organisation.Status
EDIT_NEED = "proposals.need:edit"


class OrganisationOfTests(PersonaTestCase):
    def test_it_gives_the_active_organisation(self):
        self.assertEqual(people.organisation_of(self.enterprise_user), self.enterprise.organisation)
        self.assertEqual(people.organisation_of(self.district).region, self.home_region)

    def test_it_gives_none_without_an_active_organisation(self):
        pending = make_user("pending", make_org(K.PROVIDER, "待批准的服务商", status=S.PENDING))
        rejected = make_user("rejected", make_org(K.ENTERPRISE, "被驳回的企业", status=S.REJECTED))
        for user in (pending, rejected, self.outsider, AnonymousUser(), None):
            with self.subTest(user=user):
                self.assertIsNone(people.organisation_of(user))


class ActsForTests(PersonaTestCase):
    def test_it_says_yes_to_every_member_of_the_organisation(self):
        org_id = self.enterprise.organisation_id
        self.assertTrue(people.acts_for(self.enterprise_user, org_id))
        self.assertTrue(people.acts_for(self.enterprise_colleague, org_id, EDIT_NEED))

    def test_it_says_no_to_other_organisations_and_to_nobody(self):
        org_id = self.enterprise.organisation_id
        for user in (
            self.other_enterprise_user,
            self.district,
            self.provider,
            self.outsider,
            AnonymousUser(),
        ):
            with self.subTest(user=user):
                self.assertFalse(people.acts_for(user, org_id))
        self.assertFalse(people.acts_for(self.enterprise_user, None))

    def test_it_requires_the_named_right(self):
        self.assertFalse(
            people.acts_for(self.enterprise_user, self.enterprise.organisation_id, "no.such:right")
        )

    def test_it_says_no_for_a_pending_organisation(self):
        org = make_org(K.ENTERPRISE, "待批准的企业", self.home_region, status=S.PENDING)
        user = make_user("pending", org)
        self.assertFalse(people.acts_for(user, org.pk))


class DistrictTests(PersonaTestCase):
    def test_it_knows_the_enterprise_district(self):
        self.assertTrue(people.is_district_of(self.district, self.enterprise))
        self.assertTrue(
            people.is_district_of(self.district, self.enterprise, "enterprises.enterprise:approve")
        )
        self.assertEqual(people.district_authority_of(self.district).region, self.home_region)

    def test_it_refuses_an_officer_of_another_district_and_the_city(self):
        for user in (self.other_district, self.city, self.enterprise_user, self.expert, self.outsider):
            with self.subTest(user=user):
                self.assertFalse(people.is_district_of(user, self.enterprise))
        self.assertTrue(people.is_district_of(self.other_district, self.far_enterprise))
        self.assertIsNone(people.district_authority_of(self.city))

    def test_it_requires_the_named_right(self):
        self.assertFalse(people.is_district_of(self.district, self.enterprise, "no.such:right"))

    def test_it_refuses_a_district_authority_that_is_not_active(self):
        org = make_org(K.AUTHORITY, "未启用的区县", self.home_region, "district", status=S.PENDING)
        officer = make_user("inactive_officer", org)
        self.assertFalse(people.is_district_of(officer, self.enterprise))
        self.assertIsNone(people.district_authority_of(officer))
        self.assertNotIn(officer, people.district_officers(self.home_region))

    def test_it_lists_the_active_officers_of_the_district_only(self):
        colleague = make_user("district2", self.district.organisation)
        make_user("gone", self.district.organisation, is_active=False)
        self.assertEqual(set(people.district_officers(self.home_region)), {self.district, colleague})
        self.assertEqual(set(people.district_officers(self.other_region)), {self.other_district})
        self.assertEqual(set(people.district_officers(self.city_region)), set())

    def test_it_lists_the_city_officers(self):
        self.assertEqual(set(people.city_officers()), {self.city})


class ExpertTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.pending_expert = make_user("pending_expert", make_org(K.COMMITTEE, "待批准", status=S.PENDING))
        cls.rejected_expert = make_user("rejected_expert", make_org(K.COMMITTEE, "被驳回", status=S.REJECTED))

    def test_it_lists_the_experts_of_an_active_committee_only(self):
        self.assertEqual(set(people.committee_experts()), {self.expert})

    def test_it_knows_an_expert_of_an_active_committee(self):
        self.assertTrue(people.is_committee_expert(self.expert))
        self.assertTrue(people.is_committee_expert(self.expert, "projects.acceptance:decide"))
        self.assertFalse(people.is_committee_expert(self.expert, "no.such:right"))
        for user in (
            self.pending_expert,
            self.rejected_expert,
            self.district,
            self.outsider,
            AnonymousUser(),
        ):
            with self.subTest(user=user):
                self.assertFalse(people.is_committee_expert(user))


class MembersTests(PersonaTestCase):
    def test_it_lists_the_active_people_of_an_organisation(self):
        make_user("left", self.enterprise.organisation, is_active=False)
        self.assertEqual(
            set(people.members(self.enterprise.organisation)),
            {self.enterprise_user, self.enterprise_colleague},
        )
        self.assertEqual(people.members(None), [])

    def test_it_lists_the_people_of_a_pending_organisation_too(self):
        # They are told when their registration is decided.
        org = make_org(K.PROVIDER, "待批准的服务商", status=S.PENDING)
        applicant = make_user("applicant", org, "admin")
        self.assertEqual(people.members(org), [applicant])

    def test_it_filters_users_by_membership(self):
        admins = people.users_where(organisation=self.enterprise.organisation, role="admin")
        self.assertEqual(list(admins), [self.enterprise_user])


class ManagerTests(PersonaTestCase):
    def test_it_lists_the_platform_and_the_city_as_pool_managers(self):
        self.assertEqual(set(people.pool_managers()), {self.platform, self.city})
        self.assertEqual(set(people.platform_operators()), {self.platform})
        for user in people.pool_managers():
            with self.subTest(user=user):
                self.assertTrue(user.has_right("providers.application:decide"))

    def test_it_leaves_out_managers_of_an_organisation_that_is_not_active(self):
        make_user("pending_platform", make_org(K.PLATFORM, "待启用平台", status=S.PENDING))
        make_user("left", self.platform.organisation, is_active=False)
        self.assertEqual(set(people.pool_managers()), {self.platform, self.city})
        self.assertEqual(set(people.platform_operators()), {self.platform})
