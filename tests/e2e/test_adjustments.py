"""Budget adjustments in a real browser (SPEC §4.7): an officer ticks proposals, gives one reason,
confirms, and each is decided as if singly; an amount typed before 采纳 is refused, not dropped."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import override_settings

from performance.models import BudgetAdjustment
from tests.district import build_district
from tests.e2e.support import log_in
from tests.factories import propose_adjustments

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def proposals(department_a, department_b, officer) -> dict[str, BudgetAdjustment]:
    """The pages' small district: PA01 优, PA02 中, PB01 良, PB02 差, PC01 中, proposed for 2022."""
    with override_settings(RECOMPUTE_ON_CHANGE=False):
        district = build_district(department_a, department_b)
    district.recompute()
    propose_adjustments(2021)
    return {row.project.code: row for row in BudgetAdjustment.objects.select_related("project")}


def open_adjustments(page, live_server) -> None:
    log_in(page, live_server, "officer")
    page.click("nav >> text=预算调整")
    page.wait_for_load_state("networkidle")


def test_officer_ticks_two_proposals_and_accepts_them_after_confirming(page, live_server, proposals):
    open_adjustments(page, live_server)

    page.check('input[name=ids][aria-label="PA02"]')
    page.check('input[name=ids][aria-label="PC01"]')
    page.select_option("#bulk-decide select[name=decision]", "accepted")
    page.fill("#bulk-decide input[name=note]", "预算紧平衡")
    page.click("#bulk-decide button[value=selected]")
    page.wait_for_load_state("networkidle")

    assert "2022年预算的 2 条建议" in page.locator(".confirm-bulk").inner_text()
    assert not BudgetAdjustment.objects.exclude(decision="pending").exists()  # not before confirming

    page.click("button[name=confirm]")
    page.wait_for_load_state("networkidle")

    assert "2 条建议：已采纳" in page.content()
    decided = BudgetAdjustment.objects.exclude(decision="pending").order_by("project__code")
    assert [(row.project.code, row.final_budget, row.note) for row in decided] == [
        ("PA02", Decimal("27000000.00"), "预算紧平衡"),  # 3,000 万元 × 0.9
        ("PC01", Decimal("9000000.00"), "预算紧平衡"),  # 1,000 万元 × 0.9
    ]
    assert BudgetAdjustment.history.filter(decision="accepted").count() == 2


def test_an_amount_typed_before_accept_is_refused_with_a_message(page, live_server, proposals):
    open_adjustments(page, live_server)
    row = page.locator("tr", has=page.locator('input[aria-label="PB02"]'))

    row.locator("input[name=final_budget_wan]").fill("1500")
    row.locator("button[value=accepted]").click()
    page.wait_for_load_state("networkidle")

    assert "已填写金额但未点“调整”" in page.content()
    assert BudgetAdjustment.objects.get(pk=proposals["PB02"].pk).decision == "pending"
