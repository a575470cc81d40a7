"""The incremental performance leaderboard (SPEC §4.5, §6)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin

from finance.scoping import scope_of
from finance.tables import ExportableTableMixin, PagedTableMixin
from performance import charts, selectors
from performance.selectors import rectification
from performance.tables import LeaderboardTable
from performance.views.common import CHART_CACHE_SECONDS, PageStateMixin, RunTableMixin, figure, run_cache_key


class LeaderboardView(
    PageStateMixin, RunTableMixin, ExportableTableMixin, PagedTableMixin, SingleTableMixin, TemplateView
):
    """SPEC §4.5 table for the chosen year, the diverging bars of increments, the rank movement."""

    department_wide = True
    table_class = LeaderboardTable
    table_pagination = {"per_page": 100}
    template_name = "performance/leaderboard.html"
    export_name = "leaderboard"

    def own_department_id(self) -> int | None:
        """The department a head sees highlighted; None for those who see every department."""
        scope = scope_of(self.request.user)
        return None if scope.everything else scope.department_id

    def get_table_data(self):
        run = self.state.run
        if run is None:
            return []
        # Each department's open and overdue rectification items, shared with every role as the ranks
        # are: two grouped subqueries in the rows' own query.
        return selectors.leaderboard_rows(run=run, user=self.request.user).annotate(
            **rectification.open_and_overdue_subqueries()
        )

    def get_table_kwargs(self):
        own = self.own_department_id()
        everything = scope_of(self.request.user).everything
        return super().get_table_kwargs() | {
            "own_department_id": own,
            "linkable": (lambda record: True) if everything else (lambda record: record.department_id == own),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.state.run
        if run is None:
            return context
        own = self.own_department_id()
        table = context["table"]
        entries = list(table.page.object_list.data) if table.page else []
        ranked = [entry for entry in entries if not entry.is_new and entry.increment is not None]
        return context | {
            "own_entry": next((entry for entry in entries if entry.department_id == own), None),
            # A first year (2020 in the demo) has no year before it to take an increment from.
            "all_new": bool(entries) and entries[0].ranked_count == 0,
            "previous_year": run.fiscal_year_id - 1,
            "rules": leaderboard_rules(),
            "charts": cache.get_or_set(
                run_cache_key("leaderboard-charts", run, own, table.page.number if table.page else 1),
                lambda: increment_charts(ranked, own_department_id=own),
                CHART_CACHE_SECONDS,
            ),
        }


def increment_charts(ranked: list, *, own_department_id: int | None) -> list[dict]:
    """The diverging bars of the page's ranked departments' increments (none without any)."""
    if not ranked:
        return []
    bars = [
        charts.IncrementBar(
            department=entry.department.name,
            increment=entry.increment,
            highlighted=entry.department_id == own_department_id,
        )
        for entry in ranked
    ]
    return [figure(charts.increments(bars))]


def leaderboard_rules() -> dict:
    """The settings in force that the leaderboard's "how this is computed" panel states (SPEC §4.4,
    §4.5): the weights of the score and the low-coverage threshold."""
    return {
        "project_weight": settings.SCORE_PROJECT_WEIGHT,
        "department_weight": settings.SCORE_DEPARTMENT_WEIGHT,
        "low_coverage": settings.LOW_COVERAGE_THRESHOLD,
    }
