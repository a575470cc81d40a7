"""SPEC §4.1 progress ratios (进度), per project: spending against time, warnings, direct funds.

One pass over payments builds ``rc_project`` (``project_sums_sql``), a work table of one row per
approved project of the year and of the year before, with its budget and spending in cents and the
evaluation behind its score (on PostgreSQL in parallel, slice by slice of project ids). Every scope is
then rolled up from that table (``rollups``). In a recompute on PostgreSQL the work tables are
unlogged tables in the run's own schema, which parallel workers can read (``sql.work_schema``);
elsewhere they are temporary tables.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import connection

from finance.models import FunctionClass, FundSource
from performance.models import Grade, ProgressSnapshot, warning_floors
from performance.services import _sql as sql
from performance.services.monitoring import (
    MonitoringRound,
    expected_completion_sql,
    monitoring_late_sum,
    monitoring_spent_sql,
    refresh_expected_completions,
    serious_gap_units,
    target_deviation_units,
)
from performance.services.scores import APPROVED, evaluation_picks_sql

#: The work tables one run's steps share (``sql.create_work_table``): per-project sums, and their
#: roll-up to every scope (``rollups``).
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


def time_progress_units(*, as_of: datetime.date) -> str:
    """``time_progress`` as an SQL integer in 10⁻⁴."""
    return sql.integer(int(time_progress(as_of=as_of) * 10_000))


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


def warning_level_sql(gap: str) -> str:
    """SPEC §4.1 warning level of a gap in 0.01 pp (spending − time progress in 10⁻⁴), by the levels
    of ``models.warning_floors``."""
    bands = [(level, None if floor is None else _gap_units(floor)) for level, floor in warning_floors()]
    return sql.band_case(gap, bands)


def progress_units_sql(budget: str, spent: str, *, bigint: bool = False) -> str:
    """SPEC §4.1 spending progress p in 10⁻⁴: spent ÷ budget rounded half up, 0 where the budget is 0.
    ``bigint``: both are 64-bit integers of one project (no numeric arithmetic needed)."""
    divide = sql.round_div_bigint if bigint else sql.round_div
    return f"(CASE WHEN {budget} > 0 THEN {divide(f'10000 * {spent}', budget)} ELSE 0 END)"


def snapshot_typed(expression: str, column: str) -> str:
    """``expression`` as the exact type of a progress snapshot column (see ``sql.typed``)."""
    return sql.typed(expression, ProgressSnapshot._meta.get_field(column))


def _id_in(column: str, ids: list[int]) -> str:
    """``column IN (ids)`` for a short list of ids read from the database; false when it is empty."""
    if not ids:
        return "1 = 0"
    return f"{column} IN ({', '.join(sql.integer(pk) for pk in ids)})"


def _month_starts(as_of: datetime.date) -> list[datetime.date]:
    """The first day of each month of the year up to ``as_of``'s month."""
    return [datetime.date(as_of.year, month, 1) for month in range(1, as_of.month + 1)]


def bucket(month: int) -> str:
    """The ``rc_project`` column of what was paid in ``month`` (2 to 12)."""
    return f"b{sql.integer(month):0>2}"


