"""SPEC §13: a target declaration as the national 项目支出绩效目标申报表, in XLSX (a sheet per project) and
the texts its A4 print view shares.

The form's own labels are Chinese; in the English UI each carries its English beside it ("项目名称
Project name"), as a bureau's clerk files the Chinese form whatever language they read. Amounts are
numbers in 万元 to the cent, weights numbers to 0.01, and every text a user typed is escaped against
formulas (SPEC §7).
"""

from __future__ import annotations

import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby

from django.utils import translation
from django.utils.translation import pgettext, pgettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from finance.importing.cells import escape_formula
from finance.workbooks import SHEET_NAME_MAX
from projects.models import DeclaredIndicator, Direction, Project, TargetDeclaration
from projects.targets.checks import Quota, number

TEN_THOUSAND = Decimal("10000")
CENT = Decimal("0.01")
AMOUNT_FORMAT = "#,##0.00"
POINTS_FORMAT = "0.00"

#: The form's six columns (A–F) and their widths in characters: the row labels, then 一级指标, 二级指标,
#: 三级指标, 指标值, 分值.
WIDTHS = (12, 12, 14, 30, 18, 9)
COLUMNS = len(WIDTHS)

#: The form's labels; their msgids carry the context "national form", as the self-evaluation's do.
LABELS = {
    "title": pgettext_lazy("national form", "Project expenditure performance target declaration form"),
    "project": pgettext_lazy("national form", "Project name"),
    "code": pgettext_lazy("national form", "Project code"),
    "department": pgettext_lazy("national form", "Supervising department"),
    "unit": pgettext_lazy("national form", "Implementing unit"),
    "funds": pgettext_lazy("national form", "Project funds (10k yuan)"),
    "funds_total": pgettext_lazy("national form", "Total funds of the year"),
    "fiscal": pgettext_lazy("national form", "of which: fiscal appropriation"),
    "other": pgettext_lazy("national form", "Other funds"),
    "goal": pgettext_lazy("national form", "Overall goal of the year"),
    "indicators": pgettext_lazy("national form", "Performance indicators"),
    "level1": pgettext_lazy("national form", "Level-1 indicator"),
    "level2": pgettext_lazy("national form", "Level-2 indicator"),
    "name": pgettext_lazy("national form", "Level-3 indicator"),
    "target": pgettext_lazy("national form", "Indicator value"),
    "weight": pgettext_lazy("national form", "Points"),
    "total": pgettext_lazy(
        "national form", "Total of the indicators (the execution rate holds the other 10)"
    ),
    "quota": pgettext_lazy("national form", "Quota standard"),
    "qualitative": pgettext_lazy("national form", "qualitative"),
    "none": pgettext_lazy("national form", "No indicators declared yet."),
    "version": pgettext_lazy("national form", "Version"),
    "state": pgettext_lazy("national form", "State"),
    "in_force": pgettext_lazy("national form", "in force"),
    "no_projects": pgettext_lazy("national form", "No projects to download for this year."),
}


def _chinese_first(text) -> str:
    """The label in Chinese, with its English beside it when the user reads English."""
    with translation.override("zh-hans"):
        chinese = str(text)
    if (translation.get_language() or "").startswith("zh"):
        return chinese
    english = str(text)
    return chinese if english == chinese else f"{chinese} {english}"


def labels() -> dict[str, str]:
    """The form's labels in the current language (Chinese, or Chinese with English beside)."""
    return {key: _chinese_first(text) for key, text in LABELS.items()}


def form_year(year: int) -> str:
    with translation.override("zh-hans"):
        return pgettext("national form", "(Year %(year)s)") % {"year": year}


def in_wan(amount: Decimal) -> Decimal:
    """Yuan as 万元 to the cent, half up (what the form shows, as a number)."""
    return (Decimal(amount) / TEN_THOUSAND).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class Form:
    """What one sheet of the form shows: the project (with unit and department) and the version."""

    project: Project
    declaration: TargetDeclaration
    indicators: list[DeclaredIndicator]

    @property
    def weights(self) -> Decimal:
        return sum((row.weight for row in self.indicators), Decimal(0))

    def quota(self) -> Quota | None:
        standard = self.declaration.quota_standard
        if standard is None or self.declaration.quantity is None:
            return None
        budget = self.project.budget
        if self.project.status != Project.Status.APPROVED and self.project.requested_amount is not None:
            budget = self.project.requested_amount
        return Quota(
            budget=budget,
            amount=standard.amount,
            quantity=self.declaration.quantity,
            standard_name=standard.name,
            measure_unit=standard.measure_unit,
        )


