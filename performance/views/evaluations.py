"""The evaluations list (SPEC §6)."""

from __future__ import annotations

from decimal import Decimal

from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from performance import selectors
from performance.filters import EvaluationFilter
from performance.models import Evaluation
from performance.tables import (
    EvaluationTable,
    InflatedSelfScoreTable,
)
from performance.views.common import ExportableTableMixin, PagedRequestConfig, PagedTableMixin, YearPageMixin


class EvaluationListView(YearPageMixin, ExportableTableMixin, PagedTableMixin, SingleTableMixin, FilterView):
    """SPEC §6 evaluations: the filterable list, the key evaluations summary and the self-score check."""

    table_class = EvaluationTable
    filterset_class = EvaluationFilter
    template_name = "performance/evaluations.html"
    export_name = "evaluations"

    def get_queryset(self):
        return (
            Evaluation.objects.visible_to(self.request.user)
            .filter(fiscal_year_id=self.state.year)
            .select_related("project", "project__department", "department")
            # An order the (year, kind) index and the primary key serve, whatever the size.
            .order_by("kind", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.state.run
        if self.state.year is not None:
            summary = selectors.key_evaluation_summary(user=self.request.user, year=self.state.year)
            context["key_summary"] = summary
            context["key_total"] = {
                "count": sum(row.count for row in summary),
                "funds": sum((row.funds for row in summary), Decimal("0.00")),
            }
        if run is not None:
            inflated = InflatedSelfScoreTable(
                selectors.inflated_self_scores(run=run, user=self.request.user), prefix="i-"
            )
            PagedRequestConfig(self.request, paginate={"per_page": 25}).configure(inflated)
            context["inflated_table"] = inflated
        return context
