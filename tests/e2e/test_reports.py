"""The bureau's brief and the whole-dashboard workbook as an officer gets them in a real browser
(SPEC §15): the menu's brief link, its Word download, the workbook link above the overview, each
file opened as Word and Excel would read it."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.test import override_settings
from docx import Document

from tests.district import build_district
from tests.e2e.support import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def computed(department_a, department_b):
    with override_settings(RECOMPUTE_ON_CHANGE=False):
        district = build_district(department_a, department_b)
    district.recompute()
    return district


def downloaded(page, selector: str) -> bytes:
    with page.expect_download() as info:
        page.click(selector)
    with open(info.value.path(), "rb") as file:
        return file.read()


def test_officer_opens_the_brief_from_the_menu_and_downloads_it_and_the_workbook(
    page, live_server, computed, officer, outside_requests
):
    log_in(page, live_server, "officer")

    page.click("nav >> text=工作简报")
    page.wait_for_load_state("networkidle")
    assert page.url.startswith(f"{live_server.url}/reports/brief/")
    body = page.inner_text("article.brief")
    assert "2021年预算绩效管理工作情况" in body
    assert "截至10月，全区民生支出1.05亿元，同比增长25%，占一般公共预算支出的比重达92.1%。" in body

    document = Document(io.BytesIO(downloaded(page, "a.brief-docx")))
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    assert paragraphs[0] == "2021年预算绩效管理工作情况"
    assert any(text.startswith("截至10月，全区民生支出1.05亿元") for text in paragraphs)
    assert len(document.tables) == 2  # the leaderboard and the warnings by department

    workbook = openpyxl.load_workbook(io.BytesIO(downloaded(page, "a.dashboard-workbook")))
    assert workbook.sheetnames[:3] == ["总览", "功能分类", "排行榜"]
    assert workbook.sheetnames[-1] == "整改事项"
    assert workbook["排行榜"]["B1"].value == 2021

    # Another year asks for that year's latest run, not the date chosen for 2021.
    page.select_option("#brief-year", "2020")
    page.click("form.brief-choice button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "2020年度尚无数据" in page.inner_text("main")

    page.goto(f"{live_server.url}/leaderboard/")
    workbook = openpyxl.load_workbook(io.BytesIO(downloaded(page, "a.dashboard-workbook")))
    assert "直达资金" in workbook.sheetnames
    assert outside_requests == []
