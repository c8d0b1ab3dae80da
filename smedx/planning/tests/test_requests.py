"""Planning support: an enterprise asks its district (or records its provider); the answer stays on the case file."""

from django.contrib.messages import get_messages
from django.urls import reverse

from smedx.core.errors import DomainError
from smedx.core.models import AuditEntry, Notification
from smedx.core.todos import todos_for
from smedx.enterprises.journey import journey
from smedx.planning.models import PlanningRequest
from smedx.planning.services import library, support
from smedx.testing import PersonaTestCase, make_org
from smedx.testing.planning import make_document, pdf

NEED = "我们想制定三年数字化转型规划，重点是生产管控和设备管理。"


class RequestServiceTests(PersonaTestCase):
    def ask(self, **extra):
        with self.captureOnCommitCallbacks(execute=True):
            return support.request_planning(
                enterprise=self.enterprise, actor=self.enterprise_user, need=NEED, **extra
            )

    def test_it_records_the_request_moves_the_journey_and_tells_the_district(self):
        request = self.ask()
        self.assertEqual((request.route, request.status), ("district", "requested"))
        self.enterprise.refresh_from_db()
        self.assertEqual(self.enterprise.stage, 2)
        self.assertTrue(Notification.objects.filter(recipient=self.district).exists())
        self.assertFalse(Notification.objects.filter(recipient=self.other_district).exists())
        self.assertTrue(
            AuditEntry.objects.filter(
                action="planning.planning_request.created", enterprise_id=self.enterprise.pk
            ).exists()
        )

    def test_it_refuses_others_and_an_empty_need(self):
        for user in (self.district, self.provider, self.other_enterprise_user, self.expert):
            with self.subTest(user=user.username), self.assertRaises(DomainError):
                support.request_planning(enterprise=self.enterprise, actor=user, need=NEED)
        with self.assertRaises(DomainError):
            support.request_planning(enterprise=self.enterprise, actor=self.enterprise_user, need="  ")
        self.assertFalse(PlanningRequest.objects.exists())

    def test_it_lets_only_the_own_district_answer(self):
        request = self.ask()
        for user in (self.other_district, self.city, self.provider, self.enterprise_user):
            with self.subTest(user=user.username), self.assertRaises(DomainError):
                support.answer_request(request=request, actor=user, answer="好")
        with self.captureOnCommitCallbacks(execute=True):
            support.answer_request(
                request=request, actor=self.district, answer="建议先做设备联网。", document=pdf("规划.pdf")
            )
        request.refresh_from_db()
        self.assertEqual(
            (request.status, request.answered_by, request.document_name),
            ("answered", self.district, "规划.pdf"),
        )
        self.assertTrue(Notification.objects.filter(recipient=self.enterprise_colleague).exists())
        with self.assertRaises(DomainError):  # answered once
            support.answer_request(request=request, actor=self.district, answer="再答")

    def test_it_lets_the_engaged_provider_answer(self):
        provider_org = self.provider.organisation
        request = self.ask(provider=provider_org)
        self.assertEqual(request.route, "provider")
        self.assertTrue(Notification.objects.filter(recipient=self.provider).exists())
        with self.assertRaises(DomainError):  # the district only follows it
            support.answer_request(request=request, actor=self.district, answer="好")
        support.answer_request(request=request, actor=self.provider, answer="方案见附件")
        self.assertEqual(PlanningRequest.objects.get().status, "answered")

    def test_it_refuses_an_inactive_provider(self):
        pending = make_org("provider", "待审服务商", status="pending")
        with self.assertRaises(DomainError):
            support.request_planning(
                enterprise=self.enterprise, actor=self.enterprise_user, need=NEED, provider=pending
            )

    def test_it_lets_the_enterprise_close_its_request_once(self):
        request = self.ask()
        with self.assertRaises(DomainError):
            support.close_request(request=request, actor=self.other_enterprise_user)
        support.close_request(request=request, actor=self.enterprise_colleague)
        with self.assertRaises(DomainError):
            support.close_request(request=request, actor=self.enterprise_user)
        with self.assertRaises(DomainError):
            support.answer_request(request=request, actor=self.district, answer="晚了")

    def test_it_shows_requests_and_read_guides_on_the_case_file(self):
        request = self.ask()
        document = make_document(self.district)
        library.mark_read(document=document, actor=self.enterprise_user)
        self.enterprise.refresh_from_db()
        stage = next(view for view in journey(self.enterprise) if view.number == 2)
        self.assertEqual(stage.status, "in_progress")
        urls = [url for _text, url in stage.items]
        self.assertIn(reverse("planning:request_detail", args=[request.pk]), urls)
        self.assertIn("1 guides and policies read", [str(text) for text, _url in stage.items])

    def test_it_lists_open_requests_as_a_district_to_do(self):
        def count(user):
            return [t.count for t in todos_for(user) if "Planning requests" in str(t.title)]

        self.assertEqual(count(self.district), [])
        self.ask()
        self.assertEqual(count(self.district), [1])
        self.assertEqual(count(self.other_district), [])
        self.assertEqual(count(self.city), [])


