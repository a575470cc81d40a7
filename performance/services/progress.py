"""SPEC §4.1 progress ratios (进度): spending against time, warnings, the monthly series, direct funds.

One pass over payments builds ``rc_project``, a temporary table of one row per approved project of the
year and of the year before, with its budget and spending in cents (``project_sums``). Every scope is
then rolled up from that table: GROUPING SETS on PostgreSQL, a UNION ALL of GROUP BYs on SQLite (which
has no GROUPING SETS); both give the same rows.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import connection

from finance.models import FundSource
from performance.models import RecomputeRun, ScopeKind, WarningLevel
from performance.services import _sql as sql

#: The temporary tables one run's steps share: per-project sums, and their roll-up to every scope.
PROJECT_SUMS = "rc_project"
ROLLUP = "rc_rollup"

RATIO_PLACES = Decimal("0.0001")


def ratio(numerator: int, denominator: int) -> Decimal:
    """numerator ÷ denominator to 4 places, halves away from zero; 0 when the denominator is 0."""
    if denominator == 0:
        return Decimal("0.0000")
    sign = -1 if (numerator < 0) != (denominator < 0) else 1
    units = (2 * abs(numerator) * 10_000 + abs(denominator)) // (2 * abs(denominator))
    return (Decimal(sign * units) / 10_000).quantize(RATIO_PLACES)


def yuan(cents: int) -> Decimal:
    """Exact cents back to 元 with two places."""
    return Decimal(int(cents)).scaleb(-2)


def growth(value: int, previous: int | None) -> Decimal | None:
    """Growth on the same period: value ÷ previous − 1, or None where last year has no figure."""
    if previous is None or previous == 0:
        return None
    return ratio(value - previous, previous)


def time_progress(*, as_of: datetime.date) -> Decimal:
    """Share of the year elapsed on ``as_of``: day of year ÷ days in the year (304/365 → 0.8329)."""
    days = 366 if calendar.isleap(as_of.year) else 365
    return ratio(as_of.timetuple().tm_yday, days)


def same_period_last_year(*, as_of: datetime.date) -> datetime.date:
    """The same month and day a year earlier; 28 February when ``as_of`` is 29 February."""
    if as_of.month == 2 and as_of.day == 29:
        return datetime.date(as_of.year - 1, 2, 28)
    return as_of.replace(year=as_of.year - 1)


def first_quarter_over(*, as_of: datetime.date) -> bool:
    """From 1 April a project that has still paid nothing is flagged ``zero_spending``."""
    return as_of > datetime.date(as_of.year, 3, 31)


def _gap_units(setting: Decimal) -> int:
    """A threshold in percentage points as an integer in 0.01 pp (the stored precision of a gap)."""
    return int((setting * 100).to_integral_value(ROUND_HALF_UP))


def warning_level(*, gap_pp: Decimal) -> WarningLevel:
    """normal at g ≥ −10 pp, attention at −20 ≤ g < −10, serious below −20 (thresholds are settings)."""
    if gap_pp >= settings.PROGRESS_ATTENTION_GAP_PP:
        return WarningLevel.NORMAL
    if gap_pp >= settings.PROGRESS_SERIOUS_GAP_PP:
        return WarningLevel.ATTENTION
    return WarningLevel.SERIOUS


def _warning_level_sql(gap: str) -> str:
    """The SQL twin of ``warning_level``; ``gap`` is in 0.01 pp (spending − time progress in 10⁻⁴)."""
    attention = sql.integer(_gap_units(settings.PROGRESS_ATTENTION_GAP_PP))
    serious = sql.integer(_gap_units(settings.PROGRESS_SERIOUS_GAP_PP))
    return (
        f"CASE WHEN {gap} >= {attention} THEN {sql.quote(WarningLevel.NORMAL)} "
        f"WHEN {gap} >= {serious} THEN {sql.quote(WarningLevel.ATTENTION)} "
        f"ELSE {sql.quote(WarningLevel.SERIOUS)} END"
    )


def _progress_units_sql(budget: str, spent: str) -> str:
    """Spending progress in 10⁻⁴: spent ÷ budget rounded half up, 0 where the budget is 0."""
    return f"(CASE WHEN {budget} > 0 THEN {sql.round_div(f'10000 * {spent}', budget)} ELSE 0 END)"


def _month_starts(as_of: datetime.date) -> list[datetime.date]:
    """The first day of each month of the year up to ``as_of``'s month."""
    return [datetime.date(as_of.year, month, 1) for month in range(1, as_of.month + 1)]


