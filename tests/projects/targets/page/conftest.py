"""A project of department A's first school, with the department's template for its category (two
indicators, 60 + 30 points), quota standards of 2021 and 2020, and the personas of each role."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import override_settings

from projects.models import Category, IndicatorTemplate, QuotaStandard
from tests.factories import (
    BudgetUnitFactory,
    FiscalYearFactory,
    ProjectFactory,
    make_head,
    make_officer,
    make_unit_filler,
)


@pytest.fixture(autouse=True)
def _no_recompute():
    with override_settings(RECOMPUTE_ON_CHANGE=False):
        yield


@pytest.fixture
def school(department_a):
    return BudgetUnitFactory(department=department_a, code="A01-01", name="区第一中学")


@pytest.fixture
def project(school):
    FiscalYearFactory(year=2021)
    return ProjectFactory(
        unit=school,
        fiscal_year_id=2021,
        code="PA01",
        name="学生资助",
        category=Category.LIVELIHOOD,
        budget=Decimal("870000.00"),
    )


@pytest.fixture
def template(department_a):
    def row(level1, level2, name, direction, target, unit, weight):
        return IndicatorTemplate.objects.create(
            department=department_a,
            category=Category.LIVELIHOOD,
            level1=level1,
            level2=level2,
            name=name,
            direction=direction,
            target_value=target,
            measure_unit=unit,
            weight=Decimal(weight),
        )

    return [
        row("产出指标", "数量指标", "资助学生人数", "gte", Decimal("1000"), "人", 60),
        row("效益指标", "社会效益指标", "资助政策知晓率", "gte", Decimal("95"), "%", 30),
    ]


@pytest.fixture
def quotas():
    FiscalYearFactory(year=2020)
    return {
        2021: QuotaStandard.objects.create(
            fiscal_year_id=2021, name="生均公用经费（小学）", measure_unit="生", amount=Decimal("870")
        ),
        2020: QuotaStandard.objects.create(
            fiscal_year_id=2020, name="生均公用经费（小学）", measure_unit="生", amount=Decimal("840")
        ),
    }


@pytest.fixture
def unit_user(school):
    return make_unit_filler(school, "unit")


@pytest.fixture
def other_unit_user(department_a):
    return make_unit_filler(BudgetUnitFactory(department=department_a, code="A01-02"), "other_unit")


@pytest.fixture
def head_user(department_a):
    return make_head(department_a, "head")


@pytest.fixture
def officer_user(db):
    return make_officer("officer")