class RequestPageTests(PersonaTestCase):
    def test_it_asks_the_district_through_the_page(self):
        self.login(self.enterprise_user)
        response = self.client.post(reverse("planning:request_create"), {"route": "district", "need": NEED})
        request = PlanningRequest.objects.get()
        self.assertRedirects(response, reverse("planning:request_detail", args=[request.pk]))

    def test_it_saves_nothing_on_bad_input(self):
        self.login(self.enterprise_user)
        response = self.client.post(reverse("planning:request_create"), {"route": "provider", "need": ""})
        self.assertEqual(set(response.context["form"].errors), {"provider", "need"})
        self.assertFalse(PlanningRequest.objects.exists())

    def test_it_answers_by_post_and_hides_the_request_from_outsiders(self):
        request = support.request_planning(enterprise=self.enterprise, actor=self.enterprise_user, need=NEED)
        detail = reverse("planning:request_detail", args=[request.pk])
        answer = reverse("planning:request_answer", args=[request.pk])
        for user in (self.other_district, self.other_enterprise_user, self.provider):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(detail).status_code, 404)
        self.login(self.district)
        self.assertContains(self.client.get(detail), "Send the answer")
        self.assertEqual(self.client.get(answer).status_code, 405)
        bad = self.client.post(answer, {"answer": "", "document": pdf("x.pdf", b"nope")})
        self.assertEqual(bad.status_code, 400)
        self.assertEqual(PlanningRequest.objects.get().status, "requested")
        self.client.post(answer, {"answer": "可以", "document": pdf("规划.pdf")})
        self.login(self.enterprise_user)
        response = self.client.get(detail)
        self.assertContains(response, "规划.pdf")
        document = self.client.get(reverse("planning:request_document", args=[request.pk]))
        self.assertEqual(document.status_code, 200)

    def test_it_keeps_the_typed_answer_when_the_request_is_already_closed(self):
        request = support.request_planning(enterprise=self.enterprise, actor=self.enterprise_user, need=NEED)
        support.close_request(request=request, actor=self.enterprise_user)
        self.login(self.district)
        response = self.client.post(
            reverse("planning:request_answer", args=[request.pk]), {"answer": "迟到的答复"}
        )
        self.assertEqual(response.status_code, 400)
        form = response.context["answer_form"]
        self.assertEqual(form.non_field_errors(), ["This request has already been answered or closed."])
        self.assertEqual(form["answer"].value(), "迟到的答复")
        self.assertEqual(PlanningRequest.objects.get().answer, "")

    def test_it_closes_through_the_page_once(self):
        request = support.request_planning(enterprise=self.enterprise, actor=self.enterprise_user, need=NEED)
        self.login(self.enterprise_user)
        url = reverse("planning:request_close", args=[request.pk])
        response = self.client.post(url)
        self.assertRedirects(response, reverse("planning:request_detail", args=[request.pk]))
        self.assertEqual([str(m) for m in get_messages(response.wsgi_request)], ["Request closed."])
        again = self.client.post(url)
        self.assertEqual(
            [str(m) for m in get_messages(again.wsgi_request)], ["This request is already closed."]
        )
        self.assertEqual(PlanningRequest.objects.get().status, "closed")

    def test_it_lists_requests_per_persona(self):
        support.request_planning(enterprise=self.enterprise, actor=self.enterprise_user, need=NEED)
        for user, n in (
            (self.district, 1),
            (self.city, 1),
            (self.other_district, 0),
            (self.enterprise_user, 1),
            (self.other_enterprise_user, 0),
            (self.provider, 0),
        ):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertEqual(len(self.client.get(reverse("planning:request_list")).context["page"]), n)
