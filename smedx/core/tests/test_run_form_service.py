from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory, SimpleTestCase

from smedx.core.actions import run_form_service, run_service
from smedx.core.errors import DomainError


class NoteForm(forms.Form):
    note = forms.CharField()


def _request():
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.7")
    request.user = "someone"
    request._messages = CookieStorage(request)
    return request


def _accept(*, actor, ip, note):
    return {"actor": actor, "ip": ip, "note": note}


def _refuse(*, actor, ip, note):
    raise DomainError("Not now.")


class RunFormServiceTests(SimpleTestCase):
    def test_it_returns_the_result_and_says_done(self):
        request, form = _request(), NoteForm({"note": "x"})
        result = run_form_service(request, form, _accept, done="Saved.", note="x")
        self.assertEqual(result, {"actor": "someone", "ip": "10.0.0.7", "note": "x"})
        self.assertEqual([str(m) for m in get_messages(request)], ["Saved."])
        self.assertTrue(form.is_valid())

    def test_it_puts_the_refusal_on_the_form_and_sends_no_message(self):
        request, form = _request(), NoteForm({"note": "x"})
        self.assertIsNone(run_form_service(request, form, _refuse, done="Saved.", note="x"))
        self.assertEqual(form.non_field_errors(), ["Not now."])
        self.assertEqual(list(get_messages(request)), [])

    def test_it_sends_no_message_when_done_is_none(self):
        request = _request()
        self.assertIsNotNone(run_service(request, _accept, done=None, note="x"))
        self.assertEqual(list(get_messages(request)), [])

    def test_it_still_messages_a_refusal_from_run_service(self):
        request = _request()
        self.assertIsNone(run_service(request, _refuse, done="Saved.", note="x"))
        self.assertEqual([str(m) for m in get_messages(request)], ["Not now."])
