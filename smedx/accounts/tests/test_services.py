"""The services of people and organisations: each allowed change and each refused one."""

from datetime import timedelta

from django.core import mail
from django.db import IntegrityError
from django.utils import timezone

from smedx.accounts import services
from smedx.accounts.forms import ReviewForm
from smedx.accounts.models import ApiToken, ExpertProfile, Invitation, Membership, Organisation, User
from smedx.core.errors import DomainError
from smedx.core.models import AuditEntry, Notification
from smedx.testing import PASSWORD, PersonaTestCase

ADMIN = {
    "username": "newadmin",
    "password": "Another-pass-456",
    "email": "admin@example.com",
    "display_name": "新管理员",
    "phone": "13900001111",
}


def sign_up_provider(name="新服务商", **admin):
    return services.sign_up_organisation(
        kind=Organisation.Kind.PROVIDER,
        name=name,
        credit_code="91110108551385082Q",
        admin={**ADMIN, **admin},
        ip="10.0.0.1",
    )


class ProviderSignUpTests(PersonaTestCase):
    def test_it_creates_a_pending_organisation_with_its_admin(self):
        org, user = sign_up_provider()
        self.assertEqual(org.status, Organisation.Status.PENDING)
        self.assertEqual(org.kind, Organisation.Kind.PROVIDER)
        self.assertEqual(user.membership.organisation, org)
        self.assertEqual(user.membership.role, Membership.Role.ADMIN)
        self.assertTrue(user.check_password(ADMIN["password"]))
        entry = AuditEntry.objects.get(action="accounts.organisation.signed_up")
        self.assertEqual((entry.actor, entry.organisation, entry.ip_address), (user, org, "10.0.0.1"))

    def test_it_gives_a_pending_organisation_no_rights(self):
        _org, user = sign_up_provider()
        self.assertEqual(user.rights, frozenset())

    def test_it_creates_nothing_when_the_login_name_is_taken(self):
        with self.assertRaises(IntegrityError):
            sign_up_provider(username="city")
        self.assertFalse(Organisation.objects.filter(name="新服务商").exists())


class OrganisationReviewTests(PersonaTestCase):
    def test_it_approves_and_notifies_the_members(self):
        org, user = sign_up_provider()
        with self.captureOnCommitCallbacks(execute=True):
            services.review_organisation(org=org, actor=self.platform, approve=True, comment="欢迎")
        org.refresh_from_db()
        self.assertEqual(org.status, Organisation.Status.ACTIVE)
        self.assertIsNotNone(org.reviewed_at)
        self.assertEqual(Notification.objects.get(recipient=user).verb, "organisation.approved")
        entry = AuditEntry.objects.get(action="accounts.organisation.approved")
        self.assertEqual((entry.actor, entry.data["comment"]), (self.platform, "欢迎"))
        # Once active, the organisation's admin has its rights.
        self.assertIn("accounts.membership:invite", User.objects.get(pk=user.pk).rights)

    def test_it_rejects_with_the_comment(self):
        org, user = sign_up_provider()
        with self.captureOnCommitCallbacks(execute=True):
            services.review_organisation(org=org, actor=self.platform, approve=False, comment="资料不全")
        org.refresh_from_db()
        self.assertEqual((org.status, org.review_comment), (Organisation.Status.REJECTED, "资料不全"))
        note = Notification.objects.get(recipient=user)
        self.assertEqual((note.verb, note.body), ("organisation.rejected", "资料不全"))

    def test_it_refuses_a_second_decision(self):
        org, _user = sign_up_provider()
        services.review_organisation(org=org, actor=self.platform, approve=True)
        with self.assertRaisesMessage(DomainError, "already been decided"):
            services.review_organisation(org=org, actor=self.platform, approve=False, comment="x")
        org.refresh_from_db()
        self.assertEqual(org.status, Organisation.Status.ACTIVE)
        self.assertEqual(AuditEntry.objects.filter(action__startswith="accounts.organisation.r").count(), 0)

    def test_it_needs_a_comment_to_reject_in_the_form(self):
        self.assertFalse(ReviewForm({"decision": "reject", "comment": "  "}).is_valid())
        self.assertTrue(ReviewForm({"decision": "reject", "comment": "资料不全"}).is_valid())
        self.assertTrue(ReviewForm({"decision": "approve", "comment": ""}).is_valid())
        self.assertFalse(ReviewForm({"decision": "maybe"}).is_valid())


