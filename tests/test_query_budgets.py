"""SPEC §9: every page makes the same number of queries, at most 15, with 1 and with 30 departments'
worth of rows, for an officer and for a head (one fixed bound per page for both sizes)."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

import pytest
from django.test import override_settings

from finance.models import Department, DirectFundGrant, FiscalYear, FundSource
from performance.models import Evaluation
from performance.services import recompute_all
from performance.services.evaluation_steps import create_evaluation
from projects.models import Project
from tests.district import AS_OF, fiscal_years
from tests.factories import (
    BudgetUnitFactory,
    DeclaredIndicatorFactory,
    DepartmentFactory,
    FunctionClassFactory,
    FundSourceFactory,
    TargetDeclarationFactory,
    propose_adjustments,
)
from tests.performance.conftest import evaluate, pay
from tests.reading import tables
from workflow.services import record_step, timeline

pytestmark = pytest.mark.django_db

#: Queries per page, the same for 1 and 30 departments. Every page makes: the session, the user, the
#: user's groups, the head's department (roles context processor), the to-do count (the header), the
#: fiscal years, the year's newest run with its recompute state; then its own reads, each one query
#: whatever the number of rows.
PAGE_BUDGETS = {
    # + district, figures, monthly series, function classes, departments and units, grades, and the
    # district's rectification items (SPEC §14.2: one aggregate)
    "/": 15,
    "/leaderboard/": 9,  # + the leaderboard rows with their departments
    "/departments/A01/": 15,  # + department, entry, snapshots, weak spots, history, profile, projects
    "/projects/": 12,  # + filter choices (departments, classes, sources), count, page of rows
    # + project, snapshot, computed self-evaluation (§4.3), payments by month, indicators, evaluations,
    # lineage, three for the history
    "/projects/2021/PA00/": 15,
    "/progress/": 13,  # + warnings page and count, by department page and count
    "/direct-funds/": 8,  # officers only: + grants with allocated and spent, the figures
    "/evaluations/": 12,  # + key summary, inflated self-scores, filter choices, count, page of rows
    # + filter choices, count, page of rows, the effect per department, officers: the pending rows
    # of the filter (for deciding them all at once)
    "/adjustments/": 12,
    "/todo/": 10,  # + per kind of record (six for an officer): its count and its first rows
    "/rounds/": 8,  # + the rounds, the chosen round's progress by department
    # + officers: the years to open a round in; the monitoring rounds, their progress by department,
    # the projects without targets per year
    "/monitoring/": 9,
    "/rectification/": 11,  # + filter choices (departments), count, page of items
    # + the project, its self-evaluation, indicators, the computed scores, the rows' completions, the
    # goal, the timeline
    "/projects/2021/PA00/self-evaluation/": 15,
    "/standards/coverage/": 10,  # + the fiscal years, the departments, the grouped counts (SPEC §13)
    # + the project, its versions of targets, the shown version's indicators, the template, the timeline
    "/projects/2021/PA00/targets/": 10,
}
HEAD_PAGES = [url for url in PAGE_BUDGETS if url != "/direct-funds/"]
MAX_QUERIES = 15

_serial = itertools.count()


class Grower:
    """One department's worth of rows, then more: A01 (the head's) starts with PA00, paid,
    self-evaluated and with a draft of its targets, and a 2020 project with its score. Each department
    added brings a unit, two 2021 projects (one paid, funded from a direct fund grant and key-evaluated;
    one unpaid and self-evaluated: a warning), a 2020 project with its score, and to A01 one more paid
    and self-evaluated project, one more payment on PA00 and one more indicator in its targets."""

    def __init__(self, department_a: Department):
        fiscal_years()
        self.education = FunctionClassFactory(code="205", name="教育", is_livelihood=True)
        self.general = FundSourceFactory(code=FundSource.GENERAL_PUBLIC_BUDGET, name="一般公共预算")
        self.year = FiscalYear.objects.get(pk=2021)
        self.last_year = FiscalYear.objects.get(pk=2020)
        with override_settings(RECOMPUTE_ON_CHANGE=False):
            self.unit_a = BudgetUnitFactory(department=department_a, code="A01-01", name="区第一中学")
            self.first = self.project(self.unit_a, "学生资助", code="PA00")
            pay(self.first, "300000.00", datetime.date(2021, 4, 1))
            evaluate(self.first, "82", kind=Evaluation.Kind.SELF)
            self.targets = TargetDeclarationFactory(project=self.first)
            record_step(self.targets, action="create", from_state="", to_state="draft")
            last = self.project(self.unit_a, "学生资助", code="PA00", year=self.last_year)
            evaluate(last, "75", kind=Evaluation.Kind.SELF, year=2020)
        self.recompute()

    def project(self, unit, name: str, *, code: str | None = None, year=None, **fields) -> Project:
        n = next(_serial)
        return Project.objects.create(
            fiscal_year=year or self.year,
            code=code or f"P{n:04d}",
            name=f"{name}{n}",
            unit=unit,
            function_class=self.education,
            fund_source=self.general,
            budget=Decimal("1000000.00"),
            **fields,
        )

    def grow(self, departments: int) -> None:
        with override_settings(RECOMPUTE_ON_CHANGE=False):
            for _ in range(departments):
                self._one_department()
        self.recompute()

    def _one_department(self) -> None:
        own = self.project(self.unit_a, "课后服务")
        pay(own, "300000.00", datetime.date(2021, 4, 1))
        evaluate(own, "82", kind=Evaluation.Kind.SELF)
        pay(self.first, "10000.00", datetime.date(2021, 5, 1))
        DeclaredIndicatorFactory(declaration=self.targets)
        unit = BudgetUnitFactory(department=DepartmentFactory())
        grant = DirectFundGrant.objects.create(
            fiscal_year=self.year,
            code=f"ZD{next(_serial):04d}",
            name="直达资金",
            source_level=DirectFundGrant.SourceLevel.CENTRAL,
            amount=Decimal("1000000.00"),
            received_on=datetime.date(2021, 3, 1),
        )
        paid = self.project(unit, "医疗设备", grant=grant)
        pay(paid, "500000.00", datetime.date(2021, 6, 1))
        evaluate(paid, "91", kind=Evaluation.Kind.KEY)
        evaluate(self.project(unit, "公共服务"), "58", kind=Evaluation.Kind.SELF)
        last = self.project(unit, "医疗设备", year=self.last_year)
        evaluate(last, "75", kind=Evaluation.Kind.SELF, year=2020)

    def recompute(self) -> None:
        recompute_all(year=2021, as_of=AS_OF)
        propose_adjustments(2021)


def measure(client, user, urls, django_assert_max_num_queries) -> tuple[dict[str, int], dict[str, int]]:
    """Per page: the queries it made and the rows its (last) table shows."""
    counts, shown = {}, {}
    for url in urls:
        client.force_login(user)
        with django_assert_max_num_queries(PAGE_BUDGETS[url]) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(queries)
        tables_ = tables(response)
        shown[url] = len(tables_[-1]) if tables_ else 0
    return counts, shown


@pytest.mark.parametrize(("persona", "urls"), [("officer", list(PAGE_BUDGETS)), ("head", HEAD_PAGES)])
def test_each_page_makes_the_same_queries_for_1_and_30_departments(
    client, department_a, request, persona, urls, django_assert_max_num_queries
):
    user = request.getfixturevalue(persona)
    grower = Grower(department_a)

    one, shown_one = measure(client, user, urls, django_assert_max_num_queries)
    grower.grow(29)
    thirty, shown_thirty = measure(client, user, urls, django_assert_max_num_queries)

    assert thirty == one
    assert max(one.values()) <= MAX_QUERIES
    # The pages did show more rows the second time (a full page of them where they are paginated).
    assert (shown_one["/leaderboard/"], shown_thirty["/leaderboard/"]) == (1, 30)
    for url in ("/projects/", "/departments/A01/", "/evaluations/", "/adjustments/"):
        assert (shown_one[url], shown_thirty[url]) == (1, 25), url
    if persona == "officer":
        assert shown_thirty["/projects/2021/PA00/"] == 30  # change history: the newest 30 entries


#: SPEC §12.2's pages: the session, the user, the user's groups (and a head's department), the to-do
#: count in the header; then their own reads, each one query whatever the number of rows.
EVALUATION_BUDGETS = {
    "new": 7,  # officers only: + fiscal years, the year's projects and the departments for the choices
    "page": 7,  # + the evaluation with its project, unit and department, the timeline with its actors
}


def test_the_evaluation_pages_make_the_same_queries_for_1_and_30_departments(
    client, department_a, officer, head, django_assert_max_num_queries
):
    grower = Grower(department_a)
    key = create_evaluation(
        Evaluation(fiscal_year_id=2021, kind="key", key_category="livelihood", project=grower.first),
        user=officer,
    )
    pages = {"new": "/evaluations/new/?year=2021", "page": f"/evaluations/{key.pk}/"}

    def measured(user, names) -> dict[str, int]:
        client.force_login(user)
        counts = {}
        for name in names:
            with django_assert_max_num_queries(EVALUATION_BUDGETS[name]) as queries:
                assert client.get(pages[name]).status_code == 200, name
            counts[name] = len(queries)
        return counts

    one = (measured(officer, ["new", "page"]), measured(head, ["page"]))
    grower.grow(29)
    for _ in range(15):  # a timeline of 31 steps
        record_step(key, action="finalise", from_state="draft", to_state="finalised", user=officer)
        record_step(
            key, action="reopen", from_state="finalised", to_state="draft", user=officer, reason="复核"
        )
    thirty = (measured(officer, ["new", "page"]), measured(head, ["page"]))

    assert thirty == one
    assert len(timeline(key)) == 31
