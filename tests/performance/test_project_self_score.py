"""A project's page shows its self-evaluation as SPEC §4.3 computes it (the score a unit cannot type):
``self_evaluation_scores``, the code production runs, worked out by hand here."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from performance.services import recompute_all
from tests.factories import FiscalYearFactory, IndicatorFactory, PaymentFactory, ProjectFactory


@pytest.fixture
def scored_project(department_a):
    year = FiscalYearFactory(year=2021)
    project = ProjectFactory(fiscal_year=year, unit__department=department_a, budget=Decimal("1000000.00"))
    # Execution: 250,000 of 1,000,000 paid by 31 October = 25 % → 2.50 of 10 points; the payment after
    # the run's date does not count.
    PaymentFactory(project=project, paid_on=datetime.date(2021, 4, 1), amount=Decimal("250000.00"))
    PaymentFactory(project=project, paid_on=datetime.date(2021, 11, 2), amount=Decimal("500000.00"))
    # Indicators: weight 90, at least 100, 80 achieved → completion 0.8 → 72.00 of 90 points.
    IndicatorFactory(
        project=project,
        weight=Decimal("90"),
        direction="gte",
        target_value=Decimal("100"),
        actual_value=Decimal("80"),
    )
    recompute_all(year=2021, as_of=datetime.date(2021, 10, 31))
    return project


def _page(client, user, project):
    client.force_login(user)
    return client.get(reverse("projects:project", args=[project.fiscal_year_id, project.code]))


def test_the_page_shows_the_computed_score_its_parts_and_grade(client, officer, scored_project):
    response = _page(client, officer, scored_project)
    assert response.status_code == 200
    score = response.context["self_score"]
    assert score.execution_points == Decimal("2.50")
    assert score.indicator_points == Decimal("72.00")
    assert score.score == Decimal("74.50")  # 2.50 + 72.00: 中 (60 ≤ 74.50 < 80)
    assert score.grade == "fair"
    html = response.content.decode()
    assert "74.50" in html and "2.50" in html and "72.00" in html


def test_a_head_sees_their_projects_score_and_another_heads_page_is_404(
    client, head, other_head, scored_project
):
    assert _page(client, head, scored_project).context["self_score"].score == Decimal("74.50")
    assert _page(client, other_head, scored_project).status_code == 404
