"""The service-calling helpers of the views: what they pass, what they say, what they return."""

from types import SimpleNamespace

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory, SimpleTestCase

from smedx.core.actions import run_form_service, run_service
from smedx.core.errors import DomainError


def post():
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.7")
    request.user = SimpleNamespace(pk=1)
    request._messages = CookieStorage(request)
    return request


def said(request):
    return [(m.level_tag, str(m)) for m in get_messages(request)]


def refuse(**kwargs):
    raise DomainError("Not now.")


class NoteForm(forms.Form):
    text = forms.CharField()


class RunServiceTests(SimpleTestCase):
    def test_it_passes_the_actor_the_ip_and_the_objects_and_returns_the_result(self):
        request = post()
        result = run_service(request, lambda **kwargs: kwargs, done="Done.", item=5)
        self.assertEqual(result, {"actor": request.user, "ip": "10.0.0.7", "item": 5})
        self.assertEqual(said(request), [("success", "Done.")])

    def test_it_passes_an_object_named_request_to_the_service(self):
        request = post()
        result = run_service(request, lambda **kwargs: kwargs["request"], done="Done.", request="the row")
        self.assertEqual(result, "the row")

    def test_it_builds_the_message_from_the_result_when_done_is_a_function(self):
        request = post()
        run_service(request, lambda **kwargs: 3, done=lambda n: f"{n} classified.")
        self.assertEqual(said(request), [("success", "3 classified.")])

    def test_it_shows_the_refusal_and_returns_none(self):
        request = post()
        self.assertIsNone(run_service(request, refuse, done="Done."))
        self.assertEqual(said(request), [("error", "Not now.")])


class RunFormServiceTests(SimpleTestCase):
    def test_it_adds_the_refusal_to_the_form_and_says_nothing(self):
        request, form = post(), NoteForm({"text": "typed"})
        self.assertTrue(form.is_valid())
        self.assertIsNone(run_form_service(request, form, refuse, done="Saved."))
        self.assertEqual(form.non_field_errors(), ["Not now."])
        self.assertEqual(form["text"].value(), "typed")
        self.assertEqual(said(request), [])

    def test_it_says_done_and_returns_the_result(self):
        request, form = post(), NoteForm({"text": "typed"})
        form.is_valid()
        result = run_form_service(request, form, lambda **kwargs: kwargs, done="Saved.", request="the row")
        self.assertEqual(result["request"], "the row")
        self.assertEqual(form.errors, {})
        self.assertEqual(said(request), [("success", "Saved.")])
