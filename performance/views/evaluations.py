"""The evaluations list (SPEC §6)."""

from __future__ import annotations

from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from finance.roles import is_officer
from finance.tables import ExportableTableMixin, PagedRequestConfig, PagedTableMixin
from performance import selectors
from performance.filters import EvaluationFilter
from performance.tables import (
    EvaluationTable,
    InflatedSelfScoreTable,
)
from performance.views.common import YearPageMixin


class EvaluationListView(YearPageMixin, ExportableTableMixin, PagedTableMixin, SingleTableMixin, FilterView):
    """SPEC §6 evaluations: the filterable list, the key evaluations summary and the self-score check."""

    table_class = EvaluationTable
    filterset_class = EvaluationFilter
    template_name = "performance/evaluations.html"
    export_name = "evaluations"

    def get_queryset(self):
        return selectors.evaluation_list(user=self.request.user, year=self.state.year)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.state.run
        if self.state.year is not None:
            summary = selectors.key_evaluation_summary(user=self.request.user, year=self.state.year)
            context["key_summary"] = summary
            context["key_total"] = selectors.key_evaluation_total(summary)
        if run is not None:
            inflated = InflatedSelfScoreTable(
                selectors.inflated_self_scores(run=run, user=self.request.user),
                prefix="i-",
                exclude=() if is_officer(self.request.user) else ("rectify",),
            )
            PagedRequestConfig(self.request, paginate={"per_page": 25}).configure(inflated)
            context["inflated_table"] = inflated
        return context
