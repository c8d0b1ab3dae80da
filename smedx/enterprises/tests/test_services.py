"""The services of the enterprise case file: each allowed change and each refused one."""

import threading
import unittest
from decimal import Decimal

from django.db import connection

from smedx.accounts.models import Organisation, User
from smedx.core.creditcode import make_credit_code
from smedx.core.errors import ConflictError, DomainError
from smedx.core.models import AuditEntry, Notification
from smedx.enterprises.models import Enterprise, SizeClass, Stage, Tag
from smedx.enterprises.services import casefile as services
from smedx.testing import ConcurrencyTestCase, PersonaTestCase, make_org, make_user

ADMIN = {
    "username": "newadmin",
    "password": "Another-pass-456",
    "email": "admin@example.com",
    "display_name": "新管理员",
    "phone": "13900001111",
}


def facts(region, serial=5001, **extra):
    return {
        "name": "新企业",
        "credit_code": make_credit_code(region.code, serial),
        "region": region,
        "industry_division": "34",
        "industry_code": "",
        "employees": 50,
        "revenue": Decimal("1000"),
        "above_scale": False,
        "address": "",
        "contact_name": "张三",
        "contact_phone": "13800001234",
        **extra,
    }


def editable(enterprise, **changes):
    data = {key: getattr(enterprise, key) for key in services.EDITABLE}
    data.update(changes)
    return data


class CreateEnterpriseTests(PersonaTestCase):
    def test_it_lets_a_district_officer_file_an_enterprise_of_the_district(self):
        tag = Tag.objects.get(name="重点")
        enterprise = services.create_enterprise(
            actor=self.district, data=facts(self.home_region), tags=[tag], ip="10.0.0.2"
        )
        self.assertEqual(enterprise.status, Enterprise.Status.ACTIVE)
        self.assertEqual((enterprise.industry_section, enterprise.size_class), ("C", SizeClass.SMALL))
        self.assertEqual(list(enterprise.tags.all()), [tag])
        entry = AuditEntry.objects.get(action="enterprises.enterprise.created")
        self.assertEqual((entry.actor, entry.enterprise_id), (self.district, enterprise.pk))

    def test_it_lets_the_city_file_in_any_district(self):
        enterprise = services.create_enterprise(actor=self.city, data=facts(self.other_region))
        self.assertEqual(enterprise.region, self.other_region)

    def test_it_refuses_a_district_officer_filing_in_another_district(self):
        with self.assertRaisesMessage(DomainError, "only file enterprises of"):
            services.create_enterprise(actor=self.district, data=facts(self.other_region))
        self.assertFalse(Enterprise.objects.filter(name="新企业").exists())

    def test_it_refuses_people_without_the_right(self):
        for actor in [self.enterprise_user, self.expert, self.provider, self.platform, self.outsider]:
            with self.subTest(actor=actor.username), self.assertRaises(DomainError):
                services.create_enterprise(actor=actor, data=facts(self.home_region))
        self.assertFalse(Enterprise.objects.filter(name="新企业").exists())

    def test_it_refuses_a_code_already_on_the_platform(self):
        data = facts(self.home_region, credit_code=self.enterprise.credit_code)
        with self.assertRaisesMessage(DomainError, self.enterprise.credit_code):
            services.create_enterprise(actor=self.district, data=data)
        self.assertFalse(AuditEntry.objects.filter(action="enterprises.enterprise.created").exists())


