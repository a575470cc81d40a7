"""SPEC §4.7 applying results (结果应用): next-year budget adjustments by grade, decided by an officer."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from finance.roles import is_officer
from performance.models import BudgetAdjustment, Evaluation, Grade
from performance.services import _sql as sql

#: Share of the budget cut for a 中 (fair) and a 差 (poor) grade; settings may override them.
CUT_FOR_FAIR = Decimal(str(getattr(settings, "BUDGET_CUT_FAIR", "0.10")))
CUT_FOR_POOR = Decimal(str(getattr(settings, "BUDGET_CUT_POOR", "0.30")))

ACTION_FOR_GRADE = {
    Grade.EXCELLENT: BudgetAdjustment.Action.PRIORITY,
    Grade.GOOD: BudgetAdjustment.Action.KEEP,
    Grade.FAIR: BudgetAdjustment.Action.CUT,
    Grade.POOR: BudgetAdjustment.Action.CANCEL,
}


def _cut_units(cut: Decimal) -> int:
    return int(cut * 10_000)


def propose_budget_adjustments(*, year: int) -> int:
    """Propose a ``year + 1`` adjustment for every approved project of ``year`` with a finalised
    evaluation that counts (the key evaluation, else the self-evaluation); returns the proposals added.

    优 keep and give priority, 良 keep, 中 cut CUT_FOR_FAIR, 差 cut CUT_FOR_POOR or cancel; the
    proposed budget is rounded half up to the cent. Idempotent: a project that already has a proposal
    for its counting evaluation keeps it, and a still-pending proposal whose evaluation no longer counts
    (a key evaluation was finalised after the self-evaluation) is replaced.
    """
    y = sql.integer(year)
    finalised = sql.quote(Evaluation.Status.FINALISED)
    counting = f"""
        SELECT id, project_id, grade FROM (
            SELECT e.id, e.project_id, e.grade,
                   ROW_NUMBER() OVER (
                       PARTITION BY e.project_id ORDER BY CASE WHEN e.kind = 'key' THEN 0 ELSE 1 END
                   ) AS pick
            FROM performance_evaluation e
            JOIN projects_project p ON p.id = e.project_id
            WHERE e.fiscal_year_id = {y} AND e.status = {finalised} AND p.status = 'approved'
              AND (e.kind = 'self' OR (e.kind = 'key' AND e.key_category <> 'department_wide'))
        ) ranked
        WHERE pick = 1
    """
    action = "CASE c.grade " + " ".join(
        f"WHEN {sql.quote(grade)} THEN {sql.quote(action)}" for grade, action in ACTION_FOR_GRADE.items()
    )
    action += " END"
    keep_units = {
        Grade.EXCELLENT: 10_000,
        Grade.GOOD: 10_000,
        Grade.FAIR: 10_000 - _cut_units(CUT_FOR_FAIR),
        Grade.POOR: 10_000 - _cut_units(CUT_FOR_POOR),
    }
    kept = "CASE c.grade " + " ".join(
        f"WHEN {sql.quote(grade)} THEN {sql.integer(units)}" for grade, units in keep_units.items()
    )
    kept += " END"
    proposed = sql.to_decimal(sql.round_div(f"{sql.cents('p.budget')} * {kept}", "10000"), 2)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            DELETE FROM performance_budgetadjustment
            WHERE target_year = %s AND decision = 'pending'
              AND evaluation_id NOT IN (SELECT id FROM ({counting}) c)
              AND project_id IN (SELECT id FROM projects_project WHERE fiscal_year_id = %s)
            """,
            [year + 1, year],
        )
        cursor.execute(
            f"""
            INSERT INTO performance_budgetadjustment (
                evaluation_id, project_id, target_year, grade, proposed_action, current_budget,
                proposed_budget, decision, note
            )
            SELECT c.id, c.project_id, %s, c.grade, {action}, p.budget, {proposed}, 'pending', ''
            FROM ({counting}) c
            JOIN projects_project p ON p.id = c.project_id
            WHERE NOT EXISTS (
                SELECT 1 FROM performance_budgetadjustment a WHERE a.evaluation_id = c.id
            )
            """,
            [year + 1],
        )
        return cursor.rowcount


def _decide(
    *, adjustment: BudgetAdjustment, user, decision: str, final_budget: Decimal | None, note: str
) -> BudgetAdjustment:
    if not is_officer(user):
        raise PermissionDenied("Only budget officers decide budget adjustments.")
    with transaction.atomic():
        locked = BudgetAdjustment.objects.select_for_update().get(pk=adjustment.pk)
        locked.decision = decision
        locked.final_budget = final_budget
        locked.note = note
        locked.decided_by = user
        locked.decided_at = timezone.now()
        locked.full_clean()
        locked.save()
    return locked


def accept_budget_adjustment(*, adjustment: BudgetAdjustment, user, note: str = "") -> BudgetAdjustment:
    """Record the proposal as decided: the next budget is the proposed one."""
    return _decide(
        adjustment=adjustment,
        user=user,
        decision=BudgetAdjustment.Decision.ACCEPTED,
        final_budget=adjustment.proposed_budget,
        note=note,
    )


def change_budget_adjustment(
    *, adjustment: BudgetAdjustment, user, final_budget: Decimal, note: str = ""
) -> BudgetAdjustment:
    """Record the officer's own figure for the next budget instead of the proposed one."""
    if final_budget is None or final_budget < 0:
        raise ValidationError({"final_budget": "The changed budget must be zero or more."})
    return _decide(
        adjustment=adjustment,
        user=user,
        decision=BudgetAdjustment.Decision.CHANGED,
        final_budget=final_budget,
        note=note,
    )


def reject_budget_adjustment(*, adjustment: BudgetAdjustment, user, note: str = "") -> BudgetAdjustment:
    """Record that the proposal is not applied: the budget is not adjusted (no final budget)."""
    return _decide(
        adjustment=adjustment,
        user=user,
        decision=BudgetAdjustment.Decision.REJECTED,
        final_budget=None,
        note=note,
    )
