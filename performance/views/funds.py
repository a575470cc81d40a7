"""Central direct funds (SPEC §4.2, §6)."""

from __future__ import annotations

from django.http import Http404
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin

from finance.roles import is_officer
from finance.tables import ExportableTableMixin, PagedTableMixin
from performance import selectors
from performance.tables import DirectFundTable
from performance.views.common import PageStateMixin, RunTableMixin


class DirectFundListView(
    PageStateMixin, RunTableMixin, ExportableTableMixin, PagedTableMixin, SingleTableMixin, TemplateView
):
    """SPEC §6 direct funds: each central direct fund grant, received, allocated and spent; for
    officers (a head sees the district's direct fund figures on the overview)."""

    department_wide = True
    table_class = DirectFundTable
    table_pagination = {"per_page": 50}
    template_name = "performance/direct_funds.html"
    export_name = "direct-funds"

    def get(self, request, *args, **kwargs):
        if not is_officer(request.user):
            raise Http404
        return super().get(request, *args, **kwargs)

    def grants(self):
        """The grants with their progress and the totals, read once per request."""
        if not hasattr(self, "_grants"):
            run = self.state.run
            self._grants = (
                ([], None) if run is None else selectors.direct_fund_progress(run=run, user=self.request.user)
            )
        return self._grants

    def get_table_data(self):
        return self.grants()[0]

    def get_table_kwargs(self):
        return super().get_table_kwargs() | {"totals": self.grants()[1]}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.state.run is not None:
            context["figures"] = selectors.run_figures(run=self.state.run, user=self.request.user)
        return context
