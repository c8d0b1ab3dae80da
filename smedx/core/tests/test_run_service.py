"""The shared body of a button that runs a service: `run_service` and `run_form_service`."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory

from smedx.core.actions import run_form_service, run_service
from smedx.core.errors import DomainError
from smedx.testing import PersonaTestCase


def service(*, actor, ip, request=None, refuse=False):
    """Stands in for a service whose object is called `request`, as the diagnosis services' is."""
    if refuse:
        raise DomainError("Refused.")
    return {"actor": actor, "request": request}


class RunServiceTests(PersonaTestCase):
    def post(self):
        request = RequestFactory().post("/")
        request.user = self.district
        request._messages = CookieStorage(request)
        return request

    def said(self, request):
        return [(m.level_tag, str(m)) for m in get_messages(request)]

    def test_it_passes_an_object_named_request_to_the_service(self):
        request = self.post()
        result = run_service(request, service, done="Done.", request="the diagnosis")
        self.assertEqual(result, {"actor": self.district, "request": "the diagnosis"})
        self.assertEqual(self.said(request), [("success", "Done.")])

    def test_it_says_nothing_on_success_without_a_done_message(self):
        request = self.post()
        self.assertIsNotNone(run_service(request, service, done=None))
        self.assertEqual(self.said(request), [])

    def test_it_turns_a_refusal_into_an_error_of_the_form(self):
        request, form = self.post(), forms.Form({})
        self.assertTrue(form.is_valid())
        self.assertIsNone(run_form_service(request, form, service, done="Done.", refuse=True))
        self.assertEqual(form.non_field_errors(), ["Refused."])
        self.assertEqual(self.said(request), [])

    def test_it_messages_the_success_of_a_form_service(self):
        request, form = self.post(), forms.Form({})
        form.is_valid()
        self.assertIsNotNone(run_form_service(request, form, service, done="Done.", request="the diagnosis"))
        self.assertEqual(self.said(request), [("success", "Done.")])
