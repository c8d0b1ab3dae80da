"""The audit log: sentences, filters from lists, no link that 404s."""

import re

from smedx.core import audit
from smedx.testing import PersonaTestCase


class AuditListTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        audit.record("accounts.user.logged_in", actor=cls.enterprise_user, obj=cls.enterprise_user)
        for item in ["B1", "B2", "B3"]:
            audit.record(
                "assessments.answer.saved", actor=cls.enterprise_user, obj=cls.enterprise, data={"item": item}
            )
        audit.record(
            "enterprises.enterprise.signed_up",
            actor=cls.enterprise_user,
            obj=cls.enterprise,
            data={"claimed": False},
        )

    def page(self, user, query=""):
        self.login(user)
        return self.client.get("/audit/" + query)

    def test_it_shows_sentences_not_codes(self):
        body = self.page(self.city).content.decode().split("<tbody>")[1]
        self.assertIn("saved 3 questions", body)
        self.assertNotIn("assessments.answer.saved", body)
        self.assertNotIn("claimed: False", body)

    def test_it_filters_by_a_kind_of_action_from_a_list(self):
        response = self.page(self.city, "?kind=enterprises.enterprise.signed_up")
        self.assertContains(response, '<option value="enterprises.enterprise.signed_up" selected>')
        self.assertNotContains(response, "saved 3 questions")

    def test_it_filters_sign_in_events_apart(self):
        self.assertNotContains(self.page(self.city, "?logins=hide"), " signed in")
        response = self.page(self.city, "?logins=only")
        self.assertContains(response, " signed in")
        self.assertNotContains(response, "saved 3 questions")

    def test_it_filters_by_person_organisation_enterprise_and_date(self):
        self.assertNotContains(self.page(self.city, "?person=district"), "saved 3 questions")
        self.assertContains(self.page(self.city, "?organisation=测试企业甲"), "saved 3 questions")
        self.assertContains(self.page(self.city, "?enterprise=测试企业甲"), "saved 3 questions")
        self.assertNotContains(self.page(self.city, "?enterprise=测试企业乙"), "saved 3 questions")
        self.assertNotContains(self.page(self.city, "?date_to=2000-01-01"), "saved 3 questions")

    def test_it_follows_every_link_without_a_404(self):
        for user in (self.city, self.platform):
            body = self.page(user).content.decode()
            for href in set(re.findall(r'<a[^>]+href="([^"#]+)"', body)):
                href = href.replace("&amp;", "&")
                url = "/audit/" + href if href.startswith("?") else href
                with self.subTest(user=user.username, url=url):
                    if url.startswith("/"):
                        self.assertNotEqual(self.client.get(url).status_code, 404)
