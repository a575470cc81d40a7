"""Exports of every import kind in the import format, scoped to what the user may see (SPEC §7).

Each kind gives its own rows (``Kind.export_values``, starting from ``visible_to(user)``); this module
labels and renders them.

``export_rows`` yields the rows of one kind as plain values, in the columns of its import file, so an
exported file imports back unchanged. The renderers turn header and rows into CSV (UTF-8 with a
byte-order mark, for Excel on a Chinese Windows) or XLSX; neither leaves a text cell that starts with
= + - @, a tab or a carriage return unescaped: such text gets a leading single quote, which the importer
removes again. Numbers stay numbers (a negative amount is a number, not text), and XLSX gives them
the number formats their columns ask for.
"""

from __future__ import annotations

import csv
import datetime
import itertools
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from finance.importing.cells import escape_formula
from finance.importing.kinds import KINDS, Kind
from finance.models import Department, FiscalYear

#: Header languages of exported files and templates.
LANGUAGES = ("zh", "en")
ITERATOR_CHUNK = 5000


def header(kind: Kind, language: str) -> list[str]:
    """The kind's column headers in Chinese ("zh") or English ("en")."""
    return [column.header(language) for column in kind.columns]


def visible_departments(*, user) -> list[tuple[str, str]]:
    """(code, name) of the departments the user may export, by code."""
    return list(Department.objects.visible_to(user).order_by("code").values_list("code", "name"))


def visible_department_id(*, user, code: str) -> int | None:
    """The id of the department with ``code`` if the user may see it; None for any other code."""
    return Department.objects.visible_to(user).filter(code=code).values_list("pk", flat=True).first()


def export_years() -> list[int]:
    """The fiscal years an export can be narrowed to, latest first."""
    return list(FiscalYear.objects.values_list("year", flat=True))


def _labellers(kind: Kind, language: str) -> list:
    """Per column: a function from the stored code to what the file shows (Chinese labels in "zh")."""
    functions = []
    extra = kind.export_labels(language)
    for column in kind.columns:
        if column.key in extra:
            functions.append(extra[column.key])
            continue
        if column.choices is None or language != "zh":
            functions.append(None)
            continue
        with translation.override("zh-hans"):
            labels = {code: str(label) for code, label in column.choices()}
        functions.append(labels)
    return functions


def export_rows(
    kind_name: str, *, user, year: int | None = None, department_id: int | None = None, language: str = "zh"
) -> Iterator[list]:
    """The visible rows of one kind, as plain values in the columns of its import file."""
    kind = KINDS[kind_name]
    labellers = _labellers(kind, language)
    rows = kind.export_values(user=user, year=year, department_id=department_id)
    for values in rows.iterator(chunk_size=ITERATOR_CHUNK):
        row = []
        for index, value in enumerate(values):
            labels = labellers[index]
            if labels is not None and value:
                value = labels.get(value, value)
            row.append(value)
        yield row


# -- renderers --------------------------------------------------------------------------------------

#: Number formats of exported figures, by what a column holds: amounts (万元 in the tables, 元 in the
#: import-format files) to the cent, and ratios kept as fractions (0.816) that show as percentages.
AMOUNT_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0%"
#: The XLSX columns are sized to the header and the first rows, within these widths (in characters).
WIDTH_SAMPLE_ROWS = 500
MIN_WIDTH, MAX_WIDTH = 8, 60
TENTH = Decimal("0.1")


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _number_text(value, number_format: str | None) -> str | None:
    """A finite number as plain text a spreadsheet reads back as the same number (a ratio in a
    percent-formatted column as "81.6%"); None for anything else."""
    value = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not value.is_finite():
        return None
    percentage = number_format == PERCENT_FORMAT
    if percentage:
        value = (value * 100).quantize(TENTH, rounding=ROUND_HALF_UP)
    if value == 0:
        value = abs(value)  # no "-0.00"
    return f"{value:f}%" if percentage else f"{value:f}"


def _csv_text(value, number_format: str | None = None) -> str:
    """A cell as CSV text: numbers as they are, so that a negative figure stays a number; any text that
    starts with = + - @, a tab or a carriage return escaped with a leading quote."""
    if value is None:
        return ""
    if _is_number(value):
        number = _number_text(value, number_format)
        if number is not None:
            return number
    if isinstance(value, datetime.date):
        return value.isoformat()
    return escape_formula(str(value))


class _Echo:
    def write(self, value: str) -> str:
        return value


def _with_formats(row: list, formats: list[str | None]) -> Iterator[tuple[object, str | None]]:
    """Each value of the row with its column's number format (None beyond the formats given)."""
    for index, value in enumerate(row):
        yield value, formats[index] if index < len(formats) else None


def render_csv(
    head: list[str], rows: Iterable[list], *, formats: list[str | None] | None = None
) -> Iterator[bytes]:
    """CSV in UTF-8 with a byte-order mark, one chunk per few hundred rows, every text escaped.

    ``formats`` gives each column's number format (``AMOUNT_FORMAT``, ``PERCENT_FORMAT`` or None): CSV
    has no formats, so it only turns a ratio into a percentage a spreadsheet reads as a number."""
    formats = list(formats or [])
    writer = csv.writer(_Echo())
    yield "\ufeff".encode() + writer.writerow([_csv_text(v) for v in head]).encode()
    buffer: list[str] = []
    for row in rows:
        buffer.append(writer.writerow([_csv_text(value, fmt) for value, fmt in _with_formats(row, formats)]))
        if len(buffer) >= 500:
            yield "".join(buffer).encode()
            buffer = []
    if buffer:
        yield "".join(buffer).encode()


