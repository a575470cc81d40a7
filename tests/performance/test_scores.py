"""SPEC §4.4 department performance score, coverage and the low-coverage mark, as a recompute stores
them on the leaderboard."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from performance.models import Evaluation, Grade, LeaderboardEntry
from performance.services import recompute_all
from tests.factories import BudgetUnitFactory, DepartmentFactory
from tests.performance.conftest import evaluate, project

pytestmark = pytest.mark.django_db


def scores_by_department(year: int = 2021) -> dict[int, LeaderboardEntry]:
    """The departments' leaderboard lines of a recompute of ``year``: each holds C(d, Y) with its parts."""
    run = recompute_all(year=year, as_of=datetime.date(year, 10, 31))
    return {row.department_id: row for row in LeaderboardEntry.objects.filter(run=run)}


@pytest.fixture
def department_a_projects(year_2021, unit_a):
    """Budgets 3,000,000 (key 80, self 95), 1,000,000 (self 60), 6,000,000 (not evaluated) and
    500,000 (a draft self-evaluation only)."""
    keyed = project(unit_a, "3000000")
    evaluate(keyed, "80")
    evaluate(keyed, "95", kind=Evaluation.Kind.SELF)
    evaluate(project(unit_a, "1000000"), "60", kind=Evaluation.Kind.SELF)
    project(unit_a, "6000000")
    evaluate(project(unit_a, "500000"), "99", kind=Evaluation.Kind.SELF, status=Evaluation.Status.DRAFT)


def test_score_without_a_department_wide_evaluation_is_the_project_part(department_a_projects, department_a):
    score = scores_by_department()[department_a.pk]

    assert score.project_part == Decimal("75.0000")  # (3M × 80 + 1M × 60) / 4M; the key 80 beats self 95
    assert score.department_wide_score is None
    assert score.score == Decimal("75.0000")
    assert score.grade == Grade.FAIR
    assert (score.project_count, score.evaluated_projects) == (4, 2)
    assert score.department_budget == Decimal("10500000.00")  # 3M + 1M + 6M + 0.5M
    assert score.evaluated_budget == Decimal("4000000.00")
    assert score.coverage == Decimal("0.3810")  # 4M / 10.5M = 0.38095…
    assert not score.low_coverage


def test_score_with_a_department_kind_evaluation(department_a_projects, department_a):
    evaluate(department_a, "85", kind=Evaluation.Kind.DEPARTMENT)

    score = scores_by_department()[department_a.pk]

    assert score.department_wide_score == Decimal("85.00")
    assert score.score == Decimal("78.0000")  # 0.7 × 75 + 0.3 × 85 = 52.5 + 25.5


def test_the_bureaus_department_wide_key_evaluation_wins(department_a_projects, department_a):
    evaluate(department_a, "85", kind=Evaluation.Kind.DEPARTMENT)
    evaluate(department_a, "95", kind=Evaluation.Kind.KEY)  # sub-category department-wide

    score = scores_by_department()[department_a.pk]

    assert score.department_wide_score == Decimal("95.00")
    assert score.score == Decimal("81.0000")  # 0.7 × 75 + 0.3 × 95 = 52.5 + 28.5


def test_a_draft_department_wide_evaluation_does_not_count(department_a_projects, department_a):
    evaluate(department_a, "100", kind=Evaluation.Kind.DEPARTMENT, status=Evaluation.Status.SUBMITTED)

    assert scores_by_department()[department_a.pk].score == Decimal("75.0000")


def test_low_coverage_keeps_the_score(year_2021, unit_b, department_b):
    evaluate(project(unit_b, "1000000"), "70", kind=Evaluation.Kind.SELF)
    project(unit_b, "3000000")

    score = scores_by_department()[department_b.pk]

    assert score.coverage == Decimal("0.2500")  # 1M / 4M, below 30 %
    assert score.low_coverage
    assert score.score == Decimal("70.0000")


def test_department_without_evaluated_projects_has_no_score(year_2021, unit_a, department_a):
    project(unit_a, "1000000")
    evaluate(department_a, "90", kind=Evaluation.Kind.DEPARTMENT)  # no project part to weigh it with

    score = scores_by_department()[department_a.pk]

    assert score.score is None and score.project_part is None and score.grade == ""  # no grade
    assert score.coverage == Decimal("0.0000")


def test_plain_mean_when_evaluated_budgets_are_zero(year_2021):
    unit = BudgetUnitFactory(department=DepartmentFactory(code="Z09"))
    evaluate(project(unit, "0"), "80", kind=Evaluation.Kind.SELF)
    evaluate(project(unit, "0"), "85", kind=Evaluation.Kind.SELF)

    score = scores_by_department()[unit.department_id]

    assert score.project_part == Decimal("82.5000")  # (80 + 85) / 2
    assert score.coverage == Decimal("0.0000")  # 0 where the department budget is 0


def test_weighted_mean_rounds_half_up_to_four_places(year_2021, unit_a, department_a):
    for total in ("80", "80", "81"):
        evaluate(project(unit_a, "1"), total, kind=Evaluation.Kind.SELF)

    assert scores_by_department()[department_a.pk].score == Decimal("80.3333")  # 241 / 3 = 80.333…


def test_scores_of_one_year_ignore_the_other_year(year_2021, unit_a, department_a):
    evaluate(project(unit_a, "1000"), "70", kind=Evaluation.Kind.SELF)
    evaluate(project(unit_a, "1000", year=2020), "90", kind=Evaluation.Kind.SELF, year=2020)

    assert scores_by_department()[department_a.pk].score == Decimal("70.0000")
    assert {department: row.score for department, row in scores_by_department(2020).items()} == {
        department_a.pk: Decimal("90.0000")
    }
