"""A small district watched by a monitoring round as of 31 July 2021 (SPEC §14.1).

Department A01 has units A01-01 区第一中学 (PA01 with targets, PA02 approved without targets, PA05 a pool
proposal with indicators) and A01-02 区第二中学 (PA09 with targets); department B02 has unit B02-01
区人民医院 (PB01 with targets). PA01 of 2020 has targets too, in another year.

PA01: budget 1,000,000 元, paid 400,000 on 1 May and 100,000 on 1 September: to 31 July 400,000, an
execution rate of 40.0 %; time progress 212/365 = 58.08 %; gap 40.00 − 58.08 = −18.08 pp (attention).
Its targets: 受助学生人数 ≥ 100 人 (40 points), 资金拨付时间 ≤ 10 天 (30), 政策知晓度 qualitative (20).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import override_settings

from performance.models import MonitoringReport
from projects.models import Direction, Project
from tests.factories import (
    BudgetUnitFactory,
    FiscalYearFactory,
    IndicatorFactory,
    PaymentFactory,
    ProjectFactory,
    UserFactory,
    make_officer,
    make_unit_filler,
)
from workflow.rounds import open_round

AS_OF = datetime.date(2021, 7, 31)
#: Still to come, so that nothing is overdue unless a test moves it.
DEADLINE = datetime.date.today() + datetime.timedelta(days=60)


@pytest.fixture
def watched(department_a, department_b):
    """The district above, its round not yet opened."""
    FiscalYearFactory(year=2020)
    FiscalYearFactory(year=2021, is_current=True)
    with override_settings(RECOMPUTE_ON_CHANGE=False):
        first = BudgetUnitFactory(department=department_a, code="A01-01", name="区第一中学")
        second = BudgetUnitFactory(department=department_a, code="A01-02", name="区第二中学")
        hospital = BudgetUnitFactory(department=department_b, code="B02-01", name="区人民医院")
        pa01 = ProjectFactory(
            unit=first, fiscal_year__year=2021, code="PA01", name="学生资助", budget=Decimal("1000000.00")
        )
        PaymentFactory(project=pa01, amount=Decimal("400000.00"), paid_on=datetime.date(2021, 5, 1))
        PaymentFactory(project=pa01, amount=Decimal("100000.00"), paid_on=datetime.date(2021, 9, 1))
        IndicatorFactory(
            project=pa01, level1="产出指标", level2="数量指标", name="受助学生人数",
            target_value=Decimal("100"), measure_unit="人", weight=Decimal("40"),
        )  # fmt: skip
        IndicatorFactory(
            project=pa01, level1="产出指标", level2="时效指标", name="资金拨付时间",
            direction=Direction.AT_MOST, target_value=Decimal("10"), measure_unit="天", weight=Decimal("30"),
        )  # fmt: skip
        IndicatorFactory(
            project=pa01, level1="效益指标", level2="社会效益指标", name="政策知晓度",
            direction=Direction.QUALITATIVE, target_value=None, measure_unit="", weight=Decimal("20"),
        )  # fmt: skip
        ProjectFactory(unit=first, fiscal_year__year=2021, code="PA02", name="校舍维修")
        pool = ProjectFactory(
            unit=first, fiscal_year__year=2021, code="PA05", name="智慧课堂", status=Project.Status.PROPOSED
        )
        IndicatorFactory(project=pool, weight=Decimal("90"))
        pa09 = ProjectFactory(unit=second, fiscal_year__year=2021, code="PA09", name="食堂改造")
        IndicatorFactory(project=pa09, name="就餐学生数", weight=Decimal("90"))
        pb01 = ProjectFactory(unit=hospital, fiscal_year__year=2021, code="PB01", name="医疗设备")
        IndicatorFactory(project=pb01, name="设备台数", weight=Decimal("90"))
        last = ProjectFactory(unit=first, fiscal_year__year=2020, code="PA01", name="学生资助（上年）")
        IndicatorFactory(project=last, weight=Decimal("90"))
    return {"first": first, "second": second, "hospital": hospital, "pa01": pa01, "pa09": pa09, "pb01": pb01}


@pytest.fixture
def bureau(db):
    return make_officer("m_officer")


@pytest.fixture
def round_(watched, bureau):
    """The round as of 31 July 2021, opened by the officer."""
    opened, _count = open_round(user=bureau, kind="monitoring", year=2021, as_of=AS_OF, deadline=DEADLINE)
    return opened


@pytest.fixture
def report(round_, watched) -> MonitoringReport:
    """PA01's report in the round."""
    return MonitoringReport.objects.get(project=watched["pa01"], round=round_)


@pytest.fixture
def filler(watched):
    """The unit filler of A01-01 (PA01)."""
    return make_unit_filler(watched["first"], "m_unit")


@pytest.fixture
def sibling(watched):
    """The unit filler of A01-02, the same department's other unit."""
    return make_unit_filler(watched["second"], "m_sibling")


@pytest.fixture
def nobody(db):
    return UserFactory(username="m_nobody")


def page_url(report_or_round, code: str = "PA01", year: int = 2021) -> str:
    round_id = getattr(report_or_round, "round_id", None) or report_or_round.pk
    return f"/projects/{year}/{code}/monitoring/{round_id}/"


def form_data(report: MonitoringReport, **by_name) -> dict[str, str]:
    """The report's form as posted: every line's fields, blank unless ``by_name`` gives them
    (indicator name → {field: value})."""
    data = {}
    for line in report.lines.all():
        values = by_name.get(line.name, {})
        names = ("judgement",) if line.direction == "qualitative" else ("achieved", "expected")
        for name in (*names, "cause", "cause_text", "measure"):
            data[f"{name}-{line.pk}"] = values.get(name, "")
    return data


#: Every line filled, nothing short: ≥ 100 expected 100, ≤ 10 expected 10, qualitative judged 1.
COMPLETE = {
    "受助学生人数": {"achieved": "60", "expected": "100"},
    "资金拨付时间": {"achieved": "8", "expected": "10"},
    "政策知晓度": {"judgement": "1"},
}
