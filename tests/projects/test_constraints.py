"""Every rule of SPEC §3 on projects, payments and indicators that the database enforces rejects a bad
row, whichever code writes it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import ProtectedError

from finance.models import BudgetUnit, Department
from projects.models import Payment
from tests.database import rejected
from tests.factories import (
    BudgetUnitFactory,
    DepartmentFactory,
    DirectFundGrantFactory,
    FiscalYearFactory,
    IndicatorFactory,
    PaymentFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


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
    # row's check cannot see; the import and Payment.clean keep it (tests/projects/test_payments.py).
    assert PaymentFactory(amount=Decimal("-0.01")).amount == Decimal("-0.01")


def test_zero_amounts_are_allowed():
    assert ProjectFactory(budget=Decimal("0.00")).budget == 0
    assert PaymentFactory(amount=Decimal("0.00")).amount == 0


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
