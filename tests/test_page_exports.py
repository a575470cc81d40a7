"""SPEC §6, §7: every list exports its filtered, visible rows (all of them, not one page) as CSV with a
UTF-8 byte-order mark and as XLSX, with no cell that a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal, InvalidOperation
from html import unescape

import openpyxl
import pytest

from finance.importing.cells import FORMULA_STARTS, unescape_formula
from tests.district import add_a01_projects
from tests.factories import propose_adjustments
from tests.reading import download, get, rows

pytestmark = pytest.mark.django_db

#: Project names a spreadsheet would take for formulas.
FORMULA_NAMES = {"PA90": "=cmd()", "PA91": "+1", "PA92": "-1", "PA93": "@x"}
#: 22 ordinary projects and the 4 above make 26 more in A01: 28 for its head, 31 in all (one page is 25).
ORDINARY = {f"PA{n}": f"课后服务{n}" for n in range(10, 32)}


@pytest.fixture
def crowded(district):
    """The district with 26 more A01 projects (1,000 万元 each, nothing spent, self-evaluated 85 良)."""
    add_a01_projects(district, {**ORDINARY, **FORMULA_NAMES})
    district.recompute()
    propose_adjustments(2021)
    return district


def read_csv(response) -> list[list[str]]:
    data = download(response)
    assert data.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte-order mark"
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def read_xlsx(response) -> list[list]:
    workbook = openpyxl.load_workbook(io.BytesIO(download(response)))
    sheet = workbook.active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def export(client, user, url: str, fmt: str, **params):
    return get(client, user, url, export=fmt, **params)


#: A figure in a CSV: a plain number, a ratio as a percentage ("81.6%", which a spreadsheet reads as 0.816).
NUMBER_TEXT = re.compile(r"-?\d+(\.\d+)?%?")


def same_value(cell) -> str:
    """A cell as comparable text: numbers by value, text with its formula escape removed."""
    if cell is None:
        return ""
    if isinstance(cell, int | float | Decimal):
        return str(Decimal(str(cell)).normalize())
    text = unescape_formula(str(cell))
    if NUMBER_TEXT.fullmatch(text) and text.endswith("%"):
        return str((Decimal(text[:-1]) / 100).normalize())
    try:
        return str(Decimal(text).normalize())
    except InvalidOperation:
        return text


def assert_no_formula(table: list[list]) -> None:
    """No text cell starts like a formula; a negative figure is a number, not text to escape."""
    for row in table:
        for cell in row:
            is_text = isinstance(cell, str) and not NUMBER_TEXT.fullmatch(cell)
            assert not (is_text and cell.startswith(FORMULA_STARTS)), cell


def column(table: list[list], index: int) -> list:
    return [row[index] for row in table[1:]]


LISTS = ["/projects/", "/progress/", "/evaluations/", "/adjustments/", "/departments/A01/"]


@pytest.mark.parametrize(
    ("url", "officer_rows", "head_rows"),
    [
        ("/projects/", 31, 28),  # 5 + 26; A01: 2 + 26
        ("/progress/", 29, 27),  # 3 + 26 zero-spending; A01: PA02 + 26
        ("/evaluations/", 31, 28),
        ("/adjustments/", 31, 28),
        ("/departments/A01/", 28, 28),
        ("/leaderboard/", 3, 3),  # every department's rank is shared
    ],
)
def test_csv_export_holds_every_visible_row_not_one_page(
    client, crowded, officer, head, url, officer_rows, head_rows
):
    assert len(read_csv(export(client, officer, url, "csv"))) == 1 + officer_rows
    assert len(read_csv(export(client, head, url, "csv"))) == 1 + head_rows


def test_heads_project_export_holds_exactly_their_departments_projects(client, crowded, head):
    table = read_csv(export(client, head, "/projects/", "csv"))

    assert column(table, 0) == sorted(["PA01", "PA02", *ORDINARY, *FORMULA_NAMES])
    assert set(column(table, 2)) == {"区教育体育局"}


def test_the_page_itself_shows_one_page_of_the_same_rows(client, crowded, head):
    page = rows(get(client, head, "/projects/"))
    exported = read_csv(export(client, head, "/projects/", "csv"))

    assert len(page) == 25
    assert [cells[0] for cells in page] == column(exported, 0)[:25]


@pytest.mark.parametrize("url", LISTS)
def test_head_exports_hold_none_of_another_departments_rows(client, crowded, head, url):
    for table in (read_csv(export(client, head, url, "csv")), read_xlsx(export(client, head, url, "xlsx"))):
        cells = {same_value(cell) for row in table[1:] for cell in row}
        for other in ("PB01", "PB02", "PC01", "医疗设备", "公共卫生服务", "政务信息化", "区卫生健康委员会"):
            assert not any(other in cell for cell in cells), (url, other)
        assert any("校舍维修" in cell for cell in cells)  # A01's own PA02 is in every list


def test_head_gets_404_on_exports_of_another_departments_page_and_of_direct_funds(client, crowded, head):
    for fmt in ("csv", "xlsx"):
        assert export(client, head, "/departments/B02/", fmt).status_code == 404
        assert export(client, head, "/direct-funds/", fmt).status_code == 404


def test_exported_project_figures_are_in_wan_yuan_and_percent(client, crowded, officer):
    table = read_csv(export(client, officer, "/projects/", "csv"))
    by_code = {row[0]: row for row in table[1:]}

    # Code, name, department, unit, budget (万元), spent (万元), progress (%), gap (pp), warning.
    assert by_code["PA01"][:8] == [
        "PA01",
        "学生资助",
        "区教育体育局",
        "区第一中学",
        "12000.00",
        "9600.00",
        "80.0%",
        "-3.3",
    ]
    assert by_code["PC01"][4:8] == ["1000.00", "900.00", "90.0%", "6.7"]


def test_export_holds_only_the_filtered_rows(client, crowded, officer):
    table = read_csv(export(client, officer, "/projects/", "csv", q="课后"))

    assert column(table, 0) == sorted(ORDINARY)


def test_export_of_a_filtered_department_and_warning_level(client, crowded, officer):
    table = read_csv(
        export(client, officer, "/projects/", "csv", department=crowded.b.code, warning_level="serious")
    )

    assert column(table, 0) == ["PB02"]  # −83.3 pp; PB01 is only "attention"


def test_export_follows_the_tables_sort_order(client, crowded, officer):
    table = read_csv(export(client, officer, "/projects/", "csv", sort="-budget"))

    assert column(table, 0)[:3] == ["PA01", "PB01", "PA02"]  # 12,000, 5,000 and 3,000 万元


def test_export_of_another_year(client, crowded, officer):
    table = read_csv(export(client, officer, "/projects/", "csv", year="2020"))

    assert column(table, 0) == ["PA01", "PB01"]
    assert column(table, 4) == ["10000.00", "4000.00"]


@pytest.mark.parametrize("url", ["/projects/", "/evaluations/", "/adjustments/", "/departments/A01/"])
def test_formula_like_names_are_escaped_in_csv_and_xlsx(client, crowded, officer, url):
    csv_table = read_csv(export(client, officer, url, "csv"))
    xlsx_table = read_xlsx(export(client, officer, url, "xlsx"))

    for table in (csv_table, xlsx_table):
        assert_no_formula(table)
        cells = [cell for row in table for cell in row if isinstance(cell, str)]
        for name in FORMULA_NAMES.values():
            # The name alone in its cell gets a leading quote; after a code ("PA90 =cmd()") it is harmless.
            assert "'" + name in cells or any(cell.endswith(" " + name) for cell in cells), (url, name)
            assert name not in cells


def test_xlsx_cells_are_text_not_formulas(client, crowded, officer):
    workbook = openpyxl.load_workbook(io.BytesIO(download(export(client, officer, "/projects/", "xlsx"))))

    for row in workbook.active.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.value


@pytest.mark.parametrize(
    "url",
    [
        "/projects/",
        "/progress/",
        "/evaluations/",
        "/adjustments/",
        "/leaderboard/",
        "/direct-funds/",
        "/departments/A01/",
    ],
)
def test_xlsx_reopens_with_the_same_rows_as_the_csv(client, crowded, officer, url):
    csv_table = read_csv(export(client, officer, url, "csv"))
    xlsx_table = read_xlsx(export(client, officer, url, "xlsx"))

    assert len(xlsx_table) == len(csv_table)
    assert [[same_value(cell) for cell in row] for row in xlsx_table] == [
        [same_value(cell) for cell in row] for row in csv_table
    ]


def test_direct_funds_export_has_both_grants_in_wan_yuan(client, crowded, officer):
    table = read_csv(export(client, officer, "/direct-funds/", "csv"))

    assert table[1:] == [
        ["ZD0001", "义务教育直达资金", "15000.00", "12000.00", "80.0%", "9600.00", "64.0%"],
        ["ZD0002", "公共卫生直达资金", "5000.00", "5000.00", "100.0%", "3500.00", "70.0%"],
    ]


def test_leaderboard_export_keeps_the_page_order_with_signed_increments(client, crowded, officer):
    table = read_csv(export(client, officer, "/leaderboard/", "csv"))

    # The 26 new A01 projects (85 each, 26,000 万元) lower A01: (88.60 × 15,000 + 85 × 26,000) / 41,000
    # = (1,329,000 + 2,210,000) / 41,000 = 86.32; Δ = 86.32 − 80 = +6.32.
    # Columns as on the page: rank by change, rank by score, department, Δ, C, last year's C.
    assert [row[2:6] for row in table[1:]] == [
        ["区教育体育局", "6.32", "86.32", "80.00"],
        ["区卫生健康委员会", "-13.57", "76.43", "90.00"],
        ["区政务服务数据管理局", "", "70.00", ""],
    ]


def test_an_unknown_export_format_shows_the_page(client, crowded, officer):
    response = get(client, officer, "/projects/", export="pdf")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def export_links(response) -> dict[str, str]:
    """The export links above the page's tables, by their text (CSV, XLSX), as the page gives them."""
    html = response.content.decode()
    block = re.search(r'<span class="exports">(.*?)</span>', html, flags=re.S)
    assert block, "no export links on the page"
    return {text: unescape(href) for href, text in re.findall(r'<a href="([^"]*)"[^>]*>(\w+)</a>', block[1])}


