"""The whole path of a target declaration in a real browser (SPEC §12.1, §13): the unit declares from the
department's template, fixes the error the form shows and submits; the head forwards it from their to-do
list; the officer approves it from theirs; the page then shows the version in force."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest
from django.test import override_settings

from projects.models import Category, Indicator, IndicatorTemplate, TargetDeclaration
from tests.e2e.support import log_in
from tests.factories import (
    BudgetUnitFactory,
    FiscalYearFactory,
    ProjectFactory,
    make_head,
    make_officer,
    make_unit_filler,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def project(department_a):
    with override_settings(RECOMPUTE_ON_CHANGE=False):
        FiscalYearFactory(year=2021, is_current=True)
        unit = BudgetUnitFactory(department=department_a, code="A01-01", name="区第一中学")
        project = ProjectFactory(
            unit=unit, fiscal_year_id=2021, code="PA01", name="学生资助", category=Category.LIVELIHOOD
        )
        for level1, level2, name, target, measure_unit, weight in (
            ("产出指标", "数量指标", "资助学生人数", "1000", "人", "60"),
            ("效益指标", "社会效益指标", "资助政策知晓率", "95", "%", "30"),
        ):
            IndicatorTemplate.objects.create(
                department=department_a,
                category=Category.LIVELIHOOD,
                level1=level1,
                level2=level2,
                name=name,
                direction="gte",
                target_value=Decimal(target),
                measure_unit=measure_unit,
                weight=Decimal(weight),
            )
        make_unit_filler(unit, "unit")
        make_head(department_a, "head")
        make_officer("officer")
    return project


def _as(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, live_server, username)


def test_unit_declares_from_the_template_head_forwards_officer_approves(
    page, live_server, project, screenshot_dir
):
    _as(page, live_server, "unit")
    page.click("nav >> text=本单位项目")
    page.click("text=学生资助")
    page.click(".targets-link >> text=绩效目标（申报与版本）")
    page.click("button:has-text('申报目标')")
    page.wait_for_load_state("networkidle")
    page.click("button:has-text('从主管部门模板开始')")
    page.wait_for_load_state("networkidle")
    assert page.input_value("#id_row-0-name") == "资助学生人数"

    page.fill("#id_row-0-weight", "50")
    assert page.locator("tfoot .weight-total.live").inner_text() == "80"  # 50 + 30, as typed
    page.press("#id_row-0-weight", "Enter")  # Enter saves the draft, never submits
    page.wait_for_load_state("networkidle")
    assert "80" in page.locator(".check-errors").inner_text()  # the weights add up to 80, not 90
    assert page.locator(".target-checks .weight-total.flag").inner_text() == "80"  # marked at the total
    assert TargetDeclaration.objects.get().state == "draft"
    page.screenshot(path=str(screenshot_dir / "targets-error.png"), full_page=True)

    page.fill("#id_row-0-weight", "60")
    page.fill("#id_goal", "资助家庭经济困难学生 1,000 人。")
    page.click("button:has-text('保存并提交主管部门')")
    page.wait_for_load_state("networkidle")
    assert "已提交" in page.locator(".state-line").inner_text()

    _as(page, live_server, "head")
    page.click("nav >> text=待办")
    page.click("#todo-targets button:has-text('审核报送')")
    page.wait_for_load_state("networkidle")
    assert "已完成" in page.locator(".messages").inner_text()

    _as(page, live_server, "officer")
    page.click("nav >> text=待办")
    page.click("#todo-targets button:has-text('审核通过')")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/projects/2021/PA01/targets/")

    assert "生效中" in page.locator(".state-line").inner_text()
    assert sorted(Indicator.objects.filter(project=project).values_list("name", "weight")) == [
        ("资助学生人数", Decimal("60")),
        ("资助政策知晓率", Decimal("30")),
    ]
    page.screenshot(path=str(screenshot_dir / "targets-in-force.png"), full_page=True)

    # The national form, as the officer downloads it from the page: the approved version's cells.
    with page.expect_download() as info:
        page.click("text=下载绩效目标申报表（XLSX）")
    assert info.value.suggested_filename.endswith(".xlsx")
    with open(info.value.path(), "rb") as downloaded:
        sheet = openpyxl.load_workbook(downloaded).active
    cells = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert "项目支出绩效目标申报表" in " ".join(cells)
    assert "资助家庭经济困难学生 1,000 人。" in cells
    assert "资助学生人数" in cells and "资助政策知晓率" in cells
    with page.expect_popup() as popup:
        page.click("text=A4 打印")
    printed = popup.value
    printed.wait_for_load_state()
    assert "资助学生人数" in printed.content()
