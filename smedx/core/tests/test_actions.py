"""The shared body of a button or a form page that runs one service."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory, SimpleTestCase

from smedx.core.actions import run_form_service, run_service
from smedx.core.errors import DomainError


class NameForm(forms.Form):
    name = forms.CharField()


def save(*, actor, ip, name):
    if name == "taken":
        raise DomainError("This name is taken.")
    return {"actor": actor, "ip": ip, "name": name}


def _request():
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.7")
    request.user = "someone"
    request._messages = CookieStorage(request)
    return request


def _messages(request):
    return [(m.level_tag, str(m)) for m in get_messages(request)]


class RunServiceTests(SimpleTestCase):
    def test_it_passes_the_actor_the_ip_and_the_objects_and_returns_the_result(self):
        request = _request()
        result = run_service(request, save, done="Saved.", name="ok")
        self.assertEqual(result, {"actor": "someone", "ip": "10.0.0.7", "name": "ok"})
        self.assertEqual(_messages(request), [("success", "Saved.")])

    def test_it_passes_an_object_named_request_to_the_service(self):
        # Diagnosis and planning requests are passed to their services as `request=`.
        request = _request()
        result = run_service(
            request, lambda *, actor, ip, request: request, done="Done.", request="the request"
        )
        self.assertEqual(result, "the request")

    def test_it_builds_the_message_from_the_result_when_done_is_a_function(self):
        request = _request()
        run_service(request, save, done=lambda result: f"Saved {result['name']}.", name="ok")
        self.assertEqual(_messages(request), [("success", "Saved ok.")])

    def test_it_says_nothing_on_success_when_done_is_none(self):
        request = _request()
        self.assertIsNotNone(run_service(request, save, done=None, name="ok"))
        self.assertEqual(_messages(request), [])

    def test_it_turns_a_refusal_into_an_error_message(self):
        request = _request()
        self.assertIsNone(run_service(request, save, done="Saved.", name="taken"))
        self.assertEqual(_messages(request), [("error", "This name is taken.")])


class RunFormServiceTests(SimpleTestCase):
    def test_it_shows_the_warnings_before_the_success_and_returns_the_result(self):
        request, form = _request(), NameForm({"name": "ok"})
        self.assertTrue(form.is_valid())
        result = run_form_service(request, form, save, done="Saved.", warnings=["Check it."], name="ok")
        self.assertEqual(result["name"], "ok")
        self.assertEqual(_messages(request), [("warning", "Check it."), ("success", "Saved.")])

    def test_it_turns_a_refusal_into_an_error_of_the_form_keeping_what_was_typed(self):
        request, form = _request(), NameForm({"name": "taken"})
        self.assertTrue(form.is_valid())
        result = run_form_service(request, form, save, done="Saved.", warnings=["Check it."], name="taken")
        self.assertIsNone(result)
        self.assertEqual(form.non_field_errors(), ["This name is taken."])
        self.assertEqual(form["name"].value(), "taken")
        self.assertEqual(_messages(request), [])

    def test_it_puts_the_refusal_on_the_field_it_is_given(self):
        request, form = _request(), NameForm({"name": "taken"})
        self.assertTrue(form.is_valid())
        run_form_service(request, form, save, done="Saved.", field="name", name="taken")
        self.assertEqual(form.errors["name"], ["This name is taken."])
