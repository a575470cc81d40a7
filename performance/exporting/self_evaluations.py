"""SPEC §12.3: self-evaluations as the national 项目支出绩效自评表, in XLSX (one sheet per project) and
the texts the A4 print view shares with it.

The form's labels are translatable (the print view follows the user's language); the workbook is
always written in Chinese, the language of the national form, whatever the user's language. Amounts
are numbers in 万元 to the cent, rates fractions shown as percentages, points numbers to 0.01; every
text a user typed is escaped against formulas.
"""

from __future__ import annotations

import tempfile
import unicodedata
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation
from django.utils.translation import pgettext, pgettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from finance.importing.cells import escape_formula
from finance.workbooks import SHEET_NAME_MAX, sheet_names  # noqa: F401 (the views name sheets with it)
from performance.services.self_evaluations import Line, Sheet
from projects.models import Direction

TEN_THOUSAND = Decimal("10000")
CENT = Decimal("0.01")
#: The form's total is out of 100 points: 10 for budget execution, 90 for the indicators (§4.3).
FULL_MARKS = Decimal("100")
EXECUTION_MARKS = Decimal("10")

AMOUNT_FORMAT = "#,##0.00"
POINTS_FORMAT = "0.00"
RATE_FORMAT = "0.00%"

#: The form's nine columns (A–I) and their widths in characters: the row labels, then 一级指标, 二级指标,
#: 三级指标, 年度指标值, 实际完成值, 分值, 得分, 偏差原因分析及改进措施.
WIDTHS = (10, 12, 12, 22, 14, 14, 8, 8, 32)
COLUMNS = len(WIDTHS)

#: The form's labels. Their msgids carry the context "national form": the form's own terms (a
#: literal in each call, as xgettext needs), not the pages' words for the same things.
LABELS = {
    "title": pgettext_lazy("national form", "Project expenditure performance self-evaluation form"),
    "project": pgettext_lazy("national form", "Project name"),
    "department": pgettext_lazy("national form", "Supervising department"),
    "unit": pgettext_lazy("national form", "Implementing unit"),
    "funds": pgettext_lazy("national form", "Project funds (10k yuan)"),
    "initial_budget": pgettext_lazy("national form", "Budget at the start of the year"),
    "budget": pgettext_lazy("national form", "Budget for the year"),
    "spent": pgettext_lazy("national form", "Executed in the year"),
    "marks": pgettext_lazy("national form", "Points"),
    "execution_rate": pgettext_lazy("national form", "Execution rate"),
    "score": pgettext_lazy("national form", "Score"),
    "funds_total": pgettext_lazy("national form", "Total funds of the year"),
    "goal_block": pgettext_lazy("national form", "Overall goal of the year"),
    "goal": pgettext_lazy("national form", "Expected goal"),
    "achieved": pgettext_lazy("national form", "What was achieved"),
    "indicators": pgettext_lazy("national form", "Performance indicators"),
    "level1": pgettext_lazy("national form", "Level-1 indicator"),
    "level2": pgettext_lazy("national form", "Level-2 indicator"),
    "name": pgettext_lazy("national form", "Level-3 indicator"),
    "target": pgettext_lazy("national form", "Target for the year"),
    "actual": pgettext_lazy("national form", "Actual value"),
    "reason": pgettext_lazy("national form", "Reasons for the deviation and corrective measures"),
    "total": pgettext_lazy("national form", "Total score"),
    "grade": pgettext_lazy("national form", "Grade"),
    "qualitative": pgettext_lazy("national form", "qualitative"),
    "none": pgettext_lazy("national form", "The project has no indicators."),
    "as_of": pgettext_lazy("national form", "Executed to"),
    "state": pgettext_lazy("national form", "State"),
    "not_started": pgettext_lazy("national form", "not started"),
    "no_projects": pgettext_lazy("national form", "No self-evaluations to download for this year."),
}


def form_year(year: int) -> str:
    """The form's second line: （2021年度） in Chinese."""
    return pgettext("national form", "(Year %(year)s)") % {"year": year}


