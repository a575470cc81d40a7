"""SPEC §4.1 progress ratios, warning levels and the monthly series, with the figures worked out by hand."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from performance.models import MonthlySpending, ScopeKind, WarningLevel
from performance.services import (
    recompute_all,
    same_period_last_year,
    time_progress,
)
from tests.factories import (
    BudgetUnitFactory,
    FiscalYearFactory,
)
from tests.performance.conftest import MAY_26, district, pay, project, snapshot

pytestmark = pytest.mark.django_db


# 26 May 2021 is day 146 of 365: time progress 146/365 = 0.4000 exactly.


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (datetime.date(2021, 10, 31), Decimal("0.8329")),  # 304/365 = 0.83287…
        (datetime.date(2021, 5, 26), Decimal("0.4000")),  # 146/365
        (datetime.date(2021, 2, 28), Decimal("0.1616")),  # 59/365 = 0.16164…
        (datetime.date(2020, 2, 28), Decimal("0.1612")),  # 59/366 = 0.16120… (leap year)
        (datetime.date(2020, 2, 29), Decimal("0.1639")),  # 60/366 = 0.16393…
        (datetime.date(2020, 12, 31), Decimal("1.0000")),  # 366/366
        (datetime.date(2021, 1, 1), Decimal("0.0027")),  # 1/365 = 0.00273…
    ],
)
def test_time_progress_is_day_of_year_over_days_in_year(as_of, expected):
    assert time_progress(as_of=as_of) == expected


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (datetime.date(2024, 2, 29), datetime.date(2023, 2, 28)),
        (datetime.date(2021, 2, 28), datetime.date(2020, 2, 28)),
        (datetime.date(2021, 10, 31), datetime.date(2020, 10, 31)),
    ],
)
def test_same_period_last_year_maps_29_february_to_28_february(as_of, expected):
    assert same_period_last_year(as_of=as_of) == expected


@pytest.mark.parametrize(
    ("spent", "gap_pp", "level"),
    [
        ("300100.00", "-9.99", WarningLevel.NORMAL),
        ("300000.00", "-10.00", WarningLevel.NORMAL),
        ("299900.00", "-10.01", WarningLevel.ATTENTION),
        ("200100.00", "-19.99", WarningLevel.ATTENTION),
        ("200000.00", "-20.00", WarningLevel.ATTENTION),
        ("199900.00", "-20.01", WarningLevel.SERIOUS),
        ("525000.00", "12.50", WarningLevel.NORMAL),
    ],
)
def test_warning_level_thresholds(year_2021, unit_a, spent, gap_pp, level):
    # Budget 1,000,000; time progress 0.4000 on 26 May, so the gap is spent ÷ 1,000,000 − 0.4000.
    scored = project(unit_a, "1000000")
    pay(scored, spent, datetime.date(2021, 5, 1))

    run = recompute_all(year=2021, as_of=MAY_26)

    row = snapshot(run, ScopeKind.PROJECT, scored.pk)
    assert (row.gap_pp, row.warning_level) == (Decimal(gap_pp), level)


def test_warning_levels_follow_the_threshold_settings(year_2021, unit_a, settings):
    settings.PROGRESS_ATTENTION_GAP_PP = Decimal("-5")
    settings.PROGRESS_SERIOUS_GAP_PP = Decimal("-15")
    spent_and_expected = {
        "350000.00": ("-5.00", WarningLevel.NORMAL),
        "349900.00": ("-5.01", WarningLevel.ATTENTION),
        "250000.00": ("-15.00", WarningLevel.ATTENTION),
        "249900.00": ("-15.01", WarningLevel.SERIOUS),
    }
    projects = {spent: project(unit_a, "1000000") for spent in spent_and_expected}
    for spent, scored in projects.items():
        pay(scored, spent, datetime.date(2021, 5, 1))

    run = recompute_all(year=2021, as_of=MAY_26)

    for spent, (gap, level) in spent_and_expected.items():
        row = snapshot(run, ScopeKind.PROJECT, projects[spent].pk)
        assert (row.gap_pp, row.warning_level) == (Decimal(gap), level)
    department = snapshot(run, ScopeKind.DEPARTMENT, unit_a.department_id)
    assert department.gap_pp == Decimal("-10.00")  # 1,199,800 / 4,000,000 = 0.29995 → 0.3000 against 0.4000
    assert department.warning_level == WarningLevel.ATTENTION


def test_gaps_at_and_either_side_of_minus_10_and_minus_20_points(year_2021, unit_a):
    # Each project: budget 1,000,000; time progress 0.4000 on 26 May.
    spent_and_expected = {
        "300000.00": ("0.3000", "-10.00", WarningLevel.NORMAL),
        "299900.00": ("0.2999", "-10.01", WarningLevel.ATTENTION),
        "300100.00": ("0.3001", "-9.99", WarningLevel.NORMAL),
        "200000.00": ("0.2000", "-20.00", WarningLevel.ATTENTION),
        "199900.00": ("0.1999", "-20.01", WarningLevel.SERIOUS),
        "200100.00": ("0.2001", "-19.99", WarningLevel.ATTENTION),
    }
    projects = {}
    for spent in spent_and_expected:
        projects[spent] = project(unit_a, "1000000")
        pay(projects[spent], spent, datetime.date(2021, 5, 1))

    run = recompute_all(year=2021, as_of=MAY_26)

    for spent, (progress, gap, level) in spent_and_expected.items():
        row = snapshot(run, ScopeKind.PROJECT, projects[spent].pk)
        assert (row.spending_progress, row.gap_pp, row.warning_level) == (
            Decimal(progress),
            Decimal(gap),
            level,
        )
        assert row.time_progress == Decimal("0.4000")
    department = snapshot(run, ScopeKind.DEPARTMENT, unit_a.department_id)
    assert department.budget == Decimal("6000000.00")  # 6 × 1,000,000
    assert department.spent == Decimal(
        "1500000.00"
    )  # 300,000 + 299,900 + 300,100 + 200,000 + 199,900 + 200,100
    assert department.spending_progress == Decimal("0.2500")  # 1,500,000 / 6,000,000
    assert department.gap_pp == Decimal("-15.00")  # 25.00 % − 40.00 %
    assert department.warning_level == WarningLevel.ATTENTION
    assert (department.project_count, department.attention_projects, department.serious_projects) == (6, 3, 1)


def test_every_scope_kind_is_rolled_up(year_2021, unit_a, unit_b, education, general_services):
    first = project(unit_a, "1000000", function_class=education)
    second = project(unit_a, "3000000", function_class=general_services)
    third = project(unit_b, "4000000", function_class=education)
    pay(first, "500000", datetime.date(2021, 3, 1))
    pay(second, "600000", datetime.date(2021, 3, 1))
    pay(third, "1000000", datetime.date(2021, 3, 1))

    run = recompute_all(year=2021, as_of=MAY_26)

    assert snapshot(run, ScopeKind.UNIT, unit_a.pk).spent == Decimal("1100000.00")  # 500,000 + 600,000
    assert snapshot(run, ScopeKind.DEPARTMENT, unit_b.department_id).spent == Decimal("1000000.00")
    education_row = snapshot(run, ScopeKind.FUNCTION_CLASS, education.pk)
    assert (education_row.budget, education_row.spent) == (Decimal("5000000.00"), Decimal("1500000.00"))
    assert education_row.spending_progress == Decimal("0.3000")  # 1,500,000 / 5,000,000
    assert education_row.department_id is None
    fund_source_row = snapshot(run, ScopeKind.FUND_SOURCE, first.fund_source_id)
    assert fund_source_row.budget == Decimal("8000000.00")
    whole = district(run)
    assert (whole.budget, whole.spent, whole.project_count) == (
        Decimal("8000000.00"),
        Decimal("2100000.00"),
        3,
    )
    assert whole.spending_progress == Decimal("0.2625")  # 2,100,000 / 8,000,000
    assert whole.gap_pp == Decimal("-13.75")  # 26.25 % − 40.00 %


def test_zero_budget_has_zero_spending_progress(year_2021, unit_a):
    empty = project(unit_a, "0")

    run = recompute_all(year=2021, as_of=MAY_26)

    row = snapshot(run, ScopeKind.PROJECT, empty.pk)
    assert row.spending_progress == Decimal("0.0000")  # 0 where the budget is 0
    assert row.gap_pp == Decimal("-40.00")  # 0 % − 40.00 %
    assert row.warning_level == WarningLevel.SERIOUS
    assert not row.zero_spending  # nothing to spend
    assert not row.overspent
    assert district(run).spending_progress == Decimal("0.0000")


def test_overspent_project_is_flagged(year_2021, unit_a):
    over = project(unit_a, "100000")
    pay(over, "70000", datetime.date(2021, 2, 1))
    pay(over, "50000", datetime.date(2021, 4, 1))
    exact = project(unit_a, "100000")
    pay(exact, "100000", datetime.date(2021, 2, 1))

    run = recompute_all(year=2021, as_of=MAY_26)

    row = snapshot(run, ScopeKind.PROJECT, over.pk)
    assert row.spent == Decimal("120000.00")  # 70,000 + 50,000
    assert row.spending_progress == Decimal("1.2000")  # 120,000 / 100,000
    assert row.gap_pp == Decimal("80.00")  # 120 % − 40 %
    assert row.overspent and row.warning_level == WarningLevel.NORMAL
    assert not snapshot(run, ScopeKind.PROJECT, exact.pk).overspent  # spending the whole budget is fine
    assert district(run).overspent_projects == 1


@pytest.mark.parametrize(
    ("as_of", "flagged"), [(datetime.date(2021, 3, 31), False), (datetime.date(2021, 4, 1), True)]
)
def test_zero_spending_is_flagged_once_the_first_quarter_is_over(year_2021, unit_a, as_of, flagged):
    idle = project(unit_a, "500000")
    busy = project(unit_a, "500000")
    pay(busy, "1000", datetime.date(2021, 1, 10))

    run = recompute_all(year=2021, as_of=as_of)

    assert snapshot(run, ScopeKind.PROJECT, idle.pk).zero_spending is flagged
    assert snapshot(run, ScopeKind.PROJECT, busy.pk).zero_spending is False
    assert snapshot(run, ScopeKind.DEPARTMENT, unit_a.department_id).zero_spending_projects == int(flagged)


def test_leap_day_time_progress_in_a_snapshot(unit_a):
    FiscalYearFactory(year=2020)
    leap = project(unit_a, "1000000", year=2020)
    pay(leap, "163900", datetime.date(2020, 2, 29))

    run = recompute_all(year=2020, as_of=datetime.date(2020, 2, 29))

    row = snapshot(run, ScopeKind.PROJECT, leap.pk)
    assert row.time_progress == Decimal("0.1639")  # day 60 of 366
    assert row.spending_progress == Decimal("0.1639")  # 163,900 / 1,000,000
    assert row.gap_pp == Decimal("0.00")


@pytest.mark.parametrize(
    ("budget", "spent", "expected"),
    [
        ("200.00", "0.01", "0.0001"),  # 0.00005 rounds half up
        ("200.00", "0.03", "0.0002"),  # 0.00015 rounds half up
        ("3.00", "1.00", "0.3333"),  # 0.33333…
        ("3.00", "2.00", "0.6667"),  # 0.66666…
    ],
)
def test_spending_progress_rounds_half_up_to_four_places(year_2021, unit_a, budget, spent, expected):
    tiny = project(unit_a, budget)
    pay(tiny, spent, datetime.date(2021, 2, 1))

    run = recompute_all(year=2021, as_of=MAY_26)

    assert snapshot(run, ScopeKind.PROJECT, tiny.pk).spending_progress == Decimal(expected)


def test_monthly_series_is_cumulative_to_each_month_end(year_2021, unit_a):
    monthly = project(unit_a, "1000000")
    pay(monthly, "100", datetime.date(2021, 1, 15))
    pay(monthly, "200", datetime.date(2021, 2, 28))
    pay(monthly, "300", datetime.date(2021, 3, 5))
    pay(monthly, "400", datetime.date(2021, 3, 20))  # after the as-of date

    run = recompute_all(year=2021, as_of=datetime.date(2021, 3, 14))

    series = list(
        MonthlySpending.objects.filter(run=run, scope_kind=ScopeKind.DISTRICT)
        .order_by("month")
        .values_list("month", "cumulative_spent")
    )
    assert series == [
        (1, Decimal("100.00")),
        (2, Decimal("300.00")),
        (3, Decimal("600.00")),
    ]  # 100; +200; +300
    department_series = MonthlySpending.objects.filter(
        run=run, scope_kind=ScopeKind.DEPARTMENT, scope_id=unit_a.department_id
    ).values_list("cumulative_spent", flat=True)
    assert sorted(department_series) == [Decimal("100.00"), Decimal("300.00"), Decimal("600.00")]


def test_monthly_series_in_january_is_one_point_with_what_was_paid_before_the_year(year_2021, unit_a):
    """As of a January date there is no month after January to subtract: the one point is all that
    was spent to D, a payment dated in December before the year included."""
    early = project(unit_a, "1000000")
    pay(early, "50", datetime.date(2020, 12, 30))  # paid ahead of the year: counts from January on
    pay(early, "100", datetime.date(2021, 1, 15))
    pay(early, "400", datetime.date(2021, 1, 25))  # after the as-of date

    run = recompute_all(year=2021, as_of=datetime.date(2021, 1, 20))

    series = MonthlySpending.objects.filter(run=run, scope_kind=ScopeKind.DISTRICT).values_list(
        "month", "cumulative_spent"
    )
    assert list(series) == [(1, Decimal("150.00"))]  # 50 + 100
    assert snapshot(run, ScopeKind.PROJECT, early.pk).spent == Decimal("150.00")


def test_a_unit_that_changed_department_has_one_row(year_2021, department_a, department_b):
    unit = BudgetUnitFactory(department=department_a)
    project(unit, "1000", year=2020)
    unit.department = department_b
    unit.save()
    project(unit, "2000")

    run = recompute_all(year=2021, as_of=MAY_26)

    row = snapshot(run, ScopeKind.UNIT, unit.pk)
    assert row.department_id == department_b.pk
    assert row.previous_budget == Decimal("1000.00")
