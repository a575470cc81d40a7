"""SPEC §4.1 progress ratios and §4.2 livelihood share and growth, with the figures worked out by hand."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from performance.models import MonthlySpending, RunFigures, ScopeKind, WarningLevel
from performance.services import _sql as sql
from performance.services import (
    budget_review_totals,
    recompute_all,
    same_period_last_year,
    time_progress,
)
from performance.services.progress import ratio
from tests.factories import (
    BudgetReviewFactory,
    BudgetUnitFactory,
    DirectFundGrantFactory,
    FiscalYearFactory,
)
from tests.performance.conftest import district, pay, project, snapshot

pytestmark = pytest.mark.django_db

# 26 May 2021 is day 146 of 365: time progress 146/365 = 0.4000 exactly.
MAY_26 = datetime.date(2021, 5, 26)


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


@settings(max_examples=200, deadline=None)
@given(
    numerator=st.integers(min_value=0, max_value=10**13),
    denominator=st.integers(min_value=1, max_value=10**13),
)
def test_sql_rounding_matches_python_rounding(numerator, denominator):
    with connection.cursor() as cursor:
        # Money reaches this SQL as numeric on PostgreSQL and as a 64-bit integer on SQLite.
        a, b = f"CAST({numerator} AS NUMERIC)", f"CAST({denominator} AS NUMERIC)"
        cursor.execute(f"SELECT {sql.round_div(f'10000 * {a}', b)}")
        units = int(cursor.fetchone()[0])
    assert Decimal(units).scaleb(-4) == ratio(numerator, denominator)


BIG = 4 * 10**18  # two of these pass the 64-bit limit of 9 223 372 036 854 775 807


@pytest.mark.django_db
def test_a_64_bit_sum_is_exact_null_over_no_rows_and_refuses_to_overflow():
    values = "(SELECT 1 AS x UNION ALL SELECT NULL UNION ALL SELECT -7 UNION ALL SELECT %s) v"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql.sum_bigint('x')}, {sql.sum_bigint('x', 'x < 0')} FROM {values}", [BIG])
        # 1 − 7 + 4·10¹⁸ exactly (a float would give …999994 or …000000), and the filtered sum alone.
        row = cursor.fetchone()
        assert row == (BIG - 6, -7) and all(type(value) is int for value in row)  # not numeric
        cursor.execute(f"SELECT {sql.sum_bigint('x')} FROM {values} WHERE x > %s", [BIG, BIG])
        assert cursor.fetchone() == (None,)
    with pytest.raises(DatabaseError, match="(?i)out of range|overflow"), transaction.atomic():
        with connection.cursor() as cursor:
            three = "(SELECT %s AS x UNION ALL SELECT %s UNION ALL SELECT %s) v"
            cursor.execute(f"SELECT {sql.sum_bigint('x')} FROM {three}", [BIG, BIG, BIG])
            cursor.fetchone()


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_64_bit_sum_in_parallel_workers_adds_their_parts_exactly():
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE probe_sum AS "
            "SELECT n % 3 AS g, CAST(n AS bigint) * 1000003 AS x FROM generate_series(1, 200000) n"
        )
        cursor.execute("ANALYZE probe_sum")
        cursor.execute("SET LOCAL parallel_setup_cost = 0")
        cursor.execute("SET LOCAL parallel_tuple_cost = 0")
        cursor.execute("SET LOCAL min_parallel_table_scan_size = 0")
        statement = f"SELECT g, {sql.sum_bigint('x')} FROM probe_sum GROUP BY g ORDER BY g"
        cursor.execute(f"EXPLAIN {statement}")
        assert "Partial" in "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(statement)
        expected = [(r, sum(n * 1000003 for n in range(1, 200001) if n % 3 == r)) for r in range(3)]
        assert cursor.fetchall() == expected