class InvitationTests(PersonaTestCase):
    def invite(self, email="new@example.com", role=Membership.Role.MEMBER, actor=None):
        actor = actor or self.enterprise_user
        return services.invite_member(org=actor.organisation, actor=actor, email=email, role=role)

    def accept(self, raw, username="newcolleague"):
        return services.accept_invitation(
            raw_token=raw, username=username, password="Another-pass-456", display_name="新同事"
        )

    def test_it_lets_an_admin_invite(self):
        invitation, raw = self.invite()
        self.assertEqual(invitation.organisation, self.enterprise_user.organisation)
        self.assertEqual(invitation.token_hash, Invitation.hash(raw))
        self.assertNotIn(raw, invitation.token_hash)
        self.assertGreater(invitation.expires_at, timezone.now() + timedelta(days=6))
        self.assertTrue(AuditEntry.objects.filter(action="accounts.invitation.created").exists())

    def test_it_refuses_a_member_who_is_not_admin(self):
        with self.assertRaises(DomainError):
            self.invite(actor=self.enterprise_colleague)
        self.assertFalse(Invitation.objects.exists())

    def test_it_refuses_inviting_into_another_organisation(self):
        with self.assertRaises(DomainError):
            services.invite_member(
                org=self.enterprise_user.organisation, actor=self.other_enterprise_user, email="x@example.com"
            )
        self.assertFalse(Invitation.objects.exists())

    def test_it_refuses_a_second_open_invitation_for_the_same_email(self):
        self.invite("new@example.com")
        with self.assertRaisesMessage(DomainError, "already has an open invitation"):
            self.invite("NEW@example.com")
        self.assertEqual(Invitation.objects.count(), 1)

    def test_it_allows_a_new_invitation_once_the_old_one_is_revoked(self):
        invitation, _raw = self.invite()
        services.revoke_invitation(invitation=invitation, actor=self.enterprise_user)
        self.invite()
        self.assertEqual(Invitation.objects.count(), 2)

    def test_it_creates_the_membership_with_the_invited_role(self):
        _invitation, raw = self.invite(role=Membership.Role.ADMIN)
        with self.captureOnCommitCallbacks(execute=True):
            user = self.accept(raw)
        self.assertEqual(user.membership.organisation, self.enterprise_user.organisation)
        self.assertEqual(user.membership.role, Membership.Role.ADMIN)
        self.assertEqual(user.email, "new@example.com")
        self.assertTrue(user.check_password("Another-pass-456"))
        self.assertEqual(Notification.objects.get().recipient, self.enterprise_user)
        self.assertTrue(AuditEntry.objects.filter(action="accounts.invitation.accepted", actor=user).exists())

    def test_it_refuses_a_used_token(self):
        _invitation, raw = self.invite()
        self.accept(raw)
        self.assertIsNone(services.find_invitation(raw))
        with self.assertRaisesMessage(DomainError, "invalid, expired or already used"):
            self.accept(raw, username="second")
        self.assertFalse(User.objects.filter(username="second").exists())

    def test_it_refuses_an_expired_token(self):
        invitation, raw = self.invite()
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
        self.assertIsNone(services.find_invitation(raw))
        with self.assertRaises(DomainError):
            self.accept(raw)
        self.assertFalse(User.objects.filter(username="newcolleague").exists())

    def test_it_refuses_a_revoked_token(self):
        invitation, raw = self.invite()
        services.revoke_invitation(invitation=invitation, actor=self.enterprise_user)
        with self.assertRaises(DomainError):
            self.accept(raw)
        self.assertFalse(User.objects.filter(username="newcolleague").exists())

    def test_it_refuses_an_unknown_token(self):
        self.assertIsNone(services.find_invitation("nonsense"))
        with self.assertRaises(DomainError):
            self.accept("nonsense")

    def test_it_refuses_revoking_twice_or_after_acceptance(self):
        invitation, raw = self.invite()
        self.accept(raw)
        with self.assertRaisesMessage(DomainError, "no longer open"):
            services.revoke_invitation(invitation=invitation, actor=self.enterprise_user)
        other, _raw = self.invite("other@example.com")
        services.revoke_invitation(invitation=other, actor=self.enterprise_user)
        with self.assertRaises(DomainError):
            services.revoke_invitation(invitation=other, actor=self.enterprise_user)

    def test_it_mails_the_link(self):
        invitation, _raw = self.invite()
        services.send_invitation_mail(invitation=invitation, link="https://smedx.example/invitation/abc/")
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["new@example.com"])
        self.assertIn("https://smedx.example/invitation/abc/", mail.outbox[0].body)


