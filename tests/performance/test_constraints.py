"""Every rule of SPEC §3 on evaluations, reviews and the recompute's rows that the database enforces
rejects a bad row, whichever code writes it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from performance.models import Evaluation, MonthlySpending, RecomputeRun
from tests.database import rejected
from tests.factories import (
    BudgetReviewFactory,
    DepartmentFactory,
    EvaluationFactory,
    FiscalYearFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("dimension", "value"),
    [
        ("decision", "20.01"),
        ("process", "20.5"),
        ("output", "30.01"),
        ("benefit", "31"),
        ("decision", "-0.01"),
    ],
)
def test_dimension_scores_stay_within_zero_and_their_maximum(dimension, value):
    rejected(lambda: EvaluationFactory(**{dimension: Decimal(value)}))


def test_dimension_scores_at_their_maxima_are_accepted():
    evaluation = EvaluationFactory(decision=20, process=20, output=30, benefit=30)
    assert evaluation.total == Decimal("100")  # 20 + 20 + 30 + 30
    assert evaluation.grade == "excellent"


def test_maxima_must_sum_to_100():
    rejected(lambda: EvaluationFactory(decision_max=Decimal("25")))  # 25 + 20 + 30 + 30 = 105


def test_an_evaluation_targets_a_project_or_a_department_but_not_both_or_neither():
    project = ProjectFactory()
    rejected(
        lambda: EvaluationFactory(
            kind="key", key_category="livelihood", project=project, department=project.department
        )
    )
    rejected(lambda: EvaluationFactory(kind="key", key_category="livelihood", project=None, department=None))


def test_evaluation_kinds_target_what_they_evaluate():
    department = DepartmentFactory()
    rejected(lambda: EvaluationFactory(kind="self", project=None, department=department))
    rejected(lambda: EvaluationFactory(kind="department", project=ProjectFactory()))
    rejected(lambda: EvaluationFactory(kind="key", key_category="", project=ProjectFactory()))
    rejected(lambda: EvaluationFactory(kind="self", key_category="livelihood"))
    rejected(lambda: EvaluationFactory(kind="key", key_category="department_wide", project=ProjectFactory()))
    EvaluationFactory(kind="key", key_category="department_wide", project=None, department=department)


def test_one_evaluation_of_a_kind_per_project_and_year():
    project = ProjectFactory()
    EvaluationFactory(project=project)
    rejected(lambda: EvaluationFactory(project=project))


def test_a_stored_total_or_grade_that_disagrees_with_the_scores_is_rejected():
    evaluation = EvaluationFactory(decision=18, process=17, output=26, benefit=25)  # 86: 良
    rejected(lambda: Evaluation.objects.filter(pk=evaluation.pk).update(total=Decimal("90")))
    rejected(lambda: Evaluation.objects.filter(pk=evaluation.pk).update(grade="excellent"))


def test_a_review_cannot_approve_more_than_was_submitted():
    rejected(
        lambda: BudgetReviewFactory(submitted_amount=Decimal("100.00"), approved_amount=Decimal("100.01"))
    )
    BudgetReviewFactory(submitted_amount=Decimal("100.00"), approved_amount=Decimal("100.00"))


def test_month_of_the_cumulative_series_is_1_to_12():
    run = RecomputeRun.objects.create(
        fiscal_year=FiscalYearFactory(year=2021),
        as_of=datetime.date(2021, 10, 31),
        started_at="2021-11-01T00:00Z",
    )
    rejected(
        lambda: MonthlySpending.objects.create(
            run=run, scope_kind="district", month=13, cumulative_spent=Decimal("0")
        )
    )
