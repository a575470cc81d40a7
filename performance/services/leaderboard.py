"""SPEC §4.5 incremental performance leaderboard (增量绩效排行榜) and each department's weak spots."""

from __future__ import annotations

from django.conf import settings
from django.db import connection

from performance.models import RecomputeRun
from performance.services import _sql as sql
from performance.services.progress import PROJECT_SUMS
from performance.services.scores import (
    DIMENSION_COLUMNS,
    DIMENSIONS,
    grade_sql,
    low_coverage_units,
    score_ctes,
    weakest_dimension_sql,
)

#: Work table of a run (``sql.create_work_table``): the department scores of Y and Y−1.
DEPARTMENT_SCORES = "rc_scores"

#: The ``rc_project`` columns the scores are computed from (``progress.project_sums_sql`` writes them).
_PROJECT_COLUMNS = ("year", "project_id", "department_id", "budget_c", "evaluated", "p_c", *DIMENSION_COLUMNS)


def department_scores_sql(*, year: int) -> str:
    """SPEC §4.4 C(d, Y) and C(d, Y−1): the SELECT ``rc_scores`` is created from, the scores of
    ``year`` and the year before from ``rc_project`` (which holds the approved projects of both years
    with the evaluation behind Pᵢ). Only the year's own dimensions are added up: the leaderboard takes
    just the score of the year before."""
    projects = f"SELECT {', '.join(_PROJECT_COLUMNS)} FROM {PROJECT_SUMS}"
    ctes = score_ctes(years=(year, year - 1), prefix="sc", projects=projects, dimension_years=(year,))
    return f"WITH {ctes} SELECT * FROM sc_scores"


def department_score_tables(*, year: int) -> None:
    """Build ``rc_scores`` (``department_scores_sql``), once per run."""
    sql.create_work_table(DEPARTMENT_SCORES, department_scores_sql(year=year))
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


def leaderboard_sql(*, run: RecomputeRun, previous_run_id: int) -> str:
    """SPEC §4.5 the leaderboard: the INSERT of one line per department with approved projects in the
    run's year, from ``rc_scores``; ``previous_run_id`` (0 for none) is the base of the rank change.

    - increment Δ = C(d, Y) − C(d, Y−1), from the scores as stored (4 places);
    - increment rank: RANK() over Δ descending, then C descending, so equal Δ and equal C share a rank;
      lines of a shared rank are listed by department code;
    - a department with a score in Y but none in Y−1 is "new": listed after the ranked ones (by C),
      without an increment rank; departments without a score in Y come last, by code;
    - absolute rank: RANK() over C descending among all departments with a score in Y;
    - rank change: the previous run's increment rank − this one (positive = moved up), where both exist.
    """
    year = run.fiscal_year_id
    columns = {
        "run_id": sql.integer(run.pk),
        "department_id": "o.department_id",
        "score": sql.to_decimal("o.score4", 4),
        "previous_score": sql.to_decimal("o.previous_score4", 4),
        "increment": sql.to_decimal("o.inc4", 4),
        "increment_rank": "o.increment_rank",
        "absolute_rank": "o.absolute_rank",
        "rank_change": """CASE WHEN o.increment_rank IS NOT NULL AND pe.increment_rank IS NOT NULL
                               THEN pe.increment_rank - o.increment_rank END""",
        "is_new": "(o.grp = 1)",
        "department_budget": sql.to_decimal("o.department_budget_c", 2),
        "evaluated_budget": sql.to_decimal("o.evaluated_budget_c", 2),
        "coverage": sql.to_decimal("o.coverage4", 4),
        "low_coverage": f"(o.coverage4 < {sql.integer(low_coverage_units())})",
        "weakest_dimension": weakest_dimension_sql("o"),
        "position": "o.position",
        "grade": grade_sql("o.score4"),
        "project_part": sql.to_decimal("o.part4", 4),
        "department_wide_score": sql.to_decimal("o.dw_c", 2),
        "project_count": "o.project_count",
        "evaluated_projects": "o.evaluated",
        **{
            f"{d}_ratio": f"CASE WHEN o.dimension_n > 0 THEN {sql.to_decimal(mean, 4)} END"
            for d, mean in ((d, sql.round_div(f"o.{d}8", "o.dimension_n * 10000")) for d in DIMENSIONS)
        },
    }
    insert = sql.insert_select(
        "performance_leaderboardentry",
        columns,
        f"""
        FROM ordered o
        LEFT JOIN performance_leaderboardentry pe
          ON pe.run_id = {sql.integer(previous_run_id)} AND pe.department_id = o.department_id
        """,
    )
    return f"""
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
        {insert}
    """


