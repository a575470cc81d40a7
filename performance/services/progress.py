"""SPEC §4.1 progress ratios (进度): spending against time, warnings, the monthly series, direct funds.

One pass over payments builds ``rc_project``, a work table of one row per approved project of the
year and of the year before, with its budget and spending in cents and the evaluation behind its score
(``project_sums``; on PostgreSQL in parallel, slice by slice of project ids). Every scope is then rolled
up from that table: GROUPING SETS on PostgreSQL, a UNION ALL of GROUP BYs on SQLite (which has no
GROUPING SETS); both give the same rows. In a recompute on PostgreSQL the work tables are unlogged
tables in the run's own schema, which parallel workers can read (``sql.work_schema``); elsewhere they
are temporary tables.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import connection

from finance.models import FunctionClass, FundSource
from performance.models import Grade, ProgressSnapshot, RecomputeRun, ScopeKind, WarningLevel
from performance.services import _sql as sql
from performance.services.partitions import create_snapshot_partition, snapshot_ids_sql
from performance.services.scores import evaluation_picks_sql

#: The work tables one run's steps share (``sql.create_work_table``): per-project sums, and their
#: roll-up to every scope.
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


def _progress_units_sql(budget: str, spent: str, *, bigint: bool = False) -> str:
    """Spending progress in 10⁻⁴: spent ÷ budget rounded half up, 0 where the budget is 0. ``bigint``:
    both are 64-bit integers of one project (no numeric arithmetic needed)."""
    divide = sql.round_div_bigint if bigint else sql.round_div
    return f"(CASE WHEN {budget} > 0 THEN {divide(f'10000 * {spent}', budget)} ELSE 0 END)"


def _snapshot_typed(expression: str, column: str) -> str:
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


def project_sums(*, year: int, as_of: datetime.date) -> int:
    """Build ``rc_project`` for the run: one pass over payments, summed per project; returns its rows.

    One row per approved project of the year and of the year before. Year Y's projects carry what was
    spent to ``as_of`` and what was paid in each month of the year from February on (a payment adds
    to one month's bucket only; ``monthly_spending`` turns the buckets into month-end totals, for
    which January's own bucket is never needed: January's total is all that was spent less what was
    paid after it). Year Y−1's carry what was spent to the same date a year earlier (§4.2). Money
    columns are 64-bit integer cents, summed from ``Payment.amount_cents``. The per-project
    progress, gap, level and flags are computed here, once, and so is the evaluation behind Pᵢ
    (§4.4) with the totals the self-scoring check (§4.3) compares.

    Payments are read in project order and summed as a stream (hash aggregation off for this
    statement): a hash of 775k groups is slower and far larger at scale 100. On PostgreSQL the
    projects are cut into slices of ids (``RECOMPUTE_PROJECT_SLICES``) joined by ``UNION ALL``, so parallel
    workers each sum and join whole slices and the statement runs on every core.
    """
    previous_year = sql.integer(year - 1)
    y = sql.integer(year)
    previous_as_of = same_period_last_year(as_of=as_of)
    month_starts = _month_starts(as_of)
    q1_over = first_quarter_over(as_of=as_of)
    t_units = sql.integer(int(time_progress(as_of=as_of) * 10_000))

    # One pass: the total to D, last year's total to D′ and what was paid in each month after January.
    sums = [("spent_c", f"COALESCE({sql.sum_bigint('cents')}, 0)", [])]
    previous = sql.sum_bigint("cents", "paid_on <= %s")
    sums.append(("previous_c", f"COALESCE({previous}, 0)", [previous_as_of]))
    for index, start in enumerate(month_starts[1:], 2):
        next_start = month_starts[index] if index < len(month_starts) else None
        condition = "paid_on >= %s" + (" AND paid_on < %s" if next_start else "")
        values = [start, next_start] if next_start else [start]
        sums.append((f"b{index:02d}", f"COALESCE({sql.sum_bigint('cents', condition)}, 0)", values))
    # Sums of the payments' 64-bit cents (``Payment.amount_cents``) as 64-bit integers.
    pay_sql = ", ".join(f"{total} AS {name}" for name, total, _ in sums)
    pay_params = [value for _, _, values in sums for value in values]
    bucket_columns = "".join(
        f", CASE WHEN pr.fiscal_year_id = {y} THEN COALESCE(pay.b{index:02d}, 0) END AS b{index:02d}"
        for index in range(2, len(month_starts) + 1)
    )
    spent_units = _progress_units_sql("b.budget_c", "b.spent_c", bigint=True)
    zero_spending = "b.spent_c = 0 AND b.budget_c > 0" if q1_over else "1 = 0"
    # The few fund sources and function classes are looked up once rather than joined per project.
    general_ids = list(
        FundSource.objects.filter(code=FundSource.GENERAL_PUBLIC_BUDGET).values_list("pk", flat=True)
    )
    livelihood_ids = list(FunctionClass.objects.filter(is_livelihood=True).values_list("pk", flat=True))

    # On PostgreSQL, asking for the order of the covering index (project_id, paid_on) INCLUDE (amount,
    # amount_cents) makes the pass read that index alone; SQLite finds the index by itself and would
    # sort again.
    payment_order = "ORDER BY project_id, paid_on" if sql.is_postgres() else ""

    def one_slice(ids: tuple[int, int] | None) -> tuple[str, list]:
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
        # Both subqueries are grouped (the projects by their key, one row each), so neither is merged
        # into the query around it: their cents are computed once per project, not once per use.
        statement = f"""
            SELECT pr.id AS project_id,
                   pr.fiscal_year_id AS year,
                   pr.department_id,
                   pr.unit_id,
                   pr.function_class_id,
                   pr.fund_source_id,
                   pr.grant_id,
                   pr.budget_c,
                   COALESCE(CASE WHEN pr.fiscal_year_id = {y} THEN pay.spent_c ELSE pay.previous_c END, 0)
                       AS spent_c,
                   pr.general,
                   pr.livelihood,
                   {evaluation_columns},
                   s.total AS self_total,
                   CASE WHEN s.grade = {sql.quote(Grade.EXCELLENT)} THEN 1 ELSE 0 END AS self_excellent,
                   k.total AS key_total
                   -- Last: only the roll-up reads the month buckets, and a scan of the table takes
                   -- apart each row only as far as the last column it needs.
                   {bucket_columns}
            FROM (
                SELECT id, fiscal_year_id, department_id, unit_id, function_class_id, fund_source_id,
                       grant_id, {sql.bigint(sql.cents("budget"))} AS budget_c,
                       CASE WHEN {_id_in("fund_source_id", general_ids)} THEN 1 ELSE 0 END AS general,
                       CASE WHEN {_id_in("function_class_id", livelihood_ids)} THEN 1 ELSE 0 END AS livelihood
                FROM projects_project
                WHERE fiscal_year_id IN ({y}, {previous_year}) AND status = 'approved'{project_ids}
                GROUP BY id
            ) pr
            LEFT JOIN (
                SELECT project_id, {pay_sql}
                FROM (
                    SELECT project_id, paid_on, amount_cents AS cents
                    FROM projects_payment
                    WHERE paid_on <= %s{payment_ids}
                    {payment_order}
                ) payment
                GROUP BY project_id
            ) pay ON pay.project_id = pr.id
            {evaluation_joins}
        """
        return statement, [*pay_params, as_of]

    slices = [one_slice(ids) for ids in _project_slices()]
    # PostgreSQL only cuts slices (SQLite takes no parentheses around the members of a UNION ALL).
    statements = [statement for statement, _ in slices]
    projects = (
        " UNION ALL ".join(f"({statement})" for statement in statements) if len(slices) > 1 else statements[0]
    )
    params = [param for _, slice_params in slices for param in slice_params]

    gap_units = f"({spent_units} - {t_units})"

    def year_value(expression: str, places: int, column: str) -> str:
        """A value of the year's project snapshot row (NULL on last year's rows), of its column's type."""
        return _snapshot_typed(
            f"CASE WHEN b.year = {y} THEN {sql.to_decimal(expression, places)} END", column
        )

    # No fence here: a subquery with OFFSET above the UNION ALL keeps PostgreSQL from running the
    # slices in parallel, so the (cheap, integer) progress expression is written out where it is used.
    select = f"""
        SELECT b.*,
               {spent_units} AS progress,
               {gap_units} AS gap,
               CASE WHEN {zero_spending} THEN 1 ELSE 0 END AS zero,
               CASE WHEN b.spent_c > b.budget_c THEN 1 ELSE 0 END AS over,
               {_snapshot_typed(_warning_level_sql(gap_units), "warning_level")} AS level,
               -- The values of the year's project snapshot rows, computed here in parallel and of
               -- their columns' exact types, so that writing them converts nothing.
               {year_value("b.budget_c", 2, "budget")} AS budget_d,
               {year_value("b.spent_c", 2, "spent")} AS spent_d,
               {year_value(spent_units, 4, "spending_progress")} AS progress_d,
               {year_value(gap_units, 2, "gap_pp")} AS gap_d
        FROM ({projects}) b
    """
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

    def total(column: str, of_year: str) -> str:
        # Added up as 64 bits per row, kept as numeric per scope: the ratios computed from a scope's
        # totals multiply them by 10⁴ and more.
        return sql.numeric(sql.sum_bigint(column, f"year = {of_year}"))

    buckets = "".join(
        f", COALESCE({total(f'b{m:02d}', y)}, 0) AS b{m:02d}" for m in range(2, as_of.month + 1)
    )
    measures = f"""
        COUNT(*) FILTER (WHERE year = {y}) AS n,
        COALESCE({total("budget_c", y)}, 0) AS budget_c,
        COALESCE({total("spent_c", y)}, 0) AS spent_c,
        COUNT(*) FILTER (WHERE year = {y} AND level = 'attention') AS n_attention,
        COUNT(*) FILTER (WHERE year = {y} AND level = 'serious') AS n_serious,
        COUNT(*) FILTER (WHERE year = {y} AND zero = 1) AS n_zero,
        COUNT(*) FILTER (WHERE year = {y} AND over = 1) AS n_over,
        COUNT(*) FILTER (WHERE year = {py}) AS n_previous,
        {total("budget_c", py)} AS previous_budget_c,
        {total("spent_c", py)} AS previous_spent_c
        {buckets}
    """
    sql.create_work_table(ROLLUP, rollup_sql(scopes=ROLLED_UP_SCOPES, measures=measures, year=year))
    progress = _progress_units_sql("r.budget_c", "r.spent_c")
    zero_spending = "r.spent_c = 0 AND r.budget_c > 0" if q1_over else "1 = 0"

    def growth_sql(column: str) -> str:
        previous = f"r.previous_{column}"
        change = sql.round_div_signed(f"10000 * (r.{column} - {previous})", previous)
        return f"CASE WHEN r.n_previous > 0 AND {previous} > 0 THEN {sql.to_decimal(change, 4)} END"

    time_decimal = sql.to_decimal(t_units, 4)
    columns = (
        "run_id", "scope_kind", "scope_id", "department_id", "budget", "spent", "spending_progress",
        "time_progress", "gap_pp", "warning_level", "zero_spending", "overspent", "project_count",
        "attention_projects", "serious_projects", "zero_spending_projects", "overspent_projects",
        "previous_budget", "previous_spent", "budget_growth", "spent_growth",
    )  # fmt: skip

    def typed_row(*values: str) -> str:
        # Every value of either member of the UNION ALL of its column's exact type: otherwise the
        # union's type is the looser one, and every row is converted on its way in.
        return ", ".join(
            _snapshot_typed(value, column) for value, column in zip(values, columns, strict=True)
        )

    run_id = sql.integer(run.pk)
    # Project rows take the values rc_project already holds; rolled-up rows are computed from their sums.
    projects = f"""
        SELECT {
        typed_row(
            run_id,
            sql.quote(ScopeKind.PROJECT),
            "project_id",
            "department_id",
            "budget_d",
            "spent_d",
            "progress_d",
            time_decimal,
            "gap_d",
            "level",
            "(zero = 1)",
            "(over = 1)",
            "1",
            "CASE WHEN level = 'attention' THEN 1 ELSE 0 END",
            "CASE WHEN level = 'serious' THEN 1 ELSE 0 END",
            "zero",
            "over",
            "NULL",
            "NULL",
            "NULL",
            "NULL",
        )
    }
        FROM {PROJECT_SUMS}
        WHERE year = {y}
    """

    def rolled_up(where: str = "") -> str:
        return f"""
        SELECT {
            typed_row(
                run_id,
                "r.scope_kind",
                "r.scope_id",
                "r.department_id",
                sql.to_decimal("r.budget_c", 2),
                sql.to_decimal("r.spent_c", 2),
                sql.to_decimal(progress, 4),
                time_decimal,
                sql.to_decimal(f"({progress} - {t_units})", 2),
                _warning_level_sql(f"({progress} - {t_units})"),
                f"({zero_spending})",
                "(r.spent_c > r.budget_c)",
                "r.n",
                "r.n_attention",
                "r.n_serious",
                "r.n_zero",
                "r.n_over",
                f"CASE WHEN r.n_previous > 0 THEN {sql.to_decimal('r.previous_budget_c', 2)} END",
                f"CASE WHEN r.n_previous > 0 THEN {sql.to_decimal('r.previous_spent_c', 2)} END",
                growth_sql("budget_c"),
                growth_sql("spent_c"),
            )
        }
        FROM {ROLLUP} r
        WHERE r.n > 0{where}
        """

    if sql.is_postgres():
        # The rows go in in the order of the (scope kind, scope) index, in the database's own
        # collation: the rolled-up scopes whose kind sorts before 'project', the projects, the rest.
        # ATTACH then builds that index from a heap already in order (about 200 ms less at scale 100
        # than from the projects followed by the rest), and a page's rows lie together.
        project = sql.quote(ScopeKind.PROJECT)
        members = [
            f"({rolled_up(f' AND r.scope_kind < {project}')} ORDER BY r.scope_kind, r.scope_id)",
            f"({projects} ORDER BY project_id)",
            f"({rolled_up(f' AND r.scope_kind > {project}')} ORDER BY r.scope_kind, r.scope_id)",
        ]
    else:  # SQLite takes no ORDER BY in a member of a UNION ALL, and has no ATTACH to prepare for
        members = [projects, rolled_up()]
    target = create_snapshot_partition(run=run)
    # Ids numbered in the order the rows go in (see ``snapshot_ids_sql``), not drawn one by one from
    # the sequence: 417k nextval calls took a quarter of a second at scale 100.
    statement = f"""
        INSERT INTO {target} (id, {", ".join(columns)})
        SELECT {snapshot_ids_sql(run_id=run.pk)}, rows.*
        FROM ({" UNION ALL ".join(members)}) rows
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