def target_text(indicator: DeclaredIndicator, qualitative: str) -> str:
    """指标值 as the form writes it: "≥ 3,000 人", "≤ 5 天", "100 %" (an "=" target shows only its value),
    or the qualitative target's text."""
    figure = number(indicator.target_value) if indicator.target_value is not None else ""
    value = " ".join(part for part in (figure, indicator.measure_unit) if part)
    if indicator.direction == Direction.QUALITATIVE:
        return value or qualitative
    sign = {Direction.AT_LEAST: "≥", Direction.AT_MOST: "≤"}.get(indicator.direction, "")
    return " ".join(part for part in (sign, value) if part)


def quota_text(quota: Quota) -> str:
    """The quota line: standard × quantity against the budget, in 元 and 万元, with the deviation."""
    off = quota.off
    deviation = "" if off is None else ("∞" if off.is_infinite() else f"{off * 100:.2f} %")
    with translation.override("zh-hans"):
        text = pgettext(
            "national form",
            "%(name)s %(amount)s yuan/%(unit)s × %(quantity)s %(unit)s = %(expected)s (10k yuan); "
            "budget %(budget)s (10k yuan); deviation %(off)s",
        )
    return text % {
        "name": quota.standard_name,
        "amount": number(quota.amount),
        "unit": quota.measure_unit,
        "quantity": number(quota.quantity),
        "expected": f"{in_wan(quota.expected):,.2f}",
        "budget": f"{in_wan(quota.budget):,.2f}",
        "off": deviation or "—",
    }


def status_note(form: Form, label: dict[str, str]) -> str:
    declaration = form.declaration
    with translation.override("zh-hans"):
        state = str(declaration.get_state_display())
    if declaration.in_force:
        state = f"{state}（{label['in_force']}）"
    parts = (f"{label['code']}：{form.project.code}", f"{label['version']} {declaration.version}")
    return " · ".join((*parts, f"{label['state']}：{state}"))


def groups(indicators: list[DeclaredIndicator]) -> Iterator[tuple[int, int, list[tuple[int, int]]]]:
    """Runs of consecutive rows with the same level 1: (first index, length, runs of the same level 2
    within it as (first index, length)); the form merges each run's cells."""
    start = 0
    for _level1, rows in groupby(indicators, key=lambda row: row.level1):
        rows = list(rows)
        inner, at = [], start
        for _level2, same in groupby(rows, key=lambda row: row.level2):
            length = len(list(same))
            inner.append((at, length))
            at += length
        yield start, len(rows), inner
        start += len(rows)


# -- the workbook ----------------------------------------------------------------------------------

THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
STYLES = {
    "label": {"font": Font(bold=True), "alignment": CENTRE, "border": BORDER},
    "text": {"alignment": LEFT, "border": BORDER},
    "centred": {"alignment": CENTRE, "border": BORDER},
    "amount": {"alignment": Alignment(horizontal="right", vertical="center"), "border": BORDER},
    "title": {
        "font": Font(bold=True, size=16),
        "alignment": Alignment(horizontal="center", vertical="center"),
    },
    "subtitle": {"alignment": Alignment(horizontal="center", vertical="center")},
    "note": {"font": Font(size=9)},
}
STYLE_NAMES = {key: f"目标申报表 {key}" for key in STYLES}
LINE_HEIGHT = 15


