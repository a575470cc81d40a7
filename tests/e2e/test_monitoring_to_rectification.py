"""Issue 19's whole path in a real browser (SPEC §14): `unit` reports a monitoring round with one shortfall,
`head` forwards it, `officer` approves it; the recompute that follows finds a double deviation (expected
completion 66.7 % and spending 28 points behind time at 31 July), which the warnings page lists first;
the officer opens a rectification item from it, `head` answers with a PDF, and `officer` closes it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from performance.models import ItemState, RectificationItem
from tests.e2e.monitoring_support import report_in_a_round
from tests.e2e.support import log_in
from tests.performance.rectification.conftest import PDF

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def report(department_a, settings, tmp_path):
    """PA01 in a round as of 31 July 2021: 300,000 of 1,000,000 paid by then (30.0 % against 58.08 % of
    the year gone: 28.08 points behind, past the serious threshold of 20)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return report_in_a_round(department_a, paid_by_june=Decimal("300000"))


def _as(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, live_server, username)


def test_a_reported_shortfall_becomes_a_double_deviation_and_an_item_closed(
    page, live_server, report, tmp_path, screenshot_dir
):
    _as(page, live_server, "unit")
    page.click("nav >> text=待办")
    page.click("#todo-monitoring >> text=学生资助 (PA01)")
    page.fill("input[aria-label^='累计完成值']", "30")
    page.fill("input[aria-label^='全年预计完成值']", "50")  # 50 of ≥ 100: 60 × 0.5 + 30 × 1 = 60 of 90
    page.fill("input[aria-label^='预计完成程度']", "1")
    page.select_option("select[aria-label^='偏差原因']", "implementation")
    page.fill("textarea[aria-label^='原因说明']", "受疫情影响，资助对象核定推迟。")
    page.fill("textarea[aria-label^='纠偏措施']", "9 月底前完成核定并集中发放。")
    page.click("button:has-text('保存并提交主管部门')")
    page.wait_for_load_state("networkidle")
    assert "已提交主管部门" in page.locator(".state-line").inner_text()

    _as(page, live_server, "head")
    page.click("nav >> text=待办")
    page.click("#todo-monitoring button:has-text('审核报送')")
    page.wait_for_load_state("networkidle")

    _as(page, live_server, "officer")
    page.click("nav >> text=待办")
    page.click("#todo-monitoring button:has-text('审核通过')")
    page.wait_for_load_state("networkidle")
    report.refresh_from_db()
    assert report.state == "approved"

    # The approval's recompute (eager here) finds the double deviation: first on the warnings page.
    page.click("nav >> text=预警")
    page.wait_for_load_state("networkidle")
    double = page.locator("table").first
    assert "学生资助" in double.inner_text() and "66.7%" in double.inner_text()
    page.screenshot(path=str(screenshot_dir / "double-deviation.png"), full_page=True)
    double.locator("tr", has_text="PA01").locator("a.open-item").click()
    page.wait_for_load_state("networkidle")
    page.fill("textarea[name=requirement]", "说明偏差原因，报送纠偏计划。")
    page.click(".rectification-new button.primary")
    page.wait_for_load_state("networkidle")
    item = RectificationItem.objects.get()
    assert (item.source, item.project_id, item.monitoring_round_id) == (
        "double_deviation",
        report.project_id,
        report.round_id,
    )

    _as(page, live_server, "head")
    page.goto(f"{live_server.url}/rectification/{item.pk}/")
    evidence = tmp_path / "纠偏计划.pdf"
    evidence.write_bytes(PDF)
    page.fill("textarea[name=measures]", "已报送纠偏计划，9 月底前完成发放。")
    page.set_input_files("input[name=files]", str(evidence))
    page.click(".rectification-answer button.primary")
    page.wait_for_load_state("networkidle")
    assert page.locator("#item-state").inner_text() == "已答复待验收"

    _as(page, live_server, "officer")
    page.goto(f"{live_server.url}/rectification/{item.pk}/")
    page.click("button[name=action][value=close]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#item-state").inner_text() == "已销号"
    item.refresh_from_db()
    assert item.state == ItemState.CLOSED
