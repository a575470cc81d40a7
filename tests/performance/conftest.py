"""A small hand-built district for the recompute tests: every figure in a test is worked out by hand."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from finance.models import FunctionClass, FundSource
from performance.models import Evaluation, ProgressSnapshot, ScopeKind
from projects.models import Project
from tests.factories import (
    BudgetUnitFactory,
    EvaluationFactory,
    FiscalYearFactory,
    FunctionClassFactory,
    FundSourceFactory,
    PaymentFactory,
    ProjectFactory,
)

#: The as-of date most of these tests compute on.
MAY_26 = datetime.date(2021, 5, 26)


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


@pytest.fixture
def small_district(year_2021, unit_a, unit_b, department_a):
    """Two departments with spending and evaluations in both years."""
    for unit, budget, spent, score in (
        (unit_a, "1000000", "350000", "85"),
        (unit_b, "2000000", "500000", "78"),
    ):
        now = project(unit, budget)
        pay(now, spent, datetime.date(2021, 3, 10))
        evaluate(now, score)
        before = project(unit, budget, year=2020)
        pay(before, spent, datetime.date(2020, 3, 10))
        evaluate(before, "80", year=2020)
    evaluate(department_a, "88", kind="department")
    return unit_a


def work_schemas() -> list[str]:
    """PostgreSQL: the schemas of runs' work tables (``rc_run_<run>``) that exist."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rc\\_run\\_%%'")
        return [name for (name,) in cursor.fetchall()]


def search_path() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('search_path')")
        return cursor.fetchone()[0]


@pytest.fixture
def graded(year_2021, unit_a) -> dict[str, Project]:
    """One self-evaluated project per grade, each paid in full: no self-evaluation is doubted (§4.3),
    so each grade's own proposal shows (§4.7)."""
    projects = {}
    for name, total in (("excellent", "92"), ("good", "85"), ("fair", "70"), ("poor", "50")):
        projects[name] = project(unit_a, "1000000", name=name)
        evaluate(projects[name], total, kind=Evaluation.Kind.SELF)
        pay(projects[name], "1000000", datetime.date(2021, 3, 1))
    return projects


@pytest.fixture
def doubtful(year_2021, unit_a) -> dict[str, Project]:
    """Budgets of 1,000,000 元 each, finalised evaluations and payments by 31 October 2021."""
    cases = {
        # name: (self-evaluation, key evaluation or None, spent)
        "above key by 16": ("86", "70", "1000000"),  # 86 − 70 = 16 > 15: inflated
        "above key by 15": ("85", "70", "1000000"),  # exactly 15: not inflated, the key's 中 counts
        "excellent at 59.99 %": ("95", None, "599900"),  # 599,900 ÷ 1,000,000 = 59.99 % < 60 %
        "excellent at 60 %": ("95", None, "600000"),  # exactly 60 %: not flagged
        "both": ("95", "70", "500000"),  # 25 points above the key, and 优 at 50 %
    }
    projects = {}
    for name, (self_total, key_total, spent) in cases.items():
        projects[name] = project(unit_a, "1000000", name=name)
        evaluate(projects[name], self_total, kind=Evaluation.Kind.SELF)
        if key_total is not None:
            evaluate(projects[name], key_total)
        pay(projects[name], spent, datetime.date(2021, 3, 1))
    return projects
