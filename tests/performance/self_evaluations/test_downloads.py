"""SPEC §12.3 downloads: a project's self-evaluation as an XLSX laid out like the national
项目支出绩效自评表, its A4 print view, and a unit's or a department's workbook with a sheet per project;
each scoped like the pages (another unit's or department's → 404)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from html.parser import HTMLParser

import pytest

from performance.exporting.self_evaluations import sheet_names
from performance.services import recompute_all
from performance.views import self_evaluation_downloads as downloads
from projects.models import Project
from tests.factories import (
    BudgetUnitFactory,
)
from tests.performance.self_evaluations.support import (
    ACHIEVED,
    GOAL,
    HOSTILE_REASON,
    REASON,
    indicator_row,
    workbook,
)
from tests.reading import get, text

pytestmark = pytest.mark.django_db


def test_the_xlsx_is_laid_out_like_the_national_form(client, officer, school):
    book = workbook(get(client, officer, "/projects/2021/PA01/self-evaluation.xlsx"))

    assert book.sheetnames == ["PA01"]
    sheet = book["PA01"]
    assert sheet["A1"].value == "项目支出绩效自评表"
    assert sheet["A2"].value == "（2021年度）"
    assert (sheet["A3"].value, sheet["C3"].value) == ("项目名称", "学生资助")
    assert (sheet["A4"].value, sheet["C4"].value) == ("主管部门", "区教育体育局")
    assert (sheet["F4"].value, sheet["H4"].value) == ("实施单位", "区第一中学")
    # The funds block, in 万元 as numbers to the cent.
    assert [sheet.cell(5, column).value for column in range(1, 9)] == [
        "项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分",
    ]  # fmt: skip
    assert sheet["B6"].value == "年度资金总额"
    assert sheet["C6"].value == sheet["D6"].value == pytest.approx(123.46)  # 1,234,567.89 元
    assert sheet["E6"].value == pytest.approx(98.77)  # 987,654.31 元
    assert sheet["C6"].number_format == "#,##0.00"
    assert sheet["F6"].value == 10
    assert sheet["G6"].value == pytest.approx(0.8)  # 987,654.31 / 1,234,567.89
    assert sheet["G6"].number_format == "0.00%"
    assert sheet["H6"].value == pytest.approx(8.0)  # 0.8 × 10 points
    # The overall goal beside what was achieved.
    goal_header = (sheet["A7"].value, sheet["B7"].value, sheet["F7"].value)
    assert goal_header == ("年度总体目标", "预期目标", "实际完成情况")
    assert (sheet["B8"].value, sheet["F8"].value) == (GOAL, ACHIEVED)
    # The indicator table.
    assert [sheet.cell(9, column).value for column in range(1, 10)] == [
        "绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
        "偏差原因分析及改进措施",
    ]  # fmt: skip
    assert indicator_row(sheet, "受助学生人数")[1:] == [
        "产出指标", "数量指标", "受助学生人数", "≥100人", "120人", 40, 40, None,
    ]  # fmt: skip
    assert indicator_row(sheet, "家长满意度")[1:] == [
        "效益指标", "社会效益指标", "家长满意度", "≥90%", "81%", 30, 27, REASON,
    ]  # fmt: skip
    # A qualitative indicator shows the unit's judgement; typed text never runs as a formula.
    assert indicator_row(sheet, "政策知晓度")[4:] == ["定性", "50%", 20, 10, "'" + HOSTILE_REASON]
    assert sheet["G10"].number_format == sheet["H10"].number_format == "0.00"
    # The total (8 + 40 + 27 + 10) and its grade.
    assert [sheet.cell(13, column).value for column in (1, 7, 8, 9)] == ["总分", 100, 85, "等级：良"]
    assert sheet["A14"].value == "执行数截至 2021-12-31 · 状态：草稿"
    merged = {str(cell_range) for cell_range in sheet.merged_cells.ranges}
    assert {"A1:I1", "A2:I2", "A3:B3", "C3:I3", "A5:A6", "H5:I5", "A7:A8", "B8:E8", "F8:I8"} <= merged
    assert {"A9:A12", "A13:F13"} <= merged  # 绩效指标 spans its header and the three indicators
    assert sheet["C3"].border.left.style == sheet["I3"].border.right.style == "thin"
    assert sheet.column_dimensions["I"].width == 32
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.page_setup.orientation == "portrait"
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage


def test_the_budget_at_the_start_of_the_year_is_the_first_one_recorded(client, officer, school):
    pa09 = Project.objects.get(fiscal_year=2021, code="PA09")
    pa09.budget = Decimal("1200000.00")  # raised from 1,000,000 during the year
    pa09.save()

    sheet = workbook(get(client, officer, "/projects/2021/PA09/self-evaluation.xlsx"))["PA09"]
    page = text(get(client, officer, "/projects/2021/PA09/self-evaluation/print/"))

    assert (sheet["C6"].value, sheet["D6"].value) == (100, 120)  # 万元
    assert "100.00 120.00" in page


def test_a_project_with_no_indicators_says_so_and_scores_its_execution_only(client, officer, school):
    sheet = workbook(get(client, officer, "/projects/2021/PA02/self-evaluation.xlsx"))["PA02"]

    assert sheet["B10"].value == "项目无绩效指标。"
    assert [sheet.cell(11, column).value for column in (1, 7, 8, 9)] == ["总分", 100, 0, "等级：差"]
    assert sheet["A14"].value is None


def test_the_xlsx_is_in_chinese_whatever_the_users_language(client, officer, school):
    client.force_login(officer)
    response = client.get("/projects/2021/PA01/self-evaluation.xlsx", HTTP_ACCEPT_LANGUAGE="en")
    sheet = workbook(response)["PA01"]

    assert sheet["A1"].value == "项目支出绩效自评表"
    assert sheet["I13"].value == "等级：良"


def test_the_print_view_is_the_form_alone_on_a4(client, filler, school):
    response = get(client, filler, "/projects/2021/PA01/self-evaluation/print/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "css/print_form.css" in html
    assert "<nav" not in html and "<button" not in html and "<form" not in html
    page = text(response)
    assert "项目支出绩效自评表" in page and "（2021年度）" in page
    shown_figures = ("123.46", "98.77", "80.00%", "8.00", "≥90%", "81%", "27.00", "85.00")
    for shown in ("学生资助", GOAL, ACHIEVED, REASON, *shown_figures):
        assert shown in page, shown
    assert "等级：良" in page


def test_the_print_stylesheet_sets_an_a4_page():
    from django.contrib.staticfiles import finders

    with open(finders.find("css/print_form.css"), encoding="utf-8") as stylesheet:
        css = stylesheet.read()
    assert "size: A4 portrait" in css


def test_a_units_workbook_has_a_sheet_per_project_in_the_budget(client, filler, school):
    book = workbook(get(client, filler, "/self-evaluations/workbook.xlsx", unit="A01-01", year="2021"))

    # PA05 is a pool proposal: it has no self-evaluation.
    assert book.sheetnames == ["PA01", "PA02"]
    assert book["PA01"]["C3"].value == "学生资助"
    assert book["PA01"]["H13"].value == 85
    assert book["PA02"]["C3"].value == "校舍维修"


def test_a_departments_workbook_holds_every_unit_and_the_latest_year_by_default(client, head, school):
    response = get(client, head, "/self-evaluations/workbook.xlsx", department="A01")

    assert "self-evaluations-2021-A01.xlsx" in response["Content-Disposition"]
    assert workbook(response).sheetnames == ["PA01", "PA02", "PA09"]


def test_a_workbook_of_another_year_holds_that_years_projects(client, officer, school):
    book = workbook(get(client, officer, "/self-evaluations/workbook.xlsx", unit="A01-01", year="2020"))

    assert book.sheetnames == ["PA01"]
    assert book["PA01"]["A2"].value == "（2020年度）"
    assert book["PA01"]["C3"].value == "学生资助（上年）"


def test_the_projects_page_links_lead_to_the_downloads(client, officer, school):
    from django.template.loader import render_to_string

    html = render_to_string("performance/_self_evaluation_downloads.html", {"project": school["pa01"]})

    assert "/projects/2021/PA01/self-evaluation.xlsx" in html
    assert "/projects/2021/PA01/self-evaluation/print/" in html
    assert "/self-evaluations/workbook.xlsx?unit=A01-01&amp;year=2021" in html


def test_a_unit_filler_finds_the_units_workbook_on_the_project_list(client, filler, school):
    response = get(client, filler, "/projects/")

    assert "/self-evaluations/workbook.xlsx?unit=A01-01&amp;year=2021" in response.content.decode()


def test_a_head_finds_the_departments_workbook_on_the_department_page(client, head, school):
    recompute_all(year=2021, as_of=datetime.date(2021, 10, 31))

    response = get(client, head, "/departments/A01/")

    assert "/self-evaluations/workbook.xlsx?department=A01&amp;year=2021" in response.content.decode()


class _Grid(HTMLParser):
    """The cells of a page's first table as rows of (rowspan, colspan)."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[tuple[int, int]]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.rows[-1].append((int(attrs.get("rowspan") or 1), int(attrs.get("colspan") or 1)))


