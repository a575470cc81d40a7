"""SPEC §4.3 evaluations and grades: the computed self-evaluation score and the self-scoring check."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection

from performance.models import Grade, RecomputeRun, grade_for
from performance.services import _sql as sql
from performance.services.completion import completion_sql
from performance.services.progress import PROJECT_SUMS, ratio

__all__ = [
    "SelfEvaluationScore",
    "completion_sql",
    "grade_for",
    "inflated_self_scores",
    "self_evaluation_scores",
]


@dataclass(frozen=True)
class SelfEvaluationScore:
    """A project's self-evaluation computed from its figures: up to 10 points for budget execution,
    up to 90 shared by its indicators."""

    project_id: int
    spent: Decimal
    execution_rate: Decimal
    execution_points: Decimal
    indicator_points: Decimal
    score: Decimal

    @property
    def grade(self) -> Grade:
        return grade_for(self.score)


def self_evaluation_scores_sql(*, projects_where: str) -> str:
    """SPEC §4.3 computed self-evaluation: the SELECT of (project_id, budget_c, spent_c,
    execution_points, indicator_points; points in hundredths) of the projects ``projects_where`` (an
    SQL condition on ``projects_project``, with parameters), then one parameter: the as-of date."""
    execution_points = sql.least(sql.round_div("1000 * COALESCE(spent.spent_c, 0)", "proj.budget_c"), "1000")
    statement = f"""
        WITH proj AS (
            SELECT id, {sql.cents("budget")} AS budget_c FROM projects_project WHERE {projects_where}
        ),
        spent AS (
            SELECT project_id, COALESCE(SUM(amount_cents), 0) AS spent_c
            FROM projects_payment
            WHERE paid_on <= %s AND project_id IN (SELECT id FROM proj)
            GROUP BY project_id
        ),
        indicators AS (
            SELECT project_id, SUM(weight_c) AS weight_c, SUM(weight_c * completion) AS earned
            FROM (
                SELECT project_id, {sql.cents("weight")} AS weight_c, {completion_sql()} AS completion
                FROM projects_indicator
                WHERE project_id IN (SELECT id FROM proj)
            ) i
            GROUP BY project_id
        ),
        parts AS (
            SELECT proj.id AS project_id, proj.budget_c, COALESCE(spent.spent_c, 0) AS spent_c,
                   CASE WHEN proj.budget_c > 0 THEN {execution_points} ELSE 0 END AS execution_points,
                   CASE WHEN indicators.weight_c > 0
                        THEN {sql.round_div("90 * indicators.earned", "10000 * indicators.weight_c")}
                        ELSE 0 END AS indicator_points
            FROM proj
            LEFT JOIN spent ON spent.project_id = proj.id
            LEFT JOIN indicators ON indicators.project_id = proj.id
        )
        SELECT project_id, budget_c, spent_c, execution_points, indicator_points
        FROM parts
        ORDER BY project_id
    """
    return statement


def self_evaluation_scores(
    *, year: int, as_of: datetime.date, project_ids: Iterable[int] | None = None
) -> list[SelfEvaluationScore]:
    """The computed self-evaluation score of each project of ``year`` (or of ``project_ids``).

    Execution: rate = spent to ``as_of`` ÷ budget (0 where the budget is 0), earning rate × 10 points,
    at most 10. Indicators share 90 points by weight: 90 × Σ(weight × completion) ÷ Σ weight, which is
    Σ weight × completion when the weights add up to 90, as they normally do. Each part is rounded half
    up to 0.01 point; the score is their sum.
    """
    filters, params = ["fiscal_year_id = %s"], [year]
    if project_ids is not None:
        ids = [int(pk) for pk in project_ids]
        if not ids:
            return []
        filters.append(f"id IN ({', '.join(['%s'] * len(ids))})")
        params.extend(ids)
    statement = self_evaluation_scores_sql(projects_where=" AND ".join(filters))
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, as_of])
        rows = cursor.fetchall()
    return [
        SelfEvaluationScore(
            project_id=project_id,
            spent=Decimal(int(spent)).scaleb(-2),
            execution_rate=ratio(int(spent), int(budget)),
            execution_points=Decimal(int(execution)).scaleb(-2),
            indicator_points=Decimal(int(indicators)).scaleb(-2),
            score=Decimal(int(execution) + int(indicators)).scaleb(-2),
        )
        for project_id, budget, spent, execution, indicators in rows
    ]


def inflated_self_scores_sql(*, run: RecomputeRun) -> tuple[dict[str, str], str]:
    """SPEC §4.3 self-scoring check (自评偏差): ``(columns, select)``, the SELECT of the projects whose
    self-evaluation looks inflated; its columns (name → expression) are those of
    ``performance_inflatedselfscore``. Reads ``rc_project``.

    Flagged: a finalised self-evaluation whose total exceeds the finalised key evaluation's by more
    than SELF_SCORE_INFLATION_POINTS, or one graded 优 while the budget execution rate (as stored, to 4
    places, to the run's date) is below 60 %.
    """
    year = sql.integer(run.fiscal_year_id)
    threshold = sql.integer(int(settings.SELF_SCORE_INFLATION_POINTS * 100))
    minimum_rate = sql.integer(int(settings.SELF_SCORE_MIN_EXECUTION_RATE * 10_000))
    # The execution rate in 10⁻⁴ is the project's spending progress, which rc_project holds.
    execution = "x.progress"
    exceeds_key = f"(x.key_total IS NOT NULL AND x.self_c - x.key_c > {threshold})"
    excellent_but_low_execution = f"(x.self_excellent = 1 AND {execution} < {minimum_rate})"
    columns = {
        "run_id": sql.integer(run.pk),
        "department_id": "x.department_id",
        "project_id": "x.project_id",
        "self_total": "x.self_total",
        "key_total": "x.key_total",
        "execution_rate": sql.to_decimal(execution, 4),
        "exceeds_key": exceeds_key,
        "excellent_but_low_execution": excellent_but_low_execution,
    }
    select = f"""
        SELECT {sql.select_list(columns)}
        FROM (
            SELECT rp.project_id, rp.department_id, rp.progress,
                   rp.self_total, rp.self_excellent, {sql.cents("rp.self_total")} AS self_c,
                   rp.key_total, {sql.cents("rp.key_total")} AS key_c
            FROM {PROJECT_SUMS} rp
            WHERE rp.year = {year} AND rp.self_total IS NOT NULL
        ) x
        -- The key total tested first: most projects have none, and then nothing is converted.
        WHERE {exceeds_key} OR {excellent_but_low_execution}
    """
    return columns, select


def inflated_self_scores(*, run: RecomputeRun) -> int:
    """Write the run's self-scoring check (``inflated_self_scores_sql``); returns the rows written."""
    columns, select = inflated_self_scores_sql(run=run)
    # A scan of every project for a few thousand rows: found in parallel (85 ms against 145 at scale 100).
    return sql.insert_found(table="performance_inflatedselfscore", columns=tuple(columns), select=select)
