"""The enterprise import's workbook: its columns and template, reading a file's rows (refusing a file
too large to unpack or with too many rows) and checking each row. The import's steps, which check and
write whole files, are in `services/imports.py`."""

import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from smedx.accounts.models import Organisation, Region
from smedx.core import excel
from smedx.core.creditcode import credit_code_error, make_credit_code, normalise_credit_code
from smedx.core.errors import DomainError
from smedx.core.fields import MAX_PEOPLE
from smedx.enterprises.models import Tag
from smedx.enterprises.reference import industries

RIGHT = "enterprises.enterprise:import"
MAX_STORED = 1000  # problems kept per list; the counts stay exact
CHUNK = 1000  # rows per duplicate query, per progress update and per INSERT batch
TAG_SEPARATORS = re.compile(r"[、,，;；]")
PHONE = re.compile(r"^[0-9+\-() ]{3,30}$")
YES = {"是", "yes", "y", "true", "1", "规上"}
NO = {"否", "no", "n", "false", "0", "规下"}


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    required: bool
    example: object
    width: int = 14


COLUMNS = [
    Column("name", gettext_lazy("Enterprise name"), True, "重庆示例智能装备有限公司", 30),
    Column(
        "credit_code", gettext_lazy("Unified social credit code"), True, make_credit_code("500112", 1), 24
    ),
    Column("region", gettext_lazy("District"), True, "渝北区", 12),
    Column("industry_division", gettext_lazy("Industry division"), True, "34"),
    Column("industry_code", gettext_lazy("Finer industry code"), False, "3491"),
    Column("employees", gettext_lazy("Employees"), True, 120, 10),
    Column("revenue", gettext_lazy("Annual revenue (10k yuan)"), True, 5000),
    Column("above_scale", gettext_lazy("规上"), False, "是", 8),
    Column("tags", gettext_lazy("Tags"), False, "重点、潜力", 20),
    Column("contact_name", gettext_lazy("Contact person"), False, "张三", 12),
    Column("contact_phone", gettext_lazy("Contact phone"), False, "13800001234", 16),
    Column("address", gettext_lazy("Address"), False, "重庆市渝北区示例路1号", 30),
]
BY_KEY = {column.key: column for column in COLUMNS}
TEXT_COLUMNS = {"credit_code", "industry_division", "industry_code", "contact_phone"}


class FileError(DomainError):
    """The file as a whole cannot be read (not an xlsx, missing columns); no row is checked."""


class RowError(ValueError):
    """One cell is wrong; the message says why."""


# --- the template ---------------------------------------------------------------------------


def _in(language: str, text) -> str:
    with translation.override(language):
        return str(text)


def header_text(column: Column) -> str:
    """'* 企业名称 / Enterprise name': Chinese and English, so either language reads it."""
    chinese, english = _in("zh-hans", column.title), _in("en", column.title)
    text = english if chinese == english else f"{chinese} / {english}"
    return f"* {text}" if column.required else text


