"""SPEC §14.1 on the pages: the warnings page lists the double deviations (双偏差) first, a department's
page shows its deviation counts and its double-deviation projects among its weak spots; role-scoped,
and in a number of queries that does not grow with the rows."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from performance.models import MonitoringLine, MonitoringReport
from projects.models import Direction
from tests.district import _project
from tests.reading import get, tables, text
from workflow.models import Round, State

pytestmark = pytest.mark.django_db

JUL_31 = datetime.date(2021, 7, 31)


def doubly_deviating(district, unit, code: str, *, round_: Round) -> None:
    """A project of 1,000,000 元 with nothing paid and an approved report expecting 2/3 of its targets
    ((60 × 1 + 30 × 0) ÷ 90 = 0.6667): a double deviation, 0 − 0.5808 = −58.08 pp behind on 31 July."""
    reference = district.projects["PA01"]
    project = _project(
        unit,
        code,
        f"双偏差项目{code}",
        "1000000.00",
        function_class=reference.function_class,
        fund_source=reference.fund_source,
    )
    report = MonitoringReport.objects.create(project=project, round=round_, state=State.APPROVED)
    for position, (expected, weight) in enumerate((("100", "60"), ("0", "30"))):
        MonitoringLine.objects.create(
            report=report,
            position=position,
            level1="产出指标",
            name=f"指标{position}",
            direction=Direction.AT_LEAST,
            target_value=Decimal("100"),
            expected_value=Decimal(expected),
            weight=Decimal(weight),
        )


@pytest.fixture
def july(district) -> Round:
    return Round.objects.create(
        kind=Round.Kind.MONITORING, fiscal_year_id=2021, as_of=JUL_31, deadline=datetime.date(2021, 8, 20)
    )


@pytest.fixture
def deviations(district, july):
    """One double deviation in A01 (the head's department) and one in B02."""
    with override_settings(RECOMPUTE_ON_CHANGE=False):
        doubly_deviating(district, district.units["A01-01"], "DDA1", round_=july)
        doubly_deviating(district, district.units["B02-01"], "DDB1", round_=july)
    district.recompute()
    return district


def double_deviation_table(response) -> list[list[str]]:
    return [cells for _class, cells in tables(response)[0]]


def test_officer_sees_the_double_deviations_first(client, deviations, officer):
    response = get(client, officer, "/progress/")

    rows = double_deviation_table(response)
    assert sorted(row[1] for row in rows) == ["DDA1", "DDB1"]
    a01 = next(row for row in rows if row[1] == "DDA1")
    assert a01[3] == "区第一中学"  # the unit
    # Expected completion, gap at 31 July (−58.08 pp), and the officer's link to open an item from it.
    assert a01[4:] == ["66.7%", "-58.1", "开立整改事项"]
    assert "source=double_deviation" in response.content.decode()
    page = text(response)
    assert page.index("双偏差") < page.index("按部门")


def test_head_sees_only_their_departments_double_deviations(client, deviations, head):
    rows = double_deviation_table(get(client, head, "/progress/"))

    assert [row[1] for row in rows] == ["DDA1"]
    assert "开立整改事项" not in rows[0]  # only the bureau opens items


def test_no_monitoring_round_no_section(client, district, officer):
    page = text(get(client, officer, "/progress/"))

    assert "双偏差" not in page


def test_department_page_shows_its_deviation_counts_and_double_deviations(client, deviations, head):
    response = get(client, head, "/departments/A01/")

    page = text(response)
    assert "双偏差项目DDA1" in page and "双偏差项目DDB1" not in page
    assert "2021-07-31" in page


def _queries(client, user, url: str) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_pages_make_the_same_queries_for_1_and_30_double_deviations(client, deviations, july, head):
    counts = {url: _queries(client, head, url) for url in ("/progress/", "/departments/A01/")}

    with override_settings(RECOMPUTE_ON_CHANGE=False):
        for n in range(29):
            doubly_deviating(deviations, deviations.units["A01-01"], f"DDX{n:02d}", round_=july)
    deviations.recompute()

    assert {url: _queries(client, head, url) for url in counts} == counts
    assert max(counts.values()) <= 15
    assert len(double_deviation_table(get(client, head, "/progress/"))) == 20  # paged
