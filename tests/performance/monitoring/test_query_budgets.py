"""SPEC §9: the monitoring pages make the same number of queries whatever their rows: a report of 1 line
and of 20, /monitoring/ with 1 department and with many, and several rounds."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from performance.models import MonitoringReport
from tests.factories import (
    BudgetUnitFactory,
    DepartmentFactory,
    IndicatorFactory,
    ProjectFactory,
)
from tests.performance.monitoring.conftest import AS_OF, DEADLINE, page_url
from workflow.rounds import open_round

pytestmark = pytest.mark.django_db

#: The session, the user, their groups (a head's department), the to-do count; then the project (with
#: its reports, ``performance.projects``), the round, the report, its lines, the spending to the date,
#: the timeline and its actors.
REPORT_PAGE = 12
#: The session, the user, their groups (a head's department), the to-do count; officers: the years to
#: open a round in; the rounds, their progress by department, the projects without targets; a unit
#: filler: its reports.
MONITORING_PAGE = 9


def _queries(client, user, url, django_assert_max_num_queries, budget) -> int:
    client.force_login(user)
    with django_assert_max_num_queries(budget) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("persona", ["filler", "head", "bureau"])
def test_a_report_of_1_line_and_of_20_makes_the_same_queries(
    client, watched, bureau, request, persona, django_assert_max_num_queries
):
    user = request.getfixturevalue(persona)
    one = ProjectFactory(unit=watched["first"], fiscal_year_id=2021, code="PONE")
    IndicatorFactory(project=one, weight=Decimal("90"))
    many = ProjectFactory(unit=watched["first"], fiscal_year_id=2021, code="PMANY")
    for n in range(20):
        IndicatorFactory(
            project=many,
            weight=Decimal("4.5"),
            direction="qualitative" if n % 4 == 0 else "gte",
            target_value=None if n % 4 == 0 else Decimal("10"),
        )
    round_, _count = open_round(user=bureau, kind="monitoring", year=2021, as_of=AS_OF, deadline=DEADLINE)
    MonitoringReport.objects.filter(project__code="PMANY").update(state="submitted")

    counts = [
        _queries(client, user, page_url(round_, code=code), django_assert_max_num_queries, REPORT_PAGE)
        for code in ("PONE", "PMANY")
    ]

    assert counts[0] == counts[1]


@pytest.mark.parametrize("persona", ["filler", "head", "bureau"])
def test_the_monitoring_page_makes_the_same_queries_for_1_and_many_departments(
    client, watched, bureau, request, persona, django_assert_max_num_queries
):
    user = request.getfixturevalue(persona)
    open_round(user=bureau, kind="monitoring", year=2021, as_of=AS_OF, deadline=DEADLINE)
    one = _queries(client, user, "/monitoring/", django_assert_max_num_queries, MONITORING_PAGE)

    for _n in range(15):
        unit = BudgetUnitFactory(department=DepartmentFactory())
        project = ProjectFactory(unit=unit, fiscal_year_id=2021)
        IndicatorFactory(project=project, weight=Decimal("90"))
        ProjectFactory(unit=unit, fiscal_year_id=2021)  # without targets
        own = ProjectFactory(unit=watched["first"], fiscal_year_id=2021)
        IndicatorFactory(project=own, weight=Decimal("90"))
    for month in (8, 9, 10):
        open_round(
            user=bureau, kind="monitoring", year=2021, as_of=datetime.date(2021, month, 28), deadline=DEADLINE
        )
    many = _queries(client, user, "/monitoring/", django_assert_max_num_queries, MONITORING_PAGE)

    assert many == one
    if persona == "bureau":
        # The first round's 3, then 3 + 15 + 15 in each of three more.
        assert MonitoringReport.objects.count() == 3 + 3 * 33
