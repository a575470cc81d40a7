"""SPEC §4.2 livelihood share and growth on the same period of last year, the central direct funds and the
budget reviews' cut rate, with the figures worked out by hand."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from performance.models import RunFigures, ScopeKind
from performance.services import (
    budget_review_totals,
    recompute_all,
)
from tests.factories import (
    BudgetReviewFactory,
    DirectFundGrantFactory,
    FiscalYearFactory,
)
from tests.performance.conftest import MAY_26, district, pay, project, snapshot

pytestmark = pytest.mark.django_db


def test_growth_on_the_same_period_of_last_year(year_2021, unit_a, unit_b):
    last_year = project(unit_a, "800000", year=2020)
    pay(last_year, "100000", datetime.date(2020, 10, 31))
    pay(last_year, "50000", datetime.date(2020, 11, 1))  # after the same date last year
    this_year = project(unit_a, "1000000")
    pay(this_year, "150000", datetime.date(2021, 10, 31))
    newcomer = project(unit_b, "1000000")

    run = recompute_all(year=2021, as_of=datetime.date(2021, 10, 31))

    unit = snapshot(run, ScopeKind.UNIT, unit_a.pk)
    assert (unit.previous_budget, unit.previous_spent) == (Decimal("800000.00"), Decimal("100000.00"))
    assert unit.budget_growth == Decimal("0.2500")  # 1,000,000 / 800,000 − 1
    assert unit.spent_growth == Decimal("0.5000")  # 150,000 / 100,000 − 1
    assert snapshot(run, ScopeKind.PROJECT, this_year.pk).spent_growth is None
    other = snapshot(run, ScopeKind.UNIT, newcomer.unit_id)
    assert other.previous_budget is None and other.budget_growth is None  # no data last year
    assert district(run).budget_growth == Decimal("1.5000")  # 2,000,000 / 800,000 − 1


def test_growth_when_the_date_is_29_february(unit_a, education, general_budget):
    FiscalYearFactory(year=2023)
    FiscalYearFactory(year=2024)
    before = project(unit_a, "1000000", year=2023, function_class=education, fund_source=general_budget)
    pay(before, "200000", datetime.date(2023, 2, 28))
    pay(before, "100000", datetime.date(2023, 3, 1))  # after 28 February 2023
    now = project(unit_a, "1000000", year=2024, function_class=education, fund_source=general_budget)
    pay(now, "250000", datetime.date(2024, 2, 29))

    run = recompute_all(year=2024, as_of=datetime.date(2024, 2, 29))

    figures = RunFigures.objects.get(run=run)
    assert figures.previous_as_of == datetime.date(2023, 2, 28)
    assert figures.time_progress == Decimal("0.1639")  # day 60 of 366
    assert figures.previous_livelihood_spent == Decimal("200000.00")
    assert figures.livelihood_growth == Decimal("0.2500")  # 250,000 / 200,000 − 1
    assert district(run).spent_growth == Decimal("0.2500")


def test_livelihood_share_counts_general_public_budget_only(
    year_2021, unit_a, education, general_services, general_budget, fund_budget
):
    livelihood = project(unit_a, "1000000", function_class=education, fund_source=general_budget)
    pay(livelihood, "816000", datetime.date(2021, 6, 1))
    other = project(unit_a, "1000000", function_class=general_services, fund_source=general_budget)
    pay(other, "184000", datetime.date(2021, 6, 1))
    fund = project(unit_a, "1000000", function_class=education, fund_source=fund_budget)
    pay(fund, "500000", datetime.date(2021, 6, 1))  # livelihood class but not general public budget
    last_year = project(unit_a, "1000000", year=2020, function_class=education, fund_source=general_budget)
    pay(last_year, "765500", datetime.date(2020, 10, 31))

    run = recompute_all(year=2021, as_of=datetime.date(2021, 10, 31))

    figures = RunFigures.objects.get(run=run)
    assert figures.general_budget_spent == Decimal("1000000.00")  # 816,000 + 184,000
    assert figures.livelihood_spent == Decimal("816000.00")
    assert figures.livelihood_share == Decimal("0.8160")  # 816,000 / 1,000,000
    assert figures.previous_livelihood_spent == Decimal("765500.00")
    assert figures.livelihood_growth == Decimal("0.0660")  # 816,000 / 765,500 − 1 = 0.06597…


def test_livelihood_growth_is_empty_without_last_years_data(year_2021, unit_a, education, general_budget):
    pay(project(unit_a, "1000", function_class=education, fund_source=general_budget), "10", MAY_26)

    figures = RunFigures.objects.get(run=recompute_all(year=2021, as_of=MAY_26))

    assert figures.previous_livelihood_spent is None and figures.livelihood_growth is None


def test_central_direct_funds_allocation_and_spending_progress(year_2021, unit_a):
    first_grant = DirectFundGrantFactory(amount=Decimal("1000000.00"))
    second_grant = DirectFundGrantFactory(amount=Decimal("500000.00"))
    DirectFundGrantFactory(fiscal_year=FiscalYearFactory(year=2020), amount=Decimal("700000.00"))
    first = project(unit_a, "900000", grant=first_grant)
    pay(first, "450000", datetime.date(2021, 4, 1))
    second = project(unit_a, "600000", grant=second_grant)
    pay(second, "300000", datetime.date(2021, 4, 1))
    pay(project(unit_a, "1000000"), "999999", datetime.date(2021, 4, 1))  # not from a grant

    figures = RunFigures.objects.get(run=recompute_all(year=2021, as_of=MAY_26))

    assert figures.direct_funds_received == Decimal("1500000.00")  # 1,000,000 + 500,000 (2021 only)
    assert figures.direct_funds_allocated == Decimal("1500000.00")  # 900,000 + 600,000
    assert figures.direct_funds_allocation_progress == Decimal("1.0000")
    assert figures.direct_funds_spent == Decimal("750000.00")  # 450,000 + 300,000
    assert figures.direct_funds_spending_progress == Decimal("0.5000")  # 750,000 / 1,500,000


def test_budget_review_cut_rate_is_total_cut_over_total_submitted(year_2021):
    BudgetReviewFactory(
        reviewed_on=datetime.date(2021, 5, 1),
        submitted_amount=Decimal("1000000"),
        approved_amount=Decimal("970000"),
    )
    BudgetReviewFactory(
        reviewed_on=datetime.date(2021, 9, 30),
        submitted_amount=Decimal("3000000"),
        approved_amount=Decimal("2900000"),
    )
    BudgetReviewFactory(reviewed_on=datetime.date(2021, 11, 15))  # after the as-of date
    BudgetReviewFactory(reviewed_on=datetime.date(2020, 12, 1))  # last year

    figures = RunFigures.objects.get(run=recompute_all(year=2021, as_of=datetime.date(2021, 10, 31)))

    assert figures.review_count == 2
    assert figures.review_submitted == Decimal("4000000.00")  # 1,000,000 + 3,000,000
    assert figures.review_cut == Decimal("130000.00")  # 30,000 + 100,000
    assert figures.review_cut_rate == Decimal("0.0325")  # 130,000 / 4,000,000, not (3 % + 3.33 %) / 2
    whole_period = budget_review_totals(start=datetime.date(2020, 1, 1), end=datetime.date(2021, 12, 31))
    assert whole_period.count == 4
    assert whole_period.cut == Decimal("190000.00")  # 130,000 + 2 × the factory's 30,000
