"""SPEC §12.3 downloads: who may download which self-evaluation, workbook and print view (another unit's
or department's → 404), and their queries, constant as projects grow."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import override_settings

from performance.models import SelfEvaluation
from projects.models import PerformanceTarget
from tests.factories import (
    BudgetUnitFactory,
    IndicatorFactory,
    PaymentFactory,
    ProjectFactory,
)
from tests.performance.self_evaluations.support import ACHIEVED, GOAL, REASON, workbook
from tests.reading import get, text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "query", "status"),
    [
        ("officer", {"unit": "B02-01"}, 200),
        ("officer", {"department": "B02"}, 200),
        ("head", {"department": "A01"}, 200),
        ("head", {"unit": "A01-02"}, 200),
        ("head", {"department": "B02"}, 404),
        ("head", {"unit": "B02-01"}, 404),
        ("other_head", {"department": "A01"}, 404),
        ("filler", {"unit": "A01-01"}, 200),
        ("filler", {"unit": "A01-02"}, 404),  # a sibling unit of the same department
        ("filler", {"department": "A01"}, 404),  # their own department as a whole
        ("filler", {"unit": "B02-01"}, 404),
        ("nobody", {"unit": "A01-01"}, 404),  # signed in, but no role
        ("nobody", {"department": "A01"}, 404),
        ("admin", {"department": "B02"}, 200),
        ("officer", {"unit": "ZZ-99"}, 404),
        ("officer", {"unit": "A01-01", "year": "1999"}, 404),
        ("officer", {"unit": "A01-01", "year": "²⁰²¹"}, 404),
        ("officer", {}, 400),
        ("officer", {"unit": "A01-01", "department": "A01"}, 400),
    ],
)
def test_who_may_download_which_workbook(client, request, school, filler, nobody, persona, query, status):
    user = request.getfixturevalue(persona)

    response = get(client, user, "/self-evaluations/workbook.xlsx", **query)

    assert response.status_code == status


def test_naming_neither_a_unit_nor_a_department_says_what_to_name(client, officer, school):
    response = get(client, officer, "/self-evaluations/workbook.xlsx", year="2021")

    assert response.status_code == 400
    assert "?unit=" in text(response)


@pytest.mark.parametrize("suffix", ["self-evaluation.xlsx", "self-evaluation/print/"])
@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("officer", "PB01", 200),
        ("head", "PA09", 200),
        ("other_head", "PA01", 404),
        ("head", "PB01", 404),
        ("filler", "PA01", 200),
        ("filler", "PA09", 404),  # a sibling unit's project
        ("filler", "PB01", 404),
        ("officer", "PA05", 404),  # a pool proposal has no self-evaluation
        ("officer", "NOPE", 404),
    ],
)
def test_who_may_download_and_print_which_project(
    client, request, school, filler, suffix, persona, code, status
):  # fmt: skip
    user = request.getfixturevalue(persona)

    response = get(client, user, f"/projects/2021/{code}/{suffix}")

    assert response.status_code == status


@pytest.mark.parametrize(
    "url",
    [
        "/projects/2021/PA01/self-evaluation.xlsx",
        "/projects/2021/PA01/self-evaluation/print/",
        "/self-evaluations/workbook.xlsx?unit=A01-01",
    ],
)
def test_anonymous_is_sent_to_the_login_page(client, school, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_workbook_makes_the_same_queries_for_1_and_5_projects(
    client, officer, department_a, school, django_assert_max_num_queries
):
    """12 queries whatever the count: the session, the user, the fiscal year, the user's groups, the
    unit, the projects; the budgets at the start of the year; then the sheets' five (scores, line
    completions, indicators, goals, records)."""
    unit = BudgetUnitFactory(department=department_a, code="A01-07", name="区第七中学")

    def measure() -> tuple[int, int]:
        client.force_login(officer)
        with django_assert_max_num_queries(12) as queries:
            response = client.get("/self-evaluations/workbook.xlsx", {"unit": "A01-07", "year": "2021"})
        return len(queries), len(workbook(response).sheetnames)

    def add_project() -> None:
        project = ProjectFactory(unit=unit, fiscal_year__year=2021)
        PaymentFactory(project=project)
        IndicatorFactory(project=project, actual_value=Decimal("80"))
        IndicatorFactory(project=project, deviation_reason=REASON)
        PerformanceTarget.objects.create(project=project, goal=GOAL)
        SelfEvaluation.objects.create(project=project, achieved=ACHIEVED)

    with override_settings(RECOMPUTE_ON_CHANGE=False):
        add_project()
    one, sheets_one = measure()
    with override_settings(RECOMPUTE_ON_CHANGE=False):
        for _ in range(4):
            add_project()
    five, sheets_five = measure()

    assert (sheets_one, sheets_five) == (1, 5)
    assert five == one


def test_a_projects_download_and_print_view_make_a_fixed_number_of_queries(
    client, officer, school, django_assert_max_num_queries
):
    """10 queries: the session, the user, the groups, the project, its budget at the start of the
    year; the sheet's five (as above)."""
    client.force_login(officer)
    for url in ("/projects/2021/PA01/self-evaluation.xlsx", "/projects/2021/PA01/self-evaluation/print/"):
        with django_assert_max_num_queries(10):
            response = client.get(url)
        assert response.status_code == 200
