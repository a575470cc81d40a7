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


def approved_projects_sql(year: int) -> str:
    """(project_id, department_id, budget_c) of the approved projects of ``year``."""
    return (
        f"SELECT id AS project_id, department_id, {sql.cents('budget')} AS budget_c "
        f"FROM projects_project WHERE fiscal_year_id = {sql.integer(year)} AND status = 'approved'"
    )


def scored_projects_sql(*, year: int, projects: str | None = None) -> str:
    """(project_id, department_id, budget_c, p_c, and each dimension's score and maximum) of the
    evaluated projects among ``projects`` (default: the approved projects of ``year``).

    Pᵢ (``p_c``, in hundredths of a point) is the finalised key evaluation's total, else the finalised
    self-evaluation's. There is at most one of each per project and year (a unique constraint), so two
    left joins pick the key evaluation when there is one without multiplying rows.
    """
    y = sql.integer(year)
    projects = projects or approved_projects_sql(year)
    finalised = sql.quote(Evaluation.Status.FINALISED)
    columns = [column for d in DIMENSIONS for column in (d, f"{d}_max")]
    picked = ", ".join(
        f"CASE WHEN k.id IS NOT NULL THEN {sql.exact(f'k.{c}')} ELSE {sql.exact(f's.{c}')} END AS {c}"
        for c in columns
    )
    return f"""
        SELECT pr.project_id, pr.department_id, pr.budget_c,
               CASE WHEN k.id IS NOT NULL THEN {sql.cents("k.total")} ELSE {sql.cents("s.total")} END AS p_c,
               {picked}
        FROM ({projects}) pr
        LEFT JOIN performance_evaluation k
          ON k.project_id = pr.project_id AND k.fiscal_year_id = {y} AND k.kind = 'key'
         AND k.status = {finalised} AND k.key_category <> 'department_wide'
        LEFT JOIN performance_evaluation s
          ON s.project_id = pr.project_id AND s.fiscal_year_id = {y} AND s.kind = 'self'
         AND s.status = {finalised}
        WHERE k.id IS NOT NULL OR s.id IS NOT NULL
    """


