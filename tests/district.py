"""A small hand-built district for the page tests (SPEC §6), recomputed as of 31 October 2021.

Every figure a page shows is worked out by hand here, once, so the tests can assert what a user sees.

As of 2021-10-31 the time progress is 304/365 = 83.29 % (shown "83.3%").

Projects of 2021 (amounts in 万元; gap = progress − 83.29 pp):

- PA01 学生资助, A01, unit A01-01 区第一中学, class 205, general budget: budget 12,000, spent 9,600
  = 80.0 %, gap −3.3 pp, normal; funded from grant ZD0001.
- PA02 校舍维修, A01, A01-01, 205, general: budget 3,000, spent 900 = 30.0 %, −53.3 pp, serious.
- PB01 医疗设备, B02, unit B02-01 区人民医院, class 210, government fund: budget 5,000, spent 3,500
  = 70.0 %, −13.3 pp, attention; funded from grant ZD0002.
- PB02 公共卫生服务, B02, B02-01, 210, general: budget 2,000, spent 0 = 0.0 %, −83.3 pp, serious and
  zero spending.
- PC01 政务信息化, C03 区政务服务数据管理局, unit C03-01 区政务数据中心, class 201 (not livelihood),
  general: budget 1,000, spent 900 = 90.0 %, +6.7 pp, normal.

District: budget 23,000 万元 = 2.30 亿元; spent 9,600 + 900 + 3,500 + 900 = 14,900 万元 = 1.49 亿元;
spending progress 14,900 / 23,000 = 64.78 % ("64.8%"); gap 64.78 − 83.29 = −18.51 pp (attention).

Livelihood share: livelihood classes 205 and 210, general public budget only: 9,600 + 900 + 0 = 10,500 万元
(1.05 亿元) of the general budget's 9,600 + 900 + 0 + 900 = 11,400 万元 = 92.11 % ("92.1%"); on the same
period of 2020 (to 2020-10-31) livelihood spending was 8,400 万元: growth 10,500 / 8,400 − 1 = 25.0 %.

Direct funds: ZD0001 received 15,000 万元, funds PA01 (12,000 allocated, 9,600 spent): allocated 80.0 %,
spent 9,600 / 15,000 = 64.0 %; ZD0002 received 5,000 万元, funds PB01 (5,000 allocated, 3,500 spent):
allocated 100.0 %, spent 70.0 %. Together received 20,000 万元 = 2.00 亿元, allocated 17,000 = 85.0 %,
spent 13,100 万元 = 1.31 亿元 = 65.5 % of what was received.

Finalised evaluations of 2021: PA01 key 92 (excellent), PA02 self 75 (fair), PB01 key 85 (good), PB02 self
55 (poor), PC01 self 70 (fair). Of 2020: A01's project self 80, B02's self 90; C03 had no project.

Scores C (budget-weighted mean of the project scores; no department-wide evaluation):
- A01: (92 × 12,000 + 75 × 3,000) / 15,000 = 88.60; last year 80 → Δ +8.60, increment rank 1.
- B02: (85 × 5,000 + 55 × 2,000) / 7,000 = 76.43; last year 90 → Δ −13.57, increment rank 2.
- C03: 70.00, no score last year → "new", listed last.

Budget reviews: one opinion, 1.00 亿元 submitted, 0.97 亿元 approved: 0.03 亿元 cut = 3.0 %.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from finance.models import Department, DirectFundGrant, FiscalYear, FundSource
from performance.models import Evaluation, RecomputeRun
from performance.services import recompute_all
from projects.models import Category, Project
from tests.factories import (
    BudgetReviewFactory,
    BudgetUnitFactory,
    DepartmentFactory,
    DirectFundGrantFactory,
    FiscalYearFactory,
    FunctionClassFactory,
    FundSourceFactory,
)
from tests.performance.conftest import evaluate, pay

AS_OF = datetime.date(2021, 10, 31)
LAST_YEAR_AS_OF = datetime.date(2020, 10, 31)


@dataclass
class District:
    """What the tests look up by name: departments, units, projects by code, grants and the run."""

    a: Department
    b: Department
    c: Department
    units: dict = field(default_factory=dict)
    projects: dict[str, Project] = field(default_factory=dict)
    grants: dict[str, DirectFundGrant] = field(default_factory=dict)
    run: RecomputeRun | None = None

    def recompute(self) -> RecomputeRun:
        self.run = recompute_all(year=2021, as_of=AS_OF)
        return self.run


def fiscal_years() -> None:
    FiscalYearFactory(year=2020, data_as_of=datetime.date(2020, 12, 31))
    FiscalYearFactory(year=2021, is_current=True, data_as_of=AS_OF)


def _project(unit, code: str, name: str, budget: str, *, year: int = 2021, **fields) -> Project:
    return Project.objects.create(
        fiscal_year=FiscalYear.objects.get(pk=year),
        code=code,
        name=name,
        unit=unit,
        budget=Decimal(budget),
        **fields,
    )


def add_a01_projects(district: District, names: dict[str, str]) -> None:
    """More A01 projects like PA01 (1,000 万元 each, nothing spent, self-evaluated 85 良), by code: name;
    the caller recomputes."""
    unit, pa01 = district.units["A01-01"], district.projects["PA01"]
    for code, name in names.items():
        added = _project(
            unit,
            code,
            name,
            "10000000.00",
            function_class=pa01.function_class,
            fund_source=pa01.fund_source,
            category=pa01.category,
        )
        evaluate(added, "85", kind=Evaluation.Kind.SELF)


def add_sibling_unit(district: District) -> Project:
    """A second unit of A01, A01-02 区第二中学, with its 2021 project PA09 教师培训 (500 万元, nothing spent,
    self-evaluated 85 良): another unit of the same department. The caller recomputes."""
    pa01 = district.projects["PA01"]
    unit = BudgetUnitFactory(department=district.a, code="A01-02", name="区第二中学")
    district.units["A01-02"] = unit
    project = _project(
        unit,
        "PA09",
        "教师培训",
        "5000000.00",
        function_class=pa01.function_class,
        fund_source=pa01.fund_source,
        category=pa01.category,
    )
    district.projects["PA09"] = project
    evaluate(project, "85", kind=Evaluation.Kind.SELF)
    return project


def build_district(department_a: Department, department_b: Department) -> District:
    """The district of the module docstring, without its recompute."""
    fiscal_years()
    education = FunctionClassFactory(code="205", name="教育", is_livelihood=True)
    health = FunctionClassFactory(code="210", name="卫生健康", is_livelihood=True)
    services = FunctionClassFactory(code="201", name="一般公共服务", is_livelihood=False)
    general = FundSourceFactory(code=FundSource.GENERAL_PUBLIC_BUDGET, name="一般公共预算")
    gov_fund = FundSourceFactory(code="gov_fund", name="政府性基金预算")
    department_c = DepartmentFactory(code="C03", name="区政务服务数据管理局")
    district = District(a=department_a, b=department_b, c=department_c)
    unit_a = BudgetUnitFactory(department=department_a, code="A01-01", name="区第一中学")
    unit_b = BudgetUnitFactory(department=department_b, code="B02-01", name="区人民医院")
    unit_c = BudgetUnitFactory(department=department_c, code="C03-01", name="区政务数据中心")
    district.units = {"A01-01": unit_a, "B02-01": unit_b, "C03-01": unit_c}
    year_2021 = FiscalYear.objects.get(pk=2021)
    district.grants = {
        "ZD0001": DirectFundGrantFactory(
            fiscal_year=year_2021, code="ZD0001", name="义务教育直达资金", amount=Decimal("150000000.00")
        ),
        "ZD0002": DirectFundGrantFactory(
            fiscal_year=year_2021, code="ZD0002", name="公共卫生直达资金", amount=Decimal("50000000.00")
        ),
    }
    p = district.projects
    p["PA01"] = _project(
        unit_a,
        "PA01",
        "学生资助",
        "120000000.00",
        function_class=education,
        fund_source=general,
        category=Category.LIVELIHOOD,
        grant=district.grants["ZD0001"],
    )
    p["PA02"] = _project(
        unit_a,
        "PA02",
        "校舍维修",
        "30000000.00",
        function_class=education,
        fund_source=general,
        category=Category.DEVELOPMENT,
    )
    p["PB01"] = _project(
        unit_b,
        "PB01",
        "医疗设备",
        "50000000.00",
        function_class=health,
        fund_source=gov_fund,
        category=Category.INVESTMENT,
        grant=district.grants["ZD0002"],
    )
    p["PB02"] = _project(
        unit_b,
        "PB02",
        "公共卫生服务",
        "20000000.00",
        function_class=health,
        fund_source=general,
        category=Category.OPERATING,
    )
    p["PC01"] = _project(
        unit_c,
        "PC01",
        "政务信息化",
        "10000000.00",
        function_class=services,
        fund_source=general,
        category=Category.OPERATING,
    )
    pay(p["PA01"], "40000000.00", datetime.date(2021, 3, 15))
    pay(p["PA01"], "56000000.00", datetime.date(2021, 9, 20))
    pay(p["PA02"], "9000000.00", datetime.date(2021, 6, 30))
    pay(p["PB01"], "35000000.00", datetime.date(2021, 5, 10))
    pay(p["PC01"], "9000000.00", datetime.date(2021, 8, 1))
    pay(p["PA01"], "1000000.00", datetime.date(2021, 11, 5))  # after the as-of date: not counted

    evaluate(p["PA01"], "92", kind=Evaluation.Kind.KEY, evaluator="某评价机构")
    evaluate(p["PA02"], "75", kind=Evaluation.Kind.SELF)
    evaluate(p["PB01"], "85", kind=Evaluation.Kind.KEY)
    evaluate(p["PB02"], "55", kind=Evaluation.Kind.SELF)
    evaluate(p["PC01"], "70", kind=Evaluation.Kind.SELF)

    last_a = _project(
        unit_a, "PA01", "学生资助", "100000000.00", year=2020, function_class=education, fund_source=general
    )
    last_b = _project(
        unit_b, "PB01", "医疗设备", "40000000.00", year=2020, function_class=health, fund_source=gov_fund
    )
    pay(last_a, "84000000.00", datetime.date(2020, 9, 1))
    evaluate(last_a, "80", kind=Evaluation.Kind.SELF, year=2020)
    evaluate(last_b, "90", kind=Evaluation.Kind.SELF, year=2020)

    BudgetReviewFactory(
        opinion_no="PS2021-001",
        project_name="区第一中学校舍维修工程",
        reviewed_on=datetime.date(2021, 5, 1),
        submitted_amount=Decimal("100000000.00"),
        approved_amount=Decimal("97000000.00"),
    )
    return district