def leaderboard(*, run: RecomputeRun) -> int:
    """Build the run's ``rc_scores`` (§4.4) and write its leaderboard (``leaderboard_sql``); returns
    the lines written."""
    department_score_tables(year=run.fiscal_year_id)
    before = previous_run(run=run)
    return sql.execute_insert(leaderboard_sql(run=run, previous_run_id=before.pk if before else 0))


def weak_projects_sql(*, run: RecomputeRun) -> tuple[dict[str, str], str]:
    """SPEC §4.5 weak spots: ``(columns, select)``, the SELECT of the projects that pull each scored
    department's score down most: largest budget × (C − Pᵢ) among those scoring below C, ties by
    project code; its columns (name → expression) are those of ``performance_weakproject``. Reads the
    run's ``rc_project`` and ``rc_scores``."""
    y = sql.integer(run.fiscal_year_id)
    per_department = sql.integer(settings.WEAK_PROJECTS_PER_DEPARTMENT)
    # Scores and Pᵢ are 64-bit integers; the pull is not: a budget in cents times a score difference
    # in 10⁻⁴ of a point (up to 10⁶) would leave 64 bits for a project of some 92 billion 元.
    pull = f"{sql.numeric('s.budget_c')} * (sc.score4 - 100 * s.p_c)"
    columns = {
        "run_id": sql.integer(run.pk),
        "department_id": "department_id",
        "project_id": "project_id",
        "position": "position",
        "budget": sql.to_decimal("budget_c", 2),
        "project_score": sql.to_decimal("p_c", 2),
        "pull": sql.to_decimal(sql.round_div("pull6", "10000"), 2),
    }
    # A project in the first N places by (pull, code) has at most N − 1 larger pulls before it, so
    # only those ranked ≤ N by pull alone need their code to break ties. The code is looked up by key
    # for those few (a join hashed all 760k projects at scale 100).
    select = f"""
        WITH pulls AS (
            SELECT s.project_id, s.department_id, s.budget_c, s.p_c, {pull} AS pull6,
                   RANK() OVER (PARTITION BY s.department_id ORDER BY {pull} DESC) AS pull_rank
            FROM {PROJECT_SUMS} s
            JOIN {DEPARTMENT_SCORES} sc ON sc.department_id = s.department_id AND sc.year = {y}
            WHERE s.year = {y} AND s.evaluated = 1 AND sc.score4 IS NOT NULL AND 100 * s.p_c < sc.score4
        ),
        candidates AS (
            SELECT pulls.*, (SELECT pr.code FROM projects_project pr WHERE pr.id = pulls.project_id) AS code
            FROM pulls
            WHERE pulls.pull_rank <= {per_department}
        ),
        placed AS (
            SELECT candidates.*,
                   ROW_NUMBER() OVER (
                       PARTITION BY department_id ORDER BY pull6 DESC, {sql.binary("code")}
                   ) AS position
            FROM candidates
        )
        SELECT {sql.select_list(columns)}
        FROM placed
        WHERE position <= {per_department}
    """
    return columns, select


def weak_projects(*, run: RecomputeRun) -> int:
    """Write the run's weak projects (``weak_projects_sql``); returns the rows. Runs after
    ``leaderboard``, whose score tables it reads."""
    columns, select = weak_projects_sql(run=run)
    # The scan and join in parallel (90 ms of 450 at scale 100).
    return sql.insert_found(table="performance_weakproject", columns=tuple(columns), select=select)
