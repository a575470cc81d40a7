"""SPEC §4.4 department performance score C(d, Y), its coverage and the low-coverage mark.

The score is computed in SQL from the finalised evaluations of one year. The same common table
expressions (``score_ctes``) feed ``department_scores`` and the leaderboard of §4.5, so the page and
the ranking can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import connection

from performance.models import Evaluation, Grade, grade_for
from performance.services import _sql as sql

DIMENSIONS = ("decision", "process", "output", "benefit")


def _weight_units(weight: Decimal) -> int:
    """A score weight (0.7) in 10⁻⁴ (7000)."""
    return int((weight * 10_000).to_integral_value(ROUND_HALF_UP))


def low_coverage_units() -> int:
    return _weight_units(settings.LOW_COVERAGE_THRESHOLD)


def _hundredths(column: str) -> str:
    """A dimension score or maximum (2 places) as an exact integer: ratios of them are the same, and
    integers group and add faster than numeric."""
    return sql.bigint(sql.cents(column))


def evaluation_picks_sql(
    *, project_id: str, year: str, id_range: tuple[int, int] | None = None, dimensions_if: str | None = None
) -> tuple[str, str]:
    """``(columns, joins)`` that pick, for the project ``project_id`` of ``year`` (SQL expressions),
    the evaluation behind Pᵢ: its finalised key evaluation when there is one, else its finalised
    self-evaluation. The columns are ``evaluated`` (1 or 0), ``p_c`` (Pᵢ in hundredths of a point,
    NULL when not evaluated), that evaluation's ``evaluation_id`` and ``grade``, and each dimension's
    score and maximum; the joins are aliased ``k`` and ``s``. There is at most one of each per project
    and year (a unique constraint), so two left joins pick the key evaluation when there is one without
    multiplying rows. ``id_range`` (low, high)
    restricts both joins to evaluations of project ids low ≤ id < high, so a slice of projects reads
    its own evaluations only (the join condition alone does not carry a range over). With
    ``dimensions_if`` (an SQL condition) the dimensions are picked only where it holds, NULL elsewhere.
    """
    finalised = sql.quote(Evaluation.Status.FINALISED)

    def within(alias: str) -> str:
        if id_range is None:
            return ""
        low, high = (sql.integer(bound) for bound in id_range)
        return f" AND {alias}.project_id >= {low} AND {alias}.project_id < {high}"

    columns = [column for d in DIMENSIONS for column in (d, f"{d}_max")]
    when = f"WHEN NOT ({dimensions_if}) THEN NULL " if dimensions_if else ""
    picked = ", ".join(
        f"CASE {when}WHEN k.id IS NOT NULL THEN {_hundredths(f'k.{c}')} "
        f"ELSE {_hundredths(f's.{c}')} END AS {c}"
        for c in columns
    )
    # Pᵢ as a 64-bit integer: the score steps multiply and compare it per project.
    key_c, self_c = sql.cents("k.total"), sql.cents("s.total")
    p_c = sql.bigint(f"CASE WHEN k.id IS NOT NULL THEN {key_c} ELSE {self_c} END")
    selected = f"""
        CASE WHEN k.id IS NOT NULL OR s.id IS NOT NULL THEN 1 ELSE 0 END AS evaluated,
        {p_c} AS p_c,
        CASE WHEN k.id IS NOT NULL THEN k.id ELSE s.id END AS evaluation_id,
        CASE WHEN k.id IS NOT NULL THEN k.grade ELSE s.grade END AS grade,
        {picked}
    """
    joins = f"""
        LEFT JOIN performance_evaluation k
          ON k.project_id = {project_id}{within("k")} AND k.fiscal_year_id = {year} AND k.kind = 'key'
         AND k.status = {finalised} AND k.key_category <> 'department_wide'
        LEFT JOIN performance_evaluation s
          ON s.project_id = {project_id}{within("s")} AND s.fiscal_year_id = {year} AND s.kind = 'self'
         AND s.status = {finalised}
    """
    return selected, joins


def approved_projects_sql(years: tuple[int, ...]) -> str:
    """(year, project_id, department_id, budget_c, evaluated, p_c, and each dimension's score and
    maximum) of the approved projects of ``years``, with the evaluation behind Pᵢ where there is one
    (``evaluation_picks_sql``)."""
    columns, joins = evaluation_picks_sql(project_id="pr.id", year="pr.fiscal_year_id")
    listed = ", ".join(sql.integer(year) for year in years)
    return f"""
        SELECT pr.fiscal_year_id AS year, pr.id AS project_id, pr.department_id,
               {sql.cents("pr.budget")} AS budget_c, {columns}
        FROM projects_project pr
        {joins}
        WHERE pr.fiscal_year_id IN ({listed}) AND pr.status = 'approved'
    """


def score_ctes(
    *,
    years: tuple[int, ...],
    prefix: str,
    projects: str | None = None,
    dimension_years: tuple[int, ...] | None = None,
) -> str:
    """Common table expressions ending in ``{prefix}_scores``: one row per year of ``years`` and
    department with approved projects in that year. Scores, parts and coverage are integers in 10⁻⁴;
    money in cents. ``projects`` is SQL for the ``approved_projects_sql`` rows of those years (a
    recompute passes its ``rc_project``); it is read twice, once per department and once per
    department and set of dimension maxima. The dimensions are added up for ``dimension_years`` only
    (default: all ``years``); the other years get ``dimension_n`` 0.

    - project part: Σ budget × Pᵢ ÷ Σ budget over evaluated projects (the plain mean when those
      budgets add up to 0), rounded half up to 4 places;
    - C = SCORE_PROJECT_WEIGHT × project part + SCORE_DEPARTMENT_WEIGHT × the department-wide
      evaluation (the bureau's key evaluation of the department, else the finalised ``department``
      kind) when there is one, else the project part; rounded half up to 4 places;
    - coverage: evaluated budget ÷ department budget;
    - per dimension, Σ over the evaluations behind C of score ÷ maximum (in 10⁻⁸), for weak spots:
      scores are first added up per department and maximum, so the division happens once per group.
    """
    p = prefix
    projects = projects or approved_projects_sql(years)
    listed = ", ".join(sql.integer(year) for year in years)
    with_dimensions = ", ".join(sql.integer(year) for year in (dimension_years or years))
    finalised = sql.quote(Evaluation.Status.FINALISED)
    project_weight = sql.integer(_weight_units(settings.SCORE_PROJECT_WEIGHT))
    department_weight = sql.integer(_weight_units(settings.SCORE_DEPARTMENT_WEIGHT))
    raw = ", ".join(f"{column}" for d in DIMENSIONS for column in (d, f"{d}_max"))
    department_wide = ", ".join(
        f"{_hundredths(f'e.{column}')} AS {column}" for d in DIMENSIONS for column in (d, f"{d}_max")
    )
    maxima = ", ".join(f"{d}_max" for d in DIMENSIONS)
    score_sums = ", ".join(f"SUM({d}) AS {d}" for d in DIMENSIONS)
    ratio_sums = ", ".join(
        f"SUM({sql.round_div(f'100000000 * {d}', f'{d}_max')}) AS {d}8" for d in DIMENSIONS
    )
    dim_columns = ", ".join(f"dims.{d}8" for d in DIMENSIONS)
    # The part, C and coverage as 64-bit integers: the steps after compare and subtract them per project.
    part4 = sql.bigint(f"""
        CASE WHEN dept.evaluated = 0 THEN NULL
             WHEN dept.evaluated_budget_c > 0
             THEN {sql.round_div("100 * dept.weighted", "dept.evaluated_budget_c")}
             ELSE {sql.round_div("100 * dept.plain", "dept.evaluated")} END
    """)
    blended = sql.round_div(f"{project_weight} * part.part4 + {department_weight} * 100 * part.dw_c", "10000")
    score4 = sql.bigint(f"""
        CASE WHEN part.part4 IS NULL THEN NULL WHEN part.dw_c IS NULL THEN part.part4 ELSE {blended} END
    """)
    coverage4 = sql.bigint(f"""
        CASE WHEN part.department_budget_c > 0
             THEN {sql.round_div("10000 * part.evaluated_budget_c", "part.department_budget_c")}
             ELSE 0 END
    """)
    return f"""
        {p}_dw AS (
            SELECT year, department_id, total_c, {raw}
            FROM (
                SELECT e.fiscal_year_id AS year, e.department_id, {sql.cents("e.total")} AS total_c,
                       {department_wide},
                       ROW_NUMBER() OVER (
                           PARTITION BY e.fiscal_year_id, e.department_id
                           ORDER BY CASE WHEN e.kind = 'key' THEN 0 ELSE 1 END
                       ) AS pick
                FROM performance_evaluation e
                WHERE e.fiscal_year_id IN ({listed}) AND e.status = {finalised}
                  AND e.department_id IS NOT NULL
                  AND ((e.kind = 'key' AND e.key_category = 'department_wide') OR e.kind = 'department')
            ) ranked
            WHERE pick = 1
        ),
        {p}_dimension_groups AS (
            SELECT year, department_id, {maxima}, COUNT(*) AS n, {score_sums}
            FROM (
                SELECT year, department_id, {raw} FROM ({projects}) pj
                WHERE evaluated = 1 AND year IN ({with_dimensions})
                UNION ALL
                SELECT year, department_id, {raw} FROM {p}_dw WHERE year IN ({with_dimensions})
            ) evaluations
            GROUP BY year, department_id, {maxima}
        ),
        {p}_dims AS (
            SELECT year, department_id, SUM(n) AS n, {ratio_sums}
            FROM {p}_dimension_groups
            GROUP BY year, department_id
        ),
        {p}_dept AS (
            SELECT year, department_id, COUNT(*) AS n, SUM(budget_c) AS budget_c,
                   COUNT(*) FILTER (WHERE evaluated = 1) AS evaluated,
                   COALESCE(SUM(budget_c) FILTER (WHERE evaluated = 1), 0) AS evaluated_budget_c,
                   SUM(budget_c * p_c) FILTER (WHERE evaluated = 1) AS weighted,
                   SUM(p_c) FILTER (WHERE evaluated = 1) AS plain
            FROM ({projects}) pj
            GROUP BY year, department_id
        ),
        {p}_part AS (
            SELECT dept.year, dept.department_id, dept.n AS project_count,
                   dept.budget_c AS department_budget_c, dept.evaluated, dept.evaluated_budget_c,
                   {part4} AS part4,
                   dw.total_c AS dw_c
            FROM {p}_dept dept
            LEFT JOIN {p}_dw dw ON dw.year = dept.year AND dw.department_id = dept.department_id
        ),
        {p}_scores AS (
            SELECT part.*,
                   {score4} AS score4,
                   {coverage4} AS coverage4,
                   COALESCE(dims.n, 0) AS dimension_n, {dim_columns}
            FROM {p}_part part
            LEFT JOIN {p}_dims dims ON dims.year = part.year AND dims.department_id = part.department_id
        )
    """


def weakest_dimension_sql(alias: str) -> str:
    """The dimension with the lowest mean score ÷ maximum; ties go to the earlier of decision,
    process, output, benefit."""
    d, p, o, b = (f"{alias}.{name}8" for name in DIMENSIONS)
    return f"""
        CASE WHEN {alias}.dimension_n = 0 THEN ''
             WHEN {d} <= {p} AND {d} <= {o} AND {d} <= {b} THEN 'decision'
             WHEN {p} <= {o} AND {p} <= {b} THEN 'process'
             WHEN {o} <= {b} THEN 'output'
             ELSE 'benefit' END
    """


def grade_sql(score_units: str) -> str:
    """The SQL twin of ``grade_for`` on a score in 10⁻⁴; '' when there is no score."""
    return f"""
        CASE WHEN {score_units} IS NULL THEN ''
             WHEN {score_units} >= 900000 THEN {sql.quote(Grade.EXCELLENT)}
             WHEN {score_units} >= 800000 THEN {sql.quote(Grade.GOOD)}
             WHEN {score_units} >= 600000 THEN {sql.quote(Grade.FAIR)}
             ELSE {sql.quote(Grade.POOR)} END
    """


@dataclass(frozen=True)
class DepartmentScore:
    """C(d, Y) with its parts; ``score`` is None when none of the department's projects is evaluated."""

    department_id: int
    project_count: int
    evaluated_projects: int
    department_budget: Decimal
    evaluated_budget: Decimal
    project_part: Decimal | None
    department_wide_score: Decimal | None
    score: Decimal | None
    coverage: Decimal
    low_coverage: bool

    @property
    def grade(self) -> Grade | None:
        return grade_for(self.score) if self.score is not None else None


