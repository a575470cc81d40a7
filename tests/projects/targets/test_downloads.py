"""SPEC §13 downloads: the target declaration as the national 项目支出绩效目标申报表 (XLSX re-opened and its
cells checked), its A4 print view and the unit's or department's workbook; who may download which
(another unit's or department's → 404); bad addresses answered with a message; queries constant."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.factories import BudgetUnitFactory, ProjectFactory
from tests.projects.targets.conftest import PA01_INDICATORS, declare
from tests.reading import download, get, text

pytestmark = pytest.mark.django_db


def workbook(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(download(response)))


def cells(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_xlsx_is_laid_out_like_the_national_form(client, officer, school):
    sheet = workbook(get(client, officer, "/projects/2021/PA01/targets.xlsx", version="1")).active
    rows = cells(sheet)

    assert sheet.title == "PA01"
    assert rows[0][0] == "项目支出绩效目标申报表"
    assert rows[1][0] == "（2021年度）"
    assert rows[2][0] == "项目名称" and rows[2][2] == "小学生均公用经费"
    assert rows[3][2] == "区教育体育局" and rows[4][2] == "区第一中学"
    assert rows[5][0] == "项目资金（万元）" and rows[5][2] == "年度资金总额"
    assert rows[5][4] == 261  # 2,610,000 元 = 261.00 万元
    assert rows[6][2] == "其中：财政拨款" and rows[6][4] == 261
    assert rows[7][2] == "其他资金" and rows[7][4] == 0
    assert sheet["E6"].number_format == "#,##0.00"
    assert rows[8][0] == "年度总体目标" and rows[8][2].startswith("保障3,000名小学生")
    assert rows[9] == ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值", "分值"]
    assert [row[1:] for row in rows[10:15]] == [
        ["产出指标", "数量指标", "受助学生人数", "≥ 3,000 人", 30],
        [None, None, "覆盖学校数", "≥ 12 所", 20],
        [None, "时效指标", "资金拨付及时率", "≥ 100 %", 10],
        ["效益指标", "社会效益指标", "家长满意度", "≥ 90 %", 20],
        [None, "可持续影响指标", "政策知晓度", "定性", 10],
    ]
    assert rows[15][5] == 90  # 30 + 20 + 10 + 20 + 10
    assert rows[16][0] == "定额标准"
    # 3,000 人 × 870 元 = 2,610,000 元 = 261.00 万元, the budget: no deviation.
    assert rows[16][2] == "生均公用经费（小学） 870元/人 × 3,000人 = 261.00万元；预算261.00万元；偏差0.00 %"
    assert "版本 1" in rows[17][0] and "现行有效" in rows[17][0]
    merged = {str(cell_range) for cell_range in sheet.merged_cells.ranges}
    assert {"A1:F1", "A6:B8", "A10:A16", "B11:B13", "B14:B15", "C11:C12", "C3:F3"} <= merged


def test_without_a_version_the_one_under_way_downloads_else_the_one_in_force(client, officer, school):
    under_way = workbook(get(client, officer, "/projects/2021/PA01/targets.xlsx")).active
    in_force = workbook(get(client, officer, "/projects/2021/PA09/targets.xlsx")).active

    assert under_way["C9"].value.startswith("修订：")
    assert "版本 2" in cells(under_way)[-1][0] and "草稿" in cells(under_way)[-1][0]
    assert "版本 1" in cells(in_force)[-1][0]


def test_english_ui_keeps_the_chinese_labels_with_the_english_beside(client, officer, school):
    client.force_login(officer)
    client.cookies["django_language"] = "en"

    sheet = workbook(client.get("/projects/2021/PA01/targets.xlsx", {"version": "1"})).active

    assert (
        sheet["A1"].value == "项目支出绩效目标申报表 Project expenditure performance target declaration form"
    )
    assert sheet["A3"].value == "项目名称 Project name"


def test_a_goal_that_starts_like_a_formula_is_escaped(client, officer, school, department_a):
    project = ProjectFactory(unit=school["first"], fiscal_year_id=2021, code="PA03", name="=项目")
    declare(project, PA01_INDICATORS, goal='=HYPERLINK("http://x")')

    sheet = workbook(get(client, officer, "/projects/2021/PA03/targets.xlsx")).active

    assert sheet["C9"].value == '\'=HYPERLINK("http://x")'
    assert sheet["C3"].value == "'=项目"
    assert sheet["C9"].data_type == "s"


def test_the_print_view_shows_the_form_on_one_page(client, head, school):
    response = get(client, head, "/projects/2021/PA01/targets/print/", version="1")

    page = text(response)
    assert response.status_code == 200
    assert "项目支出绩效目标申报表" in page and "受助学生人数" in page and "≥ 3,000 人" in page
    assert "<nav" not in response.content.decode()


def test_the_workbook_has_a_sheet_per_project_with_targets(client, head, school):
    book = workbook(get(client, head, "/targets/workbook.xlsx", department="A01", year="2021"))

    assert book.sheetnames == ["PA01", "PA09"]  # PA02 has no targets; PB01 is B02's
    assert book["PA01"]["C9"].value.startswith("修订：")  # the working version: v2 under way


@pytest.mark.parametrize(
    ("persona", "query", "status"),
    [
        ("officer", {"department": "B02"}, 200),
        ("officer", {"unit": "A01-02"}, 200),
        ("head", {"department": "A01"}, 200),
        ("head", {"unit": "A01-02"}, 200),
        ("head", {"department": "B02"}, 404),
        ("head", {"unit": "B02-01"}, 404),
        ("other_head", {"department": "A01"}, 404),
        ("filler", {"unit": "A01-01"}, 200),
        ("filler", {"unit": "A01-02"}, 404),
        ("filler", {"department": "A01"}, 404),
        ("nobody", {"unit": "A01-01"}, 404),
        ("admin", {"department": "A01"}, 200),
        ("officer", {"unit": "<script>alert(1)</script>"}, 404),
        ("officer", {"unit": "A01-01", "year": "abc"}, 404),
        ("officer", {"unit": "A01-01", "year": "1999"}, 404),
        ("officer", {}, 400),
        ("officer", {"unit": "A01-01", "department": "A01"}, 400),
    ],
)
def test_who_may_download_which_workbook(client, request, school, filler, nobody, persona, query, status):
    user = request.getfixturevalue(persona)

    response = get(client, user, "/targets/workbook.xlsx", **query)

    assert response.status_code == status


@pytest.mark.parametrize("suffix", ["targets.xlsx", "targets/print/"])
@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("officer", "PB01", 200),
        ("admin", "PA01", 200),
        ("head", "PA09", 200),
        ("head", "PB01", 404),
        ("other_head", "PA01", 404),
        ("filler", "PA01", 200),
        ("filler", "PA09", 404),
        ("filler", "PB01", 404),
        ("nobody", "PA01", 404),
        ("officer", "PA02", 404),  # no targets declared yet
        ("officer", "NOPE", 404),
    ],
)
def test_who_may_download_and_print_which_project(
    client, request, school, filler, nobody, suffix, persona, code, status
):  # fmt: skip
    user = request.getfixturevalue(persona)

    response = get(client, user, f"/projects/2021/{code}/{suffix}")

    assert response.status_code == status


@pytest.mark.parametrize(
    ("url", "query", "status", "message"),
    [
        ("/projects/2021/PA01/targets.xlsx", {"version": "-1"}, 400, "is not a version number"),
        ("/projects/2021/PA01/targets/print/", {"version": "abc"}, 400, "is not a version number"),
        ("/projects/2021/PA01/targets.xlsx", {"version": "7"}, 404, "has no version 7"),
        ("/projects/2021/PA02/targets.xlsx", {}, 404, "has no targets declared yet"),
        ("/targets/workbook.xlsx", {"unit": "<script>", "year": "2021"}, 404, "among those you may see"),
        ("/targets/workbook.xlsx", {"unit": "A01-01", "year": "abc"}, 404, "no fiscal year"),
        ("/targets/workbook.xlsx", {"year": "2021"}, 400, "?unit="),
    ],
)
def test_bad_addresses_get_a_message_saying_what_to_change(
    client, officer, school, url, query, status, message
):
    client.force_login(officer)
    client.cookies["django_language"] = "en"

    response = client.get(url, query)

    assert response.status_code == status
    assert message in text(response)
    assert "<script>" not in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/projects/2021/PA01/targets.xlsx",
        "/projects/2021/PA01/targets/print/",
        "/targets/workbook.xlsx?unit=A01-01",
    ],
)
def test_anonymous_is_sent_to_the_login_page(client, school, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_workbook_makes_the_same_queries_for_1_and_6_projects(
    client, officer, department_a, school, django_assert_max_num_queries
):
    """9 queries whatever the count: the session, the user, the fiscal year, the user's groups, the unit,
    the declarations with their quota standards, their indicators, the projects; one more (the language
    or the roles) of slack."""
    unit = BudgetUnitFactory(department=department_a, code="A01-07", name="区第七中学")

    def measure() -> tuple[int, int]:
        client.force_login(officer)
        with django_assert_max_num_queries(9) as queries:
            response = client.get("/targets/workbook.xlsx", {"unit": "A01-07", "year": "2021"})
        return len(queries), len(workbook(response).sheetnames)

    declare(ProjectFactory(unit=unit, fiscal_year_id=2021), PA01_INDICATORS)
    few, sheets = measure()
    for _n in range(5):
        declare(ProjectFactory(unit=unit, fiscal_year_id=2021), PA01_INDICATORS)
    many, more_sheets = measure()

    assert (sheets, more_sheets) == (1, 6)
    assert many == few
