"""The self-evaluation download tests' small school district (fixtures); readers in support.py."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import override_settings

from performance.models import SelfEvaluation
from projects.models import Direction, PerformanceTarget, Project
from tests.factories import (
    BudgetUnitFactory,
    FiscalYearFactory,
    IndicatorFactory,
    PaymentFactory,
    ProjectFactory,
    UserFactory,
    make_unit_filler,
)
from tests.performance.self_evaluations.support import ACHIEVED, GOAL, HOSTILE_REASON, REASON


@pytest.fixture
def school(department_a, department_b):
    """Department A01 with units A01-01 (PA01 scored in full, PA02 with no indicators, PA05 a pool
    proposal) and A01-02 (PA09); department B02 with unit B02-01 (PB01). Years 2020 and 2021.

    PA01: budget 1,234,567.89 元 = 123.46 万元; paid 987,654.31 元 = 98.77 万元 by 31 December, an
    execution rate of 987,654.31 / 1,234,567.89 = 80.00 %, worth 8.00 of 10 points. Its indicators:
    受助学生人数 ≥ 100 人, actual 120: 40 of 40 points; 家长满意度 ≥ 90 %, actual 81: 30 × 0.9 = 27.00;
    政策知晓度, qualitative, judged 0.5: 20 × 0.5 = 10.00. Total 8.00 + 40 + 27 + 10 = 85.00 → 良.
    """
    FiscalYearFactory(year=2020)
    FiscalYearFactory(year=2021, is_current=True)
    with override_settings(RECOMPUTE_ON_CHANGE=False):
        first = BudgetUnitFactory(department=department_a, code="A01-01", name="区第一中学")
        second = BudgetUnitFactory(department=department_a, code="A01-02", name="区第二中学")
        hospital = BudgetUnitFactory(department=department_b, code="B02-01", name="区人民医院")
        pa01 = ProjectFactory(
            unit=first, fiscal_year__year=2021, code="PA01", name="学生资助", budget=Decimal("1234567.89")
        )
        PaymentFactory(project=pa01, amount=Decimal("500000.00"), paid_on=datetime.date(2021, 3, 15))
        PaymentFactory(project=pa01, amount=Decimal("487654.31"), paid_on=datetime.date(2021, 11, 15))
        IndicatorFactory(
            project=pa01, level1="产出指标", level2="数量指标", name="受助学生人数",
            target_value=Decimal("100"), measure_unit="人", weight=Decimal("40"), actual_value=Decimal("120"),
        )  # fmt: skip
        IndicatorFactory(
            project=pa01, level1="效益指标", level2="社会效益指标", name="家长满意度",
            target_value=Decimal("90"), measure_unit="%", weight=Decimal("30"), actual_value=Decimal("81"),
            deviation_reason=REASON,
        )  # fmt: skip
        IndicatorFactory(
            project=pa01, level1="效益指标", level2="满意度指标", name="政策知晓度",
            direction=Direction.QUALITATIVE, target_value=None, measure_unit="", weight=Decimal("20"),
            judgement=Decimal("0.5"), deviation_reason=HOSTILE_REASON,
        )  # fmt: skip
        PerformanceTarget.objects.create(project=pa01, goal=GOAL)
        SelfEvaluation.objects.create(project=pa01, achieved=ACHIEVED)
        ProjectFactory(unit=first, fiscal_year__year=2021, code="PA02", name="校舍维修")
        ProjectFactory(
            unit=first, fiscal_year__year=2021, code="PA05", name="智慧课堂", status=Project.Status.PROPOSED
        )
        ProjectFactory(unit=second, fiscal_year__year=2021, code="PA09", name="食堂改造")
        ProjectFactory(unit=hospital, fiscal_year__year=2021, code="PB01", name="医疗设备")
        ProjectFactory(unit=first, fiscal_year__year=2020, code="PA01", name="学生资助（上年）")
    return {"first": first, "second": second, "hospital": hospital, "pa01": pa01}


@pytest.fixture
def nobody(db):
    """Signed in, with no role."""
    return UserFactory(username="nobody")


@pytest.fixture
def filler(school):
    """The unit filler of A01-01."""
    return make_unit_filler(school["first"], "filler")