@pytest.mark.parametrize(
    "url",
    ["/projects/", "/progress/", "/evaluations/", "/adjustments/", "/leaderboard/", "/departments/A01/"],
)
@pytest.mark.parametrize("persona", ["officer", "head"])
def test_the_export_links_on_the_page_download_the_tables_rows(client, crowded, request, persona, url):
    user = request.getfixturevalue(persona)
    page = get(client, user, url, q="课后") if url == "/projects/" else get(client, user, url)
    links = export_links(page)

    assert set(links) == {"CSV", "XLSX"}
    for fmt, href in links.items():
        client.force_login(user)
        response = client.get(url + href if href.startswith("?") else href)
        assert "attachment" in response["Content-Disposition"], (url, fmt, href)
        table = read_csv(response) if fmt == "CSV" else read_xlsx(response)
        if url == "/projects/":
            assert column(table, 0) == sorted(ORDINARY)  # the page's filter holds in its export
        assert len(table) > 1


def test_the_export_links_on_direct_funds_download_both_grants(client, crowded, officer):
    for fmt, href in export_links(get(client, officer, "/direct-funds/")).items():
        response = client.get("/direct-funds/" + href)
        table = read_csv(response) if fmt == "CSV" else read_xlsx(response)
        assert [row[0] for row in table[1:3]] == ["ZD0001", "ZD0002"]


