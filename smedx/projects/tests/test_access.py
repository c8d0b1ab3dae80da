"""Stage 4's own rows of the access matrix, runnable alone (the full walk is smedx/core/tests/test_url_access.py)."""

from django.urls import reverse

import smedx.core.tests.test_url_access as base
from smedx.projects.tests import access_matrix


class ProjectsUrlAccessTests(base.UrlAccessMatrixTests):
    def test_it_answers_every_persona_as_declared(self):
        mismatches = []
        for name, (kwargs, expected) in access_matrix.MATRIX.items():
            for persona, want in zip(base.PERSONAS, expected, strict=True):
                url = reverse(name, kwargs=kwargs(self, persona))
                got = self.answer(persona, url)
                if got != want:
                    mismatches.append(f"{name} ({url}) as {persona}: expected {want}, got {got}")
        self.assertFalse(mismatches, "\n" + "\n".join(mismatches))
