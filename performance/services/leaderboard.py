"""SPEC §4.5 incremental performance leaderboard (增量绩效排行榜) and each department's weak spots."""

from __future__ import annotations

from django.conf import settings
from django.db import connection

from performance.models import RecomputeRun
from performance.services import _sql as sql
from performance.services.progress import PROJECT_SUMS
from performance.services.scores import (
    DIMENSIONS,
    grade_sql,
    low_coverage_units,
    score_ctes,
    weakest_dimension_sql,
)

#: Work table of a run (``sql.create_work_table``): the department scores of Y and Y−1.
DEPARTMENT_SCORES = "rc_scores"

_PROJECT_COLUMNS = ", ".join(
    [
        "year",
        "project_id",
        "department_id",
        "budget_c",
        "evaluated",
        "p_c",
        *(column for d in DIMENSIONS for column in (d, f"{d}_max")),
    ]
)


def department_score_tables(*, year: int) -> None:
    """Build ``rc_scores`` (§4.4): the scores of ``year`` and the year before, from ``rc_project``
    (which holds the approved projects of both years with the evaluation behind Pᵢ), once per run.
    Only the year's own dimensions are added up: the leaderboard takes just the score of the year
    before."""
    projects = f"SELECT {_PROJECT_COLUMNS} FROM {PROJECT_SUMS}"
    sql.create_work_table(
        DEPARTMENT_SCORES,
        f"""
        WITH {score_ctes(years=(year, year - 1), prefix="sc", projects=projects, dimension_years=(year,))}
        SELECT * FROM sc_scores
        """,
    )
    with connection.cursor() as cursor:
        if sql.is_postgres():
            # A work table has no statistics until analysed: the planner took its ~12k rows at
            # scale 100 for 21 and joined this year's scores to last year's in a nested loop (5 s).
            cursor.execute(f"ANALYZE {DEPARTMENT_SCORES}")


def previous_run(*, run: RecomputeRun) -> RecomputeRun | None:
    """The latest successful run of the same year before ``run``: the base of the rank change."""
    return (
        RecomputeRun.objects.filter(fiscal_year_id=run.fiscal_year_id, status=RecomputeRun.Status.SUCCEEDED)
        .exclude(pk=run.pk)
        .order_by("-started_at", "-pk")
        .first()
    )


def leaderboard(*, run: RecomputeRun) -> int:
    """Write one line per department with approved projects in the run's year; returns the rows.

    - increment Δ = C(d, Y) − C(d, Y−1), from the scores as stored (4 places);
    - increment rank: RANK() over Δ descending, then C descending, so equal Δ and equal C share a rank;
      lines of a shared rank are listed by department code;
    - a department with a score in Y but none in Y−1 is "new": listed after the ranked ones (by C),
      without an increment rank; departments without a score in Y come last, by code;
    - absolute rank: RANK() over C descending among all departments with a score in Y;
    - rank change: the previous run's increment rank − this one (positive = moved up), where both exist.
    """
    year = run.fiscal_year_id
    department_score_tables(year=year)
    before = previous_run(run=run)
    previous_run_id = sql.integer(before.pk if before else 0)
    dimension_ratios = ", ".join(
        f"CASE WHEN o.dimension_n > 0 THEN {sql.to_decimal(mean, 4)} END"
        for mean in (sql.round_div(f"o.{d}8", "o.dimension_n * 10000") for d in DIMENSIONS)
    )
    statement = f"""
        WITH base AS (
            SELECT c.*, d.code, pv.score4 AS previous_score4,
                   CASE WHEN c.score4 IS NOT NULL AND pv.score4 IS NOT NULL
                        THEN c.score4 - pv.score4 END AS inc4,
                   CASE WHEN c.score4 IS NULL THEN 2 WHEN pv.score4 IS NULL THEN 1 ELSE 0 END AS grp
            FROM {DEPARTMENT_SCORES} c
            JOIN finance_department d ON d.id = c.department_id
            LEFT JOIN {DEPARTMENT_SCORES} pv
              ON pv.department_id = c.department_id AND pv.year = {sql.integer(year - 1)}
            WHERE c.year = {sql.integer(year)}
        ),
        ranked AS (
            SELECT base.*,
                   CASE WHEN grp = 0 THEN RANK() OVER (PARTITION BY grp ORDER BY inc4 DESC, score4 DESC) END
                       AS increment_rank,
                   CASE WHEN grp < 2 THEN RANK() OVER (
                       PARTITION BY CASE WHEN grp < 2 THEN 0 ELSE 1 END ORDER BY score4 DESC
                   ) END AS absolute_rank
            FROM base
        ),
        ordered AS (
            SELECT ranked.*,
                   ROW_NUMBER() OVER (
                       ORDER BY grp, COALESCE(increment_rank, 0), COALESCE(absolute_rank, 0),
                                {sql.binary("code")}
                   ) AS position
            FROM ranked
        )
        INSERT INTO performance_leaderboardentry (
            run_id, department_id, score, previous_score, increment, increment_rank, absolute_rank,
            rank_change, is_new, department_budget, evaluated_budget, coverage, low_coverage,
            weakest_dimension, position, grade, project_part, department_wide_score, project_count,
            evaluated_projects, decision_ratio, process_ratio, output_ratio, benefit_ratio
        )
        SELECT {sql.integer(run.pk)}, o.department_id,
               {sql.to_decimal("o.score4", 4)}, {sql.to_decimal("o.previous_score4", 4)},
               {sql.to_decimal("o.inc4", 4)}, o.increment_rank, o.absolute_rank,
               CASE WHEN o.increment_rank IS NOT NULL AND pe.increment_rank IS NOT NULL
                    THEN pe.increment_rank - o.increment_rank END,
               (o.grp = 1),
               {sql.to_decimal("o.department_budget_c", 2)}, {sql.to_decimal("o.evaluated_budget_c", 2)},
               {sql.to_decimal("o.coverage4", 4)}, (o.coverage4 < {sql.integer(low_coverage_units())}),
               {weakest_dimension_sql("o")}, o.position, {grade_sql("o.score4")},
               {sql.to_decimal("o.part4", 4)}, {sql.to_decimal("o.dw_c", 2)}, o.project_count, o.evaluated,
               {dimension_ratios}
        FROM ordered o
        LEFT JOIN performance_leaderboardentry pe
          ON pe.run_id = {previous_run_id} AND pe.department_id = o.department_id
    """
    return sql.execute_insert(statement)


