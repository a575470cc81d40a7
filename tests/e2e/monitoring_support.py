"""A project of department A in a monitoring round as of 31 July 2021, for the monitoring end-to-end tests."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.test import override_settings

from performance.models import MonitoringReport
from projects.models import Direction
from tests.factories import (
    BudgetUnitFactory,
    FiscalYearFactory,
    IndicatorFactory,
    PaymentFactory,
    ProjectFactory,
    make_head,
    make_officer,
    make_unit_filler,
)
from workflow.rounds import open_round


def report_in_a_round(department, *, paid_by_june: Decimal) -> MonitoringReport:
    """PA01 (budget 1,000,000, ``paid_by_june`` paid on 1 June) with two indicators — 资助学生人数 ≥ 100
    (60 points) and the qualitative 家长满意度 (30) — in a round as of 31 July 2021 that the officer
    opened; the users `unit`, `head` and `officer`."""
    with override_settings(RECOMPUTE_ON_CHANGE=False):
        FiscalYearFactory(year=2021, is_current=True, data_as_of=datetime.date(2021, 10, 31))
        unit = BudgetUnitFactory(department=department, code="A01-01", name="区第一中学")
        project = ProjectFactory(
            unit=unit, fiscal_year_id=2021, code="PA01", name="学生资助", budget=Decimal("1000000")
        )
        PaymentFactory(project=project, paid_on=datetime.date(2021, 6, 1), amount=paid_by_june)
        IndicatorFactory(
            project=project, name="资助学生人数", target_value=Decimal("100"), weight=Decimal("60")
        )
        IndicatorFactory(
            project=project,
            level1="效益指标",
            level2="满意度指标",
            name="家长满意度",
            direction=Direction.QUALITATIVE,
            target_value=None,
            measure_unit="",
            weight=Decimal("30"),
        )
        make_unit_filler(unit, "unit")
        make_head(department, "head")
        officer = make_officer("officer")
        round_, _count = open_round(
            user=officer,
            kind="monitoring",
            year=2021,
            as_of=datetime.date(2021, 7, 31),
            deadline=datetime.date.today() + datetime.timedelta(days=30),
        )
    return MonitoringReport.objects.get(project=project, round=round_)
