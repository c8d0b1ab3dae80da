import json
import re

from django.contrib.staticfiles import finders
from django.test import Client

from smedx.accounts.models import ApiToken
from smedx.accounts.services import create_api_token, revoke_api_token
from smedx.enterprises.models import Enterprise
from smedx.testing.api import API, ApiTestCase, enterprise_payload

CSRF_TOKEN = "a" * 32


class AuthTests(ApiTestCase):
    def bearer(self, raw):
        return {"Authorization": f"Bearer {raw}"}

    def test_it_answers_401_json_to_anonymous_callers(self):
        for method, path in [("get", "/me"), ("get", "/enterprises"), ("post", "/enterprises")]:
            with self.subTest(path=path, method=method):
                response = getattr(self.client, method)(API + path, content_type="application/json")
                self.assertEqual(response.status_code, 401)
                self.assertTrue(response.json()["detail"])
                self.assertTrue(response["WWW-Authenticate"].startswith("Bearer"))

    def test_it_tells_a_session_user_who_they_are(self):
        self.act_as("district")
        data = self.get("/me").json()
        self.assertEqual(data["username"], "district")
        self.assertEqual(data["role"], "district")
        self.assertEqual(data["membership_role"], "admin")
        org = data["organisation"]
        self.assertEqual(
            (org["kind"], org["level"], org["region"]["code"]), ("authority", "district", "500112")
        )
        self.assertIn("enterprises.enterprise:list", data["rights"])

    def test_it_tells_an_outsider_they_have_no_organisation(self):
        self.act_as("outsider")
        data = self.get("/me").json()
        self.assertEqual((data["organisation"], data["role"], data["rights"]), (None, "none", []))

    def test_it_accepts_a_personal_access_token(self):
        token, raw = create_api_token(user=self.enterprise_user, name="erp")
        response = self.client.get(f"{API}/enterprises/{self.enterprise.pk}", headers=self.bearer(raw))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            self.client.get(f"{API}/me", headers=self.bearer(raw)).json()["username"], "enterprise"
        )
        token.refresh_from_db()
        self.assertIsNotNone(token.last_used_at)

    def test_it_applies_the_token_owners_rights(self):
        _token, raw = create_api_token(user=self.enterprise_user, name="erp")
        self.assertEqual(self.client.get(f"{API}/enterprises", headers=self.bearer(raw)).status_code, 403)
        response = self.client.get(f"{API}/enterprises/{self.far_enterprise.pk}", headers=self.bearer(raw))
        self.assertEqual(response.status_code, 404)

    def test_it_refuses_a_revoked_token(self):
        token, raw = create_api_token(user=self.city, name="old")
        revoke_api_token(token=token, actor=self.city)
        response = self.client.get(f"{API}/me", headers=self.bearer(raw))
        self.assertEqual(response.status_code, 401)
        self.assertTrue(response.json()["detail"])

    def test_it_refuses_an_unknown_token_even_with_a_session(self):
        self.act_as("city")
        for raw in (ApiToken.new_raw(), "not-a-token"):
            with self.subTest(raw):
                self.assertEqual(self.client.get(f"{API}/me", headers=self.bearer(raw)).status_code, 401)

    def test_it_refuses_a_token_of_a_deactivated_user(self):
        _token, raw = create_api_token(user=self.city, name="gone")
        self.city.is_active = False
        self.city.save(update_fields=["is_active"])
        self.assertEqual(self.client.get(f"{API}/me", headers=self.bearer(raw)).status_code, 401)

    def test_it_refuses_a_session_post_without_csrf(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.city)
        payload = enterprise_payload(self.home_region)
        response = client.post(f"{API}/enterprises", payload, content_type="application/json")
        self.assertEqual(response.status_code, 403)
        self.assertIn("CSRF", response.json()["detail"])
        self.assertFalse(Enterprise.objects.filter(credit_code=payload["credit_code"]).exists())

    def test_it_answers_401_not_a_csrf_error_to_an_anonymous_post(self):
        client = Client(enforce_csrf_checks=True)
        response = client.post(
            f"{API}/enterprises", enterprise_payload(self.home_region), content_type="application/json"
        )
        self.assertEqual(response.status_code, 401)

    def test_it_accepts_a_session_post_with_csrf(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.city)
        client.cookies["csrftoken"] = CSRF_TOKEN
        response = client.post(
            f"{API}/enterprises",
            enterprise_payload(self.home_region),
            content_type="application/json",
            headers={"X-CSRFToken": CSRF_TOKEN},
        )
        self.assertEqual(response.status_code, 201, response.content)

    def test_it_needs_no_csrf_with_a_token(self):
        client = Client(enforce_csrf_checks=True)
        _token, raw = create_api_token(user=self.city, name="script")
        payload = enterprise_payload(self.home_region)
        response = client.post(
            f"{API}/enterprises", payload, content_type="application/json", headers=self.bearer(raw)
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertTrue(Enterprise.objects.filter(credit_code=payload["credit_code"]).exists())


class DocsTests(ApiTestCase):
    def test_it_publishes_the_openapi_document(self):
        response = self.client.get(f"{API}/openapi.json")
        self.assertEqual(response.status_code, 200)
        schema = response.json()
        operations = {(path, method) for path, methods in schema["paths"].items() for method in methods}
        self.assertLessEqual(
            {
                (f"{API}/me", "get"),
                (f"{API}/enterprises", "get"),
                (f"{API}/enterprises", "post"),
                (f"{API}/enterprises/{{enterprise_id}}", "get"),
                (f"{API}/enterprises/{{enterprise_id}}", "patch"),
            },
            operations,
        )
        schemes = schema["components"]["securitySchemes"]
        self.assertIn("bearer", {scheme.get("scheme") for scheme in schemes.values()})

    def test_it_serves_the_docs_page_without_outside_hosts(self):
        response = self.client.get(f"{API}/docs")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        references = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
        self.assertTrue(any(ref.endswith("swagger-ui-bundle.js") for ref in references))
        for ref in references:
            with self.subTest(ref):
                self.assertFalse(re.match(r"^(https?:)?//", ref), ref)
                self.assertTrue(ref.startswith("/static/"), ref)
                self.assertIsNotNone(finders.find(ref.removeprefix("/static/")), ref)
        self.assertNotRegex(html, r"https?://")
        settings = json.loads(re.search(r'id="swagger-settings">(.*?)</script>', html, re.S).group(1))
        self.assertIsNone(settings["validatorUrl"])
        self.assertEqual(settings["url"], f"{API}/openapi.json")
