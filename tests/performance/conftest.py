"""A small hand-built district for the recompute tests: every figure in a test is worked out by hand."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from finance.models import FunctionClass, FundSource
from performance.models import Evaluation, ProgressSnapshot, ScopeKind
from tests.factories import (
    BudgetUnitFactory,
    EvaluationFactory,
    FiscalYearFactory,
    FunctionClassFactory,
    FundSourceFactory,
    PaymentFactory,
    ProjectFactory,
)


@pytest.fixture
def year_2021(db):
    FiscalYearFactory(year=2020)
    return FiscalYearFactory(year=2021, is_current=True)


@pytest.fixture
def education(db) -> FunctionClass:
    """205 教育, counts as livelihood spending."""
    return FunctionClassFactory(code="205", name="教育", is_livelihood=True)


@pytest.fixture
def general_services(db) -> FunctionClass:
    """201 一般公共服务, not livelihood."""
    return FunctionClassFactory(code="201", name="一般公共服务", is_livelihood=False)


@pytest.fixture
def general_budget(db) -> FundSource:
    return FundSourceFactory(code=FundSource.GENERAL_PUBLIC_BUDGET, name="一般公共预算")


@pytest.fixture
def fund_budget(db) -> FundSource:
    return FundSourceFactory(code="fund", name="政府性基金预算")


def project(unit, budget: str, *, year: int = 2021, **fields):
    """A project of ``unit`` with ``budget`` 元 (its department follows the unit)."""
    return ProjectFactory(unit=unit, fiscal_year__year=year, budget=Decimal(budget), **fields)


def pay(project_, amount: str, on: datetime.date):
    return PaymentFactory(project=project_, amount=Decimal(amount), paid_on=on)


def evaluate(target, total: str, *, kind: str = Evaluation.Kind.KEY, year: int = 2021, **fields):
    """A finalised evaluation of a project (or, for department kinds, a department) totalling
    ``total``: the points go to output and benefit first, then decision and process."""
    points = Decimal(total)
    dims = {}
    for name, maximum in (("output", 30), ("benefit", 30), ("decision", 20), ("process", 20)):
        dims[name] = min(points, Decimal(maximum))
        points -= dims[name]
    dims.update(fields.pop("dims", {}))
    if kind == Evaluation.Kind.KEY and "key_category" not in fields:
        fields["key_category"] = (
            Evaluation.KeyCategory.DEPARTMENT_WIDE
            if not hasattr(target, "unit")
            else Evaluation.KeyCategory.LIVELIHOOD
        )
    on_project = hasattr(target, "unit")
    return EvaluationFactory(
        fiscal_year__year=year,
        kind=kind,
        project=target if on_project else None,
        department=None if on_project else target,
        **dims,
        **fields,
    )


def snapshot(run, kind: str, scope_id: int | None) -> ProgressSnapshot:
    return ProgressSnapshot.objects.get(run=run, scope_kind=kind, scope_id=scope_id)


def district(run) -> ProgressSnapshot:
    return ProgressSnapshot.objects.get(run=run, scope_kind=ScopeKind.DISTRICT)


@pytest.fixture
def unit_a(department_a):
    return BudgetUnitFactory(department=department_a, code="A01-01", name="区第一中学")


@pytest.fixture
def unit_b(department_b):
    return BudgetUnitFactory(department=department_b, code="B02-01", name="区人民医院")
