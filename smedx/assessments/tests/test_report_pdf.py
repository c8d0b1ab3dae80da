"""The PDF diagnosis report: a real PDF, Chinese text extractable, fonts embedded, pages numbered."""

import io
from urllib.parse import quote

from django.urls import reverse
from django.utils.translation import gettext as _
from pypdf import PdfReader

from smedx.assessments.levels import level_label
from smedx.assessments.tests.matrix_report import make_assessment
from smedx.testing import PersonaTestCase
from smedx.testing import answer_sets as sets


def embedded_fonts(reader: PdfReader) -> set[str]:
    """Names of the fonts whose program is inside the file."""
    names = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor and any(
                    k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
                ):
                    names.add(str(descendant.get_object()["/BaseFont"]))
    return names


class ReportPdfTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.assessment = make_assessment(cls.enterprise, sets.middling(**sets.scenes(2, S01=3)))

    def test_it_downloads_a_pdf_whose_text_is_the_report(self):
        self.login(self.district)
        response = self.client.get(reverse("assessments:report_pdf", kwargs={"pk": self.assessment.pk}))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        disposition = response["Content-Disposition"]
        self.assertTrue(disposition.startswith("attachment;"))
        self.assertIn(quote("测试企业甲_T0_"), disposition)

        reader = PdfReader(io.BytesIO(response.content))
        text = "\n".join(page.extract_text() for page in reader.pages)
        for expected in (
            "测试企业甲",
            "数字化基础",
            "网络建设",
            "设备数字化",
            "生产管控",
            str(level_label(2)),
        ):
            self.assertIn(expected, text)
        self.assertIn("设备系统 100%", text)  # a radar label: the chart is drawn
        self.assertIn(str(_("Page %(page)s of %(pages)s") % {"page": 1, "pages": len(reader.pages)}), text)
        self.assertTrue(any("Noto-Sans-CJK-SC" in name for name in embedded_fonts(reader)))