def in_wan(amount: Decimal) -> Decimal:
    """Yuan as 万元 to the cent, half up (what the form shows, as a number)."""
    return (Decimal(amount) / TEN_THOUSAND).quantize(CENT, ROUND_HALF_UP)


def _figure(value: Decimal | None) -> str:
    """A target or actual value without trailing zeros: Decimal("100.0000") -> "100"."""
    if value is None:
        return ""
    text = f"{Decimal(value).normalize():f}"
    return "0" if text in ("-0", "0") else text


def target_text(line: Line) -> str:
    """年度指标值 as the form writes it: "≥100人", "≤5天", "100%" (an "=" target shows only its value,
    which no spreadsheet mistakes for a formula), or "qualitative" for a qualitative indicator."""
    indicator = line.indicator
    if line.qualitative:
        figure = _figure(indicator.target_value)
        return f"{figure}{indicator.measure_unit}" if figure else str(LABELS["qualitative"])
    sign = {Direction.AT_LEAST: "≥", Direction.AT_MOST: "≤"}.get(indicator.direction, "")
    return f"{sign}{_figure(indicator.target_value)}{indicator.measure_unit}"


def actual_text(line: Line) -> str:
    """实际完成值: the actual value with its unit, or for a qualitative indicator the unit's 0–1
    judgement as a percentage; empty while not known."""
    indicator = line.indicator
    if line.qualitative:
        if indicator.judgement is None:
            return ""
        return f"{_figure((indicator.judgement * 100).quantize(Decimal('0.1'), ROUND_HALF_UP))}%"
    if indicator.actual_value is None:
        return ""
    return f"{_figure(indicator.actual_value)}{indicator.measure_unit}"


def achieved_of(sheet: Sheet) -> str:
    return sheet.record.achieved if sheet.record is not None else ""


def state_of(sheet: Sheet) -> str:
    return sheet.record.get_state_display() if sheet.record is not None else str(LABELS["not_started"])


# -- the workbook ----------------------------------------------------------------------------------

THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=16)
NOTE_FONT = Font(size=9)
LINE_HEIGHT = 15  # points per line of wrapped text

#: The form's cell styles, registered once per workbook as named styles: a cell takes one by name,
#: which costs a lookup, where setting its font, border and alignment one by one costs a style
#: registration each (most of the time of a workbook of hundreds of sheets).
STYLES = {
    "label": {"font": BOLD, "alignment": CENTRE, "border": BORDER},
    "text": {"alignment": LEFT, "border": BORDER},
    "amount": {"alignment": RIGHT, "border": BORDER, "number_format": AMOUNT_FORMAT},
    "points": {"alignment": RIGHT, "border": BORDER, "number_format": POINTS_FORMAT},
    "rate": {"alignment": RIGHT, "border": BORDER, "number_format": RATE_FORMAT},
    "title": {"font": TITLE_FONT, "alignment": Alignment(horizontal="center", vertical="center")},
    "subtitle": {"alignment": Alignment(horizontal="center", vertical="center")},
    "note": {"font": NOTE_FONT},
    "border": {"border": BORDER},  # the cells a bordered merged cell covers
}
STYLE_NAMES = {key: f"自评表 {key}" for key in STYLES}
NUMBER_STYLES = {AMOUNT_FORMAT: "amount", POINTS_FORMAT: "points", RATE_FORMAT: "rate"}
BORDERED = {STYLE_NAMES[key] for key, spec in STYLES.items() if "border" in spec}


def _register_styles(workbook: Workbook) -> None:
    for key, spec in STYLES.items():
        workbook.add_named_style(NamedStyle(name=STYLE_NAMES[key], **spec))


