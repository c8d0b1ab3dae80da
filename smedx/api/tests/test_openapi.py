"""The published OpenAPI document describes every response: one schema class per component name."""

from collections import defaultdict

from django.test import SimpleTestCase
from ninja import Schema

from smedx.api.api import api


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


class OpenApiTests(SimpleTestCase):
    def test_it_gives_every_schema_class_its_own_component_name(self):
        # Ninja names a component after the class alone, so a second class of the same name in another
        # module silently replaces the first in the document, and responses stop matching it.
        components = api.get_openapi_schema()["components"]["schemas"]  # imports every router module
        classes = defaultdict(list)
        for cls in _subclasses(Schema):
            if cls.__module__.startswith("smedx.") and ".tests" not in cls.__module__:
                classes[cls.__name__].append(f"{cls.__module__}.{cls.__qualname__}")
        shared = {name: paths for name, paths in classes.items() if len(paths) > 1}
        self.assertEqual(shared, {})
        self.assertIn("InstrumentItemOut", components)
