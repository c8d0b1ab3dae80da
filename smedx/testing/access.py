"""The persona × URL access matrix, shared by every app's `tests/test_access.py` and the full walk in
`smedx/core/tests/test_url_access.py`. Apps declare their URLs in `smedx/<app>/tests/access_matrix.py`
(MATRIX, EXEMPT, setup(cls)).
"""

import importlib

from django.apps import apps
from django.urls import reverse

from smedx.accounts import services as account_services
from smedx.accounts.models import Organisation
from smedx.core.models import ExportJob
from smedx.enterprises.models import ImportJob
from smedx.testing import PersonaTestCase

L = "login"  # 302 to the login page with ?next=

PERSONAS = (
    "anonymous",
    "outsider",
    "city",
    "district",
    "other_district",
    "expert",
    "provider",
    "platform",
    "enterprise_user",
    "enterprise_colleague",
    "other_enterprise_user",
)


def app_matrices():
    """Later apps declare their URLs in `smedx/<app>/tests/access_matrix.py`: MATRIX, EXEMPT, setup(cls)."""
    modules = []
    for config in apps.get_app_configs():
        if config.name.startswith("smedx.") and config.label != "core":
            try:
                modules.append(importlib.import_module(f"{config.name}.tests.access_matrix"))
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.tests.access_matrix":
                    raise
    return modules


APP_MATRICES = app_matrices()


class AccessMatrixCase(PersonaTestCase):
    """Every persona, every app's matrix rows set up; `check(matrix)` compares answers."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.tokens = {
            persona: account_services.create_api_token(user=getattr(cls, persona), name=persona)[0]
            for persona in PERSONAS
            if persona != "anonymous"
        }
        cls.invitation, cls.invitation_token = account_services.invite_member(
            org=cls.enterprise_user.organisation, actor=cls.enterprise_user, email="new@example.com"
        )
        cls.pending_provider, _admin = account_services.sign_up_organisation(
            kind=Organisation.Kind.PROVIDER,
            name="待审服务商",
            admin={"username": "pending_provider", "password": "Another-pass-456", "email": "p@example.com"},
        )
        cls.import_job = ImportJob.objects.create(
            file="imports/test.xlsx",
            original_name="test.xlsx",
            organisation=cls.district.organisation,
            created_by=cls.district,
            status=ImportJob.Status.INVALID,
            total_rows=3,
            processed_rows=3,
            error_count=1,
            errors=[{"row": 2, "column": "统一社会信用代码", "message": "wrong"}],
        )
        cls.export_job = ExportJob.objects.create(
            owner=cls.district,
            kind="enterprises.enterprise",
            status=ExportJob.Status.FAILED,
            error="磁盘已满",
            in_background=True,
        )
        for module in APP_MATRICES:
            if hasattr(module, "setup"):
                module.setup(cls)

    def answer(self, persona, url):
        self.client.logout()
        if persona != "anonymous":
            self.client.force_login(getattr(self, persona))
        try:
            response = self.client.get(url)
        except Exception as exc:  # a crash is a mismatch too; report it with the others
            return f"raised {type(exc).__name__}: {exc}"
        if response.status_code == 302 and response["Location"].startswith(reverse("login") + "?next="):
            return L
        return response.status_code

    def check(self, matrix):
        mismatches = []
        for name, (kwargs, expected) in matrix.items():
            for persona, want in zip(PERSONAS, expected, strict=True):
                url = reverse(name, kwargs=kwargs(self, persona))
                with self.subTest(url=name, persona=persona):
                    got = self.answer(persona, url)
                    if got != want:
                        mismatches.append(f"{name} ({url}) as {persona}: expected {want}, got {got}")
        self.assertFalse(mismatches, "\n" + "\n".join(mismatches))
