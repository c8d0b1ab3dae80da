"""The pool's pages: the provider's own page and forms, the confirmation, management, review, notice, to-dos."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from smedx.core.models import Notification
from smedx.core.todos import todos_for
from smedx.providers.models import (
    ExpertReview,
    Objection,
    ProviderCertificate,
    ProviderProfile,
    ProviderReference,
    Solution,
)
from smedx.testing import PersonaTestCase
from smedx.testing.providers import (
    add_references,
    complete_profile,
    make_solution,
    provider_with_admin,
)

S = ProviderProfile.Status
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def todo_titles(user):
    return {str(todo.title): todo.count for todo in todos_for(user)}


class ProviderPageTests(PersonaTestCase):
    def test_it_walks_a_new_provider_from_profile_to_submission(self):
        self.login(self.provider)
        response = self.client.get(reverse("providers:pool"))
        self.assertContains(response, "Fill in the profile")
        data = {
            "introduction": "工业软件服务商",
            "founded_year": 2012,
            "registered_capital": "2000",
            "staff_count": 120,
            "rnd_staff": 50,
            "industries": ["34", "36"],
            "scenes": ["S06", "S08"],
            "regions": [self.home_region.pk],
            "last_year_revenue": "5600",
            "net_profit": "420",
            "debt_ratio": "38",
        }
        response = self.client.post(reverse("providers:profile_edit"), data)
        self.assertRedirects(response, reverse("providers:pool"))
        profile = ProviderProfile.objects.get(organisation=self.provider.organisation)
        self.assertEqual(profile.scene_codes, ["S06", "S08"])
        response = self.client.get(reverse("providers:pool"))
        self.assertContains(response, "(now 0)")
        add_references(profile, 5)
        response = self.client.get(reverse("providers:submit"))
        self.assertContains(response, "Submit the application")
        response = self.client.post(reverse("providers:submit"))
        self.assertRedirects(response, reverse("providers:pool"))
        profile.refresh_from_db()
        self.assertEqual(profile.status, S.APPLIED)
        self.assertContains(self.client.get(reverse("providers:pool")), "Application submitted.")

    def test_it_refuses_a_bad_profile_and_saves_nothing(self):
        self.login(self.provider)
        response = self.client.post(
            reverse("providers:profile_edit"),
            {
                "founded_year": 1800,
                "staff_count": 10,
                "rnd_staff": 20,
                "debt_ratio": "120",
                "scenes": ["S01"],
            },
        )
        self.assertEqual(response.status_code, 200)
        form = response.context["form"]
        self.assertEqual(
            set(form.errors), {"founded_year", "rnd_staff", "debt_ratio", "industries", "regions"}
        )
        self.assertFalse(ProviderProfile.objects.exists())

    def test_it_refuses_negative_money_and_head_counts_past_the_range(self):
        self.login(self.provider)
        data = {
            "staff_count": 99_999_999_999,
            "rnd_staff": 0,
            "registered_capital": "-1",
            "last_year_revenue": "-5",
            "industries": ["34"],
            "scenes": ["S01"],
            "regions": [self.home_region.pk],
        }
        response = self.client.post(reverse("providers:profile_edit"), data)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            set(response.context["form"].errors), {"staff_count", "registered_capital", "last_year_revenue"}
        )
        self.assertFalse(ProviderProfile.objects.exists())

    def test_it_refuses_a_negative_minimum_price_and_the_database_does_too(self):
        complete_profile(self.provider.organisation)
        self.login(self.provider)
        data = {
            "name": "设备点检APP",
            "summary": "扫码点检",
            "deployment": "saas",
            "price_min": "-100",
            "price_max": "19800",
            "price_unit": "per_year",
            "delivery_days": 99_999_999_999,
            "scene_S08_from": 0,
            "scene_S08_to": 2,
        }
        response = self.client.post(reverse("providers:solution_create"), data)
        self.assertEqual(set(response.context["form"].errors), {"price_min", "delivery_days"})
        self.assertFalse(Solution.objects.exists())
        response = self.client.post(
            reverse("providers:solution_create"), {**data, "price_min": "0", "delivery_days": 7}
        )
        solution = Solution.objects.get()
        with self.assertRaises(IntegrityError), transaction.atomic():
            Solution.objects.filter(pk=solution.pk).update(price_min=-1)

    def test_it_checks_certificate_files_by_content(self):
        complete_profile(self.provider.organisation)
        self.login(self.provider)
        url = reverse("providers:certificate_add")
        fake = SimpleUploadedFile("cert.pdf", b"MZ not a pdf", content_type="application/pdf")
        response = self.client.post(url, {"name": "ISO 9001", "issuer": "CQC", "file": fake})
        self.assertContains(response, "Only PDF, JPG and PNG files")
        self.assertFalse(ProviderCertificate.objects.exists())
        good = SimpleUploadedFile("cert.png", PNG, content_type="image/png")
        response = self.client.post(
            url, {"name": "ISO 9001", "issuer": "CQC", "valid_until": "2030-01-01", "file": good}
        )
        self.assertRedirects(response, reverse("providers:pool"))
        certificate = ProviderCertificate.objects.get()
        self.assertEqual((certificate.content_type, certificate.original_name), ("image/png", "cert.png"))
        response = self.client.get(reverse("providers:certificate_file", args=[certificate.pk]))
        self.assertEqual(b"".join(response.streaming_content), PNG)
        self.assertEqual(
            self.client.get(reverse("providers:certificate_delete", args=[certificate.pk])).status_code, 405
        )
        self.client.post(reverse("providers:certificate_delete", args=[certificate.pk]))
        self.assertFalse(ProviderCertificate.objects.exists())

    def test_it_refuses_a_reference_too_recent_with_a_clear_message(self):
        complete_profile(self.provider.organisation)
        self.login(self.provider)
        data = {
            "customer_credit_code": self.enterprise.credit_code,
            "customer_name": "x",
            "solution_used": "云MES",
            "since": (timezone.localdate() - timedelta(days=60)).isoformat(),
        }
        response = self.client.post(reverse("providers:reference_add"), data)
        self.assertContains(response, "at least six months")
        self.assertFalse(ProviderReference.objects.exists())
        data["since"] = (timezone.localdate() - timedelta(days=400)).isoformat()
        self.assertRedirects(
            self.client.post(reverse("providers:reference_add"), data), reverse("providers:pool")
        )
        self.assertEqual(ProviderReference.objects.get().enterprise, self.enterprise)

    def test_it_creates_a_solution_with_its_scenes_and_publishes_only_when_listed(self):
        profile = complete_profile(self.provider.organisation)
        self.login(self.provider)
        data = {
            "name": "设备点检APP",
            "summary": "扫码点检",
            "deployment": "saas",
            "price_min": "9800",
            "price_max": "19800",
            "price_unit": "per_year",
            "delivery_days": 7,
            "scene_S08_from": 0,
            "scene_S08_to": 2,
            "scene_S09_from": 1,
            "scene_S09_to": "",
        }
        response = self.client.post(reverse("providers:solution_create"), data)
        solution = Solution.objects.get()
        self.assertRedirects(response, reverse("providers:solution_detail", args=[solution.pk]))
        self.assertEqual([(r.scene, r.to_level) for r in solution.scenes.all()], [("S08", 2)])
        response = self.client.post(reverse("providers:solution_publish", args=[solution.pk]), follow=True)
        self.assertContains(response, "Only a provider listed in the pool can publish solutions.")
        ProviderProfile.objects.filter(pk=profile.pk).update(status=S.LISTED)
        self.client.post(reverse("providers:solution_publish", args=[solution.pk]))
        solution.refresh_from_db()
        self.assertEqual(solution.status, Solution.Status.PUBLISHED)

    def test_it_refuses_a_solution_without_scenes_or_with_a_falling_level(self):
        complete_profile(self.provider.organisation)
        self.login(self.provider)
        data = {
            "name": "x",
            "summary": "y",
            "deployment": "saas",
            "price_min": "10",
            "price_max": "5",
            "price_unit": "per_year",
            "delivery_days": 7,
            "scene_S01_from": 2,
            "scene_S01_to": 1,
        }
        response = self.client.post(reverse("providers:solution_create"), data)
        form = response.context["form"]
        self.assertIn("price_max", form.errors)
        self.assertIn("scene_S01_to", form.errors)
        del data["scene_S01_to"]
        response = self.client.post(reverse("providers:solution_create"), data)
        self.assertContains(response, "Name at least one scene")
        self.assertFalse(Solution.objects.exists())

    def test_it_keeps_others_out_of_a_providers_solution(self):
        profile, _user = provider_with_admin("他人服务商", "other_provider")
        solution = make_solution(profile, status=Solution.Status.DRAFT)
        self.login(self.provider)
        complete_profile(self.provider.organisation)
        self.assertEqual(
            self.client.get(reverse("providers:solution_edit", args=[solution.pk])).status_code, 404
        )
        self.client.post(reverse("providers:solution_publish", args=[solution.pk]))
        solution.refresh_from_db()
        self.assertEqual(solution.status, Solution.Status.DRAFT)


class ReferenceConfirmationTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.profile = complete_profile(cls.provider.organisation)
        cls.reference, cls.unknown = add_references(cls.profile, 2, enterprises=[cls.enterprise])

    def test_the_customer_confirms_through_the_platform(self):
        self.login(self.provider)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("providers:reference_ask", args=[self.reference.pk]))
        url = reverse("providers:reference_confirm", args=[self.reference.pk])
        note = Notification.objects.get(recipient=self.enterprise_user)
        self.assertEqual(note.url, url)
        self.assertFalse(Notification.objects.filter(recipient=self.enterprise_colleague).exists())
        self.assertEqual(todo_titles(self.enterprise_user)["Confirm that you use a provider's solution"], 1)
        self.login(self.enterprise_user)
        response = self.client.get(url)
        self.assertContains(response, self.profile.name)
        response = self.client.post(url, {"decision": "bogus"})
        self.assertEqual(response.status_code, 200)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url, {"decision": "confirm", "comment": "已使用一年"})
        self.assertRedirects(response, url)
        self.reference.refresh_from_db()
        self.assertEqual(
            (self.reference.confirmation, self.reference.answered_by, self.reference.answer_comment),
            ("confirmed", self.enterprise_user, "已使用一年"),
        )
        self.assertTrue(
            Notification.objects.filter(recipient=self.provider, verb="providers.reference.answered")
        )
        response = self.client.post(url, {"decision": "deny"}, follow=True)
        self.assertContains(response, "already been answered")
        self.assertNotIn("Confirm that you use a provider's solution", todo_titles(self.enterprise_user))

    def test_it_cannot_ask_a_customer_without_an_account_or_twice(self):
        self.login(self.provider)
        response = self.client.post(reverse("providers:reference_ask", args=[self.unknown.pk]), follow=True)
        self.assertContains(response, "no account on the platform")
        self.client.post(reverse("providers:reference_ask", args=[self.reference.pk]))
        response = self.client.post(reverse("providers:reference_ask", args=[self.reference.pk]), follow=True)
        self.assertContains(response, "already been asked")

    def test_others_cannot_ask_or_answer(self):
        other, other_user = provider_with_admin("他人服务商", "other_provider")
        self.login(other_user)
        self.assertEqual(
            self.client.post(reverse("providers:reference_ask", args=[self.reference.pk])).status_code, 404
        )
        ProviderReference.objects.filter(pk=self.reference.pk).update(confirmation="asked")
        for user in (self.other_enterprise_user, self.enterprise_colleague, self.district):
            with self.subTest(user.username):
                self.login(user)
                url = reverse("providers:reference_confirm", args=[self.reference.pk])
                self.assertEqual(self.client.post(url, {"decision": "confirm"}).status_code, 404)
        self.reference.refresh_from_db()
        self.assertEqual(self.reference.confirmation, "asked")


class ManagementPageTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.profile = complete_profile(cls.provider.organisation, status=S.APPLIED, round=1)
        add_references(cls.profile, 5)

    def act(self, action, data=None, user=None):
        self.login(user or self.city)
        return self.client.post(
            reverse("providers:manage_action", args=[self.profile.pk, action]), data or {}, follow=True
        )

    def test_it_lists_by_status_in_few_queries(self):
        for i in range(5):
            provider_with_admin(f"服务商{i}", f"p{i}", S.LISTED)
        self.login(self.platform)
        url = reverse("providers:manage_list")
        # session, user, membership, status counts, count, unread notifications, the page: none per row
        with self.assertNumQueries(7):
            response = self.client.get(url, {"status": "listed"})
        self.assertEqual(len(response.context["page"]), 5)
        self.assertEqual(todo_titles(self.platform)["Pool applications to send to review"], 1)

    def test_it_runs_the_whole_review_through_the_pages(self):
        response = self.act("start_review")
        self.assertContains(response, "Done.")
        self.assertEqual(todo_titles(self.expert)["Provider pool applications to review"], 1)
        self.login(self.expert)
        self.assertContains(self.client.get(reverse("providers:review_list")), self.profile.name)
        url = reverse("providers:review", args=[self.profile.pk])
        response = self.client.post(
            url, {"capability": 120, "references": 80, "finances": 70, "solution_fit": 60, "opinion": ""}
        )
        self.assertEqual(set(response.context["form"].errors), {"capability", "opinion"})
        self.assertFalse(ExpertReview.objects.exists())
        response = self.client.post(
            url,
            {
                "capability": 90,
                "references": 80,
                "finances": 70,
                "solution_fit": 60,
                "opinion": "同意入库",
                "recommend": "on",
            },
        )
        self.assertRedirects(response, reverse("providers:review_list"))
        self.assertNotIn("Provider pool applications to review", todo_titles(self.expert))
        response = self.act("decide", {"decision": "reject"})
        self.assertContains(response, "Say why")
        response = self.act("decide", {"decision": "approve", "days": 5}, user=self.platform)
        self.profile.refresh_from_db()
        self.assertEqual(self.profile.notice_end, timezone.localdate() + timedelta(days=5))
        self.client.logout()
        self.assertContains(self.client.get(reverse("providers:notice")), self.profile.name)
        response = self.act("list")
        self.assertContains(response, "the provider can be listed from that day")
        self.login(self.other_enterprise_user)
        response = self.client.post(
            reverse("providers:objection", args=[self.profile.pk]), {"text": "服务差"}
        )
        self.assertRedirects(response, reverse("providers:notice"))
        objection = Objection.objects.get()
        response = self.act(
            "resolve", {"objection": objection.pk, "decision": "dismiss", "resolution": "不成立"}
        )
        objection.refresh_from_db()
        self.assertEqual(objection.status, "dismissed")
        ProviderProfile.objects.filter(pk=self.profile.pk).update(notice_end=timezone.localdate())
        self.act("list")
        self.profile.refresh_from_db()
        self.assertEqual(self.profile.status, S.LISTED)
        self.login(self.provider)
        response = self.client.get(reverse("providers:pool"))
        self.assertContains(response, "Listed in the provider pool after the public notice.")

    def test_it_warns_with_a_deadline_shown_to_the_provider(self):
        ProviderProfile.objects.filter(pk=self.profile.pk).update(status=S.LISTED)
        deadline = timezone.localdate() + timedelta(days=20)
        response = self.act("warn", {"reason": "", "deadline": ""})
        self.assertContains(response, "This field is required.")
        self.act("warn", {"reason": "客户投诉未处理", "deadline": deadline.isoformat()})
        self.login(self.provider)
        response = self.client.get(reverse("providers:pool"))
        self.assertContains(response, "客户投诉未处理")
        self.assertIn(f"Rectify the warning by {deadline}", todo_titles(self.provider))
        self.act("flag", {"flag": "on", "reason": "诊断经验"}, user=self.city)
        self.profile.organisation.refresh_from_db()
        self.assertFalse(self.profile.organisation.is_diagnosis_institution)
        self.act("flag", {"flag": "on", "reason": "诊断经验"}, user=self.platform)
        self.profile.organisation.refresh_from_db()
        self.assertTrue(self.profile.organisation.is_diagnosis_institution)

    def test_it_refuses_actions_by_others_and_unknown_actions(self):
        for user in (self.district, self.expert, self.provider, self.enterprise_user):
            with self.subTest(user.username):
                self.login(user)
                url = reverse("providers:manage_action", args=[self.profile.pk, "start_review"])
                self.assertIn(self.client.post(url).status_code, (403, 404))
        self.login(self.city)
        self.assertEqual(
            self.client.post(
                reverse("providers:manage_action", args=[self.profile.pk, "explode"])
            ).status_code,
            404,
        )
        self.profile.refresh_from_db()
        self.assertEqual(self.profile.status, S.APPLIED)

    def test_the_detail_page_offers_the_actions_of_the_status(self):
        self.login(self.city)
        response = self.client.get(reverse("providers:manage_detail", args=[self.profile.pk]))
        self.assertContains(response, 'data-testid="action-start_review"')
        self.assertNotContains(response, 'data-testid="action-flag"')
        self.login(self.platform)
        response = self.client.get(reverse("providers:manage_detail", args=[self.profile.pk]))
        self.assertContains(response, 'data-testid="action-flag"')


class ProviderTodoTests(PersonaTestCase):
    def test_a_provider_is_told_what_to_do_next(self):
        self.assertEqual(todo_titles(self.provider), {"Apply to the provider pool": 1})
        profile = complete_profile(self.provider.organisation)
        refs = add_references(profile, 2, enterprises=[self.enterprise])
        ProviderReference.objects.filter(pk=refs[0].pk).update(confirmation="asked")
        titles = todo_titles(self.provider)
        self.assertEqual(titles["Reference customers to chase"], 1)
        self.assertIn("Complete your provider pool application", titles)
        self.login(self.provider)
        self.assertContains(self.client.get(reverse("workbench:home")), 'data-testid="pool-panel"')
