"""SPEC §12.2 in a real browser: an officer opens Evaluations, creates a key evaluation, scores it,
saves it and finalises it, and sees it finalised with its timeline."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import override_settings

from performance.models import Evaluation
from tests.district import build_district
from tests.e2e.support import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def district(department_a, department_b, officer):
    with override_settings(RECOMPUTE_ON_CHANGE=False):
        return build_district(department_a, department_b)


def test_officer_scores_and_finalises_a_key_evaluation(page, live_server, district):
    log_in(page, live_server, "officer")
    page.click("nav >> text=绩效评价")
    page.click("#new-evaluation")
    page.wait_for_load_state("networkidle")

    page.select_option("select[name=kind]", "key")
    page.select_option("select[name=key_category]", "development_policy")
    page.select_option("select[name=project]", label="PA02 校舍维修")
    for name, score in (("decision", "18"), ("process", "17.5"), ("output", "26"), ("benefit", "25")):
        page.fill(f"input[name={name}]", score)
    page.fill("textarea[name=findings]", "绩效指标不够细化")
    page.click(".evaluation-form button.primary")
    page.wait_for_load_state("networkidle")

    assert "86.50" in page.locator("#evaluation-scores").inner_text()  # 18 + 17.5 + 26 + 25
    page.click("button[name=action][value=finalise]")
    page.wait_for_load_state("networkidle")

    assert page.locator("#evaluation-status").inner_text() == "已定稿"
    assert page.locator(".timeline-steps li").count() == 2  # created, finalised
    assert not page.locator(".evaluation-form").count()  # read-only now
    evaluation = Evaluation.objects.get(project=district.projects["PA02"], kind="key")
    assert (evaluation.status, evaluation.total, evaluation.grade) == ("finalised", Decimal("86.50"), "good")
