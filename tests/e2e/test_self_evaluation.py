"""The whole path of a self-evaluation in a real browser (SPEC §12.1, §12.3): the unit fills the national
form, fixes what the page asks for and submits it; the head forwards it from their to-do list; the
officer approves it from theirs; the leaderboard's figures are computed again."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import override_settings

from performance.models import Evaluation, RecomputeRun
from performance.services import recompute_all
from tests.e2e.support import log_in
from tests.factories import (
    BudgetUnitFactory,
    FiscalYearFactory,
    IndicatorFactory,
    PaymentFactory,
    ProjectFactory,
    make_head,
    make_officer,
    make_unit_filler,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def project(department_a):
    with override_settings(RECOMPUTE_ON_CHANGE=False):
        FiscalYearFactory(year=2021, is_current=True, data_as_of=datetime.date(2021, 10, 31))
        unit = BudgetUnitFactory(department=department_a, code="A01-01", name="区第一中学")
        project = ProjectFactory(
            unit=unit, fiscal_year_id=2021, code="PA01", name="学生资助", budget=Decimal("1000000")
        )
        PaymentFactory(project=project, paid_on=datetime.date(2021, 6, 1), amount=Decimal("900000"))
        IndicatorFactory(
            project=project, name="资助学生人数", target_value=Decimal("100"), weight=Decimal("90")
        )
        make_unit_filler(unit, "unit")
        make_head(department_a, "head")
        make_officer("officer")
    recompute_all(year=2021, as_of=datetime.date(2021, 10, 31))
    # The first figures were computed long ago, so that the page shows the new time once recomputed.
    RecomputeRun.objects.update(finished_at=datetime.datetime(2021, 11, 1, 8, 0, tzinfo=datetime.UTC))
    return project


def _as(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, live_server, username)


def test_unit_fills_and_submits_head_forwards_officer_approves(page, live_server, project, screenshot_dir):
    _as(page, live_server, "unit")
    page.click("nav >> text=本单位项目")
    page.click("text=学生资助")
    page.click(".cycle-links >> text=单位自评表")
    page.fill("#id_achieved", "全年资助学生 95 人。")
    page.fill("input[aria-label^='实际完成值']", "95")
    page.press("input[aria-label^='实际完成值']", "Enter")  # Enter saves the draft, never submits
    page.wait_for_load_state("networkidle")
    assert "已保存。下方得分" in page.locator(".messages").inner_text()  # no submission tried
    assert "未提交" not in page.locator(".messages").inner_text()
    assert "94.50" in page.locator(".national-form tfoot").inner_text()  # 9.00 + 90 × 0.95 = 9.00 + 85.50
    page.click("button:has-text('保存并提交主管部门')")
    page.wait_for_load_state("networkidle")
    assert "资助学生人数" in page.locator(".messages").inner_text()  # saved, but the reason is missing
    assert "草稿" in page.locator(".state-line").inner_text()
    page.fill("textarea[aria-label^='偏差原因分析及改进措施']", "5 名学生转学，名额已调剂。")
    page.click("button:has-text('保存并提交主管部门')")
    page.wait_for_load_state("networkidle")
    assert "已提交主管部门" in page.locator(".state-line").inner_text()
    page.screenshot(path=str(screenshot_dir / "self-evaluation-submitted.png"), full_page=True)

    _as(page, live_server, "head")
    page.click("nav >> text=待办")
    page.click("#todo-self_evaluations button:has-text('审核报送')")
    page.wait_for_load_state("networkidle")
    assert "已完成" in page.locator(".messages").inner_text()

    _as(page, live_server, "officer")
    page.click("nav >> text=排行榜")
    before = page.locator("#freshness").inner_text()
    page.click("nav >> text=待办")
    page.click("#todo-self_evaluations button:has-text('审核通过')")
    page.wait_for_load_state("networkidle")
    page.click("nav >> text=排行榜")
    after = page.locator("#freshness").inner_text()

    assert after != before
    evaluation = Evaluation.objects.get(project=project, kind="self")
    assert (evaluation.status, evaluation.total) == ("finalised", Decimal("94.50"))
    assert "94.50" in page.content()  # the department's score in the leaderboard