def row_widths(html: str) -> list[int]:
    """How many columns each row of the table fills, counting the cells that rows above span into it."""
    grid = _Grid()
    grid.feed(html)
    carried: dict[int, int] = {}  # row index → columns taken by cells spanning from above
    widths = []
    for index, row in enumerate(grid.rows):
        widths.append(carried.get(index, 0) + sum(colspan for _rowspan, colspan in row))
        for rowspan, colspan in row:
            for below in range(index + 1, index + rowspan):
                carried[below] = carried.get(below, 0) + colspan
    return widths


@pytest.mark.parametrize("code", ["PA01", "PA02"])
def test_every_row_of_the_printed_form_fills_its_nine_columns(client, officer, school, code):
    response = get(client, officer, f"/projects/2021/{code}/self-evaluation/print/")

    widths = row_widths(response.content.decode())
    assert widths == [9] * len(widths)
    # 7 rows of heading, funds and goal; the indicators (or the row saying there are none); the total
    assert len(widths) == (11 if code == "PA01" else 9)


def test_sheet_names_are_excels_unique_and_at_most_31_characters():
    long_code = "P" * 30 + "X"

    names = sheet_names(["A/B", "a:b", "PA01", "pa01", long_code + "1", long_code + "2", "[]"])

    assert names == ["A_B", "a_b~2", "PA01", "pa01~2", long_code, "P" * 29 + "~2", "__"]
    assert all(len(name) <= 31 for name in names)