def weak_projects(*, run: RecomputeRun) -> int:
    """Write, per scored department, the projects that pull its score down most: largest
    budget × (C − Pᵢ) among those scoring below C, ties by project code; returns the rows.
    Runs after ``leaderboard``, whose score tables it reads."""
    y = sql.integer(run.fiscal_year_id)
    # Scores and Pᵢ are 64-bit integers; the pull is not: a budget in cents times a score difference
    # in 10⁻⁴ of a point (up to 10⁶) would leave 64 bits for a project of some 92 billion 元.
    pull = f"{sql.numeric('s.budget_c')} * (sc.score4 - 100 * s.p_c)"
    statement = f"""
        WITH pulls AS (
            SELECT s.project_id, s.department_id, s.budget_c, s.p_c, {pull} AS pull6,
                   RANK() OVER (PARTITION BY s.department_id ORDER BY {pull} DESC) AS pull_rank
            FROM {PROJECT_SUMS} s
            JOIN {DEPARTMENT_SCORES} sc ON sc.department_id = s.department_id AND sc.year = {y}
            WHERE s.year = {y} AND s.evaluated = 1 AND sc.score4 IS NOT NULL AND 100 * s.p_c < sc.score4
        ),
        -- A project in the first N places by (pull, code) has at most N − 1 larger pulls before it,
        -- so only those ranked ≤ N by pull alone need their code to break ties. The code is looked
        -- up by key for those few (a join hashed all 760k projects at scale 100).
        candidates AS (
            SELECT pulls.*, (SELECT pr.code FROM projects_project pr WHERE pr.id = pulls.project_id) AS code
            FROM pulls
            WHERE pulls.pull_rank <= {sql.integer(settings.WEAK_PROJECTS_PER_DEPARTMENT)}
        ),
        placed AS (
            SELECT candidates.*,
                   ROW_NUMBER() OVER (
                       PARTITION BY department_id ORDER BY pull6 DESC, {sql.binary("code")}
                   ) AS position
            FROM candidates
        )
        SELECT {sql.integer(run.pk)}, department_id, project_id, position,
               {sql.to_decimal("budget_c", 2)}, {sql.to_decimal("p_c", 2)},
               {sql.to_decimal(sql.round_div("pull6", "10000"), 2)}
        FROM placed
        WHERE position <= {sql.integer(settings.WEAK_PROJECTS_PER_DEPARTMENT)}
    """
    # The scan and join in parallel (90 ms of 450 at scale 100).
    return sql.insert_found(
        table="performance_weakproject",
        columns=("run_id", "department_id", "project_id", "position", "budget", "project_score", "pull"),
        select=statement,
    )
