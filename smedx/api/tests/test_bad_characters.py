"""NUL bytes and lone surrogates are refused before any view, form or query sees them."""

from django.core.files.uploadedfile import SimpleUploadedFile

from smedx.enterprises.models import Enterprise
from smedx.testing import PersonaTestCase

REFUSED = "The request contains a character that is not allowed (a NUL byte or a lone surrogate)."


class BadCharacterTests(PersonaTestCase):
    def assertRefusedAsJson(self, response):
        self.assertEqual(response.status_code, 400, response.content)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(response.json(), {"detail": REFUSED})

    def assertRefusedAsPage(self, response):
        self.assertEqual(response.status_code, 400, response.content)
        self.assertTrue(response["Content-Type"].startswith("text/plain"))
        self.assertEqual(response.content.decode(), REFUSED)

    def post_json(self, path, body: str):
        return self.client.post(path, body, content_type="application/json")

    def test_it_refuses_a_nul_in_an_api_path(self):
        self.login(self.city)
        self.assertRefusedAsJson(self.client.get("/api/v1/instruments/%00/%00"))

    def test_it_refuses_a_nul_in_a_page_filter(self):
        self.login(self.platform)
        self.assertRefusedAsPage(self.client.get("/audit/", {"action": "\x00"}))
        self.assertRefusedAsPage(self.client.get("/audit/", {"act\x00ion": "x"}))

    def test_it_refuses_a_nul_in_an_api_filter(self):
        self.login(self.city)
        self.assertRefusedAsJson(self.client.get("/api/v1/enterprises", {"q": "a\x00"}))

    def test_it_refuses_a_lone_surrogate_in_a_json_body_wherever_it_is(self):
        self.login(self.enterprise_user)
        for body in (
            '{"title": "a\\ud800", "budget": "50", "start_month": "2026-04", "end_month": "2026-10"}',
            '{"scenes": {"S\\udfff": 1}}',
            '{"items": [{"description": ["\\u0000"]}]}',
            '"\\udc00"',
        ):
            with self.subTest(body):
                self.assertRefusedAsJson(self.post_json("/api/v1/needs", body))

    def test_it_lets_a_surrogate_pair_and_other_text_through(self):
        self.login(self.city)
        response = self.post_json("/api/v1/enterprises", '{"name": "\\ud83d\\ude00 企业"}')
        self.assertEqual(response.status_code, 422)  # refused by the schema for what is missing, not here
        self.assertNotIn("name", response.json()["errors"])

    def test_it_refuses_a_nul_in_a_posted_form_and_saves_nothing(self):
        self.login(self.district)
        count = Enterprise.objects.count()
        response = self.client.post("/enterprises/new/", {"name": "甲\x00乙", "region": self.home_region.pk})
        self.assertRefusedAsPage(response)
        self.assertEqual(Enterprise.objects.count(), count)

    def test_it_refuses_a_nul_in_a_field_beside_an_upload(self):
        self.login(self.enterprise_user)
        upload = SimpleUploadedFile("evidence.pdf", b"%PDF-1.4", content_type="application/pdf")
        self.assertRefusedAsPage(self.client.post("/enterprises/", {"file": upload, "note": "\x00"}))

    def test_it_refuses_a_nul_in_a_cookie_before_the_session_is_read(self):
        self.client.cookies["sessionid"] = "abcdefgh\x00"
        self.assertRefusedAsPage(self.client.get("/"))

    def test_it_refuses_json_nested_too_deeply(self):
        self.login(self.enterprise_user)
        response = self.post_json("/api/v1/needs", "[" * 100_000 + "]" * 100_000)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json(), {"detail": "The request body is nested too deeply."})

    def test_it_leaves_bodies_that_are_not_json_to_the_view(self):
        self.login(self.enterprise_user)
        response = self.post_json("/api/v1/needs", "{not json")
        self.assertNotEqual(response.status_code, 500)
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
