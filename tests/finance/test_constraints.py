"""Every rule of SPEC §3 on finance's rows that the database enforces rejects a bad row, whichever code
writes it."""

from __future__ import annotations

import pytest

from finance.models import FiscalYear
from tests.database import rejected
from tests.factories import (
    BudgetUnitFactory,
    DepartmentFactory,
    FiscalYearFactory,
)

pytestmark = pytest.mark.django_db


def test_codes_are_unique():
    department = DepartmentFactory(code="D1")
    rejected(lambda: DepartmentFactory(code="D1"))
    BudgetUnitFactory(code="U1", department=department)
    rejected(lambda: BudgetUnitFactory(code="U1", department=department))


def test_only_one_fiscal_year_is_current():
    FiscalYearFactory(year=2021, is_current=True)
    rejected(lambda: FiscalYear.objects.create(year=2022, is_current=True))
