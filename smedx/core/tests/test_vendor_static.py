"""The front-end libraries' files: only those the pages link are found and collected."""

from django.contrib.staticfiles import finders
from django.test import SimpleTestCase


class VendorFinderTests(SimpleTestCase):
    def test_it_finds_the_linked_library_files_and_nothing_else_of_their_folders(self):
        self.assertTrue(finders.find("vendor/htmx/htmx.min.js"))
        self.assertIsNone(finders.find("vendor/htmx/htmx.js"))
        self.assertIsNone(finders.find("vendor/echarts/echarts.esm.js"))
        listed = {
            f"{storage.prefix}/{path}"
            for path, storage in finders.get_finder("smedx.core.staticfiles.VendorFinder").list([])
        }
        self.assertIn("vendor/bootstrap-icons/fonts/bootstrap-icons.woff2", listed)
        for name in listed:
            with self.subTest(name=name):
                self.assertTrue(finders.find(name), "a library moved a file: update VENDOR_STATIC")
