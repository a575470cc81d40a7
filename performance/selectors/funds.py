"""Central direct funds as the user may see them (SPEC §4.1, §4.2)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, QuerySet, Subquery, Sum, Window
from django.db.models.functions import Coalesce

from finance.models import DirectFundGrant
from performance.models import ProgressSnapshot, RecomputeRun, ScopeKind
from performance.selectors.runs import MONEY_OUTPUT, has_role
from projects.models import Project


def direct_fund_grants(*, run: RecomputeRun, user) -> QuerySet[DirectFundGrant]:
    """The year's central direct fund grants with the budgets allocated from each and what those
    projects spent by the run's date (from the run's project snapshots)."""
    if not has_role(user):
        return DirectFundGrant.objects.none()
    funded = Project.objects.filter(grant=OuterRef("pk"), status=Project.Status.APPROVED)
    allocated = funded.order_by().values("grant").annotate(total=Sum("budget")).values("total")
    spent = (
        ProgressSnapshot.objects.filter(
            run=run,
            scope_kind=ScopeKind.PROJECT,
            scope_id__in=Project.objects.filter(grant=OuterRef(OuterRef("pk"))).values("pk"),
        )
        .order_by()
        .values("run")
        .annotate(total=Sum("spent"))
        .values("total")
    )
    zero = Decimal("0.00")
    return (
        DirectFundGrant.objects.filter(fiscal_year_id=run.fiscal_year_id)
        .annotate(
            allocated=Coalesce(
                Subquery(allocated, output_field=MONEY_OUTPUT), zero, output_field=MONEY_OUTPUT
            ),
            spent=Coalesce(Subquery(spent, output_field=MONEY_OUTPUT), zero, output_field=MONEY_OUTPUT),
        )
        .order_by("code")
    )


@dataclass(frozen=True)
class DirectFundTotals:
    """The direct funds table's total row: sums of every grant (not one page), and the progress
    ratios of the sums, never the mean of the grants' ratios (SPEC §4.1)."""

    amount: Decimal
    allocated: Decimal
    spent: Decimal

    @property
    def allocation_progress(self) -> Decimal | None:
        return self.allocated / self.amount if self.amount else None

    @property
    def spending_progress(self) -> Decimal | None:
        return self.spent / self.amount if self.amount else None


def direct_fund_progress(*, run: RecomputeRun, user) -> tuple[list[DirectFundGrant], DirectFundTotals | None]:
    """Each grant with SPEC §4.1's allocation progress = allocated ÷ received and spending progress =
    spent ÷ received (as the headline figures of the run compute them); with the totals, summed by the
    database in the same query (window sums over every grant)."""

    def total(field: str) -> Window:
        return Window(Sum(field), output_field=MONEY_OUTPUT)

    rows = list(
        direct_fund_grants(run=run, user=user).annotate(
            total_amount=total("amount"), total_allocated=total("allocated"), total_spent=total("spent")
        )
    )
    for grant in rows:
        grant.allocation_progress = grant.allocated / grant.amount if grant.amount else None
        grant.spending_progress = grant.spent / grant.amount if grant.amount else None
    if not rows:
        return rows, None
    first = rows[0]
    return rows, DirectFundTotals(
        amount=first.total_amount, allocated=first.total_allocated, spent=first.total_spent
    )
