"""Results applied to next year's budget, as the user may see them (SPEC §4.7)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    Q,
    QuerySet,
    Sum,
    When,
)

from performance.models import (
    BudgetAdjustment,
)


def budget_adjustments(*, user, target_year: int | None) -> QuerySet[BudgetAdjustment]:
    """Proposals and decisions for the ``target_year`` budget that the user may see (none without a
    year)."""
    if target_year is None:
        return BudgetAdjustment.objects.none()
    return (
        BudgetAdjustment.objects.visible_to(user)
        .filter(target_year=target_year)
        .select_related("project", "project__department", "project__unit", "evaluation", "decided_by")
        .order_by("project_id", "pk")
    )


@dataclass(frozen=True)
class AdjustmentEffect:
    """Next year's budget of one department's projects with proposals (or the district's), in 元:
    ``before`` their current budgets; ``decided`` with the accepted and changed decisions applied (the
    rest at their current budget); ``after`` with the pending proposals applied as well."""

    code: str
    name: str
    proposals: int
    pending: int
    before: Decimal
    decided: Decimal
    after: Decimal

    @property
    def change(self) -> Decimal:
        return self.after - self.before


def adjustment_effects(*, user, target_year: int) -> list[AdjustmentEffect]:
    """The effect of applying results (结果应用, §4.7) per department the user may see, in one query."""
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
    rows = (
        BudgetAdjustment.objects.visible_to(user)
        .filter(target_year=target_year)
        .order_by()
        .values("project__department__code", "project__department__name")
        .annotate(
            proposals=Count("pk"),
            pending=Count("pk", filter=Q(decision=decision.PENDING)),
            before=Sum("current_budget"),
            decided=Sum(decided),
            after=Sum(after),
        )
        .order_by("project__department__code")
    )
    return [
        AdjustmentEffect(
            code=row["project__department__code"],
            name=row["project__department__name"],
            proposals=row["proposals"],
            pending=row["pending"],
            before=row["before"],
            decided=row["decided"],
            after=row["after"],
        )
        for row in rows
    ]


def district_effect(effects: list[AdjustmentEffect], *, name: str) -> AdjustmentEffect | None:
    """The departments' effects added up (a few dozen rows already summed by the database)."""
    if not effects:
        return None
    zero = Decimal("0.00")
    return AdjustmentEffect(
        code="",
        name=name,
        proposals=sum(e.proposals for e in effects),
        pending=sum(e.pending for e in effects),
        before=sum((e.before for e in effects), zero),
        decided=sum((e.decided for e in effects), zero),
        after=sum((e.after for e in effects), zero),
    )


def budget_adjustments_for_decision(*, user) -> QuerySet[BudgetAdjustment]:
    """Adjustments the user may see, with their project, for an officer's decision."""
    return BudgetAdjustment.objects.visible_to(user).select_related("project")


def pending_count(adjustments: QuerySet[BudgetAdjustment]) -> int:
    """How many of ``adjustments`` wait for a decision."""
    return adjustments.filter(decision=BudgetAdjustment.Decision.PENDING).count()


def pending_adjustments(adjustments: QuerySet[BudgetAdjustment]) -> QuerySet[BudgetAdjustment]:
    return adjustments.filter(decision=BudgetAdjustment.Decision.PENDING)


def bulk_decision_totals(adjustments: QuerySet[BudgetAdjustment]) -> dict:
    """What a bulk decision is about, for its confirmation page: how many proposals, their budgets
    before and as proposed, how many ask for a review and how many are already decided (one query)."""
    return adjustments.aggregate(
        count=Count("pk"),
        before=Sum("current_budget"),
        proposed=Sum("proposed_budget"),
        review=Count("pk", filter=Q(proposed_action=BudgetAdjustment.Action.REVIEW)),
        decided=Count("pk", filter=~Q(decision=BudgetAdjustment.Decision.PENDING)),
    )