def _project_slices() -> list[tuple[int, int] | None]:
    """Half-open ranges of project ids, one per slice, or ``[None]`` for one statement over all.

    Each slice (``RECOMPUTE_PROJECT_SLICES``) is summed completely by one process (a ``Parallel
    Append`` of the slices), so the parallel workers hand over finished per-project rows instead of
    partial sums the leader would have to combine. Below ``RECOMPUTE_SLICE_MIN_PROJECTS`` project ids
    the pass runs as one statement without slices."""
    slices = settings.RECOMPUTE_PROJECT_SLICES
    if not sql.is_postgres() or slices < 2:
        return [None]
    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id), MAX(id) FROM projects_project")
        low, high = cursor.fetchone()
    if low is None or high - low + 1 < max(settings.RECOMPUTE_SLICE_MIN_PROJECTS, slices):
        return [None]
    size = high - low + 1
    bounds = [low + size * part // slices for part in range(slices)] + [high + 1]
    return list(zip(bounds, bounds[1:], strict=False))


def project_sums_sql(
    *, year: int, as_of: datetime.date, monitoring: MonitoringRound | None = None
) -> tuple[str, list]:
    """SPEC §4.1 (with §4.2–§4.4 per project): the SELECT that ``rc_project`` is created from, and its
    parameters: one row per approved project of ``year`` and of the year before.

    Year Y's projects carry what was spent to ``as_of`` and what was paid in each month of the year
    from February on (a payment adds to one month's bucket only; ``rollups.monthly_spending_sql``
    turns the buckets into month-end totals, for which January's own bucket is never needed:
    January's total is all that was spent less what was paid after it). Year Y−1's carry what was
    spent to the same date a year earlier (§4.2). Money columns are 64-bit integer cents, summed from
    ``Payment.amount_cents``. The per-project progress, gap, level and flags are computed here, once,
    and so is the evaluation behind Pᵢ (§4.4) with the totals the self-scoring check (§4.3) compares,
    and, for the projects with an approved report in the run's monitoring round (``monitoring``,
    §14.1), the expected target completion, the gap at the round's date and the deviations.

    Payments are read in project order and summed as a stream (``project_sums`` turns hash
    aggregation off): a hash of 775k groups is slower and far larger at scale 100. On PostgreSQL the
    projects are cut into slices of ids (``RECOMPUTE_PROJECT_SLICES``) joined by ``UNION ALL``, so
    parallel workers each sum and join whole slices and the statement runs on every core.
    """
    y, previous_year = sql.integer(year), sql.integer(year - 1)
    month_starts = _month_starts(as_of)
    months = range(2, len(month_starts) + 1)

    # One pass: the total to D, last year's total to D′ and what was paid in each month after January,
    # as 64-bit integers from the payments' 64-bit cents (``Payment.amount_cents``).
    payment_sums = {
        "spent_c": f"COALESCE({sql.sum_bigint('cents')}, 0)",
        "previous_c": f"COALESCE({sql.sum_bigint('cents', 'paid_on <= %s')}, 0)",
    }
    payment_params: list = [same_period_last_year(as_of=as_of)]
    for month in months:
        last = month == len(month_starts)
        condition = "paid_on >= %s" + ("" if last else " AND paid_on < %s")
        payment_sums[bucket(month)] = f"COALESCE({sql.sum_bigint('cents', condition)}, 0)"
        payment_params += month_starts[month - 1 : month + (0 if last else 1)]
    late = monitoring_late_sum(monitoring, as_of)
    if late is not None:
        after, next_month = late
        condition = "paid_on >= %s" + ("" if next_month is None else " AND paid_on < %s")
        payment_sums["monitoring_late_c"] = f"COALESCE({sql.sum_bigint('cents', condition)}, 0)"
        payment_params += [after] if next_month is None else [after, next_month]
    # The few fund sources and function classes are looked up once rather than joined per project.
    general_ids = list(
        FundSource.objects.filter(code=FundSource.GENERAL_PUBLIC_BUDGET).values_list("pk", flat=True)
    )
    livelihood_ids = list(FunctionClass.objects.filter(is_livelihood=True).values_list("pk", flat=True))
    project_columns = {
        **{c: c for c in ("id", "fiscal_year_id", "department_id", "unit_id", "function_class_id")},
        **{c: c for c in ("fund_source_id", "grant_id")},
        "budget_c": sql.bigint(sql.cents("budget")),
        "general": f"CASE WHEN {_id_in('fund_source_id', general_ids)} THEN 1 ELSE 0 END",
        "livelihood": f"CASE WHEN {_id_in('function_class_id', livelihood_ids)} THEN 1 ELSE 0 END",
    }
    # On PostgreSQL, asking for the order of the covering index (project_id, paid_on) INCLUDE (amount,
    # amount_cents) makes the pass read that index alone; SQLite finds the index by itself and would
    # sort again.
    payment_order = "ORDER BY project_id, paid_on" if sql.is_postgres() else ""

    def one_slice(ids: tuple[int, int] | None) -> str:
        payment_ids = project_ids = ""
        if ids is not None:
            low, high = sql.integer(ids[0]), sql.integer(ids[1])
            payment_ids = f" AND project_id >= {low} AND project_id < {high}"
            project_ids = f" AND id >= {low} AND id < {high}"
        # Last year's dimensions are not needed (the leaderboard takes only its score).
        evaluation_columns, evaluation_joins = evaluation_picks_sql(
            project_id="pr.id",
            year="pr.fiscal_year_id",
            id_range=ids,
            dimensions_if=f"pr.fiscal_year_id = {y}",
        )
        this_year = f"CASE WHEN pr.fiscal_year_id = {y}"
        if monitoring is None:
            monitoring_join = ""
            monitoring_columns = {
                "monitored": "0",
                "expected_u": sql.bigint("NULL"),
                "monitoring_spent_c": sql.bigint("NULL"),
            }
        else:
            reported = f"pr.fiscal_year_id = {y} AND mon.project_id IS NOT NULL"
            monitoring_join = f"""
                LEFT JOIN ({expected_completion_sql(round_id=monitoring.round_id, id_range=ids)}) mon
                  ON mon.project_id = pr.id
            """
            spent_then = monitoring_spent_sql(monitoring, as_of, bucket=bucket)
            monitoring_columns = {
                "monitored": f"CASE WHEN {reported} THEN 1 ELSE 0 END",
                "expected_u": f"CASE WHEN {reported} THEN mon.completion_u END",
                "monitoring_spent_c": f"CASE WHEN {reported} THEN {spent_then} END",
            }
        columns = {
            "project_id": "pr.id",
            "year": "pr.fiscal_year_id",
            **{c: f"pr.{c}" for c in ("department_id", "unit_id", "function_class_id", "fund_source_id")},
            **{c: f"pr.{c}" for c in ("grant_id", "budget_c")},
            "spent_c": f"COALESCE({this_year} THEN pay.spent_c ELSE pay.previous_c END, 0)",
            **{c: f"pr.{c}" for c in ("general", "livelihood")},
            **evaluation_columns,
            "self_total": "s.total",
            "self_excellent": f"CASE WHEN s.grade = {sql.quote(Grade.EXCELLENT)} THEN 1 ELSE 0 END",
            "key_total": "k.total",
            **monitoring_columns,
            # Last: only the roll-up reads the month buckets, and a scan of the table takes apart each
            # row only as far as the last column it needs.
            **{bucket(m): f"{this_year} THEN COALESCE(pay.{bucket(m)}, 0) END" for m in months},
        }
        # Both subqueries are grouped (the projects by their key, one row each), so neither is merged
        # into the query around it: their cents are computed once per project, not once per use.
        return f"""
            SELECT {sql.select_list(columns)}
            FROM (
                SELECT {sql.select_list(project_columns)}
                FROM projects_project
                WHERE fiscal_year_id IN ({y}, {previous_year}) AND status = {APPROVED}{project_ids}
                GROUP BY id
            ) pr
            LEFT JOIN (
                SELECT project_id, {sql.select_list(payment_sums)}
                FROM (
                    SELECT project_id, paid_on, amount_cents AS cents
                    FROM projects_payment
                    WHERE paid_on <= %s{payment_ids}
                    {payment_order}
                ) payment
                GROUP BY project_id
            ) pay ON pay.project_id = pr.id
            {evaluation_joins}
            {monitoring_join}
        """

    slices = [one_slice(ids) for ids in _project_slices()]
    # PostgreSQL only cuts slices (SQLite takes no parentheses around the members of a UNION ALL).
    projects = " UNION ALL ".join(f"({statement})" for statement in slices) if len(slices) > 1 else slices[0]
    params = [*payment_params, as_of] * len(slices)

    spent_units = progress_units_sql("b.budget_c", "b.spent_c", bigint=True)
    gap_units = f"({spent_units} - {time_progress_units(as_of=as_of)})"
    zero_spending = "b.spent_c = 0 AND b.budget_c > 0" if first_quarter_over(as_of=as_of) else "1 = 0"

    def year_value(expression: str, places: int, column: str) -> str:
        """A value of the year's project snapshot row (NULL on last year's rows), of its column's type."""
        return snapshot_typed(f"CASE WHEN b.year = {y} THEN {sql.to_decimal(expression, places)} END", column)

    derived = {
        **_monitoring_derived(monitoring, year_value),
        "progress": spent_units,
        "gap": gap_units,
        "zero": f"CASE WHEN {zero_spending} THEN 1 ELSE 0 END",
        "over": "CASE WHEN b.spent_c > b.budget_c THEN 1 ELSE 0 END",
        "level": snapshot_typed(warning_level_sql(gap_units), "warning_level"),
        # The values of the year's project snapshot rows, computed here in parallel and of their
        # columns' exact types, so that writing them converts nothing.
        "budget_d": year_value("b.budget_c", 2, "budget"),
        "spent_d": year_value("b.spent_c", 2, "spent"),
        "progress_d": year_value(spent_units, 4, "spending_progress"),
        "gap_d": year_value(gap_units, 2, "gap_pp"),
    }
    # No fence here: a subquery with OFFSET above the UNION ALL keeps PostgreSQL from running the
    # slices in parallel, so the (cheap, integer) progress expression is written out where it is used.
    return f"SELECT b.*, {sql.select_list(derived)} FROM ({projects}) b", params


def _monitoring_derived(monitoring: MonitoringRound | None, year_value) -> dict[str, str]:
    """SPEC §14.1 the deviations of a project with an approved report (flags 0/1) and the values of its
    snapshot row: the expected completion and the gap at the round's date, both as stored."""
    if monitoring is None:
        return {
            "dev_target": "0",
            "dev_spending": "0",
            "dev_double": "0",
            "expected_d": snapshot_typed("NULL", "expected_completion"),
            "monitoring_gap_d": snapshot_typed("NULL", "monitoring_gap_pp"),
        }
    progress = progress_units_sql("b.budget_c", "b.monitoring_spent_c", bigint=True)
    gap = f"({progress} - {time_progress_units(as_of=monitoring.as_of)})"
    target = f"b.expected_u < {target_deviation_units()}"
    spending = f"b.monitored = 1 AND {gap} < {serious_gap_units()}"
    return {
        "dev_target": f"CASE WHEN {target} THEN 1 ELSE 0 END",
        "dev_spending": f"CASE WHEN {spending} THEN 1 ELSE 0 END",
        "dev_double": f"CASE WHEN {target} AND {spending} THEN 1 ELSE 0 END",
        "expected_d": year_value("b.expected_u", 4, "expected_completion"),
        "monitoring_gap_d": year_value(f"CASE WHEN b.monitored = 1 THEN {gap} END", 2, "monitoring_gap_pp"),
    }


def project_sums(*, year: int, as_of: datetime.date, monitoring: MonitoringRound | None = None) -> int:
    """Build ``rc_project`` for the run (``project_sums_sql``) and analyse it; returns its rows. The
    round's approved reports without a stored expected completion get theirs first (usually none)."""
    if monitoring is not None:
        refresh_expected_completions(round_id=monitoring.round_id, missing=True)
    select, params = project_sums_sql(year=year, as_of=as_of, monitoring=monitoring)
    # Hash aggregation off: the payments are summed as a stream in project order. The leader has
    # enough to do taking the workers' rows and writing the table.
    with sql.local_settings(enable_hashagg="off", parallel_leader_participation="off"):
        rows = sql.create_work_table(PROJECT_SUMS, select, params)
    with connection.cursor() as cursor:
        if sql.is_postgres():
            # Statistics for the plans of the steps that read the table; a small sample does.
            with sql.local_settings(default_statistics_target="10"):
                cursor.execute(f"ANALYZE {PROJECT_SUMS}")
        if rows < 0:  # SQLite does not count the rows of CREATE TABLE … AS
            cursor.execute(f"SELECT COUNT(*) FROM {PROJECT_SUMS}")
            rows = cursor.fetchone()[0]
        return rows


def drop_project_sums() -> None:
    sql.drop_work_tables(PROJECT_SUMS, ROLLUP)


@dataclass(frozen=True)
class DirectFunds:
    """Central direct funds (§4.1): received R, allocated A, spent S; progress A ÷ R and S ÷ R."""

    received: Decimal
    allocated: Decimal
    spent: Decimal
    allocation_progress: Decimal
    spending_progress: Decimal


#: SPEC §4.1 central direct funds received R: Σ the year's grants, in cents.
DIRECT_FUNDS_RECEIVED = "SELECT {received} FROM finance_directfundgrant WHERE fiscal_year_id = %s"
#: SPEC §4.1 central direct funds allocated A and spent S: Σ budgets and spending of the year's
#: projects funded from a grant, in cents, from ``rc_project``.
DIRECT_FUNDS_ALLOCATED = (
    f"SELECT COALESCE(SUM(budget_c), 0), COALESCE(SUM(spent_c), 0) FROM {PROJECT_SUMS} "
    "WHERE year = %s AND grant_id IS NOT NULL"
)


def direct_funds(*, year: int) -> DirectFunds:
    """R = Σ the year's grants; A = Σ budgets of projects funded from a grant; S = their spending.

    Reads ``rc_project``, so it runs inside a recompute after ``project_sums``.
    """
    with connection.cursor() as cursor:
        cursor.execute(DIRECT_FUNDS_RECEIVED.format(received=sql.sum_cents("amount")), [year])
        received = int(cursor.fetchone()[0])
        cursor.execute(DIRECT_FUNDS_ALLOCATED, [year])
        allocated, spent = (int(value) for value in cursor.fetchone())
    return DirectFunds(
        received=yuan(received),
        allocated=yuan(allocated),
        spent=yuan(spent),
        allocation_progress=ratio(allocated, received),
        spending_progress=ratio(spent, received),
    )
