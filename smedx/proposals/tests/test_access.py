"""Stage 3's own rows of the access matrix, runnable alone (the full walk is smedx/core/tests/test_url_access.py)."""

from smedx.proposals.tests import access_matrix
from smedx.testing.access import AccessMatrixCase


class ProposalsUrlAccessTests(AccessMatrixCase):
    def test_it_answers_every_persona_as_declared(self):
        self.check(access_matrix.MATRIX)
