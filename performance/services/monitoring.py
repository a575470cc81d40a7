"""SPEC §14.1 monitoring rounds (双监控): spending and targets watched together.

A run reads one monitoring round: the latest of its year whose date is on or before the run's as-of
date (a round dated later has not happened yet as of the run's date; an earlier one is superseded by
the later one). From the round's **approved** reports only, each project's expected target completion
is Σ weight × completion(expected value, target) ÷ Σ weight over the report's lines, completion as
§4.3 (``completion.completion_sql``, each capped at 1; qualitative lines take the unit's judgement),
rounded half up to 10⁻⁴ as stored. Each report's is computed once, when it is approved, and stored
on it (``refresh_expected_completions``); the pass over payments (``progress.project_sums_sql``) reads
that one number per report, slice of project ids by slice, and decides the deviations there, set-based:

- ``target_deviation``: the expected completion is below ``MONITORING_TARGET_DEVIATION`` (0.90);
- ``spending_deviation``: the spending gap at the round's date is serious by §4.1's own rule (below
  ``PROGRESS_SERIOUS_GAP_PP``: −20.00 pp is attention, −20.01 pp is serious), decided on the gap as
  stored, to 0.01 pp;
- double deviation (双偏差): both.

The roll-up counts them per unit, department and district (``rollups``); §4.7 sends a double deviation
to review (``adjustments.REVIEW_CHECKS``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP

from django.conf import settings
from django.db import connection

from performance.models import WarningLevel, warning_floors
from performance.services import _sql as sql
from performance.services.completion import completion_sql
from workflow.models import Round, State

APPROVED_REPORT = sql.quote(State.APPROVED)


@dataclass(frozen=True)
class MonitoringRound:
    """The round a run reads: its id and its as-of date."""

    round_id: int
    as_of: datetime.date


def monitoring_round(*, year: int, as_of: datetime.date) -> MonitoringRound | None:
    """The latest monitoring round of ``year`` dated on or before ``as_of``; None when there is none."""
    found = (
        Round.objects.filter(
            kind=Round.Kind.MONITORING,
            fiscal_year_id=year,
            as_of__gte=datetime.date(year, 1, 1),
            as_of__lte=as_of,
        )
        .order_by("-as_of")
        .values_list("pk", "as_of")
        .first()
    )
    return MonitoringRound(round_id=found[0], as_of=found[1]) if found else None


def target_deviation_units() -> str:
    """``MONITORING_TARGET_DEVIATION`` as an SQL integer in 10⁻⁴ (the stored precision)."""
    return sql.integer(int((settings.MONITORING_TARGET_DEVIATION * 10_000).to_integral_value(ROUND_HALF_UP)))


def serious_gap_units() -> str:
    """The gap (in 0.01 pp) below which §4.1 calls a project serious: the floor of the level before it."""
    floors = dict(warning_floors())
    return sql.integer(int((floors[WarningLevel.ATTENTION] * 100).to_integral_value(ROUND_HALF_UP)))


def monitoring_late_sum(monitoring: MonitoringRound | None, as_of: datetime.date) -> tuple | None:
    """(first day after the round's date, first day of the next month or None) when spending to the
    round's date needs a sum of its own: the month buckets give it whenever the round's date is its
    month's last day or the run's own date."""
    if monitoring is None or monitoring.as_of >= as_of:
        return None
    after = monitoring.as_of + datetime.timedelta(days=1)
    if after.day == 1:
        return None
    if monitoring.as_of.month == as_of.month:
        return (after, None)
    return (after, datetime.date(as_of.year, monitoring.as_of.month + 1, 1))


def monitoring_spent_sql(monitoring: MonitoringRound, as_of: datetime.date, *, bucket) -> str:
    """SPEC §14.1 spending to the round's date, from the pass's own sums (``pay``): what was spent to
    ``as_of`` less what was paid in the months after the round's month and, when the round's date is
    not its month's last day, what was paid after it in its month (``monitoring_late_c``).
    ``bucket(month)`` names the pass's column of what was paid in a month (``progress.bucket``)."""
    later = [f"pay.{bucket(m)}" for m in range(monitoring.as_of.month + 1, as_of.month + 1)]
    if monitoring_late_sum(monitoring, as_of) is not None:
        later.append("pay.monitoring_late_c")
    return f"COALESCE({' - '.join(['pay.spent_c', *later])}, 0)"


def _lines_completion_sql(report_id: str) -> tuple[str, str, str]:
    """(Σ weight in cents, expected completion in 10⁻⁴ rounded half up or NULL when the lines weigh
    nothing) of the lines of the report ``report_id`` (an SQL expression: a correlated column), and
    the FROM clause of those lines they are selected from."""
    # weight in cents × completion in 10⁻⁶: Σ ÷ Σ weight is the completion in 10⁻⁶, ÷ 100 in 10⁻⁴.
    completion = sql.round_div("SUM(l.weight_c * l.completion)", "100 * SUM(l.weight_c)")
    lines = f"""
        FROM (
            SELECT {sql.cents("weight")} AS weight_c, {completion_sql(actual="expected_value")} AS completion
            FROM performance_monitoringline
            WHERE report_id = {report_id}
        ) l
    """
    weight = "COALESCE(SUM(l.weight_c), 0)"
    return weight, sql.bigint(f"CASE WHEN SUM(l.weight_c) > 0 THEN {completion} END"), lines


def refresh_expected_completions(
    *, report_ids: list[int] | None = None, round_id: int | None = None, missing: bool = False
) -> int:
    """Store the expected completion (``MonitoringReport.expected_completion``, 10⁻⁴) and the lines'
    weight of the reports ``report_ids`` or of every report of the round ``round_id`` (of every report
    when neither is given), in one statement: an approved report gets its lines' figures, any other
    NULL (not computed). ``missing``: only the approved reports without them (``expected_weight``
    NULL). Called when a report is approved or reopened, by the run for its round's missing ones
    (``progress.project_sums``), after bulk writes of reports (the bench's seed) and by the migration
    that added the columns; returns the reports updated."""
    weight, completion, lines = _lines_completion_sql("performance_monitoringreport.id")
    approved = f"performance_monitoringreport.state = {APPROVED_REPORT}"
    where = "1 = 1"
    if report_ids is not None:
        where = f"id IN ({', '.join(sql.integer(pk) for pk in report_ids) or 'NULL'})"
    elif round_id is not None:
        where = f"round_id = {sql.integer(round_id)}"
    if missing:
        where += f" AND {approved} AND expected_weight IS NULL"
    statement = f"""
        UPDATE performance_monitoringreport
        SET (expected_weight, expected_completion) = (
            SELECT CASE WHEN {approved} THEN {sql.to_decimal(weight, 2)} END,
                   CASE WHEN {approved} THEN {sql.to_decimal(completion, 4)} END
            {lines}
        )
        WHERE {where}
    """
    with connection.cursor() as cursor:
        cursor.execute(statement)
        return cursor.rowcount


def expected_completion_sql(*, round_id: int, id_range: tuple[int, int] | None = None) -> str:
    """SPEC §14.1 expected target completion: the SELECT of (project_id, completion_u) for each project
    with an approved report in the round ``round_id``, the completion in 10⁻⁴ rounded half up (NULL
    when its lines weigh nothing); ``id_range``: only the projects of one slice of ids.

    It is the report's stored completion, computed when the report was approved; the run first
    stores the few its round's approved reports lack (``refresh_expected_completions(missing=True)``:
    reports approved by raw SQL, or cleared by a save of a stale object). Not computed here from the
    lines: a correlated subquery would keep PostgreSQL from running the pass in parallel workers."""
    project_ids = ""
    if id_range is not None:
        low, high = sql.integer(id_range[0]), sql.integer(id_range[1])
        project_ids = f" AND r.project_id >= {low} AND r.project_id < {high}"
    # One report per project and round (``monitoring_report_one_per_round``): no grouping.
    return f"""
        SELECT r.project_id, {sql.bigint(sql.scaled("r.expected_completion", 4))} AS completion_u
        FROM performance_monitoringreport r
        WHERE r.round_id = {sql.integer(round_id)} AND r.state = {APPROVED_REPORT}{project_ids}
    """