def _lines_needed(text: str, width: int) -> int:
    """Wrapped lines of ``text`` in a cell ``width`` characters wide (Chinese characters count two)."""
    lines = 0
    for part in (text or "").split("\n"):
        wide = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in part)
        lines += max(1, -(-wide // max(1, width - 1)))
    return lines


class _Sheet:
    """One form on one worksheet: cells by (row, column) in the form's named styles, merged ranges
    outlined (each covered cell carries the border)."""

    def __init__(self, worksheet: Worksheet):
        self.ws = worksheet
        self.row = 0

    def put(self, row: int, column: int, value=None, *, style: str = "text", span: tuple[int, int] = (1, 1)):
        if isinstance(value, str):
            value = escape_formula(value)
        cell = self.ws.cell(row=row, column=column, value=value)
        cell.style = STYLE_NAMES[style]
        rows, columns = span
        if rows > 1 or columns > 1:
            for r in range(row, row + rows):
                for c in range(column, column + columns):
                    if (r, c) != (row, column) and "border" in STYLES[style]:
                        self.ws.cell(row=r, column=c).border = BORDER
            self.ws.merge_cells(
                start_row=row, start_column=column, end_row=row + rows - 1, end_column=column + columns - 1
            )
        return cell

    def line(self, height: float | None = None) -> int:
        self.row += 1
        if height is not None:
            self.ws.row_dimensions[self.row].height = height
        return self.row


def _set_up_page(worksheet: Worksheet) -> None:
    for index, width in enumerate(WIDTHS, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = width
    worksheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    worksheet.page_setup.orientation = Worksheet.ORIENTATION_PORTRAIT
    worksheet.page_setup.fitToWidth = 1
    worksheet.page_setup.fitToHeight = 0
    worksheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    worksheet.print_options.horizontalCentered = True


def write_form(worksheet: Worksheet, form: Form, label: dict[str, str]) -> None:
    """The 项目支出绩效目标申报表 of ``form`` on ``worksheet``."""
    _set_up_page(worksheet)
    s = _Sheet(worksheet)
    project, declaration = form.project, form.declaration
    s.put(s.line(30), 1, label["title"], style="title", span=(1, COLUMNS))
    s.put(s.line(20), 1, form_year(project.fiscal_year_id), style="subtitle", span=(1, COLUMNS))
    for key, value in (
        ("project", project.name),
        ("department", project.department.name),
        ("unit", project.unit.name),
    ):
        row = s.line(22)
        s.put(row, 1, label[key], style="label", span=(1, 2))
        s.put(row, 3, value, span=(1, COLUMNS - 2))
    budget = in_wan(project.budget)
    first = s.line(22)
    s.put(first, 1, label["funds"], style="label", span=(3, 2))
    for offset, (key, amount) in enumerate(
        (("funds_total", budget), ("fiscal", budget), ("other", Decimal("0.00")))
    ):
        row = first if offset == 0 else s.line(22)
        s.put(row, 3, label[key], style="label", span=(1, 2))
        s.put(row, 5, amount, style="amount", span=(1, 2)).number_format = AMOUNT_FORMAT
    row = s.line(max(2, _lines_needed(declaration.goal, sum(WIDTHS[2:]))) * LINE_HEIGHT + 6)
    s.put(row, 1, label["goal"], style="label", span=(1, 2))
    s.put(row, 3, declaration.goal, span=(1, COLUMNS - 2))
    header = s.line(30)
    for column, key in enumerate(("level1", "level2", "name", "target", "weight"), start=2):
        s.put(header, column, label[key], style="label")
    rows = form.indicators
    for indicator in rows:
        needed = max(_lines_needed(indicator.name, WIDTHS[3]), _lines_needed(indicator.level2, WIDTHS[2]))
        row = s.line(max(1, needed) * LINE_HEIGHT + 6)
        s.put(row, 4, indicator.name)
        s.put(row, 5, target_text(indicator, label["qualitative"]), style="centred")
        s.put(row, 6, indicator.weight, style="amount").number_format = POINTS_FORMAT
    for start, length, inner in groups(rows):
        s.put(header + 1 + start, 2, rows[start].level1, style="centred", span=(length, 1))
        for at, run in inner:
            s.put(header + 1 + at, 3, rows[at].level2, style="centred", span=(run, 1))
    if not rows:
        s.put(s.line(22), 2, label["none"], span=(1, COLUMNS - 1))
    total = s.line(22)
    s.put(total, 2, label["total"], style="label", span=(1, COLUMNS - 2))
    weights = s.put(total, 6, form.weights, style="amount")
    weights.number_format = POINTS_FORMAT
    s.put(header, 1, label["indicators"], style="label", span=(total - header + 1, 1))
    quota = form.quota()
    if quota is not None:
        row = s.line(36)
        s.put(row, 1, label["quota"], style="label", span=(1, 2))
        s.put(row, 3, quota_text(quota), span=(1, COLUMNS - 2))
    s.put(s.line(), 1, status_note(form, label), style="note", span=(1, COLUMNS))
    worksheet.print_area = f"A1:{get_column_letter(COLUMNS)}{s.row}"


def write_workbook(forms: Iterable[Form], names: Iterable[str]) -> tempfile.SpooledTemporaryFile:
    """A workbook of one form per sheet, named by ``names`` in step; returned as a temporary file at its
    start. An empty workbook says there was nothing to download."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for key, spec in STYLES.items():
        workbook.add_named_style(NamedStyle(name=STYLE_NAMES[key], **spec))
    label = labels()
    written = 0
    for form, name in zip(forms, names, strict=False):
        write_form(workbook.create_sheet(title=name), form, label)
        written += 1
    if not written:
        empty = workbook.create_sheet(title=label["title"][:SHEET_NAME_MAX])
        empty.append([label["no_projects"]])
    output = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    workbook.save(output)
    output.seek(0)
    return output
