"""The enterprise import's upload goes through core's upload module: checked by content, stored under a new name."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from smedx.enterprises.models import ImportJob
from smedx.enterprises.tests.test_imports import ImportTestCase, good_row, xlsx
from smedx.testing.uploads import HTML, UploadAssertions

IMPORT = reverse("enterprises:import")


class ImportUploadTests(UploadAssertions, ImportTestCase):
    def post(self, name, content):
        self.login(self.district)
        return self.client.post(IMPORT, {"file": SimpleUploadedFile(name, content)})

    def test_it_refuses_html_renamed_to_xlsx(self):
        with self.assertStoresNothing(ImportJob):
            response = self.post("企业名单.xlsx", HTML)
        self.assertContains(response, "Only XLSX files are accepted, and the content must match the name.")

    @override_settings(IMPORT_MAX_BYTES=1000)
    def test_it_refuses_a_file_over_the_limit(self):
        with self.assertStoresNothing(ImportJob):
            response = self.post("企业名单.xlsx", xlsx([good_row()]))
        self.assertContains(response, "The file is larger than")

    def test_it_stores_the_file_under_a_generated_name(self):
        self.post("企业名单.xlsx", xlsx([good_row()]))
        job = ImportJob.objects.get()
        self.assertEqual(job.original_name, "企业名单.xlsx")
        self.assertRegex(job.file.name, r"^imports/\d{4}/\d{2}/[0-9a-f]{32}\.xlsx$")
