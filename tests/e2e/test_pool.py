"""The project pool in the browser (SPEC §12.4): a unit proposes a project from the menu, an officer finds
it in the pool."""

from __future__ import annotations

import pytest

from finance.models import BudgetUnit
from tests.e2e.support import log_in
from tests.factories import make_unit_filler

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_unit_proposes_a_project_and_the_officer_finds_it_in_the_pool(
    page, live_server, small_district, department_a, officer, outside_requests
):
    make_unit_filler(BudgetUnit.objects.get(department=department_a), "unit")

    log_in(page, live_server, "unit")
    page.click("nav >> text=项目储备")
    page.click("main >> text=申报2022年储备项目")
    page.fill("#id_name", "智慧课堂建设")
    page.select_option("#id_function_class", index=1)
    page.select_option("#id_fund_source", index=1)
    page.select_option("#id_category", "livelihood")
    page.fill("#id_requested_amount", "2500000")
    page.fill("#id_goal", "建成智慧教室20间。")
    page.click("main button.primary")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/projects/2022/CB20220001/")
    assert "储备（项目库）" in page.locator("main").inner_text()
    page.click("text=退出")
    page.wait_for_load_state("networkidle")

    log_in(page, live_server, "officer")
    page.click("nav >> text=项目储备")
    page.wait_for_load_state("networkidle")
    row = page.locator("tr", has_text="CB20220001").inner_text()
    assert "智慧课堂建设" in row and "250.00" in row and "无事前评估" in row
    assert page.locator("tr", has_text="CB20220001").locator("a", has_text="开展事前评估").count() == 1
    assert outside_requests == []