def _width(text: str) -> int:
    """Roughly how many characters wide ``text`` shows: Chinese characters count two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _lines_needed(text: str, width: int) -> int:
    """Wrapped lines of ``text`` in a cell ``width`` characters wide (its own line breaks counted)."""
    return sum(max(1, -(-_width(part) // max(1, width - 1))) for part in (text or "").split("\n"))


class _FormWriter:
    """Writes one project's form on a write-only sheet, row by row: each row's merged ranges and height
    are known before it is appended, as a write-only sheet needs."""

    def __init__(self, worksheet):
        self.ws = worksheet
        self.row = 0

    def cell(self, value=None, *, style: str = "text", number_format: str | None = None) -> WriteOnlyCell:
        """A cell in one of the form's named styles (``STYLES``); a number takes its format's."""
        if isinstance(value, str):
            value = escape_formula(value)
        cell = WriteOnlyCell(self.ws, value=value)
        if style == "number":
            style = NUMBER_STYLES[number_format or POINTS_FORMAT]
        elif style == "header":
            style = "label"
        cell.style = STYLE_NAMES[style]
        return cell

    def append(self, spans: list[tuple[int, WriteOnlyCell]], *, height: float | None = None) -> int:
        """A row of cells, each spanning a number of columns (merged when more than one); the covered
        cells carry the first one's border so that the merged range is outlined."""
        self.row += 1
        if height is not None:
            self.ws.row_dimensions[self.row].height = height
        cells, column = [], 1
        for span, cell in spans:
            cells.append(cell)
            for _covered in range(span - 1):
                filler = WriteOnlyCell(self.ws)
                if cell.style in BORDERED:
                    filler.style = STYLE_NAMES["border"]
                cells.append(filler)
            if span > 1:
                self.merge(self.row, column, self.row, column + span - 1)
            column += span
        self.ws.append(cells)
        return self.row

    def merge(self, first_row: int, first_column: int, last_row: int, last_column: int) -> None:
        self.ws.merged_cells.add(
            CellRange(min_row=first_row, min_col=first_column, max_row=last_row, max_col=last_column)
        )


