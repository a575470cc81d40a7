"""Exports of every import kind in the import format, scoped to what the user may see (SPEC §7).

``export_rows`` yields the rows of one kind as plain values, in the columns of its import file, so an
exported file imports back unchanged. The renderers turn header and rows into CSV (UTF-8 with a
byte-order mark, for Excel on a Chinese Windows) or XLSX; neither leaves a cell that starts with
= + - @, a tab or a carriage return unescaped: such text gets a leading single quote, which the importer
removes again.
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db.models import Q
from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from finance.importing.cells import escape_formula
from finance.importing.kinds import KINDS, Kind
from finance.models import BudgetUnit, Department, FiscalYear, FundSource, Payment
from finance.roles import ALL_DEPARTMENTS, department_scope
from performance.models import Evaluation
from projects.models import Indicator, Project

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


def _indicators_visible_to(user):
    """Indicators of the projects the user may see (Indicator has no department of its own)."""
    scope = department_scope(user)
    if scope is ALL_DEPARTMENTS:
        return Indicator.objects.all()
    if scope is None:
        return Indicator.objects.none()
    return Indicator.objects.filter(project__department_id=scope)


def _querysets(kind: str, user, year: int | None, department_id: int | None):
    """The kind's visible rows as value tuples in column order (choices still as codes)."""
    if kind == "departments":
        rows = Department.objects.visible_to(user)
        if department_id:
            rows = rows.filter(pk=department_id)
        return rows.order_by("code").values_list("code", "name")
    if kind == "units":
        rows = BudgetUnit.objects.visible_to(user)
        if department_id:
            rows = rows.filter(department_id=department_id)
        return rows.order_by("code").values_list("code", "name", "department__code")
    if kind == "projects":
        rows = Project.objects.visible_to(user)
        if year:
            rows = rows.filter(fiscal_year_id=year)
        if department_id:
            rows = rows.filter(department_id=department_id)
        return rows.order_by("fiscal_year_id", "code").values_list(
            "fiscal_year_id",
            "code",
            "name",
            "unit__code",
            "function_class__code",
            "fund_source__code",
            "category",
            "budget",
            "grant__code",
            "status",
        )
    if kind == "payments":
        rows = Payment.objects.visible_to(user)
        if year:
            rows = rows.filter(project__fiscal_year_id=year)
        if department_id:
            rows = rows.filter(project__department_id=department_id)
        return rows.order_by("voucher_no").values_list(
            "voucher_no", "project__fiscal_year_id", "project__code", "paid_on", "amount"
        )
    if kind == "evaluations":
        rows = Evaluation.objects.visible_to(user)
        if year:
            rows = rows.filter(fiscal_year_id=year)
        if department_id:
            rows = rows.filter(Q(project__department_id=department_id) | Q(department_id=department_id))
        return rows.order_by("fiscal_year_id", "kind", "project__code", "department__code").values_list(
            "fiscal_year_id",
            "kind",
            "project__code",
            "department__code",
            "decision",
            "process",
            "output",
            "benefit",
            "evaluator",
            "status",
            "key_category",
            "evaluated_on",
        )
    if kind == "indicators":
        rows = _indicators_visible_to(user)
        if year:
            rows = rows.filter(project__fiscal_year_id=year)
        if department_id:
            rows = rows.filter(project__department_id=department_id)
        return rows.order_by(
            "project__fiscal_year_id", "project__code", "level1", "level2", "name"
        ).values_list(
            "project__fiscal_year_id",
            "project__code",
            "level1",
            "level2",
            "name",
            "direction",
            "target_value",
            "measure_unit",
            "weight",
            "actual_value",
            "judgement",
        )
    raise KeyError(kind)


def _labellers(kind: Kind, language: str) -> list:
    """Per column: a function from the stored code to what the file shows (Chinese labels in "zh")."""
    functions = []
    for column in kind.columns:
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
    fund_sources = None
    if kind_name == "projects" and language == "zh":
        fund_sources = dict(FundSource.objects.values_list("code", "name"))
    fund_index = [column.key for column in kind.columns].index("fund_source") if fund_sources else None
    for values in _querysets(kind_name, user, year, department_id).iterator(chunk_size=ITERATOR_CHUNK):
        row = []
        for index, value in enumerate(values):
            labels = labellers[index]
            if labels is not None and value:
                value = labels.get(value, value)
            elif index == fund_index:
                value = fund_sources.get(value, value)
            row.append(value)
        yield row


# -- renderers --------------------------------------------------------------------------------------


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return escape_formula(str(value))


class _Echo:
    def write(self, value: str) -> str:
        return value


def render_csv(head: list[str], rows: Iterable[list]) -> Iterator[bytes]:
    """CSV in UTF-8 with a byte-order mark, one chunk per few hundred rows, every text escaped."""
    writer = csv.writer(_Echo())
    yield "\ufeff".encode() + writer.writerow([_csv_text(v) for v in head]).encode()
    buffer: list[str] = []
    for row in rows:
        buffer.append(writer.writerow([_csv_text(value) for value in row]))
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
        return value if Decimal(repr(float(value))) == value else str(value)
    if isinstance(value, int | datetime.date):
        return value
    return escape_formula(str(value))


def render_xlsx(
    head: list[str], rows: Iterable[list], *, title: str, notes: list[list[str]] | None = None
) -> tempfile.SpooledTemporaryFile:
    """An XLSX workbook (written row by row) in a temporary file, positioned at its start."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    header_cells = []
    for text in head:
        cell = WriteOnlyCell(sheet, value=escape_formula(text))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        cells = []
        for value in row:
            value = _xlsx_value(value)
            if isinstance(value, datetime.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    if notes:
        notes_sheet = workbook.create_sheet(title="说明 Notes")
        for line in notes:
            notes_sheet.append([escape_formula(text) for text in line])
    output = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    workbook.save(output)
    output.seek(0)
    return output


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
