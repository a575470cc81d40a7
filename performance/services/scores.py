"""SPEC §4.4 department performance score C(d, Y), its coverage and the low-coverage mark.

The score is computed in SQL from the finalised evaluations, by the common table expressions of
``score_ctes``, which the leaderboard of §4.5 (``leaderboard.department_score_tables``) writes into the
run's ``rc_scores``; every page shows the score as the leaderboard stored it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from performance.models import GRADE_FLOORS, Evaluation
from performance.services import _sql as sql
from projects.models import Project

DIMENSIONS = ("decision", "process", "output", "benefit")
#: Each dimension's score and maximum, the columns an evaluation is scored by.
DIMENSION_COLUMNS = tuple(column for d in DIMENSIONS for column in (d, f"{d}_max"))

FINALISED = sql.quote(Evaluation.Status.FINALISED)
KEY = sql.quote(Evaluation.Kind.KEY)
SELF = sql.quote(Evaluation.Kind.SELF)
DEPARTMENT = sql.quote(Evaluation.Kind.DEPARTMENT)
DEPARTMENT_WIDE = sql.quote(Evaluation.KeyCategory.DEPARTMENT_WIDE)
APPROVED = sql.quote(Project.Status.APPROVED)


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
) -> tuple[dict[str, str], str]:
    """SPEC §4.4 Pᵢ: ``(columns, joins)`` that pick, for the project ``project_id`` of ``year`` (SQL
    expressions), the evaluation behind Pᵢ: its finalised key evaluation when there is one, else its
    finalised self-evaluation. The columns (name → expression) are ``evaluated`` (1 or 0), ``p_c`` (Pᵢ
    in hundredths of a point, NULL when not evaluated), that evaluation's ``evaluation_id`` and
    ``grade``, and each dimension's score and maximum; the joins are aliased ``k`` and ``s``. There is
    at most one of each per project and year (a unique constraint), so two left joins pick the key
    evaluation when there is one without multiplying rows. ``id_range`` (low, high) restricts both
    joins to evaluations of project ids low ≤ id < high, so a slice of projects reads its own
    evaluations only (the join condition alone does not carry a range over). With ``dimensions_if``
    (an SQL condition) the dimensions are picked only where it holds, NULL elsewhere.
    """

    def within(alias: str) -> str:
        if id_range is None:
            return ""
        low, high = (sql.integer(bound) for bound in id_range)
        return f" AND {alias}.project_id >= {low} AND {alias}.project_id < {high}"

    when = f"WHEN NOT ({dimensions_if}) THEN NULL " if dimensions_if else ""

    def picked(c: str) -> str:
        return (
            f"CASE {when}WHEN k.id IS NOT NULL THEN {_hundredths(f'k.{c}')} ELSE {_hundredths(f's.{c}')} END"
        )

    # Pᵢ as a 64-bit integer: the score steps multiply and compare it per project.
    key_c, self_c = sql.cents("k.total"), sql.cents("s.total")
    columns = {
        "evaluated": "CASE WHEN k.id IS NOT NULL OR s.id IS NOT NULL THEN 1 ELSE 0 END",
        "p_c": sql.bigint(f"CASE WHEN k.id IS NOT NULL THEN {key_c} ELSE {self_c} END"),
        "evaluation_id": "CASE WHEN k.id IS NOT NULL THEN k.id ELSE s.id END",
        "grade": "CASE WHEN k.id IS NOT NULL THEN k.grade ELSE s.grade END",
        **{column: picked(column) for column in DIMENSION_COLUMNS},
    }
    joins = f"""
        LEFT JOIN performance_evaluation k
          ON k.project_id = {project_id}{within("k")} AND k.fiscal_year_id = {year} AND k.kind = {KEY}
         AND k.status = {FINALISED} AND k.key_category <> {DEPARTMENT_WIDE}
        LEFT JOIN performance_evaluation s
          ON s.project_id = {project_id}{within("s")} AND s.fiscal_year_id = {year} AND s.kind = {SELF}
         AND s.status = {FINALISED}
    """
    return columns, joins


def score_ctes(
    *,
    years: tuple[int, ...],
    prefix: str,
    projects: str,
    dimension_years: tuple[int, ...] | None = None,
) -> str:
    """SPEC §4.4 C(d, Y): common table expressions ending in ``{prefix}_scores``: one row per year of
    ``years`` and department with approved projects in that year. Scores, parts and coverage are
    integers in 10⁻⁴; money in cents. ``projects`` is SQL for the approved projects' rows of
    those years (a recompute passes its ``rc_project``, columns ``leaderboard._PROJECT_COLUMNS``); it
    is read twice, once per department and once per department and set of dimension maxima. The
    dimensions are added up for ``dimension_years`` only (default: all ``years``); the other years get
    ``dimension_n`` 0.

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
    listed = ", ".join(sql.integer(year) for year in years)
    with_dimensions = ", ".join(sql.integer(year) for year in (dimension_years or years))
    project_weight = sql.integer(_weight_units(settings.SCORE_PROJECT_WEIGHT))
    department_weight = sql.integer(_weight_units(settings.SCORE_DEPARTMENT_WEIGHT))
    raw = ", ".join(DIMENSION_COLUMNS)
    department_wide = sql.select_list({column: _hundredths(f"e.{column}") for column in DIMENSION_COLUMNS})
    maxima = ", ".join(f"{d}_max" for d in DIMENSIONS)
    plain_dimensions = ", ".join(DIMENSIONS)
    score_sums = sql.select_list({d: f"SUM({d})" for d in DIMENSIONS})
    ratio_sums = sql.select_list(
        {f"{d}8": f"SUM({sql.round_div(f'100000000 * {d}', f'{d}_max')})" for d in DIMENSIONS}
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
                           ORDER BY CASE WHEN e.kind = {KEY} THEN 0 ELSE 1 END
                       ) AS pick
                FROM performance_evaluation e
                WHERE e.fiscal_year_id IN ({listed}) AND e.status = {FINALISED}
                  AND e.department_id IS NOT NULL
                  AND ((e.kind = {KEY} AND e.key_category = {DEPARTMENT_WIDE}) OR e.kind = {DEPARTMENT})
            ) ranked
            WHERE pick = 1
        ),
        {p}_dimension_groups AS (
            SELECT year, department_id, {maxima}, {sql.bigint("SUM(n)")} AS n, {score_sums}
            FROM (
                SELECT year, department_id, {maxima}, COUNT(*) AS n, {score_sums}
                FROM ({projects}) pj
                WHERE evaluated = 1 AND year IN ({with_dimensions})
                GROUP BY year, department_id, {maxima}
                UNION ALL
                SELECT year, department_id, {maxima}, 1, {plain_dimensions}
                FROM {p}_dw WHERE year IN ({with_dimensions})
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
    """SPEC §4.5 weak spots: the dimension with the lowest mean score ÷ maximum; ties go to the earlier
    of decision, process, output, benefit; '' without dimensions."""
    d, p, o, b = (f"{alias}.{name}8" for name in DIMENSIONS)
    decision, process, output, benefit = (sql.quote(name) for name in DIMENSIONS)
    return f"""
        CASE WHEN {alias}.dimension_n = 0 THEN {sql.EMPTY}
             WHEN {d} <= {p} AND {d} <= {o} AND {d} <= {b} THEN {decision}
             WHEN {p} <= {o} AND {p} <= {b} THEN {process}
             WHEN {o} <= {b} THEN {output}
             ELSE {benefit} END
    """


def grade_sql(score_units: str) -> str:
    """SPEC §4.3 grade: the SQL twin of ``grade_for`` (both by ``GRADE_FLOORS``) on a score in 10⁻⁴;
    '' when there is no score."""
    bands = [(grade, None if floor is None else floor * 10_000) for grade, floor in GRADE_FLOORS]
    return sql.band_case(score_units, bands, null=sql.EMPTY)
