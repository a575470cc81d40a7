"""Reads of the briefs and the workbook that the performance layer's selectors do not already give."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, F, Q, Subquery, Sum, When

from finance.models import FunctionClass
from performance import selectors
from performance.models import BudgetAdjustment, ProgressSnapshot, RecomputeRun, ScopeKind
from performance.selectors import AdjustmentEffect
from performance.selectors.rectification import open_and_overdue_subqueries

#: The function class of agriculture, forestry and water (农林水支出) in the government expenditure
#: classification (政府收支分类科目).
AGRICULTURE_CLASS = "213"


def brief_run(*, year: int, as_of: datetime.date | None) -> RecomputeRun | None:
    """The newest successful run of ``year``, or of ``year`` as of ``as_of`` when one is asked for."""
    runs = RecomputeRun.objects.filter(fiscal_year_id=year, status=RecomputeRun.Status.SUCCEEDED)
    if as_of is not None:
        runs = runs.filter(as_of=as_of)
    return runs.select_related("figures").order_by("-started_at", "-pk").first()


def run_dates(*, year: int) -> list[datetime.date]:
    """The as-of dates of the year's successful runs, latest first (what a brief can be written for)."""
    return list(
        RecomputeRun.objects.filter(fiscal_year_id=year, status=RecomputeRun.Status.SUCCEEDED)
        .order_by("-as_of")
        .values_list("as_of", flat=True)
        .distinct()
    )


def function_class_snapshot(*, run: RecomputeRun, user, code: str) -> ProgressSnapshot | None:
    """The run's snapshot of the function class ``code`` (with its budget growth), shared with every
    role as the overview's classes are."""
    class_id = FunctionClass.objects.filter(code=code).values("pk")[:1]
    return (
        selectors.progress_snapshots(run=run, user=user, scope_kind=ScopeKind.FUNCTION_CLASS)
        .filter(scope_id=Subquery(class_id))
        .first()
    )


def adjustment_summary(
    *, user, target_year: int, department_id: int | None = None
) -> tuple[AdjustmentEffect, dict[str, int]] | None:
    """The ``target_year`` proposals the user may see (of one department, or all): their effect on
    next year's budget as the adjustments page computes it (``adjustment_effects``) and how many ask for
    each action, in one query; None without any."""
    rows = BudgetAdjustment.objects.visible_to(user).filter(target_year=target_year)
    if department_id is not None:
        rows = rows.filter(project__department_id=department_id)
    decision = BudgetAdjustment.Decision
    applied = Q(decision__in=[decision.ACCEPTED, decision.CHANGED])
    money = DecimalField(max_digits=18, decimal_places=2)
    decided = Case(When(applied, then=F("final_budget")), default=F("current_budget"), output_field=money)
    after = Case(
        When(applied, then=F("final_budget")),
        When(decision=decision.PENDING, then=F("proposed_budget")),
        default=F("current_budget"),
        output_field=money,
    )
    actions = [action.value for action in BudgetAdjustment.Action]
    totals = rows.aggregate(
        proposals=Count("pk"),
        pending=Count("pk", filter=Q(decision=decision.PENDING)),
        before=Sum("current_budget"),
        decided=Sum(decided),
        after=Sum(after),
        **{action: Count("pk", filter=Q(proposed_action=action)) for action in actions},
    )
    if not totals["proposals"]:
        return None
    effect = AdjustmentEffect(
        code="",
        name="",
        proposals=totals["proposals"],
        pending=totals["pending"],
        before=_cents(totals["before"]),
        decided=_cents(totals["decided"]),
        after=_cents(totals["after"]),
    )
    return effect, {action: totals[action] for action in actions}


def _cents(total) -> Decimal:
    # SQLite sums decimals as binary floats: far below a cent at these sizes, rounded here.
    return Decimal(str(total)).quantize(Decimal("0.01"))


def department_warnings(*, run: RecomputeRun, user, department_id: int):
    """The department's projects with a warning, most behind first (the warnings page's rows)."""
    return selectors.warning_rows(run=run, user=user).filter(department_id=department_id)


def department_snapshot(*, run: RecomputeRun, user, department_id: int) -> ProgressSnapshot | None:
    """The department's own progress with its projects warned, each once, and its rectification items
    not yet closed (``open_items``) and overdue (``overdue_items``)."""
    rows = selectors.department_and_unit_progress(run=run, user=user, department_id=department_id)
    return rows.filter(scope_kind=ScopeKind.DEPARTMENT).annotate(**open_and_overdue_subqueries()).first()