def _set_local(name: str, value: str) -> None:
    if sql.is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


def project_sums(*, year: int, as_of: datetime.date) -> int:
    """Build ``rc_project`` for the run: one pass over payments, summed per project; returns its rows.

    Year Y's projects carry what was spent to ``as_of`` and what was paid in each month of the year
    (a payment adds to one month's bucket only, so the pass costs one more addition per payment, not
    one per month; ``monthly_spending`` turns the buckets into month-end totals). Year Y−1's carry
    what was spent to the same date a year earlier (§4.2). Money columns are 64-bit integer cents,
    which PostgreSQL sums far faster than numeric. Payments are read in project order and summed as a
    stream (hash aggregation off for this statement): a hash of 775k groups is slower and far larger
    at scale 100. The per-project progress, gap, level and flags are computed here, once.
    """
    previous_year = sql.integer(year - 1)
    year = sql.integer(year)
    previous_as_of = same_period_last_year(as_of=as_of)
    month_starts = _month_starts(as_of)
    q1_over = first_quarter_over(as_of=as_of)
    t_units = sql.integer(int(time_progress(as_of=as_of) * 10_000))

    bucket_sums, bucket_params = "", []
    for index, start in enumerate(month_starts, 1):
        next_start = month_starts[index] if index < len(month_starts) else None
        condition = "paid_on >= %s" + (" AND paid_on < %s" if next_start else "")
        bucket_sums += f", {sql.sum_money('amount', condition)} AS b{index:02d}"
        bucket_params += [start, next_start] if next_start else [start]
    bucket_columns = "".join(
        f", CASE WHEN pr.fiscal_year_id = {year} "
        f"THEN {sql.bigint(sql.money_to_cents(f'COALESCE(pay.b{index:02d}, 0)'))} END AS b{index:02d}"
        for index in range(1, len(month_starts) + 1)
    )
    spent = f"CASE WHEN pr.fiscal_year_id = {year} THEN pay.spent_c ELSE pay.previous_c END"
    spent = f"COALESCE({spent}, 0)"
    spent_units = _progress_units_sql("b.budget_c", "b.spent_c")
    zero_spending = "b.spent_c = 0 AND b.budget_c > 0" if q1_over else "1 = 0"
    drop = f"DROP TABLE IF EXISTS {'pg_temp' if sql.is_postgres() else 'temp'}.{PROJECT_SUMS}"
    create = f"""
        CREATE TEMPORARY TABLE {PROJECT_SUMS} AS
        SELECT c.*,
               {_warning_level_sql("c.gap")} AS level
        FROM (
            SELECT b.*,
                   {spent_units} AS progress,
                   {spent_units} - {t_units} AS gap,
                   CASE WHEN {zero_spending} THEN 1 ELSE 0 END AS zero,
                   CASE WHEN b.spent_c > b.budget_c THEN 1 ELSE 0 END AS over
            FROM (
                SELECT pr.id AS project_id,
                       pr.fiscal_year_id AS year,
                       pr.department_id,
                       pr.unit_id,
                       pr.function_class_id,
                       pr.fund_source_id,
                       pr.grant_id,
                       {sql.bigint(sql.cents("pr.budget"))} AS budget_c,
                       {sql.bigint(spent)} AS spent_c,
                       CASE WHEN fs.code = %s THEN 1 ELSE 0 END AS general,
                       CASE WHEN fc.is_livelihood THEN 1 ELSE 0 END AS livelihood
                       {bucket_columns}
                FROM projects_project pr
                JOIN finance_fundsource fs ON fs.id = pr.fund_source_id
                JOIN finance_functionclass fc ON fc.id = pr.function_class_id
                LEFT JOIN (
                    SELECT project_id,
                           {sql.sum_cents("amount")} AS spent_c,
                           {sql.sum_cents("amount", "paid_on <= %s")} AS previous_c
                           {bucket_sums}
                    FROM finance_payment
                    WHERE paid_on <= %s
                    GROUP BY project_id
                    ORDER BY project_id
                ) pay ON pay.project_id = pr.id
                WHERE pr.fiscal_year_id IN ({year}, {previous_year}) AND pr.status = 'approved'
                {sql.fence()}
            ) b
            {sql.fence()}
        ) c
    """
    params = [FundSource.GENERAL_PUBLIC_BUDGET, previous_as_of, *bucket_params, as_of]
    with connection.cursor() as cursor:
        cursor.execute(drop)
        _set_local("enable_hashagg", "off")
        cursor.execute(create, params)
        _set_local("enable_hashagg", "on")
        if sql.is_postgres():
            cursor.execute(f"ANALYZE {PROJECT_SUMS}")
        cursor.execute(f"SELECT COUNT(*) FROM {PROJECT_SUMS}")
        return cursor.fetchone()[0]