def template_workbook() -> bytes:
    book = excel.new_workbook(streaming=False)
    sheet = book.active
    sheet.title = _("Enterprises")[:31]
    excel.append(sheet, [header_text(column) for column in COLUMNS])
    excel.append(sheet, [column.example for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.key in TEXT_COLUMNS:
            # Stored as text so Excel keeps leading zeros ("06") and does not turn codes into numbers.
            sheet.column_dimensions[letter].number_format = "@"
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.cell(row=1, column=index).fill = PatternFill("solid", fgColor="DDEBF7")
        sheet.cell(row=2, column=index).font = Font(italic=True, color="808080")
    yes_no = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    sheet.add_data_validation(yes_no)
    letter = get_column_letter(COLUMNS.index(BY_KEY["above_scale"]) + 1)
    yes_no.add(f"{letter}2:{letter}1048576")
    sheet.freeze_panes = "A2"
    _reference_sheet(book.create_sheet(_("Reference")[:31]))
    return excel.to_bytes(book)


def _reference_sheet(sheet):
    """Districts, GB/T 4754 divisions, tags and notes side by side, for looking codes up."""
    notes = [
        _("Columns marked * are required."),
        _("District: a name or 6-digit code from this sheet."),
        _("Industry division: a 2-digit GB/T 4754-2017 code from this sheet."),
        _("Revenue is last year's operating revenue in 10k yuan (万元)."),
        _("规上: 是 or 否."),
        _("Tags: names from this sheet, separated by 、 or a comma."),
        _("The grey example row is skipped while it is unchanged."),
    ]
    districts = list(Region.objects.filter(parent__isnull=False).values_list("code", "name"))
    divisions = [(code, section, name) for code, (section, name) in industries().items() if len(code) == 2]
    tags = list(Tag.objects.values_list("name", flat=True))
    titles = [
        _("District code"), _("District"), "",
        _("Division"), _("Section"), _("Industry"), "",
        _("Tags"), "", _("Notes"),
    ]  # fmt: skip
    excel.append(sheet, titles)
    for index in range(max(len(districts), len(divisions), len(tags), len(notes))):
        row = [*_pick(districts, index, 2), "", *_pick(divisions, index, 3), ""]
        row += [tags[index] if index < len(tags) else "", "", notes[index] if index < len(notes) else ""]
        excel.append(sheet, row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in {"A": 12, "B": 12, "D": 10, "E": 8, "F": 36, "H": 20, "J": 60}.items():
        sheet.column_dimensions[letter].width = width


def _pick(items, index, width):
    return list(items[index]) if index < len(items) else [""] * width


# --- reading ----------------------------------------------------------------------------------


def _norm(text) -> str:
    return re.sub(r"[\s*＊]", "", str(text or "")).lower()


def _aliases() -> dict[str, str]:
    """Every accepted header → column key: the key itself and the title in each language."""
    out = {}
    for column in COLUMNS:
        out[_norm(column.key)] = column.key
        for code, _name in settings.LANGUAGES:
            out[_norm(_in(code, column.title))] = column.key
    return out


def _match(cell, aliases) -> str | None:
    text = _norm(cell)
    if text in aliases:
        return aliases[text]
    return next((aliases[part] for part in text.split("/") if part in aliases), None)


def _map_header(header, report) -> dict[str, int]:
    if not header or not any(header):
        raise FileError(_("The first row must hold the column titles of the template."))
    aliases, index = _aliases(), {}
    for position, cell in enumerate(header):
        key = _match(cell, aliases)
        if key is None:
            if cell not in (None, ""):
                report.warn(None, str(cell), _("This column is not used and was ignored."))
            continue
        if key in index:
            raise FileError(_("The column %(column)s appears twice.") % {"column": BY_KEY[key].title})
        index[key] = position
    missing = [str(column.title) for column in COLUMNS if column.required and column.key not in index]
    if missing:
        raise FileError(
            _("These columns are missing: %(columns)s. Start from the template.")
            % {"columns": "、".join(missing)}
        )
    return index


def _open(fileobj):
    """Open an uploaded workbook for streaming, refusing what is not a plain .xlsx."""
    try:
        fileobj.seek(0)
        _refuse_bomb(fileobj)
        fileobj.seek(0)
        return load_workbook(fileobj, read_only=True, data_only=True)
    except FileError:
        raise
    except Exception as exc:  # openpyxl and zipfile raise many kinds for a broken or foreign file
        raise FileError(
            _("This is not an Excel file that can be read. Save it as .xlsx and try again.")
        ) from exc


def _refuse_bomb(fileobj):
    """Refuse an archive that unpacks to more than the row limit can need, before openpyxl parses it.

    First by the sizes the archive declares, then by unpacking every member against the same budget,
    so that a forged header cannot sneak more past (zipfile stops at the declared size and fails the
    checksum, but the cap does not depend on that). Unpacking 100,000 rows takes about 0.15 s.
    """
    limit = settings.IMPORT_MAX_UNZIPPED_BYTES
    with zipfile.ZipFile(fileobj) as archive:
        members = archive.infolist()
        if sum(info.file_size for info in members) > limit:
            raise _bomb_error(limit)
        left = limit
        for info in members:
            with archive.open(info) as member:
                while chunk := member.read(1 << 20):
                    left -= len(chunk)
                    if left < 0:
                        raise _bomb_error(limit)


def _bomb_error(limit) -> FileError:
    return FileError(
        _(
            "The file unpacks to more than %(mb)s MB, more than %(rows)s enterprise rows need, "
            "and was refused. Save only the enterprise sheet as .xlsx and try again."
        )
        % {"mb": f"{limit / 2**20:.3g}", "rows": f"{settings.IMPORT_MAX_ROWS:,}"}
    )


def _too_many_rows(rows) -> FileError:
    return FileError(
        _("The file has %(rows)s rows; at most %(max)s can be imported at once. Split it into several files.")
        % {"rows": f"{rows:,}", "max": f"{settings.IMPORT_MAX_ROWS:,}"}
    )


def count_rows(fileobj) -> int:
    """Data rows of the first sheet, counted in the sheet's XML: the size a sheet declares can lie,
    and the count decides whether the file is checked in the request or by the task worker."""
    book = _open(fileobj)
    try:
        rows = max(0, _count_row_elements(book, book.worksheets[0]) - 1)
    finally:
        book.close()
        fileobj.seek(0)
    if rows > settings.IMPORT_MAX_ROWS:
        raise _too_many_rows(rows)
    return rows


ROW_ELEMENT = re.compile(rb"<(?:\w+:)?row[\s>]")


def _count_row_elements(book, sheet) -> int:
    """Count <row> elements in the raw sheet XML: counting the bytes takes a fraction of a second
    where parsing 100,000 rows takes many."""
    path = getattr(sheet, "_worksheet_path", None)  # openpyxl internals, hence the fallback below
    if path is None:
        sheet.reset_dimensions()
        return sum(1 for _row in sheet.iter_rows(values_only=True))
    total, tail = 0, b""
    with book._archive.open(path) as src:
        while chunk := src.read(1 << 20):
            data = tail + chunk
            # Keep an element that may be cut in two for the next chunk: from the last "<" near the end.
            cut = data.rfind(b"<", max(0, len(data) - 16))
            cut = len(data) if cut == -1 else cut
            total += len(ROW_ELEMENT.findall(data, 0, cut))
            tail = data[cut:]
    total += len(ROW_ELEMENT.findall(tail))
    return total


def read_rows(fileobj, report):
    """Yield (row number, {column key: cell text}) for every non-blank data row of the first sheet."""
    book = _open(fileobj)
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # some programs declare a wrong size; read what is really there
        rows = sheet.iter_rows(values_only=True)
        index = _map_header(next(rows, None), report)
        example = {key: _text(BY_KEY[key].example) for key in index}
        for number, values in enumerate(rows, start=2):
            if number - 1 > settings.IMPORT_MAX_ROWS:  # count_rows refuses these; this is the backstop
                raise _too_many_rows(number - 1)
            texts = {key: _text(values[pos]) if pos < len(values) else "" for key, pos in index.items()}
            if any(texts.values()) and texts != example:
                yield number, texts
    finally:
        book.close()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- checking one row -------------------------------------------------------------------------


@dataclass
class Report:
    """Problems found in a file: the first MAX_STORED of each kind, and exact counts."""

    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    error_count: int = 0
    warning_count: int = 0

    def error(self, row, column, message):
        self.error_count += 1
        if len(self.errors) < MAX_STORED:
            self.errors.append({"row": row, "column": str(column), "message": str(message)})

    def warn(self, row, column, message):
        self.warning_count += 1
        if len(self.warnings) < MAX_STORED:
            self.warnings.append({"row": row, "column": str(column), "message": str(message)})

    def sorted(self, items):
        return sorted(items, key=lambda item: item["row"] or 0)


@dataclass
class Row:
    number: int
    facts: dict = field(default_factory=dict)
    tag_ids: list = field(default_factory=list)
    ok: bool = True


class RowChecker:
    """Checks rows against the reference data, loaded once per file, and the importer's district."""

    def __init__(self, organisation):
        districts = list(Region.objects.filter(parent__isnull=False))
        self.regions = {region.code: region for region in districts} | {r.name: r for r in districts}
        city = (
            organisation.kind == Organisation.Kind.AUTHORITY and organisation.level == Organisation.Level.CITY
        )
        # Fail closed: anyone but a city officer may import only the rows of their own district.
        self.only_region = None if city else organisation.region
        self.tags = dict(Tag.objects.values_list("name", "pk"))
        self.divisions = {code for code in industries() if len(code) == 2}
        self.yes = YES | {_("Yes").lower()}
        self.no = NO | {_("No").lower()}

    def check(self, number, texts, report) -> Row:
        row = Row(number)
        for key, text in texts.items():
            try:
                if text:
                    getattr(self, f"_{key}")(row, text)
                elif BY_KEY[key].required:
                    raise RowError(_("This column is required."))
            except RowError as exc:
                row.ok = False
                report.error(number, BY_KEY[key].title, exc)
        self._cross_check(row, report)
        return row

    def _cross_check(self, row, report):
        facts = row.facts
        division, finer = facts.get("industry_division"), facts.get("industry_code")
        if division and finer and not finer.startswith(division):
            row.ok = False
            report.error(
                row.number,
                BY_KEY["industry_code"].title,
                _("The finer code must start with the division code %(d)s.") % {"d": division},
            )
        code, region = facts.get("credit_code"), facts.pop("region", None)
        if code and region and code[2:8] != region.code:
            report.warn(
                row.number,
                BY_KEY["credit_code"].title,
                _(
                    "The division code in the credit code (%(code)s) is not that of %(region)s (%(expected)s). "
                    "This happens when an enterprise moved; check that the district is right."
                )
                % {"code": code[2:8], "region": region.name, "expected": region.code},
            )

    def _name(self, row, text):
        row.facts["name"] = _limited(text, 200)

    def _credit_code(self, row, text):
        code = normalise_credit_code(text)
        if error := credit_code_error(code):
            raise RowError(error)
        row.facts["credit_code"] = code

    def _region(self, row, text):
        region = self.regions.get(text.replace(" ", ""))
        if region is None:
            raise RowError(
                _("Unknown district %(value)s: use a name or code from the Reference sheet.")
                % {"value": text}
            )
        if self.only_region is not None and region.pk != self.only_region.pk:
            raise RowError(_("You can only file enterprises of %(region)s.") % {"region": self.only_region})
        row.facts["region"] = region
        row.facts["region_id"] = region.pk

    def _industry_division(self, row, text):
        code = text.split()[0]
        code = code.zfill(2) if code.isdigit() else code  # Excel drops the zero of "06" in a number cell
        if code not in self.divisions:
            raise RowError(
                _("Unknown industry division %(value)s: use a 2-digit code from the Reference sheet.")
                % {"value": text}
            )
        row.facts["industry_division"] = code

    def _industry_code(self, row, text):
        if not text.isdigit() or len(text) not in (3, 4):
            raise RowError(_("A finer industry code has 3 or 4 digits."))
        row.facts["industry_code"] = text

    def _employees(self, row, text):
        number = _decimal(text)
        if number is None or number < 0 or number != number.to_integral_value() or number > MAX_PEOPLE:
            raise RowError(
                _("Employees must be a whole number from 0 to %(max)s.") % {"max": f"{MAX_PEOPLE:,}"}
            )
        row.facts["employees"] = int(number)

    def _revenue(self, row, text):
        number = _decimal(text.replace(",", ""))
        if number is None or number < 0 or number >= Decimal("1e12"):
            raise RowError(_("Revenue must be a number, 0 or more, in 10k yuan."))
        row.facts["revenue"] = number.quantize(Decimal("0.01"))

    def _above_scale(self, row, text):
        word = text.lower()
        if word not in self.yes | self.no:
            raise RowError(_("Write 是 or 否."))
        row.facts["above_scale"] = word in self.yes

    def _tags(self, row, text):
        names = [name.strip() for name in TAG_SEPARATORS.split(text) if name.strip()]
        unknown = [name for name in names if name not in self.tags]
        if unknown:
            raise RowError(
                _("Unknown tags: %(tags)s. Known tags: %(known)s.")
                % {"tags": "、".join(unknown), "known": "、".join(self.tags)}
            )
        row.tag_ids = sorted({self.tags[name] for name in names})

    def _contact_name(self, row, text):
        row.facts["contact_name"] = _limited(text, 50)

    def _contact_phone(self, row, text):
        if not PHONE.match(text):
            raise RowError(_("A phone number has only digits, spaces and + - ( )."))
        row.facts["contact_phone"] = text

    def _address(self, row, text):
        row.facts["address"] = _limited(text, 300)


def _limited(text, length):
    if len(text) > length:
        raise RowError(_("At most %(n)d characters.") % {"n": length})
    return text


def _decimal(text) -> Decimal | None:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
