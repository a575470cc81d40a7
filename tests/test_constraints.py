"""Every rule of SPEC §3 that the database enforces rejects a bad row, whichever code writes it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from finance.models import BudgetUnit, Department, FiscalYear
from performance.models import Evaluation, MonthlySpending, RecomputeRun
from projects.models import Payment
from tests.factories import (
    BudgetReviewFactory,
    BudgetUnitFactory,
    DepartmentFactory,
    DirectFundGrantFactory,
    EvaluationFactory,
    FiscalYearFactory,
    IndicatorFactory,
    PaymentFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


def rejected(make) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_codes_are_unique():
    department = DepartmentFactory(code="D1")
    rejected(lambda: DepartmentFactory(code="D1"))
    BudgetUnitFactory(code="U1", department=department)
    rejected(lambda: BudgetUnitFactory(code="U1", department=department))


def test_a_project_code_is_unique_within_its_year_only():
    ProjectFactory(code="P1", fiscal_year=FiscalYearFactory(year=2021))
    ProjectFactory(code="P1", fiscal_year=FiscalYearFactory(year=2020))  # another year: fine
    rejected(lambda: ProjectFactory(code="P1", fiscal_year=FiscalYearFactory(year=2021)))


def test_voucher_numbers_are_unique():
    PaymentFactory(voucher_no="V1")
    rejected(lambda: PaymentFactory(voucher_no="V1"))


@pytest.mark.parametrize(
    "make",
    [
        lambda: ProjectFactory(budget=Decimal("-1.00")),
        lambda: DirectFundGrantFactory(amount=Decimal("-5.00")),
    ],
    ids=["project budget", "grant"],
)
def test_amounts_are_not_negative(make):
    rejected(make)


def test_a_payment_may_be_negative_a_reversal():
    # SPEC §7 as amended: the rule is over a project's payments to each date (not below zero), which a
    # row's check cannot see; the import and Payment.clean keep it (tests/finance/test_payments.py).
    assert PaymentFactory(amount=Decimal("-0.01")).amount == Decimal("-0.01")


def test_zero_amounts_are_allowed():
    assert ProjectFactory(budget=Decimal("0.00")).budget == 0
    assert PaymentFactory(amount=Decimal("0.00")).amount == 0


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


@pytest.mark.parametrize(
    "fields",
    [
        {"weight": Decimal("90.01")},
        {"weight": Decimal("-1")},
        {"direction": "qualitative", "target_value": None, "judgement": Decimal("1.01")},
        {"direction": "gte", "target_value": None},
    ],
    ids=["weight above 90", "negative weight", "judgement above 1", "quantitative without target"],
)
def test_indicator_rules(fields):
    rejected(lambda: IndicatorFactory(**fields))


def test_deleting_a_department_with_projects_is_refused():
    project = ProjectFactory()
    with pytest.raises(ProtectedError):
        Department.objects.filter(pk=project.department_id).delete()
    with pytest.raises(ProtectedError):
        BudgetUnit.objects.filter(pk=project.unit_id).delete()
    assert Department.objects.filter(pk=project.department_id).exists()


def test_a_project_belongs_to_its_units_department():
    unit = BudgetUnitFactory()
    assert ProjectFactory(unit=unit).department_id == unit.department_id


def test_only_one_fiscal_year_is_current():
    FiscalYearFactory(year=2021, is_current=True)
    rejected(lambda: FiscalYear.objects.create(year=2022, is_current=True))


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


def test_a_unit_that_moves_to_another_department_takes_its_projects_along():
    project = ProjectFactory()
    unit, new_department = project.unit, DepartmentFactory()
    unit.department = new_department
    unit.save()
    project.refresh_from_db()
    assert project.department == new_department


def test_a_payment_keeps_its_amount_in_cents_through_every_change():
    """``amount_cents`` is the database's own: exact at the smallest and largest amounts, and
    following an update of the amount (the recompute sums it instead of the decimal amount)."""
    smallest = PaymentFactory(amount=Decimal("0.01"))
    # 15 significant digits: the most SQLite, which keeps decimals as binary floats, holds exactly.
    largest = PaymentFactory(amount=Decimal("9999999999999.99"))
    smallest.refresh_from_db()
    largest.refresh_from_db()
    assert (smallest.amount_cents, largest.amount_cents) == (1, 999_999_999_999_999)

    Payment.objects.filter(pk=smallest.pk).update(amount=Decimal("1234.56"))
    smallest.refresh_from_db()
    assert smallest.amount_cents == 123456