def drop_temporary_tables(*names: str) -> None:
    schema = "pg_temp" if sql.is_postgres() else "temp"
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f"DROP TABLE IF EXISTS {schema}.{name}")


def drop_project_sums() -> None:
    drop_temporary_tables(PROJECT_SUMS, ROLLUP)


@dataclass(frozen=True)
class _Scope:
    kind: ScopeKind
    key: str | None  # the rc_project column grouped by; None for the whole district
    department: str  # the department_id of the scope's rows, as SQL over the group


_UNIT = _Scope(ScopeKind.UNIT, "unit_id", "MAX(department_id) FILTER (WHERE year = {year})")
_DEPARTMENT = _Scope(ScopeKind.DEPARTMENT, "department_id", "department_id")
_FUNCTION_CLASS = _Scope(ScopeKind.FUNCTION_CLASS, "function_class_id", "NULL")
_FUND_SOURCE = _Scope(ScopeKind.FUND_SOURCE, "fund_source_id", "NULL")
_DISTRICT = _Scope(ScopeKind.DISTRICT, None, "NULL")

ROLLED_UP_SCOPES = (_UNIT, _DEPARTMENT, _FUNCTION_CLASS, _FUND_SOURCE, _DISTRICT)
MONTHLY_SCOPES = (_DEPARTMENT, _FUNCTION_CLASS, _FUND_SOURCE, _DISTRICT)


def rollup_sql(*, scopes: tuple[_Scope, ...], measures: str, year: int) -> str:
    """Rows (scope_kind, scope_id, department_id, *measures) for each scope, from ``rc_project``."""
    year = sql.integer(year)
    if sql.is_postgres():
        grouped = [scope for scope in scopes if scope.key]

        def pick(value) -> str:
            branches = " ".join(f"WHEN GROUPING({s.key}) = 0 THEN {value(s)}" for s in grouped)
            return f"CASE {branches} ELSE {value(_DISTRICT)} END"

        sets = ", ".join(f"({s.key})" if s.key else "()" for s in scopes)
        return f"""
            SELECT {pick(lambda s: sql.quote(s.kind))} AS scope_kind,
                   {pick(lambda s: s.key or "NULL")} AS scope_id,
                   {pick(lambda s: s.department.format(year=year))} AS department_id,
                   {measures}
            FROM {PROJECT_SUMS}
            GROUP BY GROUPING SETS ({sets})
        """
    return " UNION ALL ".join(
        f"""
            SELECT {sql.quote(s.kind)} AS scope_kind, {s.key or "NULL"} AS scope_id,
                   {s.department.format(year=year)} AS department_id, {measures}
            FROM {PROJECT_SUMS}
            {f"GROUP BY {s.key}" if s.key else ""}
        """
        for s in scopes
    )