def score_ctes(*, year: int, prefix: str, projects: str | None = None, scored: str | None = None) -> str:
    """Common table expressions ending in ``{prefix}_scores``: one row per department with approved
    projects in ``year``. Scores, parts and coverage are integers in 10⁻⁴; money in cents.
    ``projects`` is SQL for (project_id, department_id, budget_c) of the year's approved projects and
    ``scored`` for their ``scored_projects_sql`` rows (a recompute passes its temporary tables).

    - project part: Σ budget × Pᵢ ÷ Σ budget over evaluated projects (the plain mean when those
      budgets add up to 0), rounded half up to 4 places;
    - C = SCORE_PROJECT_WEIGHT × project part + SCORE_DEPARTMENT_WEIGHT × the department-wide
      evaluation (the bureau's key evaluation of the department, else the finalised ``department``
      kind) when there is one, else the project part; rounded half up to 4 places;
    - coverage: evaluated budget ÷ department budget;
    - per dimension, Σ over the evaluations behind C of score ÷ maximum (in 10⁻⁸), for weak spots:
      scores are first added up per department and maximum, so the division happens once per group.
    """
    y = sql.integer(year)
    p = prefix
    projects = projects or approved_projects_sql(year)
    scored = scored or scored_projects_sql(year=year, projects=projects)
    finalised = sql.quote(Evaluation.Status.FINALISED)
    project_weight = sql.integer(_weight_units(settings.SCORE_PROJECT_WEIGHT))
    department_weight = sql.integer(_weight_units(settings.SCORE_DEPARTMENT_WEIGHT))
    raw = ", ".join(f"{column}" for d in DIMENSIONS for column in (d, f"{d}_max"))
    department_wide = ", ".join(
        f"{sql.exact(f'e.{column}')} AS {column}" for d in DIMENSIONS for column in (d, f"{d}_max")
    )
    maxima = ", ".join(f"{d}_max" for d in DIMENSIONS)
    score_sums = ", ".join(f"SUM({d}) AS {d}" for d in DIMENSIONS)
    ratio_sums = ", ".join(
        f"SUM({sql.round_div(f'100000000 * {d}', f'{d}_max')}) AS {d}8" for d in DIMENSIONS
    )
    dim_columns = ", ".join(f"dims.{d}8" for d in DIMENSIONS)
    return f"""
        {p}_proj AS ({projects}),
        {p}_scored AS ({scored}),
        {p}_dw AS (
            SELECT department_id, total_c, {raw}
            FROM (
                SELECT e.department_id, {sql.cents("e.total")} AS total_c, {department_wide},
                       ROW_NUMBER() OVER (
                           PARTITION BY e.department_id ORDER BY CASE WHEN e.kind = 'key' THEN 0 ELSE 1 END
                       ) AS pick
                FROM performance_evaluation e
                WHERE e.fiscal_year_id = {y} AND e.status = {finalised} AND e.department_id IS NOT NULL
                  AND ((e.kind = 'key' AND e.key_category = 'department_wide') OR e.kind = 'department')
            ) ranked
            WHERE pick = 1
        ),
        {p}_dimension_groups AS (
            SELECT department_id, {maxima}, COUNT(*) AS n, {score_sums}
            FROM (
                SELECT department_id, {raw} FROM {p}_scored
                UNION ALL
                SELECT department_id, {raw} FROM {p}_dw
            ) evaluations
            GROUP BY department_id, {maxima}
        ),
        {p}_dims AS (
            SELECT department_id, SUM(n) AS n, {ratio_sums}
            FROM {p}_dimension_groups
            GROUP BY department_id
        ),
        {p}_dept AS (
            SELECT department_id, COUNT(*) AS n, SUM(budget_c) AS budget_c
            FROM {p}_proj
            GROUP BY department_id
        ),
        {p}_ev AS (
            SELECT department_id, COUNT(*) AS n, SUM(budget_c) AS budget_c,
                   SUM(budget_c * p_c) AS weighted, SUM(p_c) AS plain
            FROM {p}_scored
            GROUP BY department_id
        ),
        {p}_part AS (
            SELECT dept.department_id, dept.n AS project_count, dept.budget_c AS department_budget_c,
                   COALESCE(ev.n, 0) AS evaluated, COALESCE(ev.budget_c, 0) AS evaluated_budget_c,
                   CASE WHEN ev.n IS NULL THEN NULL
                        WHEN ev.budget_c > 0 THEN {sql.round_div("100 * ev.weighted", "ev.budget_c")}
                        ELSE {sql.round_div("100 * ev.plain", "ev.n")} END AS part4,
                   dw.total_c AS dw_c
            FROM {p}_dept dept
            LEFT JOIN {p}_ev ev ON ev.department_id = dept.department_id
            LEFT JOIN {p}_dw dw ON dw.department_id = dept.department_id
        ),
        {p}_scores AS (
            SELECT part.*,
                   CASE WHEN part.part4 IS NULL THEN NULL
                        WHEN part.dw_c IS NULL THEN part.part4
                        ELSE {
        sql.round_div(f"{project_weight} * part.part4 + {department_weight} * 100 * part.dw_c", "10000")
    } END AS score4,
                   CASE WHEN part.department_budget_c > 0
                        THEN {sql.round_div("10000 * part.evaluated_budget_c", "part.department_budget_c")}
                        ELSE 0 END AS coverage4,
                   COALESCE(dims.n, 0) AS dimension_n, {dim_columns}
            FROM {p}_part part
            LEFT JOIN {p}_dims dims ON dims.department_id = part.department_id
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
        WITH {score_ctes(year=year, prefix="d")}
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
