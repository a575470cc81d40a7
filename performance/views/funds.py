"""Central direct funds (SPEC §4.2, §6)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    QuerySet,
    Sum,
    Window,
)
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import render

from finance.roles import is_officer
from performance import selectors
from performance.tables import (
    DirectFundTable,
)
from performance.views.common import page_state, table_or_export


def direct_funds(request: HttpRequest) -> HttpResponse:
    """SPEC §6 direct funds: each central direct fund grant, received, allocated and spent; for
    officers (a head sees the district's direct fund figures on the overview)."""
    if not is_officer(request.user):
        raise Http404
    state = page_state(request)
    context = state.context()
    run = state.run
    if run is not None:
        rows, totals = _with_progress(selectors.direct_fund_grants(run=run, user=request.user))
        table = DirectFundTable(rows, totals=totals)
        exported = table_or_export(request, table, name="direct-funds", per_page=50)
        if exported is not None:
            return exported
        context.update({"table": table, "figures": selectors.run_figures(run=run, user=request.user)})
    return render(request, "performance/direct_funds.html", context)


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


def _with_progress(grants: QuerySet) -> tuple[list, DirectFundTotals | None]:
    """SPEC §4.1: allocation progress = allocated ÷ received, spending progress = spent ÷ received
    (as the headline figures of the run compute them); with the totals, summed by the database in the
    same query (window sums over every grant)."""

    def total(field: str) -> Window:
        return Window(Sum(field), output_field=selectors.MONEY_OUTPUT)

    rows = list(
        grants.annotate(
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
