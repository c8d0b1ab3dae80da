"""Every answer of the API is JSON, also for unknown paths, oversized bodies and server errors."""

from unittest import mock

from django.test import override_settings

from smedx.testing.api import API, ApiTestCase


class ApiErrorTests(ApiTestCase):
    def assertJson(self, response, status, detail):
        self.assertEqual(response.status_code, status, response.content)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(response.json(), {"detail": detail})

    def test_it_answers_an_unknown_api_path_with_json(self):
        for persona in ("anonymous", "city"):
            with self.subTest(persona):
                self.act_as(persona)
                self.assertJson(self.client.get(f"{API}/nothing/here"), 404, "Not found.")
                self.assertJson(self.client.post(f"{API}/enterprises/x/y", {}), 404, "Not found.")

    def test_it_keeps_the_html_page_for_an_unknown_page(self):
        self.act_as("city")
        response = self.client.get("/nothing/here/")
        self.assertEqual(response.status_code, 404)
        self.assertTrue(response["Content-Type"].startswith("text/html"))

    @override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
    def test_it_answers_an_oversized_body_with_413(self):
        self.act_as("enterprise_user")
        response = self.post("/needs", {"description": "长" * 1000})
        self.assertJson(response, 413, "The request body is too large.")

    @override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
    def test_it_keeps_the_html_page_for_an_oversized_form(self):
        self.act_as("district")
        response = self.client.post("/enterprises/new/", {"name": "长" * 1000})
        self.assertEqual(response.status_code, 400)
        self.assertTrue(response["Content-Type"].startswith("text/html"))

    def test_it_answers_a_server_error_with_json_and_logs_the_traceback(self):
        self.act_as("city")
        self.client.raise_request_exception = False
        with (
            mock.patch("smedx.api.api.role_of", side_effect=RuntimeError("secret internals")),
            self.assertLogs("django.request", "ERROR") as logs,
        ):
            response = self.client.get(f"{API}/me")
        self.assertJson(
            response, 500, "Something went wrong on our side. The error was logged; please try again later."
        )
        self.assertNotIn(b"secret internals", response.content)
        self.assertIn("RuntimeError: secret internals", "\n".join(logs.output))

    def test_it_keeps_the_html_page_for_a_server_error_on_a_page(self):
        self.act_as("city")
        self.client.raise_request_exception = False
        with (
            mock.patch("smedx.workbench.views.role_of", side_effect=RuntimeError("secret internals")),
            self.assertLogs("django.request", "ERROR"),
        ):
            response = self.client.get("/")
        self.assertEqual(response.status_code, 500)
        self.assertTrue(response["Content-Type"].startswith("text/html"))