class ApiTokenTests(PersonaTestCase):
    def test_it_creates_a_token_and_stores_only_its_hash(self):
        token, raw = services.create_api_token(user=self.district, name="脚本")
        self.assertTrue(raw.startswith(ApiToken.PREFIX))
        self.assertEqual(token.token_hash, ApiToken.hash(raw))
        self.assertEqual(token.last_four, raw[-4:])
        self.assertFalse(ApiToken.objects.filter(token_hash=raw).exists())
        self.assertTrue(AuditEntry.objects.filter(action="accounts.apitoken.created").exists())

    def test_it_finds_the_user_and_notes_the_use(self):
        token, raw = services.create_api_token(user=self.district, name="脚本")
        self.assertEqual(services.user_for_token(raw), self.district)
        token.refresh_from_db()
        self.assertIsNotNone(token.last_used_at)

    def test_it_finds_nobody_for_a_revoked_token(self):
        token, raw = services.create_api_token(user=self.district, name="脚本")
        services.revoke_api_token(token=token, actor=self.district)
        self.assertIsNone(services.user_for_token(raw))
        self.assertTrue(AuditEntry.objects.filter(action="accounts.apitoken.revoked").exists())

    def test_it_refuses_revoking_twice(self):
        token, _raw = services.create_api_token(user=self.district, name="脚本")
        services.revoke_api_token(token=token, actor=self.district)
        with self.assertRaisesMessage(DomainError, "already revoked"):
            services.revoke_api_token(token=token, actor=self.district)

    def test_it_finds_nobody_for_an_unknown_token_or_an_inactive_user(self):
        _token, raw = services.create_api_token(user=self.district, name="脚本")
        self.assertIsNone(services.user_for_token(raw + "x"))
        User.objects.filter(pk=self.district.pk).update(is_active=False)
        self.assertIsNone(services.user_for_token(raw))


class ExpertProfileTests(PersonaTestCase):
    def test_it_updates_the_profile_and_audits(self):
        profile = services.set_expert_profile(
            user=self.expert, actor=self.platform, fields_of_expertise="工业互联网", industries="34,35"
        )
        self.assertEqual(ExpertProfile.objects.get(user=self.expert), profile)
        self.assertEqual(profile.fields_of_expertise, "工业互联网")
        self.assertTrue(AuditEntry.objects.filter(action="accounts.expertprofile.updated").exists())

    def test_it_creates_a_missing_profile(self):
        services.set_expert_profile(user=self.outsider, actor=self.platform, fields_of_expertise="数据治理")
        self.assertTrue(AuditEntry.objects.filter(action="accounts.expertprofile.created").exists())


class LoginAuditTests(PersonaTestCase):
    def test_it_audits_a_login(self):
        self.assertTrue(self.client.login(username="district", password=PASSWORD))
        entry = AuditEntry.objects.get(action="accounts.user.logged_in")
        self.assertEqual((entry.actor, entry.organisation), (self.district, self.district.organisation))

    def test_it_audits_a_failed_login_with_the_name_tried(self):
        self.assertFalse(self.client.login(username="district", password="wrong"))
        entry = AuditEntry.objects.get(action="accounts.user.login_failed")
        self.assertIsNone(entry.actor)
        self.assertEqual(entry.data["username"], "district")
        self.assertFalse(AuditEntry.objects.filter(action="accounts.user.logged_in").exists())

    def test_it_audits_a_login_through_the_login_page_with_the_address(self):
        response = self.client.post(
            "/login/", {"username": "district", "password": PASSWORD}, REMOTE_ADDR="192.0.2.7"
        )
        self.assertEqual(response.status_code, 302)
        entry = AuditEntry.objects.get(action="accounts.user.logged_in")
        self.assertEqual((entry.actor, entry.ip_address), (self.district, "192.0.2.7"))

    def test_it_audits_a_failed_login_through_the_login_page(self):
        response = self.client.post(
            "/login/", {"username": "nobody", "password": "x"}, REMOTE_ADDR="192.0.2.8"
        )
        self.assertEqual(response.status_code, 200)
        entry = AuditEntry.objects.get(action="accounts.user.login_failed")
        self.assertEqual((entry.data["username"], entry.ip_address), ("nobody", "192.0.2.8"))

    def test_it_audits_a_logout(self):
        self.client.login(username="district", password=PASSWORD)
        self.client.post("/logout/")
        self.assertTrue(
            AuditEntry.objects.filter(action="accounts.user.logged_out", actor=self.district).exists()
        )


class AuditLogTests(PersonaTestCase):
    def test_it_refuses_to_change_or_delete_an_entry(self):
        self.client.login(username="district", password=PASSWORD)
        entry = AuditEntry.objects.get()
        entry.action = "forged"
        with self.assertRaises(TypeError):
            entry.save()
        with self.assertRaises(TypeError):
            entry.delete()
        with self.assertRaises(TypeError):
            AuditEntry.objects.filter(pk=entry.pk).update(action="forged")
        with self.assertRaises(TypeError):
            AuditEntry.objects.all().delete()
        self.assertEqual(AuditEntry.objects.get().action, "accounts.user.logged_in")
