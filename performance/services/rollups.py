"""SPEC §4.1 progress ratios (进度) of every scope, and the monthly series, rolled up from ``rc_project``.

Every scope is rolled up from the per-project work table (``progress.project_sums_sql``) once, into
``rc_rollup``: GROUPING SETS on PostgreSQL, a UNION ALL of GROUP BYs on SQLite (which has no GROUPING
SETS); both give the same rows. The snapshots and the monthly series are written from it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from performance.models import RecomputeRun, ScopeKind, WarningLevel
from performance.services import _sql as sql
from performance.services.partitions import create_snapshot_partition, snapshot_ids_sql
from performance.services.progress import (
    PROJECT_SUMS,
    ROLLUP,
    bucket,
    first_quarter_over,
    progress_units_sql,
    snapshot_typed,
    time_progress_units,
    warning_level_sql,
)

ATTENTION = sql.quote(WarningLevel.ATTENTION)
SERIOUS = sql.quote(WarningLevel.SERIOUS)


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


@dataclass(frozen=True)
class Measure:
    """A figure of a scope summed over its projects of one year (``of_year``): a count of the projects
    (meeting ``condition``, if any), or the total of a 64-bit ``column``, kept as numeric per scope (the
    ratios computed from a scope's totals multiply them by 10⁴ and more). ``zero`` gives 0 rather than
    NULL to a scope without such projects (a count always does)."""

    of_year: str
    condition: str | None = None
    column: str | None = None
    zero: bool = True

    def over_projects(self) -> str:
        """The aggregate over rc_project's rows."""
        where = f"year = {self.of_year}" + (f" AND {self.condition}" if self.condition else "")
        if self.column is None:
            return f"COUNT(*) FILTER (WHERE {where})"
        return self._numeric(sql.sum_bigint(self.column, where))

    def partial(self) -> str:
        """PostgreSQL: the 64-bit part of a group of projects of one year (``rollup_sql``)."""
        if self.column is None:
            return f"COUNT(*) FILTER (WHERE {self.condition})" if self.condition else "COUNT(*)"
        return sql.sum_bigint(self.column)

    def over_partials(self, name: str) -> str:
        """PostgreSQL: the aggregate over the partial rows, the same as ``over_projects``."""
        total = sql.sum_bigint(name, f"year = {self.of_year}")
        if self.column is None:
            return f"COALESCE({total}, 0)"
        return self._numeric(total)

    def _numeric(self, total: str) -> str:
        return f"COALESCE({sql.numeric(total)}, 0)" if self.zero else sql.numeric(total)


def rollup_sql(*, scopes: tuple[_Scope, ...], measures: dict[str, Measure], year: int) -> str:
    """SPEC §4.1 scopes: rows (scope_kind, scope_id, department_id, *measures) for each scope, from
    ``rc_project``.

    On PostgreSQL in two steps. The projects are first summed per year and combination of the grouped
    keys, in 64-bit integers and without a filter per figure: about a fifth as many rows (134k of 760k
    at scale 100), from a plain GROUP BY that parallel workers share. The GROUPING SETS, which
    PostgreSQL runs in one process, then add up those partial rows. Every figure is a count or a sum,
    so adding the partial sums gives what adding the projects would. SQLite has no GROUPING SETS: a
    UNION ALL of GROUP BYs gives the same rows."""
    year = sql.integer(year)
    if sql.is_postgres():
        grouped = [scope for scope in scopes if scope.key]

        def pick(value) -> str:
            branches = " ".join(f"WHEN GROUPING({s.key}) = 0 THEN {value(s)}" for s in grouped)
            return f"CASE {branches} ELSE {value(_DISTRICT)} END"

        keys = [scope.key for scope in grouped] + ["year"]
        partial = {**{key: key for key in keys}, **{name: m.partial() for name, m in measures.items()}}
        sets = ", ".join(f"({s.key})" if s.key else "()" for s in scopes)
        return f"""
            SELECT {pick(lambda s: sql.quote(s.kind))} AS scope_kind,
                   {pick(lambda s: s.key or "NULL")} AS scope_id,
                   {pick(lambda s: s.department.format(year=year))} AS department_id,
                   {sql.select_list({name: m.over_partials(name) for name, m in measures.items()})}
            FROM (
                SELECT {sql.select_list(partial)}
                FROM {PROJECT_SUMS}
                GROUP BY {", ".join(keys)}
            ) partial
            GROUP BY GROUPING SETS ({sets})
        """
    select = sql.select_list({name: m.over_projects() for name, m in measures.items()})
    return " UNION ALL ".join(
        f"""
            SELECT {sql.quote(s.kind)} AS scope_kind, {s.key or "NULL"} AS scope_id,
                   {s.department.format(year=year)} AS department_id, {select}
            FROM {PROJECT_SUMS}
            {f"GROUP BY {s.key}" if s.key else ""}
        """
        for s in scopes
    )


def rollup_measures(*, year: int, as_of: datetime.date) -> dict[str, Measure]:
    """SPEC §4.1 B, S(D), the counts of flagged projects and last year's B and S(D′) of a scope, with
    what was paid in each month after January: the measures of ``rollup_sql`` over rc_project."""
    y, py = sql.integer(year), sql.integer(year - 1)
    return {
        "n": Measure(y),
        "budget_c": Measure(y, column="budget_c"),
        "spent_c": Measure(y, column="spent_c"),
        "n_attention": Measure(y, f"level = {ATTENTION}"),
        "n_serious": Measure(y, f"level = {SERIOUS}"),
        "n_zero": Measure(y, "zero = 1"),
        "n_over": Measure(y, "over = 1"),
        # §14.1: projects with an approved monitoring report, and their deviations.
        "n_monitored": Measure(y, "monitored = 1"),
        "n_target": Measure(y, "dev_target = 1"),
        "n_spending": Measure(y, "dev_spending = 1"),
        "n_double": Measure(y, "dev_double = 1"),
        "n_previous": Measure(py),
        "previous_budget_c": Measure(py, column="budget_c", zero=False),
        "previous_spent_c": Measure(py, column="spent_c", zero=False),
        **{bucket(m): Measure(y, column=bucket(m)) for m in range(2, as_of.month + 1)},
    }


def progress_snapshots_sql(*, run: RecomputeRun, as_of: datetime.date, target: str) -> str:
    """SPEC §4.1 the snapshot of every scope: the INSERT of the run's progress snapshots into
    ``target`` from ``rc_project`` (the projects) and ``rc_rollup`` (every other scope).

    Stored ratios are rounded half up to 4 places; the gap is spending − time progress as stored, in
    percentage points, and the warning level is decided on that gap, so a flag agrees with the figures
    shown beside it.
    """
    y = sql.integer(run.fiscal_year_id)
    t_units = time_progress_units(as_of=as_of)
    time_decimal = sql.to_decimal(t_units, 4)
    run_id = sql.integer(run.pk)
    progress = progress_units_sql("r.budget_c", "r.spent_c")
    gap = f"({progress} - {t_units})"
    zero_spending = "r.spent_c = 0 AND r.budget_c > 0" if first_quarter_over(as_of=as_of) else "1 = 0"

    def growth_sql(column: str) -> str:
        previous = f"r.previous_{column}"
        change = sql.round_div_signed(f"10000 * (r.{column} - {previous})", previous)
        return f"CASE WHEN r.n_previous > 0 AND {previous} > 0 THEN {sql.to_decimal(change, 4)} END"

    def previous(column: str) -> str:
        return f"CASE WHEN r.n_previous > 0 THEN {sql.to_decimal(f'r.previous_{column}', 2)} END"

    # Project rows take the values rc_project already holds; rolled-up rows are computed from their sums.
    project_row = {
        "run_id": run_id,
        "scope_kind": sql.quote(ScopeKind.PROJECT),
        "scope_id": "project_id",
        "department_id": "department_id",
        "budget": "budget_d",
        "spent": "spent_d",
        "spending_progress": "progress_d",
        "time_progress": time_decimal,
        "gap_pp": "gap_d",
        "warning_level": "level",
        "zero_spending": "(zero = 1)",
        "overspent": "(over = 1)",
        "project_count": "1",
        "attention_projects": f"CASE WHEN level = {ATTENTION} THEN 1 ELSE 0 END",
        "serious_projects": f"CASE WHEN level = {SERIOUS} THEN 1 ELSE 0 END",
        "zero_spending_projects": "zero",
        "overspent_projects": "over",
        "previous_budget": "NULL",
        "previous_spent": "NULL",
        "budget_growth": "NULL",
        "spent_growth": "NULL",
        "expected_completion": "expected_d",
        "monitoring_gap_pp": "monitoring_gap_d",
        "monitored_projects": "monitored",
        "target_deviation_projects": "dev_target",
        "spending_deviation_projects": "dev_spending",
        "double_deviation_projects": "dev_double",
    }
    rolled_up_row = {
        "run_id": run_id,
        "scope_kind": "r.scope_kind",
        "scope_id": "r.scope_id",
        "department_id": "r.department_id",
        "budget": sql.to_decimal("r.budget_c", 2),
        "spent": sql.to_decimal("r.spent_c", 2),
        "spending_progress": sql.to_decimal(progress, 4),
        "time_progress": time_decimal,
        "gap_pp": sql.to_decimal(gap, 2),
        "warning_level": warning_level_sql(gap),
        "zero_spending": f"({zero_spending})",
        "overspent": "(r.spent_c > r.budget_c)",
        "project_count": "r.n",
        "attention_projects": "r.n_attention",
        "serious_projects": "r.n_serious",
        "zero_spending_projects": "r.n_zero",
        "overspent_projects": "r.n_over",
        "previous_budget": previous("budget_c"),
        "previous_spent": previous("spent_c"),
        "budget_growth": growth_sql("budget_c"),
        "spent_growth": growth_sql("spent_c"),
        "expected_completion": "NULL",
        "monitoring_gap_pp": "NULL",
        "monitored_projects": "r.n_monitored",
        "target_deviation_projects": "r.n_target",
        "spending_deviation_projects": "r.n_spending",
        "double_deviation_projects": "r.n_double",
    }
    assert list(project_row) == list(rolled_up_row)

    def typed(row: dict[str, str]) -> str:
        # Every value of either member of the UNION ALL of its column's exact type: otherwise the
        # union's type is the looser one, and every row is converted on its way in.
        return sql.select_list({column: snapshot_typed(value, column) for column, value in row.items()})

    projects = f"SELECT {typed(project_row)} FROM {PROJECT_SUMS} WHERE year = {y}"

    def rolled_up(where: str = "") -> str:
        return f"SELECT {typed(rolled_up_row)} FROM {ROLLUP} r WHERE r.n > 0{where}"

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
    # Ids numbered in the order the rows go in (see ``snapshot_ids_sql``), not drawn one by one from
    # the sequence: 417k nextval calls took a quarter of a second at scale 100.
    return f"""
        INSERT INTO {target} (id, {", ".join(project_row)})
        SELECT {snapshot_ids_sql(run_id=run.pk)}, rows.*
        FROM ({" UNION ALL ".join(members)}) rows
    """


def progress_snapshots(*, run: RecomputeRun, as_of: datetime.date) -> int:
    """Write the §4.1 snapshot of every scope (project, unit, department, function class, fund source,
    district) for the run from ``rc_project``, rolled up once into ``rc_rollup``; returns the rows."""
    measures = rollup_measures(year=run.fiscal_year_id, as_of=as_of)
    sql.create_work_table(
        ROLLUP, rollup_sql(scopes=ROLLED_UP_SCOPES, measures=measures, year=run.fiscal_year_id)
    )
    target = create_snapshot_partition(run=run)
    # The projects' rows are sorted in memory (at scale 100 the run's 64 MB spill 54 MB to disk).
    with sql.local_settings(work_mem="256MB"):
        return sql.execute_insert(progress_snapshots_sql(run=run, as_of=as_of, target=target))


def monthly_spending_sql(*, run: RecomputeRun, as_of: datetime.date) -> str:
    """SPEC §4.1 the monthly cumulative series: the INSERT of the spending at each month end (and at
    ``as_of`` for its own month) of the department, function class, fund source and district scopes,
    from the month buckets ``progress_snapshots`` rolled up into ``rc_rollup``.

    Month m's point is what was spent to ``as_of`` less what was paid in the months after m, so a
    payment made before 1 January counts from January on. Projects have no stored series: a
    project's payments are few and its page sums them directly.
    """
    months = as_of.month
    kinds = ", ".join(sql.quote(scope.kind) for scope in MONTHLY_SCOPES)
    month_table = " UNION ALL ".join(f"SELECT {sql.integer(m)} AS month" for m in range(1, months + 1))

    def cumulative(month: int) -> str:
        later = " - ".join(f"g.{bucket(later)}" for later in range(month + 1, months + 1))
        return f"g.spent_c - {later}" if later else "g.spent_c"

    by_month = " ".join(f"WHEN {sql.integer(m)} THEN {cumulative(m)}" for m in range(1, months + 1))
    columns = {
        "run_id": sql.integer(run.pk),
        "scope_kind": "g.scope_kind",
        "scope_id": "g.scope_id",
        "month": "mo.month",
        "cumulative_spent": sql.to_decimal(f"CASE mo.month {by_month} END", 2),
    }
    return sql.insert_select(
        "performance_monthlyspending",
        columns,
        f"FROM {ROLLUP} g CROSS JOIN ({month_table}) mo WHERE g.n > 0 AND g.scope_kind IN ({kinds})",
    )


def monthly_spending(*, run: RecomputeRun, as_of: datetime.date) -> int:
    """Write the run's monthly cumulative series (``monthly_spending_sql``); returns the rows written."""
    return sql.execute_insert(monthly_spending_sql(run=run, as_of=as_of))
