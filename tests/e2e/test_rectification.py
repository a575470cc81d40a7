"""SPEC §14.2 in a real browser: `officer` opens a rectification item from a warning, `head` answers
it with a small PDF, `officer` downloads the file and closes the item; the leaderboard's counts of
A01's open items follow."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.test import override_settings

from performance.models import ItemState, RectificationItem
from tests.district import build_district
from tests.e2e.support import log_in
from tests.performance.rectification.conftest import PDF

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def district(department_a, department_b, officer, head, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    with override_settings(RECOMPUTE_ON_CHANGE=False):
        built = build_district(department_a, department_b)
    built.recompute()
    return built


def a01_open_and_overdue(page, live_server) -> list[str]:
    """The open and overdue counts on 区教育体育局's leaderboard row."""
    page.goto(f"{live_server.url}/leaderboard/?year=2021")
    row = page.locator("table.leaderboard tbody tr", has_text="区教育体育局")
    cells = row.locator("td").all_inner_texts()
    return [cell.strip() for cell in cells[7:9]]


def switch_to(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, live_server, username)


def test_officer_opens_an_item_from_a_warning_head_answers_with_a_pdf_officer_closes_it(
    page, live_server, district, tmp_path
):
    pa02 = district.projects["PA02"]
    log_in(page, live_server, "officer")
    assert a01_open_and_overdue(page, live_server) == ["0", "0"]

    # From PA02's row on the warnings page.
    page.goto(f"{live_server.url}/progress/?year=2021")
    page.locator("table tr", has_text="PA02").locator("a.open-item").click()
    page.wait_for_load_state("networkidle")
    assert "30.0%" in page.locator("textarea[name=problem]").input_value()  # prefilled from the run
    page.fill("textarea[name=requirement]", "加快支付进度，报送支付计划。")
    page.click(".rectification-new button.primary")
    page.wait_for_load_state("networkidle")
    item = RectificationItem.objects.get()
    assert page.url.endswith(f"/rectification/{item.pk}/")
    assert page.locator("#item-source").get_attribute("href") == f"/progress/?year=2021&q={pa02.code}"
    assert a01_open_and_overdue(page, live_server) == ["1", "0"]

    # The head answers with a small PDF.
    switch_to(page, live_server, "head")
    page.goto(f"{live_server.url}/rectification/")
    page.locator("table.rectification a", has_text=str(item.pk)).first.click()
    page.wait_for_load_state("networkidle")
    evidence = tmp_path / "支付计划.pdf"
    evidence.write_bytes(PDF)
    page.fill("textarea[name=measures]", "已制定支付计划，11月底前支付完毕。")
    page.set_input_files("input[name=files]", str(evidence))
    page.click(".rectification-answer button.primary")
    page.wait_for_load_state("networkidle")
    assert page.locator("#item-state").inner_text() == "已答复待验收"
    assert page.locator(".evidence-files a").inner_text() == "支付计划.pdf"

    # The officer downloads the file and closes the item.
    switch_to(page, live_server, "officer")
    page.goto(f"{live_server.url}/rectification/{item.pk}/")
    with page.expect_download() as download:
        page.click(".evidence-files a")
    assert download.value.suggested_filename == "支付计划.pdf"
    assert open(download.value.path(), "rb").read() == PDF
    page.click("button[name=action][value=close]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#item-state").inner_text() == "已销号"
    assert page.locator(".timeline-steps li").count() == 3  # opened, answered, closed
    item.refresh_from_db()
    assert item.state == ItemState.CLOSED
    assert a01_open_and_overdue(page, live_server) == ["0", "0"]
    assert re.search(r"/rectification/\d+/", page.url) is None  # the leaderboard, last

    # The head takes the year's items home with the whole dashboard, from the items' page.
    switch_to(page, live_server, "head")
    page.goto(f"{live_server.url}/rectification/")
    with page.expect_download() as download:
        page.click("a.dashboard-workbook")
    workbook = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    sheet = workbook["整改事项"]
    head_row = [cell.value for cell in sheet[4]]
    rows = [dict(zip(head_row, row, strict=True)) for row in sheet.iter_rows(min_row=5, values_only=True)]
    assert [(row["编号"], row["状态"]) for row in rows] == [(item.pk, "已销号")]
