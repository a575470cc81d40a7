"""The whole path of a monitoring report in a real browser (SPEC §12.1, §14.1): the unit opens it from
its to-do list, enters the values with one shortfall, is told the cause and the measure are missing,
gives them and submits; the head forwards it from their to-do list; the officer approves it from theirs."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.e2e.monitoring_support import report_in_a_round
from tests.e2e.support import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def report(department_a):
    """PA01 in a round as of 31 July 2021: 400,000 of 1,000,000 paid by then."""
    return report_in_a_round(department_a, paid_by_june=Decimal("400000"))


def _as(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, live_server, username)


def test_unit_reports_a_shortfall_head_forwards_officer_approves(page, live_server, report, screenshot_dir):
    _as(page, live_server, "unit")
    page.click("nav >> text=待办")
    page.click("#todo-monitoring >> text=学生资助 (PA01)")
    assert "40.0%" in page.locator(".monitoring-spending").inner_text()  # 400,000 of 1,000,000, from payments
    page.fill("input[aria-label^='累计完成值']", "50")
    page.fill("input[aria-label^='全年预计完成值']", "90")  # ≥ 100: short
    page.fill("input[aria-label^='预计完成程度']", "1")
    page.press("input[aria-label^='预计完成程度']", "Enter")  # Enter saves the draft, never submits
    page.wait_for_load_state("networkidle")
    assert "已保存。提交前还需" in page.locator(".messages").inner_text()  # saved, no submission tried
    assert "未提交" not in page.locator(".messages").inner_text()
    assert page.locator("input[aria-label^='全年预计完成值']").input_value() == "90"
    page.click("button:has-text('保存并提交主管部门')")
    page.wait_for_load_state("networkidle")
    message = page.locator(".messages").inner_text()
    assert "资助学生人数" in message and "家长满意度" not in message
    assert "草稿" in page.locator(".state-line").inner_text()
    assert page.locator("tr.needs-reason").count() == 1
    page.select_option("select[aria-label^='偏差原因']", "funding")
    page.fill("textarea[aria-label^='原因说明']", "下半年资金到位后集中发放。")
    page.fill("textarea[aria-label^='纠偏措施']", "加快资金拨付，10 月底前完成发放。")
    page.click("button:has-text('保存并提交主管部门')")
    page.wait_for_load_state("networkidle")
    assert "已提交主管部门" in page.locator(".state-line").inner_text()
    page.screenshot(path=str(screenshot_dir / "monitoring-submitted.png"), full_page=True)

    _as(page, live_server, "head")
    page.click("nav >> text=待办")
    page.click("#todo-monitoring button:has-text('审核报送')")
    page.wait_for_load_state("networkidle")
    assert "已完成" in page.locator(".messages").inner_text()

    _as(page, live_server, "officer")
    page.click("nav >> text=待办")
    page.click("#todo-monitoring button:has-text('审核通过')")
    page.wait_for_load_state("networkidle")
    assert "已完成" in page.locator(".messages").inner_text()

    report.refresh_from_db()
    assert report.state == "approved"
    line = report.lines.get(name="资助学生人数")
    assert (line.expected_value, line.cause, line.measure) == (
        Decimal("90"),
        "funding",
        "加快资金拨付，10 月底前完成发放。",
    )
    page.click("nav >> text=运行监控")
    assert "区教育体育局" in page.locator("table").last.inner_text()