def _xlsx_value(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal):
        # A spreadsheet number is a binary float: keep it a number only when it reads back exactly.
        if value.is_finite() and Decimal(repr(float(value))) == value:
            return abs(value) if value == 0 else value
        return escape_formula(str(value))
    if isinstance(value, int | float | datetime.date):
        return value
    return escape_formula(str(value))


def _display_width(value, number_format: str | None) -> int:
    """Roughly how many characters wide the cell shows: Chinese characters count two."""
    if value is None:
        return 0
    if isinstance(value, datetime.date):
        return 10
    if _is_number(value) and number_format == AMOUNT_FORMAT:
        text = f"{value:,.2f}"
    elif _is_number(value):
        text = _number_text(value, number_format) or str(value)
    else:
        text = str(value)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _column_widths(head: list[str], sample: list[list], formats: list[str | None]) -> list[int]:
    widths = [_display_width(text, None) for text in head]
    for row in sample:
        widths += [0] * (len(row) - len(widths))
        for index, (value, fmt) in enumerate(_with_formats(row, formats)):
            widths[index] = max(widths[index], _display_width(value, fmt))
    return [min(MAX_WIDTH, max(MIN_WIDTH, width + 2)) for width in widths]


def add_sheet(
    workbook: Workbook,
    head: list[str],
    rows: Iterable[list],
    *,
    title: str,
    formats: list[str | None] | None = None,
    preamble: list[list] | None = None,
) -> None:
    """A sheet of a write-only workbook: ``preamble`` rows (label, value) first, if any, then the bold
    header row, frozen with everything above it, its columns as wide as the header and the first rows
    need, its figures numbers in each column's number format (``formats``, as for ``render_csv``)."""
    formats = list(formats or [])
    rows = iter(rows)
    sample = list(itertools.islice(rows, WIDTH_SAMPLE_ROWS))
    sheet = workbook.create_sheet(title=title[:31])
    preamble = list(preamble or [])
    sheet.freeze_panes = f"A{len(preamble) + 2}"
    for index, width in enumerate(_column_widths(head, sample, formats), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    for line in preamble:
        sheet.append([_preamble_cell(sheet, value, bold=index == 0) for index, value in enumerate(line)])
    header_cells = []
    for text in head:
        cell = WriteOnlyCell(sheet, value=escape_formula(text))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in itertools.chain(sample, rows):
        cells = []
        for value, number_format in _with_formats(row, formats):
            value = _xlsx_value(value)
            if isinstance(value, datetime.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            elif number_format and _is_number(value):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = number_format
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)


def _preamble_cell(sheet, value, *, bold: bool) -> WriteOnlyCell:
    """A cell of the lines above a sheet's header: a label, a date, a time (to the minute) or a value."""
    if isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
    else:
        cell = WriteOnlyCell(sheet, value=_xlsx_value(value))
    if bold:
        cell.font = Font(bold=True)
    return cell


def saved(workbook: Workbook) -> tempfile.SpooledTemporaryFile:
    """The workbook written to a temporary file, positioned at its start."""
    output = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    workbook.save(output)
    output.seek(0)
    return output


def render_xlsx(
    head: list[str],
    rows: Iterable[list],
    *,
    title: str,
    notes: list[list[str]] | None = None,
    formats: list[str | None] | None = None,
) -> tempfile.SpooledTemporaryFile:
    """An XLSX workbook of one sheet (written row by row, see ``add_sheet``) in a temporary file,
    positioned at its start; ``notes`` go on a second sheet."""
    workbook = Workbook(write_only=True)
    add_sheet(workbook, head, rows, title=title, formats=formats)
    if notes:
        notes_sheet = workbook.create_sheet(title="说明 Notes")
        for line in notes:
            notes_sheet.append([escape_formula(text) for text in line])
    return saved(workbook)


def template_notes(kind: Kind) -> list[list[str]]:
    """The template's second sheet: each column's headers in both languages, whether required, values."""
    with translation.override("zh-hans"):
        lines = [["中文表头", "English header", "必填 required", "取值 values"]]
        for column in kind.columns:
            if column.choices is not None:
                values = "; ".join(f"{code} = {label}" for code, label in column.choices())
            elif column.key in ("paid_on", "evaluated_on"):
                values = "YYYY-MM-DD"
            elif column.key == "year":
                values = "2021"
            elif column.unit == "元":
                values = "单位：元（不是万元），例如 1234567.89 或 1,234,567.89 in yuan (元, not 万元)"
            else:
                values = ""
            if column.note:
                values = f"{values}; {column.note}" if values else column.note
            required = "否 no" if column.blank or column.optional else "是 yes"
            if column.optional:
                required += "（可省略此列 column may be left out）"
            lines.append([column.header("zh"), column.header("en"), required, values])
        if any(column.unit for column in kind.columns):
            lines += [
                [],
                [
                    "金额单位为元；页面以万元、亿元显示。",
                    "Amounts are in yuan (元); the pages show them in 万元 and 亿元.",
                ],
            ]
    return lines