def progress_snapshots(*, run: RecomputeRun, as_of: datetime.date) -> int:
    """Write the §4.1 snapshot of every scope (project, unit, department, function class, fund source,
    district) for the run from ``rc_project``, rolled up once into ``rc_rollup``; returns the rows.

    Stored ratios are rounded half up to 4 places; the gap is spending − time progress as stored, in
    percentage points, and the warning level is decided on that gap, so a flag agrees with the figures
    shown beside it.
    """
    year = run.fiscal_year_id
    y, py = sql.integer(year), sql.integer(year - 1)
    t_units = sql.integer(int(time_progress(as_of=as_of) * 10_000))
    q1_over = first_quarter_over(as_of=as_of)
    buckets = "".join(
        f", COALESCE(SUM(b{m:02d}) FILTER (WHERE year = {y}), 0) AS b{m:02d}"
        for m in range(1, as_of.month + 1)
    )
    measures = f"""
        COUNT(*) FILTER (WHERE year = {y}) AS n,
        COALESCE(SUM(budget_c) FILTER (WHERE year = {y}), 0) AS budget_c,
        COALESCE(SUM(spent_c) FILTER (WHERE year = {y}), 0) AS spent_c,
        COUNT(*) FILTER (WHERE year = {y} AND level = 'attention') AS n_attention,
        COUNT(*) FILTER (WHERE year = {y} AND level = 'serious') AS n_serious,
        COUNT(*) FILTER (WHERE year = {y} AND zero = 1) AS n_zero,
        COUNT(*) FILTER (WHERE year = {y} AND over = 1) AS n_over,
        COUNT(*) FILTER (WHERE year = {py}) AS n_previous,
        SUM(budget_c) FILTER (WHERE year = {py}) AS previous_budget_c,
        SUM(spent_c) FILTER (WHERE year = {py}) AS previous_spent_c
        {buckets}
    """
    drop_temporary_tables(ROLLUP)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {ROLLUP} AS "
            f"{rollup_sql(scopes=ROLLED_UP_SCOPES, measures=measures, year=year)}"
        )
    # Project rows reuse the progress, gap and level rc_project already holds.
    projects = f"""
        SELECT {sql.quote(ScopeKind.PROJECT)} AS scope_kind, project_id AS scope_id, department_id,
               1 AS n, budget_c, spent_c,
               CASE WHEN level = 'attention' THEN 1 ELSE 0 END AS n_attention,
               CASE WHEN level = 'serious' THEN 1 ELSE 0 END AS n_serious,
               zero AS n_zero, over AS n_over,
               0 AS n_previous, NULL AS previous_budget_c, NULL AS previous_spent_c,
               progress, gap, level, zero AS is_zero
        FROM {PROJECT_SUMS}
        WHERE year = {y}
    """
    progress = _progress_units_sql("r.budget_c", "r.spent_c")
    zero_spending = "r.spent_c = 0 AND r.budget_c > 0" if q1_over else "1 = 0"
    rolled_up = f"""
        SELECT r.scope_kind, r.scope_id, r.department_id, r.n, r.budget_c, r.spent_c, r.n_attention,
               r.n_serious, r.n_zero, r.n_over, r.n_previous, r.previous_budget_c, r.previous_spent_c,
               {progress} AS progress, {progress} - {t_units} AS gap,
               {_warning_level_sql(f"({progress} - {t_units})")} AS level,
               CASE WHEN {zero_spending} THEN 1 ELSE 0 END AS is_zero
        FROM {ROLLUP} r
        WHERE r.n > 0
    """

    def growth_sql(column: str) -> str:
        previous = f"s.previous_{column}"
        change = sql.round_div_signed(f"10000 * (s.{column} - {previous})", previous)
        return f"CASE WHEN s.n_previous > 0 AND {previous} > 0 THEN {sql.to_decimal(change, 4)} END"

    statement = f"""
        INSERT INTO performance_progresssnapshot (
            run_id, scope_kind, scope_id, department_id, budget, spent, spending_progress, time_progress,
            gap_pp, warning_level, zero_spending, overspent, project_count, attention_projects,
            serious_projects, zero_spending_projects, overspent_projects, previous_budget, previous_spent,
            budget_growth, spent_growth
        )
        SELECT {sql.integer(run.pk)}, s.scope_kind, s.scope_id, s.department_id,
               {sql.to_decimal("s.budget_c", 2)}, {sql.to_decimal("s.spent_c", 2)},
               {sql.to_decimal("s.progress", 4)}, {sql.to_decimal(t_units, 4)},
               {sql.to_decimal("s.gap", 2)}, s.level, (s.is_zero = 1), (s.spent_c > s.budget_c),
               s.n, s.n_attention, s.n_serious, s.n_zero, s.n_over,
               CASE WHEN s.n_previous > 0 THEN {sql.to_decimal("s.previous_budget_c", 2)} END,
               CASE WHEN s.n_previous > 0 THEN {sql.to_decimal("s.previous_spent_c", 2)} END,
               {growth_sql("budget_c")}, {growth_sql("spent_c")}
        FROM ({projects} UNION ALL {rolled_up}) s
    """
    return sql.execute_insert(statement)


