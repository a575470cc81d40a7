"""The self-evaluations on the to-do lists and in rounds (SPEC §12.1): the unit's drafts and returned ones,
what the units submitted to their head, what the heads forwarded to the bureau; a self-evaluation round
starts a draft for every project in the budget that has none."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from finance.scoping import Scope
from performance.models import Evaluation, SelfEvaluation
from projects.models import Project
from workflow import rounds, todo
from workflow.models import Round, State

waiting_self_evaluations = todo.waiting_submissions(SelfEvaluation)


def self_evaluation_rows(records: QuerySet, limit: int) -> list[todo.TodoRow]:
    rows = []
    for record in records.select_related("project__unit", "round").order_by(
        "round__deadline", "project__code"
    )[:limit]:
        project = record.project
        rows.append(
            todo.TodoRow(
                title=f"{project.name} ({project.code})",
                subtitle=project.unit.name,
                state_label=record.get_state_display(),
                url=reverse("performance:self_evaluation", args=[project.fiscal_year_id, project.code]),
                deadline=record.round.deadline if record.round else None,
                overdue=record.is_overdue(),
                transition_url=reverse(
                    "performance:self_evaluation_transition", args=[project.fiscal_year_id, project.code]
                ),
                quick_actions=todo.quick_actions(record.state),
            )
        )
    return rows


#: The first step of a record approved because its finalised self-evaluation was already on record.
FINALISED_ON_RECORD = "finalised self-evaluation on record when the round opened"


def open_self_evaluation_round(round_: Round) -> int:
    """A record for every approved project of the year without one, each with a first timeline step:
    approved, with its evaluation, where a finalised self-evaluation is already on record (imported),
    so that only approved records count; a draft for the rest. The year's records without a round
    join this one. Set-based: four statements."""
    year, approved = round_.fiscal_year_id, Project.Status.APPROVED
    # The first steps are dated when the round opened (the demo opens its round in 2021).
    now = round_.opened_at
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO performance_selfevaluation (project_id, state, round_id, achieved, evaluation_id,
                                                   state_changed_at)
            SELECT e.project_id, %s, %s, '', e.id, %s
            FROM performance_evaluation e JOIN projects_project p ON p.id = e.project_id
            WHERE e.fiscal_year_id = %s AND e.kind = %s AND e.status = %s AND p.status = %s
              AND NOT EXISTS (SELECT 1 FROM performance_selfevaluation s WHERE s.project_id = p.id)
            """,
            [
                State.APPROVED,
                round_.pk,
                now,
                year,
                Evaluation.Kind.SELF,
                Evaluation.Status.FINALISED,
                approved,
            ],
        )
        cursor.execute(
            """
            INSERT INTO performance_selfevaluation (project_id, state, round_id, achieved, state_changed_at)
            SELECT p.id, %s, %s, '', %s FROM projects_project p
            WHERE p.fiscal_year_id = %s AND p.status = %s
              AND NOT EXISTS (SELECT 1 FROM performance_selfevaluation s WHERE s.project_id = p.id)
            """,
            [State.DRAFT, round_.pk, now, year, approved],
        )
        # Before the records of earlier rounds are taken into this one: they have their steps.
        rounds.record_first_steps(round_, SelfEvaluation, on_record=FINALISED_ON_RECORD)
        cursor.execute(
            """
            UPDATE performance_selfevaluation SET round_id = %s
            WHERE round_id IS NULL
              AND project_id IN (SELECT id FROM projects_project WHERE fiscal_year_id = %s AND status = %s)
            """,
            [round_.pk, year, approved],
        )
    return SelfEvaluation.objects.filter(round=round_).count()


def round_records(round_: Round, scope: Scope) -> QuerySet:
    return SelfEvaluation.objects.in_scope(scope).filter(round=round_)


def draft_evaluations(scope: Scope) -> QuerySet | None:
    """The bureau's evaluations still to score or finalise (key, department-wide, ex-ante): officers'."""
    if not scope.everything:
        return None
    return Evaluation.objects.exclude(kind=Evaluation.Kind.SELF).exclude(status=Evaluation.Status.FINALISED)


def draft_evaluation_rows(records: QuerySet, limit: int) -> list[todo.TodoRow]:
    rows = []
    for evaluation in records.select_related("project", "project__unit", "department").order_by("pk")[:limit]:
        target = evaluation.project or evaluation.department
        kind = evaluation.get_kind_display()
        if evaluation.key_category:
            kind = f"{kind} · {evaluation.get_key_category_display()}"
        rows.append(
            todo.TodoRow(
                title=f"{target.name} ({target.code})",
                subtitle=kind,
                state_label=evaluation.get_status_display(),
                url=reverse("performance:evaluation", args=[evaluation.pk]),
            )
        )
    return rows


def register() -> None:
    rounds.register(
        rounds.RoundKind(
            kind=Round.Kind.SELF_EVALUATION,
            model=SelfEvaluation,
            open=open_self_evaluation_round,
            records=round_records,
        )
    )
    todo.register(
        todo.Source(
            key="self_evaluations",
            label=_("Self-evaluations"),
            waiting=waiting_self_evaluations,
            rows=self_evaluation_rows,
        )
    )
    todo.register(
        todo.Source(
            key="evaluations",
            label=_("Evaluations to score and finalise"),
            waiting=draft_evaluations,
            rows=draft_evaluation_rows,
        )
    )