def test_a_workbook_read_in_batches_keeps_every_sheet_in_order(client, officer, school, monkeypatch):
    monkeypatch.setattr(downloads, "SHEETS_PER_BATCH", 2)

    book = workbook(get(client, officer, "/self-evaluations/workbook.xlsx", department="A01", year="2021"))

    assert book.sheetnames == ["PA01", "PA02", "PA09"]
    assert [book[name]["C3"].value for name in book.sheetnames] == ["学生资助", "校舍维修", "食堂改造"]
    assert book["PA01"]["H13"].value == 85


def test_a_unit_with_no_projects_gets_a_workbook_that_says_so(client, officer, school, department_a):
    BudgetUnitFactory(department=department_a, code="A01-08", name="区第八中学")

    book = workbook(get(client, officer, "/self-evaluations/workbook.xlsx", unit="A01-08"))

    assert book.worksheets[0]["A1"].value == "本年度没有可下载的自评表。"


def test_the_print_view_follows_the_users_language(client, officer, school):
    client.force_login(officer)

    page = text(client.get("/projects/2021/PA01/self-evaluation/print/", HTTP_ACCEPT_LANGUAGE="en"))

    assert "Project expenditure performance self-evaluation form" in page
    assert "(Year 2021)" in page and "Grade：good" in page
