"""Stage 1 URLs in the access matrix (see smedx/core/tests/test_url_access.py), one module per part."""

import importlib

MATRIX = {}
EXEMPT = {}
_PARTS = []
for _name in ("matrix_self", "matrix_report", "matrix_diagnosis", "matrix_officer"):
    try:
        _module = importlib.import_module(f"smedx.assessments.tests.{_name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"smedx.assessments.tests.{_name}":
            raise
        continue
    _PARTS.append(_module)
    MATRIX.update(_module.MATRIX)
    EXEMPT.update(getattr(_module, "EXEMPT", {}))


def setup(cls):
    for module in _PARTS:
        if hasattr(module, "setup"):
            module.setup(cls)