class UpdateEnterpriseTests(PersonaTestCase):
    def test_it_saves_changes_bumps_the_version_and_audits_the_changed_fields(self):
        enterprise = self.enterprise
        data = editable(enterprise, name="测试企业甲（新）", employees=400, revenue=Decimal("3000"))
        updated = services.update_enterprise(
            enterprise=enterprise, actor=self.district, data=data, version=enterprise.version
        )
        self.assertEqual(updated.version, enterprise.version + 1)
        self.assertEqual(updated.size_class, SizeClass.MEDIUM)  # recomputed from 400 staff, 3000万
        entry = AuditEntry.objects.get(action="enterprises.enterprise.updated")
        self.assertEqual(entry.enterprise_id, enterprise.pk)
        self.assertEqual(set(entry.data["changed"]), {"name", "employees", "revenue"})
        self.assertEqual(entry.data["changed"]["employees"], "400")

    def test_it_recomputes_section_and_size_when_the_industry_changes(self):
        data = editable(self.enterprise, employees=60, revenue=Decimal("5000"))
        updated = services.update_enterprise(
            enterprise=self.enterprise, actor=self.city, data=data, version=self.enterprise.version
        )
        # 60 staff and 5000万: small in manufacturing (medium needs 300 staff), medium in retail.
        self.assertEqual((updated.industry_section, updated.size_class), ("C", SizeClass.SMALL))
        updated = services.update_enterprise(
            enterprise=updated, actor=self.city, data=editable(updated, industry_division="52"), version=2
        )
        self.assertEqual((updated.industry_section, updated.size_class), ("F", SizeClass.MEDIUM))
        updated.refresh_from_db()
        self.assertEqual((updated.industry_section, updated.size_class), ("F", SizeClass.MEDIUM))

    def test_it_refuses_a_stale_version_and_changes_nothing(self):
        enterprise = self.enterprise
        services.update_enterprise(
            enterprise=enterprise, actor=self.district, data=editable(enterprise, name="甲"), version=1
        )
        with self.assertRaises(ConflictError):
            services.update_enterprise(
                enterprise=enterprise,
                actor=self.city,
                data=editable(enterprise, name="乙", employees=9),
                version=1,
            )
        enterprise.refresh_from_db()
        self.assertEqual((enterprise.name, enterprise.employees, enterprise.version), ("甲", 120, 2))
        self.assertEqual(AuditEntry.objects.filter(action="enterprises.enterprise.updated").count(), 1)

    def test_it_sets_tags_and_audits_them(self):
        tags = list(Tag.objects.filter(name__in=["重点", "潜力"]))
        updated = services.update_enterprise(
            enterprise=self.enterprise,
            actor=self.district,
            data=editable(self.enterprise),
            version=self.enterprise.version,
            tags=tags,
        )
        self.assertEqual(set(updated.tags.all()), set(tags))
        changed = AuditEntry.objects.get(action="enterprises.enterprise.updated").data["changed"]
        self.assertEqual(set(changed), {"tags"})
        updated = services.update_enterprise(
            enterprise=updated, actor=self.district, data=editable(updated), version=updated.version, tags=[]
        )
        self.assertEqual(updated.tags.count(), 0)

    def test_it_keeps_tags_when_none_are_given(self):
        self.enterprise.tags.set(Tag.objects.filter(name="重点"))
        services.update_enterprise(
            enterprise=self.enterprise,
            actor=self.enterprise_user,
            data=editable(self.enterprise, address="渝北区1号"),
            version=self.enterprise.version,
        )
        self.assertEqual([t.name for t in self.enterprise.tags.all()], ["重点"])

    def test_it_changes_the_credit_code_and_refuses_one_already_taken(self):
        new_code = make_credit_code(self.home_region.code, 5101)
        updated = services.update_enterprise(
            enterprise=self.enterprise,
            actor=self.district,
            data=editable(self.enterprise, credit_code=new_code),
            version=1,
        )
        self.assertEqual(updated.credit_code, new_code)
        changed = AuditEntry.objects.get(action="enterprises.enterprise.updated").data["changed"]
        self.assertEqual(changed, {"credit_code": new_code})
        with self.assertRaises(DomainError):
            services.update_enterprise(
                enterprise=updated,
                actor=self.district,
                data=editable(updated, credit_code=self.other_enterprise.credit_code),
                version=2,
            )
        updated.refresh_from_db()
        self.assertEqual((updated.credit_code, updated.version), (new_code, 2))

    def test_it_refuses_a_district_officer_moving_an_enterprise_to_another_district(self):
        with self.assertRaises(DomainError):
            services.update_enterprise(
                enterprise=self.enterprise,
                actor=self.district,
                data=editable(self.enterprise, region=self.other_region),
                version=self.enterprise.version,
            )
        self.enterprise.refresh_from_db()
        self.assertEqual((self.enterprise.region, self.enterprise.version), (self.home_region, 1))

    def test_it_refuses_people_without_the_right(self):
        for actor in [self.expert, self.provider, self.platform, self.outsider]:
            with self.subTest(actor=actor.username), self.assertRaises(DomainError):
                services.update_enterprise(
                    enterprise=self.enterprise,
                    actor=actor,
                    data=editable(self.enterprise, name="x"),
                    version=1,
                )
        self.enterprise.refresh_from_db()
        self.assertEqual(self.enterprise.name, "测试企业甲")


