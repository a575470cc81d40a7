"""Target declarations on the to-do lists and in rounds (SPEC §12.1, §13): the unit's drafts and returned
versions, what the units submitted to their head, what the heads forwarded to the bureau. A targets round
gives every project of the year a first version: approved where targets are already on record
(imported), a draft for the rest."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from finance.scoping import Scope
from projects.models import Project, TargetDeclaration
from workflow import rounds, todo
from workflow.models import Round, State

#: The first step of a version approved because the project's targets were already on record.
TARGETS_ON_RECORD = "targets on record when the round opened"


waiting_targets = todo.waiting_submissions(TargetDeclaration)


def target_rows(records: QuerySet, limit: int) -> list[todo.TodoRow]:
    rows = []
    for record in records.select_related("project__unit", "round").order_by(
        "round__deadline", "project__code"
    )[:limit]:
        project = record.project
        title = f"{project.name} ({project.code})"
        if record.version > 1:
            revision = _("revision, version %(version)s") % {"version": record.version}
            title = f"{title} · {revision}"
        rows.append(
            todo.TodoRow(
                title=title,
                subtitle=project.unit.name,
                state_label=record.get_state_display(),
                url=reverse("projects:targets", args=[project.fiscal_year_id, project.code]),
                deadline=record.round.deadline if record.round else None,
                overdue=record.is_overdue(),
                transition_url=reverse(
                    "projects:targets_transition", args=[project.fiscal_year_id, project.code]
                ),
                quick_actions=todo.quick_actions(record.state),
            )
        )
    return rows


def open_targets_round(round_: Round) -> int:
    """A first version for every project of the year (in the budget or in the pool) without one, each
    with a first timeline step: approved, built from the indicators and goal on record, where the
    project has indicators; a draft for the rest. Versions of the year not yet in a round join this
    one. Set-based: four statements."""
    year = round_.fiscal_year_id
    now = round_.opened_at
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO projects_targetdeclaration
                (project_id, version, state, round_id, goal, explanation, created_at, state_changed_at)
            SELECT p.id, 1,
                   CASE WHEN EXISTS (SELECT 1 FROM projects_indicator i WHERE i.project_id = p.id)
                        THEN %s ELSE %s END,
                   %s, COALESCE(t.goal, ''), '', %s, %s
            FROM projects_project p LEFT JOIN projects_performancetarget t ON t.project_id = p.id
            WHERE p.fiscal_year_id = %s AND p.status <> %s
              AND NOT EXISTS (SELECT 1 FROM projects_targetdeclaration d WHERE d.project_id = p.id)
            """,
            [State.APPROVED, State.DRAFT, round_.pk, now, now, year, Project.Status.CANCELLED],
        )
        cursor.execute(
            """
            INSERT INTO projects_declaredindicator
                (declaration_id, position, level1, level2, name, direction, target_value, measure_unit,
                 weight, from_template)
            SELECT d.id,
                   ROW_NUMBER() OVER (PARTITION BY i.project_id ORDER BY i.level1, i.level2, i.id),
                   i.level1, i.level2, i.name, i.direction, i.target_value, i.measure_unit, i.weight,
                   EXISTS (SELECT 1 FROM projects_indicatortemplate tpl
                           WHERE tpl.department_id = p.department_id AND tpl.category = p.category
                             AND tpl.name = i.name)
            FROM projects_indicator i
            JOIN projects_targetdeclaration d ON d.project_id = i.project_id
            JOIN projects_project p ON p.id = i.project_id
            WHERE d.round_id = %s AND d.state = %s
              AND NOT EXISTS (SELECT 1 FROM projects_declaredindicator x WHERE x.declaration_id = d.id)
            """,
            [round_.pk, State.APPROVED],
        )
        # Before the records of earlier rounds are taken into this one: they have their steps.
        rounds.record_first_steps(round_, TargetDeclaration, on_record=TARGETS_ON_RECORD)
        cursor.execute(
            """
            UPDATE projects_targetdeclaration SET round_id = %s
            WHERE round_id IS NULL AND state <> %s
              AND project_id IN (SELECT id FROM projects_project WHERE fiscal_year_id = %s)
            """,
            [round_.pk, State.APPROVED, year],
        )
    return TargetDeclaration.objects.filter(round=round_).count()


def round_records(round_: Round, scope: Scope) -> QuerySet:
    return TargetDeclaration.objects.in_scope(scope).filter(round=round_)


def register() -> None:
    rounds.register(
        rounds.RoundKind(
            kind=Round.Kind.TARGETS,
            model=TargetDeclaration,
            open=open_targets_round,
            records=round_records,
        )
    )
    todo.register(
        todo.Source(key="targets", label=_("Performance targets"), waiting=waiting_targets, rows=target_rows)
    )
