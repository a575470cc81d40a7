"""The warnings page (SPEC §4.1, §6)."""

from __future__ import annotations

from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from finance.roles import is_officer
from finance.tables import ExportableTableMixin, PagedRequestConfig, PagedTableMixin
from performance import selectors
from performance.filters import WarningFilter
from performance.tables import DoubleDeviationTable, WarningDepartmentTable, WarningTable
from performance.views.common import RunTableMixin, YearPageMixin


class WarningListView(
    YearPageMixin, RunTableMixin, ExportableTableMixin, PagedTableMixin, SingleTableMixin, FilterView
):
    """SPEC §6 warnings: the double deviations of the run's monitoring round first (§14.1), then
    lagging, zero-spending and overspent projects, by department."""

    department_wide = True
    table_class = WarningTable
    table_pagination = {"per_page": 25}
    filterset_class = WarningFilter
    # An invalid filter value is ignored, not an empty list.
    strict = False
    template_name = "performance/warnings.html"
    export_name = "warnings"

    def get_queryset(self):
        return selectors.warning_rows(run=self.state.run, user=self.request.user)

    def get_table_kwargs(self):
        kwargs = super().get_table_kwargs() | {"year": self.state.year}
        if not is_officer(self.request.user):
            kwargs["exclude"] = ("rectify",)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.state.run
        if run is not None:
            # Every department, paged and sortable (its own prefix, so its pages and sort leave the
            # projects' table as it is).
            by_department = WarningDepartmentTable(
                selectors.warning_counts_by_department(run=run, user=self.request.user),
                year=run.fiscal_year_id,
                prefix="d-",
            )
            PagedRequestConfig(self.request, paginate={"per_page": 20}).configure(by_department)
            context["by_department"] = by_department
            if run.monitoring_round_id is not None:
                # Two queries (its count and its page), only when the run has a monitoring round.
                double = DoubleDeviationTable(
                    selectors.double_deviation_rows(run=run, user=self.request.user),
                    year=run.fiscal_year_id,
                    monitoring_round=run.monitoring_round_id,
                    prefix="dd-",
                    exclude=() if is_officer(self.request.user) else ("rectify",),
                )
                PagedRequestConfig(self.request, paginate={"per_page": 20}).configure(double)
                context["double_deviations"] = double
        return context