def test_xlsx_figures_are_numbers_in_wan_yuan_and_percent_formats(client, crowded, officer):
    data = download(export(client, officer, "/projects/", "xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    pa01 = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "PA01")
    budget, spent, progress, gap = pa01[4:8]

    assert (budget.value, budget.number_format) == (12000, "#,##0.00")  # 120,000,000 元
    assert (spent.value, spent.number_format) == (9600, "#,##0.00")
    assert (progress.value, progress.number_format) == (pytest.approx(0.8), "0.0%")  # 9,600 ÷ 12,000
    assert gap.value == pytest.approx(-3.3)  # 80.0 − 83.29, a number, not the text "'-3.3"
    assert gap.number_format == "+0.0;-0.0;0.0"
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width >= 10  # "课后服务10" is 5 Chinese characters


def test_csv_keeps_a_negative_increment_a_number_and_a_ratio_a_percentage(client, crowded, officer):
    table = read_csv(export(client, officer, "/leaderboard/", "csv"))
    head = table[0]
    b02 = next(row for row in table[1:] if row[head.index("部门")] == "区卫生健康委员会")

    assert b02[head.index("比上年增减（Δ）")] == "-13.57"  # 76.43 − 90.00: Excel reads it as a number
    assert b02[head.index("评价覆盖率")] == "100.0%"  # coverage: every project of B02 is evaluated


# -- the unit filler: exactly their unit's rows ---------------------------------------------------------


def test_unit_fillers_project_export_holds_exactly_their_units_projects(client, crowded, unit_filler, head):
    own = sorted(["PA01", "PA02", *ORDINARY, *FORMULA_NAMES])  # A01-01's, not A01-02's PA09
    for fmt, read in (("csv", read_csv), ("xlsx", read_xlsx)):
        table = read(export(client, unit_filler, "/projects/", fmt))
        assert column(table, 0) == own
        assert {unescape_formula(str(cell)) for cell in column(table, 3)} == {"区第一中学"}
    assert "PA09" in column(read_csv(export(client, head, "/projects/", "csv")), 0)


def test_unit_fillers_evaluations_export_holds_only_their_units_projects(client, crowded, unit_filler):
    table = read_csv(export(client, unit_filler, "/evaluations/", "csv"))

    assert len(table) == 1 + 28  # PA01, PA02 and the 26 added, each self-evaluated
    cells = " ".join(cell for row in table[1:] for cell in row)
    assert "PA02" in cells and not any(other in cells for other in ("PA09", "PB01", "PC01", "教师培训"))


@pytest.mark.parametrize("kind", ["projects", "payments", "evaluations"])  # the district has no indicators
def test_unit_fillers_files_hold_only_their_units_rows(client, crowded, unit_filler, kind):
    for fmt, read in (("csv", read_csv), ("xlsx", read_xlsx)):
        table = read(get(client, unit_filler, f"/export/{kind}.{fmt}"))
        cells = {same_value(cell) for row in table[1:] for cell in row}
        assert any(own in cell for cell in cells for own in ("PA01", "PA02")), (kind, fmt)
        for other in ("PA09", "PB01", "PB02", "PC01", "区第二中学", "区人民医院"):
            assert not any(other in cell for cell in cells), (kind, fmt, other)