def _set_up_page(worksheet) -> None:
    for index, width in enumerate(WIDTHS, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = width
    worksheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    worksheet.page_setup.orientation = Worksheet.ORIENTATION_PORTRAIT
    worksheet.page_setup.fitToWidth = 1
    worksheet.page_setup.fitToHeight = 0
    worksheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    worksheet.print_options.horizontalCentered = True
    worksheet.page_margins.left = worksheet.page_margins.right = 0.5
    worksheet.page_margins.top = worksheet.page_margins.bottom = 0.6


def write_form(worksheet, sheet: Sheet, *, initial_budget: Decimal) -> None:
    """The national 项目支出绩效自评表 of ``sheet`` on ``worksheet`` (call under the form's language);
    ``initial_budget`` is the project's 年初预算数 in 元."""
    _set_up_page(worksheet)
    w = _FormWriter(worksheet)
    label = {key: str(text) for key, text in LABELS.items()}
    project = sheet.project
    w.append([(COLUMNS, w.cell(label["title"], style="title"))], height=30)
    w.append([(COLUMNS, w.cell(form_year(project.fiscal_year_id), style="subtitle"))], height=20)
    w.append([(2, w.cell(label["project"], style="label")), (7, w.cell(project.name))], height=22)
    w.append(
        [
            (2, w.cell(label["department"], style="label")),
            (3, w.cell(project.department.name)),
            (2, w.cell(label["unit"], style="label")),
            (2, w.cell(project.unit.name)),
        ],
        height=22,
    )
    # Funds (万元): the header row, then the year's total.
    first = w.append(
        [
            (1, w.cell(label["funds"], style="label")),
            (1, w.cell(None, style="header")),
            (1, w.cell(label["initial_budget"], style="header")),
            (1, w.cell(label["budget"], style="header")),
            (1, w.cell(label["spent"], style="header")),
            (1, w.cell(label["marks"], style="header")),
            (1, w.cell(label["execution_rate"], style="header")),
            (2, w.cell(label["score"], style="header")),
        ],
        height=30,
    )
    w.append(
        [
            (1, w.cell(None, style="label")),
            (1, w.cell(label["funds_total"], style="header")),
            (1, w.cell(in_wan(initial_budget), style="number", number_format=AMOUNT_FORMAT)),
            (1, w.cell(in_wan(sheet.budget), style="number", number_format=AMOUNT_FORMAT)),
            (1, w.cell(in_wan(sheet.spent), style="number", number_format=AMOUNT_FORMAT)),
            (1, w.cell(EXECUTION_MARKS, style="number")),
            (1, w.cell(sheet.execution_rate, style="number", number_format=RATE_FORMAT)),
            (2, w.cell(sheet.execution_points, style="number")),
        ],
        height=22,
    )
    w.merge(first, 1, first + 1, 1)
    # The overall goal beside what was achieved.
    achieved = achieved_of(sheet)
    first = w.append(
        [
            (1, w.cell(label["goal_block"], style="label")),
            (4, w.cell(label["goal"], style="header")),
            (4, w.cell(label["achieved"], style="header")),
        ],
        height=22,
    )
    text_lines = max(_lines_needed(sheet.goal, sum(WIDTHS[1:5])), _lines_needed(achieved, sum(WIDTHS[5:])))
    w.append(
        [(1, w.cell(None, style="label")), (4, w.cell(sheet.goal)), (4, w.cell(achieved))],
        height=max(2, text_lines) * LINE_HEIGHT + 6,
    )
    w.merge(first, 1, first + 1, 1)
    # The indicators: one row each.
    first = w.append(
        [
            (1, w.cell(label["indicators"], style="label")),
            *[
                (1, w.cell(label[key], style="header"))
                for key in ("level1", "level2", "name", "target", "actual", "marks", "score", "reason")
            ],
        ],
        height=30,
    )
    for line in sheet.lines:
        indicator = line.indicator
        reason = indicator.deviation_reason
        lines_needed = max(
            _lines_needed(reason, WIDTHS[8]),
            _lines_needed(indicator.name, WIDTHS[3]),
            _lines_needed(indicator.level2, WIDTHS[2]),
        )
        w.append(
            [
                (1, w.cell(None, style="label")),
                (1, w.cell(indicator.level1)),
                (1, w.cell(indicator.level2)),
                (1, w.cell(indicator.name)),
                (1, w.cell(target_text(line))),
                (1, w.cell(actual_text(line))),
                (1, w.cell(indicator.weight, style="number")),
                (1, w.cell(line.score, style="number")),
                (1, w.cell(reason)),
            ],
            height=max(1, lines_needed) * LINE_HEIGHT + 6,
        )
    if not sheet.lines:
        w.append([(1, w.cell(None, style="label")), (COLUMNS - 1, w.cell(label["none"]))], height=22)
    w.merge(first, 1, w.row, 1)
    # The total and the grade.
    w.append(
        [
            (6, w.cell(label["total"], style="label")),
            (1, w.cell(FULL_MARKS, style="number")),
            (1, w.cell(sheet.total, style="number")),
            (1, w.cell(f"{label['grade']}：{sheet.grade.label}", style="header")),
        ],
        height=24,
    )
    note = f"{label['as_of']} {sheet.as_of.isoformat()} · {label['state']}：{state_of(sheet)}"
    w.append([(COLUMNS, w.cell(note, style="note"))])
    worksheet.print_area = f"A1:{get_column_letter(COLUMNS)}{w.row}"


def write_workbook(
    forms: Iterable[tuple[Sheet, Decimal]], names: Iterable[str]
) -> tempfile.SpooledTemporaryFile:
    """A workbook of one form per sheet: ``forms`` are (sheet, budget at the start of the year), named
    by ``names`` in step; written sheet by sheet as they come (a write-only workbook keeps no finished
    sheet in memory), in Chinese; returned as a temporary file positioned at its start."""
    workbook = Workbook(write_only=True)
    _register_styles(workbook)
    with translation.override("zh-hans"):
        written = 0
        for (sheet, initial_budget), name in zip(forms, names, strict=False):
            write_form(workbook.create_sheet(title=name), sheet, initial_budget=initial_budget)
            written += 1
        if not written:
            empty = workbook.create_sheet(title=str(LABELS["title"])[:SHEET_NAME_MAX])
            empty.append([str(LABELS["no_projects"])])
    output = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    workbook.save(output)
    output.seek(0)
    return output
