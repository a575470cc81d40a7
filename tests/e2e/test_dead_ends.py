"""No dead ends (issue 14, item 8): a head finds the export page in the menu and downloads their own
department's file from it; a page that does not exist is the app's own, with a way back that works."""

from __future__ import annotations

import csv
import io

import pytest

from tests.e2e.support import log_in_from_the_start as log_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("small_district"),
]


def test_a_head_opens_export_from_the_menu_and_downloads_their_departments_projects(
    page,
    live_server,
    head,
    outside_requests,
):
    log_in(page, live_server, "head")

    page.click("nav >> text=导出")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/export/")
    assert page.locator("#export-department option").all_inner_texts() == ["A01 区教育体育局"]
    with page.expect_download() as download:
        page.locator("tr", has_text="预算项目").locator("a", has_text="CSV").click()
    rows = list(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8-sig").read())))

    assert len(rows) == 1 + 3  # the header and department A01's three projects
    assert not outside_requests


def test_a_missing_page_is_the_apps_own_and_its_way_back_leads_to_the_overview(
    page,
    live_server,
    officer,
):
    log_in(page, live_server, "officer")

    response = page.goto(f"{live_server.url}/departments/NO-SUCH/")

    assert response.status == 404
    assert page.locator("h1").inner_text() == "页面不存在"
    page.click("main >> text=返回总览")
    page.wait_for_load_state("networkidle")
    assert page.url == f"{live_server.url}/"
