"""The CSV and XLSX renderers (SPEC §7): numbers stay numbers, only text that a spreadsheet could run as
a formula is escaped, and an XLSX opens with its figures formatted, its header frozen and its columns
wide enough to read."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from finance.exporting import AMOUNT_FORMAT, PERCENT_FORMAT, render_csv, render_xlsx

HEAD = ["项目名称 Project", "预算 Budget", "支出进度 Progress", "差距 Gap", "备注 Note"]
FORMATS = [None, AMOUNT_FORMAT, PERCENT_FORMAT, "0.0", None]
ROWS = [
    ["学生资助", Decimal("12000.00"), Decimal("0.800"), Decimal("-3.3"), "=cmd()"],
    ["-负数开头的名称", Decimal("-29.70"), Decimal("-0.125"), Decimal("6.7"), "+1"],
    ["1-2 年", Decimal("0.00"), None, -3, "@x"],
    ["\t制表符", Decimal("1234567.89"), Decimal("1.000"), Decimal("0.0"), "\r回车"],
]


def csv_rows(head=HEAD, rows=ROWS, formats=FORMATS) -> list[list[str]]:
    data = b"".join(render_csv(head, rows, formats=formats))
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def workbook(head=HEAD, rows=ROWS, formats=FORMATS, **kwargs):
    return openpyxl.load_workbook(render_xlsx(head, rows, title="projects", formats=formats, **kwargs))


def test_csv_numbers_stay_numbers_even_when_negative():
    table = csv_rows()

    assert [row[1:4] for row in table[1:]] == [
        ["12000.00", "80.0%", "-3.3"],
        ["-29.70", "-12.5%", "6.7"],
        ["0.00", "", "-3"],
        ["1234567.89", "100.0%", "0.0"],
    ]


def test_csv_escapes_only_text_that_starts_like_a_formula():
    table = csv_rows()

    assert [row[0] for row in table[1:]] == ["学生资助", "'-负数开头的名称", "1-2 年", "'\t制表符"]
    assert [row[4] for row in table[1:]] == ["'=cmd()", "'+1", "'@x", "'\r回车"]


def test_csv_without_formats_writes_plain_numbers_and_dates():
    table = csv_rows(
        ["凭证号", "支付日期", "支付金额"],
        [["-V1", datetime.date(2021, 3, 1), Decimal("-500.00")], ["V2", None, Decimal("1E+3")]],
        formats=None,
    )

    assert table[1:] == [["'-V1", "2021-03-01", "-500.00"], ["V2", "", "1000"]]


def test_a_negative_zero_is_written_as_zero():
    table = csv_rows(["x"], [[Decimal("-0.00")], [Decimal("-0.0001")]], formats=[PERCENT_FORMAT])

    assert table[1:] == [["0.0%"], ["0.0%"]]


def test_xlsx_figures_are_numbers_with_the_tables_formats():
    sheet = workbook().active

    budget, progress, gap = sheet["B2"], sheet["C2"], sheet["D2"]
    assert (budget.value, budget.number_format) == (12000, "#,##0.00")
    assert (progress.value, progress.number_format) == (pytest.approx(0.8), "0.0%")
    assert (gap.value, gap.number_format) == (pytest.approx(-3.3), "0.0")
    assert sheet["B3"].value == pytest.approx(-29.7)
    assert sheet["B3"].data_type == "n"


def test_xlsx_escapes_only_text_that_starts_like_a_formula():
    sheet = workbook().active

    assert [sheet.cell(row, 1).value for row in range(2, 6)] == [
        "学生资助",
        "'-负数开头的名称",
        "1-2 年",
        "'\t制表符",
    ]
    # The XML parser reads a carriage return back as a line feed (the standard library's) or as itself
    # (lxml's, installed with python-docx); the quote before it is what matters.
    values = [sheet.cell(row, 5).value for row in range(2, 6)]
    assert values[:3] == ["'=cmd()", "'+1", "'@x"]
    assert values[3] in ("'\n回车", "'\r回车")
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_xlsx_freezes_the_header_row_and_sizes_the_columns():
    sheet = workbook().active

    assert sheet.freeze_panes == "A2"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDE"}
    # Chinese characters are two columns wide: "项目名称 Project" is 4 × 2 + 8 = 16.
    assert widths["A"] >= 16
    assert widths["B"] >= len("1,234,567.89")
    assert all(8 <= width <= 60 for width in widths.values()), widths


def test_xlsx_bounds_the_width_of_a_very_long_text():
    sheet = workbook(["名称"], [["很长" * 200]], formats=None).active

    assert sheet.column_dimensions["A"].width == 60


def test_xlsx_of_many_rows_keeps_every_row_in_order():
    rows = ([f"P{n}", Decimal(n)] for n in range(3000))

    sheet = workbook(["code", "amount"], rows, formats=[None, AMOUNT_FORMAT]).active

    values = [row for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(values) == 3000
    assert values[0] == ("P0", 0) and values[-1] == ("P2999", 2999)