def monthly_spending(*, run: RecomputeRun, as_of: datetime.date) -> int:
    """Write the cumulative spending at each month end (and at ``as_of`` for its own month) of the
    department, function class, fund source and district scopes; returns the rows written. Reads
    the month buckets that ``progress_snapshots`` rolled up into ``rc_rollup``.

    Month m's point is what was spent to ``as_of`` less what was paid in the months after m, so a
    payment made before 1 January counts from January on. Projects have no stored series: a
    project's payments are few and its page sums them directly.
    """
    months = as_of.month
    kinds = ", ".join(sql.quote(scope.kind) for scope in MONTHLY_SCOPES)
    month_table = " UNION ALL ".join(f"SELECT {m} AS month" for m in range(1, months + 1))

    def cumulative(month: int) -> str:
        later = " - ".join(f"g.b{later:02d}" for later in range(month + 1, months + 1))
        return f"g.spent_c - {later}" if later else "g.spent_c"

    by_month = (
        "CASE mo.month " + " ".join(f"WHEN {m} THEN {cumulative(m)}" for m in range(1, months + 1)) + " END"
    )
    statement = f"""
        INSERT INTO performance_monthlyspending (run_id, scope_kind, scope_id, month, cumulative_spent)
        SELECT {sql.integer(run.pk)}, g.scope_kind, g.scope_id, mo.month, {sql.to_decimal(by_month, 2)}
        FROM {ROLLUP} g CROSS JOIN ({month_table}) mo
        WHERE g.n > 0 AND g.scope_kind IN ({kinds})
    """
    return sql.execute_insert(statement)


@dataclass(frozen=True)
class DirectFunds:
    """Central direct funds (§4.1): received R, allocated A, spent S; progress A ÷ R and S ÷ R."""

    received: Decimal
    allocated: Decimal
    spent: Decimal
    allocation_progress: Decimal
    spending_progress: Decimal


def direct_funds(*, year: int) -> DirectFunds:
    """R = Σ the year's grants; A = Σ budgets of projects funded from a grant; S = their spending.

    Reads ``rc_project``, so it runs inside a recompute after ``project_sums``.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {sql.sum_cents('amount')} FROM finance_directfundgrant WHERE fiscal_year_id = %s", [year]
        )
        received = int(cursor.fetchone()[0])
        cursor.execute(
            f"SELECT COALESCE(SUM(budget_c), 0), COALESCE(SUM(spent_c), 0) FROM {PROJECT_SUMS} "
            "WHERE year = %s AND grant_id IS NOT NULL",
            [year],
        )
        allocated, spent = (int(value) for value in cursor.fetchone())
    return DirectFunds(
        received=yuan(received),
        allocated=yuan(allocated),
        spent=yuan(spent),
        allocation_progress=ratio(allocated, received),
        spending_progress=ratio(spent, received),
    )
