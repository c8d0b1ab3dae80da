"""Stage 4 URLs in the access matrix (see smedx/core/tests/test_url_access.py): filing and
implementation (`matrix_projects`), supervision and acceptance (`matrix_acceptance`)."""

from smedx.projects.tests import matrix_acceptance, matrix_projects

MATRIX = {**matrix_projects.MATRIX, **matrix_acceptance.MATRIX}
EXEMPT = dict(matrix_projects.EXEMPT)


def setup(cls):
    matrix_acceptance.setup(cls)
    matrix_projects.setup(cls)
