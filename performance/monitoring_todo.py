"""Monitoring reports on the to-do lists and in rounds (SPEC §12.1, §14.1): the unit's drafts and returned
reports, what the units submitted to their head, what the heads forwarded to the bureau. A monitoring
round starts a draft report for every approved project of the year that has targets in force, its lines
copied from them."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from finance.scoping import Scope
from performance.models import MonitoringReport
from projects.models import Project
from workflow import rounds, todo
from workflow.models import Round, State

waiting_reports = todo.waiting_submissions(MonitoringReport)


def report_rows(records: QuerySet, limit: int) -> list[todo.TodoRow]:
    rows = []
    as_of = gettext("as of %(date)s")
    for record in records.select_related("project__unit", "round").order_by(
        "round__deadline", "round__as_of", "project__code"
    )[:limit]:
        project, round_ = record.project, record.round
        args = [project.fiscal_year_id, project.code, round_.pk]
        rows.append(
            todo.TodoRow(
                title=f"{project.name} ({project.code}) · {as_of % {'date': f'{round_.as_of:%Y-%m-%d}'}}",
                subtitle=project.unit.name,
                state_label=record.get_state_display(),
                url=reverse("performance:monitoring_report", args=args),
                deadline=round_.deadline,
                overdue=record.is_overdue(),
                transition_url=reverse("performance:monitoring_transition", args=args),
                quick_actions=todo.quick_actions(record.state),
            )
        )
    return rows


def open_monitoring_round(round_: Round) -> int:
    """A draft report for every approved project of the round's year that has targets in force (its
    indicators), its lines copied from them, each report with a first timeline step. Projects without
    targets get none: there is nothing to report against. Set-based: three statements."""
    now = round_.opened_at
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO performance_monitoringreport (project_id, state, round_id, state_changed_at)
            SELECT p.id, %s, %s, %s FROM projects_project p
            WHERE p.fiscal_year_id = %s AND p.status = %s
              AND EXISTS (SELECT 1 FROM projects_indicator i WHERE i.project_id = p.id)
            """,
            [State.DRAFT, round_.pk, now, round_.fiscal_year_id, Project.Status.APPROVED],
        )
        cursor.execute(
            """
            INSERT INTO performance_monitoringline
                (report_id, indicator_id, position, level1, level2, name, direction, target_value,
                 measure_unit, weight, cause, cause_text, measure)
            SELECT r.id, i.id,
                   ROW_NUMBER() OVER (PARTITION BY i.project_id ORDER BY i.level1, i.level2, i.id),
                   i.level1, i.level2, i.name, i.direction, i.target_value, i.measure_unit, i.weight,
                   '', '', ''
            FROM projects_indicator i JOIN performance_monitoringreport r ON r.project_id = i.project_id
            WHERE r.round_id = %s
            """,
            [round_.pk],
        )
    rounds.record_first_steps(round_, MonitoringReport)
    return MonitoringReport.objects.filter(round=round_).count()


def round_records(round_: Round, scope: Scope) -> QuerySet:
    return MonitoringReport.objects.in_scope(scope).filter(round=round_)


def register() -> None:
    rounds.register(
        rounds.RoundKind(
            kind=Round.Kind.MONITORING,
            model=MonitoringReport,
            open=open_monitoring_round,
            records=round_records,
        )
    )
    todo.register(
        todo.Source(
            key="monitoring",
            label=_("Monitoring reports"),
            waiting=waiting_reports,
            rows=report_rows,
        )
    )