def _units(value, places: int) -> Decimal | None:
    return None if value is None else Decimal(int(value)).scaleb(-places)


def department_scores(*, year: int) -> list[DepartmentScore]:
    """C(d, Y) of every department with approved projects in ``year``, ordered by department id."""
    statement = f"""
        WITH {score_ctes(years=(year,), prefix="d")}
        SELECT department_id, project_count, evaluated, department_budget_c, evaluated_budget_c,
               part4, dw_c, score4, coverage4
        FROM d_scores
        ORDER BY department_id
    """
    with connection.cursor() as cursor:
        cursor.execute(statement)
        rows = cursor.fetchall()
    threshold = low_coverage_units()
    return [
        DepartmentScore(
            department_id=department_id,
            project_count=int(project_count),
            evaluated_projects=int(evaluated),
            department_budget=_units(budget, 2),
            evaluated_budget=_units(evaluated_budget, 2),
            project_part=_units(part, 4),
            department_wide_score=_units(department_wide, 2),
            score=_units(score, 4),
            coverage=_units(coverage, 4),
            low_coverage=int(coverage) < threshold,
        )
        for (
            department_id,
            project_count,
            evaluated,
            budget,
            evaluated_budget,
            part,
            department_wide,
            score,
            coverage,
        ) in rows
    ]
