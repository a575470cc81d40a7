"""Monitoring data for ``bench_recompute`` (SPEC §9, §14.1): a monitoring round as of 31 July with an
approved report for a share of the year's projects, its lines copying their indicators, so that the
bench times the recompute with the monitoring figures at any scale.

Written by three ``INSERT … SELECT`` statements in the database (no row passes through Python), which
take seconds at scale 100, and one ``UPDATE`` storing each report's expected completion as approving
it does (``monitoring.refresh_expected_completions``). The expected values spread around the targets
(80 %–109 % of a ≥ target, 90 %–119 % of a ≤ one, judgements 0.70–1.00), so that some projects
deviate; a line expected to fall short carries a cause and a corrective measure. Reports are only
added where the round has none for the project, so a seed that already holds the round (the demo's
own) keeps its reports.
"""

from __future__ import annotations

import datetime

from django.db import connection, transaction
from django.utils import timezone

from performance.models import MonitoringLine, MonitoringReport
from performance.services import _sql as sql
from performance.services.monitoring import refresh_expected_completions
from projects.models import Direction, Project
from workflow.models import Round, State

#: Of every 20 project ids, this many get an approved report: three quarters of the projects, about
#: what a round has approved by the time the year's as-of date comes.
SHARE_OF_20 = 15

SHORTFALL_CAUSE = "受项目实施进度影响，部分指标预计年底前难以全部完成。"
SHORTFALL_MEASURE = "加快项目实施和资金拨付，按月调度进度。"


def seed_bench_monitoring(*, year: int, as_of: datetime.date, share_of_20: int = SHARE_OF_20) -> int:
    """Open the year's monitoring round as of 31 July (or ``as_of`` when earlier) where it does not
    exist, and give ``share_of_20`` of every 20 approved projects without a report in it an approved
    report; returns the reports added."""
    round_as_of = min(datetime.date(year, 7, 31), as_of)
    round_, _created = Round.objects.get_or_create(
        kind=Round.Kind.MONITORING,
        fiscal_year_id=year,
        as_of=round_as_of,
        defaults={"deadline": round_as_of + datetime.timedelta(days=20)},
    )
    reports, lines = MonitoringReport._meta.db_table, MonitoringLine._meta.db_table
    projects, indicators = Project._meta.db_table, "projects_indicator"
    now = timezone.now()
    # NOT IN (a hashed subplan, read once) rather than NOT EXISTS: an anti-join against the table being
    # filled rescans what it has just written, quadratic when the planner takes the table for empty.
    # The hash must fit in work_mem, or PostgreSQL rescans the subquery for every project (quadratic
    # too): at scale 100 the demo's own round already holds 387,600 reports.
    with transaction.atomic(), sql.local_settings(work_mem="256MB"), connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {reports}")
        before = cursor.fetchone()[0]
        cursor.execute(
            f"""
            INSERT INTO {reports} (state, round_id, state_changed_at, project_id)
            SELECT %s, %s, %s, p.id FROM {projects} p
            WHERE p.fiscal_year_id = %s AND p.status = %s AND p.id %% 20 < %s
              AND p.id NOT IN (SELECT project_id FROM {reports} WHERE round_id = %s)
            """,
            [State.APPROVED, round_.pk, now, year, Project.Status.APPROVED, share_of_20, round_.pk],
        )
        added = cursor.rowcount
        ge, le, eq = (sql.quote(d) for d in (Direction.AT_LEAST, Direction.AT_MOST, Direction.EQUAL))
        qualitative = sql.quote(Direction.QUALITATIVE)
        # x: 0–29 per indicator; a ≥ line expects 80 %–109 % of its target, a ≤ one 90 %–119 % (÷ 100.0:
        # SQLite divides integers as integers, and stores a whole target as an integer).
        expected = f"""CASE i.direction WHEN {ge} THEN ROUND(i.target_value * (80 + i.x) / 100.0, 4)
                                        WHEN {le} THEN ROUND(i.target_value * (90 + i.x) / 100.0, 4)
                                        WHEN {eq} THEN i.target_value END"""
        short = f"((i.direction = {ge} AND i.x < 20) OR (i.direction = {le} AND i.x > 10))"
        cursor.execute(
            f"""
            INSERT INTO {lines} (report_id, indicator_id, position, level1, level2, name, direction,
                                 target_value, measure_unit, weight, achieved_value, expected_value,
                                 judgement, cause, cause_text, measure)
            SELECT r.id, i.id, 0, i.level1, i.level2, i.name, i.direction, i.target_value,
                   i.measure_unit, i.weight, ROUND(i.target_value * 58 / 100.0, 4), {expected},
                   CASE WHEN i.direction = {qualitative} THEN (70 + i.id %% 31) / 100.0 END,
                   CASE WHEN {short} THEN 'implementation' ELSE '' END,
                   CASE WHEN {short} THEN %s ELSE '' END,
                   CASE WHEN {short} THEN %s ELSE '' END
            FROM {reports} r
            JOIN (SELECT *, id * 7 %% 30 AS x FROM {indicators}) i ON i.project_id = r.project_id
            WHERE r.id > %s
            """,
            [SHORTFALL_CAUSE, SHORTFALL_MEASURE, before],
        )
    # Approved by SQL, not by the workflow: their expected completions are stored as approving does.
    refresh_expected_completions(round_id=round_.pk)
    return added