class SignUpEnterpriseTests(PersonaTestCase):
    def test_it_creates_a_pending_enterprise_and_notifies_its_district(self):
        with self.captureOnCommitCallbacks(execute=True):
            enterprise, user = services.sign_up_enterprise(data=facts(self.home_region), admin=ADMIN)
        self.assertEqual(enterprise.status, Enterprise.Status.PENDING)
        self.assertEqual(enterprise.organisation.status, Organisation.Status.PENDING)
        self.assertEqual(enterprise.organisation.kind, Organisation.Kind.ENTERPRISE)
        self.assertEqual(user.organisation, enterprise.organisation)
        self.assertEqual(enterprise.size_class, SizeClass.SMALL)
        recipients = set(Notification.objects.values_list("recipient__username", flat=True))
        self.assertEqual(recipients, {"district"})
        entry = AuditEntry.objects.get(action="enterprises.enterprise.signed_up")
        self.assertEqual((entry.actor, entry.data["claimed"]), (user, False))

    def test_it_claims_an_enterprise_the_district_filed(self):
        filed = self.far_enterprise  # filed by 江北区, no account yet
        data = facts(self.other_region, credit_code=filed.credit_code, name="别的名字")
        with self.captureOnCommitCallbacks(execute=True):
            enterprise, user = services.sign_up_enterprise(data=data, admin=ADMIN)
        self.assertEqual(enterprise.pk, filed.pk)
        self.assertEqual(enterprise.name, "江北测试企业")  # the filed facts stay until approved and edited
        # The filed case file stays active; the claiming organisation waits for the district.
        self.assertEqual(enterprise.status, Enterprise.Status.ACTIVE)
        self.assertEqual(enterprise.organisation, user.organisation)
        self.assertTrue(enterprise.awaits_review())
        self.assertIn(enterprise, Enterprise.objects.awaiting_review())
        self.assertEqual(Enterprise.objects.filter(credit_code=filed.credit_code).count(), 1)
        self.assertTrue(AuditEntry.objects.get(action="enterprises.enterprise.signed_up").data["claimed"])
        recipients = set(Notification.objects.values_list("recipient__username", flat=True))
        self.assertEqual(recipients, {"other_district"})

    def test_it_detaches_a_rejected_claim_and_keeps_the_filed_case_file(self):
        filed = self.far_enterprise
        data = facts(self.other_region, credit_code=filed.credit_code)
        enterprise, user = services.sign_up_enterprise(data=data, admin=ADMIN)
        services.review_enterprise(
            enterprise=enterprise, actor=self.other_district, approve=False, comment="不是本企业"
        )
        filed.refresh_from_db()
        self.assertEqual(filed.status, Enterprise.Status.ACTIVE)
        self.assertIsNone(filed.organisation)
        self.assertEqual(user.organisation.status, Organisation.Status.REJECTED)
        # The genuine owner can now claim it.
        services.sign_up_enterprise(data=data, admin={**ADMIN, "username": "genuine"})
        filed.refresh_from_db()
        self.assertEqual(filed.organisation.memberships.get().user.username, "genuine")

    def test_it_lets_a_rejected_sign_up_try_again(self):
        data = facts(self.home_region, credit_code=make_credit_code("500112", 9901))
        enterprise, _user = services.sign_up_enterprise(data=data, admin=ADMIN)
        services.review_enterprise(
            enterprise=enterprise, actor=self.district, approve=False, comment="资料不全"
        )
        enterprise.refresh_from_db()
        self.assertEqual(enterprise.status, Enterprise.Status.REJECTED)
        again, _user = services.sign_up_enterprise(data=data, admin={**ADMIN, "username": "second_try"})
        self.assertEqual(again.pk, enterprise.pk)
        self.assertEqual(again.status, Enterprise.Status.PENDING)

    def test_it_refuses_a_review_by_another_district(self):
        data = facts(self.home_region, credit_code=make_credit_code("500112", 9902))
        enterprise, _user = services.sign_up_enterprise(data=data, admin=ADMIN)
        with self.assertRaisesMessage(DomainError, "not in your area"):
            services.review_enterprise(enterprise=enterprise, actor=self.other_district, approve=True)
        enterprise.refresh_from_db()
        self.assertEqual(enterprise.status, Enterprise.Status.PENDING)

    def test_it_refuses_an_enterprise_that_already_has_an_account(self):
        data = facts(self.home_region, credit_code=self.enterprise.credit_code)
        with self.assertRaisesMessage(DomainError, "already has an account"):
            services.sign_up_enterprise(data=data, admin=ADMIN)
        self.assertFalse(User.objects.filter(username="newadmin").exists())
        self.enterprise.refresh_from_db()
        self.assertEqual(self.enterprise.status, Enterprise.Status.ACTIVE)


