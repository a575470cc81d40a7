"""The export links above every table, clicked in a real browser by each role (SPEC §6, §7): each
downloads a file, not the page, with the table's rows — every row its filters let through, not one
page — as CSV with a UTF-8 byte-order mark and as an XLSX that openpyxl opens.

The district is the page tests' (tests/district.py) with 26 more projects of A01, so that the
projects lists run to two pages; four of them are named like formulas.
"""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest
from django.test import override_settings

from finance.importing.cells import unescape_formula
from tests.district import add_a01_projects, build_district
from tests.e2e.support import log_in
from tests.factories import propose_adjustments

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NAMES = {**{f"PA{n}": f"课后服务{n}" for n in range(10, 32)}, "PA90": "=cmd()", "PA91": "-1", "PA92": "@x"}
NAMES["PA93"] = "+1"

OFFICER_PAGES = [
    "/projects/",
    "/progress/",
    "/evaluations/",
    "/adjustments/",
    "/leaderboard/",
    "/departments/A01/",
    "/direct-funds/",
]
#: A head has no direct-funds page (404), and sees only A01's rows on the others.
HEAD_PAGES = [url for url in OFFICER_PAGES if url != "/direct-funds/"]


@pytest.fixture
def crowded(department_a, department_b):
    """The page tests' district with 26 more A01 projects, recomputed, with next year's proposals."""
    with override_settings(RECOMPUTE_ON_CHANGE=False):
        district = build_district(department_a, department_b)
        add_a01_projects(district, NAMES)
    district.recompute()
    propose_adjustments(2021)
    return district


def cell_text(cell) -> str:
    """A downloaded cell as the page shows its first column: whole numbers without ".0", text without
    the quote that keeps a spreadsheet from running it."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return unescape_formula(str(cell)).strip()


def read_download(download) -> list[list]:
    data = open(download.path(), "rb").read()  # noqa: PTH123, SIM115 - playwright hands over a path
    if download.suggested_filename.endswith(".csv"):
        assert data.startswith(b"\xef\xbb\xbf"), "the CSV has no UTF-8 byte-order mark"
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert data.startswith(b"PK"), "the XLSX is not a zip file"
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.freeze_panes == "A2"
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def check_exports_of_the_page(page, url: str) -> list[str]:
    """Click every export link of every table on the page; each file holds the table's rows.

    Returns what was downloaded, as "url format rows", for the failure message of the caller."""
    seen = []
    blocks = page.locator(".table-block:has(.exports)")
    assert blocks.count() >= 1, f"{url}: no table with export links"
    for index in range(blocks.count()):
        block = blocks.nth(index)
        counter = block.locator(".table-bar .muted").inner_text()
        total = int(re.sub(r"[^\d]", "", counter))  # "共 31 行" / "31 rows"
        headers = [text.strip() for text in block.locator("thead th").all_inner_texts()]
        rows = [
            [text.strip() for text in row.locator("td").all_inner_texts()]
            for row in block.locator("tbody tr").all()
        ]
        links = block.locator(".exports a")
        assert links.all_inner_texts() == ["CSV", "XLSX"], url
        for link_index in range(links.count()):
            link = links.nth(link_index)
            fmt = link.inner_text().lower()
            with page.expect_download() as info:
                link.click()
            download = info.value
            assert download.suggested_filename.endswith(f".{fmt}"), (url, download.suggested_filename)
            table = read_download(download)
            assert len(table) - 1 == total, (url, fmt, len(table) - 1, total)
            # The first column the page and the file share by name whose cells the page shows as they
            # are (a selection box has no name; a rank shown "1 / 2" is exported as the number 1).
            column = next(
                name
                for index, name in enumerate(headers)
                if name
                and name in table[0]
                and not any(" / " in row[index] for row in rows if index < len(row))
            )
            on_page = [row[headers.index(column)] for row in rows]
            exported = [cell_text(row[table[0].index(column)]) for row in table[1 : len(rows) + 1]]
            assert exported == on_page, (url, fmt, column)
            seen.append(f"{url} {fmt} {total}")
        assert page.url.endswith(url), "clicking an export link left the page"
    return seen


@pytest.mark.parametrize(("persona", "pages"), [("officer", OFFICER_PAGES), ("admin", OFFICER_PAGES)])
def test_officer_and_admin_download_every_tables_rows_from_its_export_links(
    page, live_server, crowded, request, persona, pages
):
    request.getfixturevalue(persona)
    log_in(page, live_server, persona)
    downloaded = []
    for url in pages:
        page.goto(live_server.url + url)
        downloaded += check_exports_of_the_page(page, url)

    # 31 projects of 2021 on two pages of 25; the exports hold all 31.
    assert "/projects/ csv 31" in downloaded and "/projects/ xlsx 31" in downloaded
    assert "/direct-funds/ xlsx 2" in downloaded


def test_head_downloads_only_their_departments_rows_from_the_export_links(page, live_server, crowded, head):
    log_in(page, live_server, "head")
    downloaded = []
    for url in HEAD_PAGES:
        page.goto(live_server.url + url)
        downloaded += check_exports_of_the_page(page, url)

    assert "/projects/ csv 28" in downloaded  # A01's PA01, PA02 and the 26 added
    assert "/departments/A01/ xlsx 28" in downloaded


def test_the_export_links_keep_the_pages_filter(page, live_server, crowded, officer):
    log_in(page, live_server, "officer")
    page.goto(f"{live_server.url}/projects/")
    page.fill("input[name=q]", "课后")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state("networkidle")

    with page.expect_download() as info:
        page.click(".exports >> text=XLSX")
    table = read_download(info.value)

    after_school = sorted(code for code, name in NAMES.items() if "课后" in name)
    assert sorted(row[0] for row in table[1:]) == after_school  # 22 of the 31