class ReviewEnterpriseTests(PersonaTestCase):
    def sign_up(self):
        with self.captureOnCommitCallbacks(execute=True):
            enterprise, user = services.sign_up_enterprise(data=facts(self.home_region), admin=ADMIN)
        Notification.objects.all().delete()
        return enterprise, user

    def test_it_approves_the_enterprise_and_its_organisation_and_notifies_the_members(self):
        enterprise, user = self.sign_up()
        with self.captureOnCommitCallbacks(execute=True):
            services.review_enterprise(enterprise=enterprise, actor=self.district, approve=True)
        enterprise.refresh_from_db()
        self.assertEqual(enterprise.status, Enterprise.Status.ACTIVE)
        self.assertEqual(enterprise.organisation.status, Organisation.Status.ACTIVE)
        self.assertEqual(Notification.objects.get().recipient, user)
        entry = AuditEntry.objects.get(action="accounts.organisation.approved")
        self.assertEqual((entry.actor, entry.enterprise_id), (self.district, enterprise.pk))
        self.assertIn("enterprises.enterprise:change", User.objects.get(pk=user.pk).rights)

    def test_it_rejects_the_enterprise_and_its_organisation(self):
        enterprise, user = self.sign_up()
        with self.captureOnCommitCallbacks(execute=True):
            services.review_enterprise(
                enterprise=enterprise, actor=self.district, approve=False, comment="非本市企业"
            )
        enterprise.refresh_from_db()
        self.assertEqual(enterprise.status, Enterprise.Status.REJECTED)
        self.assertEqual(enterprise.organisation.status, Organisation.Status.REJECTED)
        self.assertEqual(enterprise.organisation.review_comment, "非本市企业")
        self.assertEqual(Notification.objects.get().body, "非本市企业")
        self.assertEqual(User.objects.get(pk=user.pk).rights, frozenset())

    def test_it_refuses_a_second_decision(self):
        enterprise, _user = self.sign_up()
        services.review_enterprise(enterprise=enterprise, actor=self.district, approve=True)
        with self.assertRaisesMessage(DomainError, "already been decided"):
            services.review_enterprise(enterprise=enterprise, actor=self.district, approve=False, comment="x")
        enterprise.refresh_from_db()
        self.assertEqual(enterprise.status, Enterprise.Status.ACTIVE)

    def test_it_refuses_deciding_an_active_enterprise(self):
        with self.assertRaisesMessage(DomainError, "already been decided"):
            services.review_enterprise(
                enterprise=self.far_enterprise, actor=self.other_district, approve=False
            )

    def test_it_leaves_the_decision_to_the_district_not_the_city(self):
        # The seed gives approval to the district; the city follows sign-ups but does not decide them.
        enterprise, _user = self.sign_up()
        with self.assertRaisesMessage(DomainError, "You may not review enterprise sign-ups."):
            services.review_enterprise(enterprise=enterprise, actor=self.city, approve=True)
        enterprise.refresh_from_db()
        self.assertEqual(enterprise.status, Enterprise.Status.PENDING)

    def test_it_refuses_people_who_are_not_officers(self):
        enterprise, _user = self.sign_up()
        for actor in [self.enterprise_user, self.expert, self.provider, self.platform, self.outsider]:
            with self.subTest(actor=actor.username), self.assertRaises(DomainError):
                services.review_enterprise(enterprise=enterprise, actor=actor, approve=True)
        enterprise.refresh_from_db()
        self.assertEqual(enterprise.status, Enterprise.Status.PENDING)
        self.assertEqual(enterprise.organisation.status, Organisation.Status.PENDING)

    def test_it_decides_an_enterprise_without_account_with_its_own_audit_entry(self):
        filed = services.create_enterprise(actor=self.district, data=facts(self.home_region))
        Enterprise.objects.filter(pk=filed.pk).update(status=Enterprise.Status.PENDING)
        services.review_enterprise(enterprise=filed, actor=self.district, approve=True)
        self.assertTrue(AuditEntry.objects.filter(action="enterprises.enterprise.approved").exists())


class AdvanceStageTests(PersonaTestCase):
    def test_it_moves_forward_and_audits(self):
        enterprise = services.advance_stage(
            enterprise=self.enterprise, stage=Stage.STRATEGY, actor=self.expert
        )
        self.assertEqual(enterprise.stage, Stage.STRATEGY)
        self.assertIsNotNone(enterprise.stage_changed_at)
        entry = AuditEntry.objects.get(action="enterprises.enterprise.stage_changed")
        self.assertEqual(entry.data, {"from": 0, "to": 2})

    def test_it_never_goes_back(self):
        services.advance_stage(enterprise=self.enterprise, stage=Stage.DESIGN)
        for stage in [Stage.DIAGNOSIS, Stage.DESIGN]:
            with self.subTest(stage=stage):
                enterprise = services.advance_stage(enterprise=self.enterprise, stage=stage)
                self.assertEqual(enterprise.stage, Stage.DESIGN)
        self.assertEqual(AuditEntry.objects.filter(action="enterprises.enterprise.stage_changed").count(), 1)


@unittest.skipUnless(
    connection.vendor == "postgresql",
    "SQLite serialises writers on the whole database, so row locks (select_for_update) are not exercised",
)
class ConcurrentReviewTests(ConcurrencyTestCase):
    """Two officers press approve and reject at the same moment: exactly one decision is taken."""

    # The test truncates the tables; restore the regions and tags the migrations loaded.
    serialized_rollback = True

    def setUp(self):
        super().setUp()
        from smedx.accounts.models import Region

        region = Region.objects.get(code="500112")
        org = make_org(Organisation.Kind.AUTHORITY, "渝北区经济和信息化委员会", region, "district")
        self.officers = [make_user("officer1", org, "admin"), make_user("officer2", org, "admin")]
        self.enterprise, _user = services.sign_up_enterprise(data=facts(region, serial=7001), admin=ADMIN)

    def test_it_lets_exactly_one_of_two_simultaneous_reviews_succeed(self):
        barrier = threading.Barrier(2)
        outcomes = []

        def review(actor, approve):
            try:
                barrier.wait(timeout=10)
                services.review_enterprise(
                    enterprise=self.enterprise,
                    actor=User.objects.get(pk=actor.pk),
                    approve=approve,
                    comment="c",
                )
                outcomes.append("ok")
            except DomainError:
                outcomes.append("refused")
            finally:
                connection.close()

        threads = [
            threading.Thread(target=review, args=(self.officers[0], True)),
            threading.Thread(target=review, args=(self.officers[1], False)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        self.assertEqual(sorted(outcomes), ["ok", "refused"])
        self.enterprise.refresh_from_db()
        self.assertIn(self.enterprise.status, [Enterprise.Status.ACTIVE, Enterprise.Status.REJECTED])
        org_status = Organisation.objects.get(pk=self.enterprise.organisation_id).status
        self.assertEqual(org_status, self.enterprise.status)  # both were decided the same way
        decisions = AuditEntry.objects.filter(
            action__in=["accounts.organisation.approved", "accounts.organisation.rejected"]
        )
        self.assertEqual(decisions.count(), 1)
